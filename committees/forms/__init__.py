"""The forms of the committees app, one module per views module (committees.views)."""

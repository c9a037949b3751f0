"""The forms of the plans app, one module per views module (plans.views)."""

"""The plan overview, in four steps a request takes in this order:

- `filters`: the GET parameters parsed into the filters in force (and the filter form's
  choices, the canonical query string);
- `query`: the row query as the ORM writes it (the items, with their amounts,
  also-concerned committees and the id of their latest report; then those reports);
- `sql_cache`: the same query compiled once per shape of filter, which is what requests
  run (why, and how to change it safely, is in its docstring);
- `rows` and `table`: the rows as HTML, grouped into sections with totals and counters.

The views import from the modules themselves; the names below are re-exported so that
`from plans.overview import build_overview` keeps working.
"""

from plans.overview.filters import (
    COLOUR_FILTER_CHOICES,
    KIND_CHOICES,
    NO_STATUS,
    NOT_REPORTED,
    SORT_CHOICES,
    SORT_COLUMNS,
    STATE_CHOICES,
    OverviewFilters,
    back_querystring,
    parse_filters,
    responsible_options,
)
from plans.overview.rows import amount_cells, amount_text, parse_amounts
from plans.overview.table import Overview, build_overview, filtered_item_ids

__all__ = [
    "COLOUR_FILTER_CHOICES",
    "KIND_CHOICES",
    "NOT_REPORTED",
    "NO_STATUS",
    "SORT_CHOICES",
    "SORT_COLUMNS",
    "STATE_CHOICES",
    "Overview",
    "OverviewFilters",
    "amount_cells",
    "amount_text",
    "back_querystring",
    "build_overview",
    "filtered_item_ids",
    "parse_amounts",
    "parse_filters",
    "responsible_options",
]

"""The share engine (private): the machinery every market-structure function runs on.

A figures frame may hold many markets and windows. A *window* is one (market, start, end)
triple; figures are compared only within a window, and two different windows of one
market (and metric) must not overlap: a quarter inside a year is refused, never summed.

* :mod:`.checks`: columns, values, mixed metrics, duplicates, overlapping windows;
* :mod:`.grouping`: integer window codes (:class:`WindowIndex`);
* :mod:`.kernels`: ordering within windows, ranks, HHI bounds, rounding;
* :mod:`.rows`, :mod:`.sizes`, :mod:`.sums`: the steps of the share table (read and
  check the rows, find the market sizes, check the listed sums);
* :mod:`.table`: :func:`share_table`, the validated, sorted shares of every window.

Re-exported here: what the structure modules use; the steps' own helpers stay in their
modules.
"""

from analysis.structure._share_engine.checks import (
    as_dates,
    as_values,
    check_overlaps,
    check_same_metric,
    check_uniform,
    check_unique,
    fail,
    renumbered,
)
from analysis.structure._share_engine.grouping import (
    factorize,
    group_windows,
)
from analysis.structure._share_engine.kernels import (
    hhi_bounds,
    order_within,
    ranks_sorted,
    window_first,
)
from analysis.structure._share_engine.sums import window_tolerance
from analysis.structure._share_engine.table import (
    DOUBLE_COUNT,
    MARKET_UNITS,
    ShareTable,
    one_window_table,
    share_table,
)

__all__ = [
    "DOUBLE_COUNT",
    "MARKET_UNITS",
    "ShareTable",
    "as_dates",
    "as_values",
    "check_overlaps",
    "check_same_metric",
    "check_uniform",
    "check_unique",
    "factorize",
    "fail",
    "group_windows",
    "hhi_bounds",
    "one_window_table",
    "order_within",
    "ranks_sorted",
    "renumbered",
    "share_table",
    "window_first",
    "window_tolerance",
]

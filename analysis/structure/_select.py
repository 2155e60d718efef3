"""Choosing windows of a figures frame by name: ``"2013Q1"``, ``"2013"``, a pair of dates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._format import window_label
from marketdata import schema as s

__all__ = ["Window", "only_windows", "parse_window", "rows_of"]

Window = tuple[pd.Timestamp, pd.Timestamp]


def parse_window(spec, name: str) -> Window:
    """A window from '2013Q1', '2013', '2013-06', a pandas Period or a (start, end) pair.

    Examples
    --------
    >>> parse_window("2013Q4", "window")
    (Timestamp('2013-10-01 00:00:00'), Timestamp('2013-12-31 00:00:00'))
    """
    if isinstance(spec, tuple) and len(spec) == 2:
        return pd.Timestamp(spec[0]), pd.Timestamp(spec[1])
    try:
        period = spec if isinstance(spec, pd.Period) else pd.Period(str(spec))
    except (ValueError, TypeError):
        raise ValueError(
            f"{name}={spec!r} is not a window: give '2013Q1', '2013', '2013-06' or a "
            "(start, end) pair of dates"
        ) from None
    return period.start_time.normalize(), period.end_time.normalize()


def only_windows(figures: pd.DataFrame, windows: list[Window]) -> pd.DataFrame:
    """The rows of exactly these windows (a year that ends with the quarter is not one)."""
    starts = pd.to_datetime(figures[s.START])
    ends = pd.to_datetime(figures[s.END])
    wanted = np.zeros(len(figures), dtype=bool)
    for start, end in windows:
        wanted |= ((starts == start) & (ends == end)).to_numpy(dtype=bool)
    return figures[wanted]


def rows_of(table: pd.DataFrame, window: Window, name: str, figures: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` in ``window``; ValueError listing the windows there if none."""
    start, end = window
    rows = table[(table[s.START] == start) & (table[s.END] == end)]
    if rows.empty:
        pairs = figures[[s.START, s.END]].drop_duplicates()
        have = sorted(
            {window_label(a, b) for a, b in zip(pairs[s.START], pairs[s.END], strict=True)}
        )
        raise ValueError(
            f"{name}={window_label(start, end)} is not a window of the figures; "
            f"windows there: {', '.join(have[:8])}{' ...' if len(have) > 8 else ''}"
        )
    return rows

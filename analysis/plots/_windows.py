"""What the windows of a share or rank frame are: one measure, one granularity, and which
windows follow one another (so a line or an area may join them)."""

from __future__ import annotations

import pandas as pd

from analysis._format import window_label
from marketdata import schema as s
from marketdata.errors import DataError

#: Columns that say what was counted; a chart of shares holds one value of each.
MEASURE_COLUMNS = (s.METRIC, "measure")

#: Granularity of a window from its length in days.
_LENGTHS = (("month", 28, 31), ("quarter", 89, 92), ("half-year", 181, 184), ("year", 365, 366))


def granularity(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """``"month"``, ``"quarter"``, ``"half-year"``, ``"year"`` or ``"<n> days"``; ``"to date"``
    for a window without a start.

    Examples
    --------
    >>> granularity(pd.Timestamp("2012-04-01"), pd.Timestamp("2012-06-30"))
    'quarter'
    >>> granularity(pd.Timestamp("2012-01-01"), pd.Timestamp("2012-01-10"))
    '10 days'
    """
    if pd.isna(start):
        return "to date"
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days + 1
    for name, low, high in _LENGTHS:
        if low <= days <= high:
            return name
    return f"{days} days"


def check_one_measure(frame: pd.DataFrame, what: str) -> None:
    """DataError when the rows count different things (IDC shipments and retail sales),
    naming them and how to pick one."""
    for column in MEASURE_COLUMNS:
        if column not in frame.columns:
            continue
        values = frame[column].dropna().astype(str).unique().tolist()
        if len(values) > 1:
            listed = ", ".join(repr(v) for v in sorted(values))
            raise DataError(
                f"{what} mixes measures in column {column!r} ({listed}): shares of different "
                "measures are not parts of one whole and cannot be stacked or ranked together; "
                f"draw each on its own, e.g. data[data[{column!r}] == {sorted(values)[0]!r}]"
            )


def check_one_granularity(windows: pd.DataFrame, what: str) -> None:
    """DataError when the windows differ in length (annual beside monthly figures)."""
    kinds = [granularity(a, b) for a, b in zip(windows[s.START], windows[s.END], strict=True)]
    found = sorted(set(kinds))
    if len(found) > 1:
        examples = []
        for kind in found:
            i = kinds.index(kind)
            examples.append(
                f"{kind} ({window_label(windows[s.START].iloc[i], windows[s.END].iloc[i])})"
            )
        raise DataError(
            f"{what} mixes windows of different lengths: {', '.join(examples)}; a share of a "
            "year and a share of a month are not points of one series. Draw one granularity "
            "at a time, e.g. keep the rows whose end - start spans one month"
        )


def contiguous(windows: pd.DataFrame) -> list[bool]:
    """For each window after the first: does it start the day after the previous ends?"""
    starts = pd.to_datetime(windows[s.START]).tolist()
    ends = pd.to_datetime(windows[s.END]).tolist()
    return [
        pd.notna(b) and b == a + pd.Timedelta(days=1)
        for a, b in zip(ends[:-1], starts[1:], strict=True)
    ]

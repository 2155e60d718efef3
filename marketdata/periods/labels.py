"""``period_label``: the shortest text ``parse_period`` reads back to the same dates."""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import pandas as pd

__all__ = ["period_label"]


def _label_arrays(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Labels for datetime64[D] arrays (computed on distinct pairs by the caller)."""
    n = len(end)
    labels = np.empty(n, dtype=object)
    start_month = start.astype("datetime64[M]")
    end_month = end.astype("datetime64[M]")
    whole_months = (start == start_month.astype("datetime64[D]")) & (
        end == (end_month + 1).astype("datetime64[D]") - 1
    )
    span = (end_month - start_month).astype(np.int64) + 1
    month0 = start_month.astype(np.int64) % 12  # 0 = January
    year = start_month.astype("datetime64[Y]").astype(np.int64) + 1970
    for i in range(n):  # over distinct (start, end) pairs only
        if np.isnat(end[i]):
            labels[i] = None
        elif np.isnat(start[i]):
            labels[i] = f"..{end[i]}"
        elif start[i] == end[i]:
            labels[i] = str(start[i])
        elif whole_months[i] and span[i] == 12 and month0[i] == 0:
            labels[i] = f"{year[i]}"
        elif whole_months[i] and span[i] == 3 and month0[i] % 3 == 0:
            labels[i] = f"{year[i]}Q{month0[i] // 3 + 1}"
        elif whole_months[i] and span[i] == 6 and month0[i] % 6 == 0:
            labels[i] = f"H{month0[i] // 6 + 1} {year[i]}"
        elif whole_months[i] and span[i] == 1:
            labels[i] = f"{year[i]}-{month0[i] + 1:02d}"
        else:
            labels[i] = f"{start[i]}..{end[i]}"
    return labels


@overload
def period_label(start: pd.Series, end: pd.Series) -> pd.Series: ...
@overload
def period_label(start: Any, end: Any) -> str: ...
def period_label(start: Any, end: Any) -> str | pd.Series:
    """A short label for a period: ``"2012Q2"``, ``"H1 2012"``, ``"2012-06"``, ``"2012"``.

    The label is the shortest form :func:`parse_period` reads back to the same dates:
    a calendar year, quarter, half, month or single day, else ``"start..end"``
    (``"2012-01-01..2012-03-15"``). A missing start (a figure to date) gives
    ``"..2012-06-12"``.

    Parameters
    ----------
    start, end : date-like or Series
        First and last day (inclusive). Series must have the same length; the result
        has the index of ``end``.

    Returns
    -------
    str or Series of str

    Examples
    --------
    >>> period_label("2012-04-01", "2012-06-30")
    '2012Q2'
    >>> period_label("2012-01-01", "2012-06-30"), period_label("2012-06-01", "2012-06-30")
    ('H1 2012', '2012-06')
    >>> period_label("2012-01-01", "2012-03-15")
    '2012-01-01..2012-03-15'
    >>> import pandas as pd
    >>> period_label(pd.Series(pd.to_datetime(["2012-01-01"])),
    ...              pd.Series(pd.to_datetime(["2012-12-31"]))).tolist()
    ['2012']
    """
    if isinstance(start, pd.Series) or isinstance(end, pd.Series):
        if not (isinstance(start, pd.Series) and isinstance(end, pd.Series)):
            raise TypeError("period_label takes two Series or two dates, not one of each")
        if len(start) != len(end):
            raise ValueError(f"start and end differ in length ({len(start)} and {len(end)})")
        s_days = pd.to_datetime(start).to_numpy("datetime64[D]")
        e_days = pd.to_datetime(end).to_numpy("datetime64[D]")
        _check_order(s_days, e_days)
        pairs = pd.MultiIndex.from_arrays([s_days, e_days])
        codes, uniques = pd.factorize(pairs)
        u_start = uniques.get_level_values(0).to_numpy("datetime64[D]")
        u_end = uniques.get_level_values(1).to_numpy("datetime64[D]")
        labels = _label_arrays(u_start, u_end)[codes] if len(codes) else np.array([], object)
        return pd.Series(labels, index=end.index, dtype="string")
    s_day = pd.Timestamp(start) if start is not None else pd.NaT
    e_day = pd.Timestamp(end) if end is not None else pd.NaT
    s_arr = np.array([s_day.to_datetime64() if s_day is not pd.NaT else "NaT"], "datetime64[D]")
    e_arr = np.array([e_day.to_datetime64() if e_day is not pd.NaT else "NaT"], "datetime64[D]")
    _check_order(s_arr, e_arr)
    label = _label_arrays(s_arr, e_arr)[0]
    if label is None:
        raise ValueError("period_label needs an end date")
    return label


def _check_order(start: np.ndarray, end: np.ndarray) -> None:
    late = ~np.isnat(start) & ~np.isnat(end) & (start > end)
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise ValueError(f"start {start[i]} is after end {end[i]} (position {i})")

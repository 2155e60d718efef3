"""Find figures that report the same thing twice.

Two figures share a *key* when brand, market, start, end, basis, metric and status are
equal (missing brands and start dates count as equal). Figures of one key with
different values **conflict**: all of them are reported (never summed, never one picked).
Figures of one key with the same value are **exact duplicates**: the first (in file
order) is kept and the repeats are reported as duplicates of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketdata import schema as s

KEY = [s.BRAND, s.MARKET, s.START, s.END, s.BASIS, s.METRIC, s.STATUS]


def _group_ids(figures: pd.DataFrame) -> np.ndarray:
    """One integer per distinct key: the key columns' codes in mixed radix."""
    combined = np.zeros(len(figures), dtype=np.int64)
    room = 1
    for column in KEY:
        values = figures[column]
        if isinstance(values.dtype, pd.CategoricalDtype):  # as loaders make them: no hashing
            codes = values.cat.codes.to_numpy().astype(np.int64) + 1  # NA: 0, a value too
            size = len(values.cat.categories) + 1
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=False)
            size = max(len(uniques), 1)
        if room * size >= 2**62:  # too many combinations for one integer: start again
            combined = pd.factorize(combined)[0].astype(np.int64)
            room = int(combined.max(initial=0)) + 1
        combined *= size
        combined += codes
        room *= size
    return combined


def find(
    figures: pd.DataFrame, value: str, lines: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(conflict, repeat, reason)`` for each figure.

    ``lines`` numbers the figures as the user counts them, for the reasons.

    Examples
    --------
    >>> f = pd.DataFrame({"brand": ["A", "A", "A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-03-31"),
    ...     "basis": "period", "metric": "shipments", "status": "actual",
    ...     "units": [1.0, 1.0, 1.0, 2.0]})
    >>> conflict, repeat, reason = find(f, "units", np.array([2, 3, 4, 5]))
    >>> conflict.tolist(), repeat.tolist(), reason[1]
    ([False, False, False, False], [False, True, True, False], 'exact duplicate of line 2')
    """
    n = len(figures)
    conflict = np.zeros(n, dtype=bool)
    repeat = np.zeros(n, dtype=bool)
    reason = np.full(n, None, dtype=object)
    if n < 2:
        return conflict, repeat, reason
    group = _group_ids(figures)
    later = pd.Series(group).duplicated().to_numpy()  # half the work of keep=False
    if not later.any():
        return conflict, repeat, reason
    shared = np.isin(group, group[later])
    sub = pd.DataFrame(
        {"g": group[shared], "v": figures[value].to_numpy()[shared], "i": np.flatnonzero(shared)}
    )
    distinct = sub.groupby("g")["v"].transform("nunique").to_numpy()
    first = sub.groupby("g")["i"].transform("first").to_numpy()
    clash = distinct > 1
    conflict[sub["i"].to_numpy()[clash]] = True
    for _, members in sub[clash].groupby("g")["i"]:
        where = ", ".join(f"line {lines[i]} ({figures[value].iloc[i]:,.10g})" for i in members)
        for i in members:
            reason[i] = (
                f"figures with the same key disagree: {where}; keep one (they are not summed)"
            )
    again = ~clash & (sub["i"].to_numpy() != first)
    for i, f in zip(sub["i"].to_numpy()[again], first[again], strict=True):
        repeat[i] = True
        reason[i] = f"exact duplicate of line {lines[f]}"
    return conflict, repeat, reason

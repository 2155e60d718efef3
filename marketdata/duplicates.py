"""Find figures that report the same thing twice.

Two figures share a *key* when brand, market, start, end, basis, metric and status are
equal (missing brands and start dates count as equal). Figures of one key with
different values **conflict**: all of them are reported (never summed, never one picked).
Figures of one key with the same value (and the same qualifier: "over 3M" is not "3M")
are **exact duplicates**: the first (in file order) is kept and the repeats are reported
as duplicates of it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from marketdata import schema as s

__all__ = ["CONFLICT_HINT", "KEY", "find", "group_ids"]

CONFLICT_HINT = "keep one (they are not summed)"
KEY = [s.BRAND, s.MARKET, s.START, s.END, s.BASIS, s.METRIC, s.STATUS]


_COUNTABLE = 1 << 22  # key combinations renumbered with an array this long, not a hash


def _renumber(combined: np.ndarray, room: int) -> tuple[np.ndarray, int]:
    """Codes 0..k-1 for the k distinct values of ``combined`` (each below ``room``)."""
    if room > _COUNTABLE:
        codes, uniques = pd.factorize(combined)
        return codes.astype(np.int64), len(uniques)
    used = np.zeros(room, dtype=bool)
    used[combined] = True
    return (np.cumsum(used) - 1)[combined], int(used.sum())


def _column_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of one key column (missing is a value too) and how many codes there can be."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # as loaders make them: no hashing
        codes = values.cat.codes.to_numpy().astype(np.int64)
        codes += 1
        return codes, len(values.cat.categories) + 1
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, max(len(uniques), 1)


def _combine(parts: Iterator[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """Codes in mixed radix, renumbered when the combinations outgrow a count array."""
    combined, room = next(parts)
    for codes, size in parts:  # one column's codes at a time
        if room * size > _COUNTABLE:
            combined, room = _renumber(combined, room)
        combined *= size  # in place: the parts are temporaries, and fresh arrays cost
        combined += codes
        room *= size
    return _renumber(combined, room)


def group_ids(figures: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, int]:
    """One integer per distinct combination of ``columns`` (0..k-1; missing is a value),
    and k: counted, not hashed, while the combinations fit a count array."""
    dates = [c for c in columns if c in (s.START, s.END)]
    rest = [c for c in columns if c not in dates]
    parts = [_combine(_column_codes(figures[c]) for c in group) for group in (dates, rest) if group]
    return _combine(iter(parts)) if len(parts) > 1 else _renumber(*parts[0])


def _group_ids(figures: pd.DataFrame) -> tuple[np.ndarray, int]:
    """One integer per distinct key (0..k-1), and k.

    Dates and the other key columns are combined apart, then together: few of the
    possible (start, end) pairs and (brand, market, ...) tuples occur, so each side
    renumbers to a short range and the whole key stays countable without hashing.
    """
    dates = _combine(_column_codes(figures[c]) for c in (s.START, s.END))
    rest = _combine(_column_codes(figures[c]) for c in KEY if c not in (s.START, s.END))
    return _combine(iter([dates, rest]))


def _said(qualifiers: pd.Series | None, i: int) -> str:
    if qualifiers is None or pd.isna(qualifiers.iloc[i]):
        return ""
    return f"{qualifiers.iloc[i]} "


def find(
    figures: pd.DataFrame, value: str, lines: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(conflict, repeat, reason)`` for each figure.

    A conflict's reason lists the figures of its key; what to do is :data:`CONFLICT_HINT`.
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
    group, keys = _group_ids(figures)
    if keys == n:  # every key once
        return conflict, repeat, reason
    shared = np.bincount(group, minlength=keys)[group] > 1
    values = figures[value].to_numpy()[shared]
    said = None
    if s.QUALIFIER in figures.columns:  # "over 3M" and "3M" do not say the same thing
        said = figures[s.QUALIFIER].astype("string")
        v_codes = pd.factorize(values)[0].astype(np.int64)
        q_codes = pd.factorize(said.to_numpy()[shared], use_na_sentinel=True)[0] + 1
        values = v_codes * (len(s.QUALIFIERS) + 2) + q_codes
    sub = pd.DataFrame({"g": group[shared], "v": values, "i": np.flatnonzero(shared)})
    distinct = sub.groupby("g")["v"].transform("nunique").to_numpy()
    first = sub.groupby("g")["i"].transform("first").to_numpy()
    clash = distinct > 1
    conflict[sub["i"].to_numpy()[clash]] = True
    for _, members in sub[clash].groupby("g")["i"]:
        where = ", ".join(
            f"line {lines[i]} ({_said(said, i)}{figures[value].iloc[i]:,.10g})" for i in members
        )
        for i in members:
            reason[i] = f"figures with the same key disagree: {where}"
    again = ~clash & (sub["i"].to_numpy() != first)
    for i, f in zip(sub["i"].to_numpy()[again], first[again], strict=True):
        repeat[i] = True
        reason[i] = f"exact duplicate of line {lines[f]}"
    return conflict, repeat, reason

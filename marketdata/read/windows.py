"""Checks of whole windows (one market, period, basis, metric and status), after the
fields are parsed and before duplicates are looked for.

- A ``Total`` of units (a name meaning the whole market, see
  :data:`marketdata.schema.TOTAL`) that disagrees with the sum of a complete listing
  (brands plus ``Others``) beyond the figures' rounding is warned about.
- A ``Total`` given as a share (IDC's "Total 100.0%") is no figure: it is rejected,
  or with ``errors="raise"`` dropped with a warning, like an all-zero window.
- Columns of one wide table that name one brand (``Samsung`` and ``Sumsung`` after
  :func:`~marketdata.register_aliases`) are summed, cell by cell, with a warning naming
  them. Long-form figures with one key and different values are still all rejected
  (:mod:`marketdata.duplicates`).
- A window of two figures or more, all zero (a placeholder row such as StatCounter's
  last), is rejected with its reason; with ``errors="raise"`` it is dropped with a
  warning, like an exact duplicate.
- "About 100": a window's shares sum to 100 within half a unit of the last decimal the
  figures carry, times the number of figures (StatCounter's two decimals over 70 vendors:
  100 ± 0.35), and at least ± 0.5. A wide table read as units whose every window sums to
  about 100 gets a warning to pass ``value="share", percent=True``; ``value="share"``
  shares above 1 are read as percent when every window sums to about 100, else refused.
- The other way round: shares read with ``percent=True`` whose every window sums to about
  1 %, or a wide table of bare numbers (no ``scale=``) whose every row sums to about 1, are
  warned about: they look like fractions (an Excel cell shown as 40.00% holds 0.4).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.duplicates import group_ids
from marketdata.periods import period_label
from marketdata.read.candidates import Candidates
from marketdata.read.options import ReadOptions

__all__ = ["WINDOW", "check_windows"]

WINDOW = [s.MARKET, s.START, s.END, s.BASIS, s.METRIC, s.STATUS]
_ZERO = "every figure of this window is zero: a placeholder, not a market that sold nothing"
_ZERO_HINT = "drop the row, or fill in its figures"


def _last_unit(values: np.ndarray) -> float:
    """The unit of the last decimal the values carry (28.35 -> 0.01, 302.6e6 -> 1e5)."""
    v = np.abs(values[np.isfinite(values) & (values != 0)])
    if not v.size:
        return 1.0
    smallest = v.min()
    for k in range(12, -7, -1):
        unit = 10.0**k
        if unit <= smallest * (1 + 1e-9) and np.all(
            np.abs(v / unit - np.round(v / unit)) <= 1e-6 + 1e-9 * (v / unit)
        ):
            return unit
    return 1e-6


def _windows(result: pd.DataFrame, use: np.ndarray) -> np.ndarray:
    """A window number per figure (-1 where not ``use``)."""
    ids = np.full(len(result), -1, dtype=np.int64)
    if use.any():
        chosen = result if use.all() else result.loc[use]
        ids[use] = group_ids(chosen[WINDOW], WINDOW)[0]
    return ids


def _about_100(sums: np.ndarray, counts: np.ndarray, unit: float) -> np.ndarray:
    return np.abs(sums - 100) <= np.maximum(0.5, 0.5 * unit * counts)


def _about_1(values: np.ndarray, ids: np.ndarray, use: np.ndarray) -> bool:
    """Whether every window of two figures or more sums to 1 within the figures' rounding
    (fractions: 0.4 + 0.35 + 0.25), and no figure is above 1."""
    if not use.any() or (values[use] > 1).any():
        return False
    sums = np.bincount(ids[use], weights=values[use])
    counts = np.bincount(ids[use])
    tolerance = np.maximum(1e-9, 0.5 * _last_unit(values[use]) * counts)
    return bool((counts > 1).all() and (np.abs(sums - 1) <= tolerance).all())


def _merge_wide_brands(c: Candidates, result: pd.DataFrame) -> None:
    """Sum the cells of one wide row whose columns name one brand (see module notes)."""
    if c.layout != "wide_brands":
        return
    good = ~c.rejects.bad
    brand_codes = result[s.BRAND].cat.codes.to_numpy()
    use = good & (brand_codes >= 0)
    if not use.any():
        return
    pairs = pd.DataFrame({"pos": c.long.pos[use], "b": brand_codes[use], "i": np.flatnonzero(use)})
    size = pairs.groupby(["pos", "b"])["i"].transform("size").to_numpy()
    if not (size > 1).any():
        return
    shared = pairs[size > 1]
    first = shared.groupby(["pos", "b"])["i"].transform("first").to_numpy()
    members = shared["i"].to_numpy()
    values = result[c.value].to_numpy(dtype="float64", copy=True)
    totals = pd.Series(values[members]).groupby(first).sum()
    values[totals.index.to_numpy()] = totals.to_numpy()
    result[c.value] = values
    if s.QUALIFIER in result.columns:  # an "over" part makes the sum "over" as well
        q = result[s.QUALIFIER].astype(object).to_numpy()
        said = pd.Series(q[members]).groupby(first).agg(lambda x: set(x.dropna()))
        for keep, kinds in said.items():
            q[keep] = kinds.pop() if len(kinds) == 1 else (s.QUALIFIERS[2] if kinds else None)
        result[s.QUALIFIER] = pd.array(q, dtype="string")
    c.merged[members[members != first]] = True
    columns = pd.Series(c.long.source_column[members]).groupby(result[s.BRAND].to_numpy()[members])
    named = "; ".join(
        f"{brand}: {', '.join(repr(x) for x in dict.fromkeys(cols))}" for brand, cols in columns
    )
    c.warnings.append(
        f"columns of this table name one brand, and their figures were summed row by row "
        f"({named}); map them apart with columns= if they are different brands"
    )


def _judge_percent(c: Candidates, opts: ReadOptions, result: pd.DataFrame, marked) -> None:
    """Shares above 1 read as percent only when every window sums to about 100."""
    good = ~c.rejects.bad & ~c.merged
    values = result[c.value].to_numpy(dtype="float64")
    if c.value == s.SHARE:
        over = good & (values > 1) & ~marked
        if opts.percent:
            plain = good & ~marked & np.isfinite(values)
            if _about_1(values * 100, _windows(result, plain), plain):
                c.warnings.append(
                    "every window of these percent shares sums to about 1 (1%), as fractions "
                    "would: if the shares are fractions (an Excel cell shown as 40.00% holds "
                    "0.4), drop percent=True"
                )
            return
        if not over.any():
            return
        plain = good & ~marked
        ids = _windows(result, plain)
        sums = np.bincount(ids[plain], weights=values[plain])
        counts = np.bincount(ids[plain])
        if _about_100(sums, counts, _last_unit(values[plain])).all():
            values = np.where(plain, values / 100, values)
            result[c.value] = values
            c.rejects.add(
                good & (values > 1),
                c.label(c.value),
                c.long.cells[c.value],
                "a share in percent must be between 0 and 100",
                "check the value",
            )
            c.warnings.append(
                "shares above 1 were read as percent, since every window sums to about 100; "
                "pass percent=True to say so"
            )
            return
        c.rejects.add(
            over,
            c.label(c.value),
            c.long.cells[c.value],
            "a share must be a fraction between 0 and 1, and these windows do not sum to "
            "about 100 as percent shares would",
            "pass percent=True if shares are in percent",
        )
        return
    if c.layout == "long" or opts.value is not None:
        return
    use = good & np.isfinite(values)
    ids = _windows(result, use)
    if not use.any():
        return
    if opts.scale == 1.0 and _about_1(values, ids, use):
        c.warnings.append(
            "every row of this wide table sums to about 1 (as fractions would), and its figures "
            "were read as units; if they are shares, pass value='share'"
        )
        return
    sums = np.bincount(ids[use], weights=values[use])
    counts = np.bincount(ids[use])
    if (counts > 1).all() and (values[use] <= 100).all():
        if _about_100(sums, counts, _last_unit(values[use])).all():
            c.warnings.append(
                f"every row of this wide table sums to about 100 (the first: {sums[0]:.6g}), "
                "and its figures were read as units; if they are percent shares, pass "
                "value='share', percent=True"
            )


def _zero_windows(c: Candidates, result: pd.DataFrame) -> None:
    """Reject windows of two brands or more whose figures are all zero."""
    good = ~c.rejects.bad & ~c.merged
    if not good.any():
        return
    values = result[c.value].to_numpy(dtype="float64")
    if not (good & (values == 0)).any():  # (most files: no window to look at)
        return
    ids = _windows(result, good)
    k = ids.max() + 1
    counts = np.bincount(ids[good], minlength=k)
    nonzero = np.bincount(ids[good], weights=(values[good] != 0), minlength=k)
    zero = (nonzero == 0) & (counts > 1)
    if not zero.any():
        return
    bad = good & zero[np.maximum(ids, 0)]
    c.rejects.add(bad, c.label(c.value), c.long.cells[c.value], _ZERO, _ZERO_HINT)
    c.soft |= bad


_SHARE_TOTAL = "a Total among shares is no figure: the shares are of it (100%)"
_SHARE_TOTAL_HINT = "drop the row (a market's size is a number of units, not a share)"


def _share_totals(c: Candidates, total: np.ndarray) -> None:
    """Reject a Total given as a share (IDC's "Total 100.0%"): droppable, like a placeholder."""
    if c.value != s.SHARE or not total.any():
        return
    bad = total & ~c.rejects.bad & ~c.merged
    c.rejects.add(bad, c.label(c.value), c.long.cells[c.value], _SHARE_TOTAL, _SHARE_TOTAL_HINT)
    c.soft |= bad


def _check_totals(c: Candidates, result: pd.DataFrame, total: np.ndarray) -> None:
    """Warn where a Total of units disagrees with its window's complete listing."""
    if c.value != s.UNITS or not total.any():
        return
    good = ~c.rejects.bad & ~c.merged
    ids = _windows(result, good)
    values = result[c.value].to_numpy(dtype="float64")
    brand = result[s.BRAND].astype(object).to_numpy()
    listed = good & ~total & pd.notna(brand)
    residual = listed & np.isin(brand, list(s.RESIDUAL_BRANDS))
    k = ids.max() + 1
    complete = np.bincount(ids[residual], minlength=k) > 0
    sums = np.bincount(ids[listed], weights=values[listed], minlength=k)
    counts = np.bincount(ids[listed], minlength=k)
    given = values[good & (values > 0)]
    unit = _last_unit(given)
    if given.size:  # whole numbers ("40" millions) carry two digits at least
        unit = min(unit, 10.0 ** (np.floor(np.log10(given.min())) - 1))
    for i in np.flatnonzero(good & total):
        w = ids[i]
        if complete[w] and abs(sums[w] - values[i]) > 0.5 * unit * (counts[w] + 1):
            window = period_label(result[s.START].iloc[i], result[s.END].iloc[i])
            c.warnings.append(
                f"the total of line {_line(c, i)} for {result[s.MARKET].iloc[i]} {window} "
                f"({values[i]:,.10g}) disagrees with the sum of its brands and Others "
                f"({sums[w]:,.10g}); check which is right"
            )


def _line(c: Candidates, i: int) -> int:
    at = c.long.pos[i]
    lines = c.table.lines if c.table.lines is not None else c.table.rows
    return int(lines[at])


def check_windows(
    c: Candidates, opts: ReadOptions, result: pd.DataFrame, parsed: dict[str, Any]
) -> None:
    """Wide columns of one brand summed, percent judged, all-zero windows rejected, totals
    checked (see the module notes). ``parsed`` holds ``_total`` (which figures are a
    Total) and, for shares, ``_marked`` (written with "%")."""
    _merge_wide_brands(c, result)
    _zero_windows(c, result)  # (before percent: a placeholder's zeros sum to 0, not 100)
    marked = parsed.get("_marked", np.zeros(c.n, dtype=bool))
    _judge_percent(c, opts, result, marked)
    _share_totals(c, parsed["_total"])
    _check_totals(c, result, parsed["_total"])

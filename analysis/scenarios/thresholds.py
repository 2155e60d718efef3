"""The volume a rank needs in one market and window: :func:`units_for_rank`.

The deterministic answer: the entrant must sell more than the brand now at that rank (an
upper bound when that brand is hidden in ``Others``). The probability of a rank under
uncertainty is :func:`analysis.units_for_rank_probability`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis._validation import check_integer
from analysis.structure import _share_engine as engine
from marketdata import schema as s

__all__ = ["rank_threshold", "units_for_rank"]

_COLUMNS = (
    s.MARKET,
    s.START,
    s.END,
    "rank",
    s.BRAND,
    "units_at_rank",
    "share_at_rank",
    "exact",
    "units_market_grows",
    "units_market_fixed",
    "share_needed",
)


# ----------------------------------------------------------------------------- rank threshold
def rank_threshold(
    units: ArrayLike, rank: int, *, residual: ArrayLike = 0.0
) -> tuple[float, bool] | tuple[np.ndarray, np.ndarray]:
    """The volume an entrant must exceed to take rank ``rank`` (or better).

    The deterministic core of :func:`units_for_rank`, vectorised over leading axes so that
    sampled markets (one row per draw) work too.

    Parameters
    ----------
    units : array_like, shape (..., n)
        The listed brands' volumes (any order; NaN = not listed). Units or shares.
    rank : int
        The rank wanted, 1 = largest.
    residual : float or array_like, shape (...)
        The volume of the unlisted tail (``Others``), in the same unit.

    Returns
    -------
    threshold : float or ndarray
        The volume of the brand now at ``rank``; the entrant takes that rank with any
        volume strictly above it (with the market growing by the entrant's volume).
        When ``rank`` lies beyond the listed brands, the brand at that rank is hidden in
        the residual and ``threshold`` is an upper bound: that brand sells no more than
        the smallest listed brand nor ``residual / (rank - listed)``; 0 when there is no
        residual (fewer brands than ``rank`` exist).
    exact : bool or ndarray
        False where ``threshold`` is the upper bound.

    Examples
    --------
    Listed 1.96M, 1.47M, 1.12M, 0.91M, 0.21M and an unlisted 1.33M: rank 3 needs more
    than 1.12M; rank 10 at most min(0.21M, 1.33M / 5 = 0.266M) = 0.21M.

    >>> rank_threshold([1.96e6, 1.47e6, 1.12e6, 0.91e6, 0.21e6], 3, residual=1.33e6)
    (1120000.0, True)
    >>> rank_threshold([1.96e6, 1.47e6, 1.12e6, 0.91e6, 0.21e6], 10, residual=1.33e6)
    (210000.0, False)
    """
    rank = check_integer(rank, "rank", minimum=1)
    values = np.asarray(units, dtype=float)
    scalar = values.ndim == 1
    values = np.atleast_2d(values)
    residual = np.broadcast_to(np.asarray(residual, dtype=float), values.shape[:-1])
    ordered = -np.sort(-values, axis=-1)  # largest first, NaN last
    listed = np.sum(~np.isnan(values), axis=-1)
    width = values.shape[-1]
    at_rank = ordered[..., rank - 1] if rank <= width else np.full(values.shape[:-1], np.nan)
    exact = rank <= listed
    index = np.clip(listed - 1, 0, max(width - 1, 0))
    smallest = np.where(
        listed > 0,
        np.take_along_axis(ordered, index[..., None], axis=-1)[..., 0] if width else np.inf,
        np.inf,
    )
    beyond = np.minimum(smallest, residual / np.maximum(rank - listed, 1))
    beyond = np.where(residual > 0, beyond, 0.0)
    threshold = np.where(exact, at_rank, beyond)
    exact = exact | (residual <= 0)
    if scalar:
        return float(threshold[0]), bool(exact[0])
    return threshold, exact


def units_for_rank(
    figures: pd.DataFrame,
    rank: int | Sequence[int],
    *,
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
) -> pd.DataFrame:
    """The volume that places a new brand at ``rank`` in one market and window.

    The entrant must sell strictly more than the brand now at that rank. Two cases: the
    market grows by the entrant's volume (incumbents keep their units), or the market
    stays the same size and the entrant's volume comes from all incumbents in proportion
    to their share (so they shrink and less is needed: ``u > B * T / (T + B)`` for the
    rank holder's volume B and market T). The share needed is ``B / (T + B)`` either way.
    For the volume that gives a rank with a given probability under uncertainty, see
    :func:`analysis.units_for_rank_probability`.

    Parameters
    ----------
    figures : DataFrame
        Figures of one market and one window (units, or shares with ``market_size=``).
    rank : int or sequence of int
        The rank(s) wanted (1 = largest).
    market_size, others
        As in :func:`analysis.market_share`.

    Returns
    -------
    DataFrame
        One row per rank, always these columns: ``market, start, end, rank, brand`` (the
        listed brand now there, NA when it is hidden in the residual), ``units_at_rank,
        share_at_rank, exact`` (False: the holder is unlisted and its volume is an upper
        bound, see :func:`rank_threshold`), ``units_market_grows, units_market_fixed,
        share_needed``. Units are NaN for share data without a market size.

    Raises
    ------
    ValueError
        A rank below 1, or beyond the listed brands plus one when no residual hides
        further brands.
    DataError
        Figures of more than one market or window, an empty market, and as
        :func:`analysis.market_share`.

    Examples
    --------
    Taiwan 2013 (IDC shares) in a market of 7M phones: a top-ten place needs at most
    210,000 units (LG's 3%, which bounds every unlisted brand).

    >>> from marketdata import datasets
    >>> from analysis import units_for_rank
    >>> tw = datasets.load("taiwan_vendor_share")
    >>> need = units_for_rank(tw[tw["end"] == "2013-12-31"], [3, 10], market_size=7_000_000)
    >>> need[["rank", "brand", "exact", "units_market_grows", "units_market_fixed"]]
       rank brand  exact  units_market_grows  units_market_fixed
    0     3  Sony   True           1120000.0        9.655172e+05
    1    10  <NA>  False            210000.0        2.038835e+05
    """
    table = engine.one_window_table(
        figures, "units_for_rank", market_size=market_size, others=others
    )
    ranks = [rank] if np.ndim(rank) == 0 else list(rank)
    ranks = [check_integer(k, "rank", minimum=1) for k in ranks]
    frame = table.frame
    has_units = bool(frame[s.UNITS].notna().all())
    value = frame[s.UNITS if has_units else s.SHARE].to_numpy()
    total = float(frame[engine.MARKET_UNITS].iloc[0]) if has_units else 1.0
    named = ~table.residual
    listed = value[named]  # largest first (share_table sorts)
    brands = frame[s.BRAND][named].to_numpy(dtype=object)
    residual = float(value[table.residual].sum())
    rows = [_rank_row(k, listed, brands, residual, total, has_units) for k in ranks]
    out = pd.DataFrame(rows, columns=list(_COLUMNS[3:]))
    out.insert(0, s.END, frame[s.END].iloc[0])
    out.insert(0, s.START, frame[s.START].iloc[0])
    out.insert(0, s.MARKET, frame[s.MARKET].iloc[0])
    for column in (s.MARKET, s.BRAND):
        out[column] = out[column].astype("string")
    out["exact"] = out["exact"].astype(bool)
    return out


def _rank_row(k: int, listed, brands, residual: float, total: float, has_units: bool) -> list:
    """One rank's row (without market and window): holder, threshold, share needed."""
    if residual <= 0 and k > len(listed) + 1:
        raise ValueError(
            f"rank {k} is impossible: the market lists {len(listed)} brands and no "
            f"residual, so the lowest rank is {len(listed) + 1}; ask for a rank from 1 "
            f"to {len(listed) + 1}"
        )
    threshold, exact = rank_threshold(listed, k, residual=residual)
    holder = brands[k - 1] if k <= len(listed) else pd.NA
    fixed = threshold * total / (total + threshold)
    units = threshold if has_units else np.nan
    return [
        k,
        holder,
        units,
        threshold / total,
        exact,
        units,
        fixed if has_units else np.nan,
        threshold / (total + threshold),
    ]

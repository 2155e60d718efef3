"""Scenarios on one market and window: the volume a rank needs, and what an entrant changes."""

from __future__ import annotations

import html
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from analysis import _windows as w
from analysis.concentration import band, hhi_bounds
from marketdata import schema as s

_DRAWS = ("proportional", "expansion")


# ----------------------------------------------------------------------------- rank threshold
def rank_threshold(units, rank: int, *, residual=0.0):
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
    if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)) or rank < 1:
        raise ValueError(f"rank must be a positive integer (1 = largest), got {rank!r}")
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


def _one_window(market_figures, what, *, market_size, others) -> w.ShareTable:
    w.single_window(market_figures, what)
    return w.share_table(market_figures, market_size=market_size, others=others)


def units_for_rank(
    market_figures: pd.DataFrame,
    rank,
    *,
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
    prob: float | None = None,
    **uncertainty,
) -> pd.DataFrame:
    """The volume that places a new brand at ``rank`` in one market and window.

    The entrant must sell strictly more than the brand now at that rank. Two cases: the
    market grows by the entrant's volume (incumbents keep their units), or the market
    stays the same size and the entrant's volume comes from all incumbents in proportion
    to their share (so they shrink and less is needed: ``u > B * T / (T + B)`` for the
    rank holder's volume B and market T). The share needed is ``B / (T + B)`` either way.

    Parameters
    ----------
    market_figures : DataFrame
        Figures of one market and one window (units, or shares with ``market_size=``).
    rank : int or sequence of int
        The rank(s) wanted (1 = largest).
    market_size, others
        As in :func:`analysis.market_share`.
    prob : float, optional
        A probability in [0, 1]: the least volume that gives at least ``prob`` probability
        of rank <= ``rank`` under the uncertainty of :func:`analysis.project_rank`, whose
        options (``cv``, ``market_cv``, ``common_cv``, ``incumbents``, ``unlisted``,
        ``split``, ``draws``, ``seed``, ...) go in ``**uncertainty``. Unlisted brands are
        modelled explicitly there (see ``project_rank``), and ties share the better rank.
    **uncertainty
        Only with ``prob``.

    Returns
    -------
    DataFrame
        One row per rank: ``market, start, end, rank, brand`` (the listed brand now there,
        NA when it is hidden in the residual), ``units_at_rank, share_at_rank, exact``
        (False: the holder is unlisted and its volume is an upper bound, see
        :func:`rank_threshold`), ``units_market_grows, units_market_fixed, share_needed``.
        Units are NaN for share data without a market size. With ``prob``:
        ``market, start, end, rank, prob, units_market_grows, units_market_fixed,
        share_needed`` (see :func:`analysis.rank_forecast.units_for_rank_table`).

    Raises
    ------
    DataError
        Figures of more than one market or window, and as :func:`analysis.market_share`.

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

    With 20% uncertainty on every brand and 10% on the market, the units that give an
    80% chance of a top-ten place (7 unlisted brands share the residual by default):

    >>> sure = units_for_rank(tw[tw["end"] == "2013-12-31"], 10, market_size=7_000_000,
    ...                       prob=0.8, cv=0.2, market_cv=0.1, draws=20_000)
    >>> sure[["units_market_grows", "units_market_fixed"]].round(-3)
       units_market_grows  units_market_fixed
    0            227000.0            221000.0
    """
    if prob is not None:
        from analysis.rank_forecast.api import units_for_rank_table  # lazy: rank_forecast

        return units_for_rank_table(
            market_figures,
            rank,
            prob=prob,
            market_size=market_size,
            others=others,
            **uncertainty,
        )
    if uncertainty:
        raise TypeError(
            f"units_for_rank got the option(s) {sorted(uncertainty)}, which need prob=; "
            "pass prob= (e.g. prob=0.8) or drop them"
        )
    table = _one_window(market_figures, "units_for_rank", market_size=market_size, others=others)
    ranks = [rank] if np.ndim(rank) == 0 else list(rank)
    frame = table.frame
    named = ~table.residual
    has_units = frame[s.UNITS].notna().all()
    value = frame[s.UNITS if has_units else s.SHARE].to_numpy()
    total = float(frame[w.MARKET_UNITS].iloc[0]) if has_units else 1.0
    residual = float(value[table.residual].sum())
    listed = value[named]  # largest first (share_table sorts)
    brands = frame[s.BRAND][named].to_numpy(dtype=object)
    rows = []
    for k in ranks:
        threshold, exact = rank_threshold(listed, k, residual=residual)
        holder = brands[k - 1] if k <= len(listed) else pd.NA
        fixed = threshold * total / (total + threshold)
        rows.append(
            {
                s.MARKET: frame[s.MARKET].iloc[0],
                s.START: frame[s.START].iloc[0],
                s.END: frame[s.END].iloc[0],
                "rank": k,
                s.BRAND: holder,
                "units_at_rank": threshold if has_units else np.nan,
                "share_at_rank": threshold / total,
                "exact": exact,
                "units_market_grows": threshold if has_units else np.nan,
                "units_market_fixed": fixed if has_units else np.nan,
                "share_needed": threshold / (total + threshold),
            }
        )
    out = pd.DataFrame(rows)
    for column in (s.MARKET, s.BRAND):
        out[column] = out[column].astype("string")
    return out


# ----------------------------------------------------------------------------- entry
@dataclass(frozen=True, repr=False)
class EntryScenario:
    """A market before and after a brand enters (see :func:`entry_scenario`).

    Attributes
    ----------
    brand, market, start, end : the entrant and the window.
    units : float
        The entrant's volume (NaN for share data without a market size).
    share : float
        The entrant's share after entry.
    draw : str
        Where the volume came from, in words.
    hhi_before_bounds, hhi_after_bounds, delta_hhi_bounds : tuple of float
        (lower, upper) HHI on the 0-10,000 scale; equal when no residual hides the tail.
    source : tuple of str
        The sources of the market figures, for footnotes.
    """

    brand: str
    market: str
    start: pd.Timestamp
    end: pd.Timestamp
    units: float
    share: float
    draw: str
    table: pd.DataFrame
    hhi_before_bounds: tuple[float, float]
    hhi_after_bounds: tuple[float, float]
    source: tuple[str, ...] = ()

    @property
    def hhi_before(self) -> float:
        """HHI before entry; NaN when a residual leaves only bounds."""
        low, high = self.hhi_before_bounds
        return low if np.isclose(low, high) else float("nan")

    @property
    def hhi_after(self) -> float:
        """HHI after entry; NaN when a residual leaves only bounds."""
        low, high = self.hhi_after_bounds
        return low if np.isclose(low, high) else float("nan")

    @property
    def delta_hhi(self) -> float:
        """Change in HHI; NaN when a residual leaves only bounds."""
        return self.hhi_after - self.hhi_before

    @property
    def delta_hhi_bounds(self) -> tuple[float, float]:
        """(lower, upper) change in HHI.

        The hidden tail's own HHI lies between 0 and its share squared and changes by
        the same factor as the tail, so the change is extreme at those two ends.
        """
        a = self.hhi_after_bounds[0] - self.hhi_before_bounds[0]
        b = self.hhi_after_bounds[1] - self.hhi_before_bounds[1]
        return (min(a, b), max(a, b))

    def frame(self) -> pd.DataFrame:
        """``market, start, end, brand, units_before, share_before, rank_before,
        units_after, share_after, rank_after`` (residuals unranked, entrant last)."""
        return self.table.copy()

    def _hhi_text(self, bounds) -> str:
        low, high = bounds
        if np.isclose(low, high):
            return f"{low:,.0f} ({band([low])[0]})"
        return f"{low:,.0f} to {high:,.0f}"

    def __repr__(self) -> str:
        units = "" if np.isnan(self.units) else f"{self.units:,.0f} units, "
        after = self.table.loc[self.table[s.BRAND] == self.brand, "rank_after"].iloc[0]
        return (
            f"EntryScenario: {self.brand} enters {self.market} "
            f"{w.window_label(self.start, self.end)} with {units}{self.share:.1%} share "
            f"(rank {after}), drawn {self.draw}\n"
            f"  HHI before {self._hhi_text(self.hhi_before_bounds)}, "
            f"after {self._hhi_text(self.hhi_after_bounds)}, "
            f"change {self.delta_hhi_bounds[0]:+,.0f}"
            + (
                ""
                if np.isclose(*self.delta_hhi_bounds)
                else f" to {self.delta_hhi_bounds[1]:+,.0f}"
            )
        )

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(repr(self))}</pre>" + self.table.to_html(index=False)


def _draw_weights(draw, table: pd.DataFrame, value, total, brand):
    """Fraction of the entrant's volume taken from each row, and a description."""
    names = table[s.BRAND].to_numpy(dtype=object)
    if isinstance(draw, str):
        if draw not in _DRAWS:
            raise ValueError(
                f"draw must be 'proportional', 'expansion', a fraction 0-1 or a switching "
                f"matrix (DataFrame), got {draw!r}"
            )
        fraction = 1.0 if draw == "proportional" else 0.0
        text = (
            "from incumbents in proportion to their share"
            if draw == "proportional"
            else "by expanding the market"
        )
        return fraction * value / total, text
    if isinstance(draw, Real) and not isinstance(draw, bool):
        fraction = float(draw)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(
                f"draw as a number is the fraction taken from incumbents (1 = proportional, "
                f"0 = expansion); got {fraction}"
            )
        return fraction * value / total, (
            f"{fraction:.0%} from incumbents in proportion to share, the rest by expansion"
        )
    if isinstance(draw, pd.DataFrame):
        if brand not in draw.columns:
            raise ValueError(
                f"the switching matrix has no column for the entrant {brand!r}: give "
                "matrix.loc[incumbent, entrant] = the fraction of the entrant's volume taken "
                "from that incumbent"
            )
        column = pd.to_numeric(draw[brand])
        unknown = sorted(set(map(str, column.index)) - set(map(str, names)))
        if unknown:
            raise ValueError(
                f"the switching matrix names brands not in the market: {unknown}; "
                f"the market has {list(names)}"
            )
        if (column < 0).any() or not np.isfinite(column).all():
            raise ValueError("switching-matrix entries must be finite fractions >= 0")
        if column.sum() > 1 + 1e-9:
            raise ValueError(
                f"the switching matrix takes {column.sum():.3f} of the entrant's volume from "
                "incumbents; at most 1 (the rest is market expansion)"
            )
        weights = column.reindex(pd.Index(names).astype(str)).fillna(0.0).to_numpy()
        return weights, f"by the switching matrix ({column.sum():.0%} from incumbents)"
    raise TypeError(f"draw must be a string, a number or a DataFrame, got {type(draw).__name__}")


def entry_scenario(
    market_figures: pd.DataFrame,
    brand: str,
    *,
    share: float | None = None,
    units: float | None = None,
    draw="proportional",
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
) -> EntryScenario:
    """The market after a new brand enters: shares, ranks and HHI before and after.

    Parameters
    ----------
    market_figures : DataFrame
        Figures of one market and one window (units, or shares).
    brand : str
        The entrant; it must not be listed in the market already.
    share, units : float
        The entrant's share of the market *after* entry (0-1), or its volume. Give one.
    draw : {"proportional", "expansion"}, float or DataFrame
        Where the entrant's volume comes from. ``"proportional"`` (fair share): from
        every incumbent, residual included, in proportion to its share, so the market
        stays the same size. ``"expansion"``: it adds to the market, incumbents keep their
        units. A float ``f`` in 0-1 takes ``f`` proportionally and adds the rest. A
        switching matrix (DataFrame, incumbents as index, brands as columns):
        ``matrix.loc[j, brand]`` is the fraction of the entrant's volume taken from
        incumbent ``j``; the column may sum to less than 1, the rest expands the market.
    market_size, others
        As in :func:`analysis.market_share`.

    Returns
    -------
    EntryScenario
        ``.frame()`` with before/after units, shares and ranks; ``.hhi_before``,
        ``.hhi_after``, ``.delta_hhi`` (NaN when a residual leaves only bounds) and their
        ``*_bounds``.

    Raises
    ------
    ValueError
        Neither or both of share/units; share outside (0, 1); the entrant already listed;
        a draw taking more from a brand than it has; units for share data without
        ``market_size``.
    DataError
        Figures of more than one market or window, and as :func:`analysis.market_share`.

    Examples
    --------
    Four brands of 30/30/20/20 units; an entrant takes 10% proportionally: incumbents
    keep 90% of their shares (27/27/18/18), HHI goes from 2,600 to
    729 + 729 + 324 + 324 + 100 = 2,206.

    >>> import pandas as pd
    >>> from analysis import entry_scenario
    >>> figures = pd.DataFrame({
    ...     "brand": ["A", "B", "C", "D"], "market": "TW",
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-12-31"),
    ...     "units": [30.0, 30.0, 20.0, 20.0], "metric": "shipments"})
    >>> result = entry_scenario(figures, "Xiaomi", share=0.10)
    >>> round(result.hhi_before), round(result.hhi_after), round(result.delta_hhi)
    (2600, 2206, -394)
    >>> result.frame()[["brand", "share_before", "share_after", "rank_after"]]
        brand  share_before  share_after  rank_after
    0       A           0.3         0.27           1
    1       B           0.3         0.27           1
    2       C           0.2         0.18           3
    3       D           0.2         0.18           3
    4  Xiaomi           NaN         0.10           5
    """
    if (share is None) == (units is None):
        raise ValueError("give the entrant's share= or units=, exactly one")
    table = _one_window(market_figures, "entry_scenario", market_size=market_size, others=others)
    frame = table.frame
    names = frame[s.BRAND].astype("string")
    if (names == brand).any():
        raise ValueError(
            f"{brand!r} is already listed in this market; an entry scenario adds a new brand"
        )
    has_units = bool(frame[s.UNITS].notna().all())
    value = frame[s.UNITS if has_units else s.SHARE].to_numpy(dtype=float)
    total = float(frame[w.MARKET_UNITS].iloc[0]) if has_units else 1.0
    weights, text = _draw_weights(draw, frame, value, total, brand)
    drawn = float(weights.sum())
    if share is not None:
        share = float(share)
        if not 0.0 < share < 1.0:
            raise ValueError(f"share must be a fraction strictly between 0 and 1, got {share}")
        volume = share * total / (1.0 - (1.0 - drawn) * share)
    else:
        if not has_units:
            raise ValueError(
                "units= needs units in the figures: these are shares; pass market_size= "
                "(or give share=)"
            )
        volume = float(units)
        if not np.isfinite(volume) or volume <= 0:
            raise ValueError(f"units must be a positive number, got {units!r}")
    after = value - volume * weights
    short = after < -1e-9 * max(total, 1.0)
    if short.any():
        i = int(np.flatnonzero(short)[0])
        raise ValueError(
            f"the draw takes {volume * weights[i]:,.4g} from {names.iloc[i]}, which has only "
            f"{value[i]:,.4g}: lower the entrant's volume or change the draw"
        )
    after = np.clip(after, 0.0, None)
    total_after = total + (1.0 - drawn) * volume
    residual = np.concatenate((table.residual, [False]))
    before_v = np.concatenate((value, [np.nan]))
    after_v = np.concatenate((after, [volume]))
    share_before = before_v / total
    share_after = after_v / total_after

    def ranks(values):
        ranked = pd.Series(np.where(residual, np.nan, values)).rank(method="min", ascending=False)
        return ranked.astype("Int64")

    out = pd.DataFrame(
        {
            s.MARKET: frame[s.MARKET].iloc[0],
            s.START: frame[s.START].iloc[0],
            s.END: frame[s.END].iloc[0],
            s.BRAND: pd.array(list(names) + [brand], dtype="string"),
            "units_before": before_v if has_units else np.nan,
            "share_before": share_before,
            "rank_before": ranks(before_v),
            "units_after": after_v if has_units else np.nan,
            "share_after": share_after,
            "rank_after": ranks(after_v),
        }
    )
    out[s.MARKET] = out[s.MARKET].astype("string")
    code = np.zeros(len(out), dtype=np.int64)
    lb, ub, _ = hhi_bounds(code[:-1], share_before[:-1], residual[:-1], 1)
    la, ua, _ = hhi_bounds(code, share_after, residual, 1)
    return EntryScenario(
        brand=brand,
        market=str(out[s.MARKET].iloc[0]),
        start=out[s.START].iloc[0],
        end=out[s.END].iloc[0],
        units=volume if has_units else float("nan"),
        share=float(share_after[-1]),
        draw=text,
        table=out,
        hhi_before_bounds=(float(lb[0]), float(ub[0])),
        hhi_after_bounds=(float(la[0]), float(ua[0])),
        source=_sources(frame),
    )


def _sources(frame: pd.DataFrame) -> tuple[str, ...]:
    if s.SOURCE not in frame.columns:
        return ()
    return tuple(str(x) for x in frame[s.SOURCE].dropna().unique())


__all__ = ["EntryScenario", "entry_scenario", "rank_threshold", "units_for_rank"]

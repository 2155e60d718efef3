"""What an entrant changes in one market and window: :func:`entry_scenario`."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from analysis._format import hhi_label, range_label, window_label
from analysis._summary import Summary
from analysis._validation import check_scalar
from analysis.structure import _share_engine as engine
from analysis.structure.concentration import band
from marketdata import schema as s

__all__ = ["EntryScenario", "entry_scenario"]

_DRAWS = ("proportional", "expansion")


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

    Examples
    --------
    Made by :func:`entry_scenario`. Brands of 60 and 40 units; an entrant with 25 units
    expanding the market to 125: shares 0.48, 0.32, 0.2, HHI 2,304 + 1,024 + 400 = 3,728.

    >>> import pandas as pd
    >>> from analysis import entry_scenario
    >>> figures = pd.DataFrame({
    ...     "brand": ["A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-12-31"),
    ...     "units": [60.0, 40.0], "metric": "shipments"})
    >>> result = entry_scenario(figures, "X", units=25, draw="expansion")
    >>> result.share, round(result.hhi_before), round(result.hhi_after)
    (0.2, 5200, 3728)
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
            return f"{hhi_label(low)} ({band([low])[0]})"
        return f"{range_label(low, high, kind='hhi')} (bounds: Others hides the tail)"

    def summary(self) -> Summary:
        """The entrant's share, rank and volume and the HHI before and after."""
        after = self.table.loc[self.table[s.BRAND] == self.brand, "rank_after"].iloc[0]
        low, high = self.delta_hhi_bounds
        change = f"{low:+,.0f}" if np.isclose(low, high) else f"{low:+,.0f} to {high:+,.0f}"
        facts = [
            ("entrant", self.brand),
            ("market", f"{self.market} {window_label(self.start, self.end)}"),
            ("units", self.units, "units"),
            ("share after entry", self.share, "share"),
            ("rank after entry", after),
            ("volume drawn", self.draw),
            ("HHI before", self._hhi_text(self.hhi_before_bounds)),
            ("HHI after", self._hhi_text(self.hhi_after_bounds)),
            ("HHI change", change),
        ]
        notes = [f"Sources: {'; '.join(self.source)}"] if self.source else []
        return Summary(
            f"{self.brand} enters {self.market} {window_label(self.start, self.end)}",
            facts=[f for f in facts if not (f[0] == "units" and np.isnan(self.units))],
            tables=[("Before and after", self.table.drop(columns=[s.MARKET, s.START, s.END]))],
            notes=notes,
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Shares before and after, with the HHI change: :func:`analysis.plots.plot_entry`."""
        from analysis import plots  # not at the top: `import analysis` leaves analysis.plots out

        return plots.plot_entry(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return self.summary().as_text()

    def _repr_html_(self) -> str:
        return self.summary().as_html()


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
        own = column.index.astype(str) == str(brand)
        if own.any():  # a square brand x brand matrix: the entrant's own row must be 0
            if (column[own].fillna(0.0) != 0).any():
                raise ValueError(
                    f"the switching matrix takes {brand!r}'s volume from itself "
                    f"(matrix.loc[{brand!r}, {brand!r}] = {column[own].iloc[0]}); set it to 0"
                )
            column = column[~own]
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
    figures: pd.DataFrame,
    brand: str,
    *,
    share: float | None = None,
    units: float | None = None,
    draw: str | float | pd.DataFrame = "proportional",
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
) -> EntryScenario:
    """The market after a new brand enters: shares, ranks and HHI before and after.

    Parameters
    ----------
    figures : DataFrame
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
    table = engine.one_window_table(
        figures, "entry_scenario", market_size=market_size, others=others
    )
    frame = table.frame
    names = frame[s.BRAND].astype("string")
    if (names == brand).any():
        raise ValueError(
            f"{brand!r} is already listed in this market; an entry scenario adds a new brand"
        )
    has_units = bool(frame[s.UNITS].notna().all())
    value = frame[s.UNITS if has_units else s.SHARE].to_numpy(dtype=float)
    total = float(frame[engine.MARKET_UNITS].iloc[0]) if has_units else 1.0
    weights, text = _draw_weights(draw, frame, value, total, brand)
    volume = _entrant_volume(share, units, total, float(weights.sum()), has_units)
    after = _incumbents_after(value, volume * weights, names, total)
    total_after = total + (1.0 - float(weights.sum())) * volume
    residual = np.concatenate((table.residual, [False]))
    before_v = np.concatenate((value, [np.nan]))
    after_v = np.concatenate((after, [volume]))
    share_before, share_after = before_v / total, after_v / total_after
    out = pd.DataFrame(
        {
            s.MARKET: pd.array([frame[s.MARKET].iloc[0]] * len(before_v), dtype="string"),
            s.START: frame[s.START].iloc[0],
            s.END: frame[s.END].iloc[0],
            s.BRAND: pd.array(list(names) + [brand], dtype="string"),
            "units_before": before_v if has_units else np.nan,
            "share_before": share_before,
            "rank_before": _ranks(before_v, residual),
            "units_after": after_v if has_units else np.nan,
            "share_after": share_after,
            "rank_after": _ranks(after_v, residual),
        }
    )
    code = np.zeros(len(out), dtype=np.int64)
    lb, ub, _ = engine.hhi_bounds(code[:-1], share_before[:-1], residual[:-1], 1)
    la, ua, _ = engine.hhi_bounds(code, share_after, residual, 1)
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


def _entrant_volume(share, units, total: float, drawn: float, has_units: bool) -> float:
    """The entrant's volume from its share after entry, or its units as given."""
    if share is not None:
        share = check_scalar(
            share, "share", minimum=0.0, maximum=1.0, include_minimum=False, include_maximum=False
        )
        return share * total / (1.0 - (1.0 - drawn) * share)
    if not has_units:
        raise ValueError(
            "units= needs units in the figures: these are shares; pass market_size= "
            "(or give share=)"
        )
    return check_scalar(units, "units", minimum=0.0, include_minimum=False)


def _incumbents_after(value, taken, names, total: float) -> np.ndarray:
    """Each incumbent's volume after the draw; refuse a draw larger than a brand."""
    after = value - taken
    short = after < -1e-9 * max(total, 1.0)
    if short.any():
        i = int(np.flatnonzero(short)[0])
        raise ValueError(
            f"the draw takes {taken[i]:,.4g} from {names.iloc[i]}, which has only "
            f"{value[i]:,.4g}: lower the entrant's volume or change the draw"
        )
    return np.clip(after, 0.0, None)


def _ranks(values: np.ndarray, residual: np.ndarray) -> pd.Series:
    """Min-method ranks, largest first; residual rows are never ranked."""
    ranked = pd.Series(np.where(residual, np.nan, values)).rank(method="min", ascending=False)
    return ranked.astype("Int64")


def _sources(frame: pd.DataFrame) -> tuple[str, ...]:
    if s.SOURCE not in frame.columns:
        return ()
    return tuple(str(x) for x in frame[s.SOURCE].dropna().unique())

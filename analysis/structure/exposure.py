"""Exposure: how much of each brand's volume comes from each market, and its dependence.

Two kinds of input say it: units by market (a brand's US and Taiwan shipments, or its US
shipments against its worldwide total), and shares of the brand's own total given by a
source (``exposure``: "the US is about 40% of HTC's shipments"). Both become *estimates*
of a brand's dependence on a market, each with its window, metric and source, so that a
dependence is stated as the range of what the sources say, never as one number no source
gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis._format import percent_label, window_label
from analysis._summary import Summary
from analysis._validation import check_columns
from analysis.structure._mix import (
    EXPOSURE,
    HOW,
    brand_rows,
    dependence,
    given_estimates,
    numbers,
    sort_estimates,
    unit_estimates,
)
from analysis.structure._share_engine import renumbered
from marketdata import schema as s
from marketdata.errors import DataError

__all__ = ["EXPOSURE", "Exposure", "exposure"]


@dataclass(frozen=True, repr=False)
class Exposure:
    """Each brand's market mix (see :func:`exposure`).

    Methods
    -------
    frame()
        One row per estimate: ``brand, start, end, market, metric, how, units,
        brand_units, exposure, qualifier, source``.
    dependence()
        One row per brand, window and kind of estimate: the brand's total, markets, the
        largest market and its exposure, the unlisted part and the HHI of the mix.
    estimates(market=None)
        The estimates of each brand's dependence on a market, with their sources.
    summary()
        The dependence on each market with its range and sources, and what the data
        cannot say (a :class:`analysis._summary.Summary`).
    plot(ax=None, **kwargs)
        The brand x market heat map (:func:`analysis.plots.plot_exposure`).

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis import exposure
    >>> figures = pd.DataFrame({
    ...     "brand": "HTC", "market": ["US", "TW"],
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-12-31"),
    ...     "units": [40.0, 60.0], "metric": "shipments"})
    >>> result = exposure(figures)
    >>> result.dependence()[["brand", "largest_market", "largest_exposure", "dependence_hhi"]]
      brand largest_market  largest_exposure  dependence_hhi
    0   HTC             TW               0.6          5200.0
    """

    per_market: pd.DataFrame
    per_brand: pd.DataFrame
    unused: int = 0  # rows that are neither units nor shares of a brand's total

    def frame(self) -> pd.DataFrame:
        """Per brand, window and market: units, the brand's total and the exposure."""
        return self.per_market.copy()

    def dependence(self) -> pd.DataFrame:
        """Per brand and window: total, markets, largest market, unlisted part, HHI.

        ``dependence_hhi`` is the HHI of the brand's market mix on the 0-10,000 scale
        (10,000 = all its volume in one market); NaN when part of the volume is in
        unlisted markets, bounded then by ``dependence_hhi_lower``/``_upper`` (the unlisted
        part spread over many markets, or in one).
        """
        return self.per_brand.copy()

    def estimates(self, market: str | None = None) -> pd.DataFrame:
        """The estimates of dependence on ``market`` (all markets if None), by brand.

        Columns ``brand, market, window, metric, exposure, how, qualifier, source``;
        ``window`` is the period label (``2011Q3``).
        """
        rows = self.per_market
        if market is not None:
            rows = rows[rows[s.MARKET] == market]
        out = pd.DataFrame(
            {
                s.BRAND: rows[s.BRAND].to_numpy(),
                s.MARKET: rows[s.MARKET].to_numpy(),
                "window": [
                    window_label(a, b) for a, b in zip(rows[s.START], rows[s.END], strict=True)
                ],
                s.METRIC: rows[s.METRIC].to_numpy(),
                EXPOSURE: rows[EXPOSURE].to_numpy(),
                HOW: rows[HOW].to_numpy(),
                s.QUALIFIER: rows[s.QUALIFIER].to_numpy(),
                s.SOURCE: rows[s.SOURCE].to_numpy(),
            }
        )
        return out.sort_values([s.BRAND, s.MARKET, "window"], kind="stable").reset_index(drop=True)

    def _dependence_lines(self) -> tuple[list[tuple[str, str]], list[str]]:
        facts, notes, third_party = [], [], {}
        table = self.estimates()
        table = table[table[s.MARKET] != s.WORLDWIDE]
        for (brand, market), rows in table.groupby([s.BRAND, s.MARKET], sort=True):
            if len(rows) < 2 and rows[HOW].eq("units").all() and len(table) > 10:
                continue  # a long table of plain unit mixes: the frame says it
            by_metric = [
                f"{metric}: {_span(g[EXPOSURE].min(), g[EXPOSURE].max())}"
                for metric, g in rows.groupby(s.METRIC, dropna=False, sort=True)
            ]
            text = _span(rows[EXPOSURE].min(), rows[EXPOSURE].max())
            text += f" ({len(rows)} estimate(s)"
            text += f"; {', '.join(by_metric)})" if rows[s.METRIC].nunique() > 1 else ")"
            facts.append((f"{brand} on {market}", text))
            own = rows[s.SOURCE].astype("string").str.startswith(str(brand)).fillna(False)
            if rows[HOW].eq("given").any() and not own.any():
                third_party.setdefault(brand, []).append(str(market))
            if rows[s.METRIC].nunique() > 1:
                notes.append(
                    f"The estimates for {brand} on {market} measure different things "
                    f"({', '.join(sorted(map(str, rows[s.METRIC].dropna().unique())))}); "
                    "they are shown side by side, never averaged."
                )
        for brand, markets in third_party.items():
            notes.insert(
                0,
                f"{brand} published no split of its volume by market in these figures: "
                f"every estimate of its dependence on {', '.join(markets)} is a third "
                "party's (analysts, trackers), so the range is what they say, not a "
                "measurement.",
            )
        return facts, notes

    def summary(self) -> Summary:
        """The dependence of each brand on each market, with its range and sources."""
        brands = self.per_brand[s.BRAND].nunique()
        facts, notes = self._dependence_lines()
        if self.unused:
            notes.append(
                f"{self.unused} row(s) were neither units nor shares of a brand's total "
                "(e.g. a brand's share of a market) and say nothing about its market mix."
            )
        estimates = self.estimates()
        estimates[EXPOSURE] = [_pct(x) for x in estimates[EXPOSURE]]
        return Summary(
            f"Exposure of {brands} brand(s) to their markets",
            facts=facts,
            tables=[("Estimates", estimates.drop(columns=[s.QUALIFIER]))],
            notes=notes,
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The brand x market heat map: :func:`analysis.plots.plot_exposure`."""
        from analysis import plots  # not at the top: `import analysis` leaves analysis.plots out

        return plots.plot_exposure(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return self.summary().as_text()

    def _repr_html_(self) -> str:
        return self.summary().as_html()


def _pct(x: float) -> str:
    """A fraction as a percentage, with one decimal unless it is a whole percent (43.7%)."""
    whole = abs(100 * x - round(100 * x)) < 0.05
    return percent_label(x, decimals=0 if whole else 1)


def _span(low: float, high: float) -> str:
    """``40%–43.7%``, or one value when both ends agree."""
    return _pct(low) if _pct(low) == _pct(high) else f"{_pct(low)}–{_pct(high)}"


def exposure(
    figures: pd.DataFrame, *, brand: str | None = None, others: str = s.OTHERS
) -> Exposure:
    """How much of each brand's volume comes from each market, per window.

    Parameters
    ----------
    figures : DataFrame
        Figures with ``units`` for brands in several markets, and/or an ``exposure``
        column: the fraction of the brand's own total that a source says comes from a
        market (e.g. ``datasets.load("htc_us_dependence_to_2012h1")``). A brand's
        worldwide figure (``WW``) beside its country figures in one window is its total:
        the countries' exposure is measured against it, the rest is in unlisted markets.
        Without a WW figure the listed markets are taken as the brand's whole volume.
        Market-size rows (brand NA), residuals (``Others``) and rows with neither units
        nor an exposure (a brand's share of a market) say nothing about the mix and are
        left out (counted in the summary). Not modified.
    brand : str, optional
        Only this brand.
    others : str, default "Others"
        Name of the residual rows, as in :func:`analysis.market_share`.

    Returns
    -------
    Exposure
        ``.frame()`` (one row per estimate: ``brand, start, end, market, metric, how``
        (``"units"`` or ``"given"``), ``units, brand_units, exposure, qualifier, source``),
        ``.dependence()``, ``.estimates()``, ``.summary()``, ``.plot()``.

    Raises
    ------
    DataError
        No units and no exposure column; negative or missing units, a brand twice in one
        market and window, overlapping windows for one brand (a quarter in one market
        against a year in another), mixed metrics, countries adding up to more than the
        brand's worldwide total, given exposures above 1 in sum.

    Examples
    --------
    A brand selling 40 of its 100 units in the US has US exposure 0.40.

    >>> import pandas as pd
    >>> from analysis import exposure
    >>> figures = pd.DataFrame({
    ...     "brand": "HTC", "market": ["US", "TW", "GB"],
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-12-31"),
    ...     "units": [40.0, 35.0, 25.0], "metric": "shipments"})
    >>> result = exposure(figures)
    >>> result.frame()[["market", "units", "exposure"]]
      market  units  exposure
    0     US   40.0      0.40
    1     TW   35.0      0.35
    2     GB   25.0      0.25
    >>> float(result.dependence()["dependence_hhi"].iloc[0])  # 1600 + 1225 + 625
    3450.0
    """
    check_columns(figures, [s.BRAND, s.MARKET, s.START, s.END, s.METRIC], what="the figures frame")
    if s.UNITS not in figures.columns and EXPOSURE not in figures.columns:
        raise DataError(
            "exposure needs units by market or an 'exposure' column (shares of the "
            "brand's total); the figures hold neither"
            + (" (they hold shares of markets)" if s.SHARE in figures.columns else ""),
            column=s.SHARE if s.SHARE in figures.columns else None,
            hint="convert shares of markets with analysis.shares_to_units(figures, "
            "market_size) first, or give each market's fraction of the brand's total",
        )
    selected = brand_rows(figures, brand, others)
    sub = figures[selected]
    has_units = (
        ~np.isnan(numbers(sub, s.UNITS)) if s.UNITS in sub.columns else np.zeros(len(sub), bool)
    )
    if s.UNITS in sub.columns and EXPOSURE not in sub.columns and s.SHARE not in sub.columns:
        has_units = np.ones(len(sub), dtype=bool)  # plain unit figures: missing is an error
    given = ~has_units & ~np.isnan(numbers(sub, EXPOSURE))
    kept = np.flatnonzero(selected)
    parts = []
    for rows, estimate in ((has_units, unit_estimates), (given, given_estimates)):
        if rows.any():
            try:
                parts.append(estimate(sub[rows]))
            except DataError as error:  # number its rows as in the figures given
                raise renumbered(error, kept[rows]) from None
    if not parts:
        raise DataError(
            "no row gives units or an exposure of a brand",
            hint="give units by market, or each market's fraction of the brand's total",
        )
    per_market = sort_estimates(pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0])
    return Exposure(
        per_market=per_market,
        per_brand=dependence(per_market),
        unused=int(len(sub) - has_units.sum() - given.sum()),
    )

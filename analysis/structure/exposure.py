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

import numpy as np
import pandas as pd

from analysis._format import range_label, window_label
from analysis._summary import Summary
from analysis._validation import check_columns
from analysis.structure import _share_engine as engine
from marketdata import schema as s
from marketdata.errors import DataError

__all__ = ["EXPOSURE", "Exposure", "exposure"]

EXPOSURE = "exposure"  # the market's fraction of the brand's volume
HOW = "how"  # "units" (computed from units) or "given" (a source's share of the total)
_TOL = 1e-9


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
        facts, notes = [], []
        table = self.estimates()
        table = table[table[s.MARKET] != s.WORLDWIDE]
        for (brand, market), rows in table.groupby([s.BRAND, s.MARKET], sort=True):
            if len(rows) < 2 and rows[HOW].eq("units").all() and len(table) > 10:
                continue  # a long table of plain unit mixes: the frame says it
            low, high = rows[EXPOSURE].min(), rows[EXPOSURE].max()
            by_metric = [
                f"{metric}: {range_label(g[EXPOSURE].min(), g[EXPOSURE].max(), kind='share')}"
                for metric, g in rows.groupby(s.METRIC, dropna=False, sort=True)
            ]
            text = range_label(low, high, kind="share") + f" ({len(rows)} estimate(s)"
            text += f"; {', '.join(by_metric)})" if rows[s.METRIC].nunique() > 1 else ")"
            facts.append((f"{brand} on {market}", text))
            company = rows[s.SOURCE].astype("string").str.startswith(str(brand)).fillna(False)
            if not company.any():
                notes.append(
                    f"{brand} published no split of its volume by market: every estimate of "
                    f"its dependence on {market} is a third party's (analysts, trackers), "
                    "and the range above is what they say, not a measurement."
                )
            if rows[s.METRIC].nunique() > 1:
                notes.append(
                    f"The estimates for {brand} on {market} measure different things "
                    f"({', '.join(sorted(map(str, rows[s.METRIC].dropna().unique())))}); "
                    "they are shown side by side, never averaged."
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
        return Summary(
            f"Exposure of {brands} brand(s) to their markets",
            facts=facts,
            tables=[("Estimates", estimates.drop(columns=[s.QUALIFIER]))],
            notes=notes,
            kinds={EXPOSURE: "share"},
        )

    def plot(self, ax=None, **kwargs):
        """The brand x market heat map: :func:`analysis.plots.plot_exposure`."""
        from analysis import plots  # matplotlib: imported only when drawing

        return plots.plot_exposure(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        return self.summary().as_text()

    def _repr_html_(self) -> str:
        return self.summary().as_html()


# ----------------------------------------------------------------------------- inputs
def _brand_rows(figures: pd.DataFrame, brand: str | None, others: str) -> pd.DataFrame:
    """The rows of brands (not market sizes, not residuals), of ``brand`` if given."""
    names = figures[s.BRAND].astype("string")
    keep = names.notna() & ~names.isin(list(s.RESIDUAL_BRANDS) + [others])
    if brand is not None:
        if not isinstance(brand, str):
            raise TypeError(f"brand must be a brand name, got {brand!r}")
        keep &= names == brand
        if not keep.any():
            raise ValueError(f"brand={brand!r} has no figures here")
    return figures[keep.to_numpy(dtype=bool, na_value=False)]


def _column(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column]).to_numpy(dtype="float64", na_value=np.nan)


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), pd.NA, dtype=object)
    return frame[column].astype("string").to_numpy(dtype=object, na_value=pd.NA)


# ----------------------------------------------------------------------------- from units
def _unit_estimates(sub: pd.DataFrame) -> pd.DataFrame:
    """Exposure from units by market; a brand's WW figure is its total when countries exist."""
    units = engine.as_values(sub, s.UNITS)
    start, end = engine.as_dates(sub, s.START), engine.as_dates(sub, s.END)
    market = sub[s.MARKET].astype("string")
    engine.fail(
        sub,
        market.isna().to_numpy(),
        s.MARKET,
        "market is missing",
        "give a market code for every figure",
    )
    windows = engine.group_windows(sub[s.BRAND].astype("string"), start, end)
    codes, n = windows.code, windows.n
    every = np.ones(len(sub), dtype=bool)
    m_code, m_names = engine.factorize(sub[s.METRIC].astype("string"))
    engine.check_uniform(
        sub,
        windows,
        m_code,
        every,
        s.METRIC,
        "metrics",
        "compare like with like: select one metric (shipments or sales)",
        names=m_names,
    )
    engine.check_overlaps(sub, windows, m_code[windows.row], who="brand")
    k_code, k_uniq = engine.factorize(market)
    engine.check_unique(sub, windows, k_code, max(len(k_uniq), 1), every)
    is_ww = (market == s.WORLDWIDE).to_numpy(dtype=bool)
    countries = np.bincount(codes[~is_ww], weights=units[~is_ww], minlength=n)
    has_countries = np.bincount(codes[~is_ww], minlength=n) > 0
    ww_total = np.full(n, np.nan)
    ww_total[codes[is_ww]] = units[is_ww]
    as_total = has_countries & ~np.isnan(ww_total)  # WW is the total, not a market
    total = np.where(as_total, ww_total, countries + np.nan_to_num(ww_total))
    tol = engine.window_tolerance(codes, units, np.flatnonzero(as_total), n)
    over = as_total & (countries > total + tol + _TOL * total)
    if over.any():
        g = int(np.flatnonzero(over)[0])
        engine.fail(
            sub,
            over[codes] & ~is_ww,
            s.UNITS,
            f"{windows.label(g)}: the brand's markets add up to {countries[g]:,.0f}, more "
            f"than its worldwide total {total[g]:,.0f}",
            "a market is counted twice, or the worldwide figure measures something else",
        )
    engine.fail(
        sub,
        total[codes] <= 0,
        s.UNITS,
        "a brand's units add up to zero in a window",
        "drop the window: exposure is undefined without volume",
    )
    rows = ~(is_ww & as_total[codes])
    share = units / total[codes]
    frame = pd.DataFrame(
        {
            s.BRAND: pd.array(windows.market[codes], dtype="string"),
            s.START: windows.start[codes],
            s.END: windows.end[codes],
            s.MARKET: market.to_numpy(dtype=object),
            s.METRIC: _text(sub, s.METRIC),
            HOW: "units",
            s.UNITS: units,
            "brand_units": total[codes],
            EXPOSURE: share,
            s.QUALIFIER: _text(sub, s.QUALIFIER),
            s.SOURCE: _sources(sub, as_total[codes], windows, is_ww),
        }
    )
    return frame[rows]


def _sources(sub, with_total, windows, is_ww) -> np.ndarray:
    """Each row's source; a row measured against the brand's WW total cites both."""
    source = _text(sub, s.SOURCE)
    if not (with_total & ~is_ww).any():
        return source
    ww_source = np.full(windows.n, "", dtype=object)
    ww_source[windows.code[is_ww]] = [str(x) for x in source[is_ww]]
    out = source.copy()
    rows = np.flatnonzero(with_total & ~is_ww)
    out[rows] = [f"{source[i]}; brand total: {ww_source[windows.code[i]]}" for i in rows]
    return out


# ----------------------------------------------------------------------------- given shares
def _given_estimates(sub: pd.DataFrame) -> pd.DataFrame:
    """Exposure as a source gave it: a market's fraction of the brand's total."""
    values = engine.as_values(sub, EXPOSURE)
    engine.fail(
        sub,
        values > 1,
        EXPOSURE,
        "an exposure is above 1",
        "exposures are fractions 0-1 of the brand's total",
    )
    start, end = engine.as_dates(sub, s.START), engine.as_dates(sub, s.END)
    frame = pd.DataFrame(
        {
            s.BRAND: sub[s.BRAND].astype("string").to_numpy(),
            s.START: start,
            s.END: end,
            s.MARKET: sub[s.MARKET].astype("string").to_numpy(dtype=object),
            s.METRIC: _text(sub, s.METRIC),
            HOW: "given",
            s.UNITS: np.nan,
            "brand_units": np.nan,
            EXPOSURE: values,
            s.QUALIFIER: _text(sub, s.QUALIFIER),
            s.SOURCE: _text(sub, s.SOURCE),
        }
    )
    key = [s.BRAND, s.START, s.END, s.METRIC]
    sums = frame.groupby(key, dropna=False, sort=False)[EXPOSURE].transform("sum").to_numpy()
    engine.fail(
        sub,
        sums > 1 + 1e-6,
        EXPOSURE,
        "the given exposures of one brand, window and metric add up to more than 1",
        "a market is counted twice (or the figures are shares of markets, not of the brand)",
    )
    return frame


# ----------------------------------------------------------------------------- dependence
def _dependence(per_market: pd.DataFrame) -> pd.DataFrame:
    """Per brand, window, metric and kind of estimate: the market mix in numbers."""
    key = [s.BRAND, s.START, s.END, s.METRIC, HOW]
    rows = per_market.assign(_sq=per_market[EXPOSURE] ** 2)
    grouped = rows.groupby(key, dropna=False, sort=False)
    first = grouped.head(1).index  # rows come sorted, largest exposure first
    out = rows.loc[first, key].reset_index(drop=True)
    out[s.UNITS] = grouped["brand_units"].first().to_numpy()
    out["markets"] = grouped.size().to_numpy()
    out["largest_market"] = rows.loc[first, s.MARKET].astype("string").to_numpy()
    out["largest_exposure"] = rows.loc[first, EXPOSURE].to_numpy()
    listed = grouped[EXPOSURE].sum().to_numpy()
    unlisted = np.clip(1.0 - listed, 0.0, None)
    unlisted[unlisted <= 1e-9] = 0.0
    out["unlisted_exposure"] = unlisted
    lower = 10_000.0 * grouped["_sq"].sum().to_numpy()
    out["dependence_hhi_lower"] = lower
    out["dependence_hhi_upper"] = lower + 10_000.0 * unlisted**2
    out["dependence_hhi"] = np.where(unlisted == 0, lower, np.nan)
    columns = [
        s.BRAND,
        s.START,
        s.END,
        s.METRIC,
        HOW,
        s.UNITS,
        "markets",
        "largest_market",
        "largest_exposure",
        "unlisted_exposure",
        "dependence_hhi",
        "dependence_hhi_lower",
        "dependence_hhi_upper",
    ]
    return out[columns]


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    # ties for the largest market go to the market code first in alphabetical order
    frame = frame.sort_values([s.MARKET], kind="stable")
    frame = frame.sort_values(
        [s.BRAND, s.START, s.END, HOW, s.METRIC, EXPOSURE],
        ascending=[True, True, True, False, True, False],
        kind="stable",
        na_position="first",
    )
    frame = frame.reset_index(drop=True)
    for column in (s.BRAND, s.MARKET, s.METRIC, s.QUALIFIER, s.SOURCE):
        frame[column] = frame[column].astype("string")
    return frame


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
    sub = _brand_rows(figures, brand, others)
    has_units = (
        ~np.isnan(_column(sub, s.UNITS)) if s.UNITS in sub.columns else np.zeros(len(sub), bool)
    )
    if s.UNITS in sub.columns and EXPOSURE not in sub.columns and s.SHARE not in sub.columns:
        has_units = np.ones(len(sub), dtype=bool)  # plain unit figures: missing is an error
    given = ~has_units & ~np.isnan(_column(sub, EXPOSURE))
    parts = []
    if has_units.any():
        parts.append(_unit_estimates(sub[has_units]))
    if given.any():
        parts.append(_given_estimates(sub[given]))
    if not parts:
        raise DataError(
            "no row gives units or an exposure of a brand",
            hint="give units by market, or each market's fraction of the brand's total",
        )
    per_market = _sorted(pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0])
    return Exposure(
        per_market=per_market,
        per_brand=_dependence(per_market),
        unused=int(len(sub) - has_units.sum() - given.sum()),
    )

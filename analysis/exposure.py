"""Exposure: how much of each brand's volume comes from each market, and its dependence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import _windows as w
from marketdata import schema as s
from marketdata.errors import DataError

EXPOSURE = "exposure"


@dataclass(frozen=True, repr=False)
class Exposure:
    """Each brand's market mix: per market (``.frame()``) and per brand (``.summary()``).

    Attributes
    ----------
    per_market : DataFrame
        ``brand, start, end, market, units, exposure`` (exposure = the market's fraction
        of the brand's units in that window), and ``source`` when the figures have one.
    per_brand : DataFrame
        ``brand, start, end, units, markets, largest_market, largest_exposure,
        dependence_hhi``: the brand's total, how many markets, its largest market and that
        market's fraction, and the HHI of its market mix on the 0-10,000 scale (10,000 =
        all its volume in one market).
    """

    per_market: pd.DataFrame
    per_brand: pd.DataFrame

    def frame(self) -> pd.DataFrame:
        """Per brand and market: ``brand, start, end, market, units, exposure``."""
        return self.per_market.copy()

    def summary(self) -> pd.DataFrame:
        """Per brand: total, largest market, its exposure and the dependence index."""
        return self.per_brand.copy()

    def __repr__(self) -> str:
        lines = [f"Exposure of {self.per_brand[s.BRAND].nunique()} brand(s)"]
        for row in self.per_brand.head(10).itertuples(index=False):
            lines.append(
                f"  {row.brand} {w.window_label(row.start, row.end)}: "
                f"{row.largest_exposure:.0%} from {row.largest_market} "
                f"(dependence HHI {row.dependence_hhi:,.0f}, {row.markets} market(s))"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.per_brand.to_html(index=False)


def exposure(figures: pd.DataFrame, *, others: str = s.OTHERS) -> Exposure:
    """How much of each brand's volume comes from each market, per window.

    Parameters
    ----------
    figures : DataFrame
        A figures frame with ``units`` for brands in several markets. Market-size rows
        (brand NA) and residuals (``Others``/``Unknown``) are not brands and are left out.
        Not modified.
    others : str, default "Others"
        Name of the residual rows, as in :func:`analysis.market_share`.

    Returns
    -------
    Exposure
        ``.frame()``: ``brand, start, end, market, units, exposure``, sorted by brand,
        window, exposure (largest first). ``.summary()``: ``brand, start, end, units,
        markets, largest_market, largest_exposure, dependence_hhi``. Ties for the largest
        market go to the market code first in alphabetical order.

    Raises
    ------
    DataError
        Share data (no units), negative or missing units, a brand twice in one market and
        window, overlapping windows for one brand (a quarter in one market against a year
        in another), mixed metrics, or the worldwide total ``WW`` together with country
        markets in one window (WW already contains them).

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
    >>> float(result.summary()["dependence_hhi"].iloc[0])  # 1600 + 1225 + 625
    3450.0
    """
    value = w.check_frame(figures)
    if value != s.UNITS:
        raise DataError(
            "exposure needs units, the figures hold shares",
            column=s.SHARE,
            hint="convert with analysis.shares_to_units(shares, market_size) first",
        )
    brand = figures[s.BRAND].astype("string")
    is_brand = (brand.notna() & ~brand.isin(list(s.RESIDUAL_BRANDS) + [others])).to_numpy(
        dtype=bool, na_value=False
    )
    sub = figures[is_brand]
    units = w.as_values(sub, s.UNITS)
    w.fail(
        sub,
        sub[s.MARKET].isna().to_numpy(),
        s.MARKET,
        "market is missing",
        "give a market code for every figure",
    )
    start = w.as_dates(sub, s.START)
    end = w.as_dates(sub, s.END)
    brand = sub[s.BRAND].astype("string")
    market = sub[s.MARKET].astype("string")
    metric = sub[s.METRIC].astype("string")
    # windows per brand: reuse the market grouping with the brand in the market's place
    windows = w.group_windows(brand, start, end)
    codes, G = windows.code, windows.n
    rows = np.ones(len(sub), dtype=bool)
    m_code, _ = w.factorize(metric)
    w.check_uniform(
        sub,
        windows,
        m_code,
        rows,
        s.METRIC,
        "metrics",
        "compare like with like: select one metric (shipments or sales)",
    )
    w.check_overlaps(sub, windows, m_code[windows.row], who="brand")
    k_code, k_uniq = w.factorize(market)
    w.check_unique(sub, windows, k_code, max(len(k_uniq), 1), rows)
    is_ww = (market == s.WORLDWIDE).to_numpy(dtype=bool)
    if is_ww.any():
        ww_windows = np.zeros(G, dtype=bool)
        ww_windows[codes[is_ww]] = True
        countries = np.bincount(codes[~is_ww], minlength=G) > 0
        both = ww_windows & countries
        w.fail(
            sub,
            both[codes],
            s.MARKET,
            "a brand's worldwide figure (WW) sits beside its country figures in one "
            "window, and WW already contains them",
            "compute exposure over countries only (drop WW), or over regions that do not overlap",
        )

    total = np.bincount(codes, weights=units, minlength=G)
    w.fail(
        sub,
        (total[codes] <= 0),
        s.UNITS,
        "a brand's units add up to zero in a window",
        "drop the window: exposure is undefined without volume",
    )
    share = units / total[codes]
    order = w.order_within(codes, -share, G)
    g = codes[order]
    per_market = pd.DataFrame(
        {
            s.BRAND: pd.array(windows.market[g], dtype="string"),
            s.START: windows.start[g],
            s.END: windows.end[g],
            s.MARKET: market.to_numpy(dtype=object)[order],
            s.UNITS: units[order],
            EXPOSURE: share[order],
        }
    )
    per_market[s.MARKET] = per_market[s.MARKET].astype("string")
    if s.SOURCE in sub.columns:
        per_market[s.SOURCE] = sub[s.SOURCE].astype("string").iloc[order].to_numpy()
    # ties for the largest market: alphabetical (order_within keeps input order on ties,
    # so re-sort the leaders by market code)
    first = np.concatenate(([0], np.cumsum(np.bincount(g, minlength=G))[:-1]))
    lead = per_market.iloc[first]
    best = share[order][first]
    tied_lead = per_market.assign(_g=g, _best=best[g])
    tied_lead = tied_lead[tied_lead[EXPOSURE] == tied_lead["_best"]]
    largest = tied_lead.sort_values(["_g", s.MARKET]).drop_duplicates("_g")
    per_brand = pd.DataFrame(
        {
            s.BRAND: lead[s.BRAND].to_numpy(),
            s.START: lead[s.START].to_numpy(),
            s.END: lead[s.END].to_numpy(),
            s.UNITS: total,
            "markets": np.bincount(codes, minlength=G),
            "largest_market": largest[s.MARKET].to_numpy(),
            "largest_exposure": best,
            "dependence_hhi": 10_000.0 * np.bincount(codes, weights=share**2, minlength=G),
        }
    )
    per_brand[s.BRAND] = per_brand[s.BRAND].astype("string")
    per_brand["largest_market"] = per_brand["largest_market"].astype("string")
    return Exposure(per_market=per_market, per_brand=per_brand)


__all__ = ["Exposure", "exposure"]

"""The steps of :func:`analysis.exposure`: estimates of a brand's market mix.

From units by market (a brand's WW figure beside its countries is its total, the rest is
in unlisted markets) and from shares of the brand's total as a source gave them; then the
mix per brand and window in numbers (largest market, unlisted part, HHI with bounds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.structure import _share_engine as engine
from marketdata import schema as s
from marketdata.validate import check_rows

__all__ = [
    "EXPOSURE",
    "HOW",
    "brand_rows",
    "dependence",
    "given_estimates",
    "numbers",
    "sort_estimates",
    "unit_estimates",
]

EXPOSURE = "exposure"  # the market's fraction of the brand's volume
HOW = "how"  # "units" (computed from units) or "given" (a source's share of the total)
_TOL = 1e-9


# ----------------------------------------------------------------------------- inputs
def brand_rows(figures: pd.DataFrame, brand: str | None, others: str) -> np.ndarray:
    """Which rows are brands (not market sizes, not residuals), of ``brand`` if given."""
    names = figures[s.BRAND].astype("string")
    keep = names.notna() & ~names.isin([*s.RESIDUAL_BRANDS, others, s.TOTAL])
    if brand is not None:
        if not isinstance(brand, str):
            raise TypeError(f"brand must be a brand name, got {brand!r}")
        keep &= names == brand
        if not keep.any():
            raise ValueError(f"brand={brand!r} has no figures here")
    return keep.to_numpy(dtype=bool, na_value=False)


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column]).to_numpy(dtype="float64", na_value=np.nan)


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), pd.NA, dtype=object)
    return frame[column].astype("string").to_numpy(dtype=object, na_value=pd.NA)


# ----------------------------------------------------------------------------- from units
def unit_estimates(sub: pd.DataFrame) -> pd.DataFrame:
    """Exposure from units by market; a brand's WW figure is its total when countries exist."""
    checked = check_rows(sub, values=(s.UNITS,))
    units = checked[s.UNITS].to_numpy()
    start = checked[s.START].to_numpy(dtype="datetime64[ns]")
    end = checked[s.END].to_numpy(dtype="datetime64[ns]")
    market = sub[s.MARKET].astype("string")
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
def given_estimates(sub: pd.DataFrame) -> pd.DataFrame:
    """Exposure as a source gave it: a market's fraction of the brand's total."""
    checked = check_rows(sub, values=(EXPOSURE,))
    values = checked[EXPOSURE].to_numpy()
    engine.fail(
        sub,
        values > 1,
        EXPOSURE,
        "an exposure is above 1",
        "exposures are fractions 0-1 of the brand's total",
    )
    start = checked[s.START].to_numpy(dtype="datetime64[ns]")
    end = checked[s.END].to_numpy(dtype="datetime64[ns]")
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
def dependence(per_market: pd.DataFrame) -> pd.DataFrame:
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


def sort_estimates(frame: pd.DataFrame) -> pd.DataFrame:
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

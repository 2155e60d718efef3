"""Load the packaged datasets (real public figures, see SOURCES.md) as figures frames."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import pandas as pd

from marketdata import schema as s
from marketdata.datasets import known_2012
from marketdata.errors import DataError
from marketdata.names import brand_name, market_code
from marketdata.read import read
from marketdata.validate import validate

__all__ = ["NAME_AS_REPORTED", "load", "names", "raw_file"]

NAME_AS_REPORTED = "name_as_reported"  # the vendor's name as the source spelled it, where changed

_FILES = {
    "xiaomi_2011_2012": "xiaomi_2011_2012.csv",
    "worldwide_quarterly_shipments_by_vendor": "worldwide_quarterly_shipments_by_vendor.csv",
    "worldwide_annual_shipments_by_vendor": "worldwide_annual_shipments_by_vendor.csv",
    "taiwan_vendor_share": "taiwan_vendor_share.csv",
    "country_market_size": "country_market_size.csv",
    "statcounter_vendor_ww_monthly": "raw/statcounter-vendor-ww-monthly-201003-202405.csv",
}
STATCOUNTER_SOURCE = (
    "StatCounter Global Stats, mobile vendor market share, worldwide, monthly "
    "(CC BY-SA 3.0): https://gs.statcounter.com/vendor-market-share/mobile/worldwide/"
    "#monthly-201003-202405"
)


def names() -> list[str]:
    """Names of the packaged figures datasets.

    The known-2012 files (facts of several kinds, :mod:`marketdata.datasets.known_2012`)
    load by name too: ``datasets.load("htc_us_dependence_to_2012h1")``; their names are
    ``known_2012.NAMES``.

    Examples
    --------
    >>> from marketdata import datasets
    >>> datasets.names()[:2]
    ['country_market_size', 'statcounter_vendor_ww_monthly']
    """
    return sorted(_FILES)


def raw_file(name: str) -> Path:
    """The path of one of the raw exports shipped byte for byte in ``datasets/raw/``.

    Examples
    --------
    >>> from marketdata import datasets
    >>> datasets.raw_file("statcounter-vendor-ww-monthly-201003-202405.csv").suffix
    '.csv'
    """
    folder = Path(str(resources.files("marketdata.datasets").joinpath("raw")))
    shipped = sorted(p.name for p in folder.iterdir() if p.is_file())
    if name not in shipped:
        raise ValueError(f"unknown raw export {name!r}; choose one of {shipped}")
    return folder / name


@functools.cache
def _raw(name: str) -> pd.DataFrame:
    text = resources.files("marketdata.datasets").joinpath(_FILES[name])
    with text.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])


def _period_bounds(periods: pd.Series, freq: str) -> tuple[pd.Series, pd.Series]:
    index = pd.PeriodIndex(periods.astype(str), freq=freq)
    return (
        pd.Series(index.start_time.normalize(), index=periods.index),
        pd.Series(index.end_time.normalize(), index=periods.index),
    )


def _bounds_by_type(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    freq_of = {"year": "Y", "quarter": "Q", "month": "M"}
    start = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    end = start.copy()
    for kind, freq in freq_of.items():
        rows = raw["period_type"] == kind
        if rows.any():
            start[rows], end[rows] = _period_bounds(raw.loc[rows, "period"], freq)
    return start, end


def _named(frame: pd.DataFrame, reported: pd.Series) -> pd.DataFrame:
    """Canonical brand names; the source's spelling kept where it differs."""
    canonical = brand_name(reported.astype("string"))
    out = frame.copy()
    out[s.BRAND] = canonical
    changed = reported.notna() & (reported.astype("string") != canonical.astype("string"))
    out[NAME_AS_REPORTED] = reported.astype("string").where(changed.astype(bool), pd.NA)
    return out


def _xiaomi(raw: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            s.BRAND: raw["brand"],
            s.MARKET: market_code(raw["market"]),
            s.START: pd.to_datetime(raw["start"]),
            s.END: pd.to_datetime(raw["end"]),
            s.UNITS: raw["units"].astype(float),
            s.BASIS: raw["basis"],
            s.STATUS: raw["status"],
            s.METRIC: raw["brand"].isna().map({True: s.DEMAND, False: s.SHIPMENTS}),
            s.SOURCE: raw["source"],
            s.QUALIFIER: raw["qualifier"],
            s.TEXT: raw["text"],
            "confidence": raw["confidence"],
            s.NOTE: raw["note"],
        }
    )
    return _named(frame, raw["brand"])


def _worldwide(raw: pd.DataFrame, freq: str, period_column: str) -> pd.DataFrame:
    start, end = _period_bounds(raw[period_column], freq)
    frame = pd.DataFrame(
        {
            s.BRAND: raw["vendor"],
            s.MARKET: s.WORLDWIDE,
            s.START: start,
            s.END: end,
            s.UNITS: raw["units"].astype(float),
            s.BASIS: s.PERIOD,
            s.STATUS: s.ACTUAL,
            s.METRIC: s.SHIPMENTS,
            s.SOURCE: raw["source"],
            s.NOTE: raw["note"],
        }
    )
    return _named(frame, raw["vendor"])


def _taiwan_share(raw: pd.DataFrame) -> pd.DataFrame:
    start, end = _bounds_by_type(raw)
    retail = raw["basis"].str.startswith("retail")
    frame = pd.DataFrame(
        {
            s.BRAND: raw["vendor"],
            s.MARKET: market_code(raw["market"]),
            s.START: start,
            s.END: end,
            s.SHARE: raw["share"].astype(float),
            s.BASIS: s.PERIOD,
            s.STATUS: s.ACTUAL,
            s.METRIC: retail.map({True: s.SALES, False: s.SHIPMENTS}),
            s.SOURCE: raw["data_provider"] + ": " + raw["source_url"],
            "measure": raw["basis"],
            s.NOTE: raw["note"],
        }
    )
    return _named(frame, raw["vendor"])


def _market_size(raw: pd.DataFrame) -> pd.DataFrame:
    start, end = _bounds_by_type(raw)
    measure = raw["measure"]
    return pd.DataFrame(
        {
            s.BRAND: pd.NA,
            s.MARKET: market_code(raw["market"]),
            s.START: start,
            s.END: end,
            s.UNITS: raw["units"].astype(float),
            s.BASIS: s.PERIOD,
            s.STATUS: measure.str.contains("preliminary").map({True: s.ESTIMATE, False: s.ACTUAL}),
            s.METRIC: measure.str.startswith("shipments").map({True: s.SHIPMENTS, False: s.SALES}),
            s.SOURCE: raw["data_provider"] + ": " + raw["source_url"],
            s.QUALIFIER: raw["qualifier"],
            "measure": measure,
            s.NOTE: raw["note"],
        }
    )


@functools.cache
def _statcounter(name: str) -> pd.DataFrame:
    """The raw export read by :func:`marketdata.read` itself: its all-zero ``2010-03`` row
    (a placeholder) is the only thing left out."""
    path = resources.files("marketdata.datasets").joinpath(_FILES[name])
    with resources.as_file(path) as file:
        loaded = read(
            file,
            value=s.SHARE,
            percent=True,
            market=s.WORLDWIDE,
            metric=s.USAGE,
            source=STATCOUNTER_SOURCE,
            errors="collect",
        )
    placeholder = loaded.rejected["reason"].str.startswith("every figure of this window is zero")
    if not placeholder.all():  # a broken package, not bad user data
        raise DataError(f"the packaged {name} no longer reads cleanly: {loaded.rejected}")
    return loaded.figures


_BUILDERS = {
    "xiaomi_2011_2012": _xiaomi,
    "worldwide_quarterly_shipments_by_vendor": lambda raw: _worldwide(raw, "Q", "period"),
    "worldwide_annual_shipments_by_vendor": lambda raw: _worldwide(raw, "Y", "year"),
    "taiwan_vendor_share": _taiwan_share,
    "country_market_size": _market_size,
}


def load(name: str) -> pd.DataFrame:
    """Load a packaged dataset as a validated figures frame.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    DataFrame
        A new figures frame (a copy: edit it freely); every row carries its ``source``.
        Brands and markets are canonical (:func:`marketdata.brand_name`,
        :func:`marketdata.market_code`), so "Oppo" and "OPPO" are one brand; where the
        source spelled a vendor otherwise, ``name_as_reported`` keeps its spelling.

    Examples
    --------
    >>> from marketdata import datasets
    >>> xiaomi = datasets.load("xiaomi_2011_2012")
    >>> xiaomi[["end", "units", "qualifier"]].head(2)
             end      units qualifier
    0 2011-12-31   300000.0      over
    1 2012-06-12  3000000.0      over
    >>> tw = datasets.load("taiwan_vendor_share")
    >>> tw.loc[tw["name_as_reported"] == "Oppo", "brand"].unique().tolist()
    ['OPPO']
    >>> usage = datasets.load("statcounter_vendor_ww_monthly")  # web usage, not units sold
    >>> usage.loc[usage["end"] == "2024-05-31"].nlargest(2, "share")[["brand", "share"]]
            brand   share
    11831   Apple  0.2742
    11830 Samsung  0.2418
    """
    if name in known_2012.NAMES:
        return known_2012.load(name)
    if name not in _FILES:
        raise ValueError(
            f"unknown dataset {name!r}; choose one of {names() + list(known_2012.NAMES)}"
        )
    if name == "statcounter_vendor_ww_monthly":
        return _statcounter(name).copy()
    return validate(_BUILDERS[name](_raw(name)))

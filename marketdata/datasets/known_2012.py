"""The known-2012 files: what an analyst could know in mid-2012 about HTC and Taiwan.

Each file holds one row per published figure of several kinds (a vendor's share of a
market, units, a market size, the share of a company's total that comes from one market),
so a loaded frame is a frame of *facts* in the figures layout rather than one computation's
input: select the rows of one ``quantity`` (and ``measure``) before computing. Every row
keeps its ``source``, ``source_url``, ``source_title``, ``published``, ``evidence`` (the
quoted sentence) and ``confidence``.

Columns
-------
brand, market, start, end
    As in every figures frame; ``brand`` is NA for whole-market rows (``Total``,
    ``Smartphones``, ``Feature phones``, ``Top 5 combined``: the source's word is kept in
    ``name_as_reported``), ``market`` a code (US, TW, CN, WW). comScore's 3-month averages
    cover the three months ending with the month named.
units, share, exposure
    The value, in the column its kind belongs to: units; a share of a market (fraction);
    ``exposure``, the share of the company's own total that comes from that market
    (``*_share_of_company``: geographic dependence). The other two are NaN.
metric
    ``shipments``, ``sales``, ``installed_base``, ``revenue``, or NA when the source does
    not say what was measured (``market_share``, ``smartphone_share_of_phones``).
quantity, measure
    The file's own ``metric`` and ``basis`` (what exactly the number counts).
value_upper, qualifier
    The top of a range (``qualifier="range"``), and ``approx``/``under`` as the source
    qualified the figure.
"""

from __future__ import annotations

import functools
import warnings
from importlib import resources

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import UnknownNameWarning
from marketdata.names import brand_name, market_code

__all__ = ["EXPOSURE", "NAMES", "QUANTITY", "load"]

EXPOSURE = "exposure"  # fraction of a company's total coming from one market
QUANTITY = "quantity"
MEASURE = "measure"
NAME_AS_REPORTED = "name_as_reported"

NAMES = (
    "htc_us_dependence_to_2012h1",
    "htc_worldwide_shipments_to_2012h1",
    "taiwan_market_size_to_2012",
    "taiwan_vendor_share_2012",
    "us_vendor_share_comscore_to_2012h1",
)

# whole-market rows: the market (or a segment of it) rather than a vendor
_MARKET_ROWS = ("Total", "Smartphones", "Feature phones", "Top 5 combined")

_METRIC = {
    "shipments": s.SHIPMENTS,
    "shipment_share": s.SHIPMENTS,
    "shipment_share_of_company": s.SHIPMENTS,
    "sales": s.SALES,
    "sales_share": s.SALES,
    "installed_base_share": "installed_base",
    "revenue_share_of_company": "revenue",
}


@functools.cache
def _raw(name: str) -> pd.DataFrame:
    path = resources.files("marketdata.datasets").joinpath("known_2012", f"{name}.csv")
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])


def _bounds(period: pd.Series, kind: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """First and last day of each period (year, quarter, month, 3 months ending a month)."""
    start = np.full(len(period), np.datetime64("NaT"), dtype="datetime64[ns]")
    end = start.copy()
    freqs = {"year": ("Y", 0), "quarter": ("Q", 0), "month": ("M", 0)}
    freqs["3-month average ending month"] = ("M", 2)
    for what, (freq, back) in freqs.items():
        rows = (kind == what).to_numpy()
        if rows.any():
            index = pd.PeriodIndex(period[rows], freq=freq)
            start[rows] = (index - back).start_time.normalize().to_numpy()
            end[rows] = index.end_time.normalize().to_numpy()
    unknown = pd.isna(end)
    if unknown.any():
        raise ValueError(f"known_2012: unknown period_type {kind[unknown].iloc[0]!r}")
    return start, end


def _brands(reported: pd.Series) -> pd.Series:
    """Canonical vendor names; NA for whole-market rows; other names kept as written."""
    market_row = reported.isin(_MARKET_ROWS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownNameWarning)  # sub-brands are kept as written
        names = brand_name(reported.astype("string"))
    return names.mask(market_row.to_numpy(), pd.NA).astype("string")


def _values(raw: pd.DataFrame) -> dict[str, np.ndarray]:
    value = raw["value"].astype(float).to_numpy()
    quantity = raw["metric"]
    is_units = (raw["unit"] == "units").to_numpy()
    is_exposure = quantity.str.endswith("_share_of_company").to_numpy()
    is_share = ~is_units & ~is_exposure
    return {
        s.UNITS: np.where(is_units, value, np.nan),
        s.SHARE: np.where(is_share, value, np.nan),
        EXPOSURE: np.where(is_exposure, value, np.nan),
    }


def _metrics(raw: pd.DataFrame) -> pd.Series:
    """The schema metric of each row: from the file's metric, else from what it counts."""
    metric = raw["metric"].map(_METRIC)
    said = raw["metric"].isin(["share", "market_units"])  # the basis says what was counted
    basis = raw["basis"].str.casefold()
    metric[said & basis.str.contains("sales")] = s.SALES
    metric[said & basis.str.contains("shipments|sell-in")] = s.SHIPMENTS
    return metric.astype("string")


def _frame(raw: pd.DataFrame) -> pd.DataFrame:
    start, end = _bounds(raw["period"], raw["period_type"])
    brand = _brands(raw["brand"])
    estimate = raw["basis"].str.contains("estimate", case=False) | raw[
        "data_provider"
    ].str.contains("estimate|analyst", case=False)
    title = raw["source_title"].fillna("")
    frame = pd.DataFrame(
        {
            s.BRAND: brand,
            s.MARKET: market_code(raw["market"]).astype("string"),
            s.START: start,
            s.END: end,
            **_values(raw),
            s.BASIS: pd.Categorical([s.PERIOD] * len(raw), categories=list(s.BASES)),
            s.STATUS: pd.Categorical(
                np.where(estimate.to_numpy(), s.ESTIMATE, s.ACTUAL), categories=list(s.STATUSES)
            ),
            s.METRIC: _metrics(raw),
            s.SOURCE: (raw["data_provider"] + ": " + title).astype("string"),
            QUANTITY: raw["metric"].astype("string"),
            MEASURE: raw["basis"].astype("string"),
            "value_upper": raw["value_upper"].astype(float),
            s.QUALIFIER: raw["qualifier"].astype("string"),
            "source_url": raw["source_url"].astype("string"),
            "source_title": raw["source_title"].astype("string"),
            "published": raw["published"].astype("string"),
            "evidence": raw["evidence"].astype("string"),
            "confidence": raw["confidence"].astype("string"),
            s.NOTE: raw["note"].astype("string"),
        }
    )
    changed = raw["brand"].astype("string") != brand
    frame[NAME_AS_REPORTED] = (
        raw["brand"].astype("string").where(changed.fillna(True).to_numpy(), pd.NA)
    )
    return frame


def load(name: str) -> pd.DataFrame:
    """Load one known-2012 file as a frame of facts (see the module notes).

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.

    Returns
    -------
    DataFrame
        A new frame, one row per published figure, every row with its source.

    Examples
    --------
    HTC's US dependence in 2011Q3 as Canalys gave it (about 43% of its volume):

    >>> from marketdata import datasets
    >>> dep = datasets.load("htc_us_dependence_to_2012h1")
    >>> given = dep[(dep["quantity"] == "shipment_share_of_company") & (dep["market"] == "US")]
    >>> given[["end", "exposure", "qualifier", "confidence"]]
              end  exposure qualifier confidence
    19 2011-12-31      0.40    approx     medium
    20 2011-09-30      0.43    approx       high
    >>> bool(given["source_url"].str.startswith("http").all())
    True
    """
    if name not in NAMES:
        raise ValueError(f"unknown known-2012 dataset {name!r}; choose one of {list(NAMES)}")
    return _frame(_raw(name))

"""What an analyst could know in mid-2012, from the packaged ``known_2012`` files.

The founding case's Taiwan market (2012 retail-channel shares and smartphone sales) and
HTC's dependence on the American market, as figures frames carrying their sources
(outlet, title and URL). Rows are picked by their keys; every figure quoted in the report
is a row of these files.

Examples
--------
>>> market = taiwan_2012()
>>> market[["brand", "share"]].dropna().to_records(index=False).tolist()
[('Samsung', 0.358), ('HTC', 0.281), ('Apple', 0.107)]
>>> float(market.loc[market["brand"].isna(), "units"].iloc[0])
5650000.0
>>> [(d.label, d.value) for d in htc_us_dependence()][:2]
[("US share of HTC's 2011 revenue", 0.5), ("US share of HTC's 2011 smartphone shipments", 0.4)]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from marketdata import schema as s
from marketdata.periods import parse_period

__all__ = [
    "Dependence",
    "htc_us_dependence",
    "source_of",
    "taiwan_2012",
    "taiwan_size_2012_all_phones",
]

_FOLDER = "known_2012"
YEAR_2012 = (pd.Timestamp("2012-01-01"), pd.Timestamp("2012-12-31"))


@functools.cache
def _file(name: str) -> pd.DataFrame:
    path = resources.files("marketdata.datasets").joinpath(_FOLDER, f"{name}.csv")
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])


def source_of(row: pd.Series) -> str:
    """``provider, outlet, published (URL)``: who measured it and where a reader can check.

    The outlet is the part of the page title before its colon (titles in Chinese are
    left out: the report's fonts have no CJK glyphs, and the address names the page).

    Examples
    --------
    >>> source_of(pd.Series({"data_provider": "IDC", "source_title": "CTimes: A page",
    ...                      "published": "2011-06-22", "source_url": "https://x.org/p"}))
    'IDC, CTimes, 2011-06-22 (https://x.org/p)'
    """
    text = str(row["data_provider"])
    outlet = str(row.get("source_title") or "").split(":", 1)[0].strip()
    if outlet and outlet.isascii() and outlet.casefold() not in text.casefold():
        text += f", {outlet}"
    if pd.notna(row.get("published")):
        text += f", {row['published']}"
    if pd.notna(row.get("source_url")):
        text += f" ({row['source_url']})"
    return text


def _pick(frame: pd.DataFrame, **keys: str) -> pd.DataFrame:
    rows = frame
    for column, value in keys.items():
        rows = rows[rows[column] == value]
    if rows.empty:  # pragma: no cover - the packaged files are fixed
        raise LookupError(f"no row with {keys} in the known-2012 files")
    return rows


def _figures(rows: pd.DataFrame, *, value: str, metric: str, window=None) -> pd.DataFrame:
    """Figures-frame rows (units or share) for picked rows; brand NA for a market size."""
    bounds = [window or parse_period(p) for p in rows["period"]]
    brand = rows["brand"].where(~rows["brand"].isin(["Smartphones", "Total"]), None)
    frame = pd.DataFrame(
        {
            s.BRAND: pd.array(brand.tolist(), dtype="string"),
            s.MARKET: pd.array(["TW"] * len(rows), dtype="string"),
            s.START: pd.to_datetime([b[0] for b in bounds]),
            s.END: pd.to_datetime([b[1] for b in bounds]),
            s.UNITS: rows["value"].astype(float).to_numpy() if value == s.UNITS else float("nan"),
            s.SHARE: rows["value"].astype(float).to_numpy() if value == s.SHARE else float("nan"),
            s.BASIS: s.PERIOD,
            s.STATUS: s.ACTUAL,
            s.METRIC: metric,
            s.SOURCE: pd.array([source_of(r) for _, r in rows.iterrows()], dtype="string"),
        }
    )
    return frame


def taiwan_2012() -> pd.DataFrame:
    """Taiwan's 2012 smartphone market: 2012Q2 retail shares and 2012 retail sales.

    Samsung 35.8%, HTC 28.1% and Apple 10.7% of smartphones sold through Taiwan's retail
    channels in 2012Q2 (Economic Daily News via CNA), taken for the year 2012, and the
    5.65M smartphones sold at retail in 2012 (a retail panel via CNA) as the market size.
    """
    shares = _pick(_file("taiwan_vendor_share_2012"), period="2012Q2")
    shares = shares.sort_values("value", key=lambda v: -v.astype(float), kind="stable")
    size = _pick(_file("taiwan_market_size_to_2012"), period="2012", metric="market_units")
    return pd.concat(
        [
            _figures(shares, value=s.SHARE, metric=s.SALES, window=YEAR_2012),
            _figures(size, value=s.UNITS, metric=s.SALES),
        ],
        ignore_index=True,
    )


def taiwan_size_2012_all_phones() -> float:
    """The news report's "over seven million" phones a year (all phones, not smartphones)."""
    return 7_000_000.0


@dataclass(frozen=True)
class Dependence:
    """One published figure of HTC's dependence on the US: a share of HTC's own total."""

    label: str
    value: float
    qualifier: str
    source: str
    evidence: str


def htc_us_dependence() -> tuple[Dependence, ...]:
    """HTC's dependence on the US as published by mid-2012 (HTC gave no regional split).

    Analysts (via the Wall Street Journal): about 50% of 2011 revenue and about 40% of
    2011 smartphone shipments; Canalys: 5.77M of HTC's 13.2M 2011Q3 smartphones (about
    43%) shipped in the US.
    """
    frame = _file("htc_us_dependence_to_2012h1")
    picks = (
        ("US share of HTC's 2011 revenue", "2011", "revenue_share_of_company"),
        ("US share of HTC's 2011 smartphone shipments", "2011", "shipment_share_of_company"),
        ("US share of HTC's 2011Q3 smartphone shipments", "2011Q3", "shipment_share_of_company"),
        ("HTC's share of US smartphone shipments, 2011Q3", "2011Q3", "shipment_share"),
    )
    out = []
    for label, period, metric in picks:
        row = _pick(frame, period=period, metric=metric, brand="HTC", market="United States")
        if metric == "shipment_share":
            row = row[row["data_provider"].str.startswith("Canalys")]
        row = row.iloc[0]
        out.append(
            Dependence(
                label=label,
                value=float(row["value"]),
                qualifier="" if pd.isna(row["qualifier"]) else str(row["qualifier"]),
                source=source_of(row),
                evidence=str(row["evidence"]),
            )
        )
    return tuple(out)

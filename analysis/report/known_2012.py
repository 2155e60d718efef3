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

from dataclasses import dataclass

import pandas as pd

from analysis import exposure
from marketdata import datasets
from marketdata import schema as s

__all__ = [
    "Dependence",
    "htc_us_dependence",
    "source_of",
    "taiwan_2012",
    "taiwan_size_2012_all_phones",
]

YEAR_2012 = (pd.Timestamp("2012-01-01"), pd.Timestamp("2012-12-31"))
Q2_2012 = (pd.Timestamp("2012-04-01"), pd.Timestamp("2012-06-30"))


def source_of(row: pd.Series) -> str:
    """``provider, outlet, published (URL)``: who measured it and where a reader can check.

    The packaged source is ``provider: page title``; the outlet is the title's part before
    its colon (titles in Chinese are left out: the report's fonts have no CJK glyphs, and
    the address names the page).

    Examples
    --------
    >>> source_of(pd.Series({"source": "IDC: CTimes: A page", "published": "2011-06-22",
    ...                      "source_url": "https://x.org/p"}))
    'IDC, CTimes, 2011-06-22 (https://x.org/p)'
    """
    provider, _, title = str(row[s.SOURCE]).partition(": ")
    text = provider
    outlet = title.split(":", 1)[0].strip()
    if outlet and outlet.isascii() and outlet.casefold() not in text.casefold():
        text += f", {outlet}"
    if pd.notna(row.get("published")):
        text += f", {row['published']}"
    if pd.notna(row.get("source_url")):
        text += f" ({row['source_url']})"
    return text


def _cited(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with ``source`` as :func:`source_of` gives it (outlet and address)."""
    cited = [source_of(r) for _, r in rows.iterrows()]
    return rows.assign(**{s.SOURCE: pd.array(cited, dtype="string")})


def _window(frame: pd.DataFrame, window) -> pd.DataFrame:
    return frame[(frame[s.START] == window[0]) & (frame[s.END] == window[1])]


def taiwan_2012() -> pd.DataFrame:
    """Taiwan's 2012 smartphone market: 2012Q2 retail shares and 2012 retail sales.

    Samsung 35.8%, HTC 28.1% and Apple 10.7% of smartphones sold through Taiwan's retail
    channels in 2012Q2 (Economic Daily News via CNA), taken for the year 2012, and the
    5.65M smartphones sold at retail in 2012 (a retail panel via CNA) as the market size.
    """
    shares = _window(datasets.load("taiwan_vendor_share_2012"), Q2_2012)
    shares = shares.sort_values(s.SHARE, ascending=False, kind="stable")
    shares = shares.assign(**{s.START: YEAR_2012[0], s.END: YEAR_2012[1]})
    sizes = _window(datasets.load("taiwan_market_size_to_2012"), YEAR_2012)
    size = sizes[sizes["quantity"].eq("market_units") & sizes[s.UNITS].notna()]
    keep = [s.BRAND, s.MARKET, s.START, s.END, s.UNITS, s.SHARE, s.BASIS, s.STATUS, s.METRIC]
    return pd.concat(
        [
            _cited(shares)[keep + [s.SOURCE]].assign(**{s.UNITS: float("nan")}),
            _cited(size)[keep + [s.SOURCE]].assign(**{s.SHARE: float("nan")}),
        ],
        ignore_index=True,
    )


def taiwan_size_2012_all_phones() -> float:
    """The news report's "over seven million" phones a year (all phones, not smartphones)."""
    xiaomi = datasets.load("xiaomi_2011_2012")
    return float(xiaomi.loc[xiaomi[s.BRAND].isna() & (xiaomi[s.MARKET] == "TW"), s.UNITS].iloc[0])


@dataclass(frozen=True)
class Dependence:
    """One published figure of HTC's dependence on the US: a share of HTC's own total,
    or HTC's share of the US market."""

    label: str
    value: float
    qualifier: str
    source: str
    evidence: str


_LABELS = {
    ("revenue", 2011): "US share of HTC's 2011 revenue",
    ("shipments", 2011): "US share of HTC's 2011 smartphone shipments",
    ("shipments", "2011Q3"): "US share of HTC's 2011Q3 smartphone shipments",
}


def htc_us_dependence() -> tuple[Dependence, ...]:
    """HTC's dependence on the US as published by mid-2012 (HTC gave no regional split).

    The shares of HTC's own total come from :func:`analysis.exposure` on the packaged
    ``htc_us_dependence_to_2012h1`` figures: analysts (via the Wall Street Journal) about
    50% of 2011 revenue and about 40% of 2011 smartphone shipments; Canalys 5.77M of HTC's
    13.2M 2011Q3 smartphones (about 43%) in the US. Then HTC's 22.9% of US shipments in
    2011Q3 (Canalys), for context.
    """
    figures = datasets.load("htc_us_dependence_to_2012h1")
    htc = figures[figures[s.BRAND].eq("HTC").fillna(False) & figures[s.MARKET].eq("US")]
    given = htc[htc["exposure"].notna()]
    mix = exposure(given, brand="HTC").frame()
    out = []
    cited = {(r[s.START], r[s.END], str(r[s.METRIC])): r for _, r in _cited(given).iterrows()}
    for _, row in mix.iterrows():
        raw = cited[(row[s.START], row[s.END], str(row[s.METRIC]))]
        year = row[s.START].year
        quarter = f"{year}Q{(row[s.START].month - 1) // 3 + 1}"
        whole_year = row[s.START].month == 1 and row[s.END].month == 12
        key = (str(row[s.METRIC]), year if whole_year else quarter)
        out.append(
            Dependence(
                label=_LABELS.get(key, f"US share of HTC's {key[1]} {key[0]}"),
                value=float(row["exposure"]),
                qualifier="" if pd.isna(row["qualifier"]) else str(row["qualifier"]),
                source=str(raw[s.SOURCE]),
                evidence=str(raw["evidence"]),
            )
        )
    share = htc[htc["quantity"].eq("shipment_share") & htc[s.SOURCE].str.startswith("Canalys")]
    row = _cited(share).iloc[0]
    out.append(
        Dependence(
            label="HTC's share of US smartphone shipments, 2011Q3",
            value=float(row[s.SHARE]),
            qualifier="",
            source=str(row[s.SOURCE]),
            evidence=str(row["evidence"]),
        )
    )
    return tuple(out)

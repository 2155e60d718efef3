"""Test figures, in one place: small hand-made frames and the real analysis results the
chart tests draw.

Hand-made frames (:func:`figures`, :func:`window_figures`) carry illustrative numbers. The
chart inputs run the real analysis functions on the packaged data, once per session
(cached), and hand out copies, so tests stay fast and never share a mutable frame; tests
recompute the numbers they check from the published figures, independently of them.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from analysis import (
    concentration,
    entry_scenario,
    exposure,
    fit,
    market_share,
    project_rank,
    rank_brands,
    sensitivity,
    shares_to_units,
)
from marketdata import datasets
from marketdata.errors import DoubleCountWarning

# -- hand-made figures -------------------------------------------------------------------

Y2012 = (pd.Timestamp("2012-01-01"), pd.Timestamp("2012-12-31"))
Q1 = (pd.Timestamp("2012-01-01"), pd.Timestamp("2012-03-31"))
Q2 = (pd.Timestamp("2012-04-01"), pd.Timestamp("2012-06-30"))
Y2013 = (pd.Timestamp("2013-01-01"), pd.Timestamp("2013-12-31"))


def figures(brands, units, *, market="TW", window=Y2012, metric="shipments", column="units"):
    """One window of figures; a brand of None is the market-size row."""
    return pd.DataFrame(
        {
            "brand": pd.array(brands, dtype="string"),
            "market": market,
            "start": window[0],
            "end": window[1],
            column: [float(u) for u in units],
            "basis": "period",
            "status": "actual",
            "metric": metric,
            "source": "test",
        }
    )


def window_figures(units: dict, *, size=None, share=False, others=None, market="TW", window=Y2013):
    """A figures frame of one window from {brand: value}: brand rows (units, or shares
    with ``share=True``), an optional market-size row (brand NA) and ``Others`` row."""
    brands = list(units) + (["Others"] if others is not None else [])
    values = list(units.values()) + ([others] if others is not None else [])
    out = figures(
        brands, values, market=market, window=window, column="share" if share else "units"
    )
    out["source"] = "hand-made test figures"
    if size is not None:
        row = figures([None], [size], market=market, window=window)
        out = pd.concat([out, row.assign(source="hand-made market size")], ignore_index=True)
    return out


# -- the packaged data through the real analysis functions --------------------------------

WW_SOURCE = "IDC via Statista 271490"
TW_MARKET = 7_000_000.0  # "over seven million units each year" (xiaomi_2011_2012 row 3)
XIAOMI_UNITS = (100_000.0, 300_000.0, 600_000.0)  # an illustrative (low, base, high) entry


def ww_quarterly() -> pd.DataFrame:
    return datasets.load("worldwide_quarterly_shipments_by_vendor")


def idc_totals() -> pd.DataFrame:
    """IDC's published totals for 2013Q1 (216.2M) and 2013Q3 (261.7M), from the note on the
    quarterly file's Others rows: the two windows whose double count arithmetic can show."""
    return pd.DataFrame(
        {
            "brand": pd.array([None, None], dtype="string"),
            "market": "WW",
            "start": pd.to_datetime(["2013-01-01", "2013-07-01"]),
            "end": pd.to_datetime(["2013-03-31", "2013-09-30"]),
            "units": [216.2e6, 261.7e6],
            "metric": "shipments",
            "source": "IDC totals (note in the quarterly file)",
        }
    )


def _quietly(function, *args, **kwargs):
    # the rows of 2013Q1 and 2013Q3 add up to more than IDC's totals: expected, and marked
    # in the charts through the double_count column
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DoubleCountWarning)
        return function(*args, market_size=idc_totals(), overcount="warn", **kwargs)


@functools.cache
def _ww_shares() -> pd.DataFrame:
    return _quietly(market_share, ww_quarterly())


def ww_shares() -> pd.DataFrame:
    """``market_share`` of the worldwide quarterly IDC data."""
    return _ww_shares().copy()


@functools.cache
def _ww_ranks() -> pd.DataFrame:
    return _quietly(rank_brands, ww_quarterly())


def ww_ranks() -> pd.DataFrame:
    """``rank_brands`` of the worldwide quarterly IDC data."""
    return _ww_ranks().copy()


@functools.cache
def _ww_concentration(named_only: bool) -> pd.DataFrame:
    data = ww_quarterly()
    if named_only:  # the named vendors alone: their own sum is the market
        return concentration(data[data["brand"] != "Others"])
    return _quietly(concentration, data)


def ww_concentration(*, named_only: bool = False) -> pd.DataFrame:
    """``concentration`` of the worldwide quarterly IDC data (hhi NaN: Others hides the
    tail, only bounds); ``named_only``: without the Others rows (hhi known)."""
    return _ww_concentration(named_only).copy()


def taiwan_2013() -> pd.DataFrame:
    """IDC Taiwan 2013 shares (shipments) as packaged: five named vendors, 81% in all."""
    tw = datasets.load("taiwan_vendor_share")
    return tw[(tw["end"] == "2013-12-31") & (tw["metric"] == "shipments")].reset_index(drop=True)


def taiwan_2013_with_size(size: float = TW_MARKET) -> pd.DataFrame:
    """:func:`taiwan_2013` plus a market-size row of ``size`` units (brand NA)."""
    row = figures([None], [size], window=Y2013).assign(source="news: over 7 million a year")
    return pd.concat([taiwan_2013(), row], ignore_index=True)


def taiwan_entry(*, others: str | None = "Others"):
    """``entry_scenario``: Xiaomi enters Taiwan 2013 with 300k units of a 7M market
    (``shares_to_units``), drawing proportionally; ``others=None``: no residual row."""
    units = shares_to_units(taiwan_2013(), TW_MARKET, others=others)
    return entry_scenario(units, "Xiaomi", units=300_000)


def taiwan_exposure():
    """``exposure`` of the five brands IDC listed in Taiwan 2021Q1: Taiwan units (share x
    the 1.38M IDC market, ``shares_to_units``) against the rest of the world (worldwide
    2021Q1 units minus Taiwan's, market code "ROW")."""
    tw = datasets.load("taiwan_vendor_share")
    tw = tw[tw["end"] == "2021-03-31"]
    size = datasets.load("country_market_size")
    size = size[(size["market"] == "TW") & (size["end"] == "2021-03-31")]
    taiwan = shares_to_units(tw, size, others=None)
    ww = ww_quarterly()
    ww = ww[ww["end"] == "2021-03-31"].set_index("brand")
    rest = taiwan.assign(
        units=ww.loc[taiwan["brand"], "units"].to_numpy() - taiwan["units"].to_numpy(),
        market="ROW",
        source=WW_SOURCE,
    )
    return exposure(pd.concat([taiwan, rest], ignore_index=True))


@functools.cache
def xiaomi_projection():
    """``fit(xiaomi_2011_2012, "runrate", brand="Xiaomi")`` (immutable: shared)."""
    return fit(datasets.load("xiaomi_2011_2012"), "runrate", brand="Xiaomi")


@functools.cache
def ww_projection(brand: str = "Xiaomi"):
    """``fit`` of one brand's worldwide quarterly IDC shipments (a per-period series)."""
    data = ww_quarterly()
    return fit(data[data["brand"] == brand], "auto", brand=brand)


RANK_DRAWS = 20_000


@functools.cache
def taiwan_rank_forecast(top: int = 10):
    """The real ``project_rank``: Xiaomi entering Taiwan 2013 (IDC shares of a 7M market)
    with Beta-PERT units :data:`XIAOMI_UNITS`, taking nothing from the incumbents
    (``draw=None``), seeded. The residual 19% is split among the default number of
    equal unlisted brands."""
    return project_rank(
        taiwan_2013_with_size(), "Xiaomi", XIAOMI_UNITS, top=top, draw=None,
        draws=RANK_DRAWS, seed=1, progress=False,
    )  # fmt: skip


@functools.cache
def _taiwan_sensitivity(top: int) -> pd.DataFrame:
    return sensitivity(
        taiwan_2013_with_size(), "Xiaomi", XIAOMI_UNITS, top=top, draw=None,
        draws=RANK_DRAWS, seed=1,
    )  # fmt: skip


def taiwan_sensitivity(top: int = 5) -> pd.DataFrame:
    """The real ``sensitivity`` of P(top ``top``) for :func:`taiwan_rank_forecast`."""
    return _taiwan_sensitivity(top).copy()


def grid_sensitivity() -> pd.DataFrame:
    """A hand-computed tornado table: P(top 4) of a new brand in Taiwan 2013 (units spread
    evenly over 25 points up to 1.2M; rank = 1 + incumbents selling more) as one input moves."""

    def p_top(units_max=1_200_000.0, market=TW_MARKET, top=4):
        tw = taiwan_2013()
        incumbents = (tw["share"] * market).to_numpy()
        grid = np.linspace(units_max / 25, units_max, 25)
        ranks = 1 + (incumbents[None, :] > grid[:, None]).sum(axis=1)
        return float((ranks <= top).mean())

    base = p_top()
    rows = [
        (
            "entrant's units (max)",
            600_000.0,
            2_400_000.0,
            {"units_max": 600_000.0},
            {"units_max": 2_400_000.0},
        ),
        ("market size", 6_000_000.0, 8_740_000.0, {"market": 6_000_000.0}, {"market": 8_740_000.0}),
    ]
    return pd.DataFrame(
        [
            {
                "input": name,
                "low": low,
                "high": high,
                "prob_low": p_top(**lo),
                "prob_high": p_top(**hi),
                "prob_base": base,
            }
            for name, low, high, lo, hi in rows
        ]
    )


def statcounter_like() -> pd.DataFrame:
    """An illustrative StatCounter-style series: monthly shares of mobile-vendor page
    views in Taiwan, 2019-2020, every month complete (the brands and ``Others`` sum to 1)."""
    months = pd.period_range("2019-01", "2020-12", freq="M")
    rows = []
    for i, month in enumerate(months):
        samsung, apple, xiaomi = 0.30 - 0.002 * i, 0.25 + 0.001 * i, 0.05 + 0.0015 * i
        for brand, share in (
            ("Samsung", samsung), ("Apple", apple), ("Xiaomi", xiaomi),
            ("Others", 1 - samsung - apple - xiaomi),
        ):  # fmt: skip
            rows.append(
                {
                    "brand": brand, "market": "TW", "start": month.start_time,
                    "end": month.end_time.normalize(), "share": round(share, 4),
                    "basis": "period", "status": "actual", "metric": "sales",
                    "measure": "page views by device vendor", "source": "illustrative StatCounter-like series",
                }
            )  # fmt: skip
    return pd.DataFrame(rows)

"""Chart inputs: the real analysis functions run on the packaged data.

Each builder runs once per test session (cached) and hands out copies, so the chart tests
stay fast and never share a mutable frame. The tests recompute the numbers they check
from the published figures, independently of these functions.

Only what is not on main yet is still built here by hand: the rank distribution and the
sensitivity table (analysis.rank_forecast, issue 5), with a small ``FakeRankForecast``.
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
    rank_brands,
    shares_to_units,
)
from marketdata import datasets
from marketdata.errors import DoubleCountWarning

WW_SOURCE = "IDC via Statista 271490"
TW_MARKET = 7_000_000.0  # "over seven million units each year" (xiaomi_2011_2012 row 3)


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
    figures = ww_quarterly()
    if named_only:  # the named vendors alone: their own sum is the market
        return concentration(figures[figures["brand"] != "Others"])
    return _quietly(concentration, figures)


def ww_concentration(*, named_only: bool = False) -> pd.DataFrame:
    """``concentration`` of the worldwide quarterly IDC data (hhi NaN: Others hides the
    tail, only bounds); ``named_only``: without the Others rows (hhi known)."""
    return _ww_concentration(named_only).copy()


def taiwan_2013() -> pd.DataFrame:
    """IDC Taiwan 2013 shares (shipments) as packaged: five named vendors, 81% in all."""
    tw = datasets.load("taiwan_vendor_share")
    return tw[(tw["end"] == "2013-12-31") & (tw["metric"] == "shipments")].reset_index(drop=True)


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


# -- not on main yet (analysis.rank_forecast, issue 5) ---------------------------------


def taiwan_rank_distribution(top_units: float = 1_200_000.0, n: int = 25) -> pd.DataFrame:
    """Rank of a new brand in Taiwan 2013 for units spread evenly over (0, top_units]:
    the rank is 1 + the number of named incumbents selling more (7M market)."""
    tw = taiwan_2013()
    incumbents = (tw["share"] * TW_MARKET).to_numpy()
    grid = np.linspace(top_units / n, top_units, n)
    ranks = 1 + (incumbents[None, :] > grid[:, None]).sum(axis=1)
    probability = pd.Series(ranks).value_counts(normalize=True).sort_index()
    all_ranks = np.arange(1, len(incumbents) + 2)
    probability = probability.reindex(all_ranks, fill_value=0.0)
    return pd.DataFrame(
        {
            "rank": all_ranks,
            "probability": probability.to_numpy(),
            "cumulative_probability": probability.cumsum().to_numpy(),
        }
    )


def taiwan_sensitivity() -> pd.DataFrame:
    """P(top 4) of a new brand (units uniform up to 1.2M) when one input moves."""

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


class FakeRankForecast:
    """A tiny stand-in for analysis.rank_forecast.RankForecast (branch ``rank``, not on
    main yet) around a rank frame."""

    brand = "Xiaomi"
    market = "TW"
    start = pd.Timestamp("2013-01-01")
    end = pd.Timestamp("2013-12-31")
    top = 4
    source = "fake rank forecast for tests"

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame

    def frame(self) -> pd.DataFrame:
        return self._frame.copy()

    def prob_top(self, n: int) -> float:
        return float(self._frame.loc[self._frame["rank"] <= n, "probability"].sum())

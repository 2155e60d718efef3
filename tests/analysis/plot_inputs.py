"""Chart inputs built from the packaged real data with plain pandas.

They match the columns of the analysis functions' outputs (CONTRACTS.md) so the chart
tests do not depend on those functions; every number is a plain definition (share = units
/ period total, HHI = sum of squared percentage shares, ...).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketdata import datasets

WW_SOURCE = "IDC via Statista 271490"


def ww_quarterly() -> pd.DataFrame:
    return datasets.load("worldwide_quarterly_shipments_by_vendor")


def ww_shares() -> pd.DataFrame:
    """market_share-like frame of the worldwide quarterly data: share = units / quarter sum."""
    f = ww_quarterly()
    out = f[["market", "start", "end", "brand", "units", "source"]].copy()
    out["share"] = out["units"] / out.groupby("start")["units"].transform("sum")
    return out.reset_index(drop=True)


def ww_ranks() -> pd.DataFrame:
    """rank_brands-like frame: rank by units within each quarter (Others not ranked)."""
    shares = ww_shares()
    brands = shares[shares["brand"] != "Others"].copy()
    brands["rank"] = (
        brands.groupby("start")["units"].rank(ascending=False, method="min").astype(int)
    )
    brands["tied"] = brands.duplicated(["start", "rank"], keep=False)
    return brands.reset_index(drop=True)


def ww_concentration() -> pd.DataFrame:
    """concentration-like frame: HHI of the named vendors (lower bound: Others made of
    infinitely many tiny firms) and upper bound (Others one firm), percentage points."""
    shares = ww_shares()
    shares["square"] = (100 * shares["share"]) ** 2
    named = shares[shares["brand"] != "Others"]
    others = shares[shares["brand"] == "Others"].set_index("start")["square"]
    out = named.groupby(["market", "start", "end"], as_index=False).agg(
        hhi_lower=("square", "sum"), brands=("brand", "size")
    )
    out["hhi_upper"] = out["hhi_lower"] + out["start"].map(others)
    out["hhi"] = out["hhi_lower"]
    top4 = named.sort_values("share", ascending=False).groupby("start").head(4)
    out["cr4"] = out["start"].map(top4.groupby("start")["share"].sum())
    out["equivalent_firms"] = 10_000 / out["hhi"]
    out["band"] = np.where(
        out["hhi"] < 1000,
        "unconcentrated",
        np.where(out["hhi"] < 1800, "moderately concentrated", "highly concentrated"),
    )
    out["source"] = WW_SOURCE
    return out


def taiwan_2013() -> pd.DataFrame:
    """IDC Taiwan 2013 shares (shipments) with an explicit Others (1 - named)."""
    tw = datasets.load("taiwan_vendor_share")
    tw = tw[(tw["end"] == "2013-12-31") & (tw["metric"] == "shipments")]
    return tw[["market", "start", "end", "brand", "share", "source"]].reset_index(drop=True)


TW_MARKET = 7_000_000.0  # "over seven million units each year" (xiaomi_2011_2012 row 3)


def taiwan_entry(entrant_units: float = 300_000.0) -> tuple[pd.DataFrame, float, float]:
    """An entry-scenario frame: Xiaomi enters Taiwan 2013 with ``entrant_units``, drawing
    proportionally from every incumbent; HHI over named brands (Others excluded)."""
    tw = taiwan_2013()
    before = pd.concat(
        [
            tw[["brand", "share"]],
            pd.DataFrame({"brand": ["Others"], "share": [1 - tw["share"].sum()]}),
        ],
        ignore_index=True,
    )
    new_share = entrant_units / TW_MARKET
    frame = pd.DataFrame(
        {
            "brand": [*before["brand"], "Xiaomi"],
            "share_before": [*before["share"], np.nan],
            "share_after": [*(before["share"] * (1 - new_share)), new_share],
        }
    )
    frame["units_before"] = frame["share_before"] * TW_MARKET
    frame["units_after"] = frame["share_after"] * TW_MARKET
    named = ~frame["brand"].isin(["Others"])
    hhi_before = float(((100 * frame.loc[named, "share_before"].fillna(0)) ** 2).sum())
    hhi_after = float(((100 * frame.loc[named, "share_after"]) ** 2).sum())
    for when in ("before", "after"):
        frame[f"rank_{when}"] = (
            frame["units_" + when].where(named).rank(ascending=False, method="min")
        )
    return frame, hhi_before, hhi_after


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


def taiwan_exposure() -> pd.DataFrame:
    """Exposure of the five brands IDC listed in Taiwan 2021Q1: units in Taiwan (share x
    1.38M IDC sales) and in the rest of the world (worldwide 2021Q1 units - Taiwan)."""
    tw = datasets.load("taiwan_vendor_share")
    tw = tw[tw["end"] == "2021-03-31"][["brand", "share", "source"]]
    size = datasets.load("country_market_size")
    size = size[(size["market"] == "TW") & (size["end"] == "2021-03-31")]
    tw_units = tw.assign(units=tw["share"] * float(size["units"].iloc[0]), market="TW")
    ww = ww_quarterly()
    ww = ww[ww["end"] == "2021-03-31"].set_index("brand")
    rest = tw_units.assign(
        units=ww.loc[
            tw_units["brand"].map(lambda b: {"Oppo": "OPPO"}.get(b, b)), "units"
        ].to_numpy()
        - tw_units["units"].to_numpy(),
        market="rest of world",
        source=WW_SOURCE,
    )
    out = pd.concat([tw_units, rest], ignore_index=True)[["brand", "market", "units", "source"]]
    out["brand"] = out["brand"].replace({"Oppo": "OPPO"})
    out["exposure"] = out["units"] / out.groupby("brand")["units"].transform("sum")
    return out


class FakeProjection:
    """A tiny stand-in for analysis.projection.Projection: straight-line median from 3M on
    2012-06-12 at 5M a year; the interval half-width grows like sqrt(time)."""

    source = "fake projection for tests"
    brand = "Xiaomi"

    def __init__(self, data: pd.DataFrame | None = None):
        self.data = data
        self.calls: list[tuple[float, pd.DatetimeIndex]] = []

    def interval(self, level: float = 0.8, dates=None) -> pd.DataFrame:
        dates = pd.DatetimeIndex(dates)
        self.calls.append((level, dates))
        years = (dates - pd.Timestamp("2012-06-12")).days.to_numpy() / 365.25
        median = 3e6 + 5e6 * years
        half = level * 2e6 * np.sqrt(np.clip(years, 0, None))
        return pd.DataFrame(
            {"date": dates, "lower": median - half, "median": median, "upper": median + half}
        )


class FakeRankForecast:
    """A tiny stand-in for analysis.rank_forecast.RankForecast around a rank frame."""

    brand = "Xiaomi"
    source = "fake rank forecast for tests"

    def __init__(self, frame: pd.DataFrame):
        self._frame = frame

    def frame(self) -> pd.DataFrame:
        return self._frame.copy()

    def prob_top(self, n: int) -> float:
        return float(self._frame.loc[self._frame["rank"] <= n, "probability"].sum())


class FakeEntryScenario:
    """A tiny stand-in for analysis.scenarios.EntryScenario."""

    brand = "Xiaomi"

    def __init__(self, frame: pd.DataFrame, hhi_before: float, hhi_after: float):
        self._frame = frame
        self.hhi_before = hhi_before
        self.hhi_after = hhi_after
        self.delta_hhi = hhi_after - hhi_before

    def frame(self) -> pd.DataFrame:
        return self._frame.copy()

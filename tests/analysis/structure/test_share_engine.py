"""The shared grouping core, against pandas groupby on shuffled multi-window frames."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import concentration, market_share, rank_brands
from analysis._format import window_label
from analysis.structure._share_engine import order_within
from marketdata import DataError, datasets
from tests.factories import figures


def _random_frame(seed, markets, periods, max_brands, *, others):
    rng = np.random.default_rng(seed)
    parts = []
    for m in range(markets):
        for p in range(periods):
            k = int(rng.integers(1, max_brands + 1))  # uneven window sizes
            brands = [f"B{i}" for i in rng.choice(max_brands, size=k, replace=False)]
            if others and rng.random() < 0.5:
                brands.append("Others")
            start = pd.Timestamp("2020-01-01") + pd.DateOffset(months=3 * p)
            parts.append(
                pd.DataFrame(
                    {
                        "brand": brands,
                        "market": f"M{m}",
                        "start": start,
                        "end": start + pd.offsets.QuarterEnd(0),
                        "units": rng.integers(0, 4, size=len(brands)).astype(float) + 1,
                        "metric": "shipments",
                    }
                )
            )
    frame = pd.concat(parts, ignore_index=True)
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)  # shuffled


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    markets=st.integers(1, 4),
    periods=st.integers(1, 5),
    max_brands=st.integers(1, 12),
    others=st.booleans(),
)
def test_property_ranks_shares_hhi_match_pandas_groupby(seed, markets, periods, max_brands, others):
    frame = _random_frame(seed, markets, periods, max_brands, others=others)
    keys = ["market", "start", "end"]
    expected = frame.assign(share=frame["units"] / frame.groupby(keys)["units"].transform("sum"))
    shares = market_share(frame).merge(expected, on=keys + ["brand"])
    assert len(shares) == len(frame)
    np.testing.assert_allclose(shares["share_x"], shares["share_y"], rtol=1e-12)

    named = expected[expected["brand"] != "Others"].copy()
    named["expected_rank"] = named.groupby(keys)["units"].rank(method="min", ascending=False)
    ranks = rank_brands(frame).merge(named, on=keys + ["brand"])
    assert len(ranks) == len(named)
    assert (ranks["rank"] == ranks["expected_rank"]).all()

    conc = concentration(frame).set_index(keys)
    lower = named.groupby(keys)["share"].apply(lambda x: 10_000 * (x**2).sum())
    conc = conc.loc[lower.index]
    np.testing.assert_allclose(conc["hhi_lower"], lower, rtol=1e-12)
    # output is sorted by market, start, end and within a window by units, largest first
    out = rank_brands(frame)
    assert out.equals(out.sort_values(keys + ["rank"], kind="stable").reset_index(drop=True))


def test_order_within_paths_agree():
    rng = np.random.default_rng(1)
    codes = np.repeat(np.arange(50), rng.integers(1, 9, size=50))
    key = rng.integers(0, 5, size=len(codes)).astype(float)
    shuffled = rng.permutation(len(codes))
    for c, k in ((codes, key), (codes[shuffled], key[shuffled])):
        order = order_within(c, k, 50)
        assert sorted(order) == list(range(len(c)))  # a permutation
        pairs = np.stack([c[order], k[order]], axis=1)
        assert (np.diff(pairs[:, 0]) >= 0).all()
        same = np.diff(pairs[:, 0]) == 0
        assert (np.diff(pairs[:, 1])[same] >= 0).all()
    # very uneven windows take the lexsort path
    uneven = np.concatenate([np.zeros(1000, dtype=np.int64), np.arange(1, 400)])
    k = rng.random(len(uneven))
    order = order_within(uneven, k, 400)
    assert (np.diff(k[order][:1000]) >= 0).all() and sorted(order) == list(range(len(uneven)))


def test_window_labels():
    ts = pd.Timestamp
    assert window_label(ts("2013-01-01"), ts("2013-03-31")) == "2013Q1"
    assert window_label(ts("2013-01-01"), ts("2013-12-31")) == "2013"
    assert window_label(ts("2013-06-01"), ts("2013-06-30")) == "2013-06"
    assert window_label(pd.NaT, ts("2012-06-12")) == "..2012-06-12"  # marketdata.period_label
    assert window_label(ts("2013-01-05"), ts("2013-02-01")) == "2013-01-05..2013-02-01"


def test_whole_taiwan_dataset_keeps_sales_and_shipments_windows_apart():
    tw = datasets.load("taiwan_vendor_share")
    out = concentration(tw)
    # 2016 annual (IDC shipments) overlaps July 2016 (retail sales): different metrics
    y2016 = out[out["start"] == "2016-01-01"]
    assert y2016["metric"].tolist() == ["shipments"]
    # listed 22^2 + 20^2 + 18^2 + 15^2 + 9^2 = 484 + 400 + 324 + 225 + 81 = 1,514
    assert y2016["hhi_lower"].iloc[0] == pytest.approx(1514)
    assert len(out) == tw.groupby(["start", "end"]).ngroups


def test_cumulative_and_period_figures_in_one_window_are_refused():
    f = pd.DataFrame(
        {
            "brand": ["A", "B"],
            "market": "CN",
            "start": pd.Timestamp("2012-01-01"),
            "end": pd.Timestamp("2012-12-31"),
            "units": [1.0, 2.0],
            "basis": ["period", "cumulative"],
            "metric": "shipments",
        }
    )
    with pytest.raises(DataError, match="mixes bases"):
        market_share(f)


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.floats(0.001, 1.0), min_size=2, max_size=60),
    decimals=st.integers(1, 4),
)
def test_property_honestly_rounded_shares_are_kept_and_overcounts_refused(weights, decimals):
    # shares that sum to 1, each rounded to `decimals`: off by at most n x 0.5 x 10^-decimals
    exact = np.array(weights) / np.sum(weights)
    rounded = np.round(exact, decimals)
    brands = [f"B{i}" for i in range(len(rounded))]
    if rounded.sum() > 0:
        out = market_share(figures(brands, rounded, column="share"))
        listed = out[out["brand"].isin(brands)].set_index("brand")["share"]
        np.testing.assert_array_equal(listed.loc[brands].to_numpy(), rounded)  # as given
    # far beyond any rounding of the figures: refused, naming the sum
    inflated = np.minimum(np.round(exact * 1.5, decimals), 1.0)
    if inflated.sum() > 1 + len(inflated) * 0.5 * 10.0**-decimals + 1e-9:
        with pytest.raises(DataError, match="add up to"):
            market_share(figures(brands, inflated, column="share"))

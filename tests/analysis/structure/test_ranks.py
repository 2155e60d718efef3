import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import rank_brands
from marketdata import DoubleCountWarning, datasets
from tests.factories import Q1, Q2, figures


def test_ties_share_the_min_rank_and_are_flagged():
    out = rank_brands(figures(["A", "B", "C", "D"], [5, 3, 3, 1]))
    # 5 -> 1; 3, 3 -> 2, 2 (min method); 1 -> 4
    assert out["rank"].tolist() == [1, 2, 2, 4]
    assert out["tied"].tolist() == [False, True, True, False]


def test_residuals_are_never_ranked_even_when_largest():
    out = rank_brands(figures(["A", "Others", "Unknown", "B"], [2, 50, 30, 1]))
    assert out["brand"].tolist() == ["A", "B"]
    assert out["rank"].tolist() == [1, 2]
    # shares still use the whole market: 2 / 83
    assert out["share"].iloc[0] == pytest.approx(2 / 83)


def test_absent_brand_is_absent_not_ranked_last():
    f = pd.concat(
        [figures(["A", "B"], [1, 3], window=Q1), figures(["A"], [2], window=Q2)], ignore_index=True
    )
    out = rank_brands(f)
    q2 = out[out["end"] == Q2[1]]
    assert q2["brand"].tolist() == ["A"]
    assert q2["rank"].tolist() == [1]


def test_share_data_ranks_by_share():
    out = rank_brands(figures(["A", "B", "C"], [0.1, 0.3, 0.2], column="share"))
    assert out["brand"].tolist() == ["B", "C", "A"]
    assert out["rank"].tolist() == [1, 2, 3]


def test_worldwide_quarterly_ranks_match_pandas_rank_min():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DoubleCountWarning)  # no total: nothing to flag
        out = rank_brands(ww)
    named = ww[ww["brand"] != "Others"].copy()
    named["expected"] = named.groupby("end")["units"].rank(method="min", ascending=False)
    counts = named.groupby(["end", "units"])["brand"].transform("count")
    named["expected_tied"] = counts > 1
    merged = out.merge(named[["end", "brand", "expected", "expected_tied"]], on=["end", "brand"])
    assert len(merged) == len(out) == len(named)
    assert (merged["rank"] == merged["expected"]).all()
    assert (merged["tied"] == merged["expected_tied"]).all()
    # 2024Q1: Samsung 60.1M first, Apple 50.1M second
    q = out[out["end"] == "2024-03-31"].set_index("brand")["rank"]
    assert q["Samsung"] == 1 and q["Apple"] == 2
    # 2011Q3 (first Samsung lead): Samsung 27.8M ahead of Apple 17.1M
    q = out[out["end"] == "2011-09-30"].set_index("brand")["rank"]
    assert q["Samsung"] == 1 and q["Apple"] == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=15))
def test_property_ranks_are_a_permutation_up_to_ties(units):
    brands = [f"B{i}" for i in range(len(units))]
    if sum(units) == 0:
        units = [u + 1 for u in units]
    out = rank_brands(figures(brands, units))
    ranks = out["rank"].to_numpy()
    values = out["units"].to_numpy()
    # each rank is 1 + the number of brands with strictly more units
    expected = np.array([1 + np.sum(values > v) for v in values])
    np.testing.assert_array_equal(ranks, expected)
    # without ties the ranks are exactly 1..n
    if len(set(units)) == len(units):
        assert sorted(ranks) == list(range(1, len(units) + 1))
    assert (out["tied"] == out["units"].duplicated(keep=False)).all()


def test_a_brand_equal_to_the_residual_is_not_tied():
    # review: the tie flag was computed with the residual rows still in the run, so B
    # (3 units) was flagged tied with Others (3 units), which is never ranked. Named
    # brands: A 5, B 3 -> ranks 1, 2 and no tie; the same for a computed remainder
    # (market 11 - listed 8 = 3)
    for brands, units in ((["A", "B", "Others"], [5, 3, 3]), (["A", "B", None], [5, 3, 11])):
        out = rank_brands(figures(brands, units))
        assert out["brand"].tolist() == ["A", "B"]
        assert out["rank"].tolist() == [1, 2]
        assert out["tied"].tolist() == [False, False]

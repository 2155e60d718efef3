import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import entry_scenario, rank_threshold, shares_to_units, units_for_rank
from analysis._summary import Summary
from marketdata import DataError, datasets
from tests.factories import Q1, figures


def _taiwan_2013_units():
    tw = datasets.load("taiwan_vendor_share")
    return shares_to_units(tw[tw["end"] == "2013-12-31"], 7_000_000)


def test_units_for_rank_taiwan_2013():
    out = units_for_rank(_taiwan_2013_units(), [1, 3, 10]).set_index("rank")
    # rank 1: beat Samsung's 1.96M; market fixed: 1.96M x 7M / (7M + 1.96M) = 1,531,250
    assert out.loc[1, "brand"] == "Samsung"
    assert out.loc[1, "units_market_grows"] == pytest.approx(1.96e6)
    assert out.loc[1, "units_market_fixed"] == pytest.approx(1.96e6 * 7e6 / 8.96e6)
    assert out.loc[1, "share_needed"] == pytest.approx(1.96 / 8.96)
    # rank 3: beat Sony's 1.12M
    assert out.loc[3, "units_market_grows"] == pytest.approx(1.12e6)
    # rank 10 is inside Others (1.33M): its holder sells at most min(LG 0.21M, 1.33M / 5)
    assert out.loc[10, "units_market_grows"] == pytest.approx(0.21e6)
    assert not out.loc[10, "exact"]
    assert pd.isna(out.loc[10, "brand"])


def test_units_for_rank_on_shares_alone_gives_shares():
    tw = datasets.load("taiwan_vendor_share")
    out = units_for_rank(tw[tw["end"] == "2013-12-31"], 2).iloc[0]
    assert np.isnan(out["units_market_grows"])
    assert out["share_needed"] == pytest.approx(0.21 / 1.21)  # beat HTC's 21%


def test_units_for_rank_bound_uses_residual_per_hidden_brand():
    # listed 50, 30; residual 20: rank 6 holder sells <= min(30, 20 / 4 = 5) = 5
    assert rank_threshold([50, 30], 6, residual=20) == (5.0, False)
    # no residual: only 2 brands exist, any volume places third
    assert rank_threshold([50, 30], 3) == (0.0, True)
    # vectorised over sampled markets
    threshold, exact = rank_threshold(np.array([[3.0, 1.0, 2.0], [5.0, 6.0, 4.0]]), 2)
    np.testing.assert_array_equal(threshold, [2.0, 5.0])
    assert exact.all()


def test_units_for_rank_refuses_two_markets():
    f = pd.concat([figures(["A"], [1]), figures(["B"], [2], market="US")], ignore_index=True)
    with pytest.raises(DataError, match="one market.*row 2"):
        units_for_rank(f, 1)
    g = pd.concat([figures(["A"], [1]), figures(["B"], [2], window=Q1)], ignore_index=True)
    with pytest.raises(DataError, match="one window"):
        units_for_rank(g, 1)


def test_entry_proportional_30_30_20_20():
    result = entry_scenario(figures(["A", "B", "C", "D"], [30, 30, 20, 20]), "X", share=0.1)
    frame = result.frame().set_index("brand")
    # proportional: X takes 10 units of 100; incumbents x 0.9 -> 27, 27, 18, 18
    assert frame.loc["A", "units_after"] == pytest.approx(27)
    assert frame.loc["X", "units_after"] == pytest.approx(10)
    assert result.hhi_before == pytest.approx(2600)
    # 27^2 + 27^2 + 18^2 + 18^2 + 10^2 = 729 + 729 + 324 + 324 + 100 = 2,206
    assert result.hhi_after == pytest.approx(2206)
    assert result.delta_hhi == pytest.approx(-394)
    assert frame.loc["X", "rank_after"] == 5
    assert pd.isna(frame.loc["X", "rank_before"])


def test_entry_expansion_and_mix():
    f = figures(["A", "B"], [60, 40])
    grow = entry_scenario(f, "X", units=25, draw="expansion").frame().set_index("brand")
    # market 125: A 60/125 = 0.48, B 0.32, X 0.20
    assert grow["share_after"].to_dict() == pytest.approx({"A": 0.48, "B": 0.32, "X": 0.2})
    assert grow.loc["A", "units_after"] == 60
    # share 0.2 with expansion: u = 0.2 x 100 / (1 - 0.2) = 25
    assert entry_scenario(f, "X", share=0.2, draw="expansion").units == pytest.approx(25)
    half = entry_scenario(f, "X", units=20, draw=0.5).frame().set_index("brand")
    # 10 from A and B in proportion (6, 4), 10 added: A 54, B 36, X 20 of 110
    assert half.loc["A", "units_after"] == pytest.approx(54)
    assert half.loc["B", "units_after"] == pytest.approx(36)
    assert half["units_after"].sum() == pytest.approx(110)


def test_entry_switching_matrix():
    f = figures(["A", "B", "Others"], [50, 30, 20])
    matrix = pd.DataFrame({"X": [0.8, 0.0]}, index=["B", "Others"])
    result = entry_scenario(f, "X", units=10, draw=matrix)
    frame = result.frame().set_index("brand")
    # 8 from B, nothing from Others, 2 expands the market: A 50, B 22, Others 20, X 10 of 102
    assert frame["units_after"].to_dict() == pytest.approx(
        {"A": 50, "B": 22, "Others": 20, "X": 10}
    )
    assert frame.loc["X", "share_after"] == pytest.approx(10 / 102)
    # residual 20% of 100 before, 20/102 after: HHI bounds differ by its square
    lo, hi = result.hhi_before_bounds
    assert lo == pytest.approx(2500 + 900)  # 50^2 + 30^2
    assert hi == pytest.approx(2500 + 900 + 400)
    assert np.isnan(result.hhi_before)
    with pytest.raises(ValueError, match="has only"):
        entry_scenario(f, "X", units=50, draw=pd.DataFrame({"X": [1.0]}, index=["B"]))
    with pytest.raises(ValueError, match="not in the market"):
        entry_scenario(f, "X", units=5, draw=pd.DataFrame({"X": [1.0]}, index=["Z"]))


def test_entry_bad_arguments():
    f = figures(["A", "B"], [60, 40])
    with pytest.raises(ValueError, match="exactly one"):
        entry_scenario(f, "X")
    with pytest.raises(ValueError, match="already listed"):
        entry_scenario(f, "A", share=0.1)
    with pytest.raises(ValueError, match="share must be < 1"):
        entry_scenario(f, "X", share=1.5)
    with pytest.raises(ValueError, match="draw"):
        entry_scenario(f, "X", share=0.1, draw="fair")


def test_entry_taiwan_2013_hhi_bounds():
    result = entry_scenario(_taiwan_2013_units(), "Xiaomi", units=350_000)
    # proportional: shares x (1 - 0.35/7 = 0.95); lower 1,659 x 0.95^2 + 5^2 = 1,522.2475
    assert result.hhi_after_bounds[0] == pytest.approx(1659 * 0.95**2 + 25)
    # upper: (1,659 + 361) x 0.95^2 + 25 = 1,848.05
    assert result.hhi_after_bounds[1] == pytest.approx(2020 * 0.95**2 + 25)
    assert "Xiaomi" in repr(result)
    assert any(src.startswith("IDC: http://technews.co") for src in result.source)


@settings(max_examples=40, deadline=None)
@given(
    units=st.lists(st.floats(1, 1e6, allow_nan=False), min_size=1, max_size=10),
    share=st.floats(0.01, 0.9),
)
def test_property_proportional_entry_keeps_relative_shares(units, share):
    f = figures([f"B{i}" for i in range(len(units))], units)
    frame = entry_scenario(f, "X", share=share).frame()
    incumbents = frame[frame["brand"] != "X"]
    ratio = incumbents["share_after"] / incumbents["share_before"]
    np.testing.assert_allclose(ratio, 1 - share, rtol=1e-9)
    assert frame["share_after"].sum() == pytest.approx(1.0)
    assert frame.loc[frame["brand"] == "X", "share_after"].iloc[0] == pytest.approx(share)


def test_units_for_rank_refuses_an_empty_market():
    # review: an empty frame raised IndexError from deep inside; it must say what to fix
    empty = figures(["A", "B"], [3, 1]).iloc[:0]
    with pytest.raises(DataError, match="no figures"):
        units_for_rank(empty, 1)


def test_units_for_rank_refuses_a_rank_beyond_brands_plus_one():
    # review: 3 brands and no residual -> ranks 1..4 exist; rank 7 silently gave 0 units
    f = figures(["A", "B", "C"], [4, 3, 2])
    with pytest.raises(ValueError, match="rank 7"):
        units_for_rank(f, 7)
    # rank 4 = brands + 1 exists: no brand holds it, so any volume above 0 takes it
    assert units_for_rank(f, 4)["units_market_grows"].tolist() == [0.0]


def test_entry_switching_matrix_may_be_square_with_the_entrant_row():
    # review: a brand x brand diversion matrix naturally has a row for the entrant (its
    # diagonal, 0); it was refused as "a brand not in the market"
    f = figures(["A", "B", "Others"], [50, 30, 20])
    square = pd.DataFrame(
        {"A": [0.0, 0.5, 0.5, 0.0], "B": [0.5, 0.0, 0.5, 0.0], "X": [0.0, 0.8, 0.0, 0.0]},
        index=["A", "B", "Others", "X"],
    )
    frame = entry_scenario(f, "X", units=10, draw=square).frame().set_index("brand")
    # 0.8 x 10 = 8 from B, 2 expands the market: A 50, B 22, Others 20, X 10 of 102
    assert frame["units_after"].to_dict() == pytest.approx(
        {"A": 50, "B": 22, "Others": 20, "X": 10}
    )
    # the entrant cannot divert volume from itself
    square.loc["X", "X"] = 0.1
    with pytest.raises(ValueError, match="from itself"):
        entry_scenario(f, "X", units=10, draw=square)


def test_units_for_rank_has_one_schema_whatever_the_arguments():
    tw = datasets.load("taiwan_vendor_share")
    tw2013 = tw[tw["end"] == "2013-12-31"]
    columns = [
        "market", "start", "end", "rank", "brand", "units_at_rank", "share_at_rank", "exact",
        "units_market_grows", "units_market_fixed", "share_needed",
    ]  # fmt: skip
    one = units_for_rank(tw2013, 3)
    many = units_for_rank(tw2013, [1, 10], market_size=7_000_000)
    units = units_for_rank(shares_to_units(tw2013, 7_000_000), 10)
    for out in (one, many, units):
        assert out.columns.tolist() == columns
        assert out.dtypes.to_dict() == many.dtypes.to_dict()
    # shares without a size: no units, the share needed is known (Sony 16% -> 0.16 / 1.16)
    assert np.isnan(one["units_at_rank"].iloc[0])
    assert one["share_needed"].iloc[0] == pytest.approx(0.16 / 1.16)
    assert units["units_market_grows"].iloc[0] == pytest.approx(many["units_market_grows"].iloc[1])
    with pytest.raises(TypeError):
        units_for_rank(tw2013, 10, prob=0.8)  # units_for_rank_probability does that


def test_entry_scenario_follows_the_result_protocol():
    import matplotlib

    matplotlib.use("Agg")
    tw = datasets.load("taiwan_vendor_share")
    units = shares_to_units(tw[tw["end"] == "2013-12-31"], 7_000_000)
    result = entry_scenario(units, "Xiaomi", units=300_000)
    summary = result.summary()
    assert isinstance(summary, Summary)
    facts = summary.facts_dict()
    # 300k of 7M proportionally: 300k / 7M = 4.3% of the market after entry
    assert facts["units"] == "300k" and facts["share after entry"] == "4%"
    assert facts["market"] == "TW 2013"
    assert "marketshare-summary" in result._repr_html_()
    assert result.frame().equals(result.table)
    ax = result.plot()
    assert ax.get_figure() is not None

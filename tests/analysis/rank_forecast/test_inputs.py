"""project_rank inputs: figures windows, residuals, unlisted brands, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import project_rank
from analysis.projection._examples import founding
from analysis.rank_forecast.model import geometric_weights, solve_tail_ratio
from marketdata.errors import DataError, DoubleCountWarning
from tests.analysis.rank_forecast.fakes import FakeProjection
from tests.analysis.rank_forecast.helpers import END, START, figures


def test_others_row_is_never_ranked():
    # Others holds 900, more than any brand; with unlisted=0 it is not a competitor:
    # competitors A 500, B 300 -> the brand with 400 is second, not third
    fig = figures({"A": 500, "B": 300}, others=900)
    f = project_rank(fig, "X", 400, unlisted=0, draw=None, draws=100)
    assert f.probabilities[2] == 1.0
    assert "Others" not in set(f.inputs["brand"])
    with pytest.raises(ValueError, match="residual"):
        project_rank(fig, "Others", 400)


def test_others_row_sets_the_residual_and_the_default_unlisted_count():
    # no market size: market = 500 + 300 + 900 = 1700; residual 900; smallest listed 300
    # -> default unlisted = ceil(900 / 300) = 3 brands of 300 each (equal split)
    f = project_rank(figures({"A": 500, "B": 300}, others=900), "X", 250, draw=None, draws=100)
    assert f.unlisted == 3
    unl = f.inputs[f.inputs["kind"] == "unlisted"]["units"]
    assert list(unl) == [300.0, 300.0, 300.0]
    assert any("1,700" in a for a in f.assumptions)
    assert f.probabilities[6] == 1.0  # 250 is below all 5 competitors


def test_default_unlisted_count_is_stated():
    # residual 1000 - 600 - 200 = 200 split over ceil(200 / 200) = 1 brand
    f = project_rank(figures({"A": 600, "B": 200}, size=1000), "X", 10, draws=10)
    assert f.unlisted == 1
    assert any("default" in a and "unlisted" in a for a in f.assumptions)


def test_geometric_weights_by_hand():
    # ratio 0.5 over 3 brands: 1, 0.5, 0.25 of 1.75 -> 4/7, 2/7, 1/7
    np.testing.assert_allclose(geometric_weights(3, 0.5), [4 / 7, 2 / 7, 1 / 7])


def test_solved_tail_ratio_continues_below_the_smallest_listed_brand():
    # Taiwan 2013: residual 0.19 x 7M = 1.33M over 14 brands, smallest listed LG 210,000:
    # the largest unlisted brand gets exactly 210,000 and all 14 add up to 1.33M
    r = solve_tail_ratio(1_330_000, 14, 210_000)
    w = geometric_weights(14, r)
    assert 1_330_000 * w[0] == pytest.approx(210_000, rel=1e-9)
    assert 0 < r < 1
    assert w[1] / w[0] == pytest.approx(r)
    # an equal split (95,000 each) is already below the cap only if R/k < cap; when the
    # residual is below the cap, no ratio is pinned
    assert solve_tail_ratio(100_000, 5, 210_000) is None


def test_explicit_tail_ratio_is_used():
    # residual 700 over 3 brands with ratio 0.5: 400, 200, 100
    fig = figures({"A": 1000, "B": 300}, size=2000)
    f = project_rank(fig, "X", 10, unlisted=3, split="geometric", tail_ratio=0.5, draws=10)
    unl = f.inputs[f.inputs["kind"] == "unlisted"]["units"]
    np.testing.assert_allclose(unl, [400, 200, 100])
    # with draw=None the brand (150) beats only the 100 one: rank 5 of 6
    g = project_rank(
        fig, "X", 150, unlisted=3, split="geometric", tail_ratio=0.5, draw=None, draws=10
    )
    assert g.probabilities[5] == 1.0


def test_unlisted_brand_above_the_smallest_listed_is_flagged():
    # residual 800 over 2 brands = 400 each, above B's 100
    f = project_rank(figures({"A": 100, "B": 100}, size=1000), "X", 10, unlisted=2, draws=10)
    assert any("more than the smallest listed brand" in w for w in f.warnings)


def test_tail_sensitivity_reports_both_rules_and_twice_the_brands():
    fig = figures({"A": 0.5, "B": 0.2}, share=True, size=1000)
    f = project_rank(fig, "X", 80, draws=2000)
    t = f.tail_sensitivity
    # residual 300, smallest listed 200 -> default 2 unlisted; rows for 2 and 4 brands
    assert list(zip(t["split"], t["unlisted"], strict=True)) == [
        ("equal", 2),
        ("geometric", 2),
        ("equal", 4),
        ("geometric", 4),
    ]
    # equal, 4 brands, no noise: 75 each x (920/1000) = 69 < 80: the brand is third
    # (A 460, B 184 above it) -> P(top 3) = 1 and expected rank 3
    row = t[(t["split"] == "equal") & (t["unlisted"] == 4)].iloc[0]
    assert row["expected_rank"] == 3.0


def test_a_market_size_of_another_window_is_used_with_a_warning():
    fig = figures({"A": 0.5}, share=True)
    size = figures({}, size=1000).assign(
        start=pd.Timestamp("2012-01-01"), end=pd.Timestamp("2012-12-31")
    )
    f = project_rank(
        pd.concat([fig, size], ignore_index=True), "X", 600, unlisted=0, draw=None, draws=10
    )
    assert f.prob_top(1) == 1.0  # 600 > 0.5 x 1000
    # the window named as every function names it (marketdata.period_label): "2012"
    assert any("the market size covers 2012 but" in w for w in f.warnings)


def test_market_and_end_pick_one_window():
    a = figures({"A": 500, "B": 100}, market="TW")
    b = figures({"A": 50, "B": 10}, market="HK")
    later = figures({"A": 5, "B": 1}).assign(
        start=pd.Timestamp("2014-01-01"), end=pd.Timestamp("2014-12-31")
    )
    both = pd.concat([a, b, later], ignore_index=True)
    with pytest.raises(DataError, match="several markets"):
        project_rank(both, "X", 200)
    with pytest.raises(DataError, match="2 windows"):
        project_rank(both, "X", 200, market="TW")
    f = project_rank(both, "X", 200, market="TW", end="2013-12-31", draw=None, draws=10)
    assert f.probabilities[2] == 1.0  # between 500 and 100


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (figures({}).iloc[0:0], "empty"),
        (figures({"A": -5}), "never negative"),
        (figures({"A": 1.5}, share=True, size=10), "share is above 1"),
        (figures({"A": 0.5}, share=True), "no market size"),
        (pd.concat([figures({"A": 5}), figures({"A": 6})]), "several figures"),
    ],
)
def test_bad_figures_raise_data_error(frame, match):
    with pytest.raises(DataError, match=match):
        project_rank(frame, "X", 100)


def test_empty_market_size_only_zero():
    with pytest.raises(DataError, match="empty"):
        project_rank(figures({}, size=0), "X", 10, unlisted=2)


def test_not_a_frame():
    with pytest.raises(TypeError, match="DataFrame"):
        project_rank({"A": 1}, "X", 10)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(units=-1), ValueError, ">= 0"),
        (dict(units=(300, 100, 200)), ValueError, "low <= base <= high"),
        (dict(units=np.array([1.0, -2.0])), ValueError, ">= 0"),
        (dict(units="lots"), TypeError, "must be a number"),
        (dict(units=10, cv=-0.1), ValueError, "cv"),
        (dict(units=10, cv={"Nokia": 0.1}), ValueError, "Nokia"),
        (dict(units=10, split="zipf"), ValueError, "split"),
        (dict(units=10, draws=0), ValueError, "draws"),
        (dict(units=10, top=0), ValueError, "top"),
        (dict(units=10, unlisted=-1), ValueError, "unlisted"),
        (dict(units=10, tail_ratio=1.5), ValueError, "tail_ratio"),
        (dict(units=10, draw="all"), ValueError, "draw"),
        (dict(), ValueError, "give its volume"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        project_rank(figures({"A": 500, "B": 100}), "X", **kwargs)


def test_unlisted_brands_need_a_market_size():
    with pytest.raises(ValueError, match="market size"):
        project_rank(figures({"A": 500}), "X", 10, unlisted=3)


def test_listed_brands_above_the_market_warn_of_a_double_count():
    with pytest.warns(DoubleCountWarning):
        f = project_rank(figures({"A": 800, "B": 500}, size=1000), "X", 10, draws=10)
    assert f.unlisted == 0
    assert any("more than the market size" in w for w in f.warnings)


def test_negative_draws_of_a_distribution_are_reported():
    # N(10, 10) is negative with probability Phi(-1) = 0.159: those draws become 0
    f = project_rank(figures({"A": 500}), "X", stats.norm(10, 10), draw=None, draws=10_000)
    assert any("were negative" in w for w in f.warnings)


def test_array_of_draws_is_used_in_order_when_it_matches_the_run():
    # 4 draws: 100 and 600 against A = 500 -> ranks 2, 1, 2, 1
    draws = np.array([100.0, 600.0, 100.0, 600.0])
    f = project_rank(figures({"A": 500}), "X", draws, draw=None, draws=4)
    assert f.counts.tolist() == [2, 2]
    # resampled when the sizes differ: still only 100s and 600s -> P(first) near 0.5
    g = project_rank(figures({"A": 500}), "X", draws, draw=None, draws=10_000)
    assert abs(g.prob_top(1) - 0.5) < 0.02


def test_input_frame_is_not_modified():
    fig = figures({"A": 0.3, "B": 0.1}, share=True, size=1000)
    before = fig.copy()
    project_rank(fig, "X", 50, cv=0.1, draws=100)
    pd.testing.assert_frame_equal(fig, before)


def test_projection_window_draws_are_used():
    proj = FakeProjection(450, 100)
    n, seed = 20_000, 7
    f = project_rank(figures({"A": 500}), "X", proj, draw=None, draws=n, seed=seed)
    # sampled at the day before the window and its end, with the run's n and seed
    assert (pd.Timestamp("2012-12-31"), END) == tuple(proj.calls[-1][0])
    assert proj.calls[-1][1:] == (n, seed)
    # the same draws given as an array (in order) give the same answer, draw for draw
    g = project_rank(
        figures({"A": 500}), "X", proj.window_volumes(n, seed), draw=None, draws=n, seed=seed
    )
    np.testing.assert_array_equal(f.counts, g.counts)
    assert f.counts[0] == int((proj.window_volumes(n, seed) >= 500).sum())
    # a projection for another market is flagged
    proj.market = "CN"
    h = project_rank(figures({"A": 500}), "X", proj, draw=None, draws=10)
    assert any("for market CN, the figures for TW" in w for w in h.warnings)


def test_incumbent_projection():
    proj = FakeProjection(1000, 1)  # A's volume is about 1000 for sure
    f = project_rank(figures({"A": 500}), "X", 800, incumbents={"A": proj}, draw=None, draws=1000)
    assert f.probabilities[2] == 1.0  # 800 < ~1000
    assert START - pd.Timedelta(days=1) == proj.calls[-1][0][0]


def test_geometric_fallbacks_are_stated():
    # residual 1000 - 900 = 100 is below the smallest listed brand (900): ratio 0.5,
    # 2 brands -> 100 x 2/3 and 100 x 1/3
    f = project_rank(
        figures({"A": 900}, size=1000), "X", 10, unlisted=2, split="geometric", draws=10
    )
    np.testing.assert_allclose(f.inputs["units"].iloc[2:], [200 / 3, 100 / 3])
    assert any("default 0.5" in a for a in f.assumptions)
    # residual 800 over 2 brands: 400 each already above B's 100 -> equal (ratio 1)
    g = project_rank(
        figures({"A": 100, "B": 100}, size=1000), "X", 10, unlisted=2, split="geometric", draws=10
    )
    np.testing.assert_allclose(g.inputs["units"].iloc[3:], [400, 400])
    assert any("equal split" in a for a in g.assumptions)


def test_projection_for_a_to_date_window_uses_the_end_value():
    # a cumulative (to-date) window: start NaT -> the projection is sampled at the end
    # only and its value there (c0 + V) is the volume
    fig = figures({"A": 1500}).assign(start=pd.NaT, basis="cumulative")
    proj = FakeProjection(450, 1, c0=1000.0)  # ~1450 at the end: below A's 1500
    f = project_rank(fig, "X", proj, draw=None, draws=100)
    assert proj.calls[-1][0] == [END]
    assert f.probabilities[2] == 1.0


def test_a_real_projection_gives_its_window_draws():
    # Xiaomi's run-rate projection (packaged milestones) as the brand's volume in
    # H2 2012: the window volume is cum(2012-12-31) - cum(2012-06-30), from the
    # projection's own joint draws with the run's n and seed

    proj = founding()
    window = figures({"A": 2_000_000}).assign(
        start=pd.Timestamp("2012-07-01"), end=pd.Timestamp("2012-12-31")
    )
    n, seed = 5000, 3
    paths = proj.sample(
        [pd.Timestamp("2012-06-30"), pd.Timestamp("2012-12-31")], draws=n, seed=seed
    )
    volumes = paths[:, 1] - paths[:, 0]
    f = project_rank(window, "Xiaomi", proj, draw=None, draws=n, seed=seed)
    # first when the H2 volume reaches A's 2,000,000 (ties share the better rank)
    assert f.prob_top(1) == float((volumes >= 2_000_000).mean())
    assert 0 < f.prob_top(1) < 1
    assert any("for market CN, the figures for TW" in w for w in f.warnings)


def test_brand_rows_of_different_metrics_are_refused():
    # review: A's shipments and B's sales were ranked against each other silently
    fig = figures({"A": 500, "B": 300})
    fig.loc[1, "metric"] = "sales"
    with pytest.raises(DataError, match="metrics") as err:
        project_rank(fig, "X", 400, draws=100)
    assert "rows 1, 2" in str(err.value)

"""RankForecast: numbers from counts, text, HTML and chart; units_for_rank_probability;
sensitivity."""

import matplotlib

from analysis import units_for_rank
from analysis._summary import Summary
from analysis.rank_forecast import units_for_rank_table

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import (  # noqa: E402
    RankForecast,
    project_rank,
    sensitivity,
    units_for_rank_probability,
)
from tests.analysis.rank_forecast.helpers import figures  # noqa: E402


def _forecast(counts, top=2):
    counts = np.asarray(counts)
    return RankForecast(
        brand="X",
        market="TW",
        start=pd.Timestamp("2013-01-01"),
        end=pd.Timestamp("2013-12-31"),
        counts=counts,
        draws=int(counts.sum()),
        seed=0,
        top=top,
        inputs=pd.DataFrame(),
        unlisted=0,
        split="equal",
        deterministic_rank=2,
        warnings=("a warning",),
        assumptions=("an assumption",),
        source="hand",
    )


def test_numbers_from_counts_by_hand():
    # 10 draws: rank 1 twice, rank 2 three times, rank 3 five times
    f = _forecast([2, 3, 5])
    assert f.probabilities.tolist() == [0.2, 0.3, 0.5]
    assert f.probabilities.index.name == "rank"
    assert f.prob_top(1) == 0.2
    assert f.prob_top(2) == 0.5
    assert f.prob_top(9) == 1.0
    assert f.expected_rank == pytest.approx(1 * 0.2 + 2 * 0.3 + 3 * 0.5)  # 2.3
    # cumulative 0.2, 0.5, 1.0: q=0.5 -> rank 2 (P(rank<=2) = 0.5 >= 0.5); q=0.51 -> 3
    assert f.median_rank == 2
    assert f.quantile(0.51) == 3
    assert f.quantile(0.0) == 1
    assert f.quantile([0.1, 0.9]).tolist() == [1, 3]
    assert f.standard_error(2) == pytest.approx((0.5 * 0.5 / 10) ** 0.5)
    frame = f.frame()
    assert frame["cumulative_probability"].tolist() == pytest.approx([0.2, 0.5, 1.0])


@pytest.mark.parametrize("q", [-0.1, 1.5, float("nan")])
def test_quantile_outside_0_1(q):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        _forecast([1, 1]).quantile(q)


def test_prob_top_needs_a_place():
    with pytest.raises(ValueError, match="at least 1"):
        _forecast([1, 1]).prob_top(0)
    with pytest.raises(TypeError):
        _forecast([1, 1]).prob_top(1.5)


def test_text_and_html():
    f = _forecast([2, 3, 5])
    # P(top 2) = (2 + 3) / 10 = 50%; expected rank 1(0.2) + 2(0.3) + 3(0.5) = 2.3
    assert (
        repr(f)
        == "RankForecast(X in TW, 2013: P(top 2)=50%, expected rank 2.3, median 2, draws=10)"
    )
    summary = f.summary()
    assert isinstance(summary, Summary)
    facts = summary.facts_dict()
    assert facts["P(top 2)"] == "50%"
    assert facts["expected rank"] == "2.3"
    assert facts["median rank"] == "2"
    assert facts["80% of draws"] == "ranks 1 to 3"  # cumulative 0.2, 0.5, 1.0
    # Monte Carlo s.e. sqrt(0.5 * 0.5 / 10) = 0.158 -> 15.81 points
    assert facts["Monte Carlo s.e."] == "15.81 pp"
    text = str(summary)
    assert text.startswith("Rank forecast: X in TW, 2013")
    assert "Assumption: an assumption" in text and "Warning: a warning" in text
    assert "Source: hand" in text
    # the rank table: numbers formatted as the charts format them, right-aligned
    caption, table = summary.tables[0]
    assert caption == "Probability of each rank" and table["rank"].tolist() == [1, 2, 3]
    assert "50%" in text.split("Probability of each rank")[1]
    page = f._repr_html_()
    assert page == summary.as_html()
    assert "marketshare-summary" in page and "a warning" in page and '<td class="num">50%' in page


def test_plot_draws_one_bar_per_rank():
    f = _forecast([2, 3, 5])
    ax = f.plot()
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([0.2, 0.3, 0.5])
    assert ax.get_xlabel() == "rank"
    plt.close(ax.figure)
    fig, own = plt.subplots()
    assert f.plot(ax=own, color="k") is own
    plt.close(fig)


def test_forecast_is_immutable():
    f = _forecast([1, 1])
    with pytest.raises(AttributeError):
        f.draws = 5


# -- units_for_rank_probability ---------------------------------------------------


def _taiwan_like():
    # shares of a 7,000,000 market: 1.96M, 1.47M, 1.12M, 0.91M, 0.21M; residual 1.33M
    return figures(
        {"Samsung": 0.28, "HTC": 0.21, "Sony": 0.16, "Apple": 0.13, "LG": 0.03},
        share=True,
        size=7_000_000,
    )


def test_units_for_rank_without_uncertainty_by_hand():
    # 7 unlisted of 190,000: the 10th largest competitor has 190,000. With a
    # proportional draw the brand needs u >= 190,000 x (7M - u) / 7M, i.e.
    # u = 190,000 x 7M / (7M + 190,000) = 184,979.14
    u = units_for_rank_probability(_taiwan_like(), 10, prob=0.9, draws=1000)
    assert u == pytest.approx(190_000 * 7e6 / 7.19e6)
    # without the draw: exactly the 10th largest; for rank 5: LG's 210,000
    assert units_for_rank_probability(
        _taiwan_like(), 10, prob=0.5, draw=None, draws=10
    ) == pytest.approx(190_000)
    assert units_for_rank_probability(
        _taiwan_like(), 5, prob=0.5, draw=None, draws=10
    ) == pytest.approx(210_000)
    # last place (12 competitors -> rank 13) needs nothing
    assert units_for_rank_probability(_taiwan_like(), 13, prob=1.0, draws=10) == 0.0


@pytest.mark.parametrize("prob", [0.5, 0.8, 0.95])
def test_units_for_rank_gives_at_least_the_probability(prob):
    options = dict(cv=0.2, market_cv=0.1, common_cv=0.05, draws=20_000, seed=4)
    u = units_for_rank_probability(_taiwan_like(), 10, prob=prob, **options)
    at = project_rank(_taiwan_like(), "Xiaomi", u, tail_sensitivity=False, **options)
    below = project_rank(
        _taiwan_like(), "Xiaomi", u * (1 - 1e-9), tail_sensitivity=False, **options
    )
    assert at.prob_top(10) >= prob
    assert below.prob_top(10) < prob
    # and more probability costs more units
    assert units_for_rank_probability(_taiwan_like(), 10, prob=prob / 2, **options) < u


def test_units_for_rank_probability_is_monotone_in_rank():
    options = dict(cv=0.2, draws=5000)
    values = [
        units_for_rank_probability(_taiwan_like(), k, prob=0.8, **options) for k in range(1, 14)
    ]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(
    ("rank", "prob", "error", "match"),
    [
        (14, 0.5, ValueError, "lowest rank is 13"),
        (0, 0.5, ValueError, "rank must be >= 1"),
        (5, 1.2, ValueError, "prob must be <= 1"),
        (5, -0.1, ValueError, "prob must be >= 0"),
        (5, "high", TypeError, "prob must be a number"),
    ],
)
def test_units_for_rank_bad_arguments(rank, prob, error, match):
    with pytest.raises(error, match=match):
        units_for_rank_probability(_taiwan_like(), rank, prob=prob, draws=10)


def test_units_for_rank_of_an_incumbent_excludes_it():
    # ranking LG among the others: its own 210,000 is not a competitor; 11 competitors,
    # the 5th largest is the first unlisted (190,000); no draw for an incumbent
    u = units_for_rank_probability(_taiwan_like(), 5, prob=0.5, brand="LG", draws=10)
    assert u == pytest.approx(190_000)


# -- sensitivity --------------------------------------------------------------------


def test_sensitivity_frame_by_hand():
    # A 500, B 300, C 100; the brand 320, draw=None, no noise, top 2, spread 0.1:
    # units 288 -> third (0), 352 -> second (1); B 270 -> brand second (1), 330 -> third (0);
    # A and C never change the answer.
    fig = figures({"A": 500, "B": 300, "C": 100})
    t = sensitivity(fig, "X", 320, top=2, draw=None, draws=500, spread=0.1)
    assert list(t.columns) == ["input", "low", "high", "prob_low", "prob_high", "prob_base"]
    rows = t.set_index("input")
    assert rows.loc["units", ["low", "high", "prob_low", "prob_high"]].tolist() == [
        288.0,
        352.0,
        0.0,
        1.0,
    ]
    assert rows.loc["B", ["prob_low", "prob_high"]].tolist() == [1.0, 0.0]
    assert rows.loc["A", ["prob_low", "prob_high"]].tolist() == [1.0, 1.0]
    assert (t["prob_base"] == 1.0).all()  # 320 > 300: second
    swing = (t["prob_high"] - t["prob_low"]).abs()
    assert swing.is_monotonic_decreasing


def test_sensitivity_uses_triples_and_explicit_ranges():
    fig = figures({"A": 0.5, "B": 0.2}, share=True, size=1000)
    t = sensitivity(
        fig,
        "X",
        (50, 100, 250),
        top=3,
        draws=2000,
        ranges={"common_cv": (0.0, 0.3), "unlisted": (1, 6)},
    )
    rows = t.set_index("input")
    assert rows.loc["units", ["low", "high"]].tolist() == [50.0, 250.0]
    assert rows.loc["market_size", ["low", "high"]].tolist() == [800.0, 1200.0]
    assert rows.loc["unlisted", ["low", "high"]].tolist() == [1.0, 6.0]
    assert "common_cv" in rows.index
    base = project_rank(fig, "X", (50, 100, 250), top=3, draws=2000).prob_top(3)
    assert (t["prob_base"] == base).all()
    with pytest.raises(ValueError, match="unknown inputs"):
        sensitivity(fig, "X", 100, ranges={"Nokia": (1, 2)}, draws=10)


def test_sensitivity_never_shrinks_the_market_below_brands_listed_in_units():
    # A 500 + B 300 + C 100 = 900 units listed in a market of 950; spread 0.1 would put the
    # low end at 855, a market smaller than its listed brands: it stops at 900. High: 1,045.
    fig = figures({"A": 500, "B": 300, "C": 100}, size=950)
    rows = sensitivity(fig, "X", 60, top=2, draw=None, draws=200, spread=0.1).set_index("input")
    assert rows.loc["market_size", ["low", "high"]].tolist() == [900.0, pytest.approx(1045.0)]


def test_units_for_rank_table_by_hand():
    # no uncertainty, Taiwan-like 7M market: rank 3 needs Sony's 1,120,000 when the market
    # grows, 1.12M x 7M / 8.12M = 965,517.24 when it is fixed; rank 10 needs the 5th
    # unlisted brand's 190,000, or 190,000 x 7M / 7.19M = 184,979.14

    shares = _taiwan_like()
    size = shares[shares["brand"].isna()]
    t = units_for_rank_table(
        shares[shares["brand"].notna()], [3, 10], prob=0.8, market_size=size, draws=100
    )
    assert list(t.columns) == [
        "market",
        "start",
        "end",
        "rank",
        "prob",
        "units_market_grows",
        "units_market_fixed",
        "share_needed",
    ]
    np.testing.assert_allclose(t["units_market_grows"], [1_120_000, 190_000])
    np.testing.assert_allclose(
        t["units_market_fixed"], [1.12e6 * 7e6 / 8.12e6, 190_000 * 7e6 / 7.19e6]
    )
    np.testing.assert_allclose(t["share_needed"], t["units_market_fixed"] / 7e6)
    assert (t["market"] == "TW").all() and (t["prob"] == 0.8).all()


def test_units_for_rank_table_agrees_with_the_deterministic_units_for_rank():
    tw = _taiwan_like()
    brands, size = tw[tw["brand"].notna()].drop(columns="units"), 7_000_000
    # no uncertainty, a listed rank: the probabilistic table agrees with the deterministic
    # one (rank 3: Sony's 1,120,000; fixed market 1.12M x 7M / 8.12M)
    exact = units_for_rank(brands, 3, market_size=size)
    sure = units_for_rank_table(brands, 3, market_size=size, prob=0.9, draws=100)
    for column in ("units_market_grows", "units_market_fixed", "share_needed"):
        assert sure[column].iloc[0] == pytest.approx(exact[column].iloc[0])
    # with uncertainty: the same numbers as units_for_rank_probability
    options = dict(cv=0.2, market_cv=0.1, draws=5000, seed=2)
    t = units_for_rank_table(brands, [5, 10], market_size=size, prob=0.8, **options)
    for k, row in zip([5, 10], t.itertuples(index=False), strict=True):
        assert row.units_market_fixed == units_for_rank_probability(
            brands, k, prob=0.8, market_size=size, **options
        )
        assert row.units_market_grows == units_for_rank_probability(
            brands, k, prob=0.8, market_size=size, draw=None, **options
        )
    # units_for_rank has one schema: the probability belongs to units_for_rank_probability
    with pytest.raises(TypeError, match="prob"):
        units_for_rank(brands, 3, market_size=size, prob=0.8)

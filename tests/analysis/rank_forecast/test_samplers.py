"""Volume samplers: the distributions the documentation promises."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import project_rank
from analysis.rank_forecast.samplers import Fixed, Pert, lognormal_factor, make_sampler
from tests.analysis.rank_forecast.fakes import FakeProjection
from tests.analysis.rank_forecast.helpers import figures, mc_tolerance
from tests.factories import window_figures


def test_lognormal_factor_has_mean_one_and_the_cv():
    gen = np.random.default_rng(0)
    x = lognormal_factor(gen, 0.3, 400_000)
    # mean 1 and s.d. 0.3 by construction; s.e. of the mean 0.3 / sqrt(4e5) = 0.00047
    assert x.mean() == pytest.approx(1.0, abs=0.002)
    assert x.std() == pytest.approx(0.3, abs=0.003)
    assert (x > 0).all()


def test_pert_mean_and_bounds():
    # Beta-PERT(100, 200, 600): mean (100 + 4 x 200 + 600) / 6 = 250; a = 1 + 4 x 100/500
    # = 1.8, b = 1 + 4 x 400/500 = 4.2; variance (600-100)^2 a b / ((a+b)^2 (a+b+1))
    p = make_sampler((100, 200, 600), what="units")
    assert isinstance(p, Pert)
    assert (p.a, p.b) == pytest.approx((1.8, 4.2))
    x = p.draw(np.random.default_rng(1), 0, 200_000)
    var = 500**2 * 1.8 * 4.2 / (6**2 * 7)
    assert x.mean() == pytest.approx(250, abs=4 * math.sqrt(var / 200_000))
    assert x.min() >= 100 and x.max() <= 600


def test_degenerate_triple_is_a_fixed_volume():
    s = make_sampler((5.0, 5.0, 5.0), what="units")
    assert isinstance(s, Fixed) and not s.random and s.base == 5.0


def test_frozen_distribution_is_drawn_with_the_block_generator():
    s = make_sampler(stats.expon(scale=10), what="units")
    x = s.draw(np.random.default_rng(2), 0, 5)
    np.testing.assert_array_equal(
        x, stats.expon(scale=10).rvs(size=5, random_state=np.random.default_rng(2))
    )


def test_market_size_from_a_projection():
    # the market is ~1000 for sure; B has 30% of it (300): a brand of 250 is second
    market = FakeProjection(1000, 0.001)
    f = project_rank(
        figures({"B": 0.3}, share=True),
        "A",
        250,
        market_size=market,
        unlisted=0,
        draw=None,
        draws=1000,
    )
    assert f.probabilities[2] == 1.0
    g = project_rank(
        figures({"B": 0.3}, share=True),
        "A",
        350,
        market_size=market,
        unlisted=0,
        draw=None,
        draws=1000,
    )
    assert g.probabilities[1] == 1.0


def test_a_projection_with_a_wrong_shape_is_refused():
    class Broken:
        def sample(self, dates, *, draws=1000, seed=None):
            n = draws
            return np.zeros((n, 5))

    with pytest.raises(ValueError, match="shape"):
        project_rank(figures({"B": 10}), "A", Broken(), draws=10)


def test_a_projection_with_falling_paths_is_refused():
    class Falling:
        def sample(self, dates, *, draws=1000, seed=None):
            n = draws
            return np.column_stack([np.full(n, 10.0), np.full(n, 5.0)])

    with pytest.raises(ValueError, match="non-decreasing"):
        project_rank(figures({"B": 10}), "A", Falling(), draws=10)


def test_a_statsforecast_projection_gives_the_brand_its_draws_in_the_window():
    # Apple's IDC quarters to 2023Q4, projected by statsforecast's SeasonalNaive: its
    # 2024Q1 volume is N(mean, sd) per statsforecast (2023Q1 repeated; sd from its 80%
    # interval). A fixed competitor at the upper end of that interval outsells Apple with
    # probability 0.9, so Apple ranks first with probability 0.1 (Monte Carlo aside).
    from statsforecast.models import SeasonalNaive

    from analysis import fit
    from tests.factories import ww_quarterly

    ww = ww_quarterly()
    apple = ww[(ww["brand"] == "Apple") & (ww["end"] <= "2023-12-31")].sort_values("end")
    p = fit(apple, "snaive")
    ref = SeasonalNaive(season_length=4).forecast(
        y=apple["units"].to_numpy(dtype=float), h=1, level=[80]
    )
    hi = float(ref["hi-80"][0])
    window = (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    f = project_rank(
        window_figures({"B": hi}, window=window, market="WW"),
        "Apple",
        p,
        unlisted=0,
        draw=None,
        draws=20_000,
        seed=3,
    )
    assert f.probabilities[1] == pytest.approx(0.1, abs=mc_tolerance(0.1, 20_000))
    assert f.probabilities[1] + f.probabilities[2] == pytest.approx(1.0)

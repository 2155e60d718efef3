"""project_rank: analytic checks, determinism, chunking invariance, convergence."""

import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis import project_rank
from tests.analysis.rank_forecast.helpers import (
    END,
    START,
    figures,
    lognormal_cdf,
    mc_tolerance,
    phi,
)


def test_two_normal_brands_match_the_analytic_probability():
    # A ~ N(1000, 100), B ~ N(900, 150): P(A > B) = Phi((1000 - 900) / sqrt(100^2 + 150^2))
    #   = Phi(100 / 180.278) = Phi(0.5547) = 0.7105
    expected = phi(100 / math.sqrt(100**2 + 150**2))
    n = 200_000
    f = project_rank(
        figures({"B": 900}),
        "A",
        stats.norm(1000, 100),
        incumbents={"B": stats.norm(900, 150)},
        draw=None,
        draws=n,
        seed=3,
        top=1,
    )
    assert abs(f.prob_top(1) - expected) < mc_tolerance(expected, n)
    assert f.probabilities.to_dict().keys() == {1, 2}
    assert f.probabilities[2] == pytest.approx(1 - f.prob_top(1))
    assert f.warnings == ()  # means 6.7 and 6 s.d. from 0: no negative draw clipped


def test_lognormal_incumbent_noise_matches_the_analytic_probability():
    # B = 900 x F, F log-normal with mean 1 and CV 0.3; the brand has 1000 units.
    # P(brand first) = P(900 F <= 1000) = P(F <= 1.1111)
    expected = lognormal_cdf(1000 / 900, 0.3)
    n = 100_000
    f = project_rank(figures({"B": 900}), "A", 1000, cv=0.3, draw=None, draws=n, seed=5)
    assert abs(f.prob_top(1) - expected) < mc_tolerance(expected, n)


def test_common_factor_moves_all_competitors_together():
    # A = 1000 F, B = 500 F with one common factor F (CV 0.25), the brand has 750:
    # rank 1 when 1000 F <= 750 (F <= 0.75), rank 3 when 500 F > 750 (F > 1.5), else 2.
    # Independent noise would give other probabilities; a common factor gives exactly these.
    cv, n = 0.25, 100_000
    p1 = lognormal_cdf(0.75, cv)
    p3 = 1 - lognormal_cdf(1.5, cv)
    f = project_rank(
        figures({"A": 1000, "B": 500}), "X", 750, common_cv=cv, draw=None, draws=n, seed=9
    )
    assert abs(f.probabilities[1] - p1) < mc_tolerance(p1, n)
    assert abs(f.probabilities[3] - p3) < mc_tolerance(p3, n) + 1e-4


def test_market_size_noise_scales_shares():
    # B has share 0.3 of a market of 1000 x F (market_cv 0.2); the brand has 250 units.
    # P(brand above B) = P(0.3 x 1000 F <= 250) = P(F <= 0.8333)
    expected = lognormal_cdf(250 / 300, 0.2)
    n = 100_000
    f = project_rank(
        figures({"B": 0.3}, share=True, size=1000),
        "A",
        250,
        market_cv=0.2,
        unlisted=0,
        draw=None,
        draws=n,
        seed=2,
    )
    assert abs(f.prob_top(1) - expected) < mc_tolerance(expected, n)


def test_an_incumbent_is_ranked_on_its_own_figure():
    # B (900) is ranked against A (1000) with CV 0.1 on B's own figure:
    # P(B first) = P(900 F > 1000) = 1 - P(F <= 1.1111)
    expected = 1 - lognormal_cdf(1000 / 900, 0.1)
    n = 100_000
    f = project_rank(figures({"A": 1000, "B": 900}), "B", cv={"B": 0.1}, draws=n, seed=4)
    assert abs(f.prob_top(1) - expected) < mc_tolerance(expected, n)
    assert list(f.inputs["brand"]) == ["B", "A"]  # B is not its own competitor


def test_no_uncertainty_gives_the_deterministic_rank():
    # competitors 500, 400, 300, 200, 100; the brand has 250: 3 above it -> rank 4
    f = project_rank(
        figures({"A": 500, "B": 400, "C": 300, "D": 200, "E": 100}),
        "X",
        250,
        draw=None,
        draws=5000,
    )
    assert f.probabilities[4] == 1.0
    assert f.expected_rank == 4.0
    assert f.median_rank == 4
    assert f.deterministic_rank == 4
    assert f.prob_top(3) == 0.0
    assert f.prob_top(4) == 1.0


def test_ties_share_the_better_rank():
    # the brand's 300 ties C's 300: only A and B have strictly more -> rank 3
    f = project_rank(figures({"A": 500, "B": 400, "C": 300}), "X", 300, draw=None, draws=100)
    assert f.probabilities[3] == 1.0


def test_volume_above_the_leader_is_first_for_certain():
    # bounded PERT incumbents (max 600, 450) and a brand of at least 700: always first
    f = project_rank(
        figures({"A": 500, "B": 400}),
        "X",
        (700, 800, 900),
        incumbents={"A": (400, 500, 600), "B": (350, 400, 450)},
        draw=None,
        draws=20_000,
    )
    assert f.prob_top(1) == 1.0
    assert f.quantile(0.999) == 1


def test_proportional_draw_shrinks_the_competitors():
    # market 1000: A 600, B 300, Others 100 (1 unlisted brand); the brand sells 250.
    # draw=None: 600 > 300 > 250 -> rank 3.  Proportional: competitors x 750/1000:
    # A 450, B 225, unlisted 75 -> rank 2.
    fig = figures({"A": 600, "B": 300}, size=1000)
    assert project_rank(fig, "X", 250, draw=None, unlisted=1, draws=100).probabilities[3] == 1
    f = project_rank(fig, "X", 250, unlisted=1, draws=100)
    assert f.probabilities[2] == 1.0
    assert f.deterministic_rank == 2


def _heavy_figures():
    return figures({"A": 0.3, "B": 0.2, "C": 0.1, "D": 0.05}, share=True, size=1_000_000)


_OPTIONS = dict(
    cv={"A": 0.2, "B": 0.1, "Others": 0.3},
    market_cv=0.1,
    common_cv=0.05,
    incumbents={"C": stats.gamma(20, scale=5000)},
    unlisted=6,
    split="geometric",
)


@pytest.mark.parametrize("chunk_size", [1, 4096, 8192, 12_288, 50_000, 1_000_000])
def test_same_seed_same_answer_whatever_the_chunk_size(chunk_size):
    draws = 30_001  # not a whole number of blocks
    units = (40_000, 60_000, 120_000)
    ref = project_rank(
        _heavy_figures(),
        "X",
        units,
        draws=draws,
        seed=11,
        chunk_size=4096,
        tail_sensitivity=False,
        **_OPTIONS,
    )
    other = project_rank(
        _heavy_figures(),
        "X",
        units,
        draws=draws,
        seed=11,
        chunk_size=chunk_size,
        tail_sensitivity=False,
        **_OPTIONS,
    )
    np.testing.assert_array_equal(ref.counts, other.counts)
    assert ref.counts.sum() == draws


def test_another_seed_gives_other_draws_with_the_same_law():
    units = (40_000, 60_000, 120_000)
    a = project_rank(
        _heavy_figures(), "X", units, draws=50_000, seed=1, tail_sensitivity=False, **_OPTIONS
    )
    b = project_rank(
        _heavy_figures(), "X", units, draws=50_000, seed=2, tail_sensitivity=False, **_OPTIONS
    )
    assert not np.array_equal(a.counts, b.counts)
    p = a.prob_top(6)
    assert abs(a.prob_top(6) - b.prob_top(6)) < mc_tolerance(p, 50_000) * math.sqrt(2)


def test_estimates_converge_as_draws_grow():
    # same analytic two-brand case: the error stays within 4 standard errors at every
    # size, and the standard error falls as 1 / sqrt(draws)
    expected = phi(100 / math.sqrt(100**2 + 150**2))
    errors = []
    for n in (1_000, 10_000, 100_000, 400_000):
        f = project_rank(
            figures({"B": 900}),
            "A",
            stats.norm(1000, 100),
            incumbents={"B": stats.norm(900, 150)},
            draw=None,
            draws=n,
            seed=21,
        )
        assert abs(f.prob_top(1) - expected) < mc_tolerance(expected, n)
        errors.append(f.standard_error(1))
    assert errors[-1] < errors[0] / 15  # sqrt(400) = 20 in theory


def test_memory_stays_bounded_by_the_chunk():
    # 300,000 draws x 30 brands: one unchunked float64 matrix alone is 72 MB; with chunks
    # of 4096 draws each matrix is 4096 x 30 x 8 = 1 MB.
    units = {f"B{i}": 1000.0 + 10 * i for i in range(30)}
    tracemalloc.start()
    try:
        project_rank(
            figures(units),
            "X",
            (900, 1100, 1300),
            cv=0.2,
            draw=None,
            draws=300_000,
            chunk_size=4096,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_probabilities_add_up_and_frame_is_consistent():
    f = project_rank(_heavy_figures(), "X", 60_000, draws=20_000, **_OPTIONS)
    frame = f.frame()
    assert list(frame.columns) == ["rank", "probability", "cumulative_probability"]
    assert frame["probability"].sum() == pytest.approx(1.0)
    assert frame["cumulative_probability"].iloc[-1] == pytest.approx(1.0)
    # 4 listed - 0 + 6 unlisted = 10 competitors -> ranks 1..11
    assert list(frame["rank"]) == list(range(1, 12))


@settings(max_examples=40, deadline=None)
@given(
    volumes=st.lists(st.integers(0, 1000), min_size=1, max_size=12),
    mine=st.integers(0, 1000),
)
def test_rank_without_uncertainty_matches_pandas_min_rank(volumes, mine):
    # an independent definition: pandas ranks all volumes descending with ties at the
    # best place ("min"); the brand's rank is its place among them
    fig = figures({f"B{i}": v for i, v in enumerate(volumes)})
    everyone = pd.Series([*volumes, mine], dtype=float)
    expected = int(everyone.rank(method="min", ascending=False).iloc[-1])
    f = project_rank(fig, "X", mine, draw=None, draws=10, tail_sensitivity=False)
    assert f.probabilities[expected] == 1.0


def test_progress_bar_can_be_shown(capsys):
    project_rank(figures({"A": 10}), "X", 5, draw=None, draws=5000, progress=True)
    assert "rank forecast" in capsys.readouterr().err


def test_window_is_reported():
    f = project_rank(figures({"A": 10}), "X", 5, draws=10)
    assert (f.market, f.start, f.end) == ("TW", START, END)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    draws=st.integers(1, 20_000),
    chunk=st.integers(1, 30_000),
)
def test_any_chunk_size_gives_the_same_counts(seed, draws, chunk):
    fig = figures({"A": 0.4, "B": 0.25, "C": 0.1}, share=True, size=10_000)
    kwargs = dict(
        cv=0.3, market_cv=0.1, common_cv=0.1, draws=draws, seed=seed, tail_sensitivity=False
    )
    a = project_rank(fig, "X", (500, 900, 2000), chunk_size=chunk, **kwargs)
    b = project_rank(fig, "X", (500, 900, 2000), chunk_size=10**6, **kwargs)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.counts.sum() == draws

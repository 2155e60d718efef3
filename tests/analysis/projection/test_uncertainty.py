"""The spread factor of error libraries, against a plain re-implementation of its definition."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.projection import uncertainty
from analysis.projection.uncertainty import spread_factor


def by_definition(E):
    """spread_factor written out with loops: for each horizon h = 1..4 the median over
    j >= 8 of |e_j - median(e_<j)| / MAD(e_<j), for the errors in their order and for each
    of 64 fixed random orders (seed 0); the factor is the geometric mean over h of
    observed / median over the orders."""
    E = E[:, :4]

    def stat(rows):
        out = []
        for h in range(4):
            r = []
            for j in range(8, len(rows)):
                past = rows[:j, h]
                med = np.median(past)
                mad = np.median(np.abs(past - med))
                r.append(abs(rows[j, h] - med) / mad)
            out.append(np.median(r))
        return np.array(out)

    K = E.shape[0]
    orders = np.argsort(np.random.default_rng(0).random((64, K)), axis=1)
    reference = np.median([stat(E[o]) for o in orders], axis=0)
    return float(np.exp(np.mean(np.log(stat(E) / reference))))


def test_constants_are_the_documented_ones():
    assert (uncertainty.RECAL_START, uncertainty.RECAL_HORIZONS) == (8, 4)
    assert uncertainty.RECAL_PERMUTATIONS == 64


@pytest.mark.parametrize("trend", [0.0, 2.0, -0.6])
def test_spread_factor_matches_its_definition(trend):
    rng = np.random.default_rng(7)
    E = rng.normal(0.05, 0.1, size=(30, 6)) * (1 + trend * np.linspace(0, 1, 30))[:, None]
    assert spread_factor(E) == pytest.approx(by_definition(E), rel=1e-12)


def test_spread_factor_direction_and_scale_invariance():
    rng = np.random.default_rng(3)
    E = rng.normal(0, 0.1, size=(40, 4))
    growing = E * np.linspace(0.5, 3.0, 40)[:, None]
    assert spread_factor(growing) > 1.3  # later errors wider than the earlier spread
    assert spread_factor(growing[::-1]) < 0.8  # narrowing errors: the library narrows
    # a ratio of spreads: the same for errors ten times larger
    assert spread_factor(10 * growing) == pytest.approx(spread_factor(growing), rel=1e-12)


def test_too_few_errors_leave_the_library_alone():
    E = np.random.default_rng(0).normal(size=(11, 4))  # 11 < RECAL_START + 4 complete paths
    assert spread_factor(E) == 1.0
    assert spread_factor(None) == 1.0
    # incomplete paths (horizons not known yet) are not counted
    E = np.random.default_rng(0).normal(size=(14, 4))
    E[-3:, 1:] = np.nan
    assert spread_factor(E) == 1.0

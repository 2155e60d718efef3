"""The founding case: Xiaomi entering Taiwan, on the packaged IDC 2013 shares and the
7,000,000-unit market size from the 2012 news report."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import project_rank, units_for_rank_probability
from marketdata import datasets
from tests.analysis.rank_forecast.helpers import mc_tolerance


def taiwan_2013():
    tw = datasets.load("taiwan_vendor_share")
    shares = tw[tw["end"] == pd.Timestamp("2013-12-31")]
    xiaomi = datasets.load("xiaomi_2011_2012")
    size = xiaomi[xiaomi["brand"].isna() & (xiaomi["market"] == "TW")]
    return pd.concat([shares, size], ignore_index=True)


def independent_prob_top10(units, *, cv, market_cv, n, seed):
    """The same model written out directly with one generator (no blocks, no chunks):
    M = 7M x F_m; listed = share x M x F_i; residual = max(M - sum, 0) over 7 unlisted
    brands equally, each x F_j; Xiaomi takes its units proportionally (x (M - u) / M)."""
    rng = np.random.default_rng(seed)

    def factor(c, size):
        s2 = math.log1p(c * c)
        return np.exp(rng.normal(-s2 / 2, math.sqrt(s2), size))

    market = 7e6 * factor(market_cv, n)
    listed = np.array([0.28, 0.21, 0.16, 0.13, 0.03]) * market[:, None] * factor(cv, (n, 5))
    residual = np.maximum(market - listed.sum(axis=1), 0)
    unlisted = (residual / 7)[:, None] * factor(cv, (n, 7))
    competitors = np.hstack([listed, unlisted]) * ((market - units) / market)[:, None]
    rank = 1 + (competitors > units).sum(axis=1)
    return float((rank <= 10).mean())


def test_taiwan_without_uncertainty_by_hand():
    # market 7M; Samsung 1.96M, HTC 1.47M, Sony 1.12M, Apple 0.91M, LG 0.21M;
    # residual 7M x (1 - 0.81) = 1.33M, default 7 unlisted of 190,000 (ceil(1.33M / 0.21M))
    fig = taiwan_2013()
    f100 = project_rank(fig, "Xiaomi", 100_000, draws=1000)
    assert f100.unlisted == 7
    np.testing.assert_allclose(
        f100.inputs["units"], [100_000, 1.96e6, 1.47e6, 1.12e6, 0.91e6, 0.21e6] + [190_000] * 7
    )
    # 100k: every competitor, x 6.9/7, still above it -> rank 13, no top-ten place
    assert f100.probabilities[13] == 1.0
    assert f100.prob_top(10) == 0.0
    # 300k: LG 210k x 6.7/7 = 201k and unlisted 182k fall below -> rank 5
    f300 = project_rank(fig, "Xiaomi", 300_000, draws=1000)
    assert f300.probabilities[5] == 1.0
    assert f300.prob_top(10) == 1.0
    # the notes say what the data cannot: other year, "over", all phones vs shipments
    text = " ".join(f300.warnings)
    assert "the market size covers 2012 but" in text and "'over'" in text and "demand" in text


@pytest.mark.parametrize("units", [100_000, 200_000, 300_000])
def test_taiwan_with_uncertainty_matches_an_independent_simulation(units):
    n = 100_000
    f = project_rank(
        taiwan_2013(),
        "Xiaomi",
        units,
        cv=0.2,
        market_cv=0.1,
        draws=n,
        seed=0,
        tail_sensitivity=False,
    )
    other = independent_prob_top10(units, cv=0.2, market_cv=0.1, n=n, seed=12345)
    p = f.prob_top(10)
    assert abs(p - other) < mc_tolerance(p, n) * math.sqrt(2) + 1e-4


def test_taiwan_founding_numbers():
    # the figures quoted in the README (CV 0.2 per brand, 0.1 on the market, seed 0,
    # 100,000 draws); the independent simulation above checks the same model
    fig = taiwan_2013()
    options = dict(cv=0.2, market_cv=0.1, draws=100_000, seed=0)
    p100 = project_rank(fig, "Xiaomi", 100_000, **options)
    p300 = project_rank(fig, "Xiaomi", 300_000, **options)
    assert p100.prob_top(10) == pytest.approx(0.171, abs=0.005)
    assert p300.prob_top(10) == pytest.approx(0.979, abs=0.005)
    # the unlisted-brand rule matters at 100k: 14 unlisted brands instead of 7 make a
    # top-ten place far likelier (each unlisted brand is half as big)
    tails = p100.tail_sensitivity.set_index(["split", "unlisted"])["prob_top"]
    assert tails[("equal", 14)] > tails[("equal", 7)] + 0.2
    u80 = units_for_rank_probability(fig, 10, prob=0.8, **options)
    assert 190_000 < u80 < 260_000

"""The founding case: Xiaomi's "over 300k by end-2011" and "over 3M by 12 June 2012", and the
5M target for the end of 2012 whose basis is unclear (packaged ``xiaomi_2011_2012``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit, target_attainment
from marketdata import DataError, datasets


@pytest.fixture(scope="module")
def figures():
    return datasets.load("xiaomi_2011_2012")


@pytest.fixture(scope="module")
def exact(figures):
    # "over" read as exact (slack=0) and the pace held (growth 0..0): every draw is the same
    return fit(figures, "runrate", brand="Xiaomi", slack=0, scenarios={"growth": (0, 0)})


def test_runrate_projection_by_hand(exact):
    # pace = (3.0M - 0.3M) / 164 days = 16,463.41 units/day; 2012-06-12 -> 2012-12-31 is
    # 202 days: 3.0M + 202 * 16,463.41 = 6,325,609.76 since launch
    assert exact.predict(["2012-12-31"]).iloc[0] == pytest.approx(3e6 + 202 * 2.7e6 / 164, rel=1e-9)
    # between the milestones the path interpolates: 2012-03-01 is 61 days after 2011-12-31
    assert exact.predict(["2012-03-01"]).iloc[0] == pytest.approx(
        0.3e6 + 61 * 2.7e6 / 164, rel=1e-9
    )


def test_target_both_readings_by_hand(exact, figures):
    res = target_attainment(exact, figures)  # the target row has basis "unclear"
    t = res.frame().set_index("reading")
    assert list(t.index) == ["since launch", "period alone"]
    # since launch: 6,325,609.76 >= 5M; calendar 2012 alone: 6,325,609.76 - 300,000
    assert t.loc["since launch", "median"] == pytest.approx(6_325_609.756, rel=1e-9)
    assert t.loc["period alone", "median"] == pytest.approx(6_025_609.756, rel=1e-9)
    assert (t["probability"] == 1.0).all()
    # needed from the last actual: (5M - 3M) / (202 / 365.25 years) = 3,616,336.6 per year;
    # 2012 alone: (5M - 2.7M) / (202 / 365.25) = 4,158,787.1; current: 2.7M / (164 / 365.25)
    assert t.loc["since launch", "required_rate"] == pytest.approx(2e6 / (202 / 365.25), rel=1e-9)
    assert t.loc["period alone", "required_rate"] == pytest.approx(2.3e6 / (202 / 365.25), rel=1e-9)
    assert t.loc["since launch", "current_rate"] == pytest.approx(2.7e6 / (164 / 365.25), rel=1e-9)
    # reaching 5M since launch: 2M / 16,463.41 per day = 121.5 days after 2012-06-12 -> Oct 11;
    # 2012 alone: 2.3M / 16,463.41 = 139.7 days -> Oct 29
    assert t.loc["since launch", "expected_date"] == pd.Timestamp("2012-10-11")
    assert t.loc["period alone", "expected_date"] == pd.Timestamp("2012-10-29")
    assert "both readings" in str(res.summary())


def test_target_with_basis_gives_one_reading(exact, figures):
    res = target_attainment(exact, figures, basis="period")
    assert list(res.frame()["reading"]) == ["period alone"]
    res = target_attainment(exact, 5e6, "2012-12-31")  # a number: since launch by default
    assert list(res.frame()["reading"]) == ["since launch"]


def test_probability_with_scenario_range(figures):
    # pace growth uniform in -60%..-20% with "over" exact: cumulative at 2012-12-31 is
    # 3M + 3.3256M (1 + g); >= 5M when 1 + g >= 2M / 3.3256M = 0.6014, i.e. g >= -0.3986:
    # P = (-0.2 - -0.3986) / 0.4 = 0.4965
    p = fit(figures, "runrate", brand="Xiaomi", slack=0, scenarios={"growth": (-0.6, -0.2)})
    res = target_attainment(p, 5e6, "2012-12-31", draws=20000)
    assert res.probability == pytest.approx(0.4965, abs=0.015)


def test_censored_figures_are_lower_bounds(figures):
    p = fit(figures, "runrate", brand="Xiaomi")  # "over": values in [N, 1.15 N]
    x = p.sample(["2011-12-31", "2012-06-12"], draws=2000)
    assert (x[:, 0] >= 300_000).all() and (x[:, 0] <= 345_000 + 1e-6).all()
    assert (x[:, 1] >= 3_000_000).all() and (x[:, 1] <= 3_450_000 + 1e-6).all()
    assert "IDC" in p.uncertainty  # few points, no scenarios: pooled IDC history


def test_three_parameter_curve_is_refused_with_a_clear_message(figures):
    with pytest.raises(DataError, match=r"3 free parameters \(m, k, t0\).*only 2.*fix 1 of them"):
        fit(figures, "logistic", brand="Xiaomi")
    with pytest.raises(DataError, match="cannot be identified"):
        fit(figures, "bass", brand="Xiaomi", fixed={"launch": "2011-08-16"})


def test_curve_fits_once_the_analyst_fixes_the_ceiling(figures):
    p = fit(figures, "logistic", brand="Xiaomi", fixed={"m": 20e6})
    assert p.params["m"] == 20e6
    assert any("exactly identified" in w for w in p.warnings)
    med = p.predict(["2011-12-31", "2012-06-12"])
    # censored fit: the curve passes inside [N, 1.15 N] at both milestones
    assert 300_000 <= med.iloc[0] <= 345_000 and 3_000_000 <= med.iloc[1] <= 3_450_000


def test_auto_says_why(figures):
    p = fit(figures, "auto", brand="Xiaomi")
    assert p.model == "runrate"
    assert "only 2 figures" in p.reason


def test_exponential_growth_is_flagged_implausible(figures):
    # 300k -> 3M in 164 days is a growth rate of 5.1 per year; carried on, next year's units
    # would be ~80x the current pace, far beyond any brand in the IDC history
    p = fit(figures, "exponential", brand="Xiaomi")
    assert any(w.startswith("implausible") for w in p.warnings)
    assert "implausible" in str(p.summary())
    assert not any(
        w.startswith("implausible") for w in fit(figures, "runrate", brand="Xiaomi").warnings
    )


def test_sample_is_reproducible_and_joint(figures):
    p = fit(figures, "runrate", brand="Xiaomi")
    a = p.sample(["2012-12-31", "2011-12-31", "2013-06-30"], draws=300, seed=7)
    b = p.sample(["2012-12-31", "2011-12-31", "2013-06-30"], draws=300, seed=7)
    np.testing.assert_array_equal(a, b)
    assert (a[:, 0] >= a[:, 1]).all() and (a[:, 2] >= a[:, 0]).all()  # non-decreasing in date
    assert np.isfinite(a).all() and (a >= 0).all()

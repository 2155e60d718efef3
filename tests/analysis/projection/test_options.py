"""Numeric options of fit, fit_many and backtest: checked, with the allowed range named."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import backtest, fit, fit_many
from marketdata import datasets

from .conftest import quarterly


@pytest.fixture(scope="module")
def xiaomi():
    return datasets.load("xiaomi_2011_2012")


@pytest.fixture(scope="module")
def flows():
    return quarterly("A", 1e6 * np.exp(0.1 * np.arange(16)))


BAD_SLACK = [
    (-0.1, ValueError),
    (float("nan"), ValueError),
    (float("inf"), ValueError),
    (1.5, ValueError),  # "over N" up to 2.5 N is no longer "over N"
    (True, TypeError),
    ("0.1", TypeError),
    (None, TypeError),
]


@pytest.mark.parametrize(("bad", "error"), BAD_SLACK)
def test_slack_is_checked_by_fit_and_fit_many(xiaomi, bad, error):
    # regression: fit took True (as 1) and 50; fit_many took anything, and a negative
    # slack surfaced as "the cumulative total is zero"
    with pytest.raises(error, match=r"slack"):
        fit(xiaomi, "runrate", brand="Xiaomi", slack=bad)
    with pytest.raises(error, match=r"slack"):
        fit_many(xiaomi, model="runrate", slack=bad, errors="skip")


def test_slack_message_names_the_range(xiaomi):
    with pytest.raises(ValueError, match=r"slack must be <= 1.*\[N, N \* \(1 \+ slack\)\]"):
        fit(xiaomi, "runrate", brand="Xiaomi", slack=2)


@pytest.mark.parametrize("slack", [0, 0.3, 1])
def test_slack_is_the_width_of_over_n(xiaomi, slack):
    # Xiaomi's "over 3 million" by 2012-06-12 lies in [3e6, 3e6 * (1 + slack)]; fit_many
    # reads it the same way
    for p in (
        fit(xiaomi, "runrate", brand="Xiaomi", slack=slack),
        fit_many(xiaomi, model="runrate", slack=slack, errors="skip")[("Xiaomi", "CN")],
    ):
        row = p.data[p.data["units"] == 3e6].iloc[0]
        assert row["lower"] == 3e6
        assert row["upper"] == pytest.approx(3e6 * (1 + slack))


def test_cap_must_be_finite(flows):
    with pytest.raises(ValueError, match="cap must be"):
        fit(flows, "exponential", cap=float("inf"))


@pytest.mark.parametrize(
    ("fixed", "error", "match"),
    [
        ({"m": float("nan")}, ValueError, r"fixed\['m'\] must be a finite number"),
        ({"m": -5.0}, ValueError, r"fixed\['m'\] must be > 0"),
        ({"m": True}, TypeError, r"fixed\['m'\] must be a number"),
        ({"m": "5e7"}, TypeError, r"fixed\['m'\] must be a number"),
        ({"k": float("inf")}, ValueError, r"fixed\['k'\]"),
        # a launch as a number is years from the last figure: 2011 years is a calendar year
        ({"launch": 2011}, ValueError, r"years from the last figure.*'2011-09-30'"),
        ({"launch": "2011"}, ValueError, r"no day"),
        ({"launch": float("nan")}, ValueError, r"fixed\['launch'\]"),
    ],
)
def test_fixed_values_are_checked(flows, fixed, error, match):
    with pytest.raises(error, match=match):
        fit(flows, "logistic", fixed=fixed)


def test_fixed_launch_as_years_or_date_agree(flows):
    # the last figure ends 2013-12-31 (t = 0 at 2014-01-01); a launch at the end of
    # 2008-12-31 is (2009-01-01 - 2014-01-01) = -1826 days = -4.9993 years
    a = fit(flows, "logistic", fixed={"launch": "2008-12-31"})
    b = fit(flows, "logistic", fixed={"launch": -1826 / 365.25})
    assert a.params["launch"] == pytest.approx(b.params["launch"])
    assert a.predict(["2014-12-31"]).iloc[0] == pytest.approx(b.predict(["2014-12-31"]).iloc[0])


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"horizons": [1.5]}, TypeError),  # regression: read as 1
        ({"horizons": [True]}, TypeError),  # regression: read as 1
        ({"horizons": ["1"]}, TypeError),  # regression: read as 1
        ({"horizons": [0]}, ValueError),
        ({"horizons": []}, ValueError),
        ({"min_history": 12.5}, TypeError),  # regression: a pandas indexing error
        ({"min_history": 0}, ValueError),  # regression: "no pooled history"
        ({"min_history": True}, TypeError),
    ],
)
def test_backtest_counts_are_whole_numbers(flows, kwargs, error):
    args = {"horizons": [1]} | kwargs
    with pytest.raises(error, match="horizons|min_history"):
        backtest(flows, "runrate", **args)


@pytest.mark.parametrize(
    ("bounds", "error", "match"),
    [
        ({"m": ("a", 1e9)}, TypeError, r"bounds\['m'\] must be a number"),  # was float()'s
        ({"m": (True, 1e9)}, TypeError, r"bounds\['m'\] must be a number"),  # was 1.0
        ({"m": (0, float("inf"))}, ValueError, r"bounds\['m'\] must be a finite"),
        ({"m": 5}, TypeError, r"bounds\['m'\] must be a \(lower, upper\) pair"),
        ({"m": (1, 2, 3)}, TypeError, r"bounds\['m'\] must be a \(lower, upper\) pair"),
        ({"m": (2e9, 1e9)}, ValueError, r"lower < upper"),
    ],
)
def test_bounds_are_checked(flows, bounds, error, match):
    with pytest.raises(error, match=match):
        fit(flows, "logistic", bounds=bounds)

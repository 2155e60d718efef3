"""Every fix an identifiability message suggests, applied, must fit."""

from __future__ import annotations

import ast
import re

import pandas as pd
import pytest

from analysis import fit
from marketdata import DataError

from .conftest import milestones, quarterly


def _suggested_fixed(message: str) -> dict:
    found = re.search(r"fixed=(\{.*?\})", message)
    assert found, message
    return ast.literal_eval(found.group(1))


CASES = {
    "two milestones": milestones("X", ["2011-12-31", "2012-06-12"], [3e5, 3e6]),
    "one quarter and a milestone": pd.concat(
        [
            milestones("X", ["2011-12-31"], [3e5], market="WW"),
            quarterly("X", [2e6], start="2012Q1"),
        ],
        ignore_index=True,
    ),
    "three quarters": quarterly("X", [1e6, 2e6, 3e6]),
}


# every (figures, model) whose model has more free parameters than the figures
REFUSED = [
    (case, model)
    for case in ("two milestones", "one quarter and a milestone")
    for model in ("logistic", "gompertz", "bass")
] + [("three quarters", "bass")]


@pytest.mark.parametrize(("case", "model"), REFUSED)
def test_every_suggested_fix_fits(case, model):
    figures = CASES[case]
    with pytest.raises(DataError, match="cannot be identified") as err:
        fit(figures, model, brand="X")
    message = str(err.value)
    fixed = _suggested_fixed(message)
    p = fit(figures, model, brand="X", fixed=fixed)  # the hint, applied, fits
    for name, value in fixed.items():
        if name != "launch":
            assert p.params[name] == pytest.approx(value)


def test_a_logistic_is_never_told_to_fix_its_launch():
    # a launch date does not replace a logistic's parameter (m, k, t0 stay free), so the
    # message that once suggested it must not: fixing it would still be refused
    figures = CASES["two milestones"]
    with pytest.raises(DataError) as err:
        fit(figures, "logistic", brand="X")
    assert "launch" not in _suggested_fixed(str(err.value))
    with pytest.raises(DataError, match="cannot be identified"):
        fit(figures, "logistic", brand="X", fixed={"launch": "2011-08-16"})


def test_the_seasonal_hints_fit():
    figures = quarterly("X", [1e6, 2e6, 3e6])
    with pytest.raises(DataError, match="use model='runrate' or 'exponential'"):
        fit(figures, "seasonal", brand="X")
    for model in ("runrate", "exponential"):
        assert fit(figures, model, brand="X").model == model


def test_the_one_figure_hint_fits():
    one = milestones("X", ["2012-06-12"], [3e6])
    with pytest.raises(DataError, match="a launch date with zero units"):
        fit(one, "runrate", brand="X")
    launch = milestones("X", ["2011-08-16"], [0.0])
    p = fit(pd.concat([launch, one], ignore_index=True), "runrate", brand="X")
    # 3M over the 301 days from 2011-08-16 to 2012-06-12: 3e6 / (301 / 365.25)
    assert p.params["rate"] == pytest.approx(3e6 / (301 / 365.25))

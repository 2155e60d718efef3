"""Counts in summaries, reasons and messages agree with their number ("1 free parameter")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import backtest, fit, reconcile
from analysis._format import count_label
from analysis.projection import growth
from analysis.projection._examples import founding
from marketdata import DataError

from .conftest import quarterly


def test_count_label():
    assert count_label(1, "free parameter") == "1 free parameter"
    assert count_label(2, "free parameter") == "2 free parameters"
    assert count_label(0, "period") == "0 periods"
    assert count_label(np.int64(1), "series", "series") == "1 series"
    assert count_label(1, "brand-year pair") == "1 brand-year pair"


def test_a_runrate_summary_has_one_free_parameter():
    # regression: "2 figures, 1 free parameters"
    fit_line = founding().summary().facts_dict()["fit"]
    assert fit_line.startswith("2 figures, 1 free parameter,") or fit_line == (
        "2 figures, 1 free parameter"
    )
    assert "1 free parameters" not in str(founding().summary())


def test_an_exponential_summary_has_two_free_parameters():
    p = fit(quarterly("X", 1e6 * np.exp(0.1 * np.arange(8))), "exponential")
    assert "8 figures, 2 free parameters" in p.summary().facts_dict()["fit"]


def test_one_regular_period_is_singular():
    # two quarters a year apart: the last unbroken run is one quarter, "give 1 regular period"
    f = pd.concat(
        [quarterly("A", [1.0e6], start="2011Q1"), quarterly("A", [1.2e6], start="2012Q1")],
        ignore_index=True,
    )
    with pytest.raises(DataError, match=r"give 1 regular period;"):
        fit(f, "seasonal")


def test_backtest_origin_warning_with_one_period():
    f = quarterly("A", 1e6 * (1 + np.arange(12.0)))
    with pytest.warns(UserWarning) as seen:
        backtest(
            f,
            "runrate",
            origins=["2010-12-31", "2012-06-30"],
            horizons=[1],
            min_history=1,
        )
    text = " ".join(str(w.message) for w in seen)
    # min_history=1: an origin needs 1 period of history (at least 5 quarters in any case)
    assert "fewer than 1 period of history" in text


def test_one_growth_pair(monkeypatch):
    one = growth.pairs().iloc[:1]
    monkeypatch.setattr(growth, "pairs", lambda: one)
    growth._law.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"only 1 growth pair in"):
            growth.decay_law(exclude="nobody")
    finally:
        growth._law.cache_clear()


def test_reconcile_one_brand():
    a = fit(quarterly("A", [10.0, 11, 12, 20] * 3), "snaive")
    m = fit(quarterly(None, [20.0, 22, 24, 40] * 3), "snaive")
    assert "1 brand to the market" in repr(reconcile({"A": a}, m))

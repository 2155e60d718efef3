"""Projection: intervals, frames, display, plot, immutability, and a property test."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import fit

from .conftest import quarterly


@pytest.fixture(scope="module")
def proj():
    rng = np.random.default_rng(3)
    flows = 1e6 * np.exp(0.05 * np.arange(24) + rng.normal(0, 0.1, 24))
    return fit(quarterly("X", flows), "exponential")


def test_interval_frame_and_display(proj):
    iv = proj.interval(0.8)
    assert list(iv.columns) == ["date", "lower", "median", "upper"]
    assert iv["date"].iloc[0] == proj.last_actual == pd.Timestamp("2015-12-31")
    # at the last actual the value is known: the flows summed since 2010-01-01
    assert iv["median"].iloc[0] == pytest.approx(proj.data["units"].sum())
    fr = proj.frame()
    assert set(fr["status"]) == {"actual", "forecast"}
    assert (fr["brand"] == "X").all()
    assert "exponential" in repr(proj) and "<table>" in proj._repr_html_()
    text = proj.summary()
    assert "growth" in text and "rolling-origin" in text and "since 2010-01-01" in text


def test_predict_is_the_median_of_the_draws(proj):
    d = ["2016-06-30", "2016-12-31"]
    x = proj.sample(d, n=2000, seed=proj.seed)
    np.testing.assert_allclose(proj.predict(d).to_numpy(), np.median(x, axis=0))


def test_frozen(proj):
    with pytest.raises(dataclasses.FrozenInstanceError):
        proj.model = "runrate"


def test_plot_draws_median_band_and_actuals(proj):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = proj.plot()
    assert len(ax.lines) >= 1 and len(ax.collections) >= 1  # median line and interval band
    assert ax.get_ylabel() == "cumulative units"
    plt.close(ax.figure)


def test_bad_arguments(proj):
    with pytest.raises(ValueError, match="level"):
        proj.interval(80)
    with pytest.raises(ValueError, match="positive integer"):
        proj.sample(["2016-01-01"], n=0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flows=st.lists(st.floats(1e3, 1e7), min_size=6, max_size=20),
    model=st.sampled_from(["runrate", "exponential"]),
)
def test_intervals_widen_with_horizon_and_contain_the_median(flows, model):
    p = fit(quarterly("X", flows), model, scenarios={"growth": (-0.3, 0.5)})
    dates = pd.date_range(p.last_actual, periods=6, freq="QE")
    iv = p.interval(0.8, dates)
    width = (iv["upper"] - iv["lower"]).to_numpy()
    assert (np.diff(width) >= -1e-6 * width.max()).all()
    assert ((iv["lower"] <= iv["median"]) & (iv["median"] <= iv["upper"])).all()
    x = p.sample(dates, n=200)
    assert np.isfinite(x).all() and (x >= 0).all() and (np.diff(x, axis=1) >= 0).all()


def test_empirical_intervals_widen_with_horizon():
    # the IDC-calibrated (self) library, not only scenarios
    from marketdata import datasets

    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    p = fit(ww, "seasonal", brand="Apple")
    dates = pd.date_range(p.last_actual, periods=9, freq="QE")
    iv = p.interval(0.8, dates)
    width = (iv["upper"] - iv["lower"]).to_numpy()
    assert (np.diff(width) >= 0).all()
    assert ((iv["lower"] <= iv["median"]) & (iv["median"] <= iv["upper"])).all()

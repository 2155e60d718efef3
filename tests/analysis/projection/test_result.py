"""Projection: intervals, frames, display, plot, immutability, and a property test."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import fit
from analysis._format import units_label
from analysis._validation import check_dates
from analysis.projection.result import _day_ns, _start_ns

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
    # quarterly flows: the data's own basis is per period, and the frame is drawn on it
    assert proj.basis == "period" and proj.period == "Q"
    assert (fr["basis"] == "period").all()
    act = fr[fr["status"] == "actual"]
    np.testing.assert_array_equal(act["units"].to_numpy(), proj.data["units"].to_numpy())
    summary = proj.summary()
    text = str(summary)
    assert "growth" in text and "rolling-origin" in text and "since 2010-01-01" in text
    assert "median of 2000 joint draws" in text  # what the point forecast is
    assert "exponential" in repr(proj)
    assert proj._repr_html_() == summary.as_html() and "marketshare-summary" in proj._repr_html_()


def test_predict_is_the_median_of_the_draws(proj):
    d = ["2016-06-30", "2016-12-31"]
    x = proj.sample(d, draws=2000, seed=proj.seed)
    np.testing.assert_allclose(proj.predict(d).to_numpy(), np.median(x, axis=0))


def test_per_period_median_and_interval_are_those_of_differenced_paths(proj):
    # per-period units of 2016Q1..Q4 from the same joint draws: differences of the
    # cumulative paths at consecutive quarter ends (2015-12-31 = the last actual)
    ends = pd.DatetimeIndex(["2016-03-31", "2016-06-30", "2016-09-30", "2016-12-31"])
    cum = proj.sample(ends.insert(0, pd.Timestamp("2015-12-31")), draws=2000, seed=proj.seed)
    per = np.diff(cum, axis=1)
    got = proj.sample(ends, draws=2000, seed=proj.seed, basis="period")
    np.testing.assert_allclose(np.median(got, axis=0), np.median(per, axis=0), rtol=0.03)
    # and within one call, the per-period draws are exactly the paths' differences
    med = proj.predict(ends, basis="period").to_numpy()
    x = proj.sample(ends, draws=2000, seed=proj.seed, basis="period")
    np.testing.assert_allclose(med, np.median(x, axis=0))
    iv = proj.interval(0.8, dates=ends, basis="period")
    np.testing.assert_allclose(iv["lower"], np.quantile(x, 0.1, axis=0))
    np.testing.assert_allclose(iv["upper"], np.quantile(x, 0.9, axis=0))
    fr = proj.frame(ends, level=0.8, basis="period")
    fc = fr[fr["status"] == "forecast"]
    np.testing.assert_allclose(fc["units"], med)
    assert (fc["level"] == 0.8).all()
    # cumulative frame: actual rows are the known cumulative path
    cf = proj.frame(ends, basis="cumulative")
    assert cf[cf["status"] == "actual"]["units"].iloc[-1] == pytest.approx(proj.data["units"].sum())


def test_a_period_is_the_calendar_period_up_to_the_date(proj):
    # a date inside a quarter: its units from the quarter's start to that date
    starts = proj.period_starts(["2016-05-15", "2016-06-30", "2016-07-01"])
    assert list(starts.strftime("%Y-%m-%d")) == ["2016-03-31", "2016-03-31", "2016-06-30"]
    a = proj.sample(["2016-03-31", "2016-05-15"], draws=300, seed=5)
    b = proj.sample(["2016-05-15"], draws=300, seed=5, basis="period")
    # the same seed draws the same paths: the period value is the difference of the two
    c = proj.sample(["2016-05-15", "2016-03-31"], draws=300, seed=5)
    np.testing.assert_allclose(b[:, 0], c[:, 0] - c[:, 1])
    assert (a[:, 1] >= a[:, 0]).all()


def test_frozen(proj):
    with pytest.raises(dataclasses.FrozenInstanceError):
        proj.model = "runrate"


def test_plot_is_the_house_shipments_chart(proj):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = proj.plot()
    assert len(ax.lines) >= 1 and len(ax.collections) >= 1  # median line and interval band
    plt.close(ax.figure)


def test_bad_arguments(proj):
    with pytest.raises(ValueError, match="level"):
        proj.interval(80)
    with pytest.raises(ValueError, match="draws"):
        proj.sample(["2016-01-01"], draws=0)
    with pytest.raises(TypeError, match="seed"):
        proj.sample(["2016-01-01"], seed=True)
    with pytest.raises(ValueError, match="basis"):
        proj.predict(["2016-01-01"], basis="annual")
    with pytest.raises(TypeError):
        proj.sample(["2016-01-01"], 100)  # draws is keyword-only


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flows=st.lists(st.floats(1e3, 1e7), min_size=6, max_size=20),
    model=st.sampled_from(["runrate", "exponential"]),
)
def test_intervals_widen_with_horizon_and_contain_the_median(flows, model):
    p = fit(quarterly("X", flows), model, scenarios={"growth": (-0.3, 0.5)})
    dates = pd.date_range(p.last_actual, periods=6, freq="QE")
    iv = p.interval(0.8, dates=dates)
    width = (iv["upper"] - iv["lower"]).to_numpy()
    assert (np.diff(width) >= -1e-6 * width.max()).all()
    assert ((iv["lower"] <= iv["median"]) & (iv["median"] <= iv["upper"])).all()
    x = p.sample(dates, draws=200)
    assert np.isfinite(x).all() and (x >= 0).all() and (np.diff(x, axis=1) >= 0).all()


def test_empirical_intervals_widen_with_horizon():
    # the IDC-calibrated (self) library, not only scenarios
    from marketdata import datasets

    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    p = fit(ww, "seasonal", brand="Apple")
    dates = pd.date_range(p.last_actual, periods=9, freq="QE")
    iv = p.interval(0.8, dates=dates)
    width = (iv["upper"] - iv["lower"]).to_numpy()
    assert (np.diff(width) >= 0).all()
    assert ((iv["lower"] <= iv["median"]) & (iv["median"] <= iv["upper"])).all()


def test_a_generator_seeds_like_the_integer_it_draws():
    # seeds go through analysis._validation: a Generator gives one 63-bit integer draw
    flows = 1e6 * np.exp(0.05 * np.arange(12))
    seed = int(np.random.default_rng(7).integers(0, 2**63 - 1))
    a = fit(quarterly("X", flows), "snaive", seed=np.random.default_rng(7))
    b = fit(quarterly("X", flows), "snaive", seed=seed)
    assert a.seed == b.seed == seed
    d = ["2013-03-31", "2013-06-30"]
    np.testing.assert_array_equal(a.sample(d, draws=50), b.sample(d, draws=50))
    with pytest.raises(TypeError, match="seed"):
        fit(quarterly("X", flows), "snaive", seed=1.5)


@pytest.fixture(scope="module")
def halves():
    figures = pd.DataFrame(
        {
            "brand": "X",
            "market": "CN",
            "start": pd.to_datetime(["2011-01-01", "2011-07-01", "2012-01-01", "2012-07-01"]),
            "end": pd.to_datetime(["2011-06-30", "2011-12-31", "2012-06-30", "2012-12-31"]),
            "units": [1e6, 2e6, 4e6, 6e6],
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "synthetic (illustrative)",
        }
    )
    return fit(figures, "runrate", brand="X")


def test_half_year_periods_are_calendar_halves_not_hours(halves):
    # pandas reads "H" as an hour: per-period units of half-year figures were one day's
    assert halves.period == "H"
    starts = halves.period_starts(["2013-06-30", "2013-03-31", "2013-12-31", "2013-07-01"])
    assert starts.strftime("%Y-%m-%d").tolist() == [
        "2012-12-31", "2012-12-31", "2013-06-30", "2013-06-30"
    ]  # fmt: skip
    # the last actual's period is H2 2012, known: 6M
    assert halves.predict(["2012-12-31"], basis="period").iloc[0] == pytest.approx(6e6)
    # H1 2013 per period = cumulative at 2013-06-30 minus at 2012-12-31, path by path
    c = halves.sample(["2013-06-30", "2012-12-31"], draws=500, seed=1)
    x = halves.sample(["2013-06-30"], draws=500, seed=1, basis="period")
    assert np.array_equal(x[:, 0], c[:, 0] - c[:, 1])
    # the default dates are the half-year ends after the last figure
    assert halves.default_dates().strftime("%Y-%m-%d").tolist() == [
        "2012-12-31", "2013-06-30", "2013-12-31", "2014-06-30", "2014-12-31"
    ]  # fmt: skip


def test_summary_parameters_in_units_read_like_6_93m(halves):
    # the parameters table printed "7e+07" and "5.467e+07 to 6.81e+07" where every other
    # number of a summary reads 6.93M
    table = dict(halves.summary().tables)["Parameters (point, 90% interval)"]
    rate = table[table["parameter"] == "rate"].iloc[0]
    # the run rate: the last half-year's 6M over its 184 days, a year: 6e6 * 365.25 / 184
    assert rate["point"] == "11.9M"
    assert halves.params["rate"] == pytest.approx(6e6 * 365.25 / 184)
    lo, hi = halves.param_intervals.set_index("parameter").loc["rate", ["lower", "upper"]]
    assert rate["interval_90"] in ("", f"{lo / 1e6:.1f}M–{hi / 1e6:.1f}M")
    # a parameter that is not units keeps its number
    ets = fit(quarterly("X", 1e6 * (1 + 0.1 * np.arange(12))), "ets").summary()
    table = dict(ets.tables)["Parameters (point, 90% interval)"]
    assert all(v.endswith("M") for v in table["point"])  # "forecast of period h": units
    assert "e+" not in str(ets)


def test_a_date_that_is_no_date_names_the_argument(proj):
    with pytest.raises(ValueError, match=r"^dates.*2016-13-31") as info:
        proj.predict(["2016-13-31"])
    assert type(info.value) is ValueError


def test_plot_takes_a_basis(proj):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = proj.plot(basis="cumulative")  # quarterly flows: the default chart is per quarter
    try:
        lines = {line.get_gid(): line for line in ax.get_lines()}
        assert "per-period" not in lines
        # the figures added up (counted from the first quarter's start, as the projection
        # counts), and the median line is the projection's cumulative median at its dates
        reported = lines["cumulative"].get_ydata()
        np.testing.assert_allclose(reported, np.cumsum(proj.data["units"].to_numpy()))
        median = lines["median"]
        dates = pd.to_datetime(median.get_xdata())
        np.testing.assert_allclose(median.get_ydata(), proj.predict(dates).to_numpy())
        # counted from the first quarter's start, not "since launch"; 24 added-up figures
        # get one label (the last), not 24
        assert ax.get_ylabel() == "units since 1 January 2010"
        labels = [t.get_text() for t in ax.texts if t.get_gid() == "milestone"]
        assert labels == [units_label(reported[-1])]
    finally:
        plt.close(ax.figure)
    ax = proj.plot()  # the data's basis: per quarter
    try:
        lines = {line.get_gid(): line for line in ax.get_lines()}
        np.testing.assert_allclose(lines["per-period"].get_ydata(), proj.data["units"])
    finally:
        plt.close(ax.figure)
    with pytest.raises(ValueError, match="basis"):
        proj.plot(basis="quarterly")


_instants = st.lists(
    st.datetimes(min_value=pd.Timestamp("1900-01-01"), max_value=pd.Timestamp("2100-12-31")),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_instants, st.sampled_from(["M", "Q", "H", "Y"]))
def test_a_datetimeindex_is_read_with_numpy_as_pandas_reads_dates(instants, period):
    # sample and interval read a DatetimeIndex with numpy (the hot path of fit_many's
    # callers); the days, period starts and year fractions are pandas' for the same dates
    p = _projection(period)
    d = pd.DatetimeIndex(instants)
    ns = _day_ns(d)
    assert ns.tolist() == check_dates(list(instants)).asi8.tolist()
    assert _start_ns(ns, period).tolist() == p.period_starts(list(instants)).asi8.tolist()
    ser = p._engine.series
    np.testing.assert_array_equal(ser.years(d), ser.years(list(d)))
    for basis in ("cumulative", "period"):
        np.testing.assert_array_equal(
            p.sample(d, draws=20, basis=basis),
            p.sample(list(instants), draws=20, basis=basis),
        )


def _projection(period: str):
    """A quarterly projection whose period is set to ``period`` (for the date arithmetic)."""
    p = fit(quarterly("A", [1.0, 2, 3, 4] * 3, market="XX"), "runrate")  # (no cap)
    series = dataclasses.replace(p._engine.series, freq=period)
    return dataclasses.replace(p, _engine=dataclasses.replace(p._engine, series=series))


def test_missing_dates_are_refused_in_a_datetimeindex_too():
    p = fit(quarterly("A", [1.0, 2, 3, 4] * 3), "snaive")
    with pytest.raises(ValueError, match="NaT"):
        p.interval(0.8, dates=pd.DatetimeIndex(["2013-03-31", None]))
    with pytest.raises(ValueError, match="timezone-naive"):  # a day in which zone?
        p.sample(pd.DatetimeIndex(["2013-03-31"], tz="Asia/Taipei"))
    with pytest.raises(ValueError, match="timezone-naive"):
        p.interval(0.8, dates=[pd.Timestamp("2013-03-31", tz="UTC")])

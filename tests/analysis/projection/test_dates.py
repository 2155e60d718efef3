"""Dates given to projections: numbers and day-less strings are refused with what to pass."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from analysis import backtest, fit_many, target_attainment
from analysis.projection._examples import founding
from marketdata import datasets

from .conftest import quarterly

WHAT_TO_PASS = "pass dates like '2013-12-31'"


@pytest.fixture(scope="module")
def proj():
    return founding()


@pytest.mark.parametrize(
    "bad", [5, 2013, 2013.0, [2013], np.array([2013]), np.int64(2013), True, [2013.5]]
)
@pytest.mark.parametrize("entry", ["predict", "interval", "frame", "sample"])
def test_numbers_are_not_dates(proj, entry, bad):
    # regression: predict(5) read 5 as nanoseconds after 1970-01-01 and answered 0 units
    call = {
        "predict": lambda: proj.predict(bad),
        "interval": lambda: proj.interval(0.8, dates=bad),
        "frame": lambda: proj.frame(bad),
        "sample": lambda: proj.sample(bad, draws=10),
    }[entry]
    with pytest.raises(TypeError, match=WHAT_TO_PASS):
        call()


@pytest.mark.parametrize("bad", ["2013", "2013-06", "2013Q4", " 2013 "])
def test_a_year_or_month_without_a_day_is_refused(proj, bad):
    # pandas reads "2013" as 2013-01-01, the start of the year, and an end-of-day
    # projection at 2013-01-01 is not "2013": the message says which day to give
    with pytest.raises(ValueError, match=r"no day.*'2013-12-31' for the end of 2013"):
        proj.predict([bad])


def test_a_period_is_its_last_day(proj):
    # pd.Period("2013", "Y") is calendar 2013: its value is the one at 2013-12-31
    by_day = proj.predict(["2013-12-31", "2013-03-31"])
    by_period = proj.predict([pd.Period("2013", "Y"), pd.Period("2013Q1", "Q")])
    np.testing.assert_array_equal(by_period.to_numpy(), by_day.to_numpy())
    assert list(by_period.index) == list(by_day.index)
    index = pd.period_range("2013Q1", periods=2, freq="Q")
    np.testing.assert_array_equal(
        proj.predict(index).to_numpy(), proj.predict(["2013-03-31", "2013-06-30"]).to_numpy()
    )


def test_date_like_values_agree(proj):
    want = proj.predict(["2013-12-31"]).iloc[0]
    for d in [
        "2013-12-31",
        pd.Timestamp("2013-12-31"),
        datetime.date(2013, 12, 31),
        datetime.datetime(2013, 12, 31, 15, 30),  # a time of day: the day's end
        np.datetime64("2013-12-31"),
        pd.DatetimeIndex(["2013-12-31"]),
        pd.Series(pd.to_datetime(["2013-12-31"])),
    ]:
        assert proj.predict(d).iloc[0] == want, d


def test_unreadable_missing_and_absent_dates(proj):
    with pytest.raises(ValueError, match=r"could not read 'soon' as a date"):
        proj.predict(["soon"])
    with pytest.raises(ValueError, match="missing"):
        proj.predict([pd.NaT])
    with pytest.raises(ValueError, match="missing"):
        proj.predict(["2013-12-31", None])
    with pytest.raises(ValueError, match="give dates"):
        proj.predict(None)
    with pytest.raises(ValueError, match="timezone"):
        proj.predict([pd.Timestamp("2013-12-31", tz="UTC")])


def test_target_attainment_dates(proj):
    with pytest.raises(TypeError, match=WHAT_TO_PASS):
        target_attainment(proj, 5e6, 2013)
    with pytest.raises(TypeError, match=WHAT_TO_PASS):
        target_attainment(proj, 5e6, "2013-12-31", basis="period", start=2013)
    with pytest.raises(ValueError, match="no day"):
        target_attainment(proj, 5e6, "2013")
    row = pd.Series({"units": 5e6, "end": 2013, "basis": "cumulative"})
    with pytest.raises(TypeError, match=WHAT_TO_PASS):
        target_attainment(proj, row)
    a = target_attainment(proj, 5e6, pd.Period("2012", "Y"), basis="cumulative")
    b = target_attainment(proj, 5e6, "2012-12-31", basis="cumulative")
    assert a.by == b.by == pd.Timestamp("2012-12-31") and a.probability == b.probability


def test_projections_frame_dates():
    many = fit_many(quarterly("A", [10.0, 11, 12, 20] * 3), model="snaive")
    with pytest.raises(TypeError, match=WHAT_TO_PASS):
        many.frame([2018])


def test_backtest_origins_dates():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    apple = ww[ww["brand"] == "Apple"]
    with pytest.raises(TypeError, match=WHAT_TO_PASS):
        backtest(apple, "snaive", origins=[2013], horizons=[1])
    with pytest.raises(ValueError, match="no day"):
        backtest(apple, "snaive", origins=["2013"], horizons=[1])
    with pytest.raises(TypeError, match="origins"):
        backtest(apple, "snaive", origins=2.0, horizons=[1])  # a count is a whole number
    d = backtest(apple, "snaive", origins=[pd.Period("2013Q1", "Q")], horizons=[1], detail=True)
    assert set(d["origin"]) == {pd.Timestamp("2013-03-31")}

"""Rolling-origin backtests: the public forecast scored, metrics by hand, origins as asked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import backtest, fit
from analysis.projection import mase_table
from analysis.projection.backtest import pooled, summarise
from marketdata import DataError, datasets

from .conftest import quarterly


@pytest.fixture(scope="module")
def apple():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    return ww[ww["brand"] == "Apple"].sort_values("start").reset_index(drop=True)


def test_origins_are_the_dates_asked_for(apple):
    # regression: the origin came back as 2013-03-30 (end-of-day instants converted back
    # through float years); it is the end date of the origin's last quarter as given
    det = backtest(apple, "snaive", origins=["2013-03-31"], horizons=[1, 2], detail=True)
    assert set(det["origin"]) == {pd.Timestamp("2013-03-31")}
    assert list(det[det["method"] == "snaive"]["date"]) == [
        pd.Timestamp("2013-06-30"),
        pd.Timestamp("2013-09-30"),
    ]


def test_an_origin_asked_for_and_not_backtested_is_named_not_dropped():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    xiaomi = ww[ww["brand"] == "Xiaomi"]
    # Xiaomi's last unbroken run starts 2016Q3: at 2019Q1 it has 11 quarters, fewer than
    # min_history=12. The message said "no brand has 13 or more consecutive periods" (it has
    # 31), and beside a valid origin the 2019-03-31 one was dropped without a word.
    with pytest.raises(DataError, match=r"2019-03-31.*12 periods of history"):
        backtest(xiaomi, "snaive", origins=["2019-03-31"], horizons=[1])
    with pytest.raises(DataError, match="2013-03-30"):  # not the end of any period
        backtest(xiaomi, "snaive", origins=["2013-03-30", "2020-06-30"], horizons=[1])
    with pytest.warns(UserWarning, match="2019-03-31"):
        det = backtest(
            xiaomi, "snaive", origins=["2019-03-31", "2020-06-30"], horizons=[1], detail=True
        )
    assert set(det["origin"]) == {pd.Timestamp("2020-06-30")}


def test_the_forecast_scored_is_the_projection_fitted_at_the_origin(apple):
    origin = pd.Timestamp("2019-12-31")
    det = backtest(apple, "theta", origins=[origin], horizons=[1, 2, 3], detail=True, draws=1000)
    row = det[det["method"] == "theta"]
    p = fit(apple[apple["end"] <= origin], "theta")
    dates = pd.date_range("2020-03-31", periods=3, freq="QE")
    x = p.sample(dates, draws=1000, seed=0, basis="period")
    np.testing.assert_allclose(row["forecast"], np.median(x, axis=0))  # the public median
    np.testing.assert_allclose(row["mean"], x.mean(axis=0))
    np.testing.assert_allclose(row["lower_80"], np.quantile(x, 0.1, axis=0))
    np.testing.assert_allclose(row["upper_95"], np.quantile(x, 0.975, axis=0))
    np.testing.assert_array_equal(
        row["actual"], apple.set_index("end").loc[dates, "units"].to_numpy()
    )


def test_baselines_by_hand(apple):
    det = backtest(apple, "runrate", origins=1, horizons=[1, 2], detail=True)
    f = apple["units"].to_numpy()
    T = len(f) - 2  # origins=1: the last origin with a quarter ahead, the second-last quarter
    rows = det.set_index(["method", "horizon"])
    assert rows.loc[("naive_last", 1), "forecast"] == f[T]
    assert rows.loc[("seasonal_naive", 1), "forecast"] == f[T + 1 - 4]
    assert rows.loc[("naive_drift", 1), "forecast"] == pytest.approx(f[T] + (f[T] - f[0]) / T)
    assert rows.loc[("naive_last", 1), "actual"] == f[T + 1]
    # MASE scale: mean |f_t - f_{t-4}| over the history up to the origin
    assert rows.loc[("naive_last", 1), "scale"] == pytest.approx(
        np.mean(np.abs(f[4 : T + 1] - f[: T + 1 - 4]))
    )


def test_summary_metrics_by_hand():
    # a tiny detail frame, scored from the definitions
    det = pd.DataFrame(
        {
            "brand": "A",
            "market": "WW",
            "method": "m",
            "horizon": 1,
            "actual": [10.0, 20.0, 30.0],
            "forecast": [12.0, 18.0, 36.0],
            "mean": [11.0, 20.0, 33.0],
            "scale": [2.0, 4.0, 5.0],
            "lower_80": [9.0, 21.0, 25.0],
            "upper_80": [13.0, 25.0, 29.0],
            "lower_95": [8.0, 15.0, 20.0],
            "upper_95": [14.0, 26.0, 40.0],
        }
    )
    row = summarise(det).iloc[0]
    assert row["n"] == 3
    assert row["mase"] == pytest.approx((2 / 2 + 2 / 4 + 6 / 5) / 3)
    assert row["mase_mean"] == pytest.approx((1 / 2 + 0 / 4 + 3 / 5) / 3)
    assert row["mape"] == pytest.approx(100 * (0.2 + 0.1 + 0.2) / 3)
    assert row["bias"] == pytest.approx((0.2 - 0.1 + 0.2) / 3)
    assert row["coverage_80"] == pytest.approx(1 / 3)  # only 10 in [9, 13]
    assert row["coverage_95"] == pytest.approx(1.0)
    # MSIS 80% (a = 0.2, 2 / a = 10): widths 4, 4, 4; penalties 0, 10 * 1, 10 * 1
    expected = ((4 + 0) / 2 + (4 + 10) / 4 + (4 + 10) / 5) / 3
    assert row["msis_80"] == pytest.approx(expected)
    assert pooled(det)["msis_80"].iloc[0] == pytest.approx(expected)


def test_snaive_scores_by_hand(apple):
    # statsforecast's SeasonalNaive: the median is the same quarter a year earlier exactly
    # (antithetic draws), so its MASE is the seasonal-naive baseline's
    det = backtest(apple, "snaive", origins=3, horizons=[1, 2])
    rows = det.set_index(["method", "horizon"])
    for h in (1, 2):
        assert rows.loc[("snaive", h), "mase"] == pytest.approx(
            rows.loc[("seasonal_naive", h), "mase"], rel=1e-9
        )
    table = mase_table(det, model="snaive")
    assert list(table.columns) == ["brand", "horizon", "mase_model", "mase_baseline", "wins"]
    assert not table["wins"].any()  # equal is not a win


def test_too_short_history_is_a_data_error():
    with pytest.raises(DataError, match="13 or more consecutive periods"):
        backtest(quarterly("X", np.arange(1.0, 9.0)), "runrate")


def test_bad_arguments():
    with pytest.raises(ValueError, match="horizons"):
        backtest(quarterly("X", np.arange(1.0, 20.0)), "runrate", horizons=[0])
    with pytest.raises(ValueError, match="model"):
        backtest(quarterly("X", np.arange(1.0, 20.0)), "prophet")
    with pytest.raises(TypeError):
        backtest(quarterly("X", np.arange(1.0, 20.0)), "runrate", 3)  # keyword-only


def test_mase_is_scored_on_every_origin_it_counts():
    # review: with min_history=2 the origins with fewer than 5 quarters have no in-sample
    # seasonal-naive MAE (lag 4); their MASE was NaN and silently skipped by the mean
    # while n still counted them. Origins now start once the scale exists: T = 4..14
    # (0-based index of the origin's last quarter in 16 quarters) -> 11 origins.
    u = 1e6 * (1 + 0.3 * np.tile([0, 0.1, 0.2, 0.6], 4)) * np.exp(0.05 * np.arange(16))
    fig = quarterly("A", u, start="2016Q1")
    out = backtest(fig, "runrate", min_history=2, horizons=[1]).set_index("method")
    assert out.loc["naive_last", "n"] == 11
    # MASE of naive_last at h=1 from the definition: mean over origins T of
    # |u[T+1] - u[T]| / mean(|u[t] - u[t-4]| for t = 4..T)
    expected = np.mean(
        [abs(u[T + 1] - u[T]) / np.mean(np.abs(u[4 : T + 1] - u[: T - 3])) for T in range(4, 15)]
    )
    assert out.loc["naive_last", "mase"] == pytest.approx(expected, rel=1e-12)


def test_progress_bar_does_not_change_the_numbers(apple):
    a = backtest(apple, "snaive", origins=2, horizons=[1])
    b = backtest(apple, "snaive", origins=2, horizons=[1], progress=True)
    pd.testing.assert_frame_equal(a, b)


def test_idc_calibration_pools_the_detail_rows():
    from analysis.projection.backtest import idc_calibration

    res = idc_calibration("snaive", origins=2, horizons=[1, 2])
    det = res["detail"]
    mine = det[det["method"] == "snaive"]
    assert mine["brand"].nunique() >= 5  # the last origins of every vendor with 13+ quarters
    cov = res["coverage"].set_index("horizon")
    for h in (1, 2):
        cells = mine[mine["horizon"] == h]
        inside = (cells["lower_80"] <= cells["actual"]) & (cells["actual"] <= cells["upper_80"])
        assert cov.loc[h, "coverage_80"] == pytest.approx(inside.mean())
        assert cov.loc[h, "n"] == len(cells)
    row = res["pooled"].set_index("method").loc["snaive"]
    assert row["mase"] == pytest.approx(
        np.mean(np.abs(mine["forecast"] - mine["actual"]) / mine["scale"])
    )


@pytest.mark.parametrize("horizons", [[1.5], [2.0], [True], ["1"]])
def test_a_horizon_that_is_not_a_whole_number_is_refused_not_truncated(apple, horizons):
    # horizons=[1.5] scored horizon 1 and said nothing (int(1.5) == 1)
    with pytest.raises((TypeError, ValueError), match="horizons"):
        backtest(apple, "snaive", origins=1, horizons=horizons)


def test_a_level_given_in_percent_says_what_to_write(apple):
    # the message read "a levels is a fraction"
    with pytest.raises(ValueError, match=r"levels.*write 0\.8 for 80%") as info:
        backtest(apple, "snaive", origins=1, horizons=[1], levels=(80,))
    assert "a levels" not in str(info.value)


def test_zero_origins_is_a_bad_argument_not_missing_history(apple):
    # origins=0 said "no brand has 13 or more consecutive periods to backtest on"; Apple
    # has 58
    with pytest.raises(ValueError, match=r"origins .*must be >= 1"):
        backtest(apple, "snaive", origins=0)


def test_an_origin_that_is_no_date_names_the_argument(apple):
    # pandas' own "day is out of range for month: 2013-02-31, at position 0" named neither
    # the argument nor what to give
    with pytest.raises(ValueError, match=r"origins.*2013-02-31"):
        backtest(apple, "snaive", origins=["2013-02-31"])


def test_by_default_the_forecast_scored_is_the_one_predict_returns(apple):
    # backtest drew 1000 paths while predict's median is of 2000: Apple at 2015Q4, auto,
    # scored 51.80M for 2016Q3 where fit(...).predict returns 51.75M (MASE 0.691 vs 0.685)
    origin = pd.Timestamp("2015-12-31")
    det = backtest(apple, "auto", origins=[origin], detail=True)
    row = det[det["method"] == "auto"]
    p = fit(apple[apple["end"] <= origin], "auto")
    dates = pd.date_range("2016-03-31", periods=4, freq="QE")
    np.testing.assert_array_equal(row["forecast"], p.predict(dates, basis="period"))


def test_a_horizon_no_origin_can_score_is_named_not_dropped(apple):
    # the last 3 origins of Apple's 58 quarters have 3, 2 and 1 quarters after them:
    # horizon 4 has no actual at any of them, and its rows vanished without a word
    with pytest.warns(UserWarning, match=r"horizons \[4\].*no actual"):
        t = backtest(apple, "snaive", origins=3, horizons=[1, 4])
    assert set(t["horizon"]) == {1}

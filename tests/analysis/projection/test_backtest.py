"""Rolling-origin backtests on a small subset of the packaged IDC series."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import backtest
from analysis.projection import mase_table
from marketdata import DataError, datasets

from .conftest import quarterly


@pytest.fixture(scope="module")
def apple():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    return ww[ww["brand"] == "Apple"].sort_values("start").reset_index(drop=True)


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
    # the runrate forecast is the last quarter's pace over the next quarter's days
    # (2024Q1: 91 days; 2023Q4: 92 days)
    assert rows.loc[("runrate", 1), "forecast"] == pytest.approx(f[T] * 91 / 92, rel=1e-9)


def test_summary_metrics_by_hand(apple):
    summ = backtest(apple, "runrate", origins=3, horizons=[1])
    det = backtest(apple, "runrate", origins=3, horizons=[1], detail=True)
    sn = det[det["method"] == "seasonal_naive"]
    err = sn["forecast"] - sn["actual"]
    row = summ[summ["method"] == "seasonal_naive"].iloc[0]
    assert row["n"] == 3
    assert row["mape"] == pytest.approx(100 * np.mean(np.abs(err) / sn["actual"]))
    assert row["mase"] == pytest.approx(np.mean(np.abs(err) / sn["scale"]))
    assert row["bias"] == pytest.approx(np.mean(err / sn["actual"]))
    assert np.isnan(row["coverage"])
    model = summ[summ["method"] == "runrate"].iloc[0]
    assert 0 <= model["coverage"] <= 1


def test_auto_on_a_subset_is_calibrated_and_tabulated(apple):
    summ = backtest(apple, "auto", origins=16, horizons=[1, 2, 3, 4])
    cov = summ[summ["method"] == "auto"]["coverage"]
    assert ((cov >= 0.6) & (cov <= 1.0)).all()  # 16 origins: a loose check; the bench measures
    table = mase_table(summ)
    assert list(table.columns) == ["brand", "horizon", "mase_model", "mase_baseline", "wins"]
    assert len(table) == 4


def test_too_short_history_is_a_data_error():
    with pytest.raises(DataError, match="13 or more consecutive periods"):
        backtest(quarterly("X", np.arange(1.0, 9.0)), "runrate")


def test_bad_horizons():
    with pytest.raises(ValueError, match="horizons"):
        backtest(quarterly("X", np.arange(1.0, 20.0)), "runrate", horizons=[0])


def test_idc_calibration_holds_the_issue_band():
    # the issue's calibration requirement, measured on the packaged IDC vendor series:
    # 80% intervals must contain the actual 70-90% of the time, 1-4 quarters ahead
    from analysis.projection.backtest import idc_calibration

    res = idc_calibration("auto")
    cov = res["coverage"]
    assert list(cov["horizon"]) == [1, 2, 3, 4]
    assert ((cov["coverage"] >= 0.70) & (cov["coverage"] <= 0.90)).all(), cov
    assert (cov["n"] >= 100).all()
    # and the table the issue asks for: per-horizon wins against seasonal naive, where
    # auto must win for the majority of vendors with 12+ quarters at every horizon 1-4
    wins = res["wins"]
    assert list(wins["horizon"]) == ["1", "2", "3", "4", "mean 1-4"]
    assert (wins["wins"] > wins["vendors"] / 2).all(), wins
    # the wins are counted from the MASE table: auto's MASE below seasonal naive's
    table = res["mase"]
    h3 = table[table["horizon"] == 3]
    assert wins.loc[wins["horizon"] == "3", "wins"].item() == int(
        (h3["mase_model"] < h3["mase_baseline"]).sum()
    )


@pytest.mark.parametrize("model", ["logistic", "bass"])
def test_idc_calibration_of_the_curves(model):
    # the same band for the S-curves, whose libraries are rescaled by spread_factor
    from analysis.projection.backtest import idc_calibration

    cov = idc_calibration(model)["coverage"]
    assert ((cov["coverage"] >= 0.70) & (cov["coverage"] <= 0.90)).all(), cov

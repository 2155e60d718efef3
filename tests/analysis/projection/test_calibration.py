"""How well the S-curves' intervals cover: on the IDC vendor series and on logistic data.

These tests replace ``test_idc_calibration_of_the_curves`` (removed when
``idc_calibration``'s output moved from ``coverage`` to ``coverage_80``/``coverage_95``,
without a replacement). They pin the honest current behaviour, gaps included; the README's
projection section states the same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import fit
from analysis.projection.backtest import idc_calibration

from .conftest import quarterly


def test_logistic_intervals_on_the_idc_series_cover_near_their_level():
    # the last 8 origins of each of the 6 IDC vendors with 13+ quarters, horizons 1-4
    # (143 origin x horizon cells); measured: 80% intervals cover 0.783, 0.795, 0.812,
    # 0.808 at horizons 1-4 (0.797 pooled), 95% intervals 0.935-1.0. With every origin
    # (535 cells) 0.81-0.85 by horizon, 0.83 pooled. Pooled over vendors only: per vendor
    # the 80% coverage runs from 0.40 (Nokia) to 0.92 (Samsung)
    res = idc_calibration("logistic", origins=8)
    det = res["detail"]
    mine = det[det["method"] == "logistic"]
    assert len(mine) == 143 and mine["brand"].nunique() == 6
    inside = (mine["lower_80"] <= mine["actual"]) & (mine["actual"] <= mine["upper_80"])
    assert 0.72 <= inside.mean() <= 0.88, inside.mean()
    cov = res["coverage"]
    assert ((cov["coverage_80"] >= 0.70) & (cov["coverage_80"] <= 0.90)).all(), cov


def _logistic_flows(rng, quarters):
    """Quarterly flows of a logistic (ceiling ~100M, k 0.6-1.4 a year, midpoint in year
    3-5) with independent 10% log-normal noise per quarter."""
    m = 100e6 * np.exp(rng.normal(0, 0.3))
    k, mid = rng.uniform(0.6, 1.4), rng.uniform(3.0, 5.0)
    level = m / (1 + np.exp(-k * (np.arange(quarters + 1) / 4.0 - mid)))
    return np.diff(level) * np.exp(rng.normal(0, 0.1, quarters))


def test_logistic_intervals_are_too_wide_when_the_logistic_is_true():
    # 40 seeded series of 16 quarters of logistic flows, fitted by fit(..., "logistic") and
    # scored on the next 4 quarters (160 cells): measured, the 80% intervals cover 0.956
    # and the 95% ones 0.994 (seeds 1 and 2 of the same design: 0.925 and 0.950 at 80%).
    # The library behind them is 7 rolling-origin errors of the series plus 36 run-rate
    # errors of IDC brands: it borrows the spread of a wrong model, so where the curve is
    # right its intervals are too wide. A gap, stated in the README; not calibrated here.
    rng = np.random.default_rng(0)
    hits80 = hits95 = cells = 0
    for _ in range(40):
        flows = _logistic_flows(rng, 20)
        p = fit(quarterly("S", flows[:16], start="2010Q1"), "logistic", cap=False)
        dates = pd.period_range("2014Q1", periods=4, freq="Q").end_time.normalize()
        x = p.sample(dates, draws=2000, basis="period")
        lo80, hi80, lo95, hi95 = np.quantile(x, [0.1, 0.9, 0.025, 0.975], axis=0)
        y = flows[16:]
        hits80 += int(((lo80 <= y) & (y <= hi80)).sum())
        hits95 += int(((lo95 <= y) & (y <= hi95)).sum())
        cells += 4
    assert "run-rate errors of packaged IDC brands" in p.uncertainty
    assert 0.88 <= hits80 / cells <= 1.0, hits80 / cells  # nominal 0.80
    assert hits95 / cells >= 0.95

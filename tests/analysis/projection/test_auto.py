"""The ``auto`` selection rule: which candidates compete, scores by hand, no look-ahead."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import backtest, fit
from analysis.projection.project import holdout_pool
from marketdata import datasets

from .conftest import quarterly

PATTERN = np.array([1.0, 1.1, 1.2, 1.9])  # strong Q4 peak (illustrative)


def seasonal_series():
    """28 quarters 2010Q1-2016Q4: a launch year at half the level, then the same four
    quarters repeated exactly (1.0, 1.1, 1.2, 1.9 million)."""
    units = np.tile(PATTERN, 7) * 1e6
    units[:4] *= 0.5
    return quarterly("S", units)


def scores_from_reason(reason: str) -> dict[str, float]:
    listed = reason.split("MASE of single periods: ", 1)[1].split("; chose", 1)[0]
    return {k: float(v) for k, v in re.findall(r"(\w+) ([0-9.]+)", listed)}


def test_pool_on_seasonal_flows_is_the_per_period_models():
    names = ["runrate", "exponential", "logistic", "gompertz", "bass", "seasonal", "combined"]
    assert holdout_pool(names, "Q") == ("runrate", "seasonal", "combined")
    assert holdout_pool(names, "M") == ("runrate", "seasonal", "combined")
    # annual figures, or runs too short for the seasonal model: every candidate competes
    assert holdout_pool(names, "Y") == tuple(names)
    assert holdout_pool(names[:5], "Q") == tuple(names[:5])


def test_auto_picks_seasonal_on_a_strongly_seasonal_series_with_scores_by_hand():
    f = seasonal_series()
    p = fit(f, "auto")
    assert p.model == "seasonal"
    assert "only the per-period models compete" in p.reason
    scores = scores_from_reason(p.reason)
    assert set(scores) == {"seasonal", "runrate", "combined"}

    # By hand. Flows u_0..u_27; the holdout's origins are the last 12 with a quarter ahead,
    # o = 15..26, scored 1..4 quarters ahead where the actual is known (o + h <= 27).
    u = f["units"].to_numpy()
    days = ((f["end"] - f["start"]).dt.days + 1).to_numpy()  # 90/91, 91, 92, 92
    # MASE scale at origin o: mean |u_t - u_{t-4}| for t = 4..o. Only t = 4..7 differ
    # (year 2 against the half-level launch year): |u_t - u_{t-4}| = u_t / 2.
    scale = {o: np.abs(u[4 : o + 1] - u[: o + 1 - 4]).sum() / (o - 3) for o in range(15, 27)}
    assert scale[15] == pytest.approx(0.5 * PATTERN.sum() * 1e6 / 12)
    quarter = 365.25 / 4  # days of one period of the seasonal model

    def cum_forecasts(o, h):
        """Units forecast from the end of quarter o to the end of quarter o + h."""
        d = days[o + 1 : o + h + 1].sum()
        # runrate: the origin quarter's daily pace times the days
        runrate = u[o] / days[o] * d
        # seasonal: the fit windows (the last 12 quarters up to each origin) and last year's
        # quarter lie in the exactly repeating years, so quarter o + k is forecast as the
        # pattern u_{o+k}, each spread over a period of 91.3125 days
        k, frac = divmod(d / quarter, 1.0)
        k = int(k)
        pattern = PATTERN[np.arange(o + 1, o + 2 + k) % 4] * 1e6  # quarters o+1..o+1+k
        seasonal = pattern[:k].sum() + frac * pattern[k]
        return {"runrate": runrate, "seasonal": seasonal, "combined": (runrate + seasonal) / 2}

    err = {"runrate": [], "seasonal": [], "combined": []}
    for o in range(15, 27):
        for h in range(1, 5):
            if o + h > 27:
                continue
            now, before = cum_forecasts(o, h), cum_forecasts(o, h - 1)
            for m in err:
                err[m].append(abs(u[o + h] - (now[m] - before[m])) / scale[o])
    assert len(err["runrate"]) == 9 * 4 + 3 + 2 + 1  # o = 15..23 all four; 24, 25, 26: 3, 2, 1
    for m in err:
        assert scores[m] == pytest.approx(np.mean(err[m]), abs=5e-4), m
    assert scores["seasonal"] < 0.1 < scores["combined"] < scores["runrate"]
    # and the projection continues the pattern: 2017Q1 (90 days) = 1.0 million spread over
    # 91.3125 days; the median adds the model's small past bias (the same day-count effect)
    jan_mar = 1.0e6 * 90 / quarter
    inc = p._engine.increments(np.array([0]), np.array([90 / 365.25]))[0, 0]
    assert inc == pytest.approx(jan_mar, rel=1e-6)  # the fit is least squares
    q1 = p.predict(["2016-12-31", "2017-03-31"]).to_numpy()
    assert q1[1] - q1[0] == pytest.approx(jan_mar, rel=0.02)


def test_combined_is_the_mean_of_seasonal_and_runrate():
    f = seasonal_series()
    det = {
        m: backtest(f, m, origins=4, horizons=[1, 2], detail=True)
        for m in ("seasonal", "runrate", "combined")
    }
    fc = {m: d[d["method"] == m]["forecast"].to_numpy() for m, d in det.items()}
    np.testing.assert_allclose(fc["combined"], 0.5 * (fc["seasonal"] + fc["runrate"]), rtol=1e-9)
    # and the fitted projection's point forecast for the next quarter is that mean too
    u = f["units"].to_numpy()
    p = fit(f, "combined")
    # over the next quarter-year (0.25 years = 91.3125 days): runrate half: 2016Q4's pace
    # (1.9M over 92 days) times 91.3125 days; seasonal half: one whole period of the
    # seasonal model, 2017Q1 = 1.0M exactly (see above)
    expected = 0.5 * (u[-1] / 92 * 91.3125 + 1.0e6)
    inc = p._engine.increments(np.array([0]), np.array([0.25]))[0, 0]
    assert inc == pytest.approx(expected, rel=1e-6)


@pytest.fixture(scope="module")
def samsung():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    return ww[ww["brand"] == "Samsung"].sort_values("start").reset_index(drop=True)


def test_auto_backtest_has_no_look_ahead(samsung):
    # auto's choice at an origin is what fit(model="auto") chooses on the figures up to it,
    # and a backtest row does not change when the figures after its horizon are removed
    det = backtest(samsung, "auto", horizons=[1, 2], detail=True)
    det = det[det["method"] == "auto"]
    origins = sorted(det["origin"].unique())
    assert origins[0] == samsung["end"].iloc[11]  # the first origin: 12 quarters of history
    for origin in origins[:2] + origins[2::7]:
        upto = samsung[samsung["end"] <= origin]
        assert fit(upto, "auto").model == det[det["origin"] == origin]["model"].iloc[0]
    last = origins[-6]
    cut = samsung[samsung["end"] <= last + pd.offsets.QuarterEnd(2)]
    short = backtest(cut, "auto", origins=[last], horizons=[1, 2], detail=True)
    short = short[short["method"] == "auto"].reset_index(drop=True)
    full = det[det["origin"] == last].reset_index(drop=True)
    assert short["origin"].iloc[0] == last
    pd.testing.assert_frame_equal(
        short[["origin", "horizon", "model", "forecast", "actual"]],
        full[["origin", "horizon", "model", "forecast", "actual"]],
    )

"""The statsforecast models as projections: statsforecast's numbers, joint paths, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit, target_attainment
from analysis.projection.data import period_ends_ns
from marketdata import DataError, datasets

from .conftest import milestones, quarterly


@pytest.fixture(scope="module")
def apple():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    return ww[ww["brand"] == "Apple"].sort_values("start").reset_index(drop=True)


NEXT4 = pd.date_range("2024-06-30", periods=4, freq="QE")  # Apple's data end in 2024Q1


def direct(model, y, h=4, levels=(80, 95)):
    """statsforecast called directly, as an analyst would."""
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    cls = {"ets": AutoETS, "arima": AutoARIMA, "theta": AutoTheta, "snaive": SeasonalNaive}
    return cls[model](season_length=4).forecast(y=y, h=h, level=list(levels))


@pytest.mark.parametrize("model", ["ets", "arima", "theta", "snaive"])
def test_median_and_intervals_are_statsforecasts(apple, model):
    y = apple["units"].to_numpy(dtype=float)
    ref = direct(model, y)
    p = fit(apple, model)
    assert p.model == model and p.basis == "period" and "statsforecast" in p.uncertainty
    # antithetic draws: the per-quarter median is statsforecast's mean forecast (exactly for
    # symmetric intervals; AutoTheta's are slightly asymmetric)
    rtol = 1e-4 if model == "theta" else 1e-9
    np.testing.assert_allclose(p.predict(NEXT4, basis="period"), ref["mean"], rtol=rtol)
    # the Gaussian marginals reproduce its 80% and 95% intervals (Monte Carlo: 20,000 draws)
    x = p.sample(NEXT4, draws=20_000, seed=1, basis="period")
    sd = (np.asarray(ref["hi-80"]) - np.asarray(ref["lo-80"])) / (2 * 1.2815515655446004)
    # (AutoTheta's intervals are simulated, not Gaussian: only its 80% is matched)
    checks = ((80, 1.2815515655446004), (95, 1.959963984540054))[: 1 if model == "theta" else 2]
    for lv, z in checks:
        lo, hi = np.quantile(x, [(1 - lv / 100) / 2, (1 + lv / 100) / 2], axis=0)
        np.testing.assert_allclose(lo, np.asarray(ref[f"lo-{lv}"]), atol=0.03 * sd.max() * z)
        np.testing.assert_allclose(hi, np.asarray(ref[f"hi-{lv}"]), atol=0.03 * sd.max() * z)
    # cumulative paths are the known total plus the summed quarters, never decreasing
    c = p.sample(NEXT4, draws=500, seed=2)
    q = p.sample(NEXT4, draws=500, seed=2, basis="period")
    np.testing.assert_allclose(c[:, 0], apple["units"].sum() + q[:, 0])
    assert (np.diff(c, axis=1) >= 0).all()


def test_snaive_is_the_value_four_quarters_back(apple):
    p = fit(apple, "snaive")
    last4 = apple["units"].to_numpy()[-4:]
    np.testing.assert_array_equal(p.predict(NEXT4, basis="period").to_numpy(), last4)


def test_joint_paths_have_the_documented_correlation(apple):
    # ets: errors are a random walk across horizons, corr(e1, e2) = sigma1 / sigma2;
    # snaive: the seasons of one year are independent, and year two repeats year one's
    # error plus a new one: corr(e1, e5) = sigma1 / sigma5
    for model, (i, j) in (("ets", (0, 1)), ("snaive", (0, 4)), ("snaive", (0, 1))):
        p = fit(apple, model)
        dates = pd.date_range("2024-06-30", periods=5, freq="QE")
        x = p.sample(dates, draws=40_000, seed=3, basis="period")
        ref = direct(model, apple["units"].to_numpy(dtype=float), h=5, levels=(80,))
        sd = (np.asarray(ref["hi-80"]) - np.asarray(ref["lo-80"])) / (2 * 1.2815515655446004)
        r = np.corrcoef(x[:, i], x[:, j])[0, 1]
        expected = 0.0 if (model, j) == ("snaive", 1) else sd[i] / sd[j]
        assert r == pytest.approx(expected, abs=0.02), (model, i, j)


def test_a_combination_is_the_mean_of_its_members(apple):
    from analysis.projection import classical
    from analysis.projection.data import prepare, select

    frame, _ = select(apple, None, None)
    series = prepare(frame, "Apple", "WW")
    p = classical.projection(series, ("ets", "theta"), reason="test", seed=0)
    y = apple["units"].to_numpy(dtype=float)
    mean = 0.5 * (direct("ets", y)["mean"] + direct("theta", y)["mean"])
    # the same normals drive both members, weighted differently by their chains: close
    np.testing.assert_allclose(p.predict(NEXT4, basis="period"), mean, rtol=2e-3)
    assert p.model == "ets+theta" and "equal-weight mean" in p.uncertainty


def test_target_attainment_works_on_a_statsforecast_projection(apple):
    p = fit(apple, "snaive")
    # units of calendar 2024 from the joint draws: known 2024Q1 + 2023Q2..Q4 repeated
    year = apple["units"].to_numpy()[-4:].sum()
    c = p.sample(["2023-12-31", "2024-12-31"], draws=4000, seed=p.seed)
    x = c[:, 1] - c[:, 0]
    res = target_attainment(p, float(year), "2024-12-31", basis="period")
    prob = res.frame()["probability"].iloc[0]
    assert prob == pytest.approx((x >= year).mean(), abs=0.05)
    assert 0.3 < prob < 0.7  # the median year is the target


def test_milestones_and_short_runs_are_refused():
    with pytest.raises(DataError, match="regular per-period figures"):
        fit(milestones("X", ["2011-12-31", "2012-06-30"], [1e6, 3e6]), "ets")
    with pytest.raises(DataError, match="needs 8 consecutive periods"):
        fit(quarterly("X", [1.0, 2, 3, 4, 5, 6]), "theta")


def test_auto_widens_a_statsforecast_pick_to_its_holdout_errors(apple):
    from analysis.projection import classical
    from analysis.projection.data import prepare, select

    p = fit(apple, "auto")
    names = tuple(p.model.split("+"))
    assert set(names) <= {"theta", "snaive"}  # the IDC Apple series: a statsforecast pick
    first = apple["end"].iloc[45].date()  # the first origin: the 46th of 58 quarters
    assert f"fitted once, on the figures up to {first}" in p.reason
    # the factor by hand: the last 12 origins o = 45..56 of 58 quarters, errors of the
    # (combined) mean forecast over its mean spread, 1-4 quarters ahead where known; each
    # model fitted once, on the quarters up to the first origin (46), then applied
    # (statsforecast's forward) to the quarters up to each origin
    frame, _ = select(apple, None, None)
    series = prepare(frame, "Apple", "WW")
    y = apple["units"].to_numpy(dtype=float)
    fitted = {n: _model(n).fit(y[:46]) for n in names}
    z = []
    for o in range(45, 57):
        parts = []
        for n in names:
            r = fitted[n].forward(y=y[: o + 1], h=4, level=[80])
            half = (np.asarray(r["hi-80"]) - np.asarray(r["lo-80"])) / (2 * 1.2815515655446004)
            parts.append((np.asarray(r["mean"]), half, half))
        mean = np.mean([np.maximum(m, 0) for m, _, _ in parts], axis=0)
        spread = np.mean([0.5 * (lo + hi) for _, lo, hi in parts], axis=0)
        z += [abs(y[o + h] - mean[h - 1]) / spread[h - 1] for h in range(1, 5) if o + h < 58]
    factor = float(np.clip(np.quantile(z, 0.8) / 1.2815515655446004, 0.8, 3.0))
    assert f"spreads x{factor:.2f}" in p.uncertainty
    plain = classical.projection(series, names, reason="", seed=p.seed)
    w = p.interval(0.8, dates=NEXT4, basis="period")
    w0 = plain.interval(0.8, dates=NEXT4, basis="period")
    np.testing.assert_allclose(w["median"], w0["median"], rtol=1e-3)  # theta: asymmetric
    np.testing.assert_allclose(
        w["upper"] - w["lower"], factor * (w0["upper"] - w0["lower"]), rtol=1e-9
    )


@pytest.mark.parametrize(("model", "need"), [("ets", 7), ("theta", 4), ("arima", 4)])
def test_a_short_annual_run_is_refused_with_a_data_error_not_statsforecasts(model, need):
    # statsforecast's AutoETS raises NotImplementedError("tiny datasets") below 7 values and
    # AutoTheta below 4, whatever the season length: the toolkit says so first
    ww = datasets.load("worldwide_annual_shipments_by_vendor")
    apple = ww[ww["brand"] == "Apple"].sort_values("end").reset_index(drop=True)
    with pytest.raises(DataError, match=f"needs {need} consecutive periods"):
        fit(apple.tail(need - 1), model)
    p = fit(apple.tail(need), model)  # the shortest run it fits
    y = apple["units"].to_numpy(dtype=float)[-need:]
    ref = _statsforecast_mean(model, y)
    assert p.predict(["2024-12-31"], basis="period").iloc[0] == pytest.approx(ref, rel=1e-3)


def _model(name):
    from statsforecast.models import AutoETS, AutoTheta, SeasonalNaive

    return {"ets": AutoETS, "theta": AutoTheta, "snaive": SeasonalNaive}[name](season_length=4)


@pytest.mark.parametrize("name", ["snaive", "theta", "ets"])
def test_holdout_forecasts_fit_once_at_the_first_origin(apple, name):
    from analysis.projection import classical
    from analysis.projection.data import prepare, select

    frame, _ = select(apple, None, None)
    series = prepare(frame, "Apple", "WW")
    y = apple["units"].to_numpy(dtype=float)
    origins = np.arange(40, 57)
    mean, spread = classical.origin_flows(name, series, origins, 4)
    model = _model(name).fit(y[:41])  # the periods up to the first origin, index 40
    for k, o in enumerate(origins):
        r = model.forward(y=y[: o + 1], h=4, level=[80])
        half = (np.asarray(r["hi-80"]) - np.asarray(r["lo-80"])) / (2 * 1.2815515655446004)
        np.testing.assert_allclose(mean[k], np.maximum(r["mean"], 0), rtol=1e-9)
        np.testing.assert_allclose(spread[k], half, rtol=1e-6)
    if name == "snaive":  # no parameters: the value a year back, at every origin
        np.testing.assert_array_equal(mean[:, 0], y[origins - 3])
        # sigma by hand at the first origin: seasonal differences of y[0..40]
        d = y[4:41] - y[:37]
        np.testing.assert_allclose(spread[0], np.sqrt((d**2).sum() / 37) * np.ones(4))


def _statsforecast_mean(model, y):
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta

    cls = {"ets": AutoETS, "arima": AutoARIMA, "theta": AutoTheta}
    return float(cls[model](season_length=1).forecast(y=y, h=1)["mean"][0])


@pytest.mark.parametrize("freq, alias", [("Q", "QE"), ("M", "ME"), ("Y", "YE")])
def test_period_ends_are_pandas_period_ends(freq, alias):
    # sampling reads the next period ends with numpy; pandas' date_range gives the same
    rng = np.random.default_rng(2)
    days = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 150 * 365, 300), "D")
    for start in days.append(pd.date_range("2011-01-31", periods=24, freq="ME")):
        h = int(rng.integers(1, 10))
        expected = pd.date_range(start, periods=h, freq=alias).asi8
        np.testing.assert_array_equal(period_ends_ns(start.value, h, freq), expected)


def test_a_tail_stretch_widens_the_95_interval_and_keeps_the_80(apple):
    from analysis.projection import classical
    from analysis.projection.data import prepare, select

    frame, _ = select(apple, None, None)
    series = prepare(frame, "Apple", "WW")
    ref = direct("snaive", apple["units"].to_numpy(dtype=float), h=1, levels=(80,))
    mean = float(ref["mean"][0])
    sd = (float(ref["hi-80"][0]) - mean) / 1.2815515655446004
    date = NEXT4[:1]
    plain = classical.projection(series, ("snaive",), reason="", seed=0)
    wide = classical.projection(series, ("snaive",), reason="", seed=0, tail=2.0)
    x0 = plain.sample(date, draws=40_000, seed=1, basis="period")[:, 0]
    x = wide.sample(date, draws=40_000, seed=1, basis="period")[:, 0]
    # the median and the 80% interval are the same draws' (the stretch starts at z_0.9; the
    # 10% and 90% quantiles interpolate between the draws either side of it, one of which
    # moves: by 2e-6 here)
    np.testing.assert_allclose(
        np.quantile(x, [0.1, 0.5, 0.9]), np.quantile(x0, [0.1, 0.5, 0.9]), rtol=1e-5
    )
    # beyond z_0.9 every shock is stretched x2: the same draws' 97.5% quantile, z0 spreads
    # above the mean without the stretch, is z_0.9 + 2 (z0 - z_0.9) with it (about
    # 1.28 + 2 x 0.68 = 2.64: wider than the Gaussian 1.96)
    z0 = (np.quantile(x0, 0.975) - mean) / sd
    assert z0 == pytest.approx(1.96, abs=0.03)
    z = (np.quantile(x, 0.975) - mean) / sd
    assert z == pytest.approx(1.2815515655446004 + 2 * (z0 - 1.2815515655446004), rel=1e-6)
    assert "stretched x2.00" in wide.uncertainty


# -- options a statsforecast model cannot use, gaps and censored figures -----------------


@pytest.mark.parametrize(
    "option",
    [
        {"fixed": {"m": 1e9}},
        {"bounds": {"m": (1e8, 1e10)}},
        {"scenarios": {"growth": (-0.1, 0.1)}},
        {"window": 1.0},
    ],
    ids=["fixed", "bounds", "scenarios", "window"],
)
@pytest.mark.parametrize("model", ["ets", "snaive"])
def test_an_option_a_statsforecast_model_cannot_use_is_refused_not_ignored(apple, model, option):
    # fixed/bounds/window are the toolkit curves' parameters and scenarios replaces their
    # error library: a statsforecast model has none of them, so accepting the option and
    # returning the same projection as without it would hide that it did nothing
    name = next(iter(option))
    with pytest.raises(ValueError, match=rf"{name}=.*{model}"):
        fit(apple, model, **option)


def test_a_statsforecast_model_on_figures_with_a_gap_says_which_figures_it_used():
    # 20 quarters from 2015Q1 with 2017Q1 missing: statsforecast fits the last unbroken run
    # (2017Q2-2019Q4, 11 quarters); the 8 quarters before the gap are not used, which the
    # summary must say (as it does for the toolkit models)
    units = 1e6 * (1 + 0.03 * np.arange(20)) * np.tile([0.9, 1.0, 1.0, 1.2], 5)
    units *= np.random.default_rng(1).lognormal(0, 0.05, 20)
    f = quarterly("Acme", units, start="2015Q1").drop(index=8).reset_index(drop=True)
    p = fit(f, "snaive")
    assert any("2017-04-01" in w and "not in the data" in w for w in p.warnings)


def test_an_over_figure_in_a_statsforecast_series_is_read_at_its_geometric_middle():
    # 16 quarters, the last "over 1.6M": SeasonalNaive forecasts 4 quarters ahead the
    # quarter a year before, so the 2019Q4 forecast is the censored figure's value, read as
    # the toolkit reads censored figures: the geometric middle of [N, 1.15 N],
    # sqrt(1.6e6 * 1.84e6) = 1.6e6 * sqrt(1.15) = 1,715,809 (not 1.6M, as if exact)
    units = 1e6 * (1 + 0.03 * np.arange(16)) * np.tile([0.9, 1.0, 1.0, 1.2], 4)
    units[-1] = 1.6e6
    f = quarterly("Acme", units, start="2015Q1")
    f["qualifier"] = pd.array([pd.NA] * 15 + ["over"], dtype="string")
    p = fit(f, "snaive")
    q4 = p.predict(["2019-12-31"], basis="period").iloc[0]
    assert q4 == pytest.approx(1.6e6 * np.sqrt(1.15), rel=1e-6)
    assert any("over" in w for w in p.warnings)


def test_a_refusal_says_what_the_figures_are_and_what_fits_them():
    # half-years of a fast grower: the message listed every possible cause ("cumulative
    # milestones, half-years or irregular periods") and suggested runrate or an S-curve
    # "for milestones"; it names the half-years and the models that fit them
    halves = quarterly("Z", [1e6, 2e6, 3.5e6, 6e6, 8e6]).assign(
        start=pd.to_datetime(
            ["2016-01-01", "2016-07-01", "2017-01-01", "2017-07-01", "2018-01-01"]
        ),
        end=pd.to_datetime(["2016-06-30", "2016-12-31", "2017-06-30", "2017-12-31", "2018-06-30"]),
    )
    with pytest.raises(DataError, match=r"half-year") as info:
        fit(halves, "snaive")
    assert "milestones" not in str(info.value) and "growth" in str(info.value)
    with pytest.raises(DataError, match=r"cumulative milestones") as info:
        fit(milestones("X", ["2012-01-31", "2012-06-30"], [1e6, 3e6]), "ets")
    assert "half-years" not in str(info.value)


def test_the_censored_flow_note_is_on_the_models_that_read_flows_only():
    # runrate fits the cumulative range of an "over N" quarter (its pace is the geometric
    # middle of the range's ends); the note on per-period models reading the flows'
    # middle is not about it
    units = 1e6 * (1 + 0.03 * np.arange(16)) * np.tile([0.9, 1.0, 1.0, 1.2], 4)
    f = quarterly("Acme", units, start="2015Q1")
    f["qualifier"] = pd.array([pd.NA] * 15 + ["over"], dtype="string")
    assert any("geometric middle" in w for w in fit(f, "seasonal").warnings)
    assert not any("geometric middle" in w for w in fit(f, "runrate").warnings)


@pytest.mark.parametrize("model", ["ets", "snaive", "arima"])
def test_the_next_periods_80_interval_is_statsforecasts_own(model):
    # 36 made-up months (trend, a sine season, 5% noise): the toolkit's 80% interval for
    # the next three months against statsforecast's, called directly with season 12
    from statsforecast.models import AutoARIMA, AutoETS, SeasonalNaive

    rng = np.random.default_rng(1)
    k = np.arange(36)
    y = 1e6 * (1 + 0.02 * k) * (1 + 0.2 * np.sin(2 * np.pi * k / 12)) * rng.lognormal(0, 0.05, 36)
    months = pd.period_range("2018-01", periods=36, freq="M")
    f = quarterly("Acme", y).assign(start=months.start_time, end=months.end_time.normalize())
    cls = {"ets": AutoETS, "arima": AutoARIMA, "snaive": SeasonalNaive}[model]
    ref = cls(season_length=12).forecast(y=y, h=3, level=[80])
    iv = fit(f, model).interval(
        0.8, dates=pd.date_range("2021-01-31", periods=3, freq="ME"), basis="period"
    )
    np.testing.assert_allclose(iv["median"], ref["mean"], rtol=1e-6)
    np.testing.assert_allclose(iv["upper"] - iv["lower"], ref["hi-80"] - ref["lo-80"], rtol=0.01)


def test_the_summarys_90_percent_band_is_the_draws(apple):
    from analysis.projection import classical
    from analysis.projection.data import prepare, select

    frame, _ = select(apple, None, None)
    series = prepare(frame, "Apple", "WW")
    p = classical.projection(series, ("snaive",), reason="", seed=0, spread=1.3, tail=2.0)
    x = p.sample(NEXT4, draws=40_000, seed=1, basis="period")
    lo, hi = np.quantile(x, [0.05, 0.95], axis=0)
    band = p.param_intervals
    # the strata are 1/20,000 wide: the draws' quantiles match the band to ~0.1% of it
    width = (band["upper"] - band["lower"]).to_numpy()
    np.testing.assert_allclose(band["lower"], lo, atol=0.002 * width.max())
    np.testing.assert_allclose(band["upper"], hi, atol=0.002 * width.max())


def test_a_tiny_gap_between_bass_and_logistic_does_not_read_zero():
    from analysis.projection.sanity import _percent

    assert [_percent(g) for g in (1e-6, 0.0012, 0.034)] == ["<0.01%", "0.12%", "3.4%"]

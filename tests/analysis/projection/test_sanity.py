"""Caps and plausibility: no projection above its market, no flagged model chosen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import fit
from analysis.projection import auto, models, sanity
from analysis.projection.data import prepare, select
from marketdata import datasets

DATA = Path(datasets.__file__).parent


def annual(brand, years, units, market="WW"):
    return pd.DataFrame(
        {
            "brand": brand,
            "market": market,
            "start": pd.to_datetime([f"{y}-01-01" for y in years]),
            "end": pd.to_datetime([f"{y}-12-31" for y in years]),
            "units": np.asarray(units, dtype=float),
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "synthetic (illustrative)",
        }
    )


def _sample(p, dates, draws, seed=0):
    try:
        return p.sample(dates, draws=draws, seed=seed)
    except TypeError:
        return p.sample(dates, n=draws, seed=seed)


def test_ww_totals_are_idcs_totals_else_the_vendor_rows_summed():
    size = pd.read_csv(DATA / "country_market_size.csv")
    size = size[size["market"] == "Worldwide"]
    size = size.set_index(size["period"].astype(int))["units"]
    rows = pd.read_csv(DATA / "worldwide_annual_shipments_by_vendor.csv")
    summed = rows.groupby("year")["units"].sum()
    t = sanity.ww_totals()
    for year in summed.index:
        expected = size[year] if year in size.index else summed[year]
        assert t[year] == pytest.approx(expected), year
    assert t[2020] == 1_292_200_000  # IDC's total, not the double-counted 1,403.5M sum


# a brand growing 10x a year to 500M in 2012: an exponential projects ~5 billion in 2013
BOOM = annual("Z", [2009, 2010, 2011, 2012], [0.5e6, 5e6, 50e6, 500e6])


def test_a_projection_never_exceeds_the_packaged_worldwide_market():
    p = fit(BOOM, "exponential", brand="Z")
    x = _sample(p, ["2012-12-31", "2013-12-31"], 2000)
    y2013 = x[:, 1] - x[:, 0]
    assert y2013.max() <= sanity.ww_totals()[2013] * (1 + 1e-9)  # IDC 2013: 1,004.2M
    assert any("more than the whole market" in w for w in p.warnings)
    free = fit(BOOM, "exponential", brand="Z", cap=False)
    y_free = np.diff(_sample(free, ["2012-12-31", "2013-12-31"], 2000), axis=1)[:, 0]
    assert np.median(y_free) > 3e9  # what the cap prevents


def test_the_cap_holds_between_any_two_dates_asked_for():
    p = fit(BOOM, "exponential", brand="Z", cap=400e6)
    dates = ["2012-12-31", "2013-03-31", "2013-06-30", "2013-09-30", "2013-12-31"]
    x = _sample(p, dates, 1000)
    days = np.diff(pd.to_datetime(dates)).astype("timedelta64[D]").astype(float)
    # 400M a year spread evenly over 2013's 365 days: a quarter of d days holds at most
    # 400M * d / 365 (90 days: 98.63M), and the unbounded exponential would hold more
    assert (np.diff(x, axis=1) <= 400e6 * days / 365 * (1 + 1e-9)).all()
    assert np.diff(x, axis=1)[:, 0].max() == pytest.approx(400e6 * 90 / 365)


def test_market_size_figures_in_the_frame_cap_the_brand():
    market = annual(pd.NA, [2012], [300e6], market="CN")
    figures = pd.concat([BOOM.assign(market="CN"), market], ignore_index=True)
    p = fit(figures, "exponential", brand="Z", market="CN")
    x = _sample(p, ["2012-12-31", "2014-12-31"], 1000)
    # two years past the last market figure, held at 300M a year: at most 600M
    assert (x[:, 1] - x[:, 0]).max() <= 600e6 * (1 + 1e-9)


def test_bad_cap_is_refused():
    with pytest.raises(ValueError, match="cap must be"):
        fit(BOOM, "runrate", brand="Z", cap=-1)
    with pytest.raises(ValueError, match="cap must be"):
        fit(BOOM, "runrate", brand="Z", cap=True)


def test_auto_never_picks_a_model_its_own_check_flags():
    # the case: five annual figures of a fast-growing brand (Samsung 2008-2012)
    f = datasets.load("worldwide_annual_shipments_by_vendor")
    samsung = f[(f["brand"] == "Samsung") & f["end"].dt.year.between(2008, 2012)]
    assert "implausible" in " ".join(fit(samsung, "exponential", brand="Samsung").warnings)
    p = fit(samsung, "auto", brand="Samsung")
    assert p.model != "exponential" and not any("implausible" in w for w in p.warnings)
    # Apple's cumulative units at the ends of 2007-2014 (eight milestones): AICc, with the
    # flagged curves excluded and said so
    apple = f[(f["brand"] == "Apple") & (f["end"].dt.year < 2015)].sort_values("end")
    apple = apple.assign(units=apple["units"].cumsum(), basis="cumulative", start=pd.NaT)
    p = fit(apple, "auto", brand="Apple")
    assert "exponential excluded (implausible" in p.reason
    assert "logistic excluded (implausible: the logistic curve's pace collapses" in p.reason
    assert p.model not in ("exponential", "logistic")
    assert not any("implausible" in w for w in p.warnings)


def test_an_s_curve_whose_pace_collapses_is_flagged():
    # cumulative 5, 25, 85, 155M at year ends (70M in the last year) with the ceiling set
    # at 160M: the curve (which misses the figures a little) leaves a few million for the
    # year after 70M, under a quarter of the pace
    figures = annual("S", [2011, 2012, 2013, 2014], [5e6, 25e6, 85e6, 155e6]).assign(
        start=pd.NaT, basis="cumulative"
    )
    p = fit(figures, "logistic", brand="S", fixed={"m": 160e6})
    curve = p._engine.increments(np.arange(1), np.array([1.0]))[0, 0]  # the fitted curve
    assert curve < 160e6 - 85e6 - 70e6 + 15e6 and curve / 70e6 < sanity.COLLAPSE
    flagged = [w for w in p.warnings if "collapses" in w]
    assert len(flagged) == 1 and flagged[0] in str(p.summary())
    assert f"collapses to {curve / 70e6:.2f}x the last observed pace" in flagged[0]
    # the same ceiling under auto: the collapsing curves are excluded, the choice is not one
    q = fit(figures, "auto", brand="S", fixed={"m": 160e6})
    assert "logistic excluded (implausible: the logistic curve's pace collapses" in q.reason
    assert q.model not in ("logistic", "gompertz", "bass")


def test_bass_with_p_to_zero_is_the_logistic():
    # F(x) = (1 - e^{-(p+q)x}) / (1 + (q/p) e^{-(p+q)x}); as p -> 0 this is
    # 1 / (1 + e^{-q (x - ln(q/p) / q)}): a logistic with k = q, t0 = launch + ln(q/p) / q
    t = np.linspace(-6, 2, 50)[None, :]
    m, q, p, launch = 1e9, 0.9, 1e-6, -20.0
    bass = models.MODELS["bass"].level(
        t,
        {
            "m": np.array([[m]]),
            "p": np.array([[p]]),
            "q": np.array([[q]]),
            "launch": np.array([[launch]]),
        },
    )
    t0 = launch + np.log(q / p) / q
    logistic = m / (1 + np.exp(-q * (t - t0)))
    np.testing.assert_allclose(bass, logistic, rtol=1e-4)


def test_auto_does_not_offer_bass_where_it_coincides_with_logistic():
    f = datasets.load("worldwide_annual_shipments_by_vendor")
    apple = f[(f["brand"] == "Apple") & (f["end"].dt.year < 2012)]
    frame, _ = select(apple, "Apple", None)
    series = prepare(frame, "Apple", "WW")
    cands = auto.candidates(series, None, None, None)
    kept, notes = sanity.screen(cands, series, None)
    names = [c.model.name for c in kept]
    assert "logistic" in names and "bass" not in names
    assert any("bass not offered: it coincides with logistic" in n for n in notes)
    # and they do coincide: the two fits' next year agree within SAME_CURVE
    a = np.diff(
        _sample(fit(apple, "bass", brand="Apple"), ["2011-12-31", "2012-12-31"], 4000), axis=1
    )
    b = np.diff(
        _sample(fit(apple, "logistic", brand="Apple"), ["2011-12-31", "2012-12-31"], 4000), axis=1
    )
    assert np.median(a) == pytest.approx(np.median(b), rel=sanity.SAME_CURVE)


def test_a_bass_fit_that_is_the_logistic_says_so():
    # five annual figures of a fast-growing brand: the analyst's bass fit has p -> 0 and
    # projects what logistic projects (to 1%), without a word
    ends = pd.to_datetime([f"{y}-12-31" for y in range(2019, 2024)])
    figures = pd.DataFrame(
        {
            "brand": "Newco",
            "market": "WW",
            "start": ends - pd.offsets.YearBegin(1),
            "end": ends,
            "units": [2e6, 7e6, 20e6, 45e6, 70e6],
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "synthetic (illustrative)",
        }
    )
    bass, logistic = fit(figures, "bass"), fit(figures, "logistic")
    d = ["2024-12-31", "2025-12-31"]
    b, lg = bass.predict(d, basis="period"), logistic.predict(d, basis="period")
    assert np.allclose(b, lg, rtol=0.02)  # the same curve
    assert any("coincides with logistic" in w for w in bass.warnings)
    assert not any("coincides" in w for w in logistic.warnings)


def test_a_years_capped_units_do_not_depend_on_the_other_dates_asked():
    # an exponential (about 3.5x a year) from 1M, 4M, 15M, 40M that outgrows a 125M market
    # in 2019: the median of 2019's units is the same number whether or not mid-2019 or
    # 2020 is asked too (it was 125M asked alone and 114.7M beside 2019-06-30: H2 capped
    # at 62.5M while H1 stayed below its 62.5M). The paths are bounded month by month, so
    # the year is under 125M (its first months below the market's pace, its last at it)
    # and 2020, wholly at the market's pace, is 125M
    f = annual("Z", [2015, 2016, 2017, 2018], [1e6, 4e6, 15e6, 40e6], market="IN")
    p = fit(f, "exponential", brand="Z", market="IN", cap=125e6)
    alone = p.predict(["2019-12-31"], basis="period").iloc[0]
    beside = p.predict(["2019-06-30", "2019-12-31"], basis="period").iloc[1]
    with_2020 = p.predict(["2019-03-31", "2019-12-31", "2020-12-31"], basis="period")
    assert beside == pytest.approx(alone, rel=1e-9)
    assert with_2020.iloc[1] == pytest.approx(alone, rel=1e-9)
    assert alone < 125e6
    assert with_2020.iloc[2] == pytest.approx(125e6, rel=1e-9)
    # a date within a month takes the month's bounded rise in proportion: cumulative
    # units at 2019-06-12 lie between those at the ends of May and June
    c = p.predict(["2019-05-31", "2019-06-12", "2019-06-30"]).to_numpy()
    assert c[0] <= c[1] <= c[2]


def _integral_with_pandas(cap, ref, t):
    """Cap.integral as plain pandas: the calendar years around ``t``, each holding the last
    known year's size (the first year's before it), summed from Jan 1 to Jan 1."""
    at = pd.Timestamp(ref) + pd.to_timedelta(np.asarray(t, dtype=float) * 365.25, unit="D")
    lo = min(int(cap.years.min()), int(at.year.min())) - 1
    hi = max(int(cap.years.max()), int(at.year.max())) + 1
    ys = np.arange(lo, hi + 1)
    per = pd.Series(cap.units, index=cap.years).reindex(ys).ffill().bfill().to_numpy()
    starts = pd.to_datetime([f"{y}-01-01" for y in ys] + [f"{hi + 1}-01-01"])
    edge = (starts - pd.Timestamp(ref)).days.to_numpy(dtype=float) / 365.25
    return np.interp(np.asarray(t, dtype=float), edge, np.r_[0.0, np.cumsum(per)])


@pytest.mark.parametrize(
    "years, units",
    [([2012], [5e8]), ([2009, 2010, 2013], [1e8, 3e8, 2e8]), ([2015, 2011], [4e8, 1e8])],
)
def test_cap_integral_is_the_calendar_sum_pandas_gives(years, units):
    # the integral is computed with numpy (a hot path of Projection.sample); the same
    # numbers as the calendar-year arithmetic in pandas, to the last bit
    cap = sanity.Cap(np.array(years), np.array(units), "test")
    rng = np.random.default_rng(1)
    for ref in ["2012-06-13", "2013-01-01", "2008-12-31 06:00"]:
        t = np.r_[rng.uniform(-6, 8, 50), 0.0, -0.5, 0.5]
        np.testing.assert_array_equal(
            cap.integral(pd.Timestamp(ref), t), _integral_with_pandas(cap, ref, t)
        )

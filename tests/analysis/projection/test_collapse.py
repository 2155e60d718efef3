"""An S-curve whose pace collapses in any of the next years is flagged; bass is a logistic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit
from analysis.projection import models, sanity


def newco(units=(2e6, 7e6, 20e6, 45e6, 70e6)):
    """Annual figures of a fast-growing brand, 2019-2023 (illustrative)."""
    ends = pd.to_datetime([f"{y}-12-31" for y in range(2019, 2019 + len(units))])
    return pd.DataFrame(
        {
            "brand": "Newco",
            "market": "XX",
            "start": ends - pd.offsets.YearBegin(1),
            "end": ends,
            "units": np.asarray(units, dtype=float),
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "synthetic (illustrative)",
        }
    )


def logistic_year(params, year):
    """Units of calendar ``year`` on the fitted logistic, from its definition: t in years
    of 365.25 days from 2024-01-01 (the end of the last figure), m / (1 + e^(-k (t - t0)))
    at the year's two ends, differenced."""
    m, k, t0 = params["m"], params["k"], params["t0"]
    ref = pd.Timestamp("2024-01-01")

    def level(day):
        t = (pd.Timestamp(day) - ref).days / 365.25
        return m / (1 + np.exp(-k * (t - t0)))

    return level(f"{year + 1}-01-01") - level(f"{year}-01-01")


def test_a_logistic_whose_pace_collapses_after_next_year_is_flagged():
    # regression: only the next year was checked, so a logistic on 2, 7, 20, 45, 70M
    # (2019-2023) that projects ~54M for 2024 (0.77x the 70M of 2023), ~26M for 2025
    # (0.37x) and ~9M for 2026 (0.13x, under a quarter) carried no warning
    p = fit(newco(), "logistic")
    by_hand = {y: logistic_year(p.params, y) for y in (2024, 2025, 2026)}
    assert by_hand[2024] / 70e6 > sanity.COLLAPSE and by_hand[2025] / 70e6 > sanity.COLLAPSE
    assert by_hand[2026] / 70e6 < sanity.COLLAPSE
    flagged = [w for w in p.warnings if "collapses" in w]
    assert len(flagged) == 1 and flagged[0] in str(p.summary())
    # the warning names the first year under the threshold and both paces; its units are
    # the median over the fit's parameter draws, within 5% of the point fit's by hand
    assert "in 2026" in flagged[0] and "after 70.00M in the last year" in flagged[0]
    said = float(flagged[0].split("paths, gives ")[1].split("M")[0]) * 1e6
    assert said == pytest.approx(by_hand[2026], rel=0.05)
    assert f"under {sanity.COLLAPSE:.2f}x" in flagged[0]


def test_a_logistic_under_a_quarter_in_its_second_year_is_flagged():
    # on 10, 30, 60, 75, 80M (2019-2023) the fit projects about 44M for 2024 (0.55x the
    # 80M of 2023) and 19M for 2025 (0.24x): flagged in 2025
    p = fit(newco((10e6, 30e6, 60e6, 75e6, 80e6)), "logistic")
    by_hand = [logistic_year(p.params, y) / 80e6 for y in (2024, 2025)]
    assert by_hand[0] > sanity.COLLAPSE > by_hand[1]
    assert any("collapses" in w and "in 2025" in w for w in p.warnings)


def test_the_check_covers_the_stated_years():
    # the check itself, on the units of the next COLLAPSE_YEARS (3) years after 70M
    from analysis.projection.data import prepare, select

    series = prepare(select(newco(), "Newco", None)[0], "Newco", "XX")
    known = np.sqrt(series.known_lo * series.known_hi)
    years = sanity.next_years(series)
    assert sanity.COLLAPSE_YEARS == 3 and years.labels == ["2024", "2025", "2026"]
    # 20M is 0.29x of 70M: above a quarter in every year, not flagged
    assert sanity.implausible("logistic", np.array([60e6, 40e6, 20e6]), series, known, None) is None
    # 17M in the third year is 0.24x: flagged, naming 2026
    why = sanity.implausible("logistic", np.array([60e6, 40e6, 17e6]), series, known, None)
    assert "0.24x the last observed pace in 2026 (the curve" in why
    assert "gives 17.00M in 2026 after 70.00M in the last year" in why
    # the same units under a runrate or an exponential are not an S-curve's collapse
    assert sanity.implausible("runrate", np.array([60e6, 40e6, 17e6]), series, known, None) is None


def test_a_steady_curve_is_not_flagged():
    # an exponential never collapses; a gompertz on the same figures projects more each
    # year than a quarter of 70M (its next years are checked against the IDC range only)
    for model in ("exponential", "gompertz", "runrate"):
        assert not any("collapses" in w for w in fit(newco(), model).warnings), model


def test_auto_excludes_a_curve_that_collapses_in_a_later_year():
    # auto's screen uses the same check: the logistic is excluded, and says why
    from analysis.projection import auto
    from analysis.projection.data import prepare, select

    frame, _ = select(newco(), "Newco", None)
    series = prepare(frame, "Newco", "XX")
    cands = auto.candidates(series, None, None, None)
    kept, notes = sanity.screen(cands, series, None)
    assert "logistic" not in [c.model.name for c in kept]
    assert any(n.startswith("logistic excluded (implausible") and "in 2026" in n for n in notes)


def test_bass_is_a_logistic_counted_from_launch():
    # F(x) = (1 - E) / (1 + (q/p) E), E = e^{-(p+q) x}, x = t - launch, and the logistic
    # L(x) = 1 / (1 + (q/p) E) (k = p + q, t0 = launch + ln(q/p) / (p + q)) give
    # 1 - F = (1 + p/q) (1 - L), so m F = m (1 + p/q) L - m p/q exactly, for any p, q > 0
    t = np.linspace(-3, 8, 60)[None, :]
    for m, p, q, launch in [(1e8, 0.004, 1.2, -5.0), (5e7, 0.3, 0.1, -1.0), (1e6, 0.05, 0.05, 0)]:
        bass = models.MODELS["bass"].level(
            t, {k: np.array([[v]]) for k, v in dict(m=m, p=p, q=q, launch=launch).items()}
        )
        k, t0 = p + q, launch + np.log(q / p) / (p + q)
        logistic = m * (1 + p / q) / (1 + np.exp(-k * (t - t0))) - m * p / q
        after = t >= launch
        np.testing.assert_allclose(bass[after], logistic[after], rtol=1e-9, atol=1e-6 * m)


def test_on_flows_bass_and_logistic_are_the_same_fit():
    # flows never see the constant m p/q, so on per-period figures (counted from the first
    # period, no launch date) bass is the logistic with one parameter more: the two fits
    # agree to many digits, not just 1%; bass's p and q are not at their bounds
    f = newco()
    b, lg = fit(f, "bass"), fit(f, "logistic")
    p, q = b.params["p"], b.params["q"]
    assert 1e-6 < p < 1 and 1e-4 < q < 20  # inside the default bounds
    assert b.params["k" if "k" in b.params else "q"] > 0
    assert p + q == pytest.approx(lg.params["k"], rel=1e-4)
    assert b.params["m"] * (1 + p / q) == pytest.approx(lg.params["m"], rel=1e-4)
    d = [f"{y}-12-31" for y in range(2024, 2028)]
    np.testing.assert_allclose(
        b.predict(d, basis="period"), lg.predict(d, basis="period"), rtol=1e-3
    )
    assert any("coincides with logistic" in w for w in b.warnings)

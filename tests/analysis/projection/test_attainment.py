"""target_attainment: readings of a target whose window starts after the last actual."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit, target_attainment
from analysis._format import probability_label, units_label
from analysis._summary import Summary
from analysis.projection._examples import founding

from .conftest import milestones


def test_period_window_after_the_last_actual_starts_from_zero():
    # review: for "2013 alone" with actuals ending 2012-06-12, "achieved" was
    # C(2012-06-12) - C(2012-12-31) < 0 and the needed rate counted from 2012-06-12.
    # Nothing of 2013 is achieved at the last actual: achieved = 0, and the 5M must come
    # within the window, 2013-01-01 to 2013-12-31 = 365 days = 365 / 365.25 years:
    # required rate = 5e6 / (365 / 365.25) = 5,003,424.66 units/year.
    p = fit(milestones("X", ["2011-12-31", "2012-06-12"], [3e5, 3e6]), "runrate")
    row = target_attainment(p, 5e6, "2013-12-31", basis="period").frame().iloc[0]
    assert row["achieved"] == 0.0
    assert row["required_rate"] == pytest.approx(5e6 / (365 / 365.25))
    # current run-rate: (3M - 0.3M) / (164 days / 365.25) = 6,013,262.2 units/year
    assert row["current_rate"] == pytest.approx(2.7e6 / (164 / 365.25))
    assert row["rate_ratio"] == pytest.approx((5e6 / (365 / 365.25)) / (2.7e6 / (164 / 365.25)))


def _founding():
    return fit(milestones("X", ["2011-12-31", "2012-06-12"], [3e5, 3e6]), "runrate")


def test_probability_is_the_share_of_draws_reaching_the_target():
    # P(C(2012-12-31) >= 5M) from plain draws of the projection, counted here
    p = _founding()
    res = target_attainment(p, 5e6, "2012-12-31", basis="cumulative", draws=20000, seed=4)
    engine = p._engine
    x = engine.sample(
        engine.series.years(pd.to_datetime(["2012-12-31"])), 20000, np.random.default_rng(9)
    )
    assert res.probability == pytest.approx(np.mean(x[:, 0] >= 5e6), abs=0.015)


def test_draws_and_seed_follow_the_shared_rules():
    p = _founding()
    a = target_attainment(p, 5e6, "2012-12-31", basis="cumulative", draws=500, seed=1)
    b = target_attainment(
        p, 5e6, "2012-12-31", basis="cumulative", draws=500, seed=np.random.default_rng(1)
    )
    assert a.probability == b.probability  # an int seed and its Generator agree
    with pytest.raises(TypeError):
        target_attainment(p, 5e6, "2012-12-31", n=500)  # the old name is gone
    with pytest.raises(TypeError, match="seed"):
        target_attainment(p, 5e6, "2012-12-31", seed=True)
    with pytest.raises(ValueError, match="draws"):
        target_attainment(p, 5e6, "2012-12-31", draws=0)


def test_summary_is_a_summary_with_formatted_numbers():
    res = target_attainment(_founding(), 5e6, "2012-12-31", basis="cumulative", draws=1000)
    summary = res.summary()
    assert isinstance(summary, Summary)
    facts = summary.facts_dict()
    assert facts["target"] == "5M by 2012-12-31"
    assert facts["P(reach)"] == probability_label(res.probability)
    row = res.frame().iloc[0]
    assert facts["projected"].startswith(units_label(row["median"]))
    assert "e+0" not in str(summary) and "marketshare-summary" in res._repr_html_()


def test_a_target_already_achieved_is_said_so():
    # "over 3M" by 2012-06-12: 2M since launch is reached at the last actual
    res = target_attainment(_founding(), 2e6, "2012-12-31", basis="cumulative", draws=1000)
    row = res.frame().iloc[0]
    assert bool(row["already_achieved"]) and row["probability"] == 1.0
    assert any("already achieved" in n for n in res.summary().notes)
    assert "pace needed" not in res.summary().facts_dict()


def test_plot_draws_the_house_chart_with_the_target():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = target_attainment(_founding(), 5e6, "2012-12-31", basis="cumulative", draws=500).plot()
    gids = {line.get_gid() for line in ax.get_lines()}
    assert "target" in gids and "median" in gids
    plt.close(ax.figure)


def test_a_period_target_is_drawn_above_the_units_before_its_window():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = _founding()
    res = target_attainment(p, 5e6, "2012-12-31", basis="period", draws=500)
    ax = res.plot()
    line = next(ln for ln in ax.get_lines() if ln.get_gid() == "target")
    # 5M within 2012 on a cumulative axis: 5M + the median units by 2011-12-31
    expected = 5e6 + float(p.predict(["2011-12-31"]).iloc[0])
    assert float(np.asarray(line.get_ydata())[0]) == pytest.approx(expected)
    plt.close(ax.figure)


def test_a_period_target_on_annual_figures_is_drawn_as_the_years_units():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from marketdata import datasets

    f = datasets.load("worldwide_annual_shipments_by_vendor")
    samsung = f[(f["brand"] == "Samsung") & f["end"].dt.year.between(2008, 2012)]
    p = fit(samsung, "auto", brand="Samsung")
    ax = target_attainment(p, 300e6, "2013-12-31", basis="period", draws=500).plot()
    line = next(ln for ln in ax.get_lines() if ln.get_gid() == "target-period")
    assert float(np.asarray(line.get_ydata())[0]) == pytest.approx(300e6)  # not 300M + 2012's
    plt.close(ax.figure)


def test_a_deadline_before_the_last_figure_counts_what_was_achieved_by_then():
    # 1M by 2012-01-31, asked of figures to 2012-06-12: the summary said "already achieved
    # (3.23M by 2012-06-12)" beside P = 0%, counting units sold after the deadline
    p = founding()
    res = target_attainment(p, 1e6, "2012-01-31")
    row = res.frame().iloc[0]
    median = np.median(p.sample(["2012-01-31"], draws=4000, seed=p.seed)[:, 0])
    assert row["achieved"] == pytest.approx(row["median"]) == pytest.approx(median, rel=0.01)
    assert row["achieved"] < 1e6 and not row["already_achieved"] and row["probability"] == 0
    assert "already achieved" not in str(res.summary())


def test_a_window_that_starts_after_its_deadline_is_refused():
    # start 2013-06-01 after by 2012-12-31 gave a median of -2.8M units and P = 0
    with pytest.raises(ValueError, match="start"):
        target_attainment(founding(), 1e6, "2012-12-31", basis="period", start="2013-06-01")


@pytest.mark.parametrize(
    "kwargs, named",
    [({"by": "2012-02-30"}, "by"), ({"by": "2012-12-31", "start": "2012-13-01"}, "start")],
)
def test_a_date_that_is_no_date_names_the_argument(kwargs, named):
    # pandas' "day is out of range for month: 2012-02-30" escaped, naming no argument
    with pytest.raises(ValueError, match=rf"^{named}: could not read .* as a date") as info:
        target_attainment(_founding(), 5e6, basis="period", **kwargs)
    assert "DateParseError" not in type(info.value).__name__

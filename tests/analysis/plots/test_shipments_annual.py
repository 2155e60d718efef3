"""A per-year shipments chart: a single projected year still gets its fan, and each
year's figure sits at the tick that names its year (2012's figure at "2012")."""

from __future__ import annotations

import matplotlib.dates as mdates
import pytest

import analysis
from analysis import plots
from marketdata import datasets


def _find(ax, gid):
    return [a for a in [*ax.lines, *ax.collections] if a.get_gid() == gid]


@pytest.fixture(scope="module")
def annual_projection():
    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    projection = analysis.fit(annual, "runrate", brand="Apple")
    assert projection.basis == "period" and projection.period == "Y"
    return projection


def test_a_single_projected_year_is_drawn_as_a_fan_over_that_year(annual_projection):
    ax = plots.plot_shipments(annual_projection, dates=["2024-12-31"])
    band = annual_projection.interval(0.8, dates=["2024-12-31"], basis="period")
    (fan,) = _find(ax, "fan-0.8")
    v = fan.get_paths()[0].vertices
    days = sorted({mdates.num2date(x).date().isoformat() for x in v[:, 0]})
    # the band covers the year 2024: from the end of 2023 (its start) to the end of 2024
    assert days == ["2023-12-31", "2024-12-31"]
    assert v[:, 1].min() == pytest.approx(band["lower"].iloc[0])
    assert v[:, 1].max() == pytest.approx(band["upper"].iloc[0])
    assert v[:, 1].max() > v[:, 1].min()  # a band with a height, not a line
    (median,) = _find(ax, "median")
    assert list(median.get_ydata()) == pytest.approx([band["median"].iloc[0]] * 2)


def test_each_year_figure_sits_at_the_tick_that_names_its_year(annual_projection):
    ax = plots.plot_shipments(annual_projection)
    ax.figure.canvas.draw()
    labels = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels() if t.get_text()}
    assert "2010" in labels and "2020" in labels  # 2007-2027: every fifth year
    for text, x in labels.items():
        # the tick named 2012 is at the end of 2012, where 2012's figure (ending
        # 2012-12-31) is drawn, not at 2012-01-01 next to 2011's figure
        assert mdates.num2date(x).date().isoformat() == f"{text}-12-31"
    (reported,) = _find(ax, "per-period")
    x2010 = [x for x in mdates.date2num(reported.get_xdata()) if mdates.num2date(x).year == 2010]
    assert x2010 == [pytest.approx(labels["2010"])]


def test_a_quarterly_chart_keeps_its_date_ticks():
    quarterly = datasets.load("worldwide_quarterly_shipments_by_vendor")
    ax = plots.plot_shipments(analysis.fit(quarterly, "runrate", brand="Apple"))
    ax.figure.canvas.draw()
    ticks = [mdates.num2date(x).date() for x in ax.get_xticks()]
    assert all(t.month == 1 and t.day == 1 for t in ticks)  # year starts, as before


@pytest.fixture(scope="module")
def half_year_projection():
    import pandas as pd

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
    return analysis.fit(figures, "runrate", brand="X")


def _fan_days(ax):
    (fan,) = _find(ax, "fan-0.8")
    return sorted(
        {mdates.num2date(x).date().isoformat() for x in fan.get_paths()[0].vertices[:, 0]}
    )


def test_a_half_year_chart_projects_at_half_year_ends(half_year_projection):
    # "6ME" from 2013-01-01 gave 2013-01-31, 2013-07-31..., and a date's "6M" period ran
    # from its own month (2013-06-30 stood for June-November 2013)
    ax = plots.plot_shipments(half_year_projection)
    assert _fan_days(ax) == ["2013-06-30", "2013-12-31", "2014-06-30", "2014-12-31"]
    ax = plots.plot_shipments(half_year_projection, dates=["2013-05-15", "2013-12-31"])
    assert _fan_days(ax) == ["2013-06-30", "2013-12-31"]
    ax = plots.plot_shipments(half_year_projection, dates=["2013-05-15"])  # one half: across it
    assert _fan_days(ax) == ["2012-12-31", "2013-06-30"]


def test_each_half_year_figure_sits_at_the_tick_that_names_its_half(half_year_projection):
    # ticks at 1 January and 1 July put H2 2011's figure (ending 2011-12-31) at "2012"
    ax = plots.plot_shipments(half_year_projection)
    ax.figure.canvas.draw()
    labels = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels() if t.get_text()}
    assert {"H1 2011", "H2 2011", "H2 2012"} <= set(labels)
    for text, x in labels.items():
        half, year = text.split()
        end = f"{year}-06-30" if half == "H1" else f"{year}-12-31"
        assert mdates.num2date(x).date().isoformat() == end

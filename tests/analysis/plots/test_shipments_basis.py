"""Shipments on the basis of the data (issue 13.1, 13.3, 13.4): per-period figures with
per-period fans, an annual target against the year's running total, 80% fans, and
milestones as the source said them."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from analysis import plots
from marketdata import DataError, datasets
from tests import factories


def _find(ax, gid):
    return [a for a in [*ax.lines, *ax.collections] if a.get_gid() == gid]


@pytest.fixture(scope="module")
def quarterly_projection():
    projection = factories.ww_projection("Xiaomi")  # fit on IDC's quarterly figures
    assert projection.basis == "period" and projection.period == "Q"
    return projection


def test_per_period_data_gets_per_period_fans_not_a_cumulative_one(quarterly_projection):
    ax = plots.plot_shipments(quarterly_projection)
    ww = factories.ww_quarterly()
    xiaomi = ww[ww["brand"] == "Xiaomi"]
    (fan,) = _find(ax, "fan-0.8")
    top = fan.get_paths()[0].vertices[:, 1]
    # the fan is on the scale of a quarter (40-60M), not of a 1.1B cumulative total
    assert top.max() < 3 * xiaomi["units"].max()
    # default dates: the four quarter ends after the last figure (2024Q1)
    dates = pd.DatetimeIndex(["2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31"])
    band = quarterly_projection.interval(0.8, dates=dates, basis="period")
    assert top.max() == pytest.approx(band["upper"].max())
    assert fan.get_paths()[0].vertices[:, 1].min() == pytest.approx(band["lower"].min())
    xs = fan.get_paths()[0].vertices[:, 0]
    assert mdates.num2date(xs.min()).date().isoformat() == "2024-06-30"
    assert mdates.num2date(xs.max()).date().isoformat() == "2025-03-31"
    (median,) = _find(ax, "median")
    assert median.get_ydata() == pytest.approx(band["median"].to_numpy())
    (reported,) = _find(ax, "per-period")
    assert np.nanmax(reported.get_ydata()) == xiaomi["units"].max()  # 53M, 2021Q2
    assert ax.get_ylabel() == "units per quarter"
    assert [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"] == ["per quarter"]
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "80% interval"


def test_fan_widths_equal_the_projection_intervals_at_both_levels(quarterly_projection):
    ax = plots.plot_shipments(quarterly_projection, levels=(0.8, 0.5))
    dates = pd.DatetimeIndex(["2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31"])
    for level in (0.8, 0.5):
        band = quarterly_projection.interval(level, dates=dates, basis="period")
        (fan,) = _find(ax, f"fan-{level:g}")
        v = fan.get_paths()[0].vertices
        # fill_between's polygon: lower edge forward, upper edge back; per date the
        # height is upper - lower
        for date, low, high in zip(band["date"], band["lower"], band["upper"], strict=True):
            at = v[np.isclose(v[:, 0], mdates.date2num(date))][:, 1]
            assert at.max() - at.min() == pytest.approx(high - low)
    (outer,) = _find(ax, "fan-0.8")
    (inner,) = _find(ax, "fan-0.5")
    assert inner.get_alpha() > outer.get_alpha()


def test_an_annual_target_is_set_against_the_running_total_of_its_year(quarterly_projection):
    ax = plots.plot_shipments(quarterly_projection, target=(150e6, "2024-12-31"))
    (target,) = _find(ax, "target-period")
    # drawn over 2024 only, not as a flat line across ten years
    x = [mdates.date2num(pd.Timestamp(d)) for d in target.get_xdata()]
    assert x == [
        mdates.date2num(pd.Timestamp("2024-01-01")),
        mdates.date2num(pd.Timestamp("2024-12-31")),
    ]
    assert target.get_ydata().tolist() == [150e6, 150e6]
    (total,) = _find(ax, "running-total")
    # 2024Q1 reported 40.8M, then the medians of 2024Q2..Q4, added up
    future = pd.DatetimeIndex(["2024-06-30", "2024-09-30", "2024-12-31"])
    medians = quarterly_projection.predict(future, basis="period").to_numpy()
    expected = np.cumsum([40.8e6, *medians])
    assert total.get_ydata() == pytest.approx(expected)
    assert target.get_label() == "target 150M in 2024 (against the 2024 running total)"
    assert ax.get_ylabel() == "units per quarter (and the year's running total)"


def test_a_since_launch_target_is_not_drawn_on_a_per_period_chart_and_is_said():
    ww = factories.ww_quarterly()
    rows = ww[ww["brand"] == "Xiaomi"]
    target = rows.iloc[[-1]].assign(
        units=1.2e9, basis="cumulative", status="target", end=pd.Timestamp("2024-12-31")
    )
    ax = plots.plot_shipments(pd.concat([rows, target]))
    assert not _find(ax, "target") and not _find(ax, "target-period")
    (subtitle,) = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert "target 1.2B since launch by 2024-12-31 is not a per-period figure" in subtitle


def test_mixed_bases_are_refused_with_advice():
    xiaomi = datasets.load("xiaomi_2011_2012")
    quarter = xiaomi.iloc[[0]].assign(
        basis="period", start=pd.Timestamp("2011-10-01"), units=100_000.0, qualifier=None
    )
    with pytest.raises(DataError, match="mix cumulative and per-period.*to_cumulative"):
        plots.plot_shipments(pd.concat([xiaomi, quarter]))


def test_milestones_say_what_the_source_said_never_the_modelled_midpoint():
    # "over 3 million" is modelled as 3.0M-3.45M (midpoint 3.23M): the chart says "over 3M"
    projection = factories.xiaomi_projection()
    data = projection.data
    assert data["upper"].iloc[1] == pytest.approx(3_450_000)
    ax = plots.plot_shipments(projection, today="2012-06-12")
    texts = [t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_legend().get_texts()]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "milestone"] == [
        "over 300k",
        "over 3M",
    ]
    assert not [t for t in texts if "3.23" in t or "3.2M" in t]


def test_both_target_readings_when_the_basis_is_unclear():
    # the founding target "five million by the end of 2012": basis unclear
    xiaomi = datasets.load("xiaomi_2011_2012")
    assert xiaomi.loc[xiaomi["status"] == "target", "basis"].tolist() == ["unclear"]
    ax = plots.plot_shipments(xiaomi, projection=factories.xiaomi_projection())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "target 5M by 2012-12-31, read as since launch" in labels
    assert "target 5M in 2012 alone: over 5.3M cumulative" in labels  # 5M + over 300k
    assert ax.get_ylabel() == "units since launch"


class CumulativeOnly:
    """A projection that answers only cumulative questions (no ``basis``): the API of
    projections before per-period ones, and of third-party duck-typed projections."""

    def __init__(self, projection):
        self._projection = projection
        self.data, self.brand, self.source = projection.data, projection.brand, projection.source

    def interval(self, level=0.8, dates=None):
        return self._projection.interval(level, dates=dates, basis="cumulative")

    def predict(self, dates):
        return self._projection.predict(dates, basis="cumulative")


def test_a_cumulative_only_projection_of_quarterly_figures_is_left_out_and_said():
    # a projection without the per-period API: its cumulative fan (about 1.1B) must not
    # sit over 40-60M quarterly dots; the quarters are drawn, the fan left out, and said
    projection = CumulativeOnly(factories.ww_projection("Xiaomi"))
    ax = plots.plot_shipments(projection)
    assert not [c for c in ax.collections if (c.get_gid() or "").startswith("fan")]
    (subtitle,) = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert subtitle == "per quarter; projection not drawn: it gives cumulative units only"
    (line,) = _find(ax, "per-period")
    assert np.nanmax(line.get_ydata()) < 60e6  # quarterly units, never the cumulative 1.1B
    assert ax.get_ylim()[1] < 100e6


def test_dates_given_to_a_per_period_chart_stand_for_their_periods(quarterly_projection):
    # a report's 60 evenly spaced dates: each stands for its quarter, drawn at its end
    dates = pd.date_range("2024-03-31", "2024-12-31", periods=60)
    ax = plots.plot_shipments(quarterly_projection, dates=dates)
    (fan,) = _find(ax, "fan-0.8")
    xs = sorted({mdates.num2date(x).date().isoformat() for x in fan.get_paths()[0].vertices[:, 0]})
    # 2024Q1 is reported: Q2, Q3 and Q4 are projected
    assert xs == ["2024-06-30", "2024-09-30", "2024-12-31"]


def test_a_given_target_of_unclear_basis_is_drawn_in_both_readings():
    # the report's --target 8M --by 2012-12-31 with the basis unclear: both readings
    ax = plots.plot_shipments(
        factories.xiaomi_projection(), target=(8_000_000, "2012-12-31", "unclear")
    )
    lines = {line.get_gid(): line for line in ax.lines}
    assert lines["target"].get_label() == "target 8M by 2012-12-31, read as since launch"
    # 8M in 2012 alone: 8M + the over-300k reported by 2011-12-31 = over 8.3M cumulative
    assert lines["target-period"].get_ydata()[0] == 8_300_000
    assert lines["target-period"].get_label() == "target 8M in 2012 alone: over 8.3M cumulative"
    with pytest.raises(ValueError, match="basis must be one of"):
        plots.plot_shipments(factories.xiaomi_projection(), target=(8e6, "2012-12-31", "yearly"))

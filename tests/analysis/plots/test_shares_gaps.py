"""Stacked shares and bump charts keep gaps as gaps (issue 13.5): a brand the source did
not list has no band, windows are not joined across what the source skipped, mixed
measures or window lengths are refused, and a window listing one brand ranks nothing."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

import analysis
from analysis import plots
from marketdata import DataError, datasets
from tests import factories


def taiwan_sales() -> pd.DataFrame:
    tw = datasets.load("taiwan_vendor_share")
    return tw[tw["metric"] == "sales"].reset_index(drop=True)


def _band(ax, brand):
    (band,) = [c for c in ax.collections if c.get_label() == brand]
    return band


def test_taiwan_vendor_share_mixes_measures_and_is_refused_with_advice():
    # the packaged file holds IDC shipments (2013, 2016, 2020Q1, 2021Q1) and retail sales
    # (monthly, 2015-2018): shares of different wholes
    tw = datasets.load("taiwan_vendor_share")
    assert set(tw["metric"].astype(str)) == {"shipments", "sales"}
    with pytest.raises(
        DataError, match=r"mixes measures in column 'metric'.*data\[data\['metric'\]"
    ):
        plots.plot_shares(tw)
    with pytest.raises(DataError, match="mixes measures"):
        plots.plot_ranks(analysis.rank_brands(tw))


def test_annual_beside_quarterly_windows_is_refused():
    tw = datasets.load("taiwan_vendor_share")
    idc = tw[tw["metric"] == "shipments"]  # 2013 and 2016 years, 2020Q1 and 2021Q1
    with pytest.raises(DataError, match=r"different lengths: quarter \(2020Q1\), year \(2013\)"):
        plots.plot_shares(idc)


def test_a_brand_not_listed_has_no_band_there_not_a_zero():
    sales = taiwan_sales()
    ax = plots.plot_shares(sales)
    table = plots.shares.share_table(sales)
    # Xiaomi is listed in 2017-12, 2018-01, 2018-08 and 2018-10 of the 17 months
    listed = sales.loc[sales["brand"] == "Xiaomi", "start"].dt.strftime("%Y-%m").tolist()
    assert listed == ["2017-12", "2018-01", "2018-08", "2018-10"]
    assert sales["start"].nunique() == 17
    assert table["Xiaomi"].notna().sum() == 4 and table["Xiaomi"].isna().sum() == 13
    # its band covers exactly those four months: 2 vertices along the top per month
    paths = _band(ax, "Xiaomi").get_paths()
    covered = sum(len(p.vertices) for p in paths)
    assert covered > 0
    xs = np.concatenate([p.vertices[:, 0] for p in paths])
    import matplotlib.dates as mdates

    months = {mdates.num2date(x).strftime("%Y-%m") for x in xs}
    # a month's band runs from its first day to the first day of the next month
    assert months <= {"2017-12", "2018-01", "2018-02", "2018-08", "2018-09", "2018-10", "2018-11"}
    assert len(paths) == 3  # 2017-12..2018-01 joined; 2018-08 and 2018-10 apart


def test_windows_are_steps_never_slopes_and_skipped_months_are_empty():
    sales = taiwan_sales()
    ax = plots.plot_shares(sales)
    apple = _band(ax, "Apple")  # Apple is listed in every month of the sales rows
    # the 17 months fall in 9 runs of consecutive months (2015-02 | 2015-09 | 2016-07 |
    # 2016-10..11 | 2017-03..04 | 2017-07..09 | 2017-11..2018-01 | 2018-08..10 | 2018-12):
    # one polygon per run, none bridging a skipped month
    starts = sales.drop_duplicates("start").sort_values("start")
    runs = 1 + int(
        (
            starts["start"].iloc[1:].to_numpy()
            != (starts["end"].iloc[:-1] + pd.Timedelta(days=1)).to_numpy()
        ).sum()
    )
    assert len(apple.get_paths()) == runs == 9
    # every edge of a band is flat or vertical: a step, not an interpolated slope
    for path in apple.get_paths():
        v = path.vertices
        for (x0, y0), (x1, y1) in zip(v[:-1], v[1:], strict=True):
            assert x0 == x1 or y0 == pytest.approx(y1)


def test_not_listed_fills_each_window_to_its_listed_total_only():
    sales = taiwan_sales()
    ax = plots.plot_shares(sales, kind="bar")
    table = plots.shares.share_table(sales)
    (rest,) = [c for c in ax.containers if c.get_label() == plots.shares.NOT_LISTED]
    listed = table.sum(axis=1).to_numpy()  # sum of the listed shares per month
    # 2015-02 lists Apple alone at 23.4%: 76.6% not listed; no month is topped up by zeros
    assert listed[0] == pytest.approx(0.234)
    heights = np.array([p.get_height() for p in rest.patches], dtype=float)
    bottoms = np.array([p.get_y() for p in rest.patches], dtype=float)
    drawn = ~np.isnan(heights)
    assert bottoms[drawn] == pytest.approx(listed[drawn])
    assert heights[drawn] == pytest.approx(1 - listed[drawn])
    # brand bars: none is drawn where the brand is not listed
    (xiaomi,) = [c for c in ax.containers if c.get_label() == "Xiaomi"]
    assert np.isnan([p.get_height() for p in xiaomi.patches]).sum() == 13


def test_worldwide_stack_tops_are_the_quarters_own_totals():
    # named vendors only (Others removed): each quarter's stack top is the sum of the
    # vendors IDC listed that quarter, drawn flat over the quarter
    ww = factories.ww_quarterly()
    named = ww[ww["brand"] != "Others"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shares = analysis.market_share(named)
        shares = shares.assign(share=shares["units"] / shares["market_units"])
    full = factories.ww_quarterly()
    quarter_total = full.groupby("start")["units"].sum()
    listed = named.groupby("start")["units"].sum()
    expected = (listed / quarter_total).sort_index().to_numpy()
    shares = shares.merge(
        quarter_total.rename("all_units"), left_on="start", right_index=True
    ).assign(share=lambda f: f["units"] / f["all_units"])
    table = plots.shares.share_table(shares)
    assert table.sum(axis=1).to_numpy() == pytest.approx(expected)
    ax = plots.plot_shares(shares)
    (rest,) = [c for c in ax.collections if c.get_gid() == "not-listed"]
    bottom = np.concatenate([p.vertices[:, 1] for p in rest.get_paths()])
    assert bottom.min() == pytest.approx(expected.min())


def test_a_window_listing_one_brand_has_no_rank():
    sales = taiwan_sales()
    ranks = analysis.rank_brands(sales)
    # 2015-02: "only Apple reported for this month" (the packaged note): Apple alone is
    # rank 1 in the rank frame, but ranks nothing on the chart
    feb = ranks[ranks["start"] == "2015-02-01"]
    assert feb["brand"].tolist() == ["Apple"] and feb["rank"].tolist() == [1]
    table = plots.ranks.rank_table(ranks, top=None)
    assert table.loc[pd.Timestamp("2015-02-01")].isna().all().all()
    ax = plots.plot_ranks(ranks, top=None)
    (apple,) = [line for line in ax.lines if line.get_label() == "Apple"]
    assert np.isnan(apple.get_ydata()[0])
    subtitle = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert subtitle == ["no rank where a window lists a single brand (2015-02, 2017-03, 2017-11)"]
    assert ax.get_title(loc="left") == "Rank, Taiwan"


def test_bump_lines_break_across_skipped_months():
    ranks = analysis.rank_brands(taiwan_sales())
    ax = plots.plot_ranks(ranks, top=None)
    (samsung,) = [line for line in ax.lines if line.get_label() == "Samsung"]
    y = samsung.get_ydata()
    # 17 months + one NaN between each of the 9 runs of consecutive months = 17 + 8
    assert len(y) == 25
    # Samsung is listed in 15 months, one of them (2017-03) alone: 14 ranked points
    assert np.count_nonzero(~np.isnan(y)) == 14


def test_end_labels_do_not_overlap():
    # the worldwide 2024Q1 ends with five labelled brands; ties and close ranks are
    # spread apart by at least one label's height
    ranks = factories.ww_ranks()
    last = ranks[ranks["start"] == ranks["start"].max()].copy()
    crowded = pd.concat([ranks, last.assign(rank=3, tied=True)]).drop_duplicates(
        ["start", "brand"], keep="last"
    )
    ax = plots.plot_ranks(crowded, top=None)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # the text itself (an Annotation's extent includes its leader line)
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts if t.get_gid() == "rank-label"]
    assert len(boxes) == 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_label_positions_keep_order_and_stay_deterministic():
    ranks = np.array([3.0, 3.0, 3.0, 1.0, 5.0])
    first = plots.ranks.label_positions(ranks, gap=0.6, low=0.5, high=5.5)
    again = plots.ranks.label_positions(ranks, gap=0.6, low=0.5, high=5.5)
    assert first.tolist() == again.tolist()
    # rank 1 stays; the three tied at 3 become 3, 3.6, 4.2; rank 5 stays (4.2 + 0.6 < 5)
    assert first.tolist() == pytest.approx([3.0, 3.6, 4.2, 1.0, 5.0])


def test_a_complete_monthly_share_series_is_one_unbroken_stack():
    # StatCounter-like: 24 complete months, the residual as the data layer names it
    data = factories.statcounter_like()
    ax = plots.plot_shares(data)
    labels = [c.get_label() for c in ax.collections]
    assert labels == ["Samsung", "Apple", "Xiaomi", "Others"]
    for collection in ax.collections:
        assert len(collection.get_paths()) == 1  # no month skipped: no break
    assert not [c for c in ax.collections if c.get_gid() == "not-listed"]
    top = ax.collections[-1].get_paths()[0].vertices[:, 1]
    assert top.max() == pytest.approx(1.0)
    (sub,) = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert sub == "share of page views by device vendor"  # not "of units"
    assert ax.get_ylabel() == "share"
    assert plots.find_footnote(ax) == "Source: illustrative StatCounter-like series"

"""Every chart drawn from the packaged real data, checked for what it drew."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from analysis import plots  # noqa: E402
from analysis.plots import style  # noqa: E402
from marketdata import datasets  # noqa: E402
from tests.analysis import plot_inputs as inputs  # noqa: E402

WW_NOTE = "Source: IDC via Statista 271490"


@pytest.fixture(autouse=True)
def close_figures(monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError("a chart called plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")


def footnote(ax):
    return style.find_footnote(ax).replace("\n", " ")


def hexes(colours):
    return [to_hex(c).upper() for c in colours]


# -- shares ----------------------------------------------------------------------------


def test_share_area_draws_one_layer_per_brand_in_its_colour():
    shares = inputs.ww_shares()
    ax = plots.plot_shares(shares)
    labels = [c.get_label() for c in ax.collections]
    # 14 vendors + Others appear in the quarterly file (value_counts of the brand column)
    assert sorted(labels) == sorted(shares["brand"].unique())
    assert len(labels) == 15
    assert labels[-1] == "Others"  # on top of the stack
    assert labels[0] == "Samsung"  # largest mean share at the bottom
    for collection in ax.collections:
        assert hexes([collection.get_facecolor()[0]])[0] == style.brand_color(
            collection.get_label()
        )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == labels[::-1]
    assert ax.get_ylim() == (0.0, 1.0)
    assert footnote(ax) == WW_NOTE
    assert ax.get_title(loc="left") == "Market shares, WW"


def test_share_area_stacks_to_one_and_layers_hold_the_shares():
    ax = plots.plot_shares(inputs.ww_shares())
    top = ax.collections[-1].get_paths()[0].vertices[:, 1]
    # every quarter's shares add up to 1 by construction (units / quarter sum)
    assert top.max() == pytest.approx(1.0)
    # Samsung, the bottom layer, in 2009Q4: 1.8M of 20.8+10.7+8.7+2.4+1.8+9.5 = 53.9M
    table = plots.shares.share_table(inputs.ww_shares())
    assert table.iloc[0]["Samsung"] == pytest.approx(1.8 / 53.9)
    assert table.iloc[0]["Nokia"] == pytest.approx(20.8 / 53.9)


def test_share_bars_draw_periods_times_brands_patches():
    shares = inputs.ww_shares()
    shares = shares[shares["end"].dt.year == 2023]
    ax = plots.plot_shares(shares, kind="bar")
    # 2023 lists Samsung, Apple, Xiaomi, OPPO, vivo, Transsion and Others (7) in some
    # quarter; an absent brand gets a zero-height bar: 4 quarters x 7 = 28 patches
    assert len(ax.patches) == 28
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2023Q1",
        "2023Q2",
        "2023Q3",
        "2023Q4",
    ]
    samsung = [c for c in ax.containers if c.get_label() == "Samsung"][0]
    # 2023Q1 Samsung 60.5M of 60.5 + 55.2 + 30.5 + 27.4 + 20.5 + 74.5 = 268.6M
    assert samsung.patches[0].get_height() == pytest.approx(60.5 / 268.6)
    assert hexes([samsung.patches[0].get_facecolor()])[0] == "#1428A0"


def test_share_top_n_adds_the_rest_into_others():
    shares = inputs.ww_shares()
    shares = shares[shares["end"] == "2024-03-31"]
    ax = plots.plot_shares(shares, kind="bar", top=2)
    assert [c.get_label() for c in ax.containers] == ["Samsung", "Apple", "Others"]
    others = [c for c in ax.containers if c.get_label() == "Others"][0].patches[0]
    # 2024Q1: Samsung 60.1 + Apple 50.1 of 60.1+50.1+40.8+28.5+25.2+84.7 = 289.4M
    assert others.get_height() == pytest.approx(1 - (60.1 + 50.1) / 289.4)


def test_share_kwargs_reach_the_artist_and_bad_input_is_named():
    ax = plots.plot_shares(inputs.ww_shares(), alpha=0.5)
    assert {c.get_alpha() for c in ax.collections} == {0.5}
    two = pd.concat([inputs.ww_shares(), inputs.ww_shares().assign(market="CN")])
    with pytest.raises(ValueError, match="several markets.*market="):
        plots.plot_shares(two)
    assert plots.plot_shares(two, market="CN").get_title(loc="left") == "Market shares, CN"
    with pytest.raises(ValueError, match="lacks column"):
        plots.plot_shares(inputs.ww_shares().drop(columns="share"))
    with pytest.raises(ValueError, match="kind must be"):
        plots.plot_shares(inputs.ww_shares(), kind="pie")


# -- ranks -----------------------------------------------------------------------------


def test_bump_chart_shows_absence_as_a_gap():
    ranks = inputs.ww_ranks()
    ax = plots.plot_ranks(ranks, top=None)
    lines = {line.get_label(): line for line in ax.lines if line.get_gid() != "tied"}
    assert set(lines) == set(ranks["brand"])  # every ranked vendor, Others never
    quarters = ranks["start"].nunique()  # 58 quarters, 2009Q4..2024Q1
    assert quarters == 58
    sony = lines["Sony"].get_ydata()
    assert len(sony) == quarters
    # Sony is listed in 2 quarters only: 2 points, NaN (a gap, not a drop) elsewhere
    assert np.count_nonzero(~np.isnan(sony)) == 2
    # Nokia led 2009Q4 with 20.8M; RIM (canonical name BlackBerry) second with 10.7M
    assert lines["Nokia"].get_ydata()[0] == 1 and lines["BlackBerry"].get_ydata()[0] == 2
    assert np.isnan(lines["Nokia"].get_ydata()[-1])  # not listed in 2024Q1
    for name, line in lines.items():
        assert to_hex(line.get_color()).upper() == style.brand_color(name)
    bottom, top = ax.get_ylim()
    assert bottom > top  # rank 1 at the top
    assert footnote(ax) == WW_NOTE
    assert ax.get_title(loc="left") == "Rank, WW"


def test_bump_chart_rings_tied_ranks():
    # Taiwan retail sales, January 2018: Huawei, Xiaomi and Taiwan Mobile "each took a
    # 2.1 percent share", so they share one rank (method "min")
    taiwan = datasets.load("taiwan_vendor_share")
    taiwan = taiwan[(taiwan["metric"] == "sales") & (taiwan["start"].dt.year == 2018)].copy()
    taiwan["rank"] = taiwan.groupby("start")["share"].rank(ascending=False, method="min")
    taiwan["tied"] = taiwan.duplicated(["start", "rank"], keep=False)
    january = taiwan[(taiwan["start"] == "2018-01-01") & taiwan["tied"]]
    assert sorted(january["brand"]) == ["Huawei", "Taiwan Mobile", "Xiaomi"]
    ax = plots.plot_ranks(taiwan, top=None)
    (ring,) = [line for line in ax.lines if line.get_gid() == "tied"]
    expected = taiwan.loc[taiwan["tied"], "rank"].astype(float)
    assert sorted(ring.get_ydata().tolist()) == sorted(expected.tolist())
    assert "tied" in [t.get_text() for t in ax.get_legend().get_texts()]
    # brands missing from a month are gaps: Taiwan Mobile is listed in January only
    mobile = [line for line in ax.lines if line.get_label() == "Taiwan Mobile"][0]
    assert np.count_nonzero(~np.isnan(mobile.get_ydata())) == 1


def test_bump_chart_labels_the_last_period_and_keeps_the_rest_in_a_legend():
    ax = plots.plot_ranks(inputs.ww_ranks(), top=10)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "rank-label"]
    # 2024Q1 lists Samsung, Apple, Xiaomi, Transsion, OPPO (ranked 1..5 by units)
    assert labels == ["Samsung", "Apple", "Xiaomi", "Transsion", "OPPO"]
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert "Nokia" in legend and "Samsung" not in legend


def test_bump_chart_top_keeps_brands_that_reached_it():
    ax = plots.plot_ranks(inputs.ww_ranks(), top=1)
    # only Nokia (2009Q4-2011Q1), Apple and Samsung and Huawei (2020Q2) were ever first
    ranks = inputs.ww_ranks()
    expected = set(ranks.loc[ranks["rank"] == 1, "brand"])
    assert {line.get_label() for line in ax.lines} == expected


def test_rank_forecast_highlights_the_top_ranks():
    frame = inputs.taiwan_rank_distribution()
    forecast = inputs.FakeRankForecast(frame)
    ax = plots.plot_rank_forecast(forecast, top=4)
    assert len(ax.patches) == len(frame) == 6  # ranks 1..6 (5 named incumbents + entrant)
    colours = hexes([p.get_facecolor() for p in ax.patches])
    assert colours == ["#FF6900"] * 4 + [style.BRAND_COLORS["Others"]] * 2
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx(frame["probability"].tolist())
    # the units grid (48k..1.2M, 25 points) beats Apple's 910k (0.13 x 7M) at 7 of 25
    # points (roughly 0.91M-1.2M): P(rank <= 4) = 0.08 + 0.20 = 0.28
    text = [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"]
    assert text == ["P(top 4) = 28%"]
    assert ax.get_title(loc="left") == "Rank forecast for Xiaomi"
    assert footnote(ax) == "Source: fake rank forecast for tests"


def test_rank_forecast_from_a_frame_sums_the_probabilities():
    frame = inputs.taiwan_rank_distribution()
    ax = plots.plot_rank_forecast(frame, top=5, brand="Xiaomi")
    # P(rank <= 5) = 0.08 + 0.20 + 0.56 = 0.84
    assert [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"] == ["P(top 5) = 84%"]
    with pytest.raises(ValueError, match="top must be a positive integer"):
        plots.plot_rank_forecast(frame, top=0)
    with pytest.raises(TypeError, match="frame"):
        plots.plot_rank_forecast([0.1, 0.9])


# -- concentration ---------------------------------------------------------------------


def test_concentration_draws_bands_line_and_bounds():
    conc = inputs.ww_concentration()
    ax = plots.plot_concentration(conc)
    spans = {
        p.get_gid(): (p.get_y(), p.get_y() + p.get_height())
        for p in ax.patches
        if (p.get_gid() or "").startswith("band:")
    }
    # 2023 Merger Guidelines: < 1,000 unconcentrated, 1,000-1,800 moderately, > 1,800 highly
    assert spans == {
        "band:unconcentrated": (0.0, 1000.0),
        "band:moderately concentrated": (1000.0, 1800.0),
        "band:highly concentrated": (1800.0, 10000.0),
    }
    (line,) = ax.lines
    # 2009Q4 named vendors: (20.8, 10.7, 8.7, 2.4, 1.8) / 53.9 as % -> squares sum
    # 38.59^2 + 19.85^2 + 16.14^2 + 4.45^2 + 3.34^2 = 1489.2 + 394.1 + 260.5 + 19.8 + 11.2
    assert line.get_ydata()[0] == pytest.approx(2174.8, abs=0.1)
    (fill,) = [c for c in ax.collections if c.get_gid() == "hhi-bounds"]
    extents = fill.get_paths()[0].vertices[:, 1]
    # upper bound adds Others as one firm: (9.5 / 53.9 * 100)^2 = 310.6
    assert extents.max() == pytest.approx(conc["hhi_upper"].max())
    assert conc["hhi_upper"].iloc[0] == pytest.approx(2174.8 + 310.6, abs=0.2)
    assert footnote(ax) == "Sources: IDC via Statista 271490; " + (
        "HHI bands: 2023 U.S. Merger Guidelines"
    )
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "band-label"]
    assert labels == ["unconcentrated", "moderately concentrated", "highly concentrated"]


def test_concentration_one_line_per_market_and_no_bounds_when_asked():
    conc = inputs.ww_concentration()
    two = pd.concat([conc, conc.assign(market="XX", hhi=conc["hhi"] / 2)])
    ax = plots.plot_concentration(two, bounds=False, bands=False)
    assert [line.get_label() for line in ax.lines] == ["WW", "XX"]
    assert not ax.patches and not ax.collections
    ax = plots.plot_concentration(two, market="XX")
    assert ax.lines[0].get_ydata()[0] == pytest.approx(2174.8 / 2, abs=0.1)


# -- exposure --------------------------------------------------------------------------


def test_exposure_heat_map_cells_and_labels():
    exposure = inputs.taiwan_exposure()
    ax = plots.plot_exposure(exposure)
    (image,) = ax.images
    values = image.get_array()
    assert values.shape == (5, 2)  # five brands x (rest of world, TW)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["rest of world", "TW"]
    # brands by total units, 2021Q1 worldwide: Samsung 75.3M, Apple 55.2M, Xiaomi 48.6M,
    # OPPO 37.5M, vivo 34.9M (Taiwan is part of the worldwide figure)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["Samsung", "Apple", "Xiaomi", "OPPO", "vivo"]
    # Apple in TW: 40.9% of 1.38M IDC sales = 564,420 units of Apple's 55.2M -> 1.02%
    assert values[1, 1] == pytest.approx(564_420 / 55_200_000)
    assert values[1, 0] == pytest.approx(1 - 564_420 / 55_200_000)
    cells = [t.get_text() for t in ax.texts if t.get_gid() == "cell"]
    assert len(cells) == 10 and "1%" in cells and "99%" in cells
    note = footnote(ax)
    assert note.startswith("Sources: IDC: https://www.taipeitimes.com/")
    assert "IDC via Statista 271490" in note


def test_exposure_missing_cells_are_marked():
    exposure = inputs.taiwan_exposure()
    exposure = exposure[~((exposure["brand"] == "vivo") & (exposure["market"] == "TW"))]
    ax = plots.plot_exposure(exposure, colorbar=False, cmap="Greens")
    cells = [t.get_text() for t in ax.texts if t.get_gid() == "cell"]
    assert cells.count("–") == 1
    assert ax.images[0].get_cmap().name.startswith("Greens")
    assert len(ax.figure.axes) == 1  # no colour bar


# -- entry scenario --------------------------------------------------------------------


def test_entry_bars_before_after_and_delta_hhi():
    frame, before, after = inputs.taiwan_entry()
    # HHI before over named brands: 28^2 + 21^2 + 16^2 + 13^2 + 3^2 = 784+441+256+169+9
    assert before == pytest.approx(1659.0)
    ax = plots.plot_entry(inputs.FakeEntryScenario(frame, before, after))
    brands = [t.get_text() for t in ax.get_yticklabels()]
    # top to bottom by share after; Others last
    assert brands == ["Samsung", "HTC", "Sony", "Apple", "Xiaomi", "LG", "Others"]
    assert len(ax.patches) == 2 * 7
    before_bars, after_bars = ax.containers
    assert before_bars.get_label() == "before" and after_bars.get_label() == "after"
    assert {p.get_alpha() for p in before_bars.patches} == {0.35}
    # Xiaomi's 300k of 7M = 4.29%; it had nothing before
    xiaomi = brands.index("Xiaomi")  # bars are drawn in the same order
    assert after_bars.patches[xiaomi].get_width() == pytest.approx(300_000 / 7_000_000)
    assert before_bars.patches[xiaomi].get_width() == 0
    assert hexes([after_bars.patches[xiaomi].get_facecolor()]) == ["#FF6900"]
    # after: every incumbent x (1 - 3/70): 1659 x (67/70)^2 = 1519.8, plus 4.286^2 = 18.4
    subtitle = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert subtitle == ["ΔHHI −121 (HHI 1,659 → 1,538)"]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "entrant"] == ["Xiaomi: 4.3%"]
    assert ax.get_title(loc="left") == "Market shares before and after Xiaomi enters"


def test_entry_from_a_frame_finds_the_entrant_and_needs_hhi_keywords():
    frame, _, _ = inputs.taiwan_entry()
    ax = plots.plot_entry(frame, source=inputs.taiwan_2013())
    assert not [t for t in ax.texts if t.get_gid() == "subtitle"]
    assert ax.get_title(loc="left").endswith("Xiaomi enters")
    assert footnote(ax).startswith("Source: IDC: http://technews.co/2014/03/20/")


# -- sensitivity -----------------------------------------------------------------------


def test_tornado_orders_by_swing_and_starts_bars_at_the_base():
    sens = inputs.taiwan_sensitivity()
    # base: 7 of 25 grid points beat Apple's 910k -> 0.28; the units range swings 0 -> 0.64
    assert sens["prob_base"].iloc[0] == pytest.approx(0.28)
    ax = plots.plot_sensitivity(sens)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # ticks are listed bottom to top: the widest swing (units, 0 -> 0.64) is on top
    assert labels == ["market size", "entrant's units (max)"]
    low, high = ax.containers
    assert low.get_label() == "low input" and high.get_label() == "high input"
    for container, column in ((low, "prob_low"), (high, "prob_high")):
        for patch, (_, row) in zip(container.patches, sens.iloc[[1, 0]].iterrows(), strict=True):
            assert patch.get_x() == pytest.approx(0.28)
            assert patch.get_x() + patch.get_width() == pytest.approx(row[column])
    base = [line for line in ax.lines if line.get_label().startswith("base")]
    assert base[0].get_xdata()[0] == pytest.approx(0.28)
    values = [t.get_text() for t in ax.texts if t.get_gid() == "input-value"]
    assert sorted(values) == sorted(["6M", "600k", "8.74M", "2.4M"])


def test_tornado_needs_one_base():
    sens = inputs.taiwan_sensitivity()
    sens.loc[0, "prob_base"] = 0.5
    with pytest.raises(ValueError, match="prob_base differs"):
        plots.plot_sensitivity(sens)


# -- shipments -------------------------------------------------------------------------


def test_shipments_milestones_target_fans_and_today():
    xiaomi = datasets.load("xiaomi_2011_2012")
    projection = inputs.FakeProjection()
    ax = plots.plot_shipments(xiaomi, projection=projection, today="2012-06-12")
    gids = [line.get_gid() for line in ax.lines]
    assert gids.count("cumulative") == 1 and gids.count("median") == 1
    assert gids.count("target") == 1 and gids.count("today") == 1
    cumulative = [line for line in ax.lines if line.get_gid() == "cumulative"][0]
    assert cumulative.get_ydata().tolist() == [300_000, 3_000_000]
    assert to_hex(cumulative.get_color()).upper() == "#FF6900"
    milestones = [t.get_text() for t in ax.texts if t.get_gid() == "milestone"]
    assert milestones == ["over 300k", "over 3M"]
    markers = [line.get_marker() for line in ax.lines if line.get_gid() == "milestone-marker"]
    assert markers == ["^", "^"]  # "over": at least this many
    target = [line for line in ax.lines if line.get_gid() == "target"][0]
    assert target.get_ydata()[0] == 5_000_000
    assert target.get_label() == "target 5M by 2012-12-31, basis unclear"
    today = [line for line in ax.lines if line.get_gid() == "today"][0]
    assert mdates.date2num(today.get_xdata()[0]) == mdates.date2num(pd.Timestamp("2012-06-12"))
    fans = {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("fan")}
    assert set(fans) == {"fan-0.5", "fan-0.9"}
    assert fans["fan-0.9"].get_alpha() < fans["fan-0.5"].get_alpha()
    # the projection was asked for both levels from the last figure to the target date
    levels = sorted({level for level, _ in projection.calls})
    assert levels == [0.5, 0.9]
    dates = projection.calls[0][1]
    assert dates[0] == pd.Timestamp("2012-06-12") and dates[-1] == pd.Timestamp("2012-12-31")
    # 90% fan at 2012-12-31: median 3M + 5M x 202/365.25 years; half-width 0.9 x 2M x sqrt
    years = 202 / 365.25
    upper = fans["fan-0.9"].get_paths()[0].vertices[:, 1].max()
    assert upper == pytest.approx(3e6 + 5e6 * years + 0.9 * 2e6 * np.sqrt(years))
    assert footnote(ax) == (
        "Sources: http://www.nnzcw.cn/post/73869.html; news report on Xiaomi's plans for "
        "Taiwan (2012); fake projection for tests"
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["90% interval", "50% interval", "median projection"]


def test_shipments_from_a_projection_and_a_given_target():
    xiaomi = datasets.load("xiaomi_2011_2012")
    reported = xiaomi[xiaomi["status"] == "actual"]
    projection = inputs.FakeProjection(reported)
    ax = plots.plot_shipments(projection, target=(5_000_000, "2012-12-31"), levels=(0.8,))
    assert [c.get_gid() for c in ax.collections] == ["fan-0.8"]
    target = [line for line in ax.lines if line.get_gid() == "target"][0]
    assert target.get_label() == "target 5M by 2012-12-31"
    assert ax.get_title(loc="left") == "Xiaomi shipments"


def test_shipments_bad_input():
    xiaomi = datasets.load("xiaomi_2011_2012")
    two = pd.concat([xiaomi, xiaomi.assign(brand="Meizu")])
    with pytest.raises(ValueError, match="several brands.*brand="):
        plots.plot_shipments(two)
    assert plots.plot_shipments(two, brand="Meizu").get_title(loc="left") == "Meizu shipments"
    with pytest.raises(ValueError, match="levels must be between 0 and 1"):
        plots.plot_shipments(xiaomi, projection=inputs.FakeProjection(), levels=(90,))
    with pytest.raises(TypeError, match="figures DataFrame or a Projection"):
        plots.plot_shipments([1, 2])
    with pytest.raises(TypeError, match="target must be"):
        plots.plot_shipments(xiaomi, target="5M")


def test_shipments_per_period_figures():
    quarterly = datasets.load("worldwide_quarterly_shipments_by_vendor")
    ax = plots.plot_shipments(quarterly, brand="Xiaomi")
    (line,) = [line for line in ax.lines if line.get_gid() == "per-period"]
    # Xiaomi is listed in 39 quarters of the worldwide file
    assert len(line.get_ydata()) == 39
    assert footnote(ax) == WW_NOTE


# -- every chart: ax= respected, returned, no new figure -------------------------------


def _calls():
    frame, before, after = inputs.taiwan_entry()
    return {
        "shipments": lambda ax: plots.plot_shipments(
            datasets.load("xiaomi_2011_2012"), ax=ax, projection=inputs.FakeProjection()
        ),
        "shares": lambda ax: plots.plot_shares(inputs.ww_shares(), ax=ax),
        "ranks": lambda ax: plots.plot_ranks(inputs.ww_ranks(), ax=ax),
        "rank_forecast": lambda ax: plots.plot_rank_forecast(
            inputs.taiwan_rank_distribution(), ax=ax, top=4
        ),
        "concentration": lambda ax: plots.plot_concentration(inputs.ww_concentration(), ax=ax),
        "exposure": lambda ax: plots.plot_exposure(inputs.taiwan_exposure(), ax=ax),
        "entry": lambda ax: plots.plot_entry(frame, ax=ax, hhi_before=before, hhi_after=after),
        "sensitivity": lambda ax: plots.plot_sensitivity(inputs.taiwan_sensitivity(), ax=ax),
    }


@pytest.mark.parametrize("name", sorted(_calls()))
def test_every_chart_draws_on_the_given_axes(name):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    figures_before = plt.get_fignums()
    returned = _calls()[name](right)
    assert returned is right
    assert plt.get_fignums() == figures_before
    assert not left.has_data() and right.has_data()


def test_all_plot_functions_are_exported():
    assert sorted(n for n in plots.__all__ if n.startswith("plot_")) == [
        "plot_concentration",
        "plot_entry",
        "plot_exposure",
        "plot_rank_forecast",
        "plot_ranks",
        "plot_sensitivity",
        "plot_shares",
        "plot_shipments",
    ]


def test_inputs_are_not_mutated():
    shares = inputs.ww_shares()
    copy = shares.copy()
    plots.plot_shares(shares, top=3)
    pd.testing.assert_frame_equal(shares, copy)


def test_one_period_is_drawn_as_a_labelled_period():
    taiwan = inputs.taiwan_2013()
    ax = plots.plot_shares(taiwan)  # one year: a single stacked bar, not an empty area
    assert len(ax.patches) == 5  # Samsung, HTC, Sony, Apple, LG
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2013"]
    # shares as reported: 28 + 21 + 16 + 13 + 3 = 81%; the rest is not drawn as a brand
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(0.81)
    # HHI of the named brands: 28^2 + 21^2 + 16^2 + 13^2 + 3^2 = 1,659
    conc = taiwan.iloc[:1][["market", "start", "end"]].assign(hhi=1659.0)
    ax = plots.plot_concentration(conc, source=taiwan)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2013"]
    assert ax.lines[0].get_ydata().tolist() == [1659.0]


def test_a_given_axes_gets_the_house_frame():
    _, ax = plt.subplots()
    assert ax.spines["top"].get_visible()
    plots.plot_sensitivity(inputs.taiwan_sensitivity(), ax=ax)
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()


def test_shipments_from_a_projection_whose_data_has_only_dates_and_units():
    xiaomi = datasets.load("xiaomi_2011_2012")
    reported = xiaomi.loc[xiaomi["status"] == "actual", ["end", "units", "source"]]
    ax = plots.plot_shipments(inputs.FakeProjection(reported))  # basis/status/brand implied
    (line,) = [line for line in ax.lines if line.get_gid() == "cumulative"]
    assert line.get_ydata().tolist() == [300_000, 3_000_000]
    assert to_hex(line.get_color()).upper() == "#FF6900"  # the projection's brand, Xiaomi


def test_tornado_input_without_effect_keeps_its_labels_apart():
    sens = inputs.taiwan_sensitivity()
    # LG (210k in the 7M market) moving 10% either way changes no grid point's rank
    still = pd.DataFrame(
        [
            {
                "input": "LG",
                "low": 189_000.0,
                "high": 231_000.0,
                "prob_low": 0.28,
                "prob_high": 0.28,
                "prob_base": 0.28,
            }
        ]
    )
    ax = plots.plot_sensitivity(pd.concat([sens, still], ignore_index=True))
    texts = {t.get_text(): t for t in ax.texts if t.get_gid() == "input-value"}
    assert texts["189k"].get_ha() == "right" and texts["231k"].get_ha() == "left"
    low, high = ax.get_xlim()
    # results span 0 (units low) to 0.64 (units high): a margin for the labels either side
    assert low < 0.0 and high > 0.64
    assert all(0 <= tick <= 1 for tick in ax.get_xticks())


def test_exposure_accepts_a_frame_and_summary_pair():
    exposure = inputs.taiwan_exposure()
    ax = plots.plot_exposure((exposure, {"largest market": "rest of world"}))
    assert ax.images[0].get_array().shape == (5, 2)

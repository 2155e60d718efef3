"""Every chart drawn from the real analysis functions on the packaged data, checked for
what it drew; expected numbers are recomputed here from the published figures."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import analysis  # noqa: E402
from analysis import plots  # noqa: E402
from analysis.plots import annotate, palette  # noqa: E402
from marketdata import DataError, datasets  # noqa: E402
from tests import factories as inputs  # noqa: E402

WW_NOTE = "Source: IDC via Statista 271490"


@pytest.fixture(autouse=True)
def close_figures(monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError("a chart called plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")


def footnote(ax):
    return annotate.find_footnote(ax).replace("\n", " ")


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
        assert hexes([collection.get_facecolor()[0]])[0] == palette.brand_color(
            collection.get_label()
        )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == labels[::-1] + [annotate.DOUBLE_COUNT_LABEL]
    assert ax.get_ylim() == (0.0, 1.0)
    assert footnote(ax) == WW_NOTE
    assert ax.get_title(loc="left") == "Market shares, Worldwide"


def test_share_area_stacks_to_one_and_layers_hold_the_shares():
    ax = plots.plot_shares(inputs.ww_shares())
    top = ax.collections[-1].get_paths()[0].vertices[:, 1]
    # every quarter's shares add up to 1 by construction (units / quarter sum)
    assert top.max() == pytest.approx(1.0)
    # Samsung, the bottom layer, in 2009Q4: 1.8M of 20.8+10.7+8.7+2.4+1.8+9.5 = 53.9M
    table = plots.shares.share_table(inputs.ww_shares())
    assert table.iloc[0]["Samsung"] == pytest.approx(1.8 / 53.9)
    assert table.iloc[0]["Nokia"] == pytest.approx(20.8 / 53.9)


def test_share_area_hatches_the_double_counted_quarters():
    shares = inputs.ww_shares()
    ax = plots.plot_shares(shares)
    spans = [p for p in ax.patches if p.get_gid() == "double-count"]
    # 2013Q1 and 2013Q3 list more than IDC's totals (222.6M > 216.2M, 276.6M > 261.7M:
    # Nokia's company-reported figures beside IDC's): one hatched span per quarter
    assert len(spans) == 2
    assert all(p.get_hatch() == "///" for p in spans)
    lefts = sorted(mdates.num2date(p.get_x()).date().isoformat() for p in spans)
    assert lefts == ["2013-01-01", "2013-07-01"]
    last = max(spans, key=lambda p: p.get_x())
    right = mdates.num2date(last.get_x() + last.get_width()).date().isoformat()
    assert right == "2013-10-01"  # end of 2013Q3 (Sept 30) + one day
    flagged = shares.loc[shares["double_count"], "start"].nunique()
    assert flagged == 2  # the flag the chart drew from
    # unflagged data draws no hatch and no legend entry for it
    clean = shares[~shares["double_count"]]
    ax = plots.plot_shares(clean)
    assert not [p for p in ax.patches if p.get_gid() == "double-count"]
    assert annotate.DOUBLE_COUNT_LABEL not in [t.get_text() for t in ax.get_legend().get_texts()]


def test_share_bars_hatch_a_double_counted_bar():
    shares = inputs.ww_shares()
    shares = shares[shares["end"].dt.year == 2013]
    ax = plots.plot_shares(shares, kind="bar")
    spans = [p for p in ax.patches if p.get_gid() == "double-count"]
    # 2013Q1 and 2013Q3 are flagged: bars 0 and 2 of the four quarters
    assert [(p.get_x(), p.get_x() + p.get_width()) for p in spans] == [(-0.5, 0.5), (1.5, 2.5)]


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
    assert plots.plot_shares(two, market="CN").get_title(loc="left") == "Market shares, China"
    with pytest.raises(DataError, match="lacks the column 'share'"):
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
        assert to_hex(line.get_color()).upper() == palette.brand_color(name)
    bottom, top = ax.get_ylim()
    assert bottom > top  # rank 1 at the top
    assert footnote(ax) == WW_NOTE
    assert ax.get_title(loc="left") == "Rank, Worldwide"


def test_bump_chart_rings_tied_ranks():
    # Taiwan retail sales, January 2018: Huawei, Xiaomi and Taiwan Mobile "each took a
    # 2.1 percent share", so they share one rank (8th: seven brands had more)
    taiwan = datasets.load("taiwan_vendor_share")
    taiwan = taiwan[(taiwan["metric"] == "sales") & (taiwan["start"].dt.year == 2018)]
    ranks = analysis.rank_brands(taiwan)
    january = ranks[(ranks["start"] == "2018-01-01") & ranks["tied"]]
    assert sorted(january["brand"]) == ["Huawei", "Taiwan Mobile", "Xiaomi"]
    assert set(january["rank"]) == {8}
    ax = plots.plot_ranks(ranks, top=None)
    (ring,) = [line for line in ax.lines if line.get_gid() == "tied"]
    # the only tie of 2018 is that one: three rings at rank 8
    assert sorted(ring.get_ydata().tolist()) == [8.0, 8.0, 8.0]
    assert "tied" in [t.get_text() for t in ax.get_legend().get_texts()]
    # brands missing from a month are gaps: Taiwan Mobile is listed in January only
    mobile = [line for line in ax.lines if line.get_label() == "Taiwan Mobile"][0]
    assert np.count_nonzero(~np.isnan(mobile.get_ydata())) == 1
    assert footnote(ax).startswith("Sources: local retail channels")


def test_bump_chart_labels_the_last_period_and_keeps_the_rest_in_a_legend():
    ax = plots.plot_ranks(inputs.ww_ranks(), top=10)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "rank-label"]
    # 2024Q1 lists Samsung, Apple, Xiaomi, Transsion, OPPO (ranked 1..5 by units)
    assert labels == ["Samsung", "Apple", "Xiaomi", "Transsion", "OPPO"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Nokia" in legend and "Samsung" not in legend
    # the two double-counted quarters (2013Q1, 2013Q3) are hatched and named last
    assert len([p for p in ax.patches if p.get_gid() == "double-count"]) == 2
    assert legend[-1] == annotate.DOUBLE_COUNT_LABEL


def test_bump_chart_top_keeps_brands_that_reached_it():
    ax = plots.plot_ranks(inputs.ww_ranks(), top=1)
    # only Nokia (2009Q4-2011Q1), Apple and Samsung and Huawei (2020Q2) were ever first
    ranks = inputs.ww_ranks()
    expected = set(ranks.loc[ranks["rank"] == 1, "brand"])
    assert {line.get_label() for line in ax.lines} == expected


def _pert_above(x, low=100_000.0, mode=300_000.0, high=600_000.0):
    """P(units > x) for Beta-PERT(low, mode, high): a Beta(a, b) on (low, high) with
    a = 1 + 4 (mode - low) / (high - low) = 2.6 and b = 1 + 4 (high - mode) / (high - low)
    = 3.4; scipy's Beta as the oracle, independent of the sampler."""
    from scipy import stats

    a = 1 + 4 * (mode - low) / (high - low)
    b = 1 + 4 * (high - mode) / (high - low)
    return float(stats.beta(a, b).sf((x - low) / (high - low)))


def test_rank_forecast_highlights_the_top_ranks():
    forecast = inputs.taiwan_rank_forecast()  # the real project_rank result
    frame = forecast.frame()
    ax = plots.plot_rank_forecast(forecast)
    # 5 listed incumbents + 7 unlisted brands + Xiaomi: ranks 1..13
    assert len(ax.patches) == len(frame) == 13
    colours = hexes([p.get_facecolor() for p in ax.patches])
    assert colours == ["#FF6900"] * 10 + [palette.BRAND_COLORS["Others"]] * 3
    assert [p.get_height() for p in ax.patches] == pytest.approx(frame["probability"].tolist())
    # incumbents 28/21/16/13/3% of 7M = 1.96M, 1.47M, 1.12M, 910k, 210k; the 19% residual
    # (1.33M) is 7 brands of 190k. Xiaomi (PERT 100k-300k-600k, taking nothing) is 5th
    # above 210k, 6th between 190k and 210k, 13th below 190k
    p5, p13 = _pert_above(210_000), 1 - _pert_above(190_000)
    tolerance = 4 * (0.25 / inputs.RANK_DRAWS) ** 0.5  # 4 standard errors at most
    assert frame["probability"].iloc[4] == pytest.approx(p5, abs=tolerance)
    assert frame["probability"].iloc[12] == pytest.approx(p13, abs=tolerance)
    text = [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"]
    assert text == [f"P(top 10) = {round(100 * forecast.prob_top(10))}%"]
    assert round(100 * forecast.prob_top(10)) == round(100 * (1 - p13))
    assert ax.get_title(loc="left") == "Rank forecast for Xiaomi, Taiwan 2013"
    assert footnote(ax) == "Sources: " + forecast.source
    # the unlisted-brands assumption behind the 13th place is on the chart
    (note,) = [t.get_text() for t in ax.texts if t.get_gid() == "assumption"]
    # 5 listed incumbents + Xiaomi: ranks past 6 can only be among the 7 assumed brands
    assert note == (
        "assumes 7 unlisted brands of equal size ≈ 190k each (1.33M in all); "
        "ranks past 6 are places among them"
    )
    ax = plots.plot_rank_forecast(forecast, top=5)
    assert hexes([p.get_facecolor() for p in ax.patches]).count("#FF6900") == 5


def test_rank_forecast_small_probabilities_keep_a_decimal():
    frame = pd.DataFrame({"rank": [1, 2, 3], "probability": [0.035, 0.5, 0.465]})
    ax = plots.plot_rank_forecast(frame, top=1)
    # one format with the tables (probability_label): 3.5% is 4%, half up
    assert [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"] == ["P(top 1) = 4%"]
    assert ax.get_title(loc="left") == "Rank forecast for the brand"  # a frame: no window


def test_rank_forecast_from_a_frame_sums_the_probabilities():
    frame = inputs.taiwan_rank_forecast().frame()
    ax = plots.plot_rank_forecast(frame, top=5, brand="Xiaomi")
    expected = frame.loc[frame["rank"] <= 5, "probability"].sum()
    shown = [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"]
    assert shown == [f"P(top 5) = {round(100 * expected)}%"]
    assert not [t for t in ax.texts if t.get_gid() == "assumption"]  # a frame says none
    with pytest.raises(ValueError, match="top must be >= 1"):
        plots.plot_rank_forecast(frame, top=0)
    with pytest.raises(TypeError, match="frame"):
        plots.plot_rank_forecast([0.1, 0.9])
    with pytest.raises(DataError, match="lacks the column 'probability'"):
        plots.plot_rank_forecast(frame.drop(columns="probability"))


# -- concentration ---------------------------------------------------------------------


def _bands(ax):
    return {
        p.get_gid(): (p.get_y(), p.get_y() + p.get_height())
        for p in ax.patches
        if (p.get_gid() or "").startswith("band:")
    }


def test_concentration_with_others_draws_the_bounds_band_not_a_line():
    conc = inputs.ww_concentration()
    assert conc["hhi"].isna().all()  # every quarter lists Others: only bounds are known
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no all-NaN RuntimeWarning, nothing else either
        ax = plots.plot_concentration(conc, source=inputs.ww_quarterly())
    # 2023 Merger Guidelines: < 1,000 unconcentrated, 1,000-1,800 moderately, > 1,800 highly
    assert _bands(ax) == {
        "band:unconcentrated": (0.0, 1000.0),
        "band:moderately concentrated": (1000.0, 1800.0),
        "band:highly concentrated": (1800.0, 10000.0),
    }
    gids = [line.get_gid() for line in ax.lines]
    assert "hhi" not in gids  # no made-up midline
    lines = {line.get_gid(): line.get_ydata() for line in ax.lines}
    # 2009Q4: Nokia 20.8, RIM 10.7, Apple 8.7, HTC 2.4, Samsung 1.8, Others 9.5 of 53.9M
    # lower bound (Others spread thin): squares of the named shares in % points
    # 38.59^2 + 19.85^2 + 16.14^2 + 4.45^2 + 3.34^2 = 1489.2 + 394.1 + 260.5 + 19.8 + 11.2
    assert lines["hhi-lower"][0] == pytest.approx(2174.8, abs=0.1)
    # upper bound (Others one firm) adds (9.5 / 53.9 x 100)^2 = 17.63^2 = 310.6
    assert lines["hhi-upper"][0] == pytest.approx(2174.8 + 310.6, abs=0.2)
    assert len(lines["hhi-lower"]) == 58  # 2009Q4..2024Q1
    (fill,) = [c for c in ax.collections if c.get_gid() == "hhi-bounds"]
    assert fill.get_label() == plots.concentration.BOUNDS_LABEL
    assert "Others spread thin" in fill.get_label() and "one firm" in fill.get_label()
    extents = fill.get_paths()[0].vertices[:, 1]
    assert np.nanmax(extents) == pytest.approx(conc["hhi_upper"].max())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [plots.concentration.BOUNDS_LABEL, annotate.DOUBLE_COUNT_LABEL]
    # 2013Q1 and 2013Q3 list more than IDC's totals: two hatched quarters
    assert len([p for p in ax.patches if p.get_gid() == "double-count"]) == 2
    assert ax.get_ylim()[1] >= conc["hhi_upper"].max()
    assert footnote(ax) == "Sources: IDC via Statista 271490; " + (
        "HHI bands: 2023 U.S. Merger Guidelines"
    )
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "band-label"]
    assert labels == ["unconcentrated", "moderately concentrated", "highly concentrated"]


def test_concentration_of_named_vendors_draws_the_hhi_line():
    conc = inputs.ww_concentration(named_only=True)
    ax = plots.plot_concentration(conc, source=inputs.ww_quarterly())
    (line,) = [line for line in ax.lines if line.get_gid() == "hhi"]
    # 2009Q4 without Others: 20.8 + 10.7 + 8.7 + 2.4 + 1.8 = 44.4M is the market;
    # (432.64 + 114.49 + 75.69 + 5.76 + 3.24) / 44.4^2 x 10,000 = 631.82 / 1971.36 x 1e4
    assert line.get_ydata()[0] == pytest.approx(3205.0, abs=0.1)
    assert line.get_label() == "Worldwide"  # market_label("WW")
    # no residual: the bounds equal the HHI, so no band is drawn
    assert not [c for c in ax.collections if c.get_gid() == "hhi-bounds"]


def test_concentration_one_line_per_market_and_no_bounds_when_asked():
    conc = inputs.ww_concentration(named_only=True)
    two = pd.concat([conc, conc.assign(market="XX", hhi=conc["hhi"] / 2)])
    ax = plots.plot_concentration(two, bounds=False, bands=False)
    assert [line.get_label() for line in ax.lines] == ["Worldwide", "XX"]
    assert not ax.collections
    assert not [p for p in ax.patches if (p.get_gid() or "").startswith("band:")]
    ax = plots.plot_concentration(two, market="XX")
    assert ax.lines[0].get_ydata()[0] == pytest.approx(3205.0 / 2, abs=0.1)


# -- exposure --------------------------------------------------------------------------


def test_exposure_heat_map_cells_and_labels():
    result = inputs.taiwan_exposure()
    ax = plots.plot_exposure(result)  # the Exposure result itself
    (image,) = ax.images
    values = image.get_array()
    assert values.shape == (5, 2)  # five brands x (rest of world, TW)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ROW", "Taiwan"]
    # brands by total units, 2021Q1 worldwide: Samsung 75.3M, Apple 55.2M, Xiaomi 48.6M,
    # OPPO 37.5M, vivo 34.9M (Taiwan is part of the worldwide figure)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows == ["Samsung", "Apple", "Xiaomi", "OPPO", "vivo"]
    # Apple in TW: 40.9% of 1.38M IDC sales = 564,420 units of Apple's 55.2M -> 1.02%
    assert values[1, 1] == pytest.approx(564_420 / 55_200_000)
    assert values[1, 0] == pytest.approx(1 - 564_420 / 55_200_000)
    cells = [t.get_text() for t in ax.texts if t.get_gid() == "cell"]
    # Samsung in TW: 26.5% of 1.38M = 365,700 of 75.3M = 0.486%: "0.5%", not "0%"; so
    # every cell has one decimal (Apple 1.02% is "1.0%"): one rounding for the table
    assert cells[:4] == ["99.5%", "0.5%", "99.0%", "1.0%"]
    assert len(cells) == 10
    assert ax.get_title(loc="left") == "Where each brand's units come from, 2021Q1"
    note = footnote(ax)
    assert note.startswith("Sources: IDC")
    assert "IDC via Statista 271490" in note
    assert "https://www.taipeitimes.com/" in note


def test_exposure_missing_cells_are_marked():
    frame = inputs.taiwan_exposure().frame()
    frame = frame[~((frame["brand"] == "vivo") & (frame["market"] == "TW"))]
    ax = plots.plot_exposure(frame, colorbar=False, cmap="Greens")
    cells = [t.get_text() for t in ax.texts if t.get_gid() == "cell"]
    assert cells.count("–") == 1
    assert ax.images[0].get_cmap().name.startswith("Greens")
    assert len(ax.figure.axes) == 1  # no colour bar


def test_exposure_needs_one_window_per_brand():
    frame = inputs.taiwan_exposure().frame()
    later = frame.assign(start=pd.Timestamp("2021-04-01"), end=pd.Timestamp("2021-06-30"))
    with pytest.raises(ValueError, match="several windows.*select"):
        plots.plot_exposure(pd.concat([frame, later]))


# -- entry scenario --------------------------------------------------------------------


def test_entry_bars_before_after_and_hhi_bounds():
    result = inputs.taiwan_entry()
    assert np.isnan(result.delta_hhi)  # Others (19%) hides the tail: only bounds
    ax = plots.plot_entry(result)
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
    # Samsung keeps 28% x (1 - 3/70) = 26.8%
    assert after_bars.patches[0].get_width() == pytest.approx(0.28 * 67 / 70)
    assert hexes([after_bars.patches[xiaomi].get_facecolor()]) == ["#FF6900"]
    # before: named 28^2 + 21^2 + 16^2 + 13^2 + 3^2 = 1,659 (Others spread thin) up to
    # 1,659 + 19^2 = 2,020 (Others one firm). After, every share x 67/70 (0.916122 when
    # squared) plus Xiaomi's (300/7000 x 100)^2 = 18.37: 1,659 x 0.916122 + 18.37 = 1,538
    # and 2,020 x 0.916122 + 18.37 = 1,869; changes -121 and -151
    subtitle = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert subtitle == [
        "HHI 1,659–2,020 → 1,538–1,869, ΔHHI between −151 and −121 "
        "(bounds: Others spread thin … as one firm)"
    ]
    assert "nan" not in subtitle[0]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "entrant"] == ["Xiaomi: 4.3%"]
    assert ax.get_title(loc="left") == "Market shares before and after Xiaomi enters, Taiwan 2013"
    note = footnote(ax)
    assert note.startswith("Sources: IDC: http://technews.co/2014/03/20/")
    assert note.count("market size: given as a number") == 1


def test_entry_without_residual_gives_the_exact_delta():
    result = inputs.taiwan_entry(others=None)
    ax = plots.plot_entry(result)
    # the five named vendors are the market (81% of 7M = 5.67M): HHI 1,659 / 0.81^2 =
    # 2,528.6; Xiaomi's 300k is 5.291% after, incumbents keep 1 - 0.3/5.67 = 0.94709:
    # 2,528.6 x 0.94709^2 + 5.291^2 = 2,268.1 + 28.0 = 2,296.1; change -232.5
    subtitle = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert subtitle == ["ΔHHI −233 (HHI 2,529 → 2,296)"]
    assert "Others" not in [t.get_text() for t in ax.get_yticklabels()]


def test_entry_from_a_frame_finds_the_entrant_and_needs_hhi_keywords():
    frame = inputs.taiwan_entry().frame()
    ax = plots.plot_entry(frame, source=inputs.taiwan_2013())
    assert not [t for t in ax.texts if t.get_gid() == "subtitle"]
    assert ax.get_title(loc="left").endswith("Xiaomi enters, Taiwan 2013")
    assert footnote(ax).startswith("Source: IDC: http://technews.co/2014/03/20/")
    ax = plots.plot_entry(frame, hhi_before=1659.0, hhi_after=1538.2)
    subtitle = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert subtitle == ["ΔHHI −121 (HHI 1,659 → 1,538)"]  # 1,538.2 - 1,659 = -120.8


# -- sensitivity -----------------------------------------------------------------------


def test_tornado_orders_by_swing_and_starts_bars_at_the_base():
    sens = inputs.grid_sensitivity()
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
    sens = inputs.grid_sensitivity()
    sens.loc[0, "prob_base"] = 0.5
    with pytest.raises(DataError, match="prob_base differs"):
        plots.plot_sensitivity(sens)


# -- shipments -------------------------------------------------------------------------

XIAOMI_NOTE = (
    "Sources: http://www.nnzcw.cn/post/73869.html; news report on Xiaomi's plans for Taiwan (2012)"
)


def test_shipments_milestones_both_target_readings_fans_and_today():
    xiaomi = datasets.load("xiaomi_2011_2012")
    projection = inputs.xiaomi_projection()
    ax = plots.plot_shipments(xiaomi, projection=projection, today="2012-06-12", levels=(0.9, 0.5))
    gids = [line.get_gid() for line in ax.lines]
    assert gids.count("cumulative") == 1 and gids.count("median") == 1
    assert gids.count("target") == 1 and gids.count("target-period") == 1
    assert gids.count("today") == 1
    cumulative = [line for line in ax.lines if line.get_gid() == "cumulative"][0]
    assert cumulative.get_ydata().tolist() == [300_000, 3_000_000]
    assert to_hex(cumulative.get_color()).upper() == "#FF6900"
    milestones = [t.get_text() for t in ax.texts if t.get_gid() == "milestone"]
    assert milestones == ["over 300k", "over 3M"]
    markers = [line.get_marker() for line in ax.lines if line.get_gid() == "milestone-marker"]
    assert markers == ["^", "^"]  # "over": at least this many
    # the 5M target's basis is "unclear": since launch, 5M cumulative by 2012-12-31 ...
    lines = {line.get_gid(): line for line in ax.lines}
    assert lines["target"].get_ydata()[0] == 5_000_000
    assert lines["target"].get_label() == "target 5M by 2012-12-31, read as since launch"
    # ... or 5M within 2012 alone: 5M + the over-300k reported by 2011-12-31 = over 5.3M
    assert lines["target-period"].get_ydata()[0] == 5_300_000
    assert lines["target-period"].get_label() == "target 5M in 2012 alone: over 5.3M cumulative"
    assert lines["target-period"].get_linestyle() != lines["target"].get_linestyle()
    today = lines["today"]
    assert mdates.date2num(today.get_xdata()[0]) == mdates.date2num(pd.Timestamp("2012-06-12"))
    fans = {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("fan")}
    assert set(fans) == {"fan-0.5", "fan-0.9"}
    assert fans["fan-0.9"].get_alpha() < fans["fan-0.5"].get_alpha()
    # the fans span the projection's own intervals from the last figure to the target date
    dates = pd.DatetimeIndex(["2012-06-12", "2012-12-31"])
    for level in (0.5, 0.9):
        band = projection.interval(level=level, dates=dates)
        y = fans[f"fan-{level:g}"].get_paths()[0].vertices[:, 1]
        assert y.max() == pytest.approx(band["upper"].max())
        assert y.min() == pytest.approx(band["lower"].min())
        x = fans[f"fan-{level:g}"].get_paths()[0].vertices[:, 0]
        assert mdates.num2date(x.min()).date().isoformat() == "2012-06-12"
        assert mdates.num2date(x.max()).date().isoformat() == "2012-12-31"
    median = lines["median"].get_ydata()
    assert median[-1] == pytest.approx(projection.predict(dates).iloc[-1], rel=1e-6)
    # the projection's source repeats the figures' two sources: each listed once
    assert footnote(ax) == XIAOMI_NOTE
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["90% interval", "50% interval", "median projection"]


def test_shipments_from_a_projection_and_a_given_target():
    projection = inputs.xiaomi_projection()
    ax = plots.plot_shipments(projection, target=(5_000_000, "2012-12-31"))
    # one level convention with the tables: an 80% fan by default, labelled
    assert [c.get_gid() for c in ax.collections] == ["fan-0.8"]
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "80% interval"
    band = projection.interval(0.8, dates=pd.DatetimeIndex(["2012-12-31"]))
    top = ax.collections[0].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(band["upper"].iloc[0])
    targets = ("target", "target-period")
    (target,) = [line for line in ax.lines if line.get_gid() in targets]
    assert target.get_gid() == "target"  # a given number is read as stated: one line
    assert target.get_label() == "target 5M by 2012-12-31"
    assert ax.get_title(loc="left") == "Xiaomi shipments"
    # the figures drawn are the projection's data: the two reported milestones
    (line,) = [line for line in ax.lines if line.get_gid() == "cumulative"]
    assert line.get_ydata().tolist() == [300_000, 3_000_000]
    assert to_hex(line.get_color()).upper() == "#FF6900"  # the projection's brand, Xiaomi
    assert footnote(ax) == XIAOMI_NOTE


def test_shipments_period_target_without_a_base_is_not_placed():
    xiaomi = datasets.load("xiaomi_2011_2012")
    # basis "period" and no cumulative figure at 2011-12-31 nor a projection: the
    # year-alone level is unknown, so nothing is drawn for it (no guess)
    rows = xiaomi[xiaomi["end"] != "2011-12-31"].copy()
    rows.loc[rows["status"] == "target", "basis"] = "period"
    ax = plots.plot_shipments(rows)
    assert not [line for line in ax.lines if line.get_gid() in ("target", "target-period")]


def test_shipments_bad_input():
    xiaomi = datasets.load("xiaomi_2011_2012")
    two = pd.concat([xiaomi, xiaomi.assign(brand="Meizu")])
    with pytest.raises(ValueError, match="several brands.*brand="):
        plots.plot_shipments(two)
    assert plots.plot_shipments(two, brand="Meizu").get_title(loc="left") == "Meizu shipments"
    with pytest.raises(ValueError, match="levels must be between 0 and 1"):
        plots.plot_shipments(xiaomi, projection=inputs.xiaomi_projection(), levels=(90,))
    with pytest.raises(TypeError, match="figures DataFrame or a Projection"):
        plots.plot_shipments([1, 2])
    with pytest.raises(TypeError, match="target must be"):
        plots.plot_shipments(xiaomi, target="5M")


def test_shipments_per_period_figures():
    quarterly = datasets.load("worldwide_quarterly_shipments_by_vendor")
    ax = plots.plot_shipments(quarterly, brand="Xiaomi")
    (line,) = [line for line in ax.lines if line.get_gid() == "per-period"]
    # Xiaomi is listed in 39 quarters of the worldwide file ...
    y = line.get_ydata()
    assert np.count_nonzero(~np.isnan(y)) == 39
    # ... with gaps where IDC did not list it: each run of missing quarters is one break
    rows = quarterly[quarterly["brand"] == "Xiaomi"].sort_values("start")
    breaks = int(
        (
            rows["start"].iloc[1:].to_numpy()
            != (rows["end"].iloc[:-1] + pd.Timedelta(days=1)).to_numpy()
        ).sum()
    )
    assert np.count_nonzero(np.isnan(y)) == breaks == 3
    # a per-period chart: no cumulative line, the axis says per quarter
    assert not [line for line in ax.lines if line.get_gid() == "cumulative"]
    assert ax.get_ylabel() == "units per quarter"
    assert footnote(ax) == WW_NOTE


# -- every chart: ax= respected, returned, no new figure -------------------------------


def _calls():
    return {
        "shipments": lambda ax: plots.plot_shipments(
            datasets.load("xiaomi_2011_2012"), ax=ax, projection=inputs.xiaomi_projection()
        ),
        "shares": lambda ax: plots.plot_shares(inputs.ww_shares(), ax=ax),
        "ranks": lambda ax: plots.plot_ranks(inputs.ww_ranks(), ax=ax),
        "rank_forecast": lambda ax: plots.plot_rank_forecast(inputs.taiwan_rank_forecast(), ax=ax),
        "concentration": lambda ax: plots.plot_concentration(inputs.ww_concentration(), ax=ax),
        "exposure": lambda ax: plots.plot_exposure(inputs.taiwan_exposure(), ax=ax),
        "entry": lambda ax: plots.plot_entry(inputs.taiwan_entry(), ax=ax),
        "sensitivity": lambda ax: plots.plot_sensitivity(inputs.grid_sensitivity(), ax=ax),
        "league_table": lambda ax: plots.plot_league_table(_ww_league(), ax=ax),
    }


def _ww_league():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the packaged IDC quarters' own rounding notes
        return analysis.league_table(inputs.ww_quarterly(), "2023Q4")


@pytest.mark.parametrize("name", sorted(_calls()))
def test_every_chart_draws_on_the_given_axes(name):
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
    figures_before = plt.get_fignums()
    returned = _calls()[name](right)
    assert returned is right
    assert plt.get_fignums() == figures_before
    assert not left.has_data() and right.has_data()


def test_all_plot_functions_are_exported_and_drawn_on_given_axes():
    # every exported chart is in _calls, so the test above draws each one
    exported = sorted(n for n in plots.__all__ if n.startswith("plot_"))
    assert exported == sorted(f"plot_{name}" for name in _calls())
    assert len(exported) == 9  # shipments, shares, ranks, rank forecast, concentration,
    # exposure, entry, sensitivity, league table


def test_inputs_are_not_mutated():
    shares = inputs.ww_shares()
    copy = shares.copy()
    plots.plot_shares(shares, top=3)
    pd.testing.assert_frame_equal(shares, copy)


def test_one_period_is_drawn_as_a_labelled_period():
    taiwan = inputs.taiwan_2013()
    ax = plots.plot_shares(taiwan)  # one year: a single stacked bar, not an empty area
    brands = [p for p in ax.patches if p.get_gid() != "not-listed"]
    assert len(brands) == 5  # Samsung, HTC, Sony, Apple, LG
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2013"]
    # shares as reported: 28 + 21 + 16 + 13 + 3 = 81%; the rest is "not listed", no brand
    assert sum(p.get_height() for p in brands) == pytest.approx(0.81)
    (rest,) = [p for p in ax.patches if p.get_gid() == "not-listed"]
    assert rest.get_height() == pytest.approx(0.19) and rest.get_y() == pytest.approx(0.81)
    conc = analysis.concentration(taiwan)  # share data: Others = 19% hides the tail
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.plot_concentration(conc, source=taiwan)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2013"]
    lines = {line.get_gid(): line.get_ydata().tolist() for line in ax.lines}
    # 28^2 + 21^2 + 16^2 + 13^2 + 3^2 = 1,659 .. + 19^2 = 2,020
    assert lines["hhi-lower"] == pytest.approx([1659.0])
    assert lines["hhi-upper"] == pytest.approx([2020.0])
    ends = sorted(t.get_text() for t in ax.texts if t.get_gid() == "bound-label")
    assert ends == ["1,659", "2,020"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [plots.concentration.BOUNDS_LABEL]
    assert footnote(ax).startswith("Sources: IDC: http://technews.co/")


def test_a_given_axes_gets_the_house_frame():
    _, ax = plt.subplots()
    assert ax.spines["top"].get_visible()
    plots.plot_sensitivity(inputs.grid_sensitivity(), ax=ax)
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()


def test_tornado_input_without_effect_keeps_its_labels_apart():
    sens = inputs.grid_sensitivity()
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
    result = inputs.taiwan_exposure()
    ax = plots.plot_exposure((result.frame(), result.summary()))
    assert ax.images[0].get_array().shape == (5, 2)


def test_tornado_labels_stay_off_the_bars_when_both_results_fall_on_one_side():
    sens = inputs.grid_sensitivity()
    # both results above the base 0.28 (as LG in the report: a smaller rival helps, a
    # larger one hardly hurts): neither input value may be printed on top of a bar
    same_side = pd.DataFrame(
        [
            {
                "input": "LG",
                "low": 168_000.0,
                "high": 252_000.0,
                "prob_low": 0.41,
                "prob_high": 0.29,
                "prob_base": 0.28,
            },
            {
                "input": "unlisted",
                "low": 3.0,
                "high": 14.0,
                "prob_low": 1.0,
                "prob_high": 0.91,
                "prob_base": 0.28,
            },
        ]
    )
    frame = pd.concat([sens, same_side], ignore_index=True)
    ax = plots.plot_sensitivity(frame)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    bars = [p.get_window_extent(renderer) for c in ax.containers for p in c.patches]
    texts = {t.get_text(): t for t in ax.texts if t.get_gid() == "input-value"}
    for label in ("168k", "252k", "3", "14"):
        box = texts[label].get_window_extent(renderer)
        overlapping = [b for b in bars if b.overlaps(box)]
        assert not overlapping, f"input value {label!r} is drawn over a bar"


def test_tornado_legend_keeps_clear_of_a_long_title():
    # the report's stand-alone PNG: the legend sits above the Axes, as the title does
    fig, ax = plt.subplots(figsize=plots.rc.FIGSIZE)
    plots.plot_sensitivity(
        inputs.grid_sensitivity(), ax=ax, title="What moves Xiaomi's chance of a top-ten place"
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title = ax._left_title  # the house title is left-aligned
    assert title.get_text() == "What moves Xiaomi's chance of a top-ten place"
    legend = ax.get_legend().get_window_extent(renderer)
    assert not title.get_window_extent(renderer).overlaps(legend)
    plt.close(fig)

"""The tornado says which way each input moves the chance and why a bigger rival can
help (issue 13.6); the league-table chart (issue 13)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import analysis
from analysis import plots
from marketdata import DataError
from tests import factories


def _values(ax):
    return {t.get_text(): t for t in ax.texts if t.get_gid() == "input-value"}


def test_every_input_value_sits_on_the_side_its_result_lies():
    sens = factories.taiwan_sensitivity(10)  # the real sensitivity of P(top 10)
    base = sens["prob_base"].iloc[0]
    ax = plots.plot_sensitivity(sens, brand="Xiaomi")
    texts = _values(ax)
    for _, row in sens.iterrows():
        for value, p in ((row["low"], row["prob_low"]), (row["high"], row["prob_high"])):
            label = plots.sensitivity._value_label(value)
            text = texts[label]
            x = text.xy[0]
            assert x == pytest.approx(p)  # at its own bar's end, never moved to the base
            if p > base:
                assert text.get_ha() == "left"
            elif p < base:
                assert text.get_ha() == "right"


def test_both_results_on_one_side_get_two_thin_bars_one_above_the_other():
    sens = factories.taiwan_sensitivity(10)
    ax = plots.plot_sensitivity(sens)
    order = sens.assign(swing=(sens["prob_high"] - sens["prob_low"]).abs()).sort_values(
        "swing", kind="stable"
    )
    low, high = ax.containers
    base = sens["prob_base"].iloc[0]
    for i, (_, row) in enumerate(order.iterrows()):
        one_side = (row["prob_low"] - base) * (row["prob_high"] - base) > 0
        a, b = low.patches[i], high.patches[i]
        if one_side:
            assert a.get_height() == pytest.approx(0.3) and b.get_height() == pytest.approx(0.3)
            assert a.get_y() > b.get_y()  # low input above, high input below
        else:
            assert a.get_y() == b.get_y()


def test_a_bigger_competitor_raising_the_chance_is_explained():
    sens = factories.taiwan_sensitivity(10)
    raisers = sens.loc[
        ~sens["input"].isin(["units", "market_size", "unlisted"])
        & (sens["prob_high"] > sens["prob_low"]),
        "input",
    ].tolist()
    assert raisers  # a larger Sony or Samsung leaves less for the 7 unlisted brands
    ax = plots.plot_sensitivity(sens, brand="Xiaomi")
    (note,) = [
        t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "sensitivity-note"
    ]
    assert note.startswith("A larger ") and all(
        name in note.split(" raises ")[0] for name in raisers
    )
    assert "raises Xiaomi's chance" in note and "unlisted brands" in note
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "market size" in labels and "Xiaomi's units" in labels and "market_size" not in labels


def test_a_clamped_range_is_said():
    sens = factories.grid_sensitivity().assign(
        note=[None, "low end raised to the listed brands' 5.67M"]
    )
    ax = plots.plot_sensitivity(sens)
    (note,) = [t.get_text() for t in ax.texts if t.get_gid() == "sensitivity-note"]
    assert note == "market size: low end raised to the listed brands' 5.67M"
    ax = plots.plot_sensitivity(factories.grid_sensitivity(), notes={"market size": "clamped"})
    assert [t.get_text() for t in ax.texts if t.get_gid() == "sensitivity-note"] == [
        "market size: clamped"
    ]


def test_missing_column_is_bad_data():
    with pytest.raises(DataError, match="lacks the column 'prob_base'"):
        plots.plot_sensitivity(factories.grid_sensitivity().drop(columns="prob_base"))


# -- league table ----------------------------------------------------------------------

LEAGUE = pd.DataFrame(
    {
        # Taiwan 2012Q2 retail shares (Samsung 35.8%, HTC 28.1%, Apple 10.7%) of a
        # quarter of about 1.41M units, illustrative units and growth
        "brand": ["HTC", "Samsung", "Apple", "Others", "Total"],
        "units": [397_000.0, 505_000.0, 151_000.0, 357_000.0, 1_410_000.0],
        "share": [0.281, 0.358, 0.107, 0.253, 1.0],
        "units_compare": [450_000.0, 400_000.0, 140_000.0, 330_000.0, 1_320_000.0],
        "share_compare": [0.341, 0.303, 0.106, 0.25, 1.0],
        "growth": [397 / 450 - 1, 505 / 400 - 1, 151 / 140 - 1, 357 / 330 - 1, 1410 / 1320 - 1],
        "share_pp": [-6.0, 5.5, 0.1, 0.3, 0.0],  # percentage points
        "rank": [2, 1, 3, np.nan, np.nan],
        "source": "illustrative",
    }
)


class League:
    """What analysis.league_table returns, as far as the chart reads it."""

    market, label, compare_label, compare = "TW", "2012Q2", "2011Q2", "year"
    source, notes = ("a tracker",), ("Apple listed in 2012Q2 only.",)

    def frame(self):
        return LEAGUE.copy()


def test_league_table_bars_labels_others_and_total():
    ax = plots.plot_league_table(League())
    brands = [t.get_text() for t in ax.get_yticklabels()]
    assert brands == ["Samsung", "HTC", "Apple", "Others"]  # largest on top, Others last
    assert [t.get_position()[1] for t in ax.get_yticklabels()] == [3, 2, 1, 0]
    by_brand = dict(zip(["Samsung", "HTC", "Apple", "Others"], ax.patches, strict=True))
    assert by_brand["Samsung"].get_width() == 505_000.0
    assert to_hex(by_brand["Samsung"].get_facecolor()).upper() == plots.brand_color("Samsung")
    assert to_hex(by_brand["Others"].get_facecolor()).upper() == plots.BRAND_COLORS["Others"]
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "league-label"]
    # 505/400 - 1 = +26.25% -> +26%; 35.8 - 30.3 = +5.5 points; 397/450 - 1 = -11.8% -> -12%
    assert labels[0] == "505k · 36% · +26% (+5.5 pp)"
    assert labels[1] == "397k · 28% · −12% (−6.0 pp)"
    assert ax.get_title(loc="left") == "Top brands, Taiwan 2012Q2"
    (sub,) = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert sub == "market total 1.41M; change on 2011Q2 (a year before)"
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "note"]
    assert notes == ["Apple listed in 2012Q2 only."]
    assert plots.find_footnote(ax) == "Source: a tracker"


def test_league_table_from_a_frame_and_bad_data():
    ax = plots.plot_league_table(LEAGUE[["brand", "units", "share", "source"]])
    assert [t.get_text() for t in ax.texts if t.get_gid() == "league-label"][0] == "505k · 36%"
    assert plots.find_footnote(ax) == "Source: illustrative"
    with pytest.raises(DataError, match="lacks the column 'units'"):
        plots.plot_league_table(LEAGUE.drop(columns="units"))
    with pytest.raises(DataError, match="several rows"):
        plots.plot_league_table(pd.concat([LEAGUE, LEAGUE.iloc[[0]]]))


def test_a_market_size_raised_to_the_listed_total_is_noted_unasked():
    # the report's case: 2013 IDC shares listed in units (5.67M = 81% of 7M) cap the
    # default -20% market size (5.6M) at 5.67M; the competitors' ranges are +-20%
    # (Samsung 1.568M..2.352M: low/high = 0.8/1.2), the market's 5.67/8.4 is not
    sens = pd.DataFrame(
        {
            "input": [
                "market size",
                "Samsung",
                "HTC",
                "Xiaomi's units",
                "unlisted brands (number)",
            ],
            "low": [5.67e6, 1.568e6, 1.176e6, 112e3, 3.0],
            "high": [8.4e6, 2.352e6, 1.764e6, 168e3, 14.0],
            "prob_low": [1.0, 0.14, 0.13, 0.14, 1.0],
            "prob_high": [0.02, 0.44, 0.35, 0.46, 0.91],
            "prob_base": 0.27,
        }
    )
    ax = plots.plot_sensitivity(sens, brand="Xiaomi")
    (note,) = [
        t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "sensitivity-note"
    ]
    # 8.4M / 1.2 = 7M base; 7M x 0.8 = 5.6M would have been the low end
    assert note.startswith(
        "market size: low end 5.67M, not 5.6M (base 7M − 20%): the listed brands' total"
    )
    assert "A larger Samsung or HTC raises Xiaomi's chance" in note
    assert "unlisted brands (number)" not in note.split("raises")[0]


def test_league_table_of_the_real_result():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analysis.league_table(factories.ww_quarterly(), "2023Q4")
    ax = result.plot()
    frame = result.frame()
    named = frame[~frame["brand"].isin(["Others", "Total"])]
    assert [t.get_text() for t in ax.get_yticklabels()] == [*named["brand"], "Others"]
    assert ax.get_title(loc="left") == "Top brands, Worldwide 2023Q4"
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "league-label"]
    # Apple 80.5M of 326M = 24.7%; 80.5 / 72.3 - 1 = +11.3%; 24.69 - 24.08 = +0.6 points
    assert labels[0] == "80.5M · 25% · +11% (+0.6 pp)"
    (sub,) = [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    assert sub == "market total 326M; change on 2022Q4 (a year before)"
    (note,) = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "note"]
    assert note.startswith("Transsion not listed in 2022Q4")
    assert plots.find_footnote(ax) == "Source: IDC via Statista 271490"

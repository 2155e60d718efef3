"""A frame missing a column a chart needs is bad data: DataError naming the column, for
every chart (issue 11)."""

from __future__ import annotations

import pytest

from analysis import plots
from marketdata import DataError, datasets
from tests import factories


def _cases():
    return {
        "shares": (plots.plot_shares, factories.ww_shares, "share"),
        "ranks": (plots.plot_ranks, factories.ww_ranks, "rank"),
        "concentration": (plots.plot_concentration, factories.ww_concentration, "hhi"),
        "exposure": (plots.plot_exposure, lambda: factories.taiwan_exposure().frame(), "exposure"),
        "entry": (plots.plot_entry, lambda: factories.taiwan_entry().frame(), "share_after"),
        "sensitivity": (plots.plot_sensitivity, factories.grid_sensitivity, "prob_low"),
        "rank_forecast": (
            plots.plot_rank_forecast,
            lambda: factories.taiwan_rank_forecast().frame(),
            "probability",
        ),
        "shipments": (plots.plot_shipments, lambda: datasets.load("xiaomi_2011_2012"), "units"),
    }


@pytest.mark.parametrize("name", sorted(_cases()))
def test_a_missing_column_is_bad_data(name):
    chart, make, column = _cases()[name]
    frame = make().drop(columns=column)
    with pytest.raises(DataError, match=f"lacks the column '{column}'"):
        chart(frame)


@pytest.mark.parametrize("name", ["shares", "ranks", "sensitivity", "rank_forecast"])
def test_an_empty_frame_is_bad_data(name):
    chart, make, _ = _cases()[name]
    with pytest.raises(DataError, match="empty"):
        chart(make().iloc[0:0])


def test_hmd_global_is_not_coloured_as_nokia_in_a_chart():
    # the Taiwan retail rows list "Nokia (HMD Global)", which the data layer reads as
    # HMD Global (a company of its own since 2017)
    tw = datasets.load("taiwan_vendor_share")
    sales = tw[tw["metric"] == "sales"]
    assert "HMD Global" in set(sales["brand"]) and "Nokia" not in set(sales["brand"])
    ax = plots.plot_shares(sales)
    from matplotlib.colors import to_hex

    (band,) = [c for c in ax.collections if c.get_label() == "HMD Global"]
    colour = to_hex(band.get_facecolor()[0]).upper()
    assert colour == plots.brand_color("HMD Global") != plots.BRAND_COLORS["Nokia"]

"""Section: how much of a brand's volume comes from each market, as far as data allows."""

from __future__ import annotations

import pandas as pd

from analysis.report.content import Chart, Section, Table, omitted
from analysis.report.inputs import Inputs
from analysis.report.sections._common import (
    _api,
    _sources,
    _titled,
    pct,
    units_text,
)
from marketdata import schema as s


@_titled("Dependence on markets")
def exposure_section(inputs: Inputs, **_: object) -> Section:
    """How much of a brand's volume comes from each market, as far as the data allows."""
    if inputs.exposure_figures is not None:
        return _htc_taiwan(inputs)
    return _exposure_from_data(inputs)


def _htc_taiwan(inputs: Inputs) -> Section:
    """The founding case: HTC. The data has Taiwan and worldwide, no other market."""
    ww = inputs.exposure_figures
    ww_2012 = ww[ww[s.END] == pd.Timestamp("2012-12-31")]
    market = inputs.market_figures
    htc_tw = market[market[s.BRAND] == "HTC"]
    limits = (
        "The packaged data has no split of HTC's shipments by market: no figure for the United "
        "States (or any market but Taiwan), so HTC's dependence on the American market, which "
        "the news report asserts, cannot be measured here.",
    )
    if ww_2012.empty or htc_tw.empty:
        return Section(
            title="Dependence on markets",
            paragraphs=limits + ("Neither HTC's Taiwan volume nor its worldwide volume is known.",),
            answer="HTC's dependence on the US cannot be measured with the packaged data.",
        )
    world = float(ww_2012[s.UNITS].iloc[0])
    taiwan = float(htc_tw[s.UNITS].iloc[0])
    fraction = taiwan / world
    paragraphs = limits + (
        f"What the data does allow: HTC's Taiwan volume, about {units_text(taiwan)} (its 21% "
        f"2013 IDC share of the {units_text(inputs.market_size)} market, the assumption above), "
        f"against {units_text(world)} shipped worldwide in 2012 (IDC): Taiwan is roughly "
        f"{pct(fraction)} of HTC's volume and the other {pct(1 - fraction)} is outside Taiwan, "
        "in markets the data does not name. The years differ (2013 share, 2012 market size "
        "and worldwide volume), so this is an order of magnitude, not a measurement.",
    )
    rows = (
        ("Taiwan", units_text(taiwan), pct(fraction), "2013 IDC share x 7M (assumption)"),
        (
            "outside Taiwan (not split)",
            units_text(world - taiwan),
            pct(1 - fraction),
            "worldwide 2012 (IDC) minus Taiwan",
        ),
        ("worldwide", units_text(world), "100%", "IDC via Statista, 2012"),
    )
    return Section(
        title="Dependence on markets",
        paragraphs=paragraphs,
        tables=(
            Table(
                ("HTC", "units", "share of HTC's volume", "basis"),
                rows,
                "HTC's volume by market, as far as the data goes",
            ),
        ),
        sources=_sources(ww_2012) + _sources(htc_tw),
        answer=(
            f"HTC: Taiwan is roughly {pct(fraction)} of its volume; the data has no US figure, "
            "so its dependence on the American market cannot be measured here."
        ),
        values={"taiwan_fraction": fraction},
    )


def _exposure_from_data(inputs: Inputs) -> Section:
    figures = inputs.brand_figures
    if s.UNITS not in figures.columns:
        return omitted("Dependence on markets", f"the data has no unit figures for {inputs.brand}")
    rows = figures[figures[s.MARKET].ne(s.WORLDWIDE).fillna(False) & figures[s.UNITS].notna()]
    if s.BASIS in rows.columns:
        rows = rows[rows[s.BASIS] == s.PERIOD]
    if rows.empty or rows[s.MARKET].nunique() < 2:
        return omitted(
            "Dependence on markets",
            f"the data has {inputs.brand}'s figures for fewer than two markets, so its "
            "dependence on any one market cannot be measured",
        )
    exposure = _api("exposure")
    window = rows.groupby([s.START, s.END])[s.MARKET].nunique().idxmax()
    rows = rows[(rows[s.START] == window[0]) & (rows[s.END] == window[1])]
    result = exposure(rows)
    frame = result.frame() if hasattr(result, "frame") else result
    if isinstance(frame, tuple):
        frame = frame[0]
    table_rows = tuple(
        (str(r[s.MARKET]), units_text(r[s.UNITS]), pct(r["exposure"]))
        for _, r in frame.sort_values("exposure", ascending=False).iterrows()
    )

    def draw(ax, title=""):
        from analysis.plots import plot_exposure

        plot_exposure(frame, ax=ax, title=title, source=_sources(rows))

    return Section(
        title="Dependence on markets",
        paragraphs=(
            f"{inputs.brand}'s units by market, {window[0]:%Y-%m-%d} to {window[1]:%Y-%m-%d}.",
        ),
        tables=(Table(("market", "units", "share of volume"), table_rows),),
        charts=(
            Chart("exposure", f"Where {inputs.brand}'s units come from", draw, _sources(rows)),
        ),
        sources=_sources(rows),
        answer=f"{inputs.brand}'s largest market: {table_rows[0][0]} ({table_rows[0][2]}).",
    )

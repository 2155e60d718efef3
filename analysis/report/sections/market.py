"""Sections: the market (shares, ranks, concentration) and the entry scenario."""

from __future__ import annotations

import pandas as pd

from analysis.report.content import Chart, Section, Table, omitted
from analysis.report.inputs import Inputs
from analysis.report.sections._common import (
    _api,
    _bounds,
    _require_market,
    _signed,
    _sources,
    _titled,
    hhi_text,
    pct,
    units_text,
)
from marketdata import schema as s


@_titled("The market")
def market_section(inputs: Inputs, **_: object) -> Section:
    """Shares, ranks and concentration of the market the brand would enter."""
    missing = _require_market(inputs, "The market")
    if missing:
        return missing
    market_share, rank_brands, concentration = _api("market_share", "rank_brands", "concentration")
    figures = inputs.market_figures
    shares = market_share(figures)
    ranks = rank_brands(figures)
    conc = concentration(figures).iloc[0]
    merged = shares.merge(ranks[[s.BRAND, "rank"]], on=s.BRAND, how="left")
    merged = merged.sort_values(["rank", s.BRAND], na_position="last", kind="stable")
    rows = tuple(
        (
            str(r[s.BRAND]),
            units_text(r[s.UNITS]),
            pct(r[s.SHARE]),
            "-" if pd.isna(r["rank"]) else str(int(r["rank"])),
        )
        for _, r in merged.iterrows()
    )
    start, end = figures[s.START].min(), figures[s.END].max()
    hhi = hhi_text(conc["hhi"], (conc.get("hhi_lower"), conc.get("hhi_upper")))
    firms = hhi_text(
        conc.get("equivalent_firms"),
        (conc.get("equivalent_firms_min"), conc.get("equivalent_firms_max")),
        digits=1,
    )
    unknown_tail = ""
    if pd.isna(conc["hhi"]):
        unknown_tail = (
            " The HHI is a range because the residual 'Others' is of unknown make-up: the "
            "low end spreads it over many tiny brands (adding almost nothing), the high end "
            "counts it as one firm."
        )
    paragraphs = (
        f"{inputs.market_name}, {start:%Y-%m-%d} to {end:%Y-%m-%d}: "
        f"{units_text(inputs.market_size)} units in all. HHI {hhi} on the 0-10,000 scale "
        f"({conc.get('band', '')}); the four largest brands hold {pct(conc.get('cr4'))} "
        f"(CR4); equivalent to {firms} equal-sized firms.{unknown_tail}",
    )

    def draw(ax, title=""):
        from analysis.plots import plot_shares

        plot_shares(shares, ax=ax, kind="bar", title=title)

    chart = Chart(
        name="market-shares",
        title=f"{inputs.market_name}: market shares",
        draw=draw,
        sources=_sources(figures),
        caption="Shares of units in the window; 'Others' is everything the source did not list.",
    )
    return Section(
        title="The market",
        paragraphs=paragraphs,
        tables=(Table(("brand", "units", "share", "rank"), rows, "Brands in the market"),),
        charts=(chart,),
        sources=_sources(figures),
        answer=(
            f"{inputs.market_name}'s market: HHI {hhi}, CR4 {pct(conc.get('cr4'))}; "
            f"leader {rows[0][0]} with {rows[0][2]}."
        ),
        values={"concentration": conc},
    )


@_titled("Entry scenario")
def entry_section(inputs: Inputs, **_: object) -> Section:
    """The market after the brand enters with each illustrative volume."""
    missing = _require_market(inputs, "Entry scenario")
    if missing:
        return missing
    if inputs.incumbent:
        return omitted(
            "Entry scenario",
            f"{inputs.brand} already sells in {inputs.market_name}; the entry scenario is for a "
            "brand new to the market",
        )
    if not inputs.volumes:
        return omitted("Entry scenario", "no entry volumes to try")
    entry_scenario = _api("entry_scenario")
    figures = inputs.market_figures
    results = [entry_scenario(figures, inputs.brand, units=v) for v in inputs.volumes]
    rows = []
    for volume, result in zip(inputs.volumes, results, strict=True):
        frame = result.frame()
        own = frame[frame[s.BRAND] == inputs.brand].iloc[0]
        rows.append(
            (
                units_text(volume),
                pct(own["share_after"], 1),
                "-" if pd.isna(own["rank_after"]) else str(int(own["rank_after"])),
                hhi_text(result.hhi_before, _bounds(result, "hhi_before_bounds")),
                hhi_text(result.hhi_after, _bounds(result, "hhi_after_bounds")),
                _signed(result.delta_hhi, _bounds(result, "delta_hhi_bounds")),
            )
        )
    shown = results[len(results) // 2]
    shown_volume = inputs.volumes[len(results) // 2]

    def draw(ax, title=""):
        from analysis.plots import plot_entry

        # the result itself: its ΔHHI subtitle gives the range when 'Others' hides the tail
        plot_entry(shown, ax=ax, brand=inputs.brand, title=title, source=_sources(figures))

    chart = Chart(
        name="entry-scenario",
        title=f"{inputs.brand} enters {inputs.market_name} with {units_text(shown_volume)} "
        "units (assumption)",
        draw=draw,
        sources=_sources(figures),
        caption=(
            f"Assumption: {units_text(shown_volume)} units a year, an illustrative volume; "
            "incumbents lose volume in proportion to their size. HHI "
            f"{hhi_text(shown.hhi_before, _bounds(shown, 'hhi_before_bounds'))} before, "
            f"{hhi_text(shown.hhi_after, _bounds(shown, 'hhi_after_bounds'))} after (ΔHHI "
            f"{_signed(shown.delta_hhi, _bounds(shown, 'delta_hhi_bounds'))})."
        ),
    )
    return Section(
        title="Entry scenario",
        paragraphs=(
            f"{inputs.brand} enters {inputs.market_name} taking each illustrative volume below; "
            "the incumbents give up volume in proportion to their size (the market does not "
            "grow). HHI on the 0-10,000 scale; a range where the make-up of 'Others' is "
            "unknown. The rank counts the listed brands only: brands hidden in 'Others' may "
            "rank above the entrant (the rank forecast below models them).",
        ),
        tables=(
            Table(
                (
                    "entry volume (assumption)",
                    "share",
                    "rank among listed brands",
                    "HHI before",
                    "HHI after",
                    "ΔHHI",
                ),
                tuple(rows),
                "The market after entry",
            ),
        ),
        charts=(chart,),
        assumptions=(
            "Entry volumes are illustrative; incumbents lose share in proportion to size.",
        ),
        sources=_sources(figures),
        answer=(
            f"entry with {rows[0][0]} to {rows[-1][0]} units changes the HHI by "
            f"{rows[0][5]} points (smallest volume) to {rows[-1][5]} (largest)."
        ),
    )

"""Sections: the market (shares, ranks, concentration) and the entry scenario."""

from __future__ import annotations

import pandas as pd

from analysis import concentration, entry_scenario, market_share, rank_brands
from analysis._format import percent_label, units_label, window_label
from analysis.plots import plot_entry, plot_shares
from analysis.report.content import Chart, Section, TableBlock, omitted
from analysis.report.inputs import Inputs
from analysis.report.sections._common import (
    bounds_of,
    guarded,
    hhi_text,
    require_market,
    signed_hhi,
    sources_of,
)
from marketdata import period_label
from marketdata import schema as s

__all__ = ["entry_section", "market_section"]


def pct(value, decimals: int = 0) -> str:
    return "n/a" if value is None or pd.isna(value) else percent_label(value, decimals=decimals)


def _capital(name: str) -> str:
    """A name at the start of a sentence or title: ``The world``, ``Taiwan``."""
    return name[:1].upper() + name[1:]


def _firms(conc) -> str:
    """The equivalent number of equal firms (1/HHI), or its range."""
    value = conc.get("equivalent_firms")
    if value is not None and not pd.isna(value):
        return f"{float(value):.1f}"
    low, high = conc.get("equivalent_firms_min"), conc.get("equivalent_firms_max")
    if low is None or pd.isna(low):
        return "n/a"
    return f"{float(low):.1f}–{float(high):.1f}"


@guarded("The market")
def market_section(inputs: Inputs, **_: object) -> Section:
    """Shares, ranks and concentration of the market the brand would enter."""
    missing = require_market(inputs, "The market")
    if missing:
        return missing
    figures = inputs.market_figures
    shares = market_share(figures)
    ranks = rank_brands(figures)
    conc = concentration(figures).iloc[0]
    merged = shares.merge(ranks[[s.BRAND, "rank"]], on=s.BRAND, how="left")
    merged = merged.sort_values(["rank", s.BRAND], na_position="last", kind="stable")
    rows = tuple(
        (
            str(r[s.BRAND]),
            units_label(r[s.UNITS]),
            pct(r[s.SHARE]),
            "-" if pd.isna(r["rank"]) else str(int(r["rank"])),
        )
        for _, r in merged.iterrows()
    )
    start, end = figures[s.START].min(), figures[s.END].max()
    hhi = hhi_text(conc["hhi"], (conc.get("hhi_lower"), conc.get("hhi_upper")))
    firms = _firms(conc)
    unknown_tail = ""
    if pd.isna(conc["hhi"]):
        unknown_tail = (
            " The HHI is a range because the residual 'Others' is of unknown make-up: the "
            "low end spreads it over many tiny brands (adding almost nothing), the high end "
            "counts it as one firm."
        )
    listed = shares[shares[s.BRAND].notna() & ~shares[s.BRAND].isin(s.RESIDUAL_BRANDS)]
    if pd.notna(conc.get("cr4")):
        top = f"the four largest brands hold {pct(conc.get('cr4'))} (CR4)"
    else:  # fewer than four brands listed: CR4 is not known
        top = f"the {len(listed)} listed brands hold {pct(listed[s.SHARE].sum(), 1)} (CR4 is not known)"
    paragraphs = (
        f"{_capital(inputs.market_name)}, {window_label(start, end)}: "
        f"{units_label(inputs.market_size)} units in all. HHI {hhi} on the 0–10,000 scale "
        f"({conc.get('band', '')}); {top}; equivalent to {firms} equal-sized firms."
        f"{unknown_tail}",
    )

    def draw(ax, title=""):
        plot_shares(shares, ax=ax, kind="bar", title=title)

    chart = Chart(
        name="market-shares",
        title=f"{_capital(inputs.market_name)}: market shares",
        draw=draw,
        sources=sources_of(figures),
        caption="Shares of units in the window; 'Others' is everything the source did not list.",
    )
    return Section(
        title="The market",
        paragraphs=paragraphs,
        tables=(TableBlock(("brand", "units", "share", "rank"), rows, "Brands in the market"),),
        charts=(chart,),
        sources=sources_of(figures),
        answer=(
            f"{inputs.market_name}'s market: HHI {hhi}; leader {rows[0][0]} with {rows[0][2]}."
        ),
        values={"concentration": conc},
        data=(("market shares", merged), ("concentration", conc.to_frame().T)),
    )


@guarded("Entry scenario")
def entry_section(inputs: Inputs, **_: object) -> Section:
    """The market after the brand enters with each illustrative volume."""
    missing = require_market(inputs, "Entry scenario")
    if missing:
        return missing
    if inputs.incumbent:
        return omitted(
            "Entry scenario",
            f"{inputs.brand} already sells {inputs.in_market}; the entry scenario is for a "
            "brand new to the market",
        )
    if inputs.listed_before:
        window = period_label(
            inputs.market_figures[s.START].min(), inputs.market_figures[s.END].max()
        )
        return omitted(
            "Entry scenario",
            f"{inputs.brand} already sells {inputs.in_market} (listed there "
            f"{inputs.listed_before}; not in the latest window, {window}, where its units are "
            "inside 'Others'); the entry scenario is for a brand new to the market",
        )
    if not inputs.volumes:
        return omitted("Entry scenario", "no entry volumes to try")
    figures = inputs.market_figures
    results = [entry_scenario(figures, inputs.brand, units=v) for v in inputs.volumes]
    rows = []
    for volume, result in zip(inputs.volumes, results, strict=True):
        frame = result.frame()
        own = frame[frame[s.BRAND] == inputs.brand].iloc[0]
        rows.append(
            (
                units_label(volume),
                pct(own["share_after"], 1),
                hhi_text(result.hhi_before, bounds_of(result, "hhi_before_bounds")),
                hhi_text(result.hhi_after, bounds_of(result, "hhi_after_bounds")),
                signed_hhi(result.delta_hhi, bounds_of(result, "delta_hhi_bounds")),
            )
        )
    raw = pd.DataFrame(
        {
            "units": list(inputs.volumes),
            "share_after": [
                float(r.frame().set_index(s.BRAND).loc[inputs.brand, "share_after"])
                for r in results
            ],
            "hhi_before": [r.hhi_before for r in results],
            "hhi_after": [r.hhi_after for r in results],
            "delta_hhi": [r.delta_hhi for r in results],
            **{
                f"{name}_{end}": [bounds_of(r, f"{name}_bounds")[i] for r in results]
                for name in ("hhi_before", "hhi_after", "delta_hhi")
                for i, end in enumerate(("lower", "upper"))
            },
        }
    )
    shown = results[len(results) // 2]
    shown_volume = inputs.volumes[len(results) // 2]

    def draw(ax, title=""):
        # the result itself: its ΔHHI subtitle gives the range when 'Others' hides the tail
        plot_entry(shown, ax=ax, brand=inputs.brand, title=title, source=sources_of(figures))

    chart = Chart(
        name="entry-scenario",
        title=f"{inputs.brand} enters {inputs.market_name} with {units_label(shown_volume)} "
        "units (assumption)",
        draw=draw,
        sources=sources_of(figures),
        caption=(
            f"Assumption: {units_label(shown_volume)} units a year, an illustrative volume; "
            "incumbents lose volume in proportion to their size. HHI "
            f"{hhi_text(shown.hhi_before, bounds_of(shown, 'hhi_before_bounds'))} before, "
            f"{hhi_text(shown.hhi_after, bounds_of(shown, 'hhi_after_bounds'))} after (ΔHHI "
            f"{signed_hhi(shown.delta_hhi, bounds_of(shown, 'delta_hhi_bounds'))})."
        ),
    )
    return Section(
        title="Entry scenario",
        paragraphs=(
            f"{inputs.brand} enters {inputs.market_name} taking each illustrative volume below; "
            "the incumbents give up volume in proportion to their size (the market does not "
            "grow). HHI on the 0–10,000 scale; a range where the make-up of 'Others' is "
            "unknown. Ranks are in the rank forecast, which counts the brands hidden in "
            "'Others' too.",
        ),
        data=(("entry by volume", raw), ("entry chart", shown.frame())),
        tables=(
            TableBlock(
                (
                    "entry volume (assumption)",
                    "share",
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
        sources=sources_of(figures),
        answer=(
            f"entry with {rows[0][0]} to {rows[-1][0]} units changes the HHI by "
            f"{rows[0][4]} points (smallest volume) to {rows[-1][4]} (largest)."
        ),
    )

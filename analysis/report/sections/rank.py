"""Section: the rank forecast and the volume that buys a top-ten place.

One headline answer to "what buys a top-ten place": the volume with an 80% chance under
the section's stated assumptions (the incumbents' spread, the brands hidden in the
residual), rounded to two significant digits so that the Monte Carlo draws do not move it.
Every other number on the page (the table, the chart, the tornado) comes from the same
model.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis import project_rank, sensitivity, units_for_rank_probability
from analysis._format import probability_label, units_label
from analysis.plots import plot_rank_forecast, plot_sensitivity
from analysis.report.content import Chart, Section, TableBlock, omitted
from analysis.report.inputs import Inputs
from analysis.report.sections._common import TOP, guarded, require_market, sources_of
from marketdata import schema as s
from marketdata.errors import DataWarning

__all__ = ["HEADLINE", "INCUMBENT_CV", "headline_units", "rank_section"]

INCUMBENT_CV = 0.15  # illustrative: how much each incumbent's volume may differ from its figure
HEADLINE = 0.8  # the chance the headline volume buys
TITLE = "Rank forecast"


def headline_units(units: float) -> str:
    """The headline volume, rounded to two significant digits (``140k``, ``1.2M``).

    Examples
    --------
    >>> headline_units(141_234), headline_units(1_234_000)
    ('140k', '1.2M')
    """
    return units_label(float(f"{units:.2g}"), digits=2)


def _options(inputs: Inputs, seed: int, draws: int) -> dict:
    options = {"seed": seed, "draws": draws, "top": TOP, "cv": INCUMBENT_CV}
    if inputs.unlisted is not None:
        options.update(unlisted=inputs.unlisted, split=inputs.split)
    if inputs.tail_ratio is not None:
        options.update(tail_ratio=inputs.tail_ratio)
    return options


def _volume_for_top(figures, inputs, prob, options) -> float | None:
    """The least volume with ``prob`` chance of a top-ten place; None when the market as
    modelled has fewer than ten other brands (any volume is in the top ten)."""
    run = {k: v for k, v in options.items() if k != "top"}
    try:
        return units_for_rank_probability(figures, TOP, prob=prob, brand=inputs.brand, **run)
    except ValueError as error:
        if "impossible" in str(error):
            return None
        raise


def _unlisted_words(forecast) -> str:
    listed = forecast.inputs[forecast.inputs["kind"] == "unlisted"]
    if listed.empty:
        return "no unlisted brands"
    each = listed["units"]
    if np.allclose(each, each.iloc[0]):
        return f"{len(each)} unlisted brands of {units_label(each.iloc[0])} each"
    units = each.to_numpy(dtype=float)
    ratio = f", each {units[1] / units[0]:.0%} of the one above" if units[0] > 0 else ""
    return (
        f"{len(units)} unlisted brands of {units_label(units.max())} down to "
        f"{units_label(units.min())}{ratio}"
    )


def _ranks(low: int, high: int) -> str:
    """The central 80% of ranks: "7–9", or "3" when every one of them is rank 3."""
    return f"{low}" if low == high else f"{low}–{high}"


@guarded(TITLE)
def rank_section(inputs: Inputs, *, seed: int = 0, draws: int = 2000) -> Section:
    """Probability of a top-ten place at each volume, and the volume that buys it."""
    missing = require_market(inputs, TITLE)
    if missing:
        return missing
    volumes = inputs.volumes
    if inputs.incumbent and not volumes:
        own = inputs.market_figures[inputs.market_figures[s.BRAND] == inputs.brand]
        volumes = (float(own[s.UNITS].iloc[0]),)  # its reported volume, not an assumption
    if not volumes:
        return omitted(TITLE, "no entry volumes to try")
    figures = inputs.market_figures
    options = _options(inputs, seed, draws)
    # the tail rules are varied in the sensitivity below, not rerun for every volume
    forecasts = [
        project_rank(figures, inputs.brand, v, tail_sensitivity=False, **options) for v in volumes
    ]
    rows = tuple(
        (
            units_label(v),
            probability_label(f.prob_top(TOP)),
            str(f.median_rank),
            _ranks(f.quantile(0.1), f.quantile(0.9)),
            str(f.deterministic_rank),
        )
        for v, f in zip(volumes, forecasts, strict=True)
    )
    needed = _volume_for_top(figures, inputs, HEADLINE, options)
    middle = len(forecasts) // 2
    shown, shown_volume = forecasts[middle], volumes[middle]
    tail = _unlisted_words(shown)
    assumption = (
        f"each incumbent's volume varies around its figure with a {INCUMBENT_CV:.0%} "
        f"coefficient of variation (illustrative); the residual the source does not list is "
        f"{tail}"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        swings = _sensitivity(inputs, shown_volume, options)
    sensitivity_notes = tuple(
        dict.fromkeys(
            f"In the sensitivity runs: {w.message}"
            for w in caught
            if issubclass(w.category, DataWarning)
        )
    )
    sources = sources_of(figures)
    charts, left_out = _charts(inputs, shown, shown_volume, swings, sources, tail, draws, seed)
    where = inputs.in_market
    if needed is None:
        headline = (
            f"The market as modelled has fewer than {TOP} other brands ({tail}), so any "
            f"volume gives a top-{TOP} place: the answer rests on how many brands the "
            "source left out."
        )
        answer = f"fewer than {TOP} other brands {where} as modelled ({tail}); "
    else:
        headline = (
            f"About {headline_units(needed)} units a year give {inputs.brand} an "
            f"{HEADLINE:.0%} chance of a top-{TOP} place {where}, assuming {assumption}."
        )
        answer = (
            f"about {headline_units(needed)} units a year buy a top-{TOP} place {where} "
            f"with {HEADLINE:.0%} probability ({tail}); "
        )
    answer += (
        f"with {units_label(shown_volume)} units {inputs.brand} most likely ranks "
        f"{shown.median_rank} (P(top {TOP}) {probability_label(shown.prob_top(TOP))})."
    )
    paragraphs = (
        headline,
        f"Ranks count every brand, the unlisted ones included. With "
        f"{units_label(shown_volume)} units the median rank is {shown.median_rank} and 80% "
        + (
            f"of the draws give rank {shown.quantile(0.1)}."
            if shown.quantile(0.1) == shown.quantile(0.9)
            else f"of the draws lie between ranks {shown.quantile(0.1)} and {shown.quantile(0.9)}."
        ),
    )
    table = pd.DataFrame(
        {
            "units": list(volumes),
            "probability_top": [f.prob_top(TOP) for f in forecasts],
            "median_rank": [f.median_rank for f in forecasts],
            "rank_p10": [f.quantile(0.1) for f in forecasts],
            "rank_p90": [f.quantile(0.9) for f in forecasts],
            "rank_no_uncertainty": [f.deterministic_rank for f in forecasts],
        }
    )
    data = [("rank by volume", table), ("rank forecast chart", shown.frame())]
    if swings is not None:
        data.append(("sensitivity chart", swings))
    model_notes = tuple(dict.fromkeys(shown.assumptions + shown.warnings + sensitivity_notes))
    return Section(
        title=TITLE,
        paragraphs=paragraphs,
        tables=(
            TableBlock(
                (
                    "volume (reported)"
                    if inputs.incumbent
                    else (
                        "volume (assumption)"
                        if inputs.listed_before
                        else "entry volume (assumption)"
                    ),
                    f"P(top {TOP})",
                    "median rank",
                    "80% of draws",
                    "rank, no uncertainty",
                ),
                rows,
                "Rank at each volume",
            ),
        ),
        charts=charts,
        assumptions=(assumption[0].upper() + assumption[1:] + ".",),
        notes=model_notes,
        sources=tuple(
            dict.fromkeys(
                sources + tuple(x for a in inputs.alternatives for x in sources_of(a.figures))
            )
        ),
        answer=answer,
        values={
            "needed": needed,
            "prob_top": [f.prob_top(TOP) for f in forecasts],
            "median_rank": [f.median_rank for f in forecasts],
        },
        left_out=left_out,
        data=tuple(data),
    )


def _sensitivity(inputs: Inputs, volume: float, options: dict) -> pd.DataFrame | None:
    """One-at-a-time swings, with the labelled alternative markets as rows of their own."""
    words = {
        "market_size": "market size (±20%)",
        "units": f"{inputs.brand}'s units (±20%)",
        "unlisted": "unlisted brands (half, twice)",
    }
    figures = inputs.market_figures
    swings = sensitivity(figures, inputs.brand, volume, **options)
    swings = swings.assign(
        input=swings["input"].map(lambda x: words.get(x, f"{x}'s units (±20%)")),
        low=swings["low"].astype(object),
        high=swings["high"].astype(object),
    )
    base = float(swings["prob_base"].iloc[0])
    extra = []
    for alternative in inputs.alternatives:
        other = project_rank(
            alternative.figures, inputs.brand, volume, tail_sensitivity=False, **options
        ).prob_top(TOP)
        extra.append(
            {
                "input": alternative.label,
                "low": "base",
                "high": "alternative",
                "prob_low": base,
                "prob_high": other,
                "prob_base": base,
            }
        )
    if extra:
        swings = pd.concat([swings, pd.DataFrame(extra)], ignore_index=True)
    return swings


def _charts(inputs, shown, shown_volume, swings, sources, tail, draws, seed):
    def draw_forecast(ax, title=""):
        # the chart states the unlisted-brands assumption under its title itself
        plot_rank_forecast(shown, ax=ax, top=TOP, brand=inputs.brand, title=title, source=sources)

    charts = [
        Chart(
            name="rank-forecast",
            title=f"{inputs.brand}'s rank {inputs.in_market} with {units_label(shown_volume)} "
            f"units ({'reported' if inputs.incumbent else 'assumption'})",
            draw=draw_forecast,
            sources=sources,
            caption=(
                f"Probability of each rank from {draws:,} simulated draws (seed {seed}). "
                f"Assumptions: each incumbent's volume varies around its figure with a "
                f"{INCUMBENT_CV:.0%} coefficient of variation (illustrative); {tail}."
            ),
        )
    ]
    left_out = []
    probabilities = swings[["prob_low", "prob_high", "prob_base"]].to_numpy(dtype=float)
    if np.isin(probabilities, (0.0, 1.0)).all():
        left_out.append(
            (
                f"What moves {inputs.brand}'s chance of a top-ten place",
                "every probability in it is exactly 0% or 100% (no input moves the answer "
                "off certainty), so a tornado chart would show nothing",
            )
        )
        return tuple(charts), tuple(left_out)

    def draw_sensitivity(ax, title=""):
        plot_sensitivity(swings, ax=ax, title=title, xlabel=f"P(top {TOP})", source=sources)

    alternatives = " ".join(f"{a.label}: {a.note}" for a in inputs.alternatives)
    charts.append(
        Chart(
            name="rank-sensitivity",
            title=f"What moves {inputs.brand}'s chance of a top-ten place",
            draw=draw_sensitivity,
            sources=sources,
            caption=(
                f"P(top {TOP}) at {units_label(shown_volume)} units when each input moves "
                "over its range (one at a time, same random draws). A bigger competitor can "
                "raise the chance: in a market of fixed size it shrinks what is left for the "
                "unlisted brands."
                + (f" Labelled alternatives: {alternatives}" if alternatives else "")
            ),
        )
    )
    return tuple(charts), tuple(left_out)

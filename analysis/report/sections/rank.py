"""Section: the rank forecast and the volume that buys a top-ten place."""

from __future__ import annotations

from analysis.report.content import Chart, Section, Table, omitted
from analysis.report.inputs import Inputs
from analysis.report.sections._common import (
    TOP,
    _api,
    _require_market,
    _sources,
    _titled,
    pct,
    units_text,
)
from marketdata import schema as s

INCUMBENT_CV = 0.15  # illustrative: how much each incumbent's volume may differ from its figure


@_titled("Rank forecast")
def rank_section(inputs: Inputs, *, seed: int = 0, draws: int = 2000) -> Section:
    """Probability of a top-ten place at each volume, and the volume that buys it."""
    missing = _require_market(inputs, "Rank forecast")
    if missing:
        return missing
    volumes = inputs.volumes
    if inputs.incumbent and not volumes:
        own = inputs.market_figures[inputs.market_figures[s.BRAND] == inputs.brand]
        volumes = (float(own[s.UNITS].iloc[0]),)  # its reported volume, not an assumption
    if not volumes:
        return omitted("Rank forecast", "no entry volumes to try")
    project_rank, units_for_rank_probability, sensitivity = _api(
        "project_rank", "units_for_rank_probability", "sensitivity"
    )
    figures = inputs.market_figures
    options = {"top": TOP, "draws": draws, "seed": seed, "cv": INCUMBENT_CV}
    forecasts = [project_rank(figures, inputs.brand, v, **options) for v in volumes]
    rows = tuple(
        (
            units_text(v),
            pct(f.prob_top(TOP)),
            f"{f.expected_rank:.1f}",
            f"{f.median_rank:.0f}",
        )
        for v, f in zip(volumes, forecasts, strict=True)
    )

    # As reported (no uncertainty, cv=0) the threshold is exact; then with the incumbents'
    # volumes uncertain, the volume that gives a top-ten place with 50% and 80% probability.
    def volume_for_top(prob: float, cv: float, n: int) -> float | None:
        try:
            return units_for_rank_probability(
                figures, TOP, prob=prob, brand=inputs.brand, draws=n, seed=seed, cv=cv
            )
        except ValueError as error:  # fewer than TOP brands: any volume gives a top place
            if "impossible" in str(error):
                return None
            raise

    as_reported = volume_for_top(1.0, 0.0, 100)
    needed = {p: volume_for_top(p, INCUMBENT_CV, draws) for p in (0.5, 0.8)}
    units_for_rank = _api("units_for_rank")
    bound = units_for_rank(figures, TOP).iloc[0]
    middle = len(forecasts) // 2
    shown, shown_volume = forecasts[middle], volumes[middle]
    import warnings

    from marketdata.errors import DataWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        swings = sensitivity(figures, inputs.brand, shown_volume, **options)
    sensitivity_notes = tuple(
        dict.fromkeys(
            f"In the sensitivity runs: {w.message}"
            for w in caught
            if issubclass(w.category, DataWarning)
        )
    )
    sources = _sources(figures)

    def draw_forecast(ax, title=""):
        from analysis.plots import plot_rank_forecast

        plot_rank_forecast(shown, ax=ax, top=TOP, brand=inputs.brand, title=title, source=sources)

    def draw_sensitivity(ax, title=""):
        from analysis.plots import plot_sensitivity

        # sensitivity()'s input names are code; the chart says in words what moves
        words = {
            "market_size": "market size",
            "units": f"{inputs.brand}'s units",
            "unlisted": "unlisted brands (number)",
        }
        labelled = swings.assign(input=swings["input"].map(lambda x: words.get(x, x)))
        plot_sensitivity(labelled, ax=ax, title=title, xlabel=f"P(top {TOP})", source=sources)

    charts = (
        Chart(
            name="rank-forecast",
            title=f"{inputs.brand}'s rank in {inputs.market_name} with "
            f"{units_text(shown_volume)} units ({'reported' if inputs.incumbent else 'assumption'})",
            draw=draw_forecast,
            sources=sources,
            caption=(
                f"Probability of each rank from {draws:,} simulated draws (seed {seed}). "
                f"Assumption: each incumbent's volume varies around its figure with a "
                f"coefficient of variation of {INCUMBENT_CV:.0%} (illustrative)."
            ),
        ),
        Chart(
            name="rank-sensitivity",
            title=f"What moves {inputs.brand}'s chance of a top-ten place",
            draw=draw_sensitivity,
            sources=sources,
            caption=(
                f"P(top {TOP}) at {units_text(shown_volume)} units when each input moves over "
                "its range (one at a time, same random draws)."
            ),
        ),
    )
    model_notes = tuple(dict.fromkeys(shown.assumptions + shown.warnings + sensitivity_notes))
    span = f"{rows[0][0]}-{rows[-1][0]}" if len(rows) > 1 else rows[0][0]
    chance = f"{rows[0][1]}-{rows[-1][1]}" if len(rows) > 1 else rows[0][1]
    if as_reported is None:
        needed_words = (
            f"The market as modelled has fewer than {TOP} brands, so any volume gives a top-"
            f"{TOP} place.",
        )
        answer = f"fewer than {TOP} brands in {inputs.market_name} as modelled; "
    else:
        needed_words = (
            f"A top-ten place in {inputs.market_name} takes {units_text(as_reported)} units a "
            f"year if every brand sells exactly its figure. With the incumbents' volumes "
            f"uncertain (an illustrative {INCUMBENT_CV:.0%} CV each), "
            f"{units_text(needed[0.5])} gives an even chance and {units_text(needed[0.8])} an "
            "80% chance.",
            _bound_text(bound, inputs.market_name),
        )
        answer = (
            f"a top-ten place in {inputs.market_name} takes about {units_text(as_reported)} "
            f"units a year as reported ({units_text(needed[0.8])} for an 80% chance); "
        )
    answer += f"with {span} units the probability of a top-{TOP} place is {chance}."
    return Section(
        title="Rank forecast",
        paragraphs=needed_words,
        tables=(
            Table(
                (
                    "volume (reported)" if inputs.incumbent else "entry volume (assumption)",
                    f"P(top {TOP})",
                    "expected rank",
                    "median rank",
                ),
                rows,
                "Rank at each volume",
            ),
        ),
        charts=charts,
        assumptions=(
            f"Incumbents' volumes vary with a {INCUMBENT_CV:.0%} coefficient of variation "
            "(illustrative).",
        ),
        notes=model_notes,
        sources=sources,
        answer=answer,
        values={
            "as_reported": as_reported,
            "needed": needed,
            "prob_top": [f.prob_top(TOP) for f in forecasts],
        },
    )


def _bound_text(bound, market_name: str) -> str:
    """Words for units_for_rank's row: exact, or an upper bound when the holder is unlisted."""
    fixed = units_text(bound["units_market_fixed"])
    if bool(bound["exact"]):
        return (
            f"Without uncertainty, rank {TOP} in {market_name} is held by {bound['brand']}; "
            f"more than {fixed} units take it (market of fixed size)."
        )
    return (
        f"With the figures as reported and whatever the make-up of 'Others' (no unlisted brand "
        f"sells more than the smallest listed one), more than {fixed} units are sure to give a top-{TOP} place in a market "
        "of fixed size: an upper bound on what is needed, with no assumption about the tail."
    )

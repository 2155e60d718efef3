"""The report's sections: each one runs a piece of the analysis and puts it into words.

Each builder takes the report's :class:`~analysis.report.inputs.Inputs` and returns a
:class:`~analysis.report.content.Section`. A section whose analysis is not available (an
API this version lacks) or whose data is missing comes back *omitted*, with the reason,
which the report states on its pages; nothing is ever filled with placeholder numbers.
"""

from __future__ import annotations

import pandas as pd

from analysis.report.content import Chart, Section, Table, omitted
from analysis.report.inputs import Inputs
from marketdata import schema as s

TOP = 10  # the place that counts: a top-ten brand


class Unavailable(Exception):
    """An analysis function this report needs is not part of this version."""


def _api(*names: str):
    import analysis

    found = []
    for name in names:
        value = getattr(analysis, name, None)
        if value is None:
            raise Unavailable(f"analysis.{name} is not available in this version of the toolkit")
        found.append(value)
    return found[0] if len(found) == 1 else found


def units_text(value: float | None) -> str:
    """Units in words-friendly short form: 35k, 1.47M, 5M.

    Examples
    --------
    >>> units_text(5_000_000), units_text(1_470_000), units_text(35_000), units_text(None)
    ('5M', '1.47M', '35k', 'n/a')
    """
    if value is None or pd.isna(value):
        return "n/a"
    from analysis.plots.style import format_units_short

    return format_units_short(float(value))


def pct(value: float | None, decimals: int = 0) -> str:
    """A fraction as a percentage; 'n/a' for missing.

    Examples
    --------
    >>> pct(0.283), pct(0.0625, 1), pct(None)
    ('28%', '6.2%', 'n/a')
    """
    if value is None or pd.isna(value):
        return "n/a"
    return f"{100 * float(value):.{decimals}f}%"


def hhi_text(value, bounds=(None, None), *, digits: int = 0) -> str:
    """An HHI (or other measure) as a number, or as the range its bounds allow.

    Examples
    --------
    >>> hhi_text(1800.0), hhi_text(float("nan"), (1659.0, 2020.0))
    ('1,800', '1,659-2,020')
    >>> hhi_text(float("nan"), (-76.0, -61.7)), hhi_text(None)
    ('-76 to -62', 'n/a')
    """
    if value is not None and not pd.isna(value):
        return f"{float(value):,.{digits}f}"
    low, high = bounds
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "n/a"
    joint = " to " if float(low) < 0 or float(high) < 0 else "-"
    return f"{float(low):,.{digits}f}{joint}{float(high):,.{digits}f}"


def _sources(frame: pd.DataFrame | None) -> tuple[str, ...]:
    if frame is None or s.SOURCE not in frame.columns:
        return ()
    return tuple(dict.fromkeys(frame[s.SOURCE].dropna().astype(str)))


def guarded(builder):
    """Run a section builder; an unavailable API gives an omitted section with the reason."""

    def run(inputs: Inputs, **options) -> Section:
        import dataclasses
        import warnings

        from marketdata.errors import DataWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            try:
                section = builder(inputs, **options)
            except Unavailable as missing:
                return omitted(builder.title, str(missing))
        said = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
        for w in caught:  # other warnings go on to the caller
            if not issubclass(w.category, DataWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if said:
            notes = tuple(dict.fromkeys(section.notes + tuple(f"Warning: {m}" for m in said)))
            section = dataclasses.replace(section, notes=notes)
        return section

    run.title = builder.title
    run.__name__ = builder.__name__
    run.__doc__ = builder.__doc__
    return run


def _titled(title: str):
    def mark(function):
        function.title = title
        return guarded(function)

    return mark


# -- projection and target -------------------------------------------------------------


def _attainment_row(result) -> dict:
    """The first row of a target_attainment result as a dict."""
    frame = result.frame() if hasattr(result, "frame") else pd.DataFrame(result)
    return frame.iloc[0].to_dict()


def _first(row: dict, *names: str):
    for name in names:
        if name in row and row[name] is not None and not pd.isna(row[name]):
            return row[name]
    return None


@_titled("Projection and target")
def projection_section(inputs: Inputs, *, seed: int = 0, draws: int = 2000) -> Section:
    """Project the brand's shipments and read its target both ways."""
    fit, target_attainment = _api("fit", "target_attainment")
    figures = inputs.brand_figures
    if figures.empty or s.UNITS not in figures.columns:
        return omitted("Projection and target", f"the data has no unit figures for {inputs.brand}")
    projection = fit(figures, model="auto", brand=inputs.brand, seed=seed)
    last = pd.Timestamp(figures[s.END].max())
    by = inputs.by if inputs.by is not None else last + pd.DateOffset(months=12)
    band = projection.interval(0.8, dates=[by]).iloc[0]
    paragraphs = [
        f"Model: {projection.model} ({projection.uncertainty}). Fitted to {len(projection.data)} "
        f"figure(s) up to {last:%d %B %Y}. Median projection of cumulative shipments by "
        f"{by:%d %B %Y}: {units_text(band['median'])} (80% interval "
        f"{units_text(band['lower'])}-{units_text(band['upper'])}).",
    ]
    paragraphs += [f"Warning from the fit: {w}" for w in projection.warnings]
    tables = []
    answer = (
        f"{inputs.brand}'s projected cumulative shipments by {by:%d %B %Y}: "
        f"{units_text(band['median'])} (80% interval {units_text(band['lower'])}-"
        f"{units_text(band['upper'])})."
    )
    values = {"median": float(band["median"])}
    if inputs.target is not None:
        # basis "unclear": both readings, 2012 alone and since launch
        attainment = target_attainment(
            projection, inputs.target, by, basis=s.UNCLEAR, n=max(draws, 1000), seed=seed
        ).frame()
        readings = {"since launch": "since launch", "period alone": f"{by.year} alone"}
        attainment = attainment.assign(
            reading=attainment["reading"].map(lambda r: readings.get(str(r), str(r)))
        )
        rows = tuple(
            (
                str(r["reading"]),
                pct(r["probability"]),
                f"{units_text(r['median'])} ({units_text(r['lower'])}-{units_text(r['upper'])})",
                units_text(r["achieved"]),
                units_text(r["required_rate"]),
                units_text(r["current_rate"]),
                "-" if pd.isna(r["expected_date"]) else f"{r['expected_date']:%Y-%m-%d}",
            )
            for _, r in attainment.iterrows()
        )
        tables.append(
            Table(
                columns=(
                    "reading",
                    f"P(reach {units_text(inputs.target)})",
                    f"projected by {by:%Y-%m-%d} (80%)",
                    "achieved",
                    "needed / year",
                    "current / year",
                    "expected date",
                ),
                rows=rows,
                title=f"The {units_text(inputs.target)} target by {by:%d %B %Y}, both readings",
            )
        )
        probabilities = dict(zip(attainment["reading"], attainment["probability"], strict=True))
        values["attainment"] = attainment
        paragraphs.append(
            "The source does not say whether the target counts units since launch or units "
            f"shipped in {by.year} alone, so both readings are shown. 'Since launch' compares "
            f"cumulative shipments by {by:%d %B %Y} with the target; '{by.year} alone' "
            f"subtracts the units shipped by 31 December {by.year - 1}. 'needed / year' is "
            "the pace from the last reported figure that reaches the target exactly on time."
        )
        answer = (
            f"{units_text(inputs.target)} by {by:%d %B %Y}: "
            + "; ".join(f"probability {pct(p)} read {r}" for r, p in probabilities.items())
            + f" (median cumulative projection {units_text(band['median'])})."
        )
    sources = _sources(figures)

    def draw(ax, title=""):
        from analysis.plots import plot_shipments

        target = (inputs.target, by) if inputs.target is not None else None
        horizon = by if by > last else last + pd.DateOffset(months=12)
        dates = pd.date_range(last, horizon, periods=60).normalize().unique()
        plot_shipments(
            projection,
            ax=ax,
            target=target,
            today=last,
            dates=dates,
            title=title,
            source=sources,
        )

    chart = Chart(
        name="shipments-projection",
        title=f"{inputs.brand}: shipments and projection",
        draw=draw,
        sources=tuple(dict.fromkeys(sources)),
        caption=(
            "Reported cumulative figures (triangles: the source said 'over'), the median "
            f"projection with 50% and 90% fans, and the target. Projection seeded ({seed})."
        ),
    )
    return Section(
        title="Projection and target",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        charts=(chart,),
        sources=tuple(dict.fromkeys(sources)),
        answer=answer,
        values=values,
    )


# -- the market ------------------------------------------------------------------------


def _require_market(inputs: Inputs, title: str) -> Section | None:
    if inputs.market_figures is None or inputs.market_figures.empty:
        return omitted(title, f"the data has no brand figures for {inputs.market_name}")
    return None


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
            "low end spreads it over many brands no larger than the smallest listed one, the "
            "high end over as few as possible."
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

        # A result whose HHI is only known as a range (unknown 'Others') is drawn from its
        # frame, without the single-number HHI subtitle; the caption gives the range.
        data = shown if not pd.isna(shown.delta_hhi) else shown.frame()
        plot_entry(data, ax=ax, brand=inputs.brand, title=title, source=_sources(figures))

    chart = Chart(
        name="entry-scenario",
        title=f"{inputs.brand} enters {inputs.market_name} with {units_text(shown_volume)} units",
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


def _bounds(result, name: str) -> tuple:
    value = getattr(result, name, None)
    return tuple(value) if value is not None else (None, None)


def _signed(value, bounds) -> str:
    """A change in points with its sign, or the range its bounds allow.

    Examples
    --------
    >>> _signed(-88.0, (None, None)), _signed(float("nan"), (-76.0, -61.7))
    ('-88', '-76 to -62')
    """
    if value is not None and not pd.isna(value):
        return f"{float(value):+,.0f}"
    low, high = bounds
    if low is None or pd.isna(low):
        return "n/a"
    return f"{float(low):+,.0f} to {float(high):+,.0f}"


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

        plot_sensitivity(swings, ax=ax, title=title, xlabel=f"P(top {TOP})", source=sources)

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


# -- dependence on markets -------------------------------------------------------------


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


BUILDERS = (projection_section, market_section, entry_section, rank_section, exposure_section)

"""Section: the brand's projected shipments and its target, both readings."""

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

# the packaged series whose run-rate errors give the projection's empirical intervals
HISTORY = "worldwide_quarterly_shipments_by_vendor"


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
            projection, inputs.target, by, basis=s.UNCLEAR, draws=max(draws, 1000), seed=seed
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
    section_sources = list(sources)
    if "packaged IDC" in projection.uncertainty:
        # the intervals come from the packaged IDC quarterly history: name its source too
        from marketdata import datasets

        history = datasets.load(HISTORY)
        section_sources += [
            f"{src} ({HISTORY}, {history[s.START].min():%Y}-{history[s.END].max():%Y}: "
            "the error history behind the projection's intervals)"
            for src in _sources(history)
        ]
    return Section(
        title="Projection and target",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        charts=(chart,),
        sources=tuple(dict.fromkeys(section_sources)),
        answer=answer,
        values=values,
    )

"""Section: the brand's projected shipments and its target, in the reading(s) that apply."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import fit, target_attainment
from analysis._format import count_label, probability_label, range_label, units_label
from analysis.plots import plot_shipments
from analysis.report.content import Chart, Section, TableBlock, omitted
from analysis.report.inputs import Inputs, Target
from analysis.report.sections._common import guarded, sources_of
from marketdata import datasets
from marketdata import schema as s

__all__ = ["LEVEL", "projection_section"]

# the packaged series whose run-rate errors give the projection's empirical intervals
HISTORY = "worldwide_quarterly_shipments_by_vendor"
ANNUAL_HISTORY = "worldwide_annual_shipments_by_vendor"
LEVEL = 0.8  # the one interval level of the section's tables, text and chart
TITLE = "Projection and target"


_PERIODS = {"Q": "quarter", "M": "month", "Y": "year"}


def _reading(reading: str, target: Target) -> str:
    """``since launch`` or ``within 2012`` (the target's window)."""
    return "since launch" if reading == "since launch" else f"within {target.window}"


def _day(date: pd.Timestamp) -> str:
    return f"{date.day} {date:%B %Y}"


def _last_figure(figures: pd.DataFrame) -> pd.Series:
    return figures.sort_values(s.END, kind="stable").iloc[-1]


def _reported(row: pd.Series) -> str:
    """The figure as the source gave it: ``over 3M``."""
    qualifier = row.get(s.QUALIFIER)
    words = {"over": "over ", "under": "under ", "approx": "about "}
    prefix = words.get(str(qualifier), "") if pd.notna(qualifier) else ""
    return f"{prefix}{units_label(row[s.UNITS])}"


def _basis(target: Target, inputs: Inputs) -> str:
    """The basis passed to target_attainment: as set, else both (or the period only when
    the figures are per period, so units since launch are not known)."""
    if target.basis is not None:
        return target.basis
    return s.UNCLEAR if inputs.cumulative else s.PERIOD


def _basis_words(target: Target, inputs: Inputs, basis: str) -> str:
    who = "The source does" if target.origin == "the source" else "You did"
    if target.basis is not None:
        reading = "since launch" if basis == s.CUMULATIVE else f"within {target.window}"
        return f"The target is read as units {reading} (--target-basis)."
    if basis == s.UNCLEAR:
        return (
            f"{who} not say whether the target counts units since launch or units shipped "
            f"within {target.window}, so both readings are shown (choose one with --target-basis). "
            f"'Since launch' compares cumulative shipments by {_day(target.by)} with the "
            f"target; 'within' subtracts the units shipped before "
            f"{_day(target.start)}."
        )
    return (
        f"{who} not say how the target counts; {inputs.brand}'s figures are units per "
        "period, so units since launch are not known and the target is read as units "
        f"within {target.window} (say so with --target-basis period)."
    )


@guarded(TITLE)
def projection_section(inputs: Inputs, *, seed: int = 0, draws: int = 2000) -> Section:
    """Project the brand's shipments and read its target as it applies."""
    figures = inputs.brand_figures
    if figures.empty or s.UNITS not in figures.columns or figures[s.UNITS].isna().all():
        return omitted(TITLE, f"the data has no unit figures for {inputs.brand}")
    projection = fit(figures, model="auto", brand=inputs.brand, seed=seed)
    last = pd.Timestamp(figures[s.END].max())
    target = inputs.target
    by = target.by if target is not None else last + pd.DateOffset(months=12)
    level = f"{LEVEL:.0%} interval"
    tables: list[TableBlock] = []
    data: list[tuple[str, pd.DataFrame]] = [("projection", projection.interval(LEVEL))]
    values: dict = {}
    attainment = None
    if target is not None:
        basis = _basis(target, inputs)
        attainment = target_attainment(
            projection,
            target.units,
            by,
            basis=basis,
            start=target.start,
            level=LEVEL,
            draws=draws,
            seed=seed,
        ).frame()
        band = attainment.iloc[0]
        what = (
            "cumulative shipments"
            if band["reading"] == "since launch"
            else f"shipments within {target.window}"
        )
    elif inputs.cumulative:
        band = projection.interval(LEVEL, dates=[by]).iloc[0]
        what = "cumulative shipments"
    else:
        # units per period: the headline is the units of the next twelve months, not a
        # total counted from whatever the file's first figure happens to be
        band = _window_band(projection, last, by, draws, seed)
        what = f"shipments from {_day(last + pd.Timedelta(days=1))} to {_day(by)}"
    until = "" if what.startswith("shipments from") else f" by {_day(by)}"
    # one median and interval for the text, the table and the title page's answer
    headline = (
        f"{units_label(band['median'])} ({level} {range_label(band['lower'], band['upper'])})"
    )
    values["median"] = float(band["median"])
    paragraphs = [
        f"Model: {projection.model} ({projection.uncertainty}). Fitted to "
        f"{count_label(len(projection.data), 'figure')} up to {_day(last)}. Median projection "
        f"of {what}{until}: "
        f"{headline}.",
    ]
    paragraphs += [f"Warning from the fit: {w}" for w in projection.warnings]
    answer = f"{inputs.brand}'s projected {what}{until}: {headline}."
    if attainment is not None:
        reached = _modelled_at(projection, last, draws, seed)
        tables.append(_target_table(inputs, target, attainment, figures, reached))
        data.append(("target", attainment))
        values["attainment"] = attainment
        paragraphs.append(_basis_words(target, inputs, basis))
        paragraphs.append(
            "'needed / year' is the pace from the last reported figure that reaches the "
            "target exactly on time; 'achieved' is the last reported figure as the source "
            "gave it, with the range the model allows for it."
        )
        done = _already(target, attainment, figures, reached)
        if done:
            paragraphs.insert(0, done)
        readings = [
            f"probability {probability_label(r['probability'])} read "
            f"{_reading(str(r['reading']), target)}"
            for _, r in attainment.iterrows()
        ]
        answer = (done + " " if done else "") + (
            f"{target.label}: " + "; ".join(readings) + f" (median projection of {what}: "
            f"{units_label(band['median'])})."
        )
    sources = sources_of(figures)
    charts, left_out = (_chart(inputs, projection, last, by, sources, seed),), ()
    if not inputs.cumulative and getattr(projection, "basis", s.CUMULATIVE) != s.PERIOD:
        charts = ()
        left_out = (
            (
                f"{inputs.brand}: shipments and projection",
                "the figures are units per period and the projection is drawn as a "
                "cumulative total, which would put the two on one axis with different "
                "meanings",
            ),
        )
    return Section(
        title=TITLE,
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        charts=charts,
        sources=tuple(dict.fromkeys(list(sources) + _history_sources(projection))),
        answer=answer,
        values=values,
        left_out=left_out,
        data=tuple(data),
    )


def _window_band(projection, last: pd.Timestamp, by: pd.Timestamp, draws: int, seed: int):
    """Median and interval of the units shipped after ``last`` up to ``by``."""
    paths = np.asarray(projection.sample([last, by], draws=draws, seed=seed))
    within = paths[:, 1] - paths[:, 0]
    lower, median, upper = np.quantile(within, [(1 - LEVEL) / 2, 0.5, (1 + LEVEL) / 2])
    return {"median": float(median), "lower": float(lower), "upper": float(upper)}


def _modelled_at(projection, last: pd.Timestamp, draws: int, seed: int) -> tuple[float, float]:
    """The lowest and highest cumulative units the model allows at the last figure."""
    paths = np.asarray(projection.sample([last], draws=min(draws, 4000), seed=seed))[:, 0]
    return float(paths.min()), float(paths.max())


def _achieved(reading: str, row: pd.Series, achieved: float, reached) -> str:
    if reading == "since launch":
        modelled = range_label(*reached)
        text = _reported(row)
        return (
            text
            if modelled.split("–")[0] == modelled.split("–")[1]
            else (f"{text} ({modelled} as modelled)")
        )
    return f"{units_label(achieved)} as modelled"


def _expected(reading: str, date, target: Target) -> str:
    """The expected date; a window reading counts only units inside the window, so a
    crossing after the window's end is no date at all."""
    if pd.isna(date):
        return "-"
    if reading != "since launch" and date > target.by:
        return f"not within {target.window}"
    return f"{date:%Y-%m-%d}"


def _target_table(inputs, target, attainment, figures, reached) -> TableBlock:
    row = _last_figure(figures)
    rows = tuple(
        (
            _reading(str(r["reading"]), target),
            probability_label(r["probability"]),
            f"{units_label(r['median'])} ({range_label(r['lower'], r['upper'])})",
            _achieved(str(r["reading"]), row, r["achieved"], reached),
            units_label(r["required_rate"]),
            units_label(r["current_rate"]),
            _expected(str(r["reading"]), r["expected_date"], target),
        )
        for _, r in attainment.iterrows()
    )
    return TableBlock(
        columns=(
            "reading",
            f"P(reach {units_label(target.units)})",
            f"projected by {target.by:%Y-%m-%d} ({LEVEL:.0%})",
            "achieved",
            "needed / year",
            "current / year",
            "expected date",
        ),
        rows=rows,
        title=f"The {target.label} target" + (", both readings" if len(rows) > 1 else ""),
    )


def _already(target, attainment, figures, reached) -> str:
    """Words for a target the brand had already reached at its last figure."""
    row = _last_figure(figures)
    since = attainment[attainment["reading"] == "since launch"]
    if len(since) and reached[0] >= target.units:
        return (
            f"The target is already achieved: {_reported(row)} by {_day(row[s.END])} "
            f"is above {units_label(target.units)}."
        )
    window = attainment[attainment["reading"] == "period alone"]
    if len(window) and float(window["achieved"].iloc[0]) >= target.units:
        return (
            f"The target is already achieved within {target.window}: about "
            f"{units_label(window['achieved'].iloc[0])} by {_day(row[s.END])}."
        )
    return ""


def _chart(inputs, projection, last, by, sources, seed) -> Chart:
    target = inputs.target

    def draw(ax, title=""):
        data = projection
        if target is not None:
            row = pd.DataFrame(
                {
                    s.BRAND: pd.array([inputs.brand], dtype="string"),
                    s.MARKET: pd.array([projection.market], dtype="string"),
                    s.START: [target.start],
                    s.END: [target.by],
                    s.UNITS: [target.units],
                    s.BASIS: [_basis(target, inputs)],
                    s.STATUS: [s.TARGET],
                    s.METRIC: [s.SHIPMENTS],
                    s.SOURCE: pd.array([target.origin], dtype="string"),
                }
            )
            data = pd.concat([inputs.brand_figures, row], ignore_index=True)
        horizon = by if by > last else last + pd.DateOffset(months=12)
        dates = pd.date_range(last, horizon, periods=60).normalize().unique()
        plot_shipments(
            data,
            ax=ax,
            brand=inputs.brand,
            projection=projection,
            today=last,
            levels=(LEVEL,),
            dates=dates,
            title=title,
            source=sources,
        )

    reading = _basis(target, inputs) if target is not None else None
    readings = {
        s.UNCLEAR: "both readings of the target",
        s.PERIOD: f"the target read within {target.window}" if target else "",
        s.CUMULATIVE: "the target read since launch",
    }.get(reading, "no target")
    return Chart(
        name="shipments-projection",
        title=f"{inputs.brand}: shipments and projection",
        draw=draw,
        sources=tuple(dict.fromkeys(sources)),
        caption=(
            (
                "Reported cumulative figures (triangles: the source said 'over')"
                if inputs.cumulative
                else f"Reported units per {_PERIODS.get(getattr(projection, 'period', ''), 'period')}"
            )
            + f", the median projection with its {LEVEL:.0%} interval (the level of the "
            f"tables), and {readings}. Projection seeded ({seed})."
        ),
    )


def _history_sources(projection) -> list[str]:
    """The packaged IDC history behind empirical intervals, named as a source; the growth
    model's decay also comes from the annual history (whose 2007 figures are Gartner's)."""
    if "packaged IDC" not in projection.uncertainty:
        return []
    names = [HISTORY]
    if "packaged IDC vendor history" in projection.uncertainty:
        names.insert(0, ANNUAL_HISTORY)
    out = []
    for name in names:
        history = datasets.load(name)
        for src in sources_of(history):
            rows = history[history[s.SOURCE] == src]
            notes = rows[s.NOTE].fillna("").astype(str) if s.NOTE in rows.columns else None
            gartner = (
                sorted(set(rows.loc[notes.str.contains("from Gartner"), s.END].dt.year))
                if notes is not None
                else []
            )
            credit = (
                f"; its {', '.join(map(str, gartner))} figures from Gartner, as Statista notes"
                if gartner
                else ""
            )
            use = (
                "the error history behind the projection's intervals"
                if name == HISTORY
                else "the growth history behind the projection"
            )
            first, last = rows[s.START].min().year, rows[s.END].max().year
            span = f"{first}" if first == last else f"{first}–{last}"
            out.append(f"{src} ({name}, {span}{credit}: {use})")
    return out

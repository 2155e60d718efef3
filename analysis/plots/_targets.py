"""Where a shipments chart puts a target, on the axis it belongs to.

On a cumulative axis (units since launch) a target read "since launch" is its own level,
and a target read "in the period" (units within its window: the target row's start to its
end, else its calendar year) sits at the target plus the cumulative units the day before. On a per-period axis a target for a
year is set against that year's running total (reported units of the year's periods, then
the projection's median), never drawn as a flat line across other years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._format import units_label
from marketdata import schema as s

BASES = (s.CUMULATIVE, s.PERIOD, s.UNCLEAR)


@dataclass(frozen=True)
class Target:
    units: float
    date: pd.Timestamp | None
    basis: str  # "cumulative", "period", "unclear" or "" (not said)
    start: pd.Timestamp | None = None  # the window a "period" reading counts; None: its year


@dataclass(frozen=True)
class Reading:
    """One reading of a target: its level on the chart's axis, its span, label and gid."""

    level: float
    date: pd.Timestamp | None
    label: str
    gid: str  # "target" (since launch) or "target-period" (in the period)
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None  # None: the whole axis


def qualifier(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip().lower()
    return text or None


def interval(projection: object, level: float, dates: pd.DatetimeIndex, basis: str):
    """``projection.interval`` on ``basis``; a projection without a ``basis`` attribute
    knows only cumulative units and is called without the keyword."""
    if getattr(projection, "basis", None) is None:
        if basis != s.CUMULATIVE:
            raise TypeError(
                "this projection gives cumulative units only; a per-period chart needs "
                "projection.interval(..., basis='period')"
            )
        return projection.interval(level=level, dates=dates)
    return projection.interval(level=level, dates=dates, basis=basis)


def predict(projection: object, dates: pd.DatetimeIndex, basis: str) -> pd.Series:
    if getattr(projection, "basis", None) is None:
        return projection.predict(dates)
    return projection.predict(dates, basis=basis)


def targets(rows: pd.DataFrame, target: object) -> list[Target]:
    """Each target: ``target=`` (units, or (units, date)) or the figures' target rows."""
    if target is not None:
        if isinstance(target, (tuple, list)) and len(target) in (2, 3):
            units, date, *basis = target
            basis = str(basis[0]) if basis else ""
            if basis not in ("", *BASES):
                raise ValueError(
                    f"a target's basis must be one of {', '.join(BASES)}, got {basis!r}"
                )
            return [Target(float(units), pd.Timestamp(date), basis)]
        if isinstance(target, (int, float, np.integer, np.floating)) and not isinstance(
            target, bool
        ):
            return [Target(float(target), None, "")]
        raise TypeError(
            "target must be a number of units, (units, date) or (units, date, basis), "
            f"got {target!r}"
        )
    if rows.empty or s.STATUS not in rows.columns:
        return []
    found = rows[rows[s.STATUS] == s.TARGET].sort_values(s.END, kind="stable")
    starts = found[s.START] if s.START in found.columns else [pd.NaT] * len(found)
    return [
        Target(float(u), pd.Timestamp(e), str(b), None if pd.isna(a) else pd.Timestamp(a))
        for u, e, b, a in zip(found[s.UNITS], found[s.END], found[s.BASIS], starts, strict=True)
    ]


def cumulative_readings(
    found: list[Target], cumulative: pd.DataFrame, projection: object
) -> list[Reading]:
    """Readings of each target on a cumulative axis; basis "unclear" gives both."""
    out = []
    for t in found:
        short = units_label(t.units)
        when = f" by {t.date:%Y-%m-%d}" if t.date is not None else ""
        if t.basis in ("", s.CUMULATIVE) or t.date is None:
            note = f", basis {t.basis}" if t.basis and t.basis != s.CUMULATIVE else ""
            out.append(Reading(t.units, t.date, f"target {short}{when}{note}", "target"))
            continue
        if t.basis == s.UNCLEAR:
            label = f"target {short}{when}, read as since launch"
            out.append(Reading(t.units, t.date, label, "target"))
        year_start = pd.Timestamp(year=t.date.year, month=1, day=1)
        start = year_start if t.start is None else t.start
        base, over = _cumulative_at(start - pd.Timedelta(days=1), cumulative, projection)
        if base is None:
            continue  # no cumulative figure at the window's start: this reading cannot be placed
        at_least = "over " if over else "≈ "
        window = (
            f"in {t.date.year} alone"
            if start == year_start and (t.date.month, t.date.day) == (12, 31)
            else f"within {start:%Y-%m-%d} to {t.date:%Y-%m-%d}"
        )
        label = f"target {short} {window}: {at_least}{units_label(t.units + base)} cumulative"
        out.append(Reading(t.units + base, t.date, label, "target-period"))
    return out


def _cumulative_at(
    date: pd.Timestamp, cumulative: pd.DataFrame, projection: object
) -> tuple[float | None, bool]:
    """Cumulative units at ``date``: (units, is a lower bound) from a reported figure
    dated then, else the projection's median; (None, False) when neither has it."""
    rows = cumulative[pd.to_datetime(cumulative[s.END]) == date]
    if not rows.empty:
        q = rows[s.QUALIFIER].iloc[-1] if s.QUALIFIER in rows.columns else None
        return float(rows[s.UNITS].iloc[-1]), qualifier(q) == "over"
    if projection is not None:
        value = float(predict(projection, pd.DatetimeIndex([date]), s.CUMULATIVE).iloc[0])
        if np.isfinite(value):
            return value, False
    return None, False


def running_total(
    year: int, per_period: pd.DataFrame, projection: object, freq: str
) -> pd.DataFrame:
    """[date, units, status] of a year's running total: reported units of its periods,
    then the projection's median per period to the year's end."""
    rows = per_period[pd.to_datetime(per_period[s.END]).dt.year == year]
    rows = rows[pd.to_datetime(rows[s.START]).dt.year == year].sort_values(s.END)
    dates = list(pd.to_datetime(rows[s.END]))
    units = list(rows[s.UNITS].astype(float))
    status = [s.ACTUAL] * len(units)
    year_end = pd.Timestamp(year=year, month=12, day=31)
    after = dates[-1] + pd.Timedelta(days=1) if dates else pd.Timestamp(year=year, month=1, day=1)
    future = pd.date_range(after, year_end, freq=freq)
    if projection is not None and len(future):
        units += predict(projection, future, s.PERIOD).astype(float).tolist()
        dates += list(future)
        status += [s.FORECAST] * len(future)
    return pd.DataFrame({"date": dates, s.UNITS: np.cumsum(units), "status": status})


def period_readings(
    found: list[Target], per_period: pd.DataFrame, projection: object, freq: str
) -> tuple[list[Reading], dict[int, pd.DataFrame], list[str]]:
    """Readings on a per-period axis: a target for a year against the year's running
    total; (readings, running totals by year, notes on targets that cannot be drawn)."""
    out, totals, notes = [], {}, []
    for t in found:
        short = units_label(t.units)
        if t.date is None:
            notes.append(f"target {short} has no date: not drawn")
            continue
        if t.basis == s.CUMULATIVE:
            notes.append(
                f"target {short} since launch by {t.date:%Y-%m-%d} is not a per-period "
                "figure: not drawn"
            )
            continue
        year = t.date.year
        if year not in totals:
            totals[year] = running_total(year, per_period, projection, freq)
        span = (pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31))
        reading = "" if t.basis in ("", s.PERIOD) else ", read as in the year"
        label = f"target {short} in {year}{reading} (against the {year} running total)"
        out.append(Reading(t.units, t.date, label, "target-period", span))
        if t.basis == s.UNCLEAR:
            notes.append(
                f"target {short} read as since launch cannot be set against per-period "
                "figures: draw the cumulative chart (to_cumulative) for that reading"
            )
    return out, totals, notes

"""The artists of a shipments chart: fans, reported figures and milestones, running
totals, targets and the "today" line (what :mod:`analysis.plots.shipments` decided to draw)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis._format import units_label
from analysis.plots import _frames, _targets, _windows, annotate, palette
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: Marker of a reported figure by its qualifier: "over" points up, "under" down.
QUALIFIER_MARKERS = {"over": "^", "under": "v", "approx": "D", None: "o"}
FAN_ALPHAS = (0.18, 0.35)  # widest interval first
DAY = pd.Timedelta(days=1)


def _alphas(n: int) -> list[float]:
    if n == 1:
        return [FAN_ALPHAS[1]]
    low, high = FAN_ALPHAS
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def _xy(band: pd.DataFrame, column: str, begins: pd.Timestamp | None):
    """Dates and values of a fan edge; a single projected period (``begins``: the day
    before it starts) is drawn flat across the period, not as an invisible sliver."""
    x = pd.to_datetime(band["date"]).to_numpy()
    y = band[column].to_numpy(dtype=float)
    if begins is not None and len(band) == 1:
        return np.array([np.datetime64(begins, "ns"), x[0]]), np.repeat(y, 2)
    return x, y


def fans(ax, projection, levels, dates, basis, color, begins=None) -> None:
    for level, alpha in zip(sorted(levels, reverse=True), _alphas(len(levels)), strict=True):
        band = _targets.interval(projection, level, dates, basis)
        _frames.require(band, ["date", "lower", "upper"], "projection.interval()")
        x, lower = _xy(band, "lower", begins)
        fan = ax.fill_between(
            x,
            lower,
            _xy(band, "upper", begins)[1],
            color=color,
            alpha=alpha,
            linewidth=0,
            label=f"{level:.0%} interval",
        )
        fan.set_gid(f"fan-{level:g}")
    middle = _targets.interval(projection, min(levels), dates, basis)
    (median,) = ax.plot(
        *_xy(middle, "median", begins),
        color=color,
        linestyle="--",
        linewidth=1.4,
        label="median projection",
        **({"marker": "_", "markersize": 14} if len(middle) == 1 else {}),
    )
    median.set_gid("median")


#: cumulative figures up to this many get a marker and a label each (what the source said);
#: longer runs (flows added up) only their last
LABELLED = 12


def cumulative(ax, rows: pd.DataFrame, color: str, kwargs: dict, since="since launch") -> None:
    if rows.empty:
        return
    options = {"color": color, "linewidth": 1.6, "label": f"reported, {since}"}
    (line,) = ax.plot(rows[s.END].to_numpy(), rows[s.UNITS].to_numpy(), **{**options, **kwargs})
    line.set_gid("cumulative")
    qualifiers = (
        rows[s.QUALIFIER]
        if s.QUALIFIER in rows.columns
        else pd.Series(None, index=rows.index, dtype=object)
    )
    for i, (end, units, q) in enumerate(zip(rows[s.END], rows[s.UNITS], qualifiers, strict=True)):
        if len(rows) > LABELLED and i < len(rows) - 1:
            continue
        q = _targets.qualifier(q)
        ax.plot(
            [end], [units], marker=QUALIFIER_MARKERS.get(q, "o"), markersize=7,
            color=line.get_color(), linestyle="none",
        ).pop().set_gid("milestone-marker")  # fmt: skip
        # above-left of the point, so the label stays off a rising line; the first one
        # right of the marker and a little below the line, so it stays inside the axes
        first = i == 0 and 1 < len(rows) <= LABELLED
        ax.annotate(
            f"{q} {units_label(units)}" if q else units_label(units),  # what the source said
            xy=(end, units),
            xytext=(10, -3) if first else (-6, 6),
            textcoords="offset points",
            ha="left" if first else "right",
            va="center" if first else "bottom",
            fontsize="small",
            fontweight="bold",
            color=line.get_color(),
        ).set_gid("milestone")


def per_period(ax, rows: pd.DataFrame, color: str, period: str | None, kwargs) -> None:
    if rows.empty:
        return
    options = {
        "color": color, "linestyle": "-", "linewidth": 1.2, "marker": "o", "markersize": 3.5,
        "label": f"reported, per {period or 'period'}",
    }  # fmt: skip
    x, y = _broken_at_gaps(rows)
    (line,) = ax.plot(x, y, **{**options, **kwargs})
    line.set_gid("per-period")


def _broken_at_gaps(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Period ends and units, with a NaN where the source skipped a period."""
    windows = rows[[s.START, s.END]].reset_index(drop=True)
    joined = _windows.contiguous(windows)
    x, y = [], []
    for i, (end, units) in enumerate(zip(rows[s.END], rows[s.UNITS], strict=True)):
        if i and not joined[i - 1]:
            x.append(pd.Timestamp(rows[s.START].iloc[i]))
            y.append(np.nan)
        x.append(pd.Timestamp(end))
        y.append(float(units))
    return np.array(pd.to_datetime(x).to_numpy()), np.array(y)


def running_totals(ax, totals: dict, color: str) -> None:
    for year, total in sorted(totals.items()):
        if total.empty:
            continue
        (line,) = ax.plot(
            total["date"].to_numpy(), total[s.UNITS].to_numpy(dtype=float), color=color,
            linestyle=":", linewidth=1.4, marker=".",
            label=f"{year} running total (reported, then median)",
        )  # fmt: skip
        line.set_gid("running-total")


def targets(ax, readings) -> None:
    styles = {"target": "-.", "target-period": ":"}
    for r in readings:
        if r.span is None:
            line = ax.axhline(
                r.level, color=palette.MUTED, linestyle=styles[r.gid], linewidth=1.0, label=r.label
            )
        else:
            (line,) = ax.plot(
                list(r.span), [r.level, r.level], color=palette.MUTED, linestyle="--",
                linewidth=1.2, label=r.label,
            )  # fmt: skip
        line.set_gid(r.gid)
        if r.date is not None:
            ax.plot(
                [r.date], [r.level], marker="*", markersize=11, color=palette.MUTED,
                markerfacecolor=palette.MUTED if r.gid == "target" else "white", linestyle="none",
            ).pop().set_gid(f"{r.gid}-marker")  # fmt: skip


def today(ax, when: pd.Timestamp) -> None:
    ax.axvline(when, color=palette.INK, linestyle=":", linewidth=1.0).set_gid("today")
    annotate.offset_text(  # at the foot of the line: the legend sits at the top left
        ax,
        f"today {when:%Y-%m-%d}",
        xy=(when, 0.0),
        xycoords=("data", "axes fraction"),
        offset=(3, 3),
        gid="today-label",
        fontsize="x-small",
        color=palette.INK,
    )


def date_axis(ax: Axes, period: str | None = None) -> None:
    """Date ticks; on a per-year (per-half-year) chart at year (half-year) ends labelled
    by their year ("H1 2012"), so that a figure (dated at its end) sits at the tick that
    names it."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator, FuncFormatter

    if period == "half-year":
        lo, hi = (mdates.num2date(x) for x in ax.dataLim.intervalx)
        ends = pd.date_range(f"{lo.year}-01-01", f"{hi.year}-12-31", freq="QE")
        ends = ends[ends.month.isin([6, 12]) & (ends >= lo.replace(tzinfo=None) - DAY)]
        ends = ends[ends <= hi.replace(tzinfo=None) + DAY]
        if len(ends) > 10:  # the years only, as on a per-year chart
            return date_axis(ax, "year")
        ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ends.to_pydatetime())))
        ax.xaxis.set_major_formatter(
            FuncFormatter(
                lambda x, _: f"H{1 + (mdates.num2date(x).month > 6)} {mdates.num2date(x).year}"
            )
        )
        return
    if period == "year":
        lo, hi = ax.dataLim.intervalx
        step = next((b for b in (1, 2, 5, 10, 20, 50) if (hi - lo) / 365.25 / b <= 8), 100)
        locator = mdates.YearLocator(step, month=12, day=31)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        return
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

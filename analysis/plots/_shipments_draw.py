"""The artists of a shipments chart: fans, reported figures and milestones, running
totals, targets and the "today" line (what :mod:`analysis.plots.shipments` decided to draw)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis._format import units_label
from analysis.plots import _frames, _targets, _windows, palette
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: Marker of a reported figure by its qualifier: "over" points up, "under" down.
QUALIFIER_MARKERS = {"over": "^", "under": "v", "approx": "D", None: "o"}
FAN_ALPHAS = (0.18, 0.35)  # widest interval first


def _alphas(n: int) -> list[float]:
    if n == 1:
        return [FAN_ALPHAS[1]]
    low, high = FAN_ALPHAS
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def fans(ax, projection, levels, dates, basis, color) -> None:
    for level, alpha in zip(sorted(levels, reverse=True), _alphas(len(levels)), strict=True):
        band = _targets.interval(projection, level, dates, basis)
        _frames.require(band, ["date", "lower", "upper"], "projection.interval()")
        if len(band) == 1:  # one projected period: a band over one date has no width
            fan = ax.vlines(
                pd.to_datetime(band["date"]).to_numpy(),
                band["lower"].to_numpy(dtype=float),
                band["upper"].to_numpy(dtype=float),
                colors=color,
                alpha=alpha,
                linewidth=8,
                label=f"{level:.0%} interval",
            )
            fan.set_gid(f"fan-{level:g}")
            continue
        fan = ax.fill_between(
            pd.to_datetime(band["date"]).to_numpy(),
            band["lower"].to_numpy(dtype=float),
            band["upper"].to_numpy(dtype=float),
            color=color,
            alpha=alpha,
            linewidth=0,
            label=f"{level:.0%} interval",
        )
        fan.set_gid(f"fan-{level:g}")
    middle = _targets.interval(projection, min(levels), dates, basis)
    (median,) = ax.plot(
        pd.to_datetime(middle["date"]).to_numpy(),
        middle["median"].to_numpy(dtype=float),
        color=color,
        linestyle="--",
        linewidth=1.4,
        label="median projection",
        **({"marker": "_", "markersize": 14} if len(middle) == 1 else {}),
    )
    median.set_gid("median")


def cumulative(ax, rows: pd.DataFrame, color: str, kwargs: dict) -> None:
    if rows.empty:
        return
    options = {"color": color, "linewidth": 1.6, "label": "reported, since launch"}
    (line,) = ax.plot(rows[s.END].to_numpy(), rows[s.UNITS].to_numpy(), **{**options, **kwargs})
    line.set_gid("cumulative")
    qualifiers = (
        rows[s.QUALIFIER]
        if s.QUALIFIER in rows.columns
        else pd.Series(None, index=rows.index, dtype=object)
    )
    for i, (end, units, q) in enumerate(zip(rows[s.END], rows[s.UNITS], qualifiers, strict=True)):
        q = _targets.qualifier(q)
        ax.plot(
            [end], [units], marker=QUALIFIER_MARKERS.get(q, "o"), markersize=7,
            color=line.get_color(), linestyle="none",
        ).pop().set_gid("milestone-marker")  # fmt: skip
        # above-left of the point, so the label stays off a rising line; the first one
        # right of the marker and a little below the line, so it stays inside the axes
        first = i == 0 and len(rows) > 1
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
    ax.annotate(  # at the foot of the line: the legend sits at the top left
        f"today {when:%Y-%m-%d}",
        xy=(when, 0.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, 3),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize="x-small",
        color=palette.INK,
    ).set_gid("today-label")


def date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

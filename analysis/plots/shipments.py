"""Shipments over time: reported figures and milestones, target, projection fans, today."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import units_label
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: Marker of a reported figure by its qualifier: "over" points up, "under" down.
QUALIFIER_MARKERS = {"over": "^", "under": "v", "approx": "D", None: "o"}
REPORTED = (s.ACTUAL, s.ESTIMATE, s.INTERPOLATED)
FAN_ALPHAS = (0.18, 0.35)  # widest interval first


def _is_projection(data: object) -> bool:
    return not isinstance(data, pd.DataFrame) and callable(getattr(data, "interval", None))


def _qualifier(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip().lower()
    return text or None


def _milestone_label(units: float, qualifier: str | None) -> str:
    number = units_label(units)
    return f"{qualifier} {number}" if qualifier else number


def _select_brand(figures: pd.DataFrame, brand: str | None) -> tuple[pd.DataFrame, str | None]:
    _frames.require(figures, [s.BRAND, s.END, s.UNITS, s.BASIS, s.STATUS], "the figures")
    rows = figures[figures[s.BRAND].notna()]  # brand NA = a market size, not shipments
    brands = sorted(rows[s.BRAND].astype(str).unique().tolist())
    if brand is not None:
        rows = rows[rows[s.BRAND] == brand]
        if rows.empty:
            raise ValueError(f"the figures have no rows for brand {brand!r}; they have {brands}")
        return rows, brand
    if len(brands) > 1:
        raise ValueError(f"the figures hold several brands {brands}; pass brand= to pick one")
    return rows, (brands[0] if brands else None)


def _targets(
    rows: pd.DataFrame, target: object, default_date: pd.Timestamp | None
) -> list[tuple[float, pd.Timestamp | None, str]]:
    """(units, date, basis) of each target: the figures' target rows, or ``target=``."""
    if target is not None:
        if isinstance(target, (tuple, list)) and len(target) == 2:
            units, date = target
            return [(float(units), pd.Timestamp(date), "")]
        if isinstance(target, (int, float, np.integer, np.floating)) and not isinstance(
            target, bool
        ):
            return [(float(target), default_date, "")]
        raise TypeError(f"target must be a number of units or a (units, date) pair, got {target!r}")
    if rows.empty or s.STATUS not in rows.columns:
        return []
    found = rows[rows[s.STATUS] == s.TARGET].sort_values(s.END, kind="stable")
    return [
        (float(u), pd.Timestamp(e), str(b))
        for u, e, b in zip(found[s.UNITS], found[s.END], found[s.BASIS], strict=True)
    ]


def _readings(
    targets: list[tuple[float, pd.Timestamp | None, str]],
    cumulative: pd.DataFrame,
    projection: object,
) -> list[tuple[float, pd.Timestamp | None, str, str]]:
    """(level on the cumulative axis, date, label, gid) of each reading of each target.

    A target with basis "cumulative" (or none) is units since launch: its level is the
    target. Basis "period" is units within the target's calendar year: on a cumulative
    axis it sits at the target plus the cumulative units at the end of the year before
    (the reported figure dated then, else the projection's median). Basis "unclear"
    gives both readings.
    """
    out = []
    for units, date, basis in targets:
        short = units_label(units)
        when = f" by {date:%Y-%m-%d}" if date is not None else ""
        if basis in ("", s.CUMULATIVE) or date is None:
            note = f", basis {basis}" if basis and basis != s.CUMULATIVE else ""
            out.append((units, date, f"target {short}{when}{note}", "target"))
            continue
        if basis == s.UNCLEAR:
            out.append((units, date, f"target {short}{when}, read as since launch", "target"))
        before = pd.Timestamp(year=date.year, month=1, day=1) - pd.Timedelta(days=1)
        base, over = _cumulative_at(before, cumulative, projection)
        if base is None:
            continue  # no cumulative figure at the year's start: this reading cannot be placed
        level = units + base
        at_least = "over " if over else "≈ "
        label = f"target {short} in {date.year} alone: {at_least}{units_label(level)} cumulative"
        out.append((level, date, label, "target-period"))
    return out


def _cumulative_at(
    date: pd.Timestamp, cumulative: pd.DataFrame, projection: object
) -> tuple[float | None, bool]:
    """Cumulative units at ``date``: (units, is a lower bound) from a reported figure
    dated then, else the projection's median; (None, False) when neither has it."""
    rows = cumulative[pd.to_datetime(cumulative[s.END]) == date]
    if not rows.empty:
        qualifier = rows[s.QUALIFIER].iloc[-1] if s.QUALIFIER in rows.columns else None
        return float(rows[s.UNITS].iloc[-1]), _qualifier(qualifier) == "over"
    if projection is not None:
        band = projection.interval(level=0.5, dates=pd.DatetimeIndex([date]))
        value = float(band["median"].iloc[0])
        if np.isfinite(value):
            return value, False
    return None, False


def _projection_dates(
    start: pd.Timestamp | None, end: pd.Timestamp | None, dates: Sequence[object] | None
) -> pd.DatetimeIndex | None:
    if dates is not None:
        return pd.DatetimeIndex(pd.to_datetime(list(dates)))
    if start is None or end is None or end <= start:
        return None
    return pd.date_range(start, end, periods=60).normalize().unique()


def plot_shipments(
    data: object,
    *,
    ax: Axes | None = None,
    brand: str | None = None,
    projection: object = None,
    target: float | tuple[float, object] | None = None,
    today: object = None,
    levels: Sequence[float] = (0.5, 0.9),
    dates: Sequence[object] | None = None,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """A brand's shipments: reported figures, milestones, target, projection fans, today.

    Parameters
    ----------
    data : DataFrame or Projection
        A figures frame (rows of one brand, or pass ``brand=``; rows with no brand are
        market sizes and are skipped), or a fitted ``Projection`` (its ``data`` are the
        figures, and it is drawn as the projection).
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    brand : str, optional
        The brand to draw when the figures hold several.
    projection : Projection, optional
        Anything with ``interval(level=, dates=)`` returning [date, lower, median, upper]
        (cumulative units). Drawn as one fan per level of ``levels`` and a median line.
    target : float or (float, date), optional
        A target to draw instead of the figures' ``status == "target"`` rows; a bare
        number is placed at the last projected date. A target row with basis "period"
        (units within its calendar year) is drawn on the cumulative axis at the target
        plus the cumulative units at the end of the year before (gid
        ``"target-period"``, dotted); basis "unclear" draws both readings: since launch
        (gid ``"target"``, dash-dot) and the year alone. The year-alone level uses the
        reported cumulative figure dated 31 December of the year before ("over" when that
        figure is), else the projection's median; without either it is not drawn.
    today : date, optional
        Draw a vertical line at this date ("what was known then").
    levels : sequence of float
        Interval levels of the fans (default 50% and 90%).
    dates : sequence of dates, optional
        Dates to evaluate the projection at (default: 60 dates from the last reported
        figure to the target date, or to the later of it and 6 months on).
    title : str, optional
        Default "<brand> shipments"; "" for none.
    source, illustrative
        Footnote (default: the figures' ``source`` column, plus the projection's
        ``source`` attribute).
    **kwargs
        Passed to ``Axes.plot`` for the reported cumulative figures.

    Returns
    -------
    Axes
        Lines (gid ``"cumulative"``, ``"per-period"``, ``"median"``, ``"target"``,
        ``"today"``), fans (PolyCollections with gid ``"fan-<level>"``) and milestone
        labels (Texts with gid ``"milestone"``, e.g. ``"over 3M"``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from marketdata import datasets
    >>> ax = plot_shipments(datasets.load("xiaomi_2011_2012"), today="2012-06-12")
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "milestone"]
    ['over 300k', 'over 3M']
    >>> plt.close(ax.figure)
    """
    if _is_projection(data):
        projection = data if projection is None else projection
        figures = getattr(data, "data", None)
        brand = brand or getattr(data, "brand", None)
        if not isinstance(figures, pd.DataFrame):
            figures = pd.DataFrame(columns=[s.BRAND, s.END, s.UNITS, s.BASIS, s.STATUS])
        else:  # the cumulative figures the projection was fitted on
            defaults = {s.BRAND: brand, s.BASIS: s.CUMULATIVE, s.STATUS: s.ACTUAL}
            missing = {k: v for k, v in defaults.items() if k not in figures.columns}
            figures = figures.assign(**missing) if missing else figures
    elif isinstance(data, pd.DataFrame):
        figures = data
    else:
        raise TypeError(
            f"data must be a figures DataFrame or a Projection, got {type(data).__name__}"
        )
    if projection is not None and not _is_projection(projection):
        raise TypeError("projection must have an interval(level=, dates=) method")
    for level in levels:
        if not 0 < float(level) < 1:
            raise ValueError(f"levels must be between 0 and 1, got {level!r}")
    if figures.empty:
        rows, name = figures, brand
    else:
        rows, name = _select_brand(figures, brand)
    reported = rows[rows[s.STATUS].isin(REPORTED)] if not rows.empty else rows
    cumulative = reported[reported[s.BASIS] == s.CUMULATIVE].sort_values(s.END, kind="stable")
    per_period = reported[reported[s.BASIS] == s.PERIOD].sort_values(s.END, kind="stable")
    last = pd.Timestamp(reported[s.END].max()) if not reported.empty else None

    target_rows = _targets(rows, target, None)
    target_dates = [d for _, d, _ in target_rows if d is not None]
    horizon = max(target_dates) if target_dates else None
    if horizon is None and last is not None:
        horizon = last + pd.DateOffset(months=6)
    eval_dates = None
    if projection is not None:
        eval_dates = _projection_dates(last, horizon, dates)
        if eval_dates is None:
            raise ValueError(
                "cannot choose projection dates: there are no reported figures before "
                "a target date; pass dates="
            )
    if target is not None and target_rows[0][1] is None:
        fallback = eval_dates[-1] if eval_dates is not None else horizon
        target_rows = [(target_rows[0][0], fallback, "")]

    color = palette.brand_color(name) if name else palette.INK
    with rc.context():
        ax = rc.axes_or_new(ax)
        if projection is not None:
            for level, alpha in zip(
                sorted(levels, reverse=True), _alphas(len(levels)), strict=True
            ):
                band = projection.interval(level=level, dates=eval_dates)
                _frames.require(band, ["date", "lower", "upper"], "projection.interval()")
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
            middle = projection.interval(level=min(levels), dates=eval_dates)
            (median,) = ax.plot(
                pd.to_datetime(middle["date"]).to_numpy(),
                middle["median"].to_numpy(dtype=float),
                color=color,
                linestyle="--",
                linewidth=1.4,
                label="median projection",
            )
            median.set_gid("median")
        if not cumulative.empty:
            options = {"color": color, "linewidth": 1.6, "label": "reported, cumulative"}
            (line,) = ax.plot(
                cumulative[s.END].to_numpy(),
                cumulative[s.UNITS].to_numpy(),
                **{
                    **options,
                    **kwargs,
                },
            )
            line.set_gid("cumulative")
            qualifiers = (
                cumulative[s.QUALIFIER]
                if s.QUALIFIER in cumulative.columns
                else pd.Series(None, index=cumulative.index, dtype=object)
            )
            for i, (end, units, qualifier) in enumerate(
                zip(cumulative[s.END], cumulative[s.UNITS], qualifiers, strict=True)
            ):
                q = _qualifier(qualifier)
                ax.plot(
                    [end],
                    [units],
                    marker=QUALIFIER_MARKERS.get(q, "o"),
                    markersize=7,
                    color=line.get_color(),
                    linestyle="none",
                ).pop().set_gid("milestone-marker")
                # above-left of the point, so the label stays off a rising line; the first
                # one right of the marker and a little below the line, so it stays inside
                # the axes and off the x-axis when the first figure is small
                first = i == 0 and len(cumulative) > 1
                ax.annotate(
                    _milestone_label(units, q),
                    xy=(end, units),
                    xytext=(10, -3) if first else (-6, 6),
                    textcoords="offset points",
                    ha="left" if first else "right",
                    va="center" if first else "bottom",
                    fontsize="small",
                    fontweight="bold",
                    color=line.get_color(),
                ).set_gid("milestone")
        if not per_period.empty:
            (period_line,) = ax.plot(
                per_period[s.END].to_numpy(),
                per_period[s.UNITS].to_numpy(),
                color=color,
                linestyle=":",
                marker="o",
                markersize=3,
                label="reported, per period",
            )
            period_line.set_gid("per-period")
        styles = {"target": "-.", "target-period": ":"}
        for level, date, label, gid in _readings(target_rows, cumulative, projection):
            ax.axhline(
                level, color=palette.MUTED, linestyle=styles[gid], linewidth=1.0, label=label
            ).set_gid(gid)
            if date is not None:
                ax.plot(
                    [date],
                    [level],
                    marker="*",
                    markersize=11,
                    color=palette.MUTED,
                    markerfacecolor=palette.MUTED if gid == "target" else "white",
                    linestyle="none",
                ).pop().set_gid(f"{gid}-marker")
        if today is not None:
            when = pd.Timestamp(today)
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
        _date_axis(ax)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(ticks.units_formatter())
        ax.set_ylabel("units")
        # an opaque legend: the today line and wide fans may run under it
        ax.legend(
            loc="upper left", frameon=True, facecolor="white", edgecolor="none", framealpha=0.9
        )
        heading = f"{name or 'Brand'} shipments" if title is None else title
        annotate.title(ax, heading)
        found = annotate.sources_of(rows if source is None else source)
        if source is None and projection is not None:
            extra = getattr(projection, "source", None)
            found += [x for x in annotate.sources_of(extra) if x not in found]
        annotate.footnote(ax, found, illustrative=illustrative)
    return ax


def _alphas(n: int) -> list[float]:
    if n == 1:
        return [FAN_ALPHAS[1]]
    low, high = FAN_ALPHAS
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

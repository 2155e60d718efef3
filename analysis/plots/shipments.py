"""Shipments over time on the basis of the data: reported figures and milestones,
projection fans, targets on the axis they belong to, and "today".

Cumulative figures (units since launch) are drawn as a cumulative line with cumulative
fans; per-period figures (units within each quarter, month or year) as per-period points
with per-period fans, never under a cumulative fan. Fans are 80% intervals, the level the
tables quote (a 50% inner fan on request), and say so in the legend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis._validation import check_option
from analysis.plots import _frames, _targets, _windows, annotate, palette, rc, ticks
from analysis.plots import _shipments_draw as draw
from marketdata import schema as s
from marketdata.errors import DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["LEVELS", "plot_shipments"]

REPORTED = (s.ACTUAL, s.ESTIMATE, s.INTERPOLATED)
LEVELS = (0.8,)  #: the fans' default level: the 80% the tables quote
_FREQ = {"month": "ME", "quarter": "QE", "half-year": "6ME", "year": "YE"}
_PERIOD_CODE = {"ME": "M", "QE": "Q", "6ME": "6M", "YE": "Y"}


def _is_projection(data: object) -> bool:
    return not isinstance(data, pd.DataFrame) and callable(getattr(data, "interval", None))


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


def _inputs(data: object, projection: object, brand: str | None):
    """(figures, projection, brand) from a figures frame or a Projection."""
    if _is_projection(data):
        projection = data if projection is None else projection
        figures = getattr(data, "data", None)
        brand = brand or getattr(data, "brand", None)
        if not isinstance(figures, pd.DataFrame):
            figures = pd.DataFrame(columns=[s.BRAND, s.END, s.UNITS, s.BASIS, s.STATUS])
        else:
            basis = getattr(data, "basis", None) or s.CUMULATIVE
            defaults = {s.BRAND: brand, s.BASIS: basis, s.STATUS: s.ACTUAL}
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
    return figures, projection, brand


def _basis(reported: pd.DataFrame, projection: object) -> str:
    """The chart's basis: the projection's, else the reported figures' one basis."""
    found = set(reported[s.BASIS].astype(str)) & {s.CUMULATIVE, s.PERIOD}
    basis = getattr(projection, "basis", None) if projection is not None else None
    if basis is None and projection is not None and found != {s.PERIOD}:
        basis = s.CUMULATIVE  # a projection without a basis gives cumulative units
    if basis is None:
        if len(found) > 1:
            raise DataError(
                "the figures mix cumulative and per-period figures; draw one basis: "
                "marketdata.to_cumulative(figures) or to_periods(figures)"
            )
        basis = found.pop() if found else s.CUMULATIVE
    return basis


def _since(rows: pd.DataFrame) -> str:
    """What cumulative figures count from: "since launch" (no start), else since the
    day they count from (figures added up from a first period, for instance)."""
    starts = rows[s.START].dropna() if s.START in rows.columns else rows.iloc[:0]
    if starts.empty:
        return "since launch"
    return f"since {pd.Timestamp(starts.min()):%-d %B %Y}"


def _on_basis(reported: pd.DataFrame, basis: str) -> tuple[pd.DataFrame, list[str]]:
    """The reported figures on the chart's ``basis`` asked for, and a note when they
    cannot be drawn on it."""
    have = set(reported[s.BASIS].astype(str))
    if basis in have or reported.empty:
        return reported, []
    if basis == s.CUMULATIVE and s.PERIOD in have:
        from marketdata import to_cumulative

        return to_cumulative(reported[reported[s.BASIS] == s.PERIOD]), []
    return reported.iloc[:0], [f"the figures are not per period: not drawn ({basis} basis)"]


def _one_metric(reported: pd.DataFrame) -> pd.DataFrame:
    """The shipments rows when the figures hold several metrics (e.g. a demand figure
    beside shipments); DataError when they hold several and none is shipments."""
    if s.METRIC not in reported.columns:
        return reported
    metrics = reported[s.METRIC].dropna().astype(str).unique().tolist()
    if len(metrics) <= 1:
        return reported
    if s.SHIPMENTS in metrics:
        return reported[reported[s.METRIC].astype(str) == s.SHIPMENTS]
    raise DataError(
        f"the figures mix metrics {sorted(metrics)}; draw one, e.g. "
        f"figures[figures['metric'] == {sorted(metrics)[0]!r}]"
    )


def _granularity(per_period: pd.DataFrame) -> str:
    windows = per_period[[s.START, s.END]].drop_duplicates()
    _windows.check_one_granularity(windows, "the per-period figures")
    return _windows.granularity(windows[s.START].iloc[0], windows[s.END].iloc[0])


def _period_ends(dates: pd.DatetimeIndex, freq: str) -> pd.DatetimeIndex:
    """The end of the period (of ``freq``) that holds each date; half-years are calendar
    halves (a "6M" pandas period would run from the date's own month)."""
    if freq == "6ME":
        q = dates.to_period("Q")
        return pd.DatetimeIndex((q + (q.quarter % 2)).end_time.normalize())
    return pd.DatetimeIndex(dates.to_period(_PERIOD_CODE[freq]).end_time.normalize())


def _period_begins(end: pd.Timestamp, freq: str) -> pd.Timestamp:
    """The day before the period (of ``freq``) that ends at ``end`` starts."""
    months = {"ME": 1, "QE": 3, "6ME": 6, "YE": 12}[freq]
    return (end - pd.DateOffset(months=months) + pd.offsets.MonthEnd(0)).normalize()


def _eval_dates(
    basis: str, last: pd.Timestamp | None, horizon: pd.Timestamp | None, freq: str | None, dates
) -> pd.DatetimeIndex | None:
    if dates is not None:
        given = pd.DatetimeIndex(pd.to_datetime(list(dates)))
        if basis != s.PERIOD:
            return given
        # per period, a fan point is a whole period: each date stands for the period
        # that holds it, drawn at its end; periods already reported are not projected
        ends = _period_ends(given, freq)
        ends = ends.unique().sort_values()
        ends = ends[ends > last] if last is not None else ends
        return ends if len(ends) else None
    if last is None or horizon is None or horizon <= last:
        return None
    if basis == s.PERIOD:
        found = _period_ends(pd.date_range(last + pd.Timedelta(days=1), horizon), freq)
        found = found.unique()
        found = found[found <= horizon]
        return found if len(found) else None
    return pd.date_range(last, horizon, periods=60).normalize().unique()


def plot_shipments(
    data: object,
    *,
    ax: Axes | None = None,
    brand: str | None = None,
    projection: object = None,
    target: float | tuple | None = None,
    today: object = None,
    levels: Sequence[float] = LEVELS,
    dates: Sequence[object] | None = None,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    basis: str | None = None,
    **kwargs: Any,
) -> Axes:
    """A brand's shipments on the basis of the data, with projection fans and targets.

    Parameters
    ----------
    data : DataFrame or Projection
        A figures frame (rows of one brand, or pass ``brand=``; rows with no brand are
        market sizes and are skipped), or a fitted ``Projection`` (its ``data`` are the
        figures, its ``basis`` the chart's basis, and it is drawn as the projection). A
        projection without ``basis`` gives cumulative units only: with per-period
        figures it is left out, and the subtitle says so.
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    brand : str, optional
        The brand to draw when the figures hold several.
    projection : Projection, optional
        Drawn as one fan per level of ``levels`` (``projection.interval(level, dates=,
        basis=)``) and a median line, on the chart's basis.
    target : float, (float, date) or (float, date, basis), optional
        A target to draw instead of the figures' ``status == "target"`` rows (a bare
        number is placed at the last projected date); ``basis`` is "cumulative" (since
        launch), "period" (in the year) or "unclear" (both readings), as a target row's.
        On a cumulative chart a target of basis "period" sits at the target plus the
        cumulative units at the end of the year before (gid ``"target-period"``); basis
        "unclear" draws both readings (since launch: gid ``"target"``). On a per-period
        chart a target for a year is drawn over that year only, against the year's
        running total (gid ``"running-total"``); a since-launch target cannot be, and
        the subtitle says so.
    today : date, optional
        Draw a vertical line at this date ("what was known then").
    levels : sequence of float
        Interval levels of the fans: 80% by default, the level every table quotes; e.g.
        ``(0.8, 0.5)`` adds a 50% inner fan.
    dates : sequence of dates, optional
        Dates to evaluate the projection at (default: per period, the period ends to the
        target's date or four periods on; cumulative, 60 dates to the target date or six
        months on). On a per-period chart each date stands for the period that holds it
        (drawn at the period's end; periods already reported are not projected).
    title : str, optional
        Default "<brand> shipments"; "" for none.
    source, illustrative
        Footnote (default: the figures' ``source`` column, plus the projection's
        ``source`` attribute).
    basis : {"cumulative", "period"}, optional
        The chart's basis; default: the projection's, else the figures' one basis.
        ``"cumulative"`` over per-period figures draws them added up
        (:func:`marketdata.to_cumulative`: counted from the first period's start, as a
        projection of them counts); ``"period"`` over cumulative milestones draws the
        projection per period and leaves the milestones out (the subtitle says so).
    **kwargs
        Passed to ``Axes.plot`` for the reported figures.

    Returns
    -------
    Axes
        Lines (gid ``"cumulative"`` or ``"per-period"``, ``"median"``, ``"target"``,
        ``"target-period"``, ``"running-total"``, ``"today"``), fans (PolyCollections with
        gid ``"fan-<level>"``, labelled "80% interval") and milestone labels (Texts with
        gid ``"milestone"``: what the source said, e.g. ``"over 3M"``).

    Raises
    ------
    DataError
        When a column is missing, or the figures mix bases or period lengths.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from marketdata import datasets
    >>> ax = plot_shipments(datasets.load("xiaomi_2011_2012"), today="2012-06-12")
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "milestone"]
    ['over 300k', 'over 3M']
    >>> plt.close(ax.figure)
    """
    figures, projection, brand = _inputs(data, projection, brand)
    for level in levels:
        if not 0 < float(level) < 1:
            raise ValueError(f"levels must be between 0 and 1, got {level!r}")
    rows, name = (figures, brand) if figures.empty else _select_brand(figures, brand)
    reported = rows[rows[s.STATUS].isin(REPORTED)] if not rows.empty else rows
    reported = _one_metric(reported)
    notes: list[str] = []
    if basis is None:
        basis = _basis(reported, projection)
    else:
        check_option(basis, "basis", (s.CUMULATIVE, s.PERIOD))
        reported, note = _on_basis(reported, basis)
        notes += note
    if projection is not None and basis == s.PERIOD and getattr(projection, "basis", None) is None:
        # a projection of cumulative units only cannot give per-period fans: the figures
        # are drawn as they are, the projection left out, and the chart says so
        projection = None
        notes.append("projection not drawn: it gives cumulative units only")
    shown = reported[reported[s.BASIS] == basis].sort_values(s.END, kind="stable")
    period = _granularity(shown) if basis == s.PERIOD and not shown.empty else None
    freq = _FREQ.get(period or "", "QE")
    last = pd.Timestamp(shown[s.END].max()) if not shown.empty else None

    found = _targets.targets(rows, target)
    horizon = max((t.date for t in found if t.date is not None), default=None)
    if horizon is None and last is not None:
        horizon = last + (
            pd.DateOffset(months=6)
            if basis == s.CUMULATIVE
            else pd.tseries.frequencies.to_offset(freq) * 4
        )
    eval_dates = None
    if projection is not None:
        eval_dates = _eval_dates(basis, last, horizon, freq, dates)
        if eval_dates is None:
            raise ValueError(
                "cannot choose projection dates: there are no reported figures before "
                "a target date; pass dates="
            )
    if target is not None and found[0].date is None:
        fallback = eval_dates[-1] if eval_dates is not None else horizon
        found = [_targets.Target(found[0].units, fallback, "")]

    color = palette.brand_color(name) if name else palette.INK
    with rc.context():
        ax = rc.axes_or_new(ax)
        if projection is not None:
            begins = None
            if basis == s.PERIOD and len(eval_dates) == 1:  # one period: drawn across it
                begins = _period_begins(eval_dates[0], freq)
            draw.fans(ax, projection, levels, eval_dates, basis, color, begins)
        totals: dict = {}
        since = _since(shown)
        if basis == s.CUMULATIVE:
            draw.cumulative(ax, shown, color, kwargs, since=since)
            readings = _targets.cumulative_readings(found, shown, projection)
        else:
            draw.per_period(ax, shown, color, period, kwargs)
            readings, totals, said = _targets.period_readings(found, shown, projection, freq)
            notes += said
            draw.running_totals(ax, totals, color)
        draw.targets(ax, readings)
        if today is not None:
            draw.today(ax, pd.Timestamp(today))
        draw.date_axis(ax, period)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(ticks.units_formatter())
        if basis == s.CUMULATIVE:
            ax.set_ylabel(f"units {since}")
        else:
            year = " (and the year's running total)" if totals else ""
            ax.set_ylabel(f"units per {period or 'period'}{year}")
        # an opaque legend: the today line and wide fans may run under it
        ax.legend(
            loc="upper left", frameon=True, facecolor="white", edgecolor="none", framealpha=0.9
        )
        heading = f"{name or 'Brand'} shipments" if title is None else title
        where = f"cumulative, {since}" if basis == s.CUMULATIVE else f"per {period or 'period'}"
        annotate.title(ax, heading, "; ".join([where, *notes]))
        sources = annotate.sources_of(rows if source is None else source)
        if source is None and projection is not None:
            extra = getattr(projection, "source", None)
            sources += [x for x in annotate.sources_of(extra) if x not in sources]
        annotate.footnote(ax, sources, illustrative=illustrative)
    return ax

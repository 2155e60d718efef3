"""Market shares over time: stacked by window, with ``Others``; gaps stay gaps.

A brand the source did not list in a window has no share there (NaN, not 0): its band
stops, and the part of the stack no listed brand accounts for is drawn as "not listed".
Windows are drawn as steps over their own dates, never joined by a slope to the next one,
so a window the source skipped is an empty stretch of the axis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import market_label
from analysis._validation import check_integer, check_option
from analysis.plots import _frames, _windows, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["NOT_LISTED", "plot_shares", "share_table"]

COLUMNS = [s.START, s.END, s.BRAND, s.SHARE]
#: Label of the part of a window's stack that no listed brand accounts for.
NOT_LISTED = "not listed"
_FULL = 0.999  # a stack this full leaves nothing "not listed" worth drawing


def share_table(
    data: pd.DataFrame, *, market: str | None = None, top: int | None = None
) -> pd.DataFrame:
    """Shares as a window × brand table, largest brands first and ``Others`` last.

    A brand the source did not list in a window is NaN there (not 0). Brands outside the
    ``top`` largest (by mean listed share) are added into ``Others`` where listed.

    Raises
    ------
    DataError
        When the frame lacks a column, repeats a (window, brand) or mixes measures
        (``metric`` or ``measure``, e.g. IDC shipments and retail sales).

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "market": "WW", "start": pd.to_datetime(["2012-01-01"] * 3 + ["2012-04-01"] * 2),
    ...     "end": pd.to_datetime(["2012-03-31"] * 3 + ["2012-06-30"] * 2),
    ...     "brand": ["Apple", "Others", "Samsung", "Others", "Samsung"],
    ...     "share": [0.2, 0.5, 0.3, 0.6, 0.4]})
    >>> share_table(frame)
                           Samsung  Apple  Others
    start      end
    2012-01-01 2012-03-31      0.3    0.2     0.5
    2012-04-01 2012-06-30      0.4    NaN     0.6
    """
    _frames.require(data, COLUMNS, "the shares frame")
    rows, _ = _frames.one_market(data, market, "the shares frame")
    _windows.check_one_measure(rows, "the shares frame")
    _frames.check_unique(rows, [s.START, s.END, s.BRAND], "the shares frame")
    table = rows.pivot(index=[s.START, s.END], columns=s.BRAND, values=s.SHARE)
    table = table.sort_index().astype(float)
    table.columns = table.columns.astype(object)
    table.columns.name = None
    residual = [c for c in table.columns if c in s.RESIDUAL_BRANDS]
    order = table.drop(columns=residual).mean().sort_values(ascending=False, kind="stable")
    brands = order.index.tolist()
    if top is not None:
        top = check_integer(top, "top", minimum=1)
        rest = brands[top:]
        brands = brands[:top]
        if rest:
            others = table[rest].sum(axis=1, min_count=1)
            if s.OTHERS in table.columns:
                both = pd.concat([table[s.OTHERS], others], axis=1)
                table[s.OTHERS] = both.sum(axis=1, min_count=1)
            else:
                table[s.OTHERS] = others
    return table[brands + [c for c in (s.OTHERS, s.UNKNOWN) if c in table.columns]]


def _steps(starts: pd.Series, ends: pd.Series, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y of a step drawing: each window flat from its start to the day after its
    end; NaN between windows that do not follow one another (a break, not a slope)."""
    joined = _windows.contiguous(pd.DataFrame({s.START: starts, s.END: ends}))
    x: list[object] = []
    y: list[float] = []
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        if i and not joined[i - 1]:
            x.append(a)
            y.append(np.nan)
        x += [a, b + pd.Timedelta(days=1)]
        y += [values[i], values[i]]
    return np.array(pd.to_datetime(x).to_numpy()), np.array(y, dtype=float)


def _stack(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Bottoms and tops of each brand's band in each window; NaN where not listed."""
    values = table.to_numpy(dtype=float)
    filled = np.nan_to_num(values, nan=0.0)
    tops = np.cumsum(filled, axis=1)
    bottoms = tops - filled
    listed = ~np.isnan(values)
    return np.where(listed, bottoms, np.nan), np.where(listed, tops, np.nan)


def plot_shares(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    market: str | None = None,
    kind: str = "area",
    top: int | None = None,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    legend: bool = True,
    **kwargs: Any,
) -> Axes:
    """Market shares over time, stacked per window, with ``Others`` and what is not listed.

    Parameters
    ----------
    data : DataFrame
        ``market_share`` output: [market, start, end, brand, share, ...]. One market (or
        pass ``market=``), one measure and one granularity of window.
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    market : str, optional
        Market to draw when the frame holds several.
    kind : {"area", "bar"}
        Stacked steps over each window's dates (an empty stretch where the source has
        no window), or one stacked bar per window.
    top : int, optional
        Keep the ``top`` largest brands; add the rest into ``Others``.
    title : str, optional
        Default "Market shares, <market name>"; "" for none.
    source : DataFrame, str or list of str, optional
        Sources for the footnote (default: the frame's ``source`` column).
    illustrative : bool
        Label the chart as illustrative data.
    legend : bool
        Draw the legend (outside, on the right; top of the stack first).
    **kwargs
        Passed to ``Axes.fill_between`` (area) or ``Axes.bar`` (bar).

    Returns
    -------
    Axes
        One PolyCollection (area) or BarContainer (bar) per brand, labelled with the brand
        and coloured by :func:`analysis.plots.palette.brand_color`, NaN (no band) where
        the brand was not listed; the rest of a window's 100% that no listed brand or
        ``Others`` accounts for is hatched with label :data:`NOT_LISTED` (gid
        ``"not-listed"``). Windows flagged ``double_count`` are hatched too (gid
        ``"double-count"``).

    Raises
    ------
    DataError
        When a column is missing, the frame mixes measures (``metric``/``measure``) or
        window lengths (annual with monthly): draw each on its own.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({
    ...     "market": "WW", "start": pd.to_datetime(["2012-01-01"] * 2 + ["2012-04-01"] * 2),
    ...     "end": pd.to_datetime(["2012-03-31"] * 2 + ["2012-06-30"] * 2),
    ...     "brand": ["Samsung", "Others"] * 2, "share": [0.3, 0.7, 0.35, 0.65]})
    >>> ax = plot_shares(frame)
    >>> [c.get_label() for c in ax.collections]
    ['Samsung', 'Others']
    >>> plt.close(ax.figure)
    """
    check_option(kind, "kind", ("area", "bar"))
    table = share_table(data, market=market, top=top)
    rows, market_name = _frames.one_market(data, market, "the shares frame")
    windows = table.index.to_frame(index=False)
    _windows.check_one_granularity(windows, "the shares frame")
    starts, ends = windows[s.START], windows[s.END]
    if kind == "area" and len(table) == 1:
        kind = "bar"  # one window is one stacked bar, labelled with the window
    colors = palette.brand_colors(table.columns)
    bottoms, tops = _stack(table)
    stack_top = np.nanmax(np.where(np.isnan(tops), 0.0, tops), axis=1)
    missing = np.where(stack_top < _FULL, 1.0 - stack_top, 0.0)
    with rc.context():
        ax = rc.axes_or_new(ax)
        if kind == "area":
            options = {"linewidth": 0.3, "edgecolor": "white", **kwargs}
            for j, (brand, color) in enumerate(zip(table.columns, colors, strict=True)):
                x, low = _steps(starts, ends, bottoms[:, j])
                _, high = _steps(starts, ends, tops[:, j])
                ax.fill_between(x, low, high, color=color, label=brand, **options)
            if missing.any():
                x, low = _steps(starts, ends, np.where(missing > 0, stack_top, np.nan))
                _, high = _steps(starts, ends, np.where(missing > 0, 1.0, np.nan))
                ax.fill_between(
                    x, low, high, facecolor="white", edgecolor=palette.MUTED, hatch="....",
                    linewidth=0, label=NOT_LISTED,
                ).set_gid("not-listed")  # fmt: skip
            ax.set_xlim(starts.iloc[0], ends.iloc[-1] + pd.Timedelta(days=1))
            _date_axis(ax)
        else:
            positions = np.arange(len(table))
            options = {"width": 0.8, "linewidth": 0.3, "edgecolor": "white", **kwargs}
            for j, (brand, color) in enumerate(zip(table.columns, colors, strict=True)):
                height = tops[:, j] - bottoms[:, j]  # NaN: no bar where not listed
                ax.bar(positions, height, bottom=bottoms[:, j], color=color, label=brand, **options)
            if missing.any():
                bars = ax.bar(
                    positions, np.where(missing > 0, missing, np.nan), bottom=stack_top,
                    width=0.8, facecolor="white", edgecolor=palette.MUTED, hatch="....",
                    linewidth=0, label=NOT_LISTED,
                )  # fmt: skip
                for patch in bars.patches:
                    patch.set_gid("not-listed")
            labels = _frames.labels(starts, ends)
            step = max(1, int(np.ceil(len(labels) / 16)))
            ax.set_xticks(positions[::step], labels[::step])
            ax.set_xlim(-0.6, len(labels) - 0.4)
            ax.grid(axis="x", visible=False)
            if step > 1 or len(labels) > 8:
                for label in ax.get_xticklabels():
                    label.set(rotation=45, ha="right", rotation_mode="anchor")
        annotate.mark_double_counts(ax, rows, x="dates" if kind == "area" else "index")
        highest = float(np.nanmax(stack_top))
        ax.set_ylim(0, 1.0 if highest <= 1 + 1e-9 else highest)  # rows may overlap
        ax.yaxis.set_major_formatter(ticks.percent_formatter())
        ax.set_ylabel("share")  # of what: the subtitle (the measure)
        if legend:
            handles, labels_ = ax.get_legend_handles_labels()
            marks = {annotate.DOUBLE_COUNT_LABEL, NOT_LISTED}
            flagged = [i for i, x in enumerate(labels_) if x in marks]
            keep = [i for i in range(len(handles)) if i not in flagged][::-1] + flagged
            ax.legend(
                [handles[i] for i in keep],
                [labels_[i] for i in keep],
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                borderaxespad=0.0,
            )
        where = market_label(market_name)
        heading = f"Market shares, {where}" if where else "Market shares"
        annotate.title(ax, heading if title is None else title, _measure(rows))
        annotate.footnote(ax, data if source is None else source, illustrative=illustrative)
    return ax


def _measure(rows: pd.DataFrame) -> str | None:
    """The subtitle: what the shares are of (the one measure of the frame)."""
    for column in ("measure", s.METRIC):
        if column in rows.columns and rows[column].notna().any():
            return f"share of {rows[column].dropna().astype(str).iloc[0]}"
    return None


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

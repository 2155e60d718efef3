"""Market shares over time: 100% stacked area or bars, with ``Others``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.plots import _frames, style
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

COLUMNS = [s.START, s.END, s.BRAND, s.SHARE]


def share_table(
    shares: pd.DataFrame, *, market: str | None = None, top: int | None = None
) -> pd.DataFrame:
    """Shares as a period × brand table, largest brands first and ``Others`` last.

    Brands outside the ``top`` largest (by mean share) are added into ``Others``. A brand
    missing from a period has share 0 there (it was not reported separately).

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "market": "WW", "start": pd.Timestamp("2012-01-01"),
    ...     "end": pd.Timestamp("2012-12-31"), "brand": ["Apple", "Others", "Samsung"],
    ...     "share": [0.2, 0.5, 0.3]})
    >>> share_table(frame).columns.tolist()
    ['Samsung', 'Apple', 'Others']
    """
    _frames.require(shares, COLUMNS, "the shares frame")
    rows, _ = _frames.one_market(shares, market, "the shares frame")
    _frames.check_unique(rows, [s.START, s.END, s.BRAND], "the shares frame")
    table = rows.pivot(index=[s.START, s.END], columns=s.BRAND, values=s.SHARE)
    table = table.sort_index().fillna(0.0).astype(float)
    table.columns = table.columns.astype(object)
    table.columns.name = None
    residual = [c for c in table.columns if c in s.RESIDUAL_BRANDS]
    order = table.drop(columns=residual).mean().sort_values(ascending=False, kind="stable")
    brands = order.index.tolist()
    if top is not None:
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        rest = brands[top:]
        brands = brands[:top]
        if rest:
            others = table[rest].sum(axis=1)
            if s.OTHERS in table.columns:
                table[s.OTHERS] = table[s.OTHERS] + others
            else:
                table[s.OTHERS] = others
                residual = [s.OTHERS, *residual]
    return table[brands + [c for c in (s.OTHERS, s.UNKNOWN) if c in table.columns]]


def plot_shares(
    shares: pd.DataFrame,
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
    """Market shares over time as a 100% stacked area (or stacked bars), with ``Others``.

    Parameters
    ----------
    shares : DataFrame
        ``market_share`` output: [market, start, end, brand, units, share] (``units`` is
        not needed). One market, or pass ``market=``.
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    market : str, optional
        Market to draw when the frame holds several.
    kind : {"area", "bar"}
        Stacked area over period midpoints, or one stacked bar per period (a single
        period is always drawn as a bar).
    top : int, optional
        Keep the ``top`` largest brands; add the rest into ``Others``.
    title : str, optional
        Chart title (default "Market shares, <market>"); "" for none.
    source : DataFrame, str or list of str, optional
        Sources for the footnote (default: the frame's ``source`` column, if any).
    illustrative : bool
        Label the chart as illustrative data.
    legend : bool
        Draw the legend (outside, on the right; top of the stack first).
    **kwargs
        Passed to ``Axes.stackplot`` (area) or ``Axes.bar`` (bar).

    Returns
    -------
    Axes
        One PolyCollection (area) or BarContainer (bar) per brand, labelled with the brand
        and coloured by :func:`analysis.plots.style.brand_color`. Windows whose
        ``double_count`` flag is set (``market_share`` output) are hatched (one patch
        with gid ``"double-count"`` per window, listed last in the legend): their listed
        rows overlap, so the shares there are of an overstated total.

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
    if kind not in ("area", "bar"):
        raise ValueError(f"kind must be 'area' or 'bar', got {kind!r}")
    table = share_table(shares, market=market, top=top)
    _, market_name = _frames.one_market(shares, market, "the shares frame")
    starts = pd.Series(table.index.get_level_values(0))
    ends = pd.Series(table.index.get_level_values(1))
    colors = style.brand_colors(table.columns)
    if kind == "area" and len(table) == 1:
        kind = "bar"  # an area needs two periods; one period is one stacked bar
    with style.context():
        ax = style.axes_or_new(ax)
        if kind == "area":
            x = _frames.midpoints(starts, ends)
            options = {"linewidth": 0.3, "edgecolor": "white", **kwargs}
            ax.stackplot(
                x.to_numpy(),
                table.to_numpy().T,
                labels=list(table.columns),
                colors=colors,
                **options,
            )
            ax.set_xlim(x.iloc[0], x.iloc[-1])
        else:
            positions = np.arange(len(table))
            bottom = np.zeros(len(table))
            options = {"width": 0.8, "linewidth": 0.3, "edgecolor": "white", **kwargs}
            for brand, color in zip(table.columns, colors, strict=True):
                values = table[brand].to_numpy()
                ax.bar(positions, values, bottom=bottom, color=color, label=brand, **options)
                bottom = bottom + values
            labels = style.period_labels(starts, ends)
            step = max(1, int(np.ceil(len(labels) / 16)))
            ax.set_xticks(positions[::step], labels[::step])
            ax.set_xlim(-0.6, len(labels) - 0.4)
            ax.grid(axis="x", visible=False)
            if step > 1 or len(labels) > 8:
                for label in ax.get_xticklabels():
                    label.set(rotation=45, ha="right", rotation_mode="anchor")
        rows, _ = _frames.one_market(shares, market, "the shares frame")
        style.mark_double_counts(ax, rows, x="dates" if kind == "area" else "index")
        ax.set_ylim(0, max(1.0, float(table.sum(axis=1).max())))
        ax.yaxis.set_major_formatter(style.percent_formatter())
        ax.set_ylabel("share of units")
        if legend:
            handles, labels_ = ax.get_legend_handles_labels()
            flagged = [i for i, x in enumerate(labels_) if x == style.DOUBLE_COUNT_LABEL]
            keep = [i for i in range(len(handles)) if i not in flagged][::-1] + flagged
            ax.legend(
                [handles[i] for i in keep],
                [labels_[i] for i in keep],
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                borderaxespad=0.0,
            )
        style.title(ax, f"Market shares, {market_name}" if title is None else title, subtitle=None)
        style.footnote(ax, shares if source is None else source, illustrative=illustrative)
    return ax

"""Ranks: a bump chart over time, and the probability of each rank of a forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import percent_label
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

RANK = "rank"
PROBABILITY = "probability"


def rank_table(
    ranks: pd.DataFrame, *, market: str | None = None, top: int | None = 10
) -> pd.DataFrame:
    """Ranks as a period × brand table: NaN where a brand is absent from a period.

    Residual rows (``Others``, ``Unknown``) are not brands and are left out. With ``top``,
    only brands ranked ``top`` or better at least once are kept; columns are ordered by
    their rank in the last period they appear in, then by name.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "start": pd.to_datetime(["2012-01-01"] * 2 + ["2012-04-01"]),
    ...     "end": pd.to_datetime(["2012-03-31"] * 2 + ["2012-06-30"]),
    ...     "brand": ["HTC", "Apple", "Apple"], "rank": [2, 1, 1]})
    >>> rank_table(frame)
                           Apple  HTC
    start      end
    2012-01-01 2012-03-31    1.0  2.0
    2012-04-01 2012-06-30    1.0  NaN
    """
    _frames.require(ranks, [s.START, s.END, s.BRAND, RANK], "the rank frame")
    rows, _ = _frames.one_market(ranks, market, "the rank frame")
    rows = rows[~rows[s.BRAND].isin(s.RESIDUAL_BRANDS) & rows[s.BRAND].notna()]
    _frames.check_unique(rows, [s.START, s.END, s.BRAND], "the rank frame")
    table = rows.pivot(index=[s.START, s.END], columns=s.BRAND, values=RANK)
    table = table.sort_index().astype(float)
    table.columns = table.columns.astype(object)
    table.columns.name = None
    if top is not None:
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        table = table.loc[:, (table <= top).any()]
    last = table.ffill().iloc[-1]
    # order: brands present in the last period by rank, then the others by last rank
    present = table.iloc[-1].notna()
    key = pd.DataFrame({"gone": ~present, "rank": last, "brand": table.columns})
    order = key.sort_values(["gone", "rank", "brand"], kind="stable")["brand"].tolist()
    return table[order]


def plot_ranks(
    ranks: pd.DataFrame,
    *,
    ax: Axes | None = None,
    market: str | None = None,
    top: int | None = 10,
    labels: bool = True,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """Rank over time as a bump chart; a brand absent from a period shows a gap.

    Parameters
    ----------
    ranks : DataFrame
        ``rank_brands`` output: [market, start, end, brand, units, share, rank, tied];
        ``start``, ``end``, ``brand`` and ``rank`` are needed. Residual rows (``Others``)
        are skipped.
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    market : str, optional
        Market to draw when the frame holds several.
    top : int or None
        Draw brands that reached rank ``top`` or better at least once (None: all).
    labels : bool
        Write the names of the brands ranked in the last period at the right of their
        last point (tied brands one under the other); brands that left earlier are
        named in a legend on the right (with the "tied" ring, if any).
    title : str, optional
        Default "Rank, <market>"; "" for none.
    source, illustrative
        Footnote, as in :func:`analysis.plots.plot_shares`.
    **kwargs
        Passed to ``Axes.plot`` for every brand's line.

    Returns
    -------
    Axes
        One Line2D per brand (label = brand, colour = the brand's), over period
        midpoints, with NaN where the brand is absent; rank 1 at the top. When the frame
        has a ``tied`` column, tied points are ringed (one more Line2D, gid ``"tied"``).
        Windows flagged ``double_count`` are hatched (patches with gid
        ``"double-count"``), as in :func:`analysis.plots.plot_shares`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({
    ...     "start": pd.to_datetime(["2012-01-01"] * 2 + ["2012-04-01"]),
    ...     "end": pd.to_datetime(["2012-03-31"] * 2 + ["2012-06-30"]),
    ...     "brand": ["HTC", "Apple", "Apple"], "rank": [2, 1, 1]})
    >>> ax = plot_ranks(frame)
    >>> [line.get_label() for line in ax.lines]
    ['Apple', 'HTC']
    >>> plt.close(ax.figure)
    """
    table = rank_table(ranks, market=market, top=top)
    _, market_name = _frames.one_market(ranks, market, "the rank frame")
    if table.shape[1] == 0:
        raise ValueError(f"no brand reached rank {top} or better; pass a larger top=")
    starts = pd.Series(table.index.get_level_values(0))
    ends = pd.Series(table.index.get_level_values(1))
    x = _frames.midpoints(starts, ends).to_numpy()
    with rc.context():
        ax = rc.axes_or_new(ax)
        for brand in table.columns:
            y = table[brand].to_numpy()
            options = {
                "marker": "o",
                "markersize": 3.5,
                "linewidth": 2.0,
                "color": palette.brand_color(brand),
                "label": brand,
                **kwargs,
            }
            (line,) = ax.plot(x, y, **options)
        if "tied" in ranks.columns:
            _mark_ties(ax, ranks, market, table)
        rows, _ = _frames.one_market(ranks, market, "the rank frame")
        annotate.mark_double_counts(ax, rows)
        if labels:
            _label_ends(ax, table, x)
        deepest = int(np.nanmax(table.to_numpy()))
        ax.set_ylim(deepest + 0.5, 0.5)
        ax.set_yticks(range(1, deepest + 1))
        ax.grid(axis="y", visible=False)
        ax.set_ylabel("rank")
        if len(x) > 1:
            span = x[-1] - x[0]
            ax.set_xlim(x[0] - span * 0.01, x[-1] + span * 0.08)
        annotate.title(ax, f"Rank, {market_name}" if title is None else title)
        annotate.footnote(ax, ranks if source is None else source, illustrative=illustrative)
    return ax


def _mark_ties(ax: Axes, ranks: pd.DataFrame, market: str | None, table: pd.DataFrame) -> None:
    """Ring the points of brands that share their rank (``tied``); gid ``"tied"``."""
    rows, _ = _frames.one_market(ranks, market, "the rank frame")
    tied = rows[rows["tied"].fillna(False).astype(bool) & rows[s.BRAND].isin(table.columns)]
    if tied.empty:
        return
    x = _frames.midpoints(tied[s.START], tied[s.END]).to_numpy()
    ax.plot(
        x,
        tied[RANK].to_numpy(dtype=float),
        linestyle="none",
        marker="o",
        markersize=9,
        markerfacecolor="none",
        markeredgecolor=palette.INK,
        markeredgewidth=0.8,
        label="tied",
    )[0].set_gid("tied")


def _label_ends(ax: Axes, table: pd.DataFrame, x: np.ndarray) -> None:
    """Name the brands of the last period at the right; the others in a legend."""
    last = table.iloc[-1]
    seen: dict[float, int] = {}
    for brand in table.columns:
        rank = last[brand]
        if np.isnan(rank):
            continue
        below = seen.get(rank, 0)
        seen[rank] = below + 1
        ax.annotate(
            brand,
            xy=(x[-1], rank),
            xytext=(6, -8 * below),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize="x-small",
            color=palette.brand_color(brand),
        ).set_gid("rank-label")
    gone = [
        line
        for line in ax.lines
        if line.get_label() in table.columns and np.isnan(last[line.get_label()])
    ]
    ties = [line for line in ax.lines if line.get_gid() == "tied"]
    hatched = [p for p in ax.patches if p.get_label() == annotate.DOUBLE_COUNT_LABEL]
    if gone or ties or hatched:
        ax.legend(
            handles=gone + ties + hatched,
            title="not in the last period" if gone else None,
            loc="upper left",
            bbox_to_anchor=(1.08, 1.0),
            borderaxespad=0.0,
            title_fontsize="x-small",
        )


def _forecast_frame(rank_forecast: object) -> pd.DataFrame:
    frame = _frames.as_frame(rank_forecast, "rank_forecast")
    _frames.require(frame, [RANK, PROBABILITY], "the rank-forecast frame")
    return frame.sort_values(RANK, kind="stable").reset_index(drop=True)


def plot_rank_forecast(
    rank_forecast: object,
    *,
    ax: Axes | None = None,
    top: int | None = None,
    brand: str | None = None,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """Probability of each rank, ranks 1..``top`` highlighted, with P(top ``top``).

    Parameters
    ----------
    rank_forecast : RankForecast or DataFrame
        A ``project_rank`` result (``.frame()`` and ``.prob_top(n)`` are used) or its
        frame [rank, probability, cumulative_probability].
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    top : int, optional
        The place that counts (a top-``top`` brand); its ranks are drawn in the brand's
        colour, the others in grey. Default: the result's ``top`` attribute, else 10.
    brand : str, optional
        The brand (default: the result's ``brand`` attribute, if any); sets the colour.
    title : str, optional
        Default "Rank forecast for <brand>, <market> <window>" (the window when the
        result names one); "" for none.
    source, illustrative
        Footnote (default source: the result's ``source`` attribute, if any).
    **kwargs
        Passed to ``Axes.bar``.

    Returns
    -------
    Axes
        One bar per rank (highlighted for rank ≤ ``top``), a dashed line after rank
        ``top`` and, under the title, ``P(top N) = x%`` (a Text with gid
        ``"prob-top"``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"rank": [1, 2, 3], "probability": [0.2, 0.5, 0.3]})
    >>> ax = plot_rank_forecast(frame, top=2, brand="Xiaomi")
    >>> len(ax.patches), [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"]
    (3, ['P(top 2) = 70%'])
    >>> plt.close(ax.figure)
    """
    if top is None:
        top = _frames.attribute(rank_forecast, "top")
        top = 10 if top is None else top
    if not isinstance(top, (int, np.integer)) or isinstance(top, bool) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    frame = _forecast_frame(rank_forecast)
    brand = brand if brand is not None else _frames.attribute(rank_forecast, "brand")
    prob_top = _frames.attribute(rank_forecast, "prob_top")
    if callable(prob_top):
        p_top = float(prob_top(top))
    else:
        p_top = float(frame.loc[frame[RANK] <= top, PROBABILITY].sum())
    highlight = palette.brand_color(brand) if brand else palette.ACCENT
    ranks = frame[RANK].to_numpy()
    colors = np.where(ranks <= top, highlight, palette.BRAND_COLORS[s.OTHERS])
    with rc.context():
        ax = rc.axes_or_new(ax)
        options = {"width": 0.8, "color": list(colors), **kwargs}
        ax.bar(ranks, frame[PROBABILITY].to_numpy(), **options)
        if ranks.min() <= top < ranks.max():
            ax.axvline(top + 0.5, color=palette.MUTED, linestyle="--", linewidth=1.0)
        who = brand or "the brand"
        heading = f"Rank forecast for {who}" if title is None else title
        where = _frames.window_name(rank_forecast, frame)
        if title is None and where:
            heading += f", {where}"
        ax.set_title(heading, loc="left", fontweight="bold", pad=20)
        ax.annotate(
            f"P(top {top}) = {percent_label(p_top, decimals=1 if 0 < p_top < 0.1 else 0)}",
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 5),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize="small",
            fontweight="bold",
            color=highlight,
        ).set_gid("prob-top")
        ax.set_xlabel("rank")
        ax.set_ylabel("probability")
        ax.yaxis.set_major_formatter(ticks.percent_formatter())
        step = max(1, int(np.ceil(len(ranks) / 20)))
        ax.set_xticks(ranks[::step])
        ax.set_xlim(ranks.min() - 0.6, ranks.max() + 0.6)
        ax.grid(axis="x", visible=False)
        if source is None:
            source = _frames.attribute(rank_forecast, "source")
        annotate.footnote(ax, source, illustrative=illustrative)
    return ax

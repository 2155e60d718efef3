"""Ranks over time: a bump chart, gaps where a brand is not listed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import market_label
from analysis._validation import check_integer
from analysis.plots import _frames, _windows, annotate, palette, rc
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["label_positions", "plot_ranks", "rank_table"]

RANK = "rank"
PROBABILITY = "probability"
LABEL_POINTS = 11.0  # vertical room of one end label (x-small text and its leading), in points


def rank_table(
    data: pd.DataFrame, *, market: str | None = None, top: int | None = 10
) -> pd.DataFrame:
    """Ranks as a window × brand table: NaN where a brand is absent from a window.

    Residual rows (``Others``, ``Unknown``) are not brands and are left out. A window that
    lists a single brand ranks nothing (it is first only because it is alone): NaN there.
    With ``top``, only brands ranked ``top`` or better at least once are kept; columns are
    ordered by their rank in the last window they appear in, then by name.

    Raises
    ------
    DataError
        When a column is missing, a (window, brand) repeats, or the rows mix measures.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "start": pd.to_datetime(["2012-01-01"] * 2 + ["2012-04-01"] * 2),
    ...     "end": pd.to_datetime(["2012-03-31"] * 2 + ["2012-06-30"] * 2),
    ...     "brand": ["HTC", "Apple", "Apple", "Others"], "rank": [2, 1, 1, None]})
    >>> rank_table(frame)
                           Apple  HTC
    start      end
    2012-01-01 2012-03-31    1.0  2.0
    2012-04-01 2012-06-30    NaN  NaN
    """
    _frames.require(data, [s.START, s.END, s.BRAND, RANK], "the rank frame")
    rows, _ = _frames.one_market(data, market, "the rank frame")
    _windows.check_one_measure(rows, "the rank frame")
    rows = rows[~rows[s.BRAND].isin(s.RESIDUAL_BRANDS) & rows[s.BRAND].notna()]
    _frames.check_unique(rows, [s.START, s.END, s.BRAND], "the rank frame")
    table = rows.pivot(index=[s.START, s.END], columns=s.BRAND, values=RANK)
    table = table.sort_index().astype(float)
    table.columns = table.columns.astype(object)
    table.columns.name = None
    table[table.notna().sum(axis=1) < 2] = np.nan  # one brand listed: no rank
    if top is not None:
        top = check_integer(top, "top", minimum=1)
        table = table.loc[:, (table <= top).any()]
    last = table.ffill().iloc[-1]
    # order: brands present in the last window by rank, then the others by last rank
    present = table.iloc[-1].notna()
    key = pd.DataFrame({"gone": ~present, "rank": last, "brand": table.columns})
    order = key.sort_values(["gone", "rank", "brand"], kind="stable")["brand"].tolist()
    return table[order]


def _alone(data: pd.DataFrame, market: str | None) -> list[str]:
    """Labels of the windows that list a single brand (and so rank nothing)."""
    rows, _ = _frames.one_market(data, market, "the rank frame")
    rows = rows[~rows[s.BRAND].isin(s.RESIDUAL_BRANDS) & rows[s.BRAND].notna()]
    counts = rows.groupby([s.START, s.END], dropna=False).size()
    alone = counts[counts < 2].index
    return _frames.labels(alone.get_level_values(0), alone.get_level_values(1))


def _broken(x: np.ndarray, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x and rows of ``table`` with a NaN row between windows that do not follow one
    another, so a line never bridges a window the source skipped."""
    windows = table.index.to_frame(index=False)
    joined = _windows.contiguous(windows)
    values = table.to_numpy(dtype=float)
    xs, ys = [x[0]], [values[0]]
    for i in range(1, len(x)):
        if not joined[i - 1]:
            xs.append(x[i - 1] + (x[i] - x[i - 1]) / 2)
            ys.append(np.full(values.shape[1], np.nan))
        xs.append(x[i])
        ys.append(values[i])
    return np.array(xs), np.vstack(ys), values


def plot_ranks(
    data: pd.DataFrame,
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
    """Rank over time as a bump chart; a brand absent from a window shows a gap.

    Parameters
    ----------
    data : DataFrame
        ``rank_brands`` output: [market, start, end, brand, units, share, rank, tied];
        ``start``, ``end``, ``brand`` and ``rank`` are needed. Residual rows (``Others``)
        are skipped; a window that lists one brand has no rank (said in the subtitle).
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    market : str, optional
        Market to draw when the frame holds several.
    top : int or None
        Draw brands that reached rank ``top`` or better at least once (None: all).
    labels : bool
        Write the names of the brands ranked in the last window at the right of their
        last point, spread apart so that none overlaps (:func:`label_positions`; a thin
        leader joins a moved label to its point); brands that left earlier are named in
        a legend on the right (with the "tied" ring, if any).
    title : str, optional
        Default "Rank, <market name>"; "" for none.
    source, illustrative
        Footnote, as in :func:`analysis.plots.plot_shares`.
    **kwargs
        Passed to ``Axes.plot`` for every brand's line.

    Returns
    -------
    Axes
        One Line2D per brand (label = brand, colour = the brand's), over window
        midpoints, NaN where the brand is absent and between windows that do not follow
        one another; rank 1 at the top. Tied points are ringed (gid ``"tied"``); windows
        flagged ``double_count`` are hatched (gid ``"double-count"``).

    Raises
    ------
    DataError
        When a column is missing, or the rows mix measures or window lengths.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({
    ...     "start": pd.to_datetime(["2012-01-01"] * 2 + ["2012-04-01"] * 2),
    ...     "end": pd.to_datetime(["2012-03-31"] * 2 + ["2012-06-30"] * 2),
    ...     "brand": ["HTC", "Apple", "Apple", "HTC"], "rank": [2, 1, 1, 2]})
    >>> ax = plot_ranks(frame)
    >>> [line.get_label() for line in ax.lines]
    ['Apple', 'HTC']
    >>> plt.close(ax.figure)
    """
    table = rank_table(data, market=market, top=top)
    rows, market_name = _frames.one_market(data, market, "the rank frame")
    windows = table.index.to_frame(index=False)
    _windows.check_one_granularity(windows, "the rank frame")
    if table.shape[1] == 0:
        raise ValueError(f"no brand reached rank {top} or better; pass a larger top=")
    x = _frames.midpoints(windows[s.START], windows[s.END]).to_numpy()
    xs, ys, values = _broken(x, table)
    with rc.context():
        ax = rc.axes_or_new(ax)
        for j, brand in enumerate(table.columns):
            options = {
                "marker": "o",
                "markersize": 3.5,
                "linewidth": 2.0,
                "color": palette.brand_color(brand),
                "label": brand,
                **kwargs,
            }
            ax.plot(xs, ys[:, j], **options)
        if "tied" in rows.columns:
            _mark_ties(ax, rows, table)
        annotate.mark_double_counts(ax, rows)
        deepest = int(np.nanmax(values)) if np.isfinite(values).any() else 1
        ax.set_ylim(deepest + 0.5, 0.5)
        ax.set_yticks(range(1, deepest + 1))
        ax.grid(axis="y", visible=False)
        ax.set_ylabel("rank")
        if len(x) > 1:
            span = x[-1] - x[0]
            ax.set_xlim(x[0] - span * 0.01, x[-1] + span * 0.08)
        if labels:
            _label_ends(ax, table, x)
        alone = _alone(data, market)
        note = None
        if alone:
            shown = ", ".join(alone[:4]) + (f" and {len(alone) - 4} more" if len(alone) > 4 else "")
            note = f"no rank where a window lists a single brand ({shown})"
        where = market_label(market_name)
        heading = f"Rank, {where}" if where else "Rank"
        annotate.title(ax, heading if title is None else title, note)
        annotate.footnote(ax, data if source is None else source, illustrative=illustrative)
    return ax


def _mark_ties(ax: Axes, rows: pd.DataFrame, table: pd.DataFrame) -> None:
    """Ring the points of brands that share their rank (``tied``); gid ``"tied"``."""
    ranked = table.stack().rename(RANK).reset_index().rename(columns={"level_2": s.BRAND})
    tied = rows[rows["tied"].fillna(False).astype(bool) & rows[s.BRAND].isin(table.columns)]
    tied = tied[[s.START, s.END, s.BRAND]].merge(ranked, on=[s.START, s.END, s.BRAND])
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


def label_positions(ranks: np.ndarray, *, gap: float, low: float, high: float) -> np.ndarray:
    """Label heights near ``ranks`` at least ``gap`` apart, within ``low``..``high``.

    Deterministic: labels keep the order of their ranks (ties in the order given), are
    pushed down just enough to clear the one above, then pulled up together if the last
    falls below ``high`` (the bottom of an inverted rank axis).

    Examples
    --------
    >>> label_positions(np.array([1.0, 2.0, 2.0, 2.0]), gap=0.5, low=0.5, high=5.5).tolist()
    [1.0, 2.0, 2.5, 3.0]
    >>> label_positions(np.array([5.0, 5.0]), gap=1.0, low=0.5, high=5.5).tolist()
    [4.5, 5.5]
    """
    order = np.argsort(ranks, kind="stable")
    placed = ranks[order].astype(float).copy()
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    for i in range(len(placed) - 1, -1, -1):
        limit = high if i == len(placed) - 1 else placed[i + 1] - gap
        placed[i] = min(placed[i], limit)
    placed = np.maximum(placed, low)
    out = np.empty_like(placed)
    out[order] = placed
    return out


def _label_ends(ax: Axes, table: pd.DataFrame, x: np.ndarray) -> None:
    """Name the brands of the last window at the right, none overlapping; the others
    in a legend."""
    last = table.iloc[-1]
    shown = [b for b in table.columns if not np.isnan(last[b])]
    bottom, top = ax.get_ylim()  # inverted: bottom is the deepest rank + 0.5
    points = ax.get_window_extent().height * 72.0 / ax.figure.dpi
    gap = LABEL_POINTS * abs(bottom - top) / max(points, 1.0)
    heights = label_positions(
        np.array([last[b] for b in shown], dtype=float), gap=gap, low=top, high=bottom
    )
    from matplotlib.transforms import offset_copy

    right = offset_copy(ax.transData, fig=ax.figure, x=6, units="points")
    for brand, y in zip(shown, heights, strict=True):
        color = palette.brand_color(brand)
        moved = not np.isclose(y, last[brand])
        ax.annotate(
            brand,
            xy=(x[-1], last[brand]),
            xytext=(x[-1], y),
            textcoords=right,
            va="center",
            ha="left",
            fontsize="x-small",
            color=color,
            arrowprops=(
                {"arrowstyle": "-", "color": color, "linewidth": 0.5, "relpos": (0, 0.5)}
                if moved
                else None
            ),
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

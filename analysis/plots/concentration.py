"""Concentration over time: HHI with the merger-guideline bands and the HHI bounds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import market_label
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["BANDS", "BOUNDS_LABEL", "GUIDELINES", "plot_concentration"]

HHI, HHI_LOWER, HHI_UPPER = "hhi", "hhi_lower", "hhi_upper"
HHI_MAX = 10_000.0

#: HHI bands of the 2023 U.S. Merger Guidelines (DOJ/FTC, section 2.1): (name, low, high);
#: a market is unconcentrated below 1,000, moderately concentrated from 1,000 to 1,800
#: and highly concentrated above 1,800.
BANDS: tuple[tuple[str, float, float], ...] = (
    ("unconcentrated", 0.0, 1_000.0),
    ("moderately concentrated", 1_000.0, 1_800.0),
    ("highly concentrated", 1_800.0, HHI_MAX),
)
BAND_COLORS = {
    "unconcentrated": "#E8F3E8",
    "moderately concentrated": "#FFF4D6",
    "highly concentrated": "#FBE3E1",
}
GUIDELINES = "HHI bands: 2023 U.S. Merger Guidelines"


def plot_concentration(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    market: str | None = None,
    bands: bool = True,
    bounds: bool = True,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """HHI over time over the guideline bands, with the range the unknown tail allows.

    Parameters
    ----------
    data : DataFrame
        ``concentration`` output: [market, start, end, hhi, hhi_lower, hhi_upper, cr4,
        ..., double_count]; ``start``, ``end`` and ``hhi`` are needed, the bounds are
        drawn when present. ``hhi`` is NaN where an ``Others`` residual hides the tail:
        those windows show only the bounds (a gap in the line, not a guess). Windows
        flagged ``double_count`` are hatched (gid ``double-count``). Several markets give
        one line each (``market=`` picks one).
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    bands : bool
        Shade the bands of :data:`BANDS` (each a Rectangle with gid ``band:<name>``).
    bounds : bool
        Shade ``hhi_lower``..``hhi_upper`` where they differ (the HHI a residual
        ``Others`` of unknown make-up allows: lower when it is spread thin over many tiny
        firms, upper when it is one firm); gid ``hhi-bounds``, labelled
        :data:`BOUNDS_LABEL`, edged by thin lines with gids ``hhi-lower``/``hhi-upper``.
    title : str, optional
        Default "Concentration (HHI), <market>"; "" for none.
    source, illustrative
        Footnote; the guideline reference is always added to it. ``concentration``
        output has no ``source`` column: pass the figures (or their sources) here.
    **kwargs
        Passed to ``Axes.plot`` for the HHI line(s).

    Returns
    -------
    Axes
        One Line2D per market (gid ``hhi``, label: the market) on the 0-10,000 HHI
        scale; a market whose HHI is unknown in every window has no such line, only its
        bounds (when ``bounds``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({
    ...     "market": "TW", "start": pd.to_datetime(["2012-01-01", "2013-01-01"]),
    ...     "end": pd.to_datetime(["2012-12-31", "2013-12-31"]), "hhi": [1900.0, 1750.0]})
    >>> ax = plot_concentration(frame)
    >>> [p.get_gid() for p in ax.patches]
    ['band:unconcentrated', 'band:moderately concentrated', 'band:highly concentrated']
    >>> plt.close(ax.figure)
    """
    _frames.require(data, [s.START, s.END, HHI], "the data frame")
    if market is not None or s.MARKET not in data.columns:
        rows, _ = _frames.one_market(data, market, "the data frame")
        groups = [(market or "", rows)]
    else:
        groups = [
            (str(name), rows) for name, rows in data.groupby(s.MARKET, sort=True, observed=True)
        ]
    has_bounds = {HHI_LOWER, HHI_UPPER} <= set(data.columns)
    top = 0.0
    with rc.context():
        ax = rc.axes_or_new(ax)
        for name, rows in groups:
            _frames.check_unique(rows, [s.START, s.END], "the data frame")
            rows = rows.sort_values([s.END, s.START], kind="stable")
            x = _frames.midpoints(rows[s.START], rows[s.END]).to_numpy()
            hhi = rows[HHI].to_numpy(dtype=float)
            color = palette.INK if len(groups) == 1 else palette.brand_color(name)
            known = np.isfinite(hhi)
            if known.any() or not (bounds and has_bounds):
                options = {
                    "color": color,
                    "label": market_label(name) or "HHI",
                    "marker": "o" if len(x) <= 24 else None,
                    "markersize": 4,
                    **kwargs,
                }
                (line,) = ax.plot(x, hhi, **options)  # NaN: a gap where only bounds exist
                line.set_gid("hhi")
                color = line.get_color()
                if known.any():
                    top = max(top, float(np.nanmax(hhi)))
            if bounds and has_bounds:
                top = max(top, _draw_bounds(ax, rows, x, hhi, color, name, len(groups)))
        if bounds and has_bounds and "double_count" in data.columns:
            annotate.mark_double_counts(ax, data)
        periods = data[[s.START, s.END]].drop_duplicates()
        if len(periods) == 1:  # one period: label it rather than a span of dates
            start, end = periods.iloc[0]
            middle = _frames.midpoints(periods[s.START], periods[s.END]).iloc[0]
            width = (end - start) if pd.notna(start) else pd.Timedelta(days=365)
            ax.set_xlim(middle - width, middle + width)
            ax.set_xticks([middle], _frames.labels(periods[s.START], periods[s.END]))
            ax.grid(axis="x", visible=False)
        # headroom for the legend (upper left) when there is one
        marked = {a.get_gid() for a in [*ax.collections, *ax.patches]}
        legend = len(groups) > 1 or bool({"hhi-bounds", "double-count"} & marked)
        ceiling = min(HHI_MAX, max(2_400.0, top * (1.3 if legend else 1.15)))
        if bands:
            for band, low, high in BANDS:
                patch = ax.axhspan(low, high, color=BAND_COLORS[band], zorder=0, linewidth=0)
                patch.set_gid(f"band:{band}")
                if low < ceiling:
                    ax.annotate(
                        band,
                        xy=(1.0, (low + min(high, ceiling)) / 2),
                        xycoords=("axes fraction", "data"),
                        xytext=(-4, 0),
                        textcoords="offset points",
                        ha="right",
                        va="center",
                        fontsize="x-small",
                        color=palette.MUTED,
                    ).set_gid("band-label")
        ax.set_ylim(0, ceiling)
        ax.yaxis.set_major_formatter(ticks.hhi_formatter())
        ax.set_ylabel("HHI (0-10,000)")
        ax.grid(axis="y", visible=False)
        if legend:
            ax.legend(
                loc="upper left",
                ncols=2 if len(groups) > 1 else 1,
                frameon=True,
                facecolor="white",
                edgecolor="none",
                framealpha=0.9,
            )
        who = market_label(groups[0][0]) if len(groups) == 1 else "by market"
        annotate.title(ax, f"Concentration (HHI), {who}" if title is None else title)
        found = annotate.sources_of(data if source is None else source)
        annotate.footnote(ax, [*found, GUIDELINES], illustrative=illustrative)
    return ax


BOUNDS_LABEL = "HHI bounds: Others spread thin (lower) … Others as one firm (upper)"


def _draw_bounds(
    ax: Axes,
    rows: pd.DataFrame,
    x: np.ndarray,
    hhi: np.ndarray,
    color: str,
    name: str,
    n_groups: int,
) -> float:
    """Shade hhi_lower..hhi_upper where they differ, edge them with thin lines; return
    the highest upper bound drawn (0 when none)."""
    lower = rows[HHI_LOWER].to_numpy(dtype=float)
    upper = rows[HHI_UPPER].to_numpy(dtype=float)
    unknown = np.isfinite(lower) & np.isfinite(upper) & (upper > lower)
    if not unknown.any():
        return 0.0
    label = BOUNDS_LABEL if n_groups == 1 else f"{market_label(name)}: HHI bounds"
    if len(x) == 1:  # one period: a range bar with its ends written out
        middle = hhi if np.isfinite(hhi).all() else (lower + upper) / 2
        bar = ax.errorbar(
            x,
            middle,
            yerr=[middle - lower, upper - middle],
            fmt="none",
            ecolor=color,
            elinewidth=6,
            capsize=0,
            alpha=0.35,
            label=label,
        )
        for collection in bar.lines[2]:  # the vertical bar: a LineCollection
            collection.set_gid("hhi-bounds")
        for value, name_ in ((lower[0], "hhi-lower"), (upper[0], "hhi-upper")):
            (line,) = ax.plot(
                x, [value], marker="_", markersize=18, color=color, label="_nolegend_"
            )
            line.set_gid(name_)
            ax.annotate(
                f"{value:,.0f}",
                xy=(x[0], value),
                xytext=(12, 0),
                textcoords="offset points",
                va="center",
                fontsize="small",
                color=color,
            ).set_gid("bound-label")
        return float(upper[0])
    fill = ax.fill_between(
        x,
        np.where(unknown, lower, np.nan),
        np.where(unknown, upper, np.nan),
        color=color,
        alpha=0.18,
        linewidth=0,
        label=label,
    )
    fill.set_gid("hhi-bounds")
    for edge, values in (("hhi-lower", lower), ("hhi-upper", upper)):
        (line,) = ax.plot(
            x,
            np.where(unknown, values, np.nan),
            color=color,
            linewidth=0.8,
            alpha=0.7,
            label="_nolegend_",
        )
        line.set_gid(edge)
    return float(np.nanmax(np.where(unknown, upper, np.nan)))

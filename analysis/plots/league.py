"""The league table of a tracker's press release as a chart: top brands' units, share and
change on the compared window, with ``Others`` and the market total noted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import market_label, percent_label, pp_label, units_label
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["TOTAL", "plot_league_table", "row_label"]

COLUMNS = [s.BRAND, s.UNITS, s.SHARE]
TOTAL = "Total"  #: the brand of the market-total row


def _growth_label(growth: float) -> str:
    if not np.isfinite(growth):
        return ""
    return f"{'+' if growth > 0 else ''}{percent_label(growth)}".replace("-", "−")


def row_label(row: pd.Series) -> str:
    """The text at a bar's end: units, share, and the change on the compared window.

    Examples
    --------
    >>> row_label(pd.Series({"units": 1_470_000, "share": 0.281, "growth": 0.125,
    ...                      "share_pp": 2.1}))
    '1.47M · 28% · +12% (+2.1 pp)'
    >>> row_label(pd.Series({"units": 900_000, "share": 0.17, "growth": float("nan")}))
    '900k · 17%'
    """
    parts = [units_label(row[s.UNITS]), percent_label(row[s.SHARE])]
    growth = float(row["growth"]) if "growth" in row and pd.notna(row["growth"]) else np.nan
    points = row.get("share_pp", np.nan)
    change = _growth_label(growth)
    if pd.notna(points):  # share_pp is in points, as pp_label takes them
        change = f"{change} ({pp_label(float(points)).replace('-', '−')})".strip()
    if change:
        parts.append(change)
    return " · ".join(p for p in parts if p)


def _is_total(brands: pd.Series) -> np.ndarray:
    text = brands.astype("string").str.strip().str.casefold()
    return (brands.isna() | (text == TOTAL.casefold())).to_numpy(dtype=bool)


def plot_league_table(
    data: object,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """Top brands of a window as horizontal bars of units, labelled with share and change.

    Parameters
    ----------
    data : LeagueTable or DataFrame
        An ``analysis.league_table`` result (its ``.frame()`` is drawn; ``market``,
        ``label``, ``compare_label``, ``notes`` and ``source`` are used when present)
        or its frame: [brand, units, share] and optionally units_compare, share_compare,
        growth (a fraction, 0.12 = +12%), share_pp (percentage points), rank. A row with brand ``"Total"``
        (or NA) is the market total: written under the title, not drawn as a bar.
        ``Others`` is drawn last, in grey.
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    title : str, optional
        Default "Top brands, <market> <window>"; "" for none.
    source, illustrative
        Footnote (default source: the result's ``source`` or the frame's column).
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    Axes
        One bar per brand (largest at the top, ``Others`` at the bottom) in the brand's
        colour, each with a label (gid ``"league-label"``, see :func:`row_label`); the
        total under the title (gid ``"subtitle"``).

    Raises
    ------
    DataError
        When the frame lacks brand, units or share, or is empty.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"brand": ["Samsung", "HTC", "Others", "Total"],
    ...                       "units": [2.0e6, 1.6e6, 2.05e6, 5.65e6],
    ...                       "share": [0.354, 0.283, 0.363, 1.0]})
    >>> ax = plot_league_table(frame)
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "league-label"]
    ['2M · 35%', '1.6M · 28%', '2.05M · 36%']
    >>> plt.close(ax.figure)
    """
    frame = _frames.as_frame(data, "data")
    _frames.require(frame, COLUMNS, "the league table")
    total_rows = _is_total(frame[s.BRAND])
    total = frame[total_rows]
    rows = frame[~total_rows]
    _frames.check_unique(rows, [s.BRAND], "the league table")
    residual = rows[s.BRAND].isin(s.RESIDUAL_BRANDS).to_numpy()
    ordered = pd.concat(
        [
            rows[~residual].sort_values(s.UNITS, ascending=False, kind="stable"),
            rows[residual],
        ]
    ).reset_index(drop=True)
    brands = ordered[s.BRAND].astype(str).tolist()
    y = np.arange(len(brands))[::-1].astype(float)
    with rc.context():
        ax = rc.axes_or_new(ax)
        options = {"height": 0.65, "color": palette.brand_colors(brands), **kwargs}
        ax.barh(y, ordered[s.UNITS].to_numpy(dtype=float), **options)
        for position, (_, row) in zip(y, ordered.iterrows(), strict=True):
            ax.annotate(
                row_label(row),
                xy=(float(row[s.UNITS]), position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize="small",
                color=palette.INK,
            ).set_gid("league-label")
        ax.set_yticks(y, brands)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(ticks.units_formatter())
        ax.set_xlabel("units")
        widest = float(np.nanmax(ordered[s.UNITS].to_numpy(dtype=float)))
        ax.set_xlim(0, widest * 1.45)  # room for the labels at the bars' ends
        heading = _heading(data, frame) if title is None else title
        annotate.title(ax, heading, _subtitle(data, total))
        said = _frames.attribute(data, "notes")
        if said:
            annotate.note(ax, "\n".join(str(n) for n in said))
        if source is None:
            source = _frames.attribute(data, "source") or frame
        annotate.footnote(ax, source, illustrative=illustrative)
    return ax


def _heading(data: object, frame: pd.DataFrame) -> str:
    market = _frames.attribute(data, s.MARKET)
    if market is None and s.MARKET in frame.columns and frame[s.MARKET].nunique() == 1:
        market = frame[s.MARKET].iloc[0]
    window = _frames.attribute(data, "label")
    if not isinstance(window, str):
        window = _frames.window_name(data, frame.drop(columns=[s.MARKET], errors="ignore"))
    parts = [market_label(market) if market is not None else "", str(window or "")]
    where = " ".join(p for p in parts if p)
    return f"Top brands, {where}" if where else "Top brands"


def _subtitle(data: object, total: pd.DataFrame) -> str | None:
    notes = []
    if not total.empty:
        notes.append(f"market total {units_label(total[s.UNITS].iloc[0])}")
    then = _frames.attribute(data, "compare_label")
    compare = _frames.attribute(data, "compare")
    if isinstance(then, str):
        against = " (a year before)" if compare == "year" else ""
        notes.append(f"change on {then}{against}")
    elif compare is not None:
        against = {"year": "the year before", "previous": "the previous window"}
        notes.append(f"change on {against.get(str(compare), str(compare))}")
    return "; ".join(notes) or None

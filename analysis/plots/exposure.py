"""Exposure: a brand × market heat map of volume shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import market_label, percent_label
from analysis.plots import _frames, palette, rc, ticks
from analysis.plots import annotate as notes
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["exposure_table", "plot_exposure"]

EXPOSURE = "exposure"
MISSING = "#F4F4F4"  # cells without a figure


def _exposure_frame(data: object) -> pd.DataFrame:
    # a (frame, summary) pair: take the per brand x market frame
    if isinstance(data, tuple) and data and isinstance(data[0], pd.DataFrame):
        return data[0]
    return _frames.as_frame(data, "data")


def _decimals(values: np.ndarray) -> int:
    """Decimals for every cell of a heat map: 1 when whole percent would show a share
    that is neither 0 nor 1 as ``0%`` or ``100%``, else 0; one rounding for all cells.

    Examples
    --------
    >>> _decimals(np.array([0.25, 0.75])), _decimals(np.array([0.995, 0.004, np.nan]))
    (0, 1)
    """
    finite = values[np.isfinite(values)]
    hidden = (
        (0 < finite)
        & (finite < 1)
        & ((np.round(finite * 100) == 0) | (np.round(finite * 100) == 100))
    )
    return 1 if hidden.any() else 0


def _cell_text(value: float, decimals: int = 0) -> str:
    """A cell's percentage with the table's decimals; ``–`` where there is no figure.

    Examples
    --------
    >>> [_cell_text(v, 1) for v in (0.25, 0.0049, 0.99, float("nan"))]
    ['25.0%', '0.5%', '99.0%', '–']
    """
    if np.isnan(value):
        return "–"
    return percent_label(value, decimals=decimals)


def exposure_table(data: object) -> pd.DataFrame:
    """Exposure as a brand × market table (NaN where a brand has no figure).

    Brands are ordered by total units (largest first) when ``units`` is given, else by
    name; markets likewise.

    Examples
    --------
    >>> frame = pd.DataFrame({"brand": ["HTC", "HTC", "Apple"], "market": ["US", "TW", "US"],
    ...                       "units": [6.0, 2.0, 9.0], "exposure": [0.75, 0.25, 1.0]})
    >>> exposure_table(frame)
             US    TW
    Apple  1.00   NaN
    HTC    0.75  0.25
    """
    frame = _exposure_frame(data)
    _frames.require(frame, [s.BRAND, s.MARKET, EXPOSURE], "the exposure frame")
    if {s.START, s.END} <= set(frame.columns):
        windows = frame.groupby(s.BRAND, observed=True)[[s.START, s.END]].nunique()
        several = windows[(windows > 1).any(axis=1)].index.tolist()
        if several:
            raise ValueError(
                f"the exposure frame holds several windows for {several[:5]}; a heat map "
                "shows one window per brand: select it first, e.g. "
                "frame[frame['end'] == '2021-03-31']"
            )
    _frames.check_unique(frame, [s.BRAND, s.MARKET], "the exposure frame")
    table = frame.pivot(index=s.BRAND, columns=s.MARKET, values=EXPOSURE).astype(float)
    table.index = table.index.astype(object)
    table.columns = table.columns.astype(object)
    table.index.name = table.columns.name = None
    if s.UNITS in frame.columns:
        brands = frame.groupby(s.BRAND, observed=True)[s.UNITS].sum()
        markets = frame.groupby(s.MARKET, observed=True)[s.UNITS].sum()
        brand_order = sorted(table.index, key=lambda b: (-brands[b], str(b)))
        market_order = sorted(table.columns, key=lambda m: (-markets[m], str(m)))
    else:
        brand_order = sorted(table.index, key=str)
        market_order = sorted(table.columns, key=str)
    return table.loc[brand_order, market_order]


def plot_exposure(
    data: object,
    *,
    ax: Axes | None = None,
    annotate: bool = True,
    colorbar: bool = True,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """Brand × market heat map of each brand's volume share by market, annotated.

    Parameters
    ----------
    data : Exposure, DataFrame, or (frame, summary) tuple
        An ``exposure`` result (its ``.frame()`` is drawn) or a frame [brand, market,
        units, exposure] (exposure: the fraction of the brand's units sold in that
        market; a row sums to 1 when every market is known). One window per brand: a
        frame with several windows for a brand raises ValueError (select one first); a
        single window common to all rows is named in the default title.
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    annotate : bool
        Write each cell's percentage (``–`` where there is no figure); gid ``"cell"``.
    colorbar : bool
        Add a colour bar (percent scale).
    title : str, optional
        Default "Where each brand's units come from"; "" for none.
    source, illustrative
        Footnote, as in :func:`analysis.plots.plot_shares`.
    **kwargs
        Passed to ``Axes.imshow`` (e.g. ``cmap``).

    Returns
    -------
    Axes
        One image (brands as rows, markets as columns, values 0-1).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"brand": ["HTC", "HTC"], "market": ["US", "TW"],
    ...                       "units": [6.0, 2.0], "exposure": [0.75, 0.25]})
    >>> ax = plot_exposure(frame)
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "cell"]
    ['75%', '25%']
    >>> plt.close(ax.figure)
    """
    table = exposure_table(data)
    values = table.to_numpy()
    with rc.context():
        ax = rc.axes_or_new(ax)
        import matplotlib

        options = {"cmap": "Blues", "vmin": 0.0, "vmax": 1.0, "aspect": "auto", **kwargs}
        if isinstance(options["cmap"], str):
            options["cmap"] = matplotlib.colormaps[options["cmap"]]
        options["cmap"] = options["cmap"].with_extremes(bad=MISSING)
        image = ax.imshow(np.ma.masked_invalid(values), **options)
        ax.set_xticks(range(table.shape[1]), [market_label(m) for m in table.columns])
        ax.set_yticks(range(table.shape[0]), [str(b) for b in table.index])
        ax.tick_params(axis="both", length=0)
        ax.xaxis.tick_top()
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if annotate:
            decimals = _decimals(values)
            for (i, j), value in np.ndenumerate(values):
                dark = not np.isnan(value) and image.norm(value) > 0.6
                ax.text(
                    j,
                    i,
                    _cell_text(value, decimals),
                    ha="center",
                    va="center",
                    fontsize="small",
                    color="white" if dark else palette.INK,
                ).set_gid("cell")
        if colorbar:
            bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
            bar.ax.yaxis.set_major_formatter(ticks.percent_formatter())
            bar.outline.set_visible(False)
            bar.ax.tick_params(labelsize="x-small")
        heading = "Where each brand's units come from" if title is None else title
        frame = _exposure_frame(data)
        if title is None and {s.START, s.END} <= set(frame.columns):
            windows = frame[[s.START, s.END]].drop_duplicates()
            if len(windows) == 1:
                heading += ", " + _frames.labels(windows[s.START], windows[s.END])[0]
        if heading:  # above the market labels, which sit on top
            ax.set_title(heading, loc="left", fontweight="bold", pad=22)
        frame = _exposure_frame(data)
        notes.footnote(ax, frame if source is None else source, illustrative=illustrative)
    return ax

"""House rc settings, applied only inside ``with context():``, and new figures in house
style. Nothing changes matplotlib's global state on import."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from analysis.plots.palette import GRID, INK

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes

__all__ = ["DPI", "FIGSIZE", "RC", "axes_or_new", "context", "new_axes"]

FIGSIZE = (8.0, 4.5)  # inches; 1600 x 900 pixels at 200 dpi
DPI = 200
SVG_HASHSALT = "marketshare"

RC: dict[str, Any] = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.1,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.labelsize": 9,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#9A9A9A",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "legend.fontsize": 8,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "pdf.fonttype": 42,  # embed TrueType: text stays text in the PDF
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": SVG_HASHSALT,
    "image.cmap": "Blues",
}


@contextlib.contextmanager
def context(**overrides: Any) -> Iterator[None]:
    """Apply the house rc settings (:data:`RC`, plus ``overrides``) inside a ``with`` block.

    Examples
    --------
    >>> import matplotlib
    >>> before = matplotlib.rcParams["axes.spines.top"]
    >>> with context():
    ...     matplotlib.rcParams["axes.spines.top"]
    False
    >>> matplotlib.rcParams["axes.spines.top"] == before
    True
    """
    import matplotlib

    # rc_context restores every rcParam on exit, "interactive" included. When the first
    # figure of a Jupyter session is made inside it, the inline backend switches
    # interactive mode on, and restoring it would stop every later figure from showing.
    # So interactive mode is left as the block leaves it.
    with matplotlib.rc_context({**RC, **overrides}):
        try:
            yield
        finally:
            interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)


def new_axes(*, figsize: Sequence[float] | None = None, **subplot_kw: Any) -> Axes:
    """A new figure of the standard size (:data:`FIGSIZE`) with one Axes, in house style.

    Uses ``pyplot`` so the figure shows in Jupyter; never calls ``show``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = new_axes()
    >>> ax.figure.get_size_inches().tolist()
    [8.0, 4.5]
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt

    with context():
        fig, ax = plt.subplots(figsize=tuple(figsize or FIGSIZE), subplot_kw=subplot_kw)
    return ax


def axes_or_new(ax: Axes | None, **kwargs: Any) -> Axes:
    """``ax`` in house style, or :func:`new_axes` when it is None.

    An Axes made elsewhere (e.g. by ``plt.subplots`` outside :func:`context`) gets the
    house look of its frame: no top/right spines, a light grid, muted ticks.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> axes_or_new(ax) is ax, ax.spines["top"].get_visible()
    (True, False)
    >>> plt.close(fig)
    """
    if ax is None:
        return new_axes(**kwargs)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(RC["axes.edgecolor"])
        ax.spines[side].set_linewidth(RC["axes.linewidth"])
    ax.set_axisbelow(True)
    ax.grid(True, color=GRID, linewidth=RC["grid.linewidth"])
    ax.tick_params(colors=RC["xtick.color"], labelsize=RC["xtick.labelsize"])
    return ax

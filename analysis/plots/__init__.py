"""Charts in house style: ``plot_x(data, *, ax=None, **kwargs) -> Axes``.

Each function draws on ``ax`` (or a new figure of the standard size), passes ``**kwargs``
to its main artist, writes a source footnote and returns the Axes; none calls
``plt.show()``. House style (palette, formatters, footnotes, rc settings, saving) lives in
:mod:`analysis.plots.style`. Not imported by ``import analysis``; matplotlib is imported
only when a chart is drawn.
"""

from analysis.plots import style
from analysis.plots.concentration import plot_concentration
from analysis.plots.exposure import plot_exposure
from analysis.plots.ranks import plot_rank_forecast, plot_ranks
from analysis.plots.scenarios import plot_entry, plot_sensitivity
from analysis.plots.shares import plot_shares
from analysis.plots.shipments import plot_shipments
from analysis.plots.style import (
    BRAND_COLORS,
    brand_color,
    brand_colors,
    context,
    footnote,
    footnote_text,
    format_percent,
    format_units_short,
    new_axes,
    percent_formatter,
    save,
    sources_of,
    title,
    units_formatter,
)

__all__ = [
    "BRAND_COLORS",
    "brand_color",
    "brand_colors",
    "context",
    "footnote",
    "footnote_text",
    "format_percent",
    "format_units_short",
    "new_axes",
    "percent_formatter",
    "plot_concentration",
    "plot_entry",
    "plot_exposure",
    "plot_rank_forecast",
    "plot_ranks",
    "plot_sensitivity",
    "plot_shares",
    "plot_shipments",
    "save",
    "sources_of",
    "style",
    "title",
    "units_formatter",
]

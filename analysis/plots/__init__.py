"""Charts in house style: ``plot_x(data, *, ax=None, **kwargs) -> Axes``.

Each function takes the data (a frame, or the result object that made it) first and
everything else by keyword, draws on ``ax`` (or a new figure of the standard size), passes
``**kwargs`` to its main artist, writes a source footnote and returns the Axes; none calls
``plt.show()``. A frame that lacks a column the chart needs is bad data
(:class:`marketdata.DataError`).

House style has one module per job: :mod:`~analysis.plots.palette` (brand colours),
:mod:`~analysis.plots.ticks` (tick formatters over :mod:`analysis._format`),
:mod:`~analysis.plots.annotate` (footnotes, titles, illustrative mark, hatching),
:mod:`~analysis.plots.rc` (rc settings, new figures) and :mod:`~analysis.plots.output`
(saving byte-identical files). Not imported by ``import analysis``; matplotlib is imported
only when a chart is drawn.
"""

from analysis.plots.annotate import find_footnote, footnote, footnote_text, sources_of, title
from analysis.plots.concentration import plot_concentration
from analysis.plots.entry import plot_entry
from analysis.plots.exposure import plot_exposure
from analysis.plots.league import plot_league_table
from analysis.plots.output import save
from analysis.plots.palette import BRAND_COLORS, brand_color, brand_colors
from analysis.plots.rank_forecast import plot_rank_forecast
from analysis.plots.ranks import plot_ranks
from analysis.plots.rc import FIGSIZE, context, new_axes
from analysis.plots.sensitivity import plot_sensitivity
from analysis.plots.shares import plot_shares
from analysis.plots.shipments import plot_shipments
from analysis.plots.ticks import hhi_formatter, percent_formatter, units_formatter

__all__ = [
    "BRAND_COLORS",
    "FIGSIZE",
    "brand_color",
    "brand_colors",
    "context",
    "find_footnote",
    "footnote",
    "footnote_text",
    "hhi_formatter",
    "new_axes",
    "percent_formatter",
    "plot_concentration",
    "plot_entry",
    "plot_exposure",
    "plot_league_table",
    "plot_rank_forecast",
    "plot_ranks",
    "plot_sensitivity",
    "plot_shares",
    "plot_shipments",
    "save",
    "sources_of",
    "title",
    "units_formatter",
]

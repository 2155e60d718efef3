"""Charts in house style: ``plot_x(data, *, ax=None, **kwargs) -> Axes``.

Not imported by ``import analysis``; matplotlib is imported only when a chart is drawn.
"""

from analysis.plots import style
from analysis.plots.shares import plot_shares
from analysis.plots.style import (
    BRAND_COLORS,
    brand_color,
    brand_colors,
    context,
    footnote,
    footnote_text,
    new_axes,
    percent_formatter,
    save,
    units_formatter,
)

__all__ = [
    "BRAND_COLORS",
    "brand_color",
    "brand_colors",
    "context",
    "footnote",
    "footnote_text",
    "new_axes",
    "percent_formatter",
    "plot_shares",
    "save",
    "style",
    "units_formatter",
]

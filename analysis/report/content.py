"""The report's content model: sections made of paragraphs, tables and charts.

Building content (numbers, words) is kept apart from drawing pages, so that each part can
be tested on its own and a section that cannot be built is left out with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["Chart", "Section", "TableBlock", "omitted"]


@dataclass(frozen=True)
class TableBlock:
    """A small table of already-formatted strings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart: ``draw(ax, title)`` draws it on a Matplotlib Axes.

    The PDF page gives the title itself and passes ``""``; a stand-alone PNG passes
    ``title``.

    ``name`` becomes the PNG file name (already a slug); ``sources`` is its footnote.
    """

    name: str
    title: str
    draw: Callable[[Any], Any]
    sources: tuple[str, ...]
    caption: str = ""


@dataclass(frozen=True)
class Section:
    """One part of the report, or the reason it was left out (``omitted``)."""

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[TableBlock, ...] = ()
    charts: tuple[Chart, ...] = ()
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the models say about how they ran, and warnings
    sources: tuple[str, ...] = ()
    answer: str = ""
    omitted: str = ""
    values: dict = field(default_factory=dict, compare=False)
    #: charts that could say nothing, left out: (chart title, reason)
    left_out: tuple[tuple[str, str], ...] = ()
    #: result tables and the data behind each chart, raw numbers, for the workbook
    data: tuple[tuple[str, pd.DataFrame], ...] = field(default=(), compare=False)


def omitted(title: str, reason: str) -> Section:
    """A section left out of the report, with the reason stated on the page.

    Examples
    --------
    >>> omitted("Rank forecast", "no market figures").omitted
    'no market figures'
    """
    return Section(title=title, omitted=reason)

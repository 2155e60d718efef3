"""Draw the report's pages with Matplotlib: text pages, tables and chart pages.

Everything is drawn on ``matplotlib.figure.Figure`` objects (no pyplot state), so that
building a report never opens a window and never touches global state.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

from analysis import plots
from analysis.report.content import Chart, TableBlock

__all__ = ["PAGE", "chart_axes", "number_pages", "text_pages", "whole_page"]

_NUMBER = re.compile(
    r"^[<>~≈+\-−]?\s*[\d.,]+\s*(%|pp|[kMB])?(\s*[–-]\s*[\d.,]+\s*(%|[kMB])?)?(\s*\(.*\))?$"
)


def _numeric(cells: Sequence[str]) -> bool:
    """Whether a column holds numbers (``6.93M``, ``27%``, ``1,659–2,020``): right-aligned.

    Examples
    --------
    >>> _numeric(["6.93M (5.93M–8.43M)", "27%"]), _numeric(["HTC", "3M"])
    (True, False)
    """
    filled = [c for c in cells if c not in ("", "-", "—", "n/a")]
    return bool(filled) and all(_NUMBER.match(c.strip()) for c in filled)


PAGE = (11.69, 8.27)  # A4 landscape, inches
MARGIN = 0.7  # inches
BODY = 10  # points
CELL_PAD = 0.06  # inches of padding each side of a table cell's text
WRAP = 120  # characters per body line on a page (DejaVu Sans 10 pt, 10.3 in)
LINE = 1.45  # line height as a multiple of the font size


def _inches(points: float) -> float:
    return points / 72.0


class _Cursor:
    """Lays out text top to bottom, starting a new page when one is full."""

    def __init__(self, header: str) -> None:
        self.header = header
        self.pages: list = []
        self._new_page()

    def _new_page(self) -> None:
        from matplotlib.figure import Figure  # lazy: matplotlib

        self.fig = Figure(figsize=PAGE)
        self.pages.append(self.fig)
        self.y = PAGE[1] - MARGIN
        if self.header:
            self.fig.text(
                MARGIN / PAGE[0],
                1 - 0.4 / PAGE[1],
                self.header,
                fontsize=8,
                color="0.4",
                va="top",
            )

    def need(self, height: float) -> None:
        if self.y - height < MARGIN:
            self._new_page()

    def line(
        self,
        text: str,
        *,
        size: float = BODY,
        weight: str = "normal",
        indent: float = 0.0,
        color: str = "black",
    ) -> None:
        step = _inches(size * LINE)
        self.need(step)
        self.fig.text(
            (MARGIN + indent) / PAGE[0],
            self.y / PAGE[1],
            text,
            fontsize=size,
            fontweight=weight,
            va="top",
            color=color,
        )
        self.y -= step

    def skip(self, points: float = BODY) -> None:
        self.y -= _inches(points)

    def table(self, table: TableBlock) -> None:
        rows = len(table.rows) + 1
        row_height = _inches(BODY * 1.9)
        height = rows * row_height
        title_height = _inches(BODY * LINE) if table.title else 0.0
        self.need(height + title_height)
        if table.title:
            self.line(table.title, weight="bold")
        width = PAGE[0] - 2 * MARGIN
        ax = self.fig.add_axes(
            (MARGIN / PAGE[0], (self.y - height) / PAGE[1], width / PAGE[0], height / PAGE[1])
        )
        ax.set_axis_off()
        cells = [list(r) for r in table.rows] or [["—"] * len(table.columns)]
        size, widths = _column_widths(table.columns, cells, width)
        drawn = ax.table(
            cellText=cells,
            colLabels=list(table.columns),
            loc="upper left",
            cellLoc="left",
            colLoc="left",
            bbox=(0, 0, 1, 1),
            colWidths=widths,
        )
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(size)
        right = [_numeric([str(r[i]) for r in cells]) for i in range(len(table.columns))]
        for (row, col), cell in drawn.get_celld().items():
            cell.set_edgecolor("0.8")
            cell.PAD = CELL_PAD / (widths[col] * width)  # the same padding in every column
            if right[col]:  # numbers right-aligned, so their digits line up
                cell._loc = "right"
                cell.get_text().set_horizontalalignment("right")
            if row == 0:
                cell.set_text_props(fontweight="bold")
                cell.set_facecolor("0.93")
        self.y -= height + _inches(BODY)


def _column_widths(columns, cells, width: float) -> tuple[float, list[float]]:
    """The font size and column widths (fractions) that fit every cell's text in its cell.

    Each column is as wide as its widest text (the header in bold) plus the padding; the
    room left over is shared in proportion; a table too wide for ``width`` inches gets a
    smaller font instead of clipped text.
    """
    from matplotlib.font_manager import FontProperties, findfont, get_font  # lazy

    fonts = {bold: get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
             for bold in (False, True)}  # fmt: skip

    def points(text: str, bold: bool) -> float:
        """The width of ``text`` at 1 point, as the Agg renderer measures it."""
        font = fonts[bold]
        font.set_size(100.0, 72)
        font.set_text(text or " ", 0.0)
        return font.get_width_height()[0] / 64 / 100

    size = BODY - 1
    # text widths in inches at the body size, padding on both sides and a small margin
    texts = [
        max([points(str(columns[i]), True)] + [points(str(r[i]), False) for r in cells]) * size / 72
        for i in range(len(columns))
    ]
    pads = 2 * CELL_PAD * 1.25 * len(columns)
    if sum(texts) + pads > width:
        scale = (width - pads) / sum(texts)
        size, texts = size * scale, [w * scale for w in texts]
    needed = [w + 2 * CELL_PAD * 1.25 for w in texts]
    spare = width - sum(needed)
    total = sum(needed)
    return size, [(n + spare * n / total) / width for n in needed]


def text_pages(
    title: str,
    *,
    header: str = "",
    subtitle: str = "",
    paragraphs: Iterable[str] = (),
    bullets: Iterable[str] = (),
    bullet_heading: str = "",
    lists: Sequence[tuple[str, Sequence[str]]] = (),
    tables: Sequence[TableBlock] = (),
    notes: Iterable[str] = (),
    notes_heading: str = "",
) -> list:
    """Draw a titled text page (more if it overflows): paragraphs, bullets, tables, notes.

    Returns the list of Figures, one per page.

    Examples
    --------
    >>> pages = text_pages("Title", paragraphs=["word " * 400])
    >>> len(pages), len(pages[0].texts) > 5
    (1, True)
    """
    cursor = _Cursor(header)
    cursor.line(title, size=18, weight="bold")
    if subtitle:
        for part in textwrap.wrap(subtitle, 95):
            cursor.line(part, size=12, color="0.25")
    cursor.skip()
    for paragraph in paragraphs:
        for part in textwrap.wrap(paragraph, WRAP) or [""]:
            cursor.line(part)
        cursor.skip(BODY * 0.6)
    for heading, items in [(bullet_heading, list(bullets)), *lists]:
        if not items:
            continue
        if heading:
            cursor.line(heading, weight="bold")
        for item in items:
            lines = textwrap.wrap(item, WRAP - 4) or [""]
            cursor.line("•  " + lines[0], indent=0.1)
            for part in lines[1:]:
                cursor.line(part, indent=0.28)
        cursor.skip(BODY * 0.6)
    for table in tables:
        cursor.table(table)
    notes = list(notes)
    if notes:
        if notes_heading:
            cursor.line(notes_heading, weight="bold", size=BODY - 1)
        for note in notes:
            lines = textwrap.wrap(note, int(WRAP * 1.05) - 4) or [""]
            cursor.line("•  " + lines[0], size=BODY - 1, indent=0.1, color="0.2")
            for part in lines[1:]:
                cursor.line(part, size=BODY - 1, indent=0.28, color="0.2")
    return cursor.pages


def number_pages(figures: Sequence) -> None:
    """Write "page n of N" at the foot of each page, right-aligned at the margin.

    Examples
    --------
    >>> pages = text_pages("A") + text_pages("B")
    >>> number_pages(pages)
    >>> [t.get_text() for t in pages[1].texts if t.get_gid() == "page-number"]
    ['page 2 of 2']
    """
    total = len(figures)
    for number, figure in enumerate(figures, start=1):
        figure.text(
            1 - MARGIN / PAGE[0],
            0.35 / PAGE[1],
            f"page {number} of {total}",
            fontsize=8,
            color="0.4",
            ha="right",
            va="bottom",
        ).set_gid("page-number")


def whole_page(figure):
    """The figure's full extent in inches: a page saved as laid out, not cropped."""
    from matplotlib.transforms import Bbox  # lazy: matplotlib

    return Bbox.from_bounds(0, 0, *figure.get_size_inches())


def _ensure_footnote(ax, sources) -> None:
    """Give the chart its source footnote if its plot function did not write one."""
    if plots.find_footnote(ax) is None:
        plots.footnote(ax, list(sources))


def _fit_sideways(ax, *, left: float, right: float) -> None:
    """Narrow the Axes so its labels and legend stay ``left``/``right`` inches inside the page.

    The PDF page is saved whole, so long tick labels (a long brand name) or a legend beyond
    the page edge would be cut off.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: matplotlib

    fig = ax.figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    box = ax.get_tightbbox(renderer)
    width = fig.get_size_inches()[0]
    over_left = max(0.0, left - box.x0 / fig.dpi)
    over_right = max(0.0, box.x1 / fig.dpi - (width - right))
    if over_left or over_right:
        pos = ax.get_position()
        ax.set_position(
            (
                pos.x0 + over_left / width,
                pos.y0,
                pos.width - (over_left + over_right) / width,
                pos.height,
            )
        )


def chart_axes(chart: Chart, *, page: bool):
    """Draw ``chart`` on a new Figure; return its Axes.

    ``page=True`` gives a full report page (A4 landscape) with the section heading and the
    caption under the chart; ``page=False`` the house figure size for a stand-alone PNG.
    Either way the chart carries its source footnote.
    """
    from matplotlib.figure import Figure  # lazy: matplotlib

    with plots.context():
        if not page:
            fig = Figure(figsize=plots.FIGSIZE)
            ax = fig.add_subplot()
            chart.draw(ax, chart.title)
            _ensure_footnote(ax, chart.sources)
            return ax
        fig = Figure(figsize=PAGE)
        caption = textwrap.wrap(chart.caption, WRAP) if chart.caption else []
        caption_height = _inches(BODY * LINE) * len(caption)
        top, bottom, left, right = MARGIN + 0.55, MARGIN + caption_height + 1.1, 1.1, 2.2
        ax = fig.add_axes(
            (
                left / PAGE[0],
                bottom / PAGE[1],
                1 - (left + right) / PAGE[0],
                1 - (top + bottom) / PAGE[1],
            )
        )
        chart.draw(ax, "")
        _ensure_footnote(ax, chart.sources)
        _fit_sideways(ax, left=MARGIN / 2, right=MARGIN / 2)
        fig.text(
            MARGIN / PAGE[0],
            1 - MARGIN / PAGE[1],
            chart.title,
            fontsize=16,
            fontweight="bold",
            va="top",
        )
        for i, line in enumerate(caption):
            y = MARGIN + caption_height - i * _inches(BODY * LINE)
            fig.text(MARGIN / PAGE[0], y / PAGE[1], line, fontsize=BODY, va="top")
    return ax

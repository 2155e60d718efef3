"""What a chart says besides its data: source footnotes, titles and subtitles, the
"illustrative data" mark, and hatching of windows whose rows double count."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from analysis.plots.palette import INK, MUTED
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation

__all__ = [
    "DOUBLE_COUNT_LABEL",
    "ILLUSTRATIVE",
    "above",
    "find_footnote",
    "footnote",
    "footnote_text",
    "mark_double_counts",
    "note",
    "offset_text",
    "sources_of",
    "title",
]

ILLUSTRATIVE = "Illustrative data, not reported figures."
FOOTNOTE_WIDTH = 120  # characters per footnote line at the footnote font size


def sources_of(data: object) -> list[str]:
    """Unique sources, in order of first appearance.

    Parameters
    ----------
    data : DataFrame, Series, str, iterable of str or None
        A frame with a ``source`` column, its column, one source, or several.

    Examples
    --------
    >>> frame = pd.DataFrame({"source": ["IDC", "news", "IDC", None]})
    >>> sources_of(frame)
    ['IDC', 'news']
    >>> sources_of("IDC"), sources_of(None)
    (['IDC'], [])
    >>> sources_of(["IDC; size: given as a number", "news; size: given as a number"])
    ['IDC', 'size: given as a number', 'news']
    """
    if data is None:
        return []
    if isinstance(data, str):
        values: Iterable[object] = [data]
    elif isinstance(data, pd.DataFrame):
        if s.SOURCE not in data.columns:
            return []
        values = data[s.SOURCE].tolist()
    elif isinstance(data, pd.Series):
        values = data.tolist()
    else:
        values = list(data)  # type: ignore[call-overload]
    seen: dict[str, None] = {}
    for value in values:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        # "a; b" (sources already joined, e.g. a projection's or a derived figure's)
        # counts as a and b, so a source repeated inside a joined one is listed once
        for part in str(value).split("; "):
            text = part.strip()
            if text:
                seen.setdefault(text, None)
    return list(seen)


FOOTNOTE_LINES = 4  # at most this many footnote lines; further sources are counted


def footnote_text(
    sources: object,
    *,
    illustrative: bool = False,
    width: int = FOOTNOTE_WIDTH,
    max_lines: int | None = FOOTNOTE_LINES,
) -> str:
    """The footnote under a chart: ``Source: a; b``, wrapped; empty when nothing to say.

    Sources are listed once each, in order of first appearance. When they would take more
    than ``max_lines`` lines, the list stops at the last source that fits and ends with
    ``… and N more sources`` (the full list stays in the data's ``source`` column).

    Parameters
    ----------
    sources : DataFrame, str, iterable of str or None
        Anything :func:`sources_of` takes.
    illustrative : bool
        Start with :data:`ILLUSTRATIVE` (for made-up example data).
    width : int
        Characters per line.
    max_lines : int or None
        Most lines (None: no limit). At least the first source is always given.

    Examples
    --------
    >>> footnote_text(["IDC via Statista 271490"])
    'Source: IDC via Statista 271490'
    >>> footnote_text(["IDC", "news report"], illustrative=True)
    'Illustrative data, not reported figures. Sources: IDC; news report'
    >>> footnote_text(None)
    ''
    >>> print(footnote_text([f"report {i}" for i in range(1, 30)], width=40, max_lines=2))
    Sources: report 1; report 2; report 3;
    report 4; … and 25 more sources
    """
    found = sources_of(sources)
    if max_lines is not None and max_lines < 1:
        raise ValueError(f"max_lines must be at least 1 or None, got {max_lines}")

    def compose(shown: list[str], hidden: int) -> str:
        parts = [ILLUSTRATIVE] if illustrative else []
        if shown:
            label = "Source" if len(found) == 1 else "Sources"
            listed = "; ".join(shown)
            if hidden:
                listed += f"; … and {hidden} more source{'s' if hidden > 1 else ''}"
            parts.append(f"{label}: {listed}")
        text = " ".join(parts)
        return textwrap.fill(text, width=width, break_long_words=True, break_on_hyphens=False)

    text = compose(found, 0)
    if max_lines is None or text.count("\n") < max_lines:
        return text
    for keep in range(len(found) - 1, 0, -1):
        text = compose(found[:keep], len(found) - keep)
        if text.count("\n") < max_lines:
            return text
    return compose(found[:1], len(found) - 1)


def _below_xaxis(ax: Axes):
    """Coordinates (for ``annotate``) whose y=0 is the bottom of the x-axis' labels."""

    def bbox(renderer):
        from matplotlib.transforms import Bbox

        frame = ax.bbox
        box = ax.xaxis.get_tightbbox(renderer)
        bottom = frame.y0 if box is None else min(frame.y0, box.y0)
        return Bbox.from_extents(frame.x0, bottom, frame.x1, frame.y1)

    return bbox


def offset_text(
    ax: Axes,
    text: str,
    *,
    xy: tuple[float, float],
    xycoords: object,
    offset: tuple[float, float],
    gid: str,
    fontsize: str,
    color: str,
    ha: str = "left",
    va: str = "bottom",
    **kwargs: object,
) -> Annotation:
    """Write ``text`` ``offset`` points from ``xy`` and tag it with ``gid``.

    The one place the chart annotations (footnotes, notes, subtitles, the "today"
    label) are written; ``kwargs`` go to ``Axes.annotate`` (``fontweight=``, ``bbox=``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> offset_text(ax, "P(top 5) = 27%", xy=(0, 1), xycoords="axes fraction",
    ...             offset=(0, 5), gid="prob-top", fontsize="small", color=MUTED).get_gid()
    'prob-top'
    >>> plt.close(ax.figure)
    """
    written = ax.annotate(
        text,
        xy=xy,
        xycoords=xycoords,
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=fontsize,
        color=color,
        **kwargs,
    )
    written.set_gid(gid)
    return written


def above(
    ax: Axes,
    text: str,
    *,
    gid: str,
    offset: float = 5,
    fontsize: str = "small",
    color: str = MUTED,
    **kwargs: object,
) -> Annotation:
    """A line of text over the Axes, left-aligned, ``offset`` points above its top
    (a subtitle, a headline probability, an assumption)."""
    return offset_text(
        ax,
        text,
        xy=(0, 1),
        xycoords="axes fraction",
        offset=(0, offset),
        gid=gid,
        fontsize=fontsize,
        color=color,
        **kwargs,
    )


def footnote(
    ax: Axes,
    sources: object,
    *,
    illustrative: bool = False,
    width: int = FOOTNOTE_WIDTH,
    max_lines: int | None = FOOTNOTE_LINES,
) -> Annotation | None:
    """Write the source footnote under an Axes (below its x-axis labels).

    The note is attached to the Axes, so several charts on one figure each keep their own,
    and ``bbox_inches="tight"`` keeps it in saved files. It has the ``gid``
    ``"footnote"`` so tests and callers can find it.

    Parameters
    ----------
    ax : Axes
        The chart.
    sources : DataFrame, str, iterable of str or None
        Anything :func:`sources_of` takes.
    illustrative : bool
        Say the data is illustrative, in the note and with a boxed label in the Axes'
        top right corner (gid ``"illustrative"``).
    width : int
        Characters per line.
    max_lines : int or None
        Most lines; further sources are counted, not listed (see :func:`footnote_text`).

    Returns
    -------
    Annotation or None
        The note, or None when there is no source and the data is not illustrative.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> footnote(ax, ["IDC", "IDC", "news report"]).get_text()
    'Sources: IDC; news report'
    >>> plt.close(ax.figure)
    """
    text = footnote_text(sources, illustrative=illustrative, width=width, max_lines=max_lines)
    if not text:
        return None
    notes = [t for t in ax.texts if str(t.get_gid() or "").endswith("note")]
    note = offset_text(
        ax,
        text,
        xy=(0, 0),
        xycoords=notes[-1] if notes else ("axes fraction", _below_xaxis(ax)),
        offset=(0, -4 if notes else -6),
        gid="footnote",
        va="top",
        fontsize="x-small",
        color=MUTED,
        annotation_clip=False,
    )
    if illustrative:
        offset_text(
            ax,
            "ILLUSTRATIVE DATA",
            xy=(1, 1),
            xycoords="axes fraction",
            offset=(-4, -4),
            gid="illustrative",
            ha="right",
            va="top",
            fontsize="small",
            color=MUTED,
            fontweight="bold",
            bbox={
                "boxstyle": "square,pad=0.3",
                "facecolor": "white",
                "alpha": 0.85,
                "edgecolor": MUTED,
                "linewidth": 0.6,
            },
            zorder=10,
        )
    return note


def note(ax: Axes, text: str, *, gid: str = "note", width: int = FOOTNOTE_WIDTH) -> Annotation:
    """Write an explanatory note under an Axes' x-axis labels, above the footnote.

    Call it before :func:`footnote`, which then goes under the note. The gid must end
    in ``"note"`` (``"note"``, ``"sensitivity-note"``) so the footnote finds it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> note(ax, "A larger HTC raises the chance.").get_gid()
    'note'
    >>> plt.close(ax.figure)
    """
    if not gid.endswith("note"):
        raise ValueError(f"gid must end in 'note', got {gid!r}")
    wrapped = "\n".join(
        textwrap.fill(line, width=width, break_on_hyphens=False) for line in text.split("\n")
    )
    return offset_text(
        ax,
        wrapped,
        xy=(0, 0),
        xycoords=("axes fraction", _below_xaxis(ax)),
        offset=(0, -6),
        gid=gid,
        va="top",
        fontsize="x-small",
        color=INK,
        annotation_clip=False,
    )


def find_footnote(ax: Axes) -> str | None:
    """Text of the footnote :func:`footnote` wrote on ``ax`` (None if there is none).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> find_footnote(ax) is None
    True
    >>> _ = footnote(ax, "IDC")
    >>> find_footnote(ax)
    'Source: IDC'
    >>> plt.close(ax.figure)
    """
    for text in ax.texts:
        if text.get_gid() == "footnote":
            return text.get_text()
    return None


def title(ax: Axes, text: str | None, subtitle: str | None = None) -> None:
    """Set a left-aligned bold title, with an optional smaller subtitle under it.

    The subtitle is a Text with gid ``"subtitle"``. An empty or None ``text`` (and no
    subtitle) leaves the Axes without a title.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> title(ax, "Xiaomi shipments", "cumulative units")
    >>> ax.get_title(loc="left"), [t.get_text() for t in ax.texts]
    ('Xiaomi shipments', ['cumulative units'])
    >>> plt.close(ax.figure)
    """
    if subtitle:
        ax.set_title(text or "", loc="left", fontweight="bold", pad=18)
        above(ax, subtitle, gid="subtitle")
    elif text:
        ax.set_title(text, loc="left", fontweight="bold")


DOUBLE_COUNT = "double_count"
DOUBLE_COUNT_LABEL = "double count\n(rows overlap)"


def mark_double_counts(ax: Axes, frame: pd.DataFrame, *, x: str = "dates") -> int:
    """Hatch the windows whose ``double_count`` flag is set; return how many were marked.

    One hatched span per flagged window (gid ``"double-count"``), the first labelled
    :data:`DOUBLE_COUNT_LABEL` for the legend. ``x="dates"`` spans ``start``..``end`` on
    a date axis; ``x="index"`` spans ``i - 0.5``..``i + 0.5`` for the i-th window of the
    frame's sorted windows (bar charts with one bar per window). Frames without the
    column mark nothing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> frame = pd.DataFrame({
    ...     "start": pd.to_datetime(["2012-07-01", "2012-10-01"]),
    ...     "end": pd.to_datetime(["2012-09-30", "2012-12-31"]),
    ...     "double_count": [True, False]})
    >>> mark_double_counts(ax, frame)
    1
    >>> plt.close(ax.figure)
    """
    if DOUBLE_COUNT not in frame.columns:
        return 0
    windows = (
        frame[[s.START, s.END, DOUBLE_COUNT]]
        .assign(**{DOUBLE_COUNT: frame[DOUBLE_COUNT].fillna(False).astype(bool)})
        .groupby([s.START, s.END], sort=True, dropna=False)[DOUBLE_COUNT]
        .any()
        .reset_index()
    )
    flagged = windows[windows[DOUBLE_COUNT]]
    for n, (i, row) in enumerate(flagged.iterrows()):
        if x == "index":
            low, high = i - 0.5, i + 0.5
        else:
            low = row[s.START] if pd.notna(row[s.START]) else row[s.END]
            high = row[s.END] + pd.Timedelta(days=1)
        span = ax.axvspan(
            low,
            high,
            facecolor="none",
            edgecolor=MUTED,
            hatch="///",
            linewidth=0,
            alpha=0.45,
            zorder=2.5,
            label=DOUBLE_COUNT_LABEL if n == 0 else "_nolegend_",
        )
        span.set_gid("double-count")
    return len(flagged)

"""House style for every chart, in one place: brand palette, formatters, titles,
source footnotes, rc settings and saving with fixed metadata.

Nothing here changes matplotlib's global state on import: rc settings apply only inside
``with context():``, and matplotlib itself is imported inside the functions that need it.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
import textwrap
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

# -- palette ---------------------------------------------------------------------------

#: Fixed colour of each well-known brand (keys are canonical brand names).
BRAND_COLORS: dict[str, str] = {
    "Xiaomi": "#FF6900",  # Xiaomi orange
    "Samsung": "#1428A0",  # Samsung blue
    "Apple": "#8E8E93",  # Apple grey
    "HTC": "#69BE28",  # HTC green
    "Huawei": "#CF0A2C",  # Huawei red
    "OPPO": "#0A8F6A",  # OPPO green (teal, apart from HTC's lime)
    "vivo": "#4A90E2",  # vivo blue (sky, apart from Samsung's navy)
    "Sony": "#1A1A1A",  # Sony black
    "LG": "#C2187A",  # LG magenta
    "Nokia": "#6A5ACD",  # Nokia (slate blue-violet)
    "BlackBerry": "#5C4033",  # BlackBerry, formerly RIM (dark brown)
    "Lenovo": "#B8860B",  # Lenovo (dark gold; red is Huawei's)
    "ZTE": "#17BECF",  # ZTE (cyan)
    "Asus": "#556B2F",  # Asus (olive)
    "Transsion": "#9C6ADE",  # Transsion (violet)
    "Motorola": "#E377C2",  # Motorola (pink)
    s.OTHERS: "#D3D3D3",  # Others: light grey
    s.UNKNOWN: "#BDBDBD",  # Unknown: a slightly darker grey
}

#: Other spellings that take a known brand's colour (matched case-insensitively).
BRAND_COLOR_ALIASES: dict[str, str] = {
    "rim": "BlackBerry",
    "research in motion": "BlackBerry",
    "tecno": "Transsion",
    "hmd global": "Nokia",
    "hmd": "Nokia",
    "redmi": "Xiaomi",
    "honor": "Huawei",
    "others": s.OTHERS,
    "other": s.OTHERS,
}

#: Colours for brands not in :data:`BRAND_COLORS`, picked by a stable hash of the name.
FALLBACK_COLORS: tuple[str, ...] = (
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#2CA02C",
    "#9467BD",
    "#D62728",
    "#FF9896",
    "#AEC7E8",
    "#98DF8A",
    "#C5B0D5",
    "#C49C94",
    "#F7B6D2",
    "#DBDB8D",
    "#9EDAE5",
    "#393B79",
    "#637939",
)

#: Neutral colours used for non-brand elements.
INK = "#222222"  # text, actual data without a brand
MUTED = "#6F6F6F"  # secondary text, footnotes
GRID = "#E5E5E5"
ACCENT = "#FF6900"  # highlight (Xiaomi orange is the founding case's brand)
FAN = "#4A6FA5"  # projection fans when the brand has no colour

_KEYS = {name.casefold(): name for name in BRAND_COLORS}


def _canonical(brand: str) -> str | None:
    key = brand.strip().casefold()
    if key in _KEYS:
        return _KEYS[key]
    if key in BRAND_COLOR_ALIASES:
        return BRAND_COLOR_ALIASES[key]
    # "Nokia (HMD Global)" -> "nokia"
    head = key.split("(")[0].strip()
    if head in _KEYS:
        return _KEYS[head]
    if head in BRAND_COLOR_ALIASES:
        return BRAND_COLOR_ALIASES[head]
    return None


def brand_color(brand: object) -> str:
    """Colour of a brand, the same in every chart.

    Known brands (:data:`BRAND_COLORS`, matched case-insensitively and through
    :data:`BRAND_COLOR_ALIASES`) get their house colour; any other name gets a colour from
    :data:`FALLBACK_COLORS` chosen by a CRC-32 of its case-folded name, so it is stable
    across runs and machines (unlike Python's salted ``hash``). A missing brand (NA) is
    the whole market and gets :data:`INK`.

    Parameters
    ----------
    brand : str or NA
        A brand name.

    Returns
    -------
    str
        A ``#RRGGBB`` colour.

    Examples
    --------
    >>> brand_color("Xiaomi"), brand_color("oppo"), brand_color("Others")
    ('#FF6900', '#0A8F6A', '#D3D3D3')
    >>> brand_color("Acme Phones") == brand_color("acme phones")
    True
    """
    if brand is None or (not isinstance(brand, str) and pd.isna(brand)):
        return INK
    if not isinstance(brand, str):
        raise TypeError(f"brand must be a string, got {type(brand).__name__} {brand!r}")
    known = _canonical(brand)
    if known is not None:
        return BRAND_COLORS[known]
    index = zlib.crc32(brand.strip().casefold().encode("utf-8")) % len(FALLBACK_COLORS)
    return FALLBACK_COLORS[index]


def brand_colors(brands: Iterable[object]) -> list[str]:
    """Colours of several brands, in order (see :func:`brand_color`).

    Examples
    --------
    >>> brand_colors(["Samsung", "Apple"])
    ['#1428A0', '#8E8E93']
    """
    return [brand_color(b) for b in brands]


# -- number formats --------------------------------------------------------------------

_STEPS = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def format_units_short(x: float, *, digits: int = 3) -> str:
    """Units as a short label: ``300k``, ``3M``, ``1.2B`` (at most ``digits`` significant).

    Parameters
    ----------
    x : float
        A number of units (devices).
    digits : int
        Significant digits kept; trailing zeros are dropped.

    Examples
    --------
    >>> [format_units_short(v) for v in (0, 950, 300_000, 3_000_000, 1_234_000_000)]
    ['0', '950', '300k', '3M', '1.23B']
    >>> format_units_short(-2_500_000)
    '-2.5M'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    value = float(x)
    sign = "-" if value < 0 else ""
    value = abs(value)
    for scale, suffix in _STEPS:
        if value >= scale * 0.9995 or (suffix == "k" and value >= 1e3):
            number = f"{value / scale:.{digits}g}"
            if "e" in number:  # e.g. 1e+03B for huge values
                number = f"{value / scale:,.0f}"
            return f"{sign}{number}{suffix}"
    return f"{sign}{value:.{digits}g}"


def format_percent(x: float, *, decimals: int = 0) -> str:
    """A fraction 0-1 as a percentage label.

    Examples
    --------
    >>> format_percent(0.283), format_percent(0.0625, decimals=1)
    ('28%', '6.2%')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{100 * float(x):.{decimals}f}%"


def units_formatter():
    """A matplotlib tick formatter for units (``300k``, ``3M``, ``1.2B``).

    Examples
    --------
    >>> units_formatter()(3_000_000)
    '3M'
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, pos=None: format_units_short(x))


def percent_formatter(*, decimals: int | None = 0):
    """A matplotlib tick formatter for fractions 0-1 shown as percentages.

    Examples
    --------
    >>> percent_formatter().format_pct(0.25, 1)
    '25%'
    """
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=decimals)


def hhi_formatter():
    """A tick formatter for HHI points (0-10,000) with thousands separators.

    Examples
    --------
    >>> hhi_formatter()(1800)
    '1,800'
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, pos=None: f"{x:,.0f}")


# -- period labels ---------------------------------------------------------------------


def period_labels(start: pd.Series, end: pd.Series) -> list[str]:
    """Short display labels for periods: ``2012Q2``, ``2012``, ``2012-06``, else dates.

    Examples
    --------
    >>> start = pd.Series(pd.to_datetime(["2012-04-01", "2012-01-01", "2012-06-01"]))
    >>> end = pd.Series(pd.to_datetime(["2012-06-30", "2012-12-31", "2012-06-30"]))
    >>> period_labels(start, end)
    ['2012Q2', '2012', '2012-06']
    """
    labels = []
    for a, b in zip(pd.to_datetime(start), pd.to_datetime(end), strict=True):
        if pd.isna(a):
            labels.append(f"to {b:%Y-%m-%d}")
        elif a.month == 1 and a.day == 1 and b.month == 12 and b.day == 31 and a.year == b.year:
            labels.append(f"{a.year}")
        elif a.day == 1 and a.month % 3 == 1 and b == (a + pd.offsets.QuarterEnd(0)):
            labels.append(f"{a.year}Q{(a.month - 1) // 3 + 1}")
        elif a.day == 1 and b == a + pd.offsets.MonthEnd(0):
            labels.append(f"{a:%Y-%m}")
        else:
            labels.append(f"{a:%Y-%m-%d}..{b:%Y-%m-%d}")
    return labels


# -- sources and footnotes -------------------------------------------------------------

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
    >>> ax = new_axes()
    >>> footnote(ax, ["IDC", "IDC", "news report"]).get_text()
    'Sources: IDC; news report'
    >>> plt.close(ax.figure)
    """
    text = footnote_text(sources, illustrative=illustrative, width=width, max_lines=max_lines)
    if not text:
        return None
    note = ax.annotate(
        text,
        xy=(0, 0),
        xycoords=("axes fraction", _below_xaxis(ax)),
        xytext=(0, -6),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize="x-small",
        color=MUTED,
        annotation_clip=False,
    )
    note.set_gid("footnote")
    if illustrative:
        mark = ax.annotate(
            "ILLUSTRATIVE DATA",
            xy=(1, 1),
            xycoords="axes fraction",
            xytext=(-4, -4),
            textcoords="offset points",
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
        mark.set_gid("illustrative")
    return note


def find_footnote(ax: Axes) -> str | None:
    """Text of the footnote :func:`footnote` wrote on ``ax`` (None if there is none).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = new_axes()
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
    >>> ax = new_axes()
    >>> title(ax, "Xiaomi shipments", "cumulative units")
    >>> ax.get_title(loc="left"), [t.get_text() for t in ax.texts]
    ('Xiaomi shipments', ['cumulative units'])
    >>> plt.close(ax.figure)
    """
    if subtitle:
        ax.set_title(text or "", loc="left", fontweight="bold", pad=18)
        sub = ax.annotate(
            subtitle,
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, 5),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize="small",
            color=MUTED,
        )
        sub.set_gid("subtitle")
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
    >>> ax = new_axes()
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


# -- rc settings, figures and saving ---------------------------------------------------

FIGSIZE = (8.0, 4.5)  # inches; 1600 x 900 pixels at 200 dpi
DPI = 200
SVG_HASHSALT = "marketshare"
METADATA_NAME = "marketshare"

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


FORMATS = ("png", "pdf", "svg")


def _metadata(fmt: str) -> dict[str, Any]:
    if fmt == "png":
        return {"Software": None}
    if fmt == "pdf":
        return {
            "CreationDate": None,
            "ModDate": None,
            "Producer": METADATA_NAME,
            "Creator": METADATA_NAME,
        }
    if fmt == "svg":
        return {"Date": None, "Creator": METADATA_NAME}
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save(
    fig: Figure,
    path: str | os.PathLike[str],
    formats: str | Sequence[str] = ("png", "pdf"),
    *,
    dpi: int = DPI,
) -> list[Path]:
    """Save a figure as PNG (``dpi``), PDF and/or SVG (vector) with fixed metadata.

    The same figure gives byte-identical files on every run: no dates, no software
    version, a fixed SVG hash salt. Each file is written to a temporary file in the same
    directory and then renamed over the target, so an existing file is replaced only by a
    complete one.

    Parameters
    ----------
    fig : Figure
        The figure (``ax.figure``).
    path : path-like
        Target path; its suffix, if any, is replaced by each format's.
    formats : str or sequence of str
        ``"png"``, ``"pdf"``, ``"svg"``, or several (a comma-separated string works too).
    dpi : int
        Resolution of raster output.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        For an unknown format.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> ax = new_axes()
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in save(ax.figure, folder + "/chart", "png,pdf")]
    ['chart.png', 'chart.pdf']
    >>> plt.close(ax.figure)
    """
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    formats = [f.lower().lstrip(".") for f in formats]
    if not formats:
        raise ValueError("formats is empty; pass e.g. ('png', 'pdf')")
    for fmt in formats:
        _metadata(fmt)  # raises on an unknown format before anything is written
    base = Path(path)
    written = []
    for fmt in formats:
        target = base.with_suffix("." + fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix="." + target.name + ".", suffix=".tmp", dir=target.parent
        )
        os.close(handle)
        try:
            with context():
                fig.savefig(
                    temporary,
                    format=fmt,
                    dpi=dpi,
                    metadata=_metadata(fmt),
                    bbox_inches="tight",
                    pad_inches=0.1,
                )
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        written.append(target)
    return written

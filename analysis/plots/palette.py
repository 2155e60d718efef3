"""Colours: one fixed colour per brand, the same in every chart, and the neutral inks.

Brand names are resolved through :func:`marketdata.brand_name`, the data layer's one alias
table, so a chart colours a brand exactly as the figures name it: ``"RIM"`` is BlackBerry,
while ``"HMD Global"`` and ``"Redmi"`` are brands of their own (not Nokia, not Xiaomi).
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Iterable

import pandas as pd

from marketdata import schema as s
from marketdata.errors import UnknownNameWarning
from marketdata.names import brand_name

__all__ = [
    "ACCENT",
    "BRAND_COLORS",
    "FALLBACK_COLORS",
    "FAN",
    "GRID",
    "INK",
    "MUTED",
    "brand_color",
    "brand_colors",
]

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

INK = "#222222"  #: text, and data without a brand
MUTED = "#6F6F6F"  #: secondary text, footnotes, targets
GRID = "#E5E5E5"  #: grid lines
ACCENT = "#FF6900"  #: highlight (Xiaomi orange: the founding case's brand)
FAN = "#4A6FA5"  #: projection fans when the brand has no colour


def _canonical(brand: str) -> str:
    with warnings.catch_warnings():
        # an unknown brand is kept as written and gets a fallback colour; the data layer
        # warns about it where the figures are read, not every time a chart is drawn
        warnings.simplefilter("ignore", UnknownNameWarning)
        return str(brand_name(brand))


def brand_color(brand: object) -> str:
    """Colour of a brand, the same in every chart.

    The name is resolved with :func:`marketdata.brand_name`; a brand of
    :data:`BRAND_COLORS` gets its house colour, any other a colour of
    :data:`FALLBACK_COLORS` chosen by a CRC-32 of its canonical name, stable across runs
    and machines (unlike Python's salted ``hash``). NA is the whole market: :data:`INK`.

    Parameters
    ----------
    brand : str or NA
        A brand name, as any source writes it.

    Returns
    -------
    str
        A ``#RRGGBB`` colour.

    Examples
    --------
    >>> brand_color("Xiaomi"), brand_color("oppo"), brand_color("Other")
    ('#FF6900', '#0A8F6A', '#D3D3D3')
    >>> brand_color("RIM") == brand_color("BlackBerry")
    True
    >>> brand_color("HMD Global") == brand_color("Nokia")  # two companies, two colours
    False
    """
    if brand is None or (not isinstance(brand, str) and pd.isna(brand)):
        return INK
    if not isinstance(brand, str):
        raise TypeError(f"brand must be a string, got {type(brand).__name__} {brand!r}")
    name = _canonical(brand)
    if name in BRAND_COLORS:
        return BRAND_COLORS[name]
    index = zlib.crc32(name.casefold().encode("utf-8")) % len(FALLBACK_COLORS)
    return FALLBACK_COLORS[index]


def brand_colors(brands: Iterable[object]) -> list[str]:
    """Colours of several brands, in order (see :func:`brand_color`).

    Examples
    --------
    >>> brand_colors(["Samsung", "Apple"])
    ['#1428A0', '#8E8E93']
    """
    return [brand_color(b) for b in brands]

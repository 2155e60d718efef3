"""Numbers as people read them: one format for charts, summaries and the report.

Units are short (``6.93M``, ``300k``, ``1.2B``), shares are percentages (``27%``), share
changes are percentage points (``+2.1 pp``), HHI has thousands separators (``1,659``),
probabilities are percentages with the ends spelled out (``<1%``, ``>99%``), a range shows
both ends with the same rounding (``5.60M–8.11M``), and a window is labelled by
:func:`marketdata.period_label` (``2012Q2``, ``H1 2012``, ``..2012-06-12``).

Examples
--------
>>> units_label(6_930_348), percent_label(0.2734), pp_label(2.1), hhi_label(1659.4)
('6.93M', '27%', '+2.1 pp', '1,659')
>>> range_label(5_600_000, 8_110_000)
'5.60M–8.11M'
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import pandas as pd

from marketdata.periods import period_label

__all__ = [
    "KINDS",
    "count_label",
    "format_frame",
    "format_value",
    "hhi_label",
    "kind_of_column",
    "market_label",
    "percent_label",
    "pp_label",
    "probability_label",
    "range_label",
    "units_label",
    "window_label",
]

_STEPS = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def _missing(x: Any) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return False


def _step(value: float) -> tuple[float, str]:
    for scale, suffix in _STEPS:
        if value >= scale * 0.9995 or (suffix == "k" and value >= 1e3):
            return scale, suffix
    return 1.0, ""


def count_label(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and its noun, singular for exactly one: ``1 free parameter``, ``2 figures``.

    ``plural`` defaults to ``singular + "s"``.

    Examples
    --------
    >>> count_label(1, "free parameter"), count_label(3, "figure")
    ('1 free parameter', '3 figures')
    >>> count_label(1, "series", "series")
    '1 series'
    """
    noun = singular if n == 1 else (plural if plural is not None else singular + "s")
    return f"{n} {noun}"


def units_label(x: Any, *, digits: int = 3) -> str:
    """Units as a short label with at most ``digits`` significant digits.

    Parameters
    ----------
    x : float
        A number of units (devices); NaN or None gives ``""``.
    digits : int
        Significant digits kept; trailing zeros are dropped.

    Examples
    --------
    >>> [units_label(v) for v in (0, 950, 300_000, 3_000_000, 1_234_000_000)]
    ['0', '950', '300k', '3M', '1.23B']
    >>> units_label(-2_500_000)
    '-2.5M'
    """
    if _missing(x):
        return ""
    value = float(x)
    sign = "-" if value < 0 else ""
    value = abs(value)
    scale, suffix = _step(value)
    number = f"{value / scale:.{digits}g}"
    if "e" in number:  # e.g. 1e+03B for huge values
        number = f"{value / scale:,.0f}"
    return f"{sign}{number}{suffix}"


def percent_label(x: Any, *, decimals: int = 0) -> str:
    """A fraction 0–1 as a percentage.

    Examples
    --------
    >>> percent_label(0.283), percent_label(0.0625, decimals=1)
    ('28%', '6.2%')
    """
    if _missing(x):
        return ""
    return f"{100 * float(x):.{decimals}f}%"


def pp_label(x: Any, *, decimals: int = 1) -> str:
    """A change in share, given in percentage points (2.1 = 2.1 points), signed.

    Points, as ``share_pp`` columns hold them (``100 * (share_to - share_from)``): the
    column says its unit, so a fraction is never passed here.

    Examples
    --------
    >>> pp_label(2.1), pp_label(-10), pp_label(0.0)
    ('+2.1 pp', '-10.0 pp', '0.0 pp')
    """
    if _missing(x):
        return ""
    points = round(float(x), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    sign = "+" if points > 0 else ""
    return f"{sign}{points:.{decimals}f} pp"


def hhi_label(x: Any) -> str:
    """An HHI (0–10,000) rounded to a whole number with thousands separators.

    Examples
    --------
    >>> hhi_label(2020.4), hhi_label(float("nan"))
    ('2,020', '')
    """
    if _missing(x):
        return ""
    return f"{float(x):,.0f}"


def probability_label(p: Any) -> str:
    """A probability as a whole percentage; ``<1%`` and ``>99%`` where rounding would lie.

    A probability of exactly 0 or 1 is printed as ``0%`` or ``100%``; one that is merely
    close is never rounded to certainty.

    Examples
    --------
    >>> [probability_label(p) for p in (0, 0.004, 0.27, 0.996, 1)]
    ['0%', '<1%', '27%', '>99%', '100%']
    """
    if _missing(p):
        return ""
    p = float(p)
    if p == 0 or p == 1:
        return f"{100 * p:.0f}%"
    percent = math.floor(100 * p + 0.5)  # half up: 0.005 is 1%, as readers round
    if percent < 1:
        return "<1%"
    if percent > 99:
        return ">99%"
    return f"{percent}%"


def range_label(low: Any, high: Any, *, kind: str = "units") -> str:
    """Both ends of an interval, rounded alike (same scale and decimals).

    Parameters
    ----------
    low, high : float
    kind : {"units", "share", "hhi", "probability"}

    Examples
    --------
    >>> range_label(5_600_000, 8_110_000)
    '5.60M–8.11M'
    >>> range_label(950_000, 1_200_000)
    '0.95M–1.20M'
    >>> range_label(0.28, 0.31, kind="share"), range_label(1659, 2020, kind="hhi")
    ('28%–31%', '1,659–2,020')
    """
    if _missing(low) or _missing(high):
        return ""
    if kind != "units":
        one = {"share": percent_label, "hhi": hhi_label, "probability": probability_label}
        return f"{one[kind](low)}–{one[kind](high)}"
    lo, hi = float(low), float(high)
    scale, suffix = _step(max(abs(lo), abs(hi)))
    top = max(abs(lo), abs(hi)) / scale
    decimals = max(0, 2 - int(math.floor(math.log10(top)))) if top > 0 else 0
    return f"{lo / scale:.{decimals}f}{suffix}–{hi / scale:.{decimals}f}{suffix}"


def window_label(start: Any, end: Any) -> str:
    """The label of a window (``2012Q2``, ``H1 2012``, ``..2012-06-12``).

    One labelling for every function: :func:`marketdata.period_label`.

    Examples
    --------
    >>> window_label("2012-04-01", "2012-06-30"), window_label(None, "2012-06-12")
    ('2012Q2', '..2012-06-12')
    """
    return period_label(pd.NaT if start is None else start, end)


#: English names where the first readable alias of ``marketdata/aliases/markets.csv`` is
#: not the one a reader expects.
_MARKET_NAMES = {"KR": "South Korea"}


@functools.cache
def _market_names() -> dict[str, str]:
    """Code -> English name: the first alias in ``markets.csv`` that is ASCII, has a
    lower-case letter and is not the code ("Taiwan" for TW, "United States" for US)."""
    path = resources.files("marketdata").joinpath("aliases", "markets.csv")
    names: dict[str, str] = {}
    with path.open("r", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            alias, code = row["alias"].strip(), row["canonical"].strip()
            readable = alias.isascii() and any(c.islower() for c in alias)
            if code not in names and alias != code and readable:
                names[code] = alias
    return {**names, **_MARKET_NAMES}


def market_label(market: Any) -> str:
    """A market's English name for titles and text: ``"TW"`` -> ``"Taiwan"``.

    Codes come from :func:`marketdata.market_code` (ISO 3166-1 alpha-2, ``"WW"`` for
    worldwide); a code without a name in the alias table, and any other text, is
    returned as given. NA gives ``""``.

    Examples
    --------
    >>> market_label("TW"), market_label("US"), market_label("GB"), market_label("WW")
    ('Taiwan', 'United States', 'United Kingdom', 'Worldwide')
    >>> market_label("ROW"), market_label(None)
    ('ROW', '')
    """
    if _missing(market):
        return ""
    text = str(market).strip()
    return _market_names().get(text, text)


KINDS: dict[str, Callable[[Any], str]] = {
    "units": units_label,
    "share": percent_label,
    "share_pp": pp_label,
    "hhi": hhi_label,
    "probability": probability_label,
}


def kind_of_column(name: str) -> str | None:
    """The number kind a column holds, from its name (the schema's naming rules).

    ``units*``/``*_units`` are units, ``share_pp``/``*_pp`` points, ``share*``/``*_share``
    fractions, ``hhi*`` HHI points, ``prob*``/``p_*``/``probability`` probabilities.

    Examples
    --------
    >>> [kind_of_column(c) for c in ("units_low", "share", "share_pp", "hhi_upper",
    ...                              "prob_top", "rank")]
    ['units', 'share', 'share_pp', 'hhi', 'probability', None]
    """
    name = str(name).casefold()
    if name.endswith("_pp") or name == "share_pp":
        return "share_pp"
    if name.startswith("units") or name.endswith("_units"):
        return "units"
    if name.startswith("share") or name.endswith("_share"):
        return "share"
    if name.startswith("hhi"):
        return "hhi"
    if name.startswith(("prob", "p_")) or name == "probability":
        return "probability"
    return None


def format_value(value: Any, kind: str | None = None) -> str:
    """One value as text: by ``kind`` if given, else numbers with up to 3 significant digits.

    Examples
    --------
    >>> format_value(0.27, "probability"), format_value(13), format_value("HTC")
    ('27%', '13', 'HTC')
    """
    if kind is not None:
        return KINDS[kind](value)
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (isinstance(value, float) and float(value).is_integer()):
        return f"{int(value):,}" if abs(value) >= 10_000 else f"{int(value)}"
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def format_frame(frame: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with every cell as display text.

    Column kinds come from ``kinds`` or from the column names (:func:`kind_of_column`).

    Examples
    --------
    >>> f = pd.DataFrame({"brand": ["HTC"], "units": [1.47e6], "share": [0.21]})
    >>> format_frame(f).iloc[0].tolist()
    ['HTC', '1.47M', '21%']
    """
    kinds = dict(kinds or {})
    out = {}
    for column in frame.columns:
        kind = kinds.get(column, kind_of_column(column))
        out[column] = [format_value(v, kind) for v in frame[column].tolist()]
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)

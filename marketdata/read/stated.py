"""The unit a table states for its numbers, and the scale the loader applies.

Exports put the unit above the table ("Smartphone shipments ... (in million units)",
``單位：萬台``) or in the header of the figures column ("Shipments (million units)",
``出貨量(萬台)``). :func:`unit_statements` finds such statements in a text, with the
multipliers of :mod:`marketdata.units` (``million``, ``thousand``, ``萬``, ``百萬``,
``億`` ...; ``000s`` counts its zeros, ``in units`` is 1). A multiplier is read as the
table's unit only where it says so -- after ``in``, inside brackets, after ``單位``/``单位``
or ``unit:``, or before a unit word -- and never right after a number ("1.2 billion
units", ``突破1億台``: a figure, not a unit).

:func:`resolve_scale` decides the scale of the bare numbers of one table:

- ``scale=`` not given: the unit stated, with a warning naming the file, the text and
  the factor, and how to keep the numbers as written (``scale=1``); 1 if none is stated
  or the table says ``in units`` (nothing to warn about).
- ``scale=`` given: the caller's, with a warning when the table states another unit.
- Two different units stated (two title rows, or a title and the header): a
  ``DataError`` asking for ``scale=``.
- Shares are never scaled by a stated unit.

The patterns are Python regular expressions without nested quantifiers, run on at most
:data:`MAX_TEXT` characters of each text: linear time on any input.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.read.candidates import Candidates
from marketdata.read.options import ReadOptions
from marketdata.units._words import MULTIPLIERS, ONES, TENS

__all__ = ["MAX_TEXT", "resolve_scale", "unit_statements"]

MAX_TEXT = 2_000  # characters of one title or header looked at

_WORDS = sorted(
    (w for w in MULTIPLIERS if w.isascii() and len(w.rstrip(".")) >= 2),
    key=len,
    reverse=True,
)
_CJK = "".join(sorted({w for w in MULTIPLIERS if not w.isascii()}))
_MULT = r"(?:" + "|".join(re.escape(w.rstrip(".")) for w in _WORDS) + r")\.?(?![\w])"
_ZEROS = r"'?0{3}(?:[, ]?0{3})*'?s?(?![\w])"  # 000s, '000, 000,000
_ZEROS_IN = r"(?:1[, ]?)?" + _ZEROS  # also 1,000 / 1000s after "in" or in brackets
_UNIT = r"(?:units?|pieces|pcs|smartphones?|handsets?|phones?|devices?)(?![\w])"
_PLACES = "".join(sorted(w for w in _CJK if MULTIPLIERS[w] < 4))  # 百 千
_GROUPS = "".join(sorted(w for w in _CJK if MULTIPLIERS[w] >= 4))  # 萬 万 億 亿
_CN_MULT = f"(?:[{_PLACES}]?[{_GROUPS}]|[{_PLACES}])"  # 千, 萬, 百萬, 千億
_CN_UNIT = "[台部支隻只個个]"
_PATTERN = re.compile(
    "|".join(
        [
            # (in million units), (millions), (000s), (in units), (千台), (億), (台)
            rf"(?P<paren>\(\s*(?:in\s+)?(?:(?:{_MULT}|{_ZEROS_IN})(?:\s+(?:of\s+)?{_UNIT})?"
            rf"|{_UNIT}|{_CN_MULT}{_CN_UNIT}?|{_CN_UNIT})\s*\))",
            # in million units, in millions, in 000s, in units
            rf"(?P<in>(?<![\w])in\s+(?:(?:{_MULT}|{_ZEROS_IN})(?:\s+(?:of\s+)?{_UNIT})?|{_UNIT}))",
            # unit: millions, units: thousand units
            rf"(?P<colon>(?<![\w]){_UNIT}\s*:\s*(?:{_MULT}|{_ZEROS_IN})(?:\s+{_UNIT})?)",
            # 單位：萬台, 单位：千部, 單位：台
            rf"(?P<cn>[單单]位\s*:?\s*(?:{_CN_MULT}{_CN_UNIT}?|{_CN_UNIT}))",
            # million units, 000 units, 百萬台 (unless a number comes just before)
            rf"(?P<bare>(?<![\w.,'])(?:{_MULT}|{_ZEROS})\s+(?:of\s+)?{_UNIT}"
            rf"|(?<![\d{_CJK}零〇一二两兩三四五六七八九十]){_CN_MULT}{_CN_UNIT})",
        ]
    )
)
_HEADER_ONLY = re.compile(r"\(\s*(?:in\s+)?([mkb])\s*\)")  # "Units (M)": in a header only
_NUMBER_BEFORE = re.compile(
    r"(?:\d|\b(?:" + "|".join(sorted([*ONES, *TENS], key=len, reverse=True)) + r"))\s*$"
)
_WORD = re.compile(
    r"(?<![a-z])(?:" + "|".join(re.escape(w.rstrip(".")) for w in _WORDS) + r")(?![a-z])"
)
_ZERO_RUN = re.compile(r"0{3}(?:[, ]?0{3})*")


def _exponent(phrase: str) -> int:
    """The power of ten a phrase found by :data:`_PATTERN` states (0: ``in units``)."""
    word = _WORD.search(phrase)
    if word:
        return MULTIPLIERS[word.group()]
    zeros = _ZERO_RUN.search(phrase)
    if zeros:
        return zeros.group().count("0")
    return sum(MULTIPLIERS.get(ch, 0) for ch in phrase if not ch.isascii())


def unit_statements(text: str, *, header: bool = False) -> list[tuple[str, int]]:
    """Each unit ``text`` states for numbers: the phrase (normalised) and its power of ten.

    ``header=True`` also reads one letter in brackets ("Units (M)"), which in a title
    could be a footnote mark.

    Examples
    --------
    >>> unit_statements("Smartphone shipments worldwide (in million units)")
    [('(in million units)', 6)]
    >>> unit_statements("出貨量 單位：萬台"), unit_statements("Shipments (000s)")
    ([('單位:萬台', 4)], [('(000s)', 3)])
    >>> unit_statements("Shipments passed 1.2 billion units in 2016")
    []
    """
    if not isinstance(text, str):
        return []
    normal = unicodedata.normalize("NFKC", text[:MAX_TEXT]).lower()
    found = []
    for match in _PATTERN.finditer(normal):
        phrase = match.group().strip()
        if match.lastgroup == "bare" and _NUMBER_BEFORE.search(normal, 0, match.start()):
            continue  # "1.2 million units", "a million units": a figure
        found.append((phrase, _exponent(phrase)))
    if header:
        for match in _HEADER_ONLY.finditer(normal):
            found.append((match.group(), MULTIPLIERS[match.group(1)]))
    return found


def _sources(c: Candidates) -> list[tuple[str, str, str, int]]:
    """(where, text, phrase, exponent) of every unit statement of the table."""
    out = []
    for text in c.table.title:
        for phrase, e in unit_statements(text):
            out.append(("the title", text, phrase, e))
    if c.layout == "long":
        header = c.named.original.get(c.value)
        if isinstance(header, str):
            for phrase, e in unit_statements(header, header=True):
                out.append(("the header of the figures column", header, phrase, e))
    return out


def resolve_scale(c: Candidates, opts: ReadOptions) -> ReadOptions:
    """``opts`` with the scale of this table's bare numbers (see the module notes);
    warnings go to ``c.warnings``."""
    given = opts.scale
    if c.value != s.UNITS:
        return opts if given is not None else dataclasses.replace(opts, scale=1.0)
    stated = _sources(c)
    where = c.table.file or "the table"
    exponents = sorted({e for *_, e in stated})
    if len(exponents) > 1 and given is None:
        shown = "; ".join(
            f"{what} {text[:120]!r} says {phrase!r} ({10.0**e:g})"
            for what, text, phrase, e in stated
        )
        raise DataError(
            f"the table states more than one unit for its numbers: {shown}",
            file=c.table.file,
            line=c.table.header_line,
            hint="pass scale= with the unit its bare numbers are in, e.g. scale='millions' or "
            "scale=1 to keep them as written",
        )
    if not stated:
        return opts if given is not None else dataclasses.replace(opts, scale=1.0)
    what, text, phrase, e = stated[0]
    factor = 10.0**e
    if given is None:
        if factor == 1.0:  # "in units": the numbers as written, nothing to say
            return dataclasses.replace(opts, scale=1.0)
        c.warnings.append(
            f"{where}: {what} {text[:200]!r} states the unit ({phrase!r}): its bare numbers "
            f"were multiplied by {factor:g}; pass scale=1 to keep the numbers as written"
        )
        return dataclasses.replace(opts, scale=factor)
    other = [x for x in stated if 10.0 ** x[3] != given]
    if other:
        what, text, phrase, e = other[0]
        c.warnings.append(
            f"{where}: {what} {text[:200]!r} states the unit ({phrase!r}, {10.0**e:g}), but "
            f"scale={given:g} was given: bare numbers were multiplied by {given:g}, as asked"
        )
    return opts

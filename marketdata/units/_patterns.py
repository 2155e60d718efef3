"""The regular expressions of ``parse_units``, built once from the word tables.

Every pattern here is run by pyarrow's RE2 engine, which matches in time linear in the
text, whatever the pattern: no text can make the parser backtrack (Python's ``re`` took
exponential time on ``"3mmmm...x"``, where ``mm`` and ``m`` split a run of m's in 2**n
ways). The one Python pattern, :data:`MULT_TOKEN`, is an alternation of literal words.
"""

from __future__ import annotations

import re

from marketdata.units._words import (
    AFTER_NUMBER,
    MULTIPLIERS,
    ONES,
    PREFIXES,
    SUFFIXES,
    TENS,
    UNIT_WORDS,
)

__all__ = [
    "DIGIT_CHARS",
    "FIELDS",
    "MULT_TOKEN",
    "PATTERN",
    "SUFFIX",
    "alt",
    "mult_exponent",
    "swapped",
    "valid_number",
]


def alt(words) -> str:
    """A regex alternation, longest first so that RE2's leftmost-first choice is right."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ONES_RE = alt([w for w in ONES if w not in ("a", "an")])
PATTERN = (
    r"^(?:(?P<pre>" + alt(PREFIXES) + r")\s*)?"
    r"(?:(?P<num>\d(?:[\d.,' ]*\d)?|[.,]\d+)(?P<exp>e[+-]?\d+)?"
    r"|(?P<tens>" + alt(TENS) + r")(?:[- ]?(?P<tensone>" + alt(list(ONES)[1:10]) + r"))?"
    r"|(?P<ones>" + _ONES_RE + r"|an|a)"
    r"|(?P<cn>(?:\d[\d.,]*|[零〇一二两兩三四五六七八九十百千万萬亿億])*"
    r"[零〇一二两兩三四五六七八九十百千万萬亿億](?:\d[\d.,]*)?))"
    r"\s*(?P<after>" + alt(AFTER_NUMBER) + r")?"
    r"(?P<mult>(?:\s*(?:" + alt(MULTIPLIERS) + r"))*)"
    r"\s*(?P<mid>\+|plus)?"
    r"(?:\s*(?:" + alt(UNIT_WORDS) + r"))?"
    r"\s*(?P<post>" + alt(SUFFIXES) + r")?$"
)
MULT_TOKEN = re.compile(alt(MULTIPLIERS))
FIELDS = ("pre", "num", "exp", "tens", "tensone", "ones", "cn", "after", "mult", "mid", "post")
# What may follow the digits in the fast path: multipliers, then a unit word.
# Run by RE2 (linear time): Python's backtracking engine takes exponential time on
# "3mmmm...x", where "mm" and "m" split a run of m's in 2**n ways before failing.
SUFFIX = r"^(?P<mult>(?:\s*(?:" + alt(MULTIPLIERS) + r"))*)(?:\s*(?:" + alt(UNIT_WORDS) + r"))?$"
DIGIT_CHARS = "0123456789.,' "


def valid_number(decimal: str) -> str:
    """Regex of the digit tokens that read unambiguously with this decimal separator."""
    d, g = (r"\.", ",") if decimal == "." else (",", r"\.")
    return (
        rf"^(?:\d+|\d+{d}\d+|{d}\d+|\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?"  # ordinary
        rf"|\d{{1,3}}(?:[ ']\d{{3}})+(?:[.,]\d+)?"  # space/apostrophe grouping
        + (rf"|\d+{g}\d+" if decimal == "," else "")  # "3.25" with decimal=",": a point
        + rf"|\d{{1,3}}(?:{d}\d{{3}}){{2,}}"  # the decimal separator twice: grouping
        + rf"|\d{{1,3}}(?:{d}\d{{3}})+{g}\d+)$"  # both, the other way round
    )


def swapped(decimal: str) -> tuple[str, str]:
    """Regex of the valid tokens whose decimal separator is the *other* one."""
    d, g = (r"\.", ",") if decimal == "." else (",", r"\.")
    grouped = rf"\d{{1,3}}(?:{g}\d{{3}})+"  # "1,234": the chosen convention's grouping
    return (
        rf"^(?:\d+{g}\d+|\d{{1,3}}(?:{d}\d{{3}}){{2,}}|\d{{1,3}}(?:{d}\d{{3}})+{g}\d+"
        rf"|\d{{1,3}}(?:[ ']\d{{3}})+{g}\d+)$",
        rf"^{grouped}$",
    )


def mult_exponent(text: str) -> int:
    return sum(MULTIPLIERS[t] for t in MULT_TOKEN.findall(text))

"""Read numbers of units written the way people write them: ``"3M"``, ``"700萬台"``, ...

A column is parsed with pyarrow compute kernels, never a Python loop per row. The common
forms ("1,234,567", "3.2M", "700萬") are split into digits and a suffix by trimming
character sets; everything else goes through one regular expression, compiled once and run
by pyarrow's RE2 engine, that splits a text into a qualifier (``"over"``, ``"under"``,
``"approx"``), a number (digits, English words or simple Chinese numerals), multipliers
(``k``, ``million``, ``萬``, ``億`` ...) and a unit word. Python only looks at the few
distinct suffixes and words. Every multiplier is a power of ten, so the value is read as
one decimal string (``"3.2e6"``) by pyarrow's correctly rounding parser: the result is the
float nearest to what was written, with no double rounding.

Conventions (see :func:`parse_units`):

- With ``decimal="."`` (the default) a comma followed by exactly three digits groups
  thousands (``"1,234"`` is 1234) and any other comma is a decimal comma (``"3,2 Mio."``
  is 3,200,000); tokens that can only be German are read that way (``"1.234.567"``,
  ``"1.234,5"``). ``decimal=","`` swaps the roles of the two separators.
- Blank text and NA are *missing*: an error unless ``na="keep"``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, localcontext
from typing import Any, Literal, overload

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from marketdata import schema as s
from marketdata._text import shown, to_arrow_text
from marketdata.errors import DataError

__all__ = ["parse_units", "format_units", "try_parse_units", "STYLES"]

_SHOW = 5  # offending rows listed in an error message
_MISSING = "the value is missing"
_NA_HINT = "give a number of units, or pass na='keep' to keep missing values as NaN"

# --- vocabulary -------------------------------------------------------------------------

_QUALIFIER_WORDS = {
    # over
    "more than": "over",
    "at least": "over",
    "greater than": "over",
    "in excess of": "over",
    "upwards of": "over",
    "just over": "over",
    "over": "over",
    "above": "over",
    "exceeding": "over",
    ">=": "over",
    "≥": "over",
    ">": "over",
    "超過": "over",
    "超过": "over",
    "逾": "over",
    "突破": "over",
    "超": "over",
    "多於": "over",
    "多于": "over",
    "+": "over",
    "plus": "over",
    "or more": "over",
    "and above": "over",
    "or above": "over",
    "以上": "over",
    "多": "over",
    "余": "over",
    "餘": "over",
    # under
    "less than": "under",
    "fewer than": "under",
    "just under": "under",
    "nearly": "under",
    "almost": "under",
    "under": "under",
    "below": "under",
    "up to": "under",
    "<=": "under",
    "≤": "under",
    "<": "under",
    "近": "under",
    "將近": "under",
    "将近": "under",
    "接近": "under",
    "不到": "under",
    "or less": "under",
    "or fewer": "under",
    "以下": "under",
    "以內": "under",
    "以内": "under",
    # approx
    "approximately": "approx",
    "approx.": "approx",
    "approx": "approx",
    "about": "approx",
    "around": "approx",
    "roughly": "approx",
    "circa": "approx",
    "ca.": "approx",
    "some": "approx",
    "an estimated": "approx",
    "estimated": "approx",
    "~": "approx",
    "≈": "approx",
    "〜": "approx",
    "約": "approx",
    "约": "approx",
    "大約": "approx",
    "大约": "approx",
    "左右": "approx",
    "上下": "approx",
}
_PREFIXES = [
    "more than",
    "at least",
    "greater than",
    "in excess of",
    "upwards of",
    "just over",
    "over",
    "above",
    "exceeding",
    ">=",
    "≥",
    ">",
    "超過",
    "超过",
    "逾",
    "突破",
    "多於",
    "多于",
    "超",
    "less than",
    "fewer than",
    "just under",
    "nearly",
    "almost",
    "under",
    "below",
    "up to",
    "<=",
    "≤",
    "<",
    "將近",
    "将近",
    "接近",
    "近",
    "不到",
    "approximately",
    "approx.",
    "approx",
    "about",
    "around",
    "roughly",
    "circa",
    "ca.",
    "some",
    "an estimated",
    "estimated",
    "~",
    "≈",
    "〜",
    "大約",
    "大约",
    "約",
    "约",
]
_AFTER_NUMBER = ["多", "余", "餘"]  # "30多万": more than 300,000
_SUFFIXES = [
    "+",
    "plus",
    "or more",
    "and above",
    "or above",
    "以上",
    "or less",
    "or fewer",
    "以下",
    "以內",
    "以内",
    "左右",
    "上下",
]

# Every multiplier is a power of ten: its exponent.
_MULTIPLIERS = {
    "thousands": 3,
    "thousand": 3,
    "tsd.": 3,
    "tsd": 3,
    "k": 3,
    "千": 3,
    "millions": 6,
    "million": 6,
    "mln": 6,
    "mio.": 6,
    "mio": 6,
    "mil": 6,
    "mn": 6,
    "mm": 6,
    "m": 6,
    "billions": 9,
    "billion": 9,
    "bln": 9,
    "bn": 9,
    "mrd.": 9,
    "mrd": 9,
    "b": 9,
    "hundreds": 2,
    "hundred": 2,
    "百": 2,
    "萬": 4,
    "万": 4,
    "億": 8,
    "亿": 8,
    "lakhs": 5,
    "lakh": 5,
    "lacs": 5,
    "lac": 5,
    "crores": 7,
    "crore": 7,
}
_UNIT_WORDS = [
    "smartphones",
    "smartphone",
    "handsets",
    "handset",
    "phones",
    "phone",
    "devices",
    "device",
    "units",
    "unit",
    "pieces",
    "piece",
    "pcs.",
    "pcs",
    "台",
    "部",
    "支",
    "隻",
    "只",
    "個",
    "个",
]

_ONES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a": 1,
    "an": 1,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _alt(words) -> str:
    """A regex alternation, longest first so that RE2's leftmost-first choice is right."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ONES_RE = _alt([w for w in _ONES if w not in ("a", "an")])
_PATTERN = (
    r"^(?:(?P<pre>" + _alt(_PREFIXES) + r")\s*)?"
    r"(?:(?P<num>\d(?:[\d.,' ]*\d)?|[.,]\d+)(?P<exp>e[+-]?\d+)?"
    r"|(?P<tens>" + _alt(_TENS) + r")(?:[- ]?(?P<tensone>" + _alt(list(_ONES)[1:10]) + r"))?"
    r"|(?P<ones>" + _ONES_RE + r"|an|a)"
    r"|(?P<cn>(?:\d[\d.,]*|[零〇一二两兩三四五六七八九十百千万萬亿億])*"
    r"[零〇一二两兩三四五六七八九十百千万萬亿億](?:\d[\d.,]*)?))"
    r"\s*(?P<after>" + _alt(_AFTER_NUMBER) + r")?"
    r"(?P<mult>(?:\s*(?:" + _alt(_MULTIPLIERS) + r"))*)"
    r"\s*(?P<mid>\+|plus)?"
    r"(?:\s*(?:" + _alt(_UNIT_WORDS) + r"))?"
    r"\s*(?P<post>" + _alt(_SUFFIXES) + r")?$"
)
_MULT_TOKEN = re.compile(_alt(_MULTIPLIERS))
_GERMAN = "tsd|mio|mrd"  # multipliers that mark a German number (decimal comma)
_ALL_FIELDS = ("pre", "num", "exp", "tens", "tensone", "ones", "cn", "after", "mult", "mid", "post")
# What may follow the digits in the fast path: multipliers, then a unit word.
# Run by RE2 (linear time): Python's backtracking engine takes exponential time on
# "3mmmm...x", where "mm" and "m" split a run of m's in 2**n ways before failing.
_SUFFIX = (
    r"^(?P<mult>(?:\s*(?:" + _alt(_MULTIPLIERS) + r"))*)(?:\s*(?:" + _alt(_UNIT_WORDS) + r"))?$"
)
_DIGIT_CHARS = "0123456789.,' "
_FAST_LIMIT = 10_000  # distinct suffixes beyond which the fast path is not worth it
_SAMPLE = 10_000  # rows looked at to decide whether to parse distinct texts only
_LARGE = pa.large_string()
# Full-width ASCII forms (U+FF01..FF5E) and the ideographic space, to ASCII.
_WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SPACES = "[\u00a0\u2007\u2009\u202f\u3000\t\r\n\f\v]"


def _valid_number(decimal: str) -> str:
    """Regex of the digit tokens that read unambiguously with this decimal separator."""
    d, g = (r"\.", ",") if decimal == "." else (",", r"\.")
    return (
        rf"^(?:\d+|\d+{d}\d+|{d}\d+|\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?"  # ordinary
        rf"|\d{{1,3}}(?:[ ']\d{{3}})+(?:[.,]\d+)?"  # space/apostrophe grouping
        + (rf"|\d+{g}\d+" if decimal == "," else "")  # "3.25" with decimal=",": a point
        + rf"|\d{{1,3}}(?:{d}\d{{3}}){{2,}}"  # the decimal separator twice: grouping
        + rf"|\d{{1,3}}(?:{d}\d{{3}})+{g}\d+)$"  # both, the other way round
    )


def _swapped(decimal: str) -> tuple[str, str]:
    """Regex of the valid tokens whose decimal separator is the *other* one."""
    d, g = (r"\.", ",") if decimal == "." else (",", r"\.")
    grouped = rf"\d{{1,3}}(?:{g}\d{{3}})+"  # "1,234": the chosen convention's grouping
    return (
        rf"^(?:\d+{g}\d+|\d{{1,3}}(?:{d}\d{{3}}){{2,}}|\d{{1,3}}(?:{d}\d{{3}})+{g}\d+"
        rf"|\d{{1,3}}(?:[ ']\d{{3}})+{g}\d+)$",
        rf"^{grouped}$",
    )


def _lookup(strings: pa.Array, table: dict, default: Any) -> np.ndarray:
    """Map a (few-valued) string array through ``table`` per distinct value."""
    encoded = pc.dictionary_encode(strings)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    keys = encoded.dictionary.to_pylist()
    mapped = np.array([table.get(k, default) for k in keys] + [default], dtype=object)
    idx = encoded.indices.to_numpy(zero_copy_only=False)
    idx = np.where(pd.isna(idx), len(keys), idx).astype(np.intp)
    return mapped[idx]


def _mult_exponent(text: str) -> int:
    return sum(_MULTIPLIERS[t] for t in _MULT_TOKEN.findall(text))


_CN_PLACES = {"十": 1, "百": 2, "千": 3}  # places within a group of four digits
_CN_GROUPS = {"万": 4, "萬": 4, "亿": 8, "億": 8}
_CN_TOKEN = re.compile(r"\d[\d.,]*|.")  # linear: no nested quantifier


def _cjk_digits(token: str, decimal: str) -> Decimal | None:
    """An Arabic-digit token of a CJK numeral ("6670", "4,673", "1.2"), else None."""
    d, g = (".", ",") if decimal == "." else (",", ".")
    whole, _, frac = token.partition(d)
    if g in whole:
        head, *groups = whole.split(g)
        if not (1 <= len(head) <= 3 and all(len(x) == 3 for x in groups)):
            return None
        whole = head + "".join(groups)
    if not whole.isdigit() or (frac and not frac.isdigit()) or g in frac or d in frac:
        return None
    return Decimal(whole + ("." + frac if frac else ""))


def _cjk_value(text: str, decimal: str) -> str | None:
    """The value of a CJK numeral as a decimal string, or None if malformed or ambiguous.

    Groups of four digits are counted in 万/萬 (10**4) and 亿/億 (10**8); within a
    group 千 (1000), 百 (100) and 十 (10) count the digit before them, written in
    Chinese (三, 两) or Arabic digits ("3億6670万" = 3 * 10**8 + 6670 * 10**4). A
    larger group word after a smaller one multiplies everything before it ("1.2万亿" =
    1.2 * 10**4 * 10**8). A bare digit after a place is refused where speech drops a
    zero ("一百五" is 150 in speech, 105 by the place rule; "三万五" is 35,000 or
    30,005): write 一百五十, 一百零五 or 3万5000.
    """
    tokens = _CN_TOKEN.findall(text)
    with localcontext() as context:
        context.prec = len(text) + 40  # exact for any number of digits
        total, section = Decimal(0), Decimal(0)
        digit: Decimal | None = None
        place, group = 5, None  # last place in this group; exponent of the last group
        zero = fraction = False
        width = 0  # Arabic digits of the pending digit token
        for token in tokens:
            if token[0].isdigit():
                if digit is not None or fraction:
                    return None
                digit = _cjk_digits(token, decimal)
                if digit is None:
                    return None
                if digit != digit.to_integral_value():
                    if total or section:
                        return None  # "1億2.5万": a fraction after a part of the number
                    fraction = True  # and nothing may follow but places and groups
                width = len(token)
            elif token in ("零", "〇"):
                if digit is not None:
                    return None
                zero = True
            elif token in _CN_DIGITS:
                if digit is not None or fraction:
                    return None
                digit, width = Decimal(_CN_DIGITS[token]), 0
            elif token in _CN_PLACES:
                p = _CN_PLACES[token]
                if p >= place:
                    return None
                if digit is None:
                    if section:  # only a group's first place stands alone: 十五, 百万
                        return None
                    digit = Decimal(1)
                section += digit * 10**p
                digit, place, zero = None, p, False
            elif token in _CN_GROUPS:
                e = _CN_GROUPS[token]
                if digit is None and not section:
                    if group is None or e <= group or not total:
                        return None  # "万" alone, "万万"
                    total, group = total * Decimal(10) ** e, group + e  # 万亿 = 10**12
                    continue
                if digit is not None:
                    if section and not _complete(place, zero):
                        return None
                    section += digit
                if group is not None and e >= group:
                    total, group = (total + section) * Decimal(10) ** e, group + e
                else:
                    total, group = total + section * Decimal(10) ** e, e
                section, digit, place, zero = Decimal(0), None, 5, False
            else:
                return None
        if digit is not None:
            if section:
                if not _complete(place, zero):
                    return None
            elif group is not None and not zero and width != group:
                return None  # "3万5": 35,000 or 30,005? ("1万2345" is 12,345)
            section += digit
        total += section
        return format(total, "f")


def _complete(place: int, zero: bool) -> bool:
    """Whether a bare digit after ``place`` is unambiguous: after 十, or after a 零."""
    return place == 1 or zero


def _normalise(arr: pa.Array) -> pa.Array:
    """Lower case, ASCII spaces and digits, trimmed."""
    arr = pc.utf8_trim_whitespace(pc.utf8_lower(arr))
    ascii_ = _np(pc.fill_null(pc.string_is_ascii(arr), True))
    if ascii_.all():
        if not pc.all(pc.fill_null(pc.ascii_is_printable(arr), True)).as_py():  # \t, \n ...
            arr = pc.replace_substring_regex(arr, "[\t\r\n\f\v]", " ")
        return arr
    # Full-width forms and exotic spaces can only be in the non-ASCII texts.
    rows = pa.array(~ascii_)
    other = pc.filter(arr, rows)
    if pc.any(pc.match_substring_regex(other, "[\uff01-\uff5e]")).as_py():
        encoded = pc.dictionary_encode(other)  # translate the distinct texts only
        narrow = [v.translate(_WIDE) for v in encoded.dictionary.to_pylist()]
        other = pc.take(pa.array(narrow, type=_LARGE), encoded.indices)
    other = pc.utf8_trim_whitespace(pc.replace_substring_regex(other, _SPACES, " "))
    return pc.replace_with_mask(arr, rows, other)


_QUALIFIER_CODES = (None, *s.QUALIFIERS)  # code 0 = no qualifier
_REASONS = (
    None,
    "not a form of number this parser knows",
    "the digits are malformed or ambiguous",
    "not a well-formed Chinese numeral (write 三百, 一百五十, 一千零五, 三億六千六百七十萬 or "
    "3億6670万; a digit after a place without 零, as in 一百五 or 三万五, is ambiguous)",
    "the number is too large",
    "the qualifiers contradict each other",
    "a number of units cannot be negative",
    _MISSING,
)
_UNKNOWN, _MALFORMED, _CHINESE, _TOO_BIG, _CONFLICT, _NEGATIVE, _MISSING_CODE = range(1, 8)


def _np(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def _evaluate(fields: dict, decimal: str) -> tuple[np.ndarray, ...]:
    """Value, qualifier code, reason code and bareness of texts split into regex groups.

    A German multiplier word (Tsd., Mio., Mrd.) makes its number German: ``"1,234 Mio."``
    is 1.234 million, ``"1.234 Mio."`` 1,234 million (as :func:`format_units` writes).
    """
    if decimal == ",":
        return _evaluate_with(fields, decimal)
    german = _np(pc.fill_null(pc.match_substring_regex(fields["mult"], _GERMAN), False))
    if not german.any():
        return _evaluate_with(fields, decimal)
    if german.all():
        return _evaluate_with(fields, ",")
    out = tuple(
        np.empty(len(german), dtype=dtype) for dtype in (np.float64, np.int8, np.int8, bool)
    )
    for rows, mark in ((german, ","), (~german, ".")):
        mask = pa.array(rows)
        parts = _evaluate_with({k: pc.filter(v, mask) for k, v in fields.items()}, mark)
        for whole, part in zip(out, parts, strict=True):
            whole[rows] = part
    return out


def _evaluate_with(fields: dict, decimal: str) -> tuple[np.ndarray, ...]:
    """:func:`_evaluate` with one decimal separator for every text."""
    num = fields["num"]
    n = len(num)
    reason = np.zeros(n, dtype=np.int8)
    has_num = _np(pc.greater(pc.utf8_length(num), 0))
    d, g = (".", ",") if decimal == "." else (",", ".")
    other_rx, grouped_rx = _swapped(decimal)
    # The common forms are valid without the long regex: digits only ("1234567") and
    # digits in groups of three ("1,234,567", which is never read the other way round).
    has_g = pc.any(pc.match_substring(num, g)).as_py()
    grouped = _np(pc.match_substring_regex(num, grouped_rx)) if has_g else np.zeros(n, bool)
    num_ok = grouped | _np(pc.fill_null(pc.ascii_is_decimal(num), False))
    if not num_ok.all():
        rest = ~num_ok
        num_ok[rest] = _np(
            pc.match_substring_regex(num.filter(pa.array(rest)), _valid_number(decimal))
        )
    reason[has_num & ~num_ok] = _MALFORMED
    # Tokens written the other way round need the other separator, or the decimal one
    # twice: look for them only when some token could be one.
    maybe_other = has_g or pc.any(pc.greater(pc.count_substring(num, d), 1)).as_py()
    swap = np.zeros(n, dtype=bool)
    if maybe_other and not grouped.all():
        rest = ~grouped
        swap[rest] = _np(pc.match_substring_regex(num.filter(pa.array(rest)), other_rx))
    plain = num
    for mark in (" ", "'"):
        if pc.any(pc.match_substring(plain, mark)).as_py():
            plain = pc.replace_substring(plain, mark, "")
    digits = pc.replace_substring(plain, g, "") if has_g else plain
    if d != ".":
        digits = pc.replace_substring(digits, d, ".")
    if swap.any():
        as_other = pc.replace_substring(pc.replace_substring(plain, d, ""), g, ".")
        digits = pc.if_else(pa.array(swap), as_other, digits)
    if pc.any(pc.starts_with(digits, ".")).as_py():
        digits = pc.replace_substring_regex(digits, r"^\.", "0.")

    if "ones" in fields and not has_num.all():
        # Words and Chinese numerals are whole numbers: written as digits.
        word = _lookup(fields["tens"], _TENS, 0).astype(np.int64)
        word += _lookup(fields["tensone"], _ONES, 0).astype(np.int64)
        word += _lookup(fields["ones"], _ONES, 0).astype(np.int64)
        cn = fields["cn"]
        has_cn = _np(pc.greater(pc.utf8_length(cn), 0))
        if has_cn.any():
            table = {v: _cjk_value(v, decimal) for v in cn.unique().to_pylist() if v}
            cn_vals = _lookup(cn, table, None)
            cn_bad = has_cn & (cn_vals == None)  # noqa: E711 (elementwise)
            reason[cn_bad] = _CHINESE
            written = np.where(has_cn & ~cn_bad, cn_vals, word.astype(str))
        else:
            written = word.astype(str)
        digits = pc.if_else(pa.array(has_num), digits, pa.array(written.tolist(), type=_LARGE))

    mult = fields["mult"]
    exponent = _lookup(mult, {m: _mult_exponent(m) for m in mult.unique().to_pylist()}, 0)
    exponent = exponent.astype(np.int64)
    if "exp" in fields:
        # "e+06" -> "06", "e-1" -> "-1"; more than five digits is out of any float's range.
        written = pc.utf8_ltrim(pc.utf8_slice_codeunits(fields["exp"], 1), "+")
        huge = _np(pc.greater(pc.utf8_length(pc.utf8_ltrim(written, "-0")), 5))
        written = pc.if_else(pc.or_(pa.array(huge), pc.equal(written, "")), "0", written)
        exponent = exponent + _np(pc.cast(written, pa.int64()))
        exponent[huge] = 10_000
    too_big = np.abs(exponent) > 400
    reason[too_big] = _TOO_BIG
    exponent[too_big] = 0
    # The value is one decimal string, "<digits>e<exponent>", read by a correctly rounding
    # parser: exact where a float multiplication by 10**k would round twice.
    low = int(exponent.min()) if n else 0
    suffixes = pa.array(
        [f"e{k}" for k in range(low, int(exponent.max() if n else 0) + 1)], type=_LARGE
    )
    text = pc.binary_join_element_wise(
        digits, pc.take(suffixes, pa.array(exponent - low)), pa.scalar("", _LARGE)
    )
    text = pc.if_else(pa.array(reason == 0), text, "0")
    units = _np(pc.cast(text, pa.float64())).copy()
    reason[(reason == 0) & ~np.isfinite(units)] = _TOO_BIG

    qualifier = np.zeros(n, dtype=np.int8)
    codes = {word: np.int8(_QUALIFIER_CODES.index(q)) for word, q in _QUALIFIER_WORDS.items()}
    for name in ("pre", "after", "mid", "post"):
        if name not in fields:
            continue
        q = _lookup(fields[name], codes, np.int8(0)).astype(np.int8)
        conflict = (q > 0) & (qualifier > 0) & (q != qualifier)
        reason[conflict & (reason == 0)] = _CONFLICT
        qualifier = np.where(qualifier == 0, q, qualifier)
    units[reason > 0] = np.nan
    qualifier[reason > 0] = 0
    bare = _np(pc.equal(mult, "")) & ~_np(pc.greater(pc.utf8_length(fields.get("exp", mult)), 0))
    return units, qualifier, reason, bare


def _split_fast(arr: pa.Array) -> tuple[np.ndarray, dict] | None:
    """Split "<digits><multipliers><unit word>" texts without a regex, or None.

    Returns the rows it could split and their ``num`` and ``mult`` fields.
    """
    rest = pc.utf8_ltrim(arr, _DIGIT_CHARS)
    encoded = pc.dictionary_encode(pc.fill_null(rest, ""))
    distinct = encoded.dictionary.to_pylist()
    if len(distinct) > _FAST_LIMIT:
        return None
    parts = pc.extract_regex(encoded.dictionary, _SUFFIX)
    mult_of = pc.struct_field(parts, "mult").to_pylist() if len(distinct) else []
    known = np.array([m is not None for m in mult_of] + [False])
    indices = _np(encoded.indices).astype(np.intp)
    # Trim the characters of the known suffixes only: an unknown rest ("over 3 million")
    # may hold digits, which would eat the digits of every other text.
    suffixes = [t for t, m in zip(distinct, mult_of, strict=True) if m is not None]
    chars = "".join(sorted(set("".join(suffixes))))
    num = pc.utf8_rtrim(arr, chars + " ")
    # The split is right when the digits and the rest make up the whole text.
    whole = _np(
        pc.fill_null(
            pc.equal(pc.add(pc.binary_length(num), pc.binary_length(rest)), pc.binary_length(arr)),
            False,
        )
    )
    num = pc.fill_null(pc.utf8_rtrim_whitespace(num), "")
    ok = known[indices] & whole & _np(pc.greater(pc.binary_length(num), 0))
    mult = pc.take(pa.array([m or "" for m in mult_of], type=_LARGE), encoded.indices)
    return ok, {"num": num, "mult": mult}


def _plain_digits(arr: pa.Array, decimal: str) -> np.ndarray:
    """Where normalised texts are ASCII digits, alone or in groups of three."""
    plain = _np(pc.fill_null(pc.ascii_is_decimal(arr), False))
    if pc.any(pc.match_substring(arr, "," if decimal == "." else ".")).as_py():
        _, grouped_rx = _swapped(decimal)
        plain |= _np(pc.fill_null(pc.match_substring_regex(arr, grouped_rx), False))
    return plain


def _parse_arrow(arr: pa.Array, decimal: str) -> tuple[np.ndarray, ...]:
    """Parse normalised texts: units (float64), qualifier and reason codes (int8), bare.

    Codes index :data:`_QUALIFIER_CODES` and :data:`_REASONS` (0 = none, read); ``bare``
    is True where the number was written without a multiplier or exponent.
    """
    n = len(arr)
    units = np.full(n, np.nan)
    qualifier = np.zeros(n, dtype=np.int8)
    reason = np.full(n, _UNKNOWN, dtype=np.int8)
    bare = np.zeros(n, dtype=bool)
    missing = _np(pc.fill_null(pc.equal(pc.utf8_length(arr), 0), True))
    rows = np.arange(n)
    todo = ~missing
    # Digits alone or in groups of three ("1234567", "1,234,567"), the bulk of many
    # columns, are read at once: no multiplier, no qualifier.
    plain = todo & _plain_digits(arr, decimal) if n else todo
    if plain.any():
        where = rows[plain]
        separator = "," if decimal == "." else "."
        digits = pc.replace_substring(pc.filter(arr, pa.array(plain)), separator, "")
        value = _np(pc.cast(digits, pa.float64()))
        finite = np.isfinite(value)
        units[where] = np.where(finite, value, np.nan)
        reason[where] = np.where(finite, 0, _TOO_BIG)
        bare[where] = True
        todo[where] = False
    # The other common forms ("3.2M", "700萬") are split without a regex: the digits are
    # what precedes the first other character, and the distinct rests are matched (in
    # Python, a few of them) against multipliers and unit words.
    rest = rows[todo]
    fast = _split_fast(arr if todo.all() else pc.take(arr, pa.array(rest))) if rest.size else None
    if fast is not None:
        ok, fields = fast
        if ok.any():
            where = rest[ok]
            mask = pa.array(ok)
            fields = {k: pc.filter(v, mask) for k, v in fields.items()}
            units[where], qualifier[where], reason[where], bare[where] = _evaluate(fields, decimal)
            todo[where] = False
    if todo.any():
        idx = rows[todo]
        parts = pc.extract_regex(pc.take(arr, pa.array(idx)), _PATTERN)
        ok = _np(pc.fill_null(pc.is_valid(parts), False))
        if ok.any():
            parts = pc.filter(parts, pa.array(ok))
            fields = {name: pc.fill_null(pc.struct_field(parts, name), "") for name in _ALL_FIELDS}
            where = idx[ok]
            units[where], qualifier[where], reason[where], bare[where] = _evaluate(fields, decimal)
    reason[missing] = _MISSING_CODE
    return units, qualifier, reason, bare


def _hint(decimal: str, reasons) -> str:
    """What to do, for these reasons (the decimal separator only when digits were odd)."""
    hint = (
        "write digits with an optional multiplier and qualifier, e.g. 3200000, 3.2M, "
        "'over 3 million', 700萬 or 1,234,567"
    )
    if _REASONS[_MALFORMED] in set(reasons):
        other = "," if decimal == "." else "."
        hint += f"; pass decimal={other!r} if the numbers use {other!r} as the decimal separator"
    return hint


def try_parse_units(values: pd.Series, *, decimal: str = ".") -> pd.DataFrame:
    """Parse a column without raising: DataFrame[units, qualifier, reason, bare].

    ``reason`` is NA where the text was read and says why it was not otherwise (missing
    values included). ``bare`` is True where a number was written without a multiplier
    or exponent ("3.2", "7,000,000", "about 3"), for loaders that scale bare numbers
    ("values are in millions"). For loaders that collect rejected rows; most users want
    :func:`parse_units`.

    Parameters
    ----------
    values : Series
        Texts (or numbers) to parse.
    decimal : {".", ","}
        The decimal separator.

    Returns
    -------
    DataFrame
        Columns ``units`` (float64, NaN where not read), ``qualifier`` and ``reason``
        (string, NA where not applicable) and ``bare`` (bool), with the index of
        ``values``.

    Examples
    --------
    >>> import pandas as pd
    >>> out = try_parse_units(pd.Series(["3M", "lots", "3.2"]))
    >>> out[["units", "bare"]]
           units   bare
    0  3000000.0  False
    1        NaN  False
    2        3.2   True
    >>> out["reason"].tolist()[1]
    'not a form of number this parser knows'
    """
    _check_decimal(decimal)
    if not isinstance(values, pd.Series):
        raise TypeError(f"try_parse_units expects a pandas Series, got {type(values).__name__}")
    units, qualifier, reason, bare = _parse_codes(values, decimal)
    return pd.DataFrame(
        {
            s.UNITS: pd.Series(units, index=values.index, dtype="float64"),
            s.QUALIFIER: _codes_to_strings(qualifier, _QUALIFIER_CODES, values.index),
            "reason": _codes_to_strings(reason, _REASONS, values.index),
            "bare": pd.Series(bare, index=values.index, dtype=bool),
        }
    )


def parse_units_codes(
    values: pd.Series, *, decimal: str = "."
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse a column without raising, as arrays: for loaders that reject rows themselves.

    Returns ``(units, qualifier, failed, bare)``: units (float64, NaN where not read),
    qualifier as a position in ``schema.QUALIFIERS`` (-1: none), ``failed`` (True where
    the text was not read, missing values included) and ``bare`` (see
    :func:`try_parse_units`). :func:`parse_units` on one failed text says why.

    Examples
    --------
    >>> import pandas as pd
    >>> units, qualifier, failed, bare = parse_units_codes(pd.Series(["over 3M", "lots", "3"]))
    >>> units.tolist(), qualifier.tolist(), failed.tolist(), bare.tolist()
    ([3000000.0, nan, 3.0], [0, -1, -1], [False, True, False], [False, False, True])
    """
    _check_decimal(decimal)
    units, qualifier, reason, bare = _parse_codes(values, decimal)
    return units, qualifier - 1, reason > 0, bare  # int8: -1 (none) .. 2


def _parse_codes(values: pd.Series, decimal: str) -> tuple[np.ndarray, ...]:
    """Units, qualifier codes, reason codes and bareness of a Series (see _parse_arrow)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # parse the categories only
        parts = _parse_codes(pd.Series(values.cat.categories), decimal)
        codes = values.cat.codes.to_numpy()
        missing = (np.nan, 0, _MISSING_CODE, False)
        take = np.where(codes < 0, len(values.cat.categories), codes)
        return tuple(
            np.append(part, np.array([fill], dtype=part.dtype))[take]
            for part, fill in zip(parts, missing, strict=True)
        )
    if pd.api.types.is_bool_dtype(values.dtype):
        raise TypeError("parse_units does not read booleans as numbers of units")
    if pd.api.types.is_numeric_dtype(values.dtype):
        units = values.to_numpy(dtype="float64", na_value=np.nan).copy()
        reason = np.zeros(len(units), dtype=np.int8)
        reason[units < 0] = _NEGATIVE
        reason[np.isinf(units)] = _TOO_BIG
        reason[np.isnan(units)] = _MISSING_CODE
        units[reason > 0] = np.nan
        return units, np.zeros(len(units), dtype=np.int8), reason, np.ones(len(units), bool)
    if values.dtype == object:
        kinds = values.map(type, na_action="ignore")
        if kinds.isin([bool, np.bool_]).any():
            raise TypeError("parse_units does not read booleans as numbers of units")
    arr = to_arrow_text(values)
    if len(arr) > 2 * _SAMPLE:
        # Columns with many repeats ("3M" in every other row) are parsed once per
        # distinct text; a sample tells whether the encoding is worth its cost.
        sample = arr.slice(0, _SAMPLE)
        if len(pc.unique(sample)) < _SAMPLE // 2:
            encoded = pc.dictionary_encode(arr)
            parts = _parse_texts(encoded.dictionary, decimal)
            take = _np(pc.fill_null(encoded.indices, len(encoded.dictionary))).astype(np.intp)
            missing = (np.nan, 0, _MISSING_CODE, False)
            return tuple(
                np.append(part, np.array([fill], dtype=part.dtype))[take]
                for part, fill in zip(parts, missing, strict=True)
            )
    return _parse_texts(arr, decimal)


def _parse_texts(arr: pa.Array, decimal: str) -> tuple[np.ndarray, ...]:
    """Normalise and parse an arrow string array (see :func:`_parse_arrow`)."""
    arr = _normalise(arr)
    units, qualifier, reason, bare = _parse_arrow(arr, decimal)
    if pc.any(pc.starts_with(arr, "-")).as_py():
        negative = _np(pc.fill_null(pc.starts_with(arr, "-"), False))
        reason[negative], units[negative] = _NEGATIVE, np.nan
    return units, qualifier, reason, bare


def _codes_to_strings(codes: np.ndarray, table: tuple, index: pd.Index) -> pd.Series:
    """A string Series (NA for code 0) from small integer codes."""
    labels = pd.Categorical.from_codes(codes.astype(np.int8) - 1, categories=list(table[1:]))
    return pd.Series(labels, index=index).astype("string")


def _check_decimal(decimal: str) -> None:
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', got {decimal!r}")


def _check_na(na: str) -> None:
    if na not in ("raise", "keep"):
        raise ValueError(f"na must be 'raise' or 'keep', got {na!r}")


_Scalar = str | int | float | np.integer | np.floating | None


@overload
def parse_units(
    text_or_series: pd.Series,
    *,
    decimal: str = ...,
    qualifier: Literal[False] = ...,
    na: str = ...,
) -> pd.Series: ...
@overload
def parse_units(
    text_or_series: pd.Series, *, decimal: str = ..., qualifier: Literal[True], na: str = ...
) -> pd.DataFrame: ...
@overload
def parse_units(
    text_or_series: _Scalar,
    *,
    decimal: str = ...,
    qualifier: Literal[False] = ...,
    na: str = ...,
) -> float: ...
@overload
def parse_units(
    text_or_series: _Scalar, *, decimal: str = ..., qualifier: Literal[True], na: str = ...
) -> tuple[float, str | None]: ...
def parse_units(
    text_or_series: pd.Series | _Scalar,
    *,
    decimal: str = ".",
    qualifier: bool = False,
    na: str = "raise",
) -> float | tuple[float, str | None] | pd.Series | pd.DataFrame:
    """Read a number of units from text such as ``"3M"``, ``"over three million"``, ``"700萬台"``.

    The result is a count of units (devices), never millions. Accepted forms:

    - digits: ``"7,000,000"``, ``"7 000 000"``, ``"3.2"``, ``"3e6"``; a bare number is
      units. With ``decimal="."`` a comma before exactly three digits groups thousands;
      other commas are decimal commas (``"3,2 Mio."``), and ``"1.234.567"`` or
      ``"1.234,5"`` are read the German way. ``decimal=","`` swaps the two.
    - words: ``one`` .. ``nineteen``, ``twenty`` .. ``ninety`` (``"twenty-five"``), ``a``;
      Chinese numerals below 10,000 (``三``, ``三十``, ``一百二十``; ``百万`` is a million).
    - multipliers, which multiply each other (``"three hundred thousand"``, ``"3百万"``):
      ``k``, ``thousand``, ``Tsd.``, ``hundred``, ``M``, ``mn``, ``mln``, ``Mio.``,
      ``MM``, ``million``, ``B``, ``bn``, ``bln``, ``Mrd.``, ``billion``, ``lakh``,
      ``crore``, ``千``, ``百``, ``萬``/``万`` (10,000), ``億``/``亿`` (10^8).
    - a unit word: ``units``, ``phones``, ``handsets``, ``台``, ``部``, ``支`` ...
    - qualifiers, reported with ``qualifier=True``: ``"over"`` (over, more than, at least,
      above, ``+``, or more, 超過/超过, 逾, 突破, 以上, ``30多万``), ``"under"`` (under,
      less than, nearly, almost, below, up to, 近, 不到, 以下), ``"approx"`` (about,
      approximately, around, roughly, ``~``, 約/约, 左右).

    Full-width characters (``"３００萬"``), case and spacing do not matter.

    Parameters
    ----------
    text_or_series : str, number or Series
        One text, or a column of texts (numbers are taken as they are).
    decimal : {".", ","}
        The decimal separator when the text alone does not settle it.
    qualifier : bool
        Also return the qualifier ("over", "under", "approx" or None/NA).
    na : {"raise", "keep"}
        Missing values (None, NaN, NA, blank text): raise a ``DataError`` naming them,
        or keep them as NaN.

    Returns
    -------
    float, tuple or Series or DataFrame
        A scalar gives a float (``(float, qualifier)`` with ``qualifier=True``); a Series
        gives a float64 Series with the same index and name (a DataFrame with columns
        ``units`` and ``qualifier`` with ``qualifier=True``).

    Raises
    ------
    DataError
        For text that is not a number of units (naming the text and, for a Series, the
        positions and values of the rows), for negative numbers, and for missing values
        unless ``na="keep"``.

    Examples
    --------
    >>> parse_units("3M")
    3000000.0
    >>> parse_units("over three million", qualifier=True)
    (3000000.0, 'over')
    >>> parse_units("700萬台"), parse_units("1.2 bn"), parse_units("3,2 Mio.")
    (7000000.0, 1200000000.0, 3200000.0)
    >>> import pandas as pd
    >>> parse_units(pd.Series(["7,000,000", "300k", "~5M"]), qualifier=True)
           units qualifier
    0  7000000.0      <NA>
    1   300000.0      <NA>
    2  5000000.0    approx
    """
    _check_decimal(decimal)
    _check_na(na)
    if isinstance(text_or_series, pd.DataFrame):
        raise TypeError("parse_units takes a text or a Series (one column), not a DataFrame")
    if isinstance(text_or_series, pd.Series):
        units, codes, reason, _ = _parse_codes(text_or_series, decimal)
        bad = reason > 0
        if na == "keep":
            bad &= reason != _MISSING_CODE
        if bad.any():
            reasons = _codes_to_strings(reason, _REASONS, text_or_series.index)
            _raise_series(text_or_series, reasons, bad, decimal)
        index = text_or_series.index
        out = pd.Series(units, index=index, name=text_or_series.name, dtype="float64")
        if qualifier:
            return pd.DataFrame(
                {
                    s.UNITS: out.rename(s.UNITS),
                    s.QUALIFIER: _codes_to_strings(codes, _QUALIFIER_CODES, index),
                }
            )
        return out
    if isinstance(text_or_series, (bool, np.bool_)):
        raise TypeError("parse_units does not read booleans as numbers of units")
    if (
        text_or_series is None
        or (isinstance(text_or_series, (float, np.floating)) and math.isnan(text_or_series))
        or text_or_series is pd.NA
    ):
        if na == "keep":
            return (math.nan, None) if qualifier else math.nan
        raise DataError(
            _MISSING,
            value=text_or_series,
            hint="give a number of units, or pass na='keep' to keep it as NaN",
        )
    if not isinstance(text_or_series, (str, int, float, np.integer, np.floating)):
        raise TypeError(
            f"parse_units expects a str, a number or a Series, got {type(text_or_series).__name__}"
        )
    series = pd.Series(
        [text_or_series], dtype=object if not isinstance(text_or_series, str) else "str"
    )
    parsed = try_parse_units(series, decimal=decimal)
    reason = parsed["reason"].iloc[0]
    if not pd.isna(reason) and not (na == "keep" and reason == _MISSING):
        hint = _NA_HINT if reason == _MISSING else _hint(decimal, [reason])
        raise DataError(
            f"cannot read {shown(text_or_series)} as a number of units ({reason})",
            value=text_or_series,
            hint=hint,
        )
    value = float(parsed[s.UNITS].iloc[0])
    if qualifier:
        q = parsed[s.QUALIFIER].iloc[0]
        return value, (None if pd.isna(q) else str(q))
    return value


def _raise_series(values: pd.Series, reasons: pd.Series, bad: np.ndarray, decimal: str) -> None:
    positions = np.flatnonzero(bad)
    listed = []
    for pos in positions[:_SHOW]:
        label = values.index[pos]
        label_text = "" if label == pos else f", index {label!r}"
        listed.append(
            f"position {pos}{label_text}: {shown(values.iloc[pos])} ({reasons.iloc[pos]})"
        )
    more = f" and {len(positions) - _SHOW} more" if len(positions) > _SHOW else ""
    first = int(positions[0])
    only_missing = bool((reasons.iloc[positions] == _MISSING).all())
    hint = (
        "give a number of units in those rows, or pass na='keep' to keep them as NaN"
        if only_missing
        else _hint(decimal, reasons.iloc[positions].tolist())
    )
    name = f" in {values.name!r}" if values.name is not None else ""
    error = DataError(
        f"cannot read {len(positions)} value(s){name} as numbers of units: "
        + "; ".join(listed)
        + more,
        column=None if values.name is None else str(values.name),
        value=values.iloc[first],
        hint=hint,
    )
    error.positions = positions.tolist()
    raise error


# --- formatting -------------------------------------------------------------------------

#: Styles of :func:`format_units`: name -> (power of ten, suffix).
STYLES = {
    "plain": (0, ""),
    "comma": (0, ""),
    "k": (3, "k"),
    "M": (6, "M"),
    "million": (6, " million"),
    "mln": (6, " mln"),
    "bn": (9, " bn"),
    "billion": (9, " billion"),
    "de": (6, " Mio."),
    "萬": (4, "萬"),
    "万": (4, "万"),
    "萬台": (4, "萬台"),
    "百万": (6, "百万"),
    "億": (8, "億"),
    "亿": (8, "亿"),
    "fullwidth": (4, "萬"),
    "words": (6, " million"),
}
_WORDS = {v: k for k, v in _ONES.items() if k not in ("a", "an")}
_PREFIX_OF = {"over": "over ", "under": "under ", "approx": "about "}


def _shifted(x: float, power: int) -> str:
    """``x / 10**power`` as an exact, shortest decimal string (no float division)."""
    dec = Decimal(repr(float(x))).scaleb(-power).normalize()
    text = format(dec, "f")
    return text


def _number_word(n: int) -> str:
    if n < 20:
        return _WORDS[n]
    tens, ones = divmod(n, 10)
    word = {v: k for k, v in _TENS.items()}[tens * 10]
    return word if ones == 0 else f"{word}-{_WORDS[ones]}"


def _format_one(x: float, style: str, qualifier: str | None) -> str:
    power, suffix = STYLES[style]
    if style == "plain":
        body = _shifted(x, 0)
    elif style == "comma":
        whole, _, frac = _shifted(x, 0).partition(".")
        body = f"{int(whole):,}" + (f".{frac}" if frac else "")
    elif style == "words":
        for power, word in ((9, " billion"), (6, " million"), (3, " thousand"), (0, "")):
            scaled = Decimal(repr(float(x))).scaleb(-power)
            if scaled == scaled.to_integral_value() and 1 <= scaled < 100:
                body, suffix = _number_word(int(scaled)), word
                break
        else:
            if x == 0:
                body, suffix = "zero", ""
            else:
                raise ValueError(
                    f"style 'words' writes n thousand/million/billion with n a whole number "
                    f"below 100; {x!r} is not of that form: use style 'million' or 'plain'"
                )
    elif style == "de":
        body = _shifted(x, power).replace(".", ",")
    else:
        body = _shifted(x, power)
    text = body + suffix
    if style == "fullwidth":
        text = text.translate({cp - 0xFEE0: cp for cp in range(0xFF10, 0xFF1A)} | {0x2E: 0xFF0E})
    if qualifier is not None:
        text = _PREFIX_OF[qualifier] + text
    return text


@overload
def format_units(x: pd.Series, style: str = ..., *, qualifier: str | None = ...) -> pd.Series: ...
@overload
def format_units(
    x: int | float | np.integer | np.floating, style: str = ..., *, qualifier: str | None = ...
) -> str: ...
def format_units(
    x: pd.Series | int | float | np.integer | np.floating,
    style: str = "M",
    *,
    qualifier: str | None = None,
) -> str | pd.Series:
    """Write a number of units as text in one of the forms :func:`parse_units` reads.

    The text is exact: ``parse_units(format_units(x, style)) == x`` for every finite
    ``x >= 0`` (the number is shifted as a decimal string, never divided as a float).

    Parameters
    ----------
    x : float or Series
        Units (not millions), finite and not negative.
    style : str
        One of :data:`STYLES`: ``"plain"`` (3200000), ``"comma"`` (3,200,000), ``"k"``
        (3200k), ``"M"`` (3.2M), ``"million"``, ``"mln"``, ``"bn"``, ``"billion"``,
        ``"de"`` (3,2 Mio.), ``"萬"``/``"万"`` (320萬), ``"萬台"``, ``"百万"``,
        ``"億"``/``"亿"``, ``"fullwidth"`` (３２０萬) and ``"words"`` (three million;
        only for a whole number below 100 of thousands, millions or billions).
    qualifier : {"over", "under", "approx"}, optional
        Prefix "over ", "under " or "about ".

    Returns
    -------
    str or Series of str

    Raises
    ------
    ValueError
        For an unknown style, a negative or non-finite number, or a number the
        ``"words"`` style cannot write.

    Examples
    --------
    >>> format_units(3_200_000, "M"), format_units(7_000_000, "萬台")
    ('3.2M', '700萬台')
    >>> format_units(3_000_000, "words", qualifier="over")
    'over three million'
    >>> parse_units(format_units(1_234_567, "comma"))
    1234567.0
    """
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; choose one of {list(STYLES)}")
    if qualifier is not None and qualifier not in s.QUALIFIERS:
        raise ValueError(
            f"qualifier must be one of {list(s.QUALIFIERS)} or None, got {qualifier!r}"
        )
    if isinstance(x, pd.Series):
        values = x.to_numpy(dtype="float64", na_value=np.nan)
        _check_formattable(values)
        distinct, inverse = np.unique(values, return_inverse=True)
        texts = np.array([_format_one(v, style, qualifier) for v in distinct], dtype=object)
        return pd.Series(texts[inverse], index=x.index, name=x.name, dtype="str")
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"format_units expects a number or a Series, got {type(x).__name__}")
    _check_formattable(np.array([x], dtype="float64"))
    return _format_one(float(x), style, qualifier)


def _check_formattable(values: np.ndarray) -> None:
    if not np.isfinite(values).all():
        raise ValueError("format_units needs finite numbers (no NaN or infinity)")
    if (values < 0).any():
        raise ValueError("format_units needs numbers of units >= 0")

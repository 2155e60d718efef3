"""The kernel of ``parse_units``: arrow string arrays in, arrays of values and codes out.

Three paths, cheapest first: digits alone or in groups of three (``"1,234,567"``) are
cast at once; ``"<digits><multipliers><unit word>"`` texts are split by trimming
character sets and matching the few distinct rests; everything else goes through
:data:`~marketdata.units._patterns.PATTERN`. Values are read as one decimal string
(``"3.2e6"``) by pyarrow's correctly rounding parser. Results are arrays: units
(float64), qualifier and reason codes (int8, indexing :data:`QUALIFIER_CODES` and
:data:`REASONS`) and ``bare`` (no multiplier or exponent).

The module is over 300 lines because the three paths share their evaluation step
(:func:`_evaluate`) and are only correct together.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from marketdata import schema as s
from marketdata._text import LARGE, WIDE, to_arrow_text
from marketdata.units._chinese import cjk_value
from marketdata.units._patterns import (
    DIGIT_CHARS,
    FIELDS,
    PATTERN,
    SUFFIX,
    mult_exponent,
    swapped,
    valid_number,
)
from marketdata.units._words import GERMAN, ONES, QUALIFIER_WORDS, TENS

__all__ = [
    "MALFORMED",
    "MISSING",
    "MISSING_CODE",
    "QUALIFIER_CODES",
    "REASONS",
    "codes_to_strings",
    "parse_codes",
]

MISSING = "the value is missing"
_FAST_LIMIT = 10_000  # distinct suffixes beyond which the fast path is not worth it
_SAMPLE = 10_000  # rows looked at to decide whether to parse distinct texts only
_SPACES = "[\u00a0\u2007\u2009\u202f\u3000\t\r\n\f\v]"


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
        narrow = [v.translate(WIDE) for v in encoded.dictionary.to_pylist()]
        other = pc.take(pa.array(narrow, type=LARGE), encoded.indices)
    other = pc.utf8_trim_whitespace(pc.replace_substring_regex(other, _SPACES, " "))
    return pc.replace_with_mask(arr, rows, other)


QUALIFIER_CODES = (None, *s.QUALIFIERS)  # code 0 = no qualifier
REASONS = (
    None,
    "not a form of number this parser knows",
    "the digits are malformed or ambiguous",
    "not a well-formed Chinese numeral (write 三百, 一百五十, 一千零五, 三億六千六百七十萬 or "
    "3億6670万; a digit after a place without 零, as in 一百五 or 三万五, is ambiguous)",
    "the number is too large",
    "the qualifiers contradict each other",
    "a number of units cannot be negative",
    MISSING,
)
_UNKNOWN, MALFORMED, _CHINESE, _TOO_BIG, _CONFLICT, _NEGATIVE, MISSING_CODE = range(1, 8)


def _np(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def _evaluate(fields: dict, decimal: str) -> tuple[np.ndarray, ...]:
    """Value, qualifier code, reason code and bareness of texts split into regex groups.

    A German multiplier word (Tsd., Mio., Mrd.) makes its number German: ``"1,234 Mio."``
    is 1.234 million, ``"1.234 Mio."`` 1,234 million (as :func:`format_units` writes).
    """
    if decimal == ",":
        return _evaluate_with(fields, decimal)
    german = _np(pc.fill_null(pc.match_substring_regex(fields["mult"], GERMAN), False))
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
    other_rx, grouped_rx = swapped(decimal)
    # The common forms are valid without the long regex: digits only ("1234567") and
    # digits in groups of three ("1,234,567", which is never read the other way round).
    has_g = pc.any(pc.match_substring(num, g)).as_py()
    grouped = _np(pc.match_substring_regex(num, grouped_rx)) if has_g else np.zeros(n, bool)
    num_ok = grouped | _np(pc.fill_null(pc.ascii_is_decimal(num), False))
    if not num_ok.all():
        rest = ~num_ok
        num_ok[rest] = _np(
            pc.match_substring_regex(num.filter(pa.array(rest)), valid_number(decimal))
        )
    reason[has_num & ~num_ok] = MALFORMED
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
        word = _lookup(fields["tens"], TENS, 0).astype(np.int64)
        word += _lookup(fields["tensone"], ONES, 0).astype(np.int64)
        word += _lookup(fields["ones"], ONES, 0).astype(np.int64)
        cn = fields["cn"]
        has_cn = _np(pc.greater(pc.utf8_length(cn), 0))
        if has_cn.any():
            table = {v: cjk_value(v, decimal) for v in cn.unique().to_pylist() if v}
            cn_vals = _lookup(cn, table, None)
            cn_bad = has_cn & (cn_vals == None)  # noqa: E711 (elementwise)
            reason[cn_bad] = _CHINESE
            written = np.where(has_cn & ~cn_bad, cn_vals, word.astype(str))
        else:
            written = word.astype(str)
        digits = pc.if_else(pa.array(has_num), digits, pa.array(written.tolist(), type=LARGE))

    mult = fields["mult"]
    exponent = _lookup(mult, {m: mult_exponent(m) for m in mult.unique().to_pylist()}, 0)
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
        [f"e{k}" for k in range(low, int(exponent.max() if n else 0) + 1)], type=LARGE
    )
    text = pc.binary_join_element_wise(
        digits, pc.take(suffixes, pa.array(exponent - low)), pa.scalar("", LARGE)
    )
    text = pc.if_else(pa.array(reason == 0), text, "0")
    units = _np(pc.cast(text, pa.float64())).copy()
    reason[(reason == 0) & ~np.isfinite(units)] = _TOO_BIG

    qualifier = np.zeros(n, dtype=np.int8)
    codes = {word: np.int8(QUALIFIER_CODES.index(q)) for word, q in QUALIFIER_WORDS.items()}
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
    rest = pc.utf8_ltrim(arr, DIGIT_CHARS)
    encoded = pc.dictionary_encode(pc.fill_null(rest, ""))
    distinct = encoded.dictionary.to_pylist()
    if len(distinct) > _FAST_LIMIT:
        return None
    parts = pc.extract_regex(encoded.dictionary, SUFFIX)
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
    mult = pc.take(pa.array([m or "" for m in mult_of], type=LARGE), encoded.indices)
    return ok, {"num": num, "mult": mult}


def _plain_digits(arr: pa.Array, decimal: str) -> np.ndarray:
    """Where normalised texts are ASCII digits, alone or in groups of three."""
    plain = _np(pc.fill_null(pc.ascii_is_decimal(arr), False))
    if pc.any(pc.match_substring(arr, "," if decimal == "." else ".")).as_py():
        _, grouped_rx = swapped(decimal)
        plain |= _np(pc.fill_null(pc.match_substring_regex(arr, grouped_rx), False))
    return plain


def _parse_arrow(arr: pa.Array, decimal: str) -> tuple[np.ndarray, ...]:
    """Parse normalised texts: units (float64), qualifier and reason codes (int8), bare.

    Codes index :data:`QUALIFIER_CODES` and :data:`REASONS` (0 = none, read); ``bare``
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
        parts = pc.extract_regex(pc.take(arr, pa.array(idx)), PATTERN)
        ok = _np(pc.fill_null(pc.is_valid(parts), False))
        if ok.any():
            parts = pc.filter(parts, pa.array(ok))
            fields = {name: pc.fill_null(pc.struct_field(parts, name), "") for name in FIELDS}
            where = idx[ok]
            units[where], qualifier[where], reason[where], bare[where] = _evaluate(fields, decimal)
    reason[missing] = MISSING_CODE
    return units, qualifier, reason, bare


def parse_codes(values: pd.Series, decimal: str) -> tuple[np.ndarray, ...]:
    """Units, qualifier codes, reason codes and bareness of a Series (see _parse_arrow)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # parse the categories only
        parts = parse_codes(pd.Series(values.cat.categories), decimal)
        codes = values.cat.codes.to_numpy()
        missing = (np.nan, 0, MISSING_CODE, False)
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
        reason[np.isnan(units)] = MISSING_CODE
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
            missing = (np.nan, 0, MISSING_CODE, False)
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
        # a lone dash ("-", "--": not available) is no number, not a negative one
        dashes = pc.match_substring_regex(arr, r"^[-\s]+$")
        negative = pc.and_(pc.starts_with(arr, "-"), pc.invert(dashes))
        negative = _np(pc.fill_null(negative, False))
        reason[negative], units[negative] = _NEGATIVE, np.nan
    return units, qualifier, reason, bare


def codes_to_strings(codes: np.ndarray, table: tuple, index: pd.Index) -> pd.Series:
    """A string Series (NA for code 0) from small integer codes."""
    labels = pd.Categorical.from_codes(codes.astype(np.int8) - 1, categories=list(table[1:]))
    return pd.Series(labels, index=index).astype("string")

"""The kernel of ``parse_period``: distinct texts in, first and last days out.

Dates are computed with numpy from the regex groups of each form; every period is
checked against the years pandas' timestamps hold before anything is converted to
nanoseconds (which would wrap the year 3000 round to 1830).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from marketdata._text import LARGE, WIDE, to_arrow_text
from marketdata.errors import DataError
from marketdata.periods._forms import (
    AMBIGUOUS,
    CN_NUMBER,
    FORMS,
    HALF,
    MISSING,
    MONTHS,
    UNKNOWN,
)

__all__ = ["OUT_OF_RANGE", "parse_parts", "spread"]


def _np(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def _normalise(arr: pa.Array) -> pa.Array:
    """Lower case, ASCII digits and punctuation, single spaces, trimmed."""
    if pc.any(pc.match_substring_regex(arr, "[\uff01-\uff5e\u3000]")).as_py():
        arr = pa.array(
            [None if v is None else v.translate(WIDE) for v in arr.to_pylist()], type=LARGE
        )
    arr = pc.replace_substring_regex(pc.utf8_lower(arr), "[\\s\u00a0\u202f]+", " ")
    return pc.utf8_trim_whitespace(arr)


def _int(field: pa.Array, table: dict | None = None) -> np.ndarray:
    """Integers of a text field ('' -> 0), through ``table`` when given."""
    if table is not None:
        keys = {k: table.get(k, 0) for k in field.unique().to_pylist()}
        encoded = pc.dictionary_encode(field)
        lookup = np.array([keys[k] for k in encoded.dictionary.to_pylist()], dtype=np.int64)
        return lookup[_np(encoded.indices).astype(np.intp)]
    filled = pc.if_else(pc.equal(field, ""), "0", field)
    return _np(pc.cast(filled, pa.int64()))


def _months(year: np.ndarray, month0: np.ndarray) -> np.ndarray:
    """datetime64[M] of (year, zero-based month offset, may be negative or > 11)."""
    return ((year - 1970) * 12 + month0).astype("datetime64[M]")


def _build(kind: str, parts: pa.StructArray, fiscal_year_start: int):
    """(start, end, error) arrays for the texts that matched one form."""
    names = [parts.type.field(i).name for i in range(parts.type.num_fields)]
    field = {name: pc.fill_null(pc.struct_field(parts, name), "") for name in names}
    n = len(parts)
    error = np.full(n, None, dtype=object)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if kind == "R":
        end = _iso_days(field["b"], error)
        start = np.where(_np(pc.equal(field["a"], "")), nat, _iso_days(field["a"], error))
        late = ~np.isnat(start) & ~np.isnat(end) & (start > end)
        error[late & (error == None)] = "the range starts after it ends"  # noqa: E711
        return start, end, error
    year = _int(field["y"]) if "y" in field else np.zeros(n, dtype=np.int64)
    if "yy" in field:
        has_yy = _np(pc.not_equal(field["yy"], ""))
        yy = _int(field["yy"])
        year = np.where(has_yy, np.where(yy <= 68, 2000 + yy, 1900 + yy), year)
    if kind == "Q":
        month0, span = 3 * (_int(field["q"], CN_NUMBER) - 1), 3
    elif kind == "H":
        month0, span = 6 * (_int(field["h"], HALF) - 1), 6
    elif kind in ("M", "D"):
        month = _int(field["mon"], MONTHS) if "mon" in field else _int(field["m"])
        bad = (month < 1) | (month > 12)
        error[bad] = "the month is not between 1 and 12"
        month0, span = np.where(bad, 0, month - 1), 1
    elif kind == "Y":
        month0, span = np.zeros(n, dtype=np.int64), 12
    else:  # FY, FQ: the fiscal year is named for the calendar year it ends in
        offset = fiscal_year_start - 1 - (12 if fiscal_year_start != 1 else 0)
        month0, span = np.full(n, offset, dtype=np.int64), 12
        if kind == "FQ":  # the q-th three months of that fiscal year
            month0, span = month0 + 3 * (_int(field["q"]) - 1), 3
    first = _months(year, month0)
    start = first.astype("datetime64[D]")
    end = (first + span).astype("datetime64[D]") - 1
    if kind == "D":
        day = _int(field["d"])
        start = start + (day - 1)
        bad = (day < 1) | (start > end)
        error[bad & (error == None)] = "there is no such day in that month"  # noqa: E711
        end = start
    return start, end, error


def _iso_days(field: pa.Array, error: np.ndarray) -> np.ndarray:
    parts = pc.extract_regex(field, r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
    names = ("y", "m", "d")
    y, m, d = (_int(pc.fill_null(pc.struct_field(parts, k), "")) for k in names)
    bad_month = (m < 1) | (m > 12)
    first = _months(y, np.where(bad_month, 0, m - 1))
    day = first.astype("datetime64[D]") + (d - 1)
    last = (first + 1).astype("datetime64[D]") - 1
    bad = (bad_month | (d < 1) | (day > last)) & _np(pc.not_equal(field, ""))
    error[bad & (error == None)] = "there is no such day"  # noqa: E711
    return day


def _parse_distinct(texts: pa.Array, fiscal_year_start: int):
    """start, end (datetime64[D]) and error (object) for distinct normalised texts."""
    n = len(texts)
    start = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    end = start.copy()
    error = np.full(n, UNKNOWN, dtype=object)
    missing = _np(pc.fill_null(pc.equal(pc.utf8_length(texts), 0), True))
    error[missing] = MISSING
    todo = ~missing
    rows = np.arange(n)
    for kind, pattern in FORMS:
        if not todo.any():
            break
        idx = rows[todo]
        parts = pc.extract_regex(pc.take(texts, pa.array(idx)), pattern)
        ok = _np(pc.fill_null(pc.is_valid(parts), False))
        if not ok.any():
            continue
        where = idx[ok]
        start[where], end[where], error[where] = _build(
            kind, pc.filter(parts, pa.array(ok)), fiscal_year_start
        )
        todo[where] = False
    for pattern, why, what in AMBIGUOUS:
        if not todo.any():
            break
        idx = rows[todo]
        hit = _np(pc.match_substring_regex(pc.take(texts, pa.array(idx)), pattern))
        error[idx[hit]] = f"ambiguous: {why}; {what}"
        todo[idx[hit]] = False
    return _refuse_out_of_range(start, end, error)


_LOW, _HIGH = np.datetime64("1678-01-01"), np.datetime64("2261-12-31")
OUT_OF_RANGE = "the date is outside the years 1678-2261 that pandas can hold"


def _refuse_out_of_range(start: np.ndarray, end: np.ndarray, error: np.ndarray):
    """Set the error of periods outside the years pandas' nanosecond timestamps hold
    (1677-09-21..2262-04-11, rounded in to whole years) and make every failed row NaT.

    Converting such a datetime64 to nanoseconds would wrap it round silently (3000-01-05
    becomes a day in 1830), so they are refused here, before any conversion.
    """
    out = (error == None) & (  # noqa: E711
        (start < _LOW) | (start > _HIGH) | (end < _LOW) | (end > _HIGH)
    )
    error[out] = OUT_OF_RANGE
    failed = error != None  # noqa: E711
    start[failed] = np.datetime64("NaT")
    end[failed] = np.datetime64("NaT")
    return start, end, error


def spread(codes: np.ndarray, start_u: np.ndarray, end_u: np.ndarray):
    """Per-row datetime64[ns] start and end from per-distinct-value arrays."""
    nat = np.array(["NaT"], dtype="datetime64[D]")
    take = np.where(codes < 0, len(start_u), codes)
    start = np.concatenate([start_u, nat])[take].astype("datetime64[ns]")
    end = np.concatenate([end_u, nat])[take].astype("datetime64[ns]")
    return start, end


def parse_parts(values: pd.Series, fiscal_year_start: int):
    """Parse the distinct values: (codes, start, end, reason) with codes -1 for NA.

    ``start``/``end`` (datetime64[D]) and ``reason`` (object, None = read) are per
    distinct value; ``codes`` maps each row to its distinct value.
    """
    if isinstance(values.dtype, pd.PeriodDtype):
        start, end = _period_days(values.array)
        codes = np.where(np.isnat(end), -1, np.arange(len(values)))
        reason = np.full(len(values), None, dtype=object)
        return codes, *_refuse_out_of_range(start, end, reason)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        day = values.dt.tz_localize(None) if values.dt.tz is not None else values
        day = day.to_numpy("datetime64[D]")  # datetime64[s] may hold the year 3000
        codes = np.where(np.isnat(day), -1, np.arange(len(values)))
        reason = np.full(len(values), None, dtype=object)
        return codes, *_refuse_out_of_range(day, day.copy(), reason)
    if pd.api.types.is_bool_dtype(values.dtype):
        raise TypeError("parse_period does not read booleans as periods")
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna()
        if not (whole == whole.round()).all():
            raise DataError(
                "a period given as a number must be a whole year",
                value=whole[whole != whole.round()].iloc[0],
                hint="write years as 2012, or give periods as text (2012Q2)",
            )
        values = values.astype("Int64")
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts): no period, reported as unreadable
        codes, uniques = pd.factorize(values.map(_hashable), use_na_sentinel=True)
    texts = pd.Series(uniques, dtype=object).map(_as_text)
    arr = _normalise(to_arrow_text(texts))
    start_u, end_u, reason_u = _parse_distinct(arr, fiscal_year_start)
    return codes, start_u, end_u, reason_u


def _period_days(periods: pd.arrays.PeriodArray) -> tuple[np.ndarray, np.ndarray]:
    """First and last days (datetime64[D]) of periods, from their day ordinals.

    Unlike ``start_time``, this holds any year: the range is checked afterwards.
    """
    first = periods.asfreq("D", how="start").asi8.astype("datetime64[D]")
    last = periods.asfreq("D", how="end").asi8.astype("datetime64[D]")
    return first, last


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return f"\x00{id(value)}"  # never matches
    return value


def _as_text(value: Any) -> str:
    """A distinct non-text value as the text of the period it stands for."""
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Period):
        start, end = _period_days(pd.array([value]))
        return f"{start[0]}..{end[0]}"  # beyond 9999 no form matches: refused
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))  # any year: the range is checked later
    if isinstance(value, _dt.date):
        return str(pd.Timestamp(value).date())
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("parse_period does not read booleans as periods")
    if isinstance(value, (int, np.integer)):
        return str(value) if abs(value) < 10**20 else "\x00"  # no year; str() may fail
    return "\x00"  # never matches: reported as unreadable with its value

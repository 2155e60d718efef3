"""Turn columns of raw cells into the figures frame's typed columns, noting bad cells.

(Over 400 lines: one short parser per kind of field, sharing the distinct-value
machinery below; split, they would each import it back.)

Every parser runs on a column's *distinct* values, not on its rows: a million-row file
with a few hundred distinct unit strings is parsed a few hundred times, and the results
are spread back to the rows by their codes (the CSV reader's Arrow dictionary, else
:func:`pandas.factorize`). When the vectorised parser refuses a batch, the distinct values
are parsed one at a time so that each bad cell gets its own reason; that loop only runs on
the error path and only over distinct values. Text results (names, dates, categories)
stay codes into their distinct values (:func:`categorical`) while the loader filters and
checks rows, and become full columns once, at the end.

How cells become values:

- ``units``: :func:`marketdata.units.parse_units` with its qualifier ("over 3 million"
  -> 3,000,000, qualifier "over"). ``scale=`` multiplies *bare numbers* only ("3.2",
  "over 3", "1,234"); a cell that carries its own unit ("3.2M", "700萬") is not scaled.
- ``share``: a number, or a percentage ending in "%"; ``percent=True`` divides every
  share by 100 (a cell ending in "%" is always divided by 100).
- periods: a ``period`` column through :func:`marketdata.periods.parse_period`; or
  ``start``/``end`` columns, each read as a period, taking the first day of the start
  period and the last day of the end period ("2012Q2" as an end means 2012-06-30). An
  empty start means "since launch".
- names: :func:`marketdata.names.brand_name` and :func:`marketdata.names.market_code`.
- ``basis``, ``status``, ``metric``: lower-cased, and must be one of the schema's values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.io import as_objects, dictionary_parts


class Rejects:
    """Bad cells found so far: at most one reason per candidate figure (the first).

    A reason says what is wrong; its hint (optional) says what to do. They stay apart
    (never joined into one text to be split again).
    """

    def __init__(self, n: int) -> None:
        self.bad = np.zeros(n, dtype=bool)
        self._parts: list[pd.DataFrame] = []

    def add(
        self, mask: np.ndarray, column: Any, values: Any, reasons: Any, hints: Any = None
    ) -> None:
        mask = np.asarray(mask, dtype=bool) & ~self.bad
        if not mask.any():
            return
        idx = np.flatnonzero(mask)

        def pick(x: Any) -> np.ndarray:
            if isinstance(x, pd.Series):
                return as_objects(x.iloc[idx])
            if np.ndim(x):
                return np.asarray(x, dtype=object)[idx]
            return np.full(idx.size, x, dtype=object)

        self._parts.append(
            pd.DataFrame(
                {
                    "_i": idx,
                    "column": pick(column),
                    "value": pick(values),
                    "reason": pick(reasons),
                    "hint": pick(hints),
                }
            )
        )
        self.bad[idx] = True

    def add_errors(self, mask: np.ndarray, column: Any, values: Any, errors: Any) -> None:
        """Reject with the message and hint of a :class:`DataError` per row (or one)."""
        if isinstance(errors, DataError):
            self.add(mask, column, values, errors.message, errors.hint)
            return
        errors = np.asarray(errors, dtype=object)
        messages = np.array([e.message if e is not None else None for e in errors], dtype=object)
        hints = np.array([e.hint if e is not None else None for e in errors], dtype=object)
        self.add(mask, column, values, messages, hints)

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame(
                {
                    "_i": np.empty(0, dtype=np.int64),
                    "column": [],
                    "value": [],
                    "reason": [],
                    "hint": [],
                }
            )
        return pd.concat(self._parts, ignore_index=True)


def as_text(value: Any) -> str:
    """A cell as text, the way a person would write it.

    Examples
    --------
    >>> as_text(2012.0), as_text(3.25), as_text(pd.Timestamp("2012-06-12")), as_text(" 3M ")
    ('2012', '3.25', '2012-06-12', '3M')
    """
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes (-1 for a missing or blank cell) and the distinct non-blank values as text
    (a string Series numbered from 0)."""
    parts = dictionary_parts(values)
    if parts is not None:  # as the CSV reader gives text: the distinct values are known
        return _distinct_dictionary(*parts)
    if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.empty:
        return values.cat.codes.to_numpy(), pd.Series([], dtype="string")  # all missing
    try:
        codes, uniques = pd.factorize(values)
    except TypeError:  # unhashable cells (a list or object in a JSON record): as JSON text
        nested = [
            as_text(v.tolist() if isinstance(v, np.ndarray) else v)
            if isinstance(v, (dict, list, np.ndarray))
            else v
            for v in values
        ]
        codes, uniques = pd.factorize(pd.Series(nested, index=values.index, dtype=object))
    values_u = np.asarray(uniques, dtype=object)
    if pd.api.types.infer_dtype(values_u, skipna=True) == "string":  # all text: strip at once
        texts = pd.Series(values_u, dtype="string").str.strip()
    else:
        texts = pd.Series([as_text(v) for v in values_u], dtype="string")
    blank = (texts.str.len() == 0).to_numpy(dtype=bool)
    if blank.any():
        remap = np.cumsum(~blank) - 1
        remap[blank] = -1
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        texts = texts[~blank].reset_index(drop=True)
    return codes, texts


def _distinct_dictionary(codes: np.ndarray, dictionary) -> tuple[np.ndarray, pd.Series]:
    """:func:`distinct` of a dictionary-encoded column: strip the dictionary, drop the
    blank texts and those no row uses (the header's)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    stripped = pc.utf8_trim_whitespace(dictionary)
    used = np.zeros(len(dictionary) + 1, dtype=bool)
    used[codes] = True  # code -1 marks the extra last place
    keep = used[:-1] & (pc.utf8_length(stripped).to_numpy(zero_copy_only=False) > 0)
    remap = np.where(keep, np.cumsum(keep, dtype=np.int32) - 1, -1).astype(np.int32)
    texts = stripped.filter(keep).cast(pa.large_string())
    return np.append(remap, -1)[codes], pd.Series(pd.arrays.ArrowStringArray(texts))


def parse_distinct(
    texts: pd.Series,
    many: Callable[[pd.Series], Any],
    one: Callable[[str], Any],
) -> tuple[list[Any] | pd.DataFrame | pd.Series, list[DataError | None]]:
    """Parse distinct texts at once; on refusal, one by one to find each bad one."""
    try:
        return many(texts), [None] * len(texts)
    except DataError:
        pass
    results: list[Any] = []
    errors: list[DataError | None] = []
    for text in texts:
        try:
            results.append(one(text))
            errors.append(None)
        except DataError as exc:
            results.append(None)
            errors.append(exc)
    return results, errors


def _reject_errors(
    codes: np.ndarray, errors: list[DataError | None], rejects: Rejects, labels, values
) -> None:
    """Reject the rows whose distinct value failed to parse, with that value's reason."""
    errors = np.array([*errors, None], dtype=object)  # code -1 picks the None
    bad = np.array([e is not None for e in errors], dtype=bool)[codes]
    if bad.any():
        rejects.add_errors(bad, labels, values, errors[codes])


def strings(codes: np.ndarray, texts: list[str] | np.ndarray) -> pd.Series:
    """A string Series (Arrow-backed) from codes into distinct texts; code -1 is missing."""
    import pyarrow as pa

    dictionary = pa.array(list(texts), type=pa.large_string())  # what pandas keeps: no cast
    indices = pa.array(codes, mask=codes < 0)
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([dictionary.take(indices)])))


def _spread(codes: np.ndarray, per_unique: np.ndarray, fill: Any) -> np.ndarray:
    table = np.append(per_unique, np.array([fill], dtype=per_unique.dtype))
    return table[codes]  # code -1 picks the fill at the end


_BARE = re.compile(r"^\D*?\d[\d.,\s\u00a0'’]*\+?$")


def units(
    values: pd.Series,
    *,
    scale: float,
    decimal: str,
    column: str,
    rejects: Rejects,
    labels,
    notes: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Units and qualifiers (positions in ``schema.QUALIFIERS``, -1: none) of a column.

    Bad or missing cells go to ``rejects``; a footnote mark after a figure ("45.1*") is
    left out, and said in ``notes`` when given.
    """
    from marketdata.units import parse_units, parse_units_codes

    n = len(values)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        number = values.to_numpy(dtype="float64", na_value=np.nan) * scale
        rejects.add(pd.isna(values).to_numpy(dtype=bool), labels, values, f"{column} is missing")
        rejects.add(~np.isfinite(number), labels, values, f"{column} is not a finite number")
        rejects.add(
            number < 0, labels, values, f"{column} is negative", "units are counts, never negative"
        )
        return number, np.full(n, -1, dtype=np.int64)
    codes, texts = distinct(values)
    texts, marked = unmark(texts)
    _say_marked(marked, "figure(s)", column, notes)
    number_u, qual_index, failed, _ = parse_units_codes(texts, decimal=decimal)
    errors = np.full(len(texts), None, dtype=object)
    for i in np.flatnonzero(failed):  # only bad texts: parse_units says why
        try:
            parse_units(texts.iloc[i], decimal=decimal)
        except DataError as exc:
            errors[i] = exc
    if scale != 1:
        bare = np.array([bool(_BARE.match(t)) for t in texts], dtype=bool)
        number_u = np.where(bare, number_u * scale, number_u)
    number = _spread(codes, number_u, np.nan)
    qualifier = _spread(codes, qual_index, -1)
    raw = values
    rejects.add(codes == -1, labels, raw, f"{column} is missing")
    _reject_errors(codes, list(errors), rejects, labels, raw)
    rejects.add(~np.isfinite(number), labels, raw, f"{column} is not a finite number")
    rejects.add(
        number < 0, labels, raw, f"{column} is negative", "units are counts, never negative"
    )
    return number, qualifier


def _share_one(text: str, decimal: str) -> float:
    body = text.strip()
    percent = body.endswith("%")
    body = body.rstrip("%").strip()
    body = body.replace(" ", "")
    body = body.replace(".", "").replace(",", ".") if decimal == "," else body.replace(",", "")
    try:
        number = float(body)
    except ValueError:
        raise DataError(f"cannot read {text!r} as a share", hint="write 0.28 or 28%") from None
    return number / 100 if percent else number


def shares(
    values: pd.Series, *, percent: bool, decimal: str, column: str, rejects: Rejects, labels
) -> tuple[np.ndarray, np.ndarray]:
    """Shares, and whether each was written with a "%" (and so divided by 100).

    Bad, missing or negative cells go to ``rejects``. With ``percent=True`` every share is
    divided by 100 and must be at most 100; without it, shares above 1 are left for the
    loader to judge (see :mod:`marketdata.read.steps`).
    """
    n = len(values)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        number = values.to_numpy(dtype="float64", na_value=np.nan)
        number = number / 100 if percent else number
        marked = np.zeros(n, dtype=bool)
        rejects.add(~np.isfinite(number), labels, values, f"{column} is missing")
    else:
        codes, texts = distinct(values)
        number_u = np.empty(len(texts), dtype="float64")
        marked_u = np.zeros(len(texts), dtype=bool)
        error_u = np.full(len(texts), None, dtype=object)
        for i, text in enumerate(texts):  # distinct values only
            marked_u[i] = text.endswith("%")
            try:
                value = _share_one(text, decimal)
                number_u[i] = value / 100 if percent and not marked_u[i] else value
            except DataError as exc:
                number_u[i] = np.nan
                error_u[i] = exc
        number = _spread(codes, number_u, np.nan)
        marked = _spread(codes, marked_u, False)
        error = _spread(codes, error_u, None)
        raw = values
        rejects.add(codes == -1, labels, raw, f"{column} is missing")
        rejects.add_errors(np.array([e is not None for e in error], dtype=bool), labels, raw, error)
        rejects.add(~np.isfinite(number), labels, raw, f"{column} is not a finite number")
    rejects.add(number < 0, labels, values, f"{column} is negative", "shares are never negative")
    too_big = (number > 1) & (percent | marked)
    rejects.add(
        too_big,
        labels,
        values,
        "a share in percent must be between 0 and 100",
        "check the value",
    )
    return number, marked


FOOTNOTE_MARK = re.compile(r"(?<=\S)\s*[*†‡]+$")  # 2024*, 2012**, 2011†


def unmark(texts: pd.Series) -> tuple[pd.Series, list[str]]:
    """Texts without a trailing footnote mark, and the texts that had one.

    Examples
    --------
    >>> unmark(pd.Series(["2023", "2024*"]))[1]
    ['2024*']
    """
    clean = texts.astype(object).map(
        lambda x: FOOTNOTE_MARK.sub("", x) if isinstance(x, str) else x
    )
    changed = (clean != texts.astype(object)) & texts.notna()
    return clean.astype(texts.dtype) if len(texts) else texts, list(texts[changed])


def _say_marked(marked: list[str], what: str, column: str, notes: list[str] | None) -> None:
    if marked and notes is not None:
        shown = ", ".join(repr(m) for m in marked[:5]) + (" ..." if len(marked) > 5 else "")
        notes.append(
            f"{len(marked)} {what} of column {column!r} carry a footnote mark, read without "
            f"it: {shown}; see the notes under the table"
        )


def periods(
    values: pd.Series,
    *,
    fiscal_year_start: int,
    column: str,
    rejects: Rejects,
    labels,
    required: bool,
    notes: list[str] | None = None,
):
    """(start, end) of a column read as periods: datetime64 arrays, or categoricals of
    dates (see :func:`_dates`) for text.

    A footnote mark after a period (Statista's ``2024*``) is left out, and said in
    ``notes`` when given."""
    from marketdata.periods import parse_period

    n = len(values)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if isinstance(values.dtype, pd.PeriodDtype):
        values = pd.Series(values.astype(str).where(values.notna()), dtype=object)
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        day, outside = _days(values)
        if required:
            rejects.add(np.isnat(day) & ~outside, labels, values, f"{column} is missing")
        rejects.add(outside, labels, values, _OUTSIDE, "check the year")
        return day, day
    codes, texts = distinct(values)
    texts, marked = unmark(texts)
    _say_marked(marked, "period(s)", column, notes)
    parsed, errors = parse_distinct(
        texts,
        lambda x: parse_period(x, fiscal_year_start=fiscal_year_start),
        lambda t: parse_period(t, fiscal_year_start=fiscal_year_start),
    )
    if isinstance(parsed, pd.DataFrame):
        start_u = pd.to_datetime(parsed[s.START]).to_numpy(dtype="datetime64[ns]")
        end_u = pd.to_datetime(parsed[s.END]).to_numpy(dtype="datetime64[ns]")
    else:
        start_u = np.array(
            [
                np.datetime64("NaT") if p is None else pd.Timestamp(p[0]).to_datetime64()
                for p in parsed
            ],
            dtype="datetime64[ns]",
        )
        end_u = np.array(
            [
                np.datetime64("NaT") if p is None else pd.Timestamp(p[1]).to_datetime64()
                for p in parsed
            ],
            dtype="datetime64[ns]",
        )
    raw = values
    if required:
        rejects.add(codes == -1, labels, raw, f"{column} is missing")
    _reject_errors(codes, errors, rejects, labels, raw)
    if not n:
        return nat, nat
    return _dates(codes, start_u), _dates(codes, end_u)


_OUTSIDE = "the date is outside the years 1678-2261 that dates can hold"
_NS_DAYS = (  # the days a datetime64[ns] can hold
    np.datetime64(pd.Timestamp.min.ceil("D").date(), "D"),
    np.datetime64(pd.Timestamp.max.floor("D").date(), "D"),
)


def _days(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A datetime column as days (datetime64[ns]), and which dates cannot be held that way.

    The time of day and any time zone are dropped (the local date is kept); a date
    outside the years datetime64[ns] holds becomes NaT and is marked, never wrapped.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    days = values.to_numpy().astype("datetime64[D]")
    known = ~np.isnat(days)
    outside = known & ((days < _NS_DAYS[0]) | (days > _NS_DAYS[1]))
    days[outside] = np.datetime64("NaT")
    return days.astype("datetime64[ns]"), outside


def _dates(codes: np.ndarray, per_text: np.ndarray) -> pd.Series:
    """Dates of rows as a categorical (one category per distinct date; code -1: NaT).

    Loaders compare and filter the codes, and make the datetime column once, at the end.
    """
    date_codes, dates = pd.factorize(per_text)  # distinct texts may name the same date
    return pd.Series(pd.Categorical.from_codes(np.append(date_codes, -1)[codes], categories=dates))


def categorical(codes: np.ndarray, texts: list[str] | np.ndarray) -> pd.Series:
    """A categorical Series from codes into distinct texts; code -1 is missing.

    Loaders keep text columns in this form (cheap to filter and to compare) and turn them
    into strings once, at the end, with :func:`as_strings`.
    """
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(texts, dtype=object)))


def as_strings(values: pd.Series) -> pd.Series:
    """A categorical Series of texts as an Arrow-backed string Series."""
    return strings(values.cat.codes.to_numpy(), values.cat.categories.tolist())


def names(
    values: pd.Series, kind: str, *, column: str, rejects: Rejects, labels
) -> tuple[pd.Series, pd.Series]:
    """Canonical brand names or market codes as a categorical Series (missing stays missing),
    and the names as written where they differ from the canonical one (else missing)."""
    from marketdata.names import brand_name, market_code

    convert = brand_name if kind == s.BRAND else market_code
    codes, texts = distinct(values)
    parsed, errors = parse_distinct(texts, convert, convert)
    _reject_errors(codes, errors, rejects, labels, values)
    canon = ["" if p is None else str(p) for p in list(parsed)]
    canon_codes, canon_u = pd.factorize(pd.Series(canon, dtype=object))
    row_codes = np.append(canon_codes, -1)[codes]  # code -1 picks the appended -1
    written = texts.astype(object).to_numpy()
    differs = np.array([w != c for w, c in zip(written, canon, strict=True)], dtype=bool)
    reported_codes = np.where(differs, np.arange(len(written)), -1)
    reported = categorical(np.append(reported_codes, -1)[codes], list(written))
    return categorical(row_codes, list(canon_u)), reported


def category(
    values: pd.Series,
    allowed: tuple[str, ...],
    *,
    default: Any,
    column: str,
    rejects: Rejects,
    labels,
    allow_missing: bool = False,
) -> np.ndarray:
    """Lower-cased category values as positions in ``allowed`` (-1: none); empty cells
    take ``default``.

    ``default`` is one of ``allowed``, None, or an integer array (one per row) of
    positions in ``allowed`` (-1: none).
    """
    codes, texts = distinct(values)
    index = {a: i for i, a in enumerate(allowed)}
    if texts.empty and isinstance(default, str):  # every cell empty (or no such column)
        return np.full(len(codes), index[default], dtype=np.int32)
    if texts.empty and isinstance(default, np.ndarray) and allow_missing:
        return default.astype(np.int32)  # (the qualifiers that units carry)
    invalid = len(allowed)  # marks a value not in allowed
    per_unique = np.array([index.get(t.lower(), invalid) for t in texts] + [-1], dtype=np.int32)
    out = per_unique[codes]
    empty = codes == -1
    if empty.any() and default is not None:
        out[empty] = default[empty] if isinstance(default, np.ndarray) else index[default]
    none = out == -1
    if not allow_missing:
        rejects.add(none, labels, values, f"{column} is missing; pass {column}= to give a default")
    rejects.add(out == invalid, labels, values, f"{column} must be one of {list(allowed)}")
    out[out == invalid] = -1
    return out

"""Read the periods figures are reported for (``"2012Q2"``, ``"H1 2012"``, ``"2012年6月"``).

A period is two dates, ``start`` and ``end`` (the last day, inclusive). Each accepted
form is a small regular expression run by pyarrow's RE2 engine over the *distinct* texts
of a column; dates are then computed with numpy, so a million rows cost a factorisation
and a few array operations.

Conventions (see :func:`parse_period`):

- Two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999 (as POSIX ``strptime %y``).
- ``FY2012`` with ``fiscal_year_start=m`` (m > 1) is the twelve months that *end* in
  calendar 2012: with m=4, 2011-04-01..2012-03-31; with m=10 (Apple), 2011-10-01..
  2012-09-30. Companies that name a year for the calendar year it *starts* in (many
  Japanese firms: "FY2012" = April 2012-March 2013) must be written as the year it ends
  in (FY2013) or as dates.
- Texts that could mean two things are refused, never guessed: ``"Jun-12"`` (June 2012 or
  12 June?), ``"06/12/2012"`` (6 December or June 12?).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from marketdata import schema as s
from marketdata._text import shown, to_arrow_text
from marketdata.errors import DataError

__all__ = ["parse_period", "period_label", "try_parse_period"]

_SHOW = 5
_MISSING = "the value is missing"
_UNKNOWN = "not a form of period this parser knows"
_HINT = (
    "write a quarter (2012Q2), a half (H1 2012), a month (2012-06), a day (2012-06-12), "
    "a year (2012), a fiscal year (FY2012) or a range (2012-01-01..2012-03-15)"
)
_LARGE = pa.large_string()

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MON = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_CN_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_HALF = {"上": 1, "下": 2, "1": 1, "2": 2}
_Y = r"(?P<y>\d{4})"
_YY = r"(?P<yy>\d{2})"
_ISO = r"\d{4}-\d{1,2}-\d{1,2}"

# (kind, pattern). Kinds: Q quarter, H half, M month, D day, Y year, FY fiscal year,
# FQ fiscal quarter, R range of two ISO days (start may be empty: to date). Patterns see normalised text:
# lower case, ASCII digits, single spaces.
_FORMS = [
    ("Q", rf"^{_Y} ?-? ?q(?P<q>[1-4])$"),  # 2012Q2, 2012 Q4, 2012-Q2
    ("Q", rf"^q(?P<q>[1-4]) ?[-/ ]? ?{_Y}$"),  # Q2 2012, Q2-2012
    ("Q", rf"^q(?P<q>[1-4]) ?(?:' ?|’ ?| ){_YY}$"),  # Q4 '09, Q2' 17, Q4 09
    ("Q", rf"^(?P<q>[1-4]) ?q ?'?(?:{_YY}|{_Y})$"),  # 2Q12, 4Q2012, 2Q '12
    ("Q", rf"^{_Y} ?年 ?(?:第 ?)?(?P<q>[一二三四1-4]) ?季(?:度)?$"),  # 2012年第二季
    ("Q", rf"^{_Y} ?年 ?q(?P<q>[1-4])$"),  # 2012年Q2
    ("H", rf"^h(?P<h>[12]) ?[-/ ]? ?{_Y}$"),  # H1 2012
    ("H", rf"^h(?P<h>[12]) ?(?:' ?|’ ?| ){_YY}$"),  # H1 '12
    ("H", rf"^(?P<h>[12]) ?h ?'?(?:{_YY}|{_Y})$"),  # 1H12, 1H2012
    ("H", rf"^{_Y} ?-? ?h(?P<h>[12])$"),  # 2012H1, 2012 H1
    ("H", rf"^{_Y} ?年 ?(?P<h>[上下])半年?$"),  # 2012年上半年
    ("M", rf"^{_Y}[-/.](?P<m>\d{{1,2}})$"),  # 2012-06, 2012/06
    ("M", rf"^(?P<m>\d{{1,2}})[-/.]{_Y}$"),  # 06/2012
    ("M", rf"^{_MON}(?:,|-|/)? ?{_Y}$"),  # June 2012, Jun. 2012, Jun-2012
    ("M", rf"^{_Y}[- ]{_MON}$"),  # 2012-Jun
    ("M", rf"^{_Y} ?年 ?(?P<m>\d{{1,2}}) ?月份?$"),  # 2012年6月
    ("D", rf"^{_Y}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})$"),  # 2012-06-12
    ("D", rf"^{_Y}/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})$"),  # 2012/06/12
    ("D", rf"^{_Y}\.(?P<m>\d{{1,2}})\.(?P<d>\d{{1,2}})$"),  # 2012.06.12
    ("D", rf"^{_MON} ?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? ?{_Y}$"),  # June 12, 2012
    ("D", rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)? ?(?:of )?{_MON},? ?{_Y}$"),  # 12 June 2012
    ("D", rf"^{_Y} ?年 ?(?P<m>\d{{1,2}}) ?月 ?(?P<d>\d{{1,2}}) ?[日号號]$"),  # 2012年6月12日
    ("Y", rf"^(?:cy ?)?{_Y}(?: ?年(?:度|全年)?)?$"),  # 2012, CY2012, 2012年
    ("FY", rf"^fy ?'?(?:{_Y}|{_YY})$"),  # FY2012, FY12, FY '12
    ("FY", rf"^{_Y} ?(?:财年|財年|财政年度|財政年度|会计年度|會計年度)$"),
    ("FQ", rf"^q(?P<q>[1-4]) ?[-/ ]? ?fy ?'?(?:{_Y}|{_YY})$"),  # Q2 FY2012, Q2 FY12
    ("FQ", rf"^fy ?'?(?:{_Y}|{_YY}) ?[-/ ]? ?q(?P<q>[1-4])$"),  # FY2012 Q2, FY12-Q2
    ("R", rf"^(?P<a>{_ISO})? ?\.\. ?(?P<b>{_ISO})$"),  # 2012-01-01..2012-03-15, ..2012-06-12
]
# Forms refused because they could mean two things: (pattern, why, what to write).
_AMBIGUOUS = [
    (
        rf"^{_MON} ?['’/-]? ?(?P<n>\d{{1,2}})$",
        "it could be a month of a two-digit year or a day with no year",
        "write 2012-06 for the month or 2012-06-12 for the day",
    ),
    (
        rf"^(?P<n>\d{{1,2}}) ?['’/-]? ?{_MON}$",
        "it could be a day with no year or a month of a two-digit year",
        "write 2012-06 for the month or 2012-06-12 for the day",
    ),
    (
        r"^\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})$",
        "the order of day and month differs between countries (06/12/2012 is 6 December or "
        "June 12)",
        "write the day as 2012-06-12 (ISO: year-month-day)",
    ),
    (
        r"^\d{4}-\d{2}-\d{2} ?(?:-|to|–|—) ?\d{4}-\d{2}-\d{2}$",
        "a range is written with '..' so that it is not read as one date",
        "write 2012-01-01..2012-03-15",
    ),
]
_WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _np(arr) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def _normalise(arr: pa.Array) -> pa.Array:
    """Lower case, ASCII digits and punctuation, single spaces, trimmed."""
    if pc.any(pc.match_substring_regex(arr, "[\uff01-\uff5e\u3000]")).as_py():
        arr = pa.array(
            [None if v is None else v.translate(_WIDE) for v in arr.to_pylist()], type=_LARGE
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
        month0, span = 3 * (_int(field["q"], _CN_NUMBER) - 1), 3
    elif kind == "H":
        month0, span = 6 * (_int(field["h"], _HALF) - 1), 6
    elif kind in ("M", "D"):
        month = _int(field["mon"], _MONTHS) if "mon" in field else _int(field["m"])
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
    error = np.full(n, _UNKNOWN, dtype=object)
    missing = _np(pc.fill_null(pc.equal(pc.utf8_length(texts), 0), True))
    error[missing] = _MISSING
    todo = ~missing
    rows = np.arange(n)
    for kind, pattern in _FORMS:
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
    for pattern, why, what in _AMBIGUOUS:
        if not todo.any():
            break
        idx = rows[todo]
        hit = _np(pc.match_substring_regex(pc.take(texts, pa.array(idx)), pattern))
        error[idx[hit]] = f"ambiguous: {why}; {what}"
        todo[idx[hit]] = False
    return _refuse_out_of_range(start, end, error)


_LOW, _HIGH = np.datetime64("1678-01-01"), np.datetime64("2261-12-31")
_OUT_OF_RANGE = "the date is outside the years 1678-2261 that pandas can hold"


def _refuse_out_of_range(start: np.ndarray, end: np.ndarray, error: np.ndarray):
    """Set the error of periods outside the years pandas' nanosecond timestamps hold
    (1677-09-21..2262-04-11, rounded in to whole years) and make every failed row NaT.

    Converting such a datetime64 to nanoseconds would wrap it round silently (3000-01-05
    becomes a day in 1830), so they are refused here, before any conversion.
    """
    out = (error == None) & (  # noqa: E711
        (start < _LOW) | (start > _HIGH) | (end < _LOW) | (end > _HIGH)
    )
    error[out] = _OUT_OF_RANGE
    failed = error != None  # noqa: E711
    start[failed] = np.datetime64("NaT")
    end[failed] = np.datetime64("NaT")
    return start, end, error


def _check_fiscal(fiscal_year_start: Any) -> None:
    if isinstance(fiscal_year_start, bool) or not isinstance(fiscal_year_start, (int, np.integer)):
        raise TypeError(f"fiscal_year_start must be a month number 1-12, got {fiscal_year_start!r}")
    if not 1 <= fiscal_year_start <= 12:
        raise ValueError(f"fiscal_year_start must be a month number 1-12, got {fiscal_year_start}")


def try_parse_period(values: pd.Series, *, fiscal_year_start: int = 1) -> pd.DataFrame:
    """Parse a column of periods without raising: DataFrame[start, end, reason].

    ``reason`` is NA where the text was read and says why it was not otherwise (missing
    values included). For loaders that collect rejected rows; most users want
    :func:`parse_period`.

    Parameters
    ----------
    values : Series
        Period texts (Period, Timestamp and year-number values are accepted too).
    fiscal_year_start : int
        First month of the fiscal year, for ``FY`` forms.

    Returns
    -------
    DataFrame
        Columns ``start``, ``end`` (datetime64[ns], NaT where not read) and ``reason``
        (string), with the index of ``values``.

    Examples
    --------
    >>> import pandas as pd
    >>> try_parse_period(pd.Series(["2012Q2", "Jun-12"]))["reason"].tolist()[1]
    'ambiguous: it could be a month of a two-digit year or a day with no year; write 2012-06 for the month or 2012-06-12 for the day'
    """
    _check_fiscal(fiscal_year_start)
    if not isinstance(values, pd.Series):
        raise TypeError(f"try_parse_period expects a pandas Series, got {type(values).__name__}")
    codes, start_u, end_u, reason_u = _parse_parts(values, fiscal_year_start)
    start, end = _spread(codes, start_u, end_u)
    labels = np.array([r for r in reason_u if r is not None] + [_MISSING], dtype=object)
    labels = np.unique(labels)
    lookup = {r: i for i, r in enumerate(labels)}
    per_unique = np.array([-1 if r is None else lookup[r] for r in reason_u] + [0], np.int64)
    ids = np.where(codes < 0, lookup[_MISSING], per_unique[np.where(codes < 0, -1, codes)])
    reason = pd.Categorical.from_codes(ids, categories=list(labels))
    return pd.DataFrame(
        {
            s.START: pd.Series(start, index=values.index),
            s.END: pd.Series(end, index=values.index),
            "reason": pd.Series(reason, index=values.index).astype("string"),
        }
    )


def _spread(codes: np.ndarray, start_u: np.ndarray, end_u: np.ndarray):
    """Per-row datetime64[ns] start and end from per-distinct-value arrays."""
    nat = np.array(["NaT"], dtype="datetime64[D]")
    take = np.where(codes < 0, len(start_u), codes)
    start = np.concatenate([start_u, nat])[take].astype("datetime64[ns]")
    end = np.concatenate([end_u, nat])[take].astype("datetime64[ns]")
    return start, end


def _parse_parts(values: pd.Series, fiscal_year_start: int):
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
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
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


def _as_text(value: Any) -> str:
    """A distinct non-text value as the text of the period it stands for."""
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Period):
        start, end = _period_days(pd.array([value]))
        return f"{start[0]}..{end[0]}"  # beyond 9999 no form matches: refused
    if isinstance(value, (_dt.date, np.datetime64)):
        return str(pd.Timestamp(value).date())
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("parse_period does not read booleans as periods")
    if isinstance(value, (int, np.integer)):
        return str(value)
    return str(value) + "\x00"  # never matches: reported as unreadable with its value


def _check_na(na: str) -> None:
    if na not in ("raise", "keep"):
        raise ValueError(f"na must be 'raise' or 'keep', got {na!r}")


def parse_period(text_or_series: Any, *, fiscal_year_start: int = 1, na: str = "raise") -> Any:
    """Read the period a figure covers: ``"2012Q2"`` -> (2012-04-01, 2012-06-30).

    Accepted forms (case, width and spacing do not matter):

    - quarters: ``2012Q2``, ``2012 Q4``, ``Q2 2012``, ``2Q12``, ``4Q2012``, ``Q4 '09``,
      ``Q2' 17``, ``2012年第二季``, ``2012年第2季度``;
    - halves: ``H1 2012``, ``1H12``, ``2012H1``, ``2012年上半年``;
    - months: ``2012-06``, ``June 2012``, ``Jun 2012``, ``06/2012``, ``2012年6月``;
    - days: ``2012-06-12``, ``June 12, 2012``, ``12 June 2012``, ``2012年6月12日``;
    - years: ``2012``, ``2012年``; fiscal years: ``FY2012``, ``FY12``, ``2012财年``;
      fiscal quarters: ``Q2 FY2012``, ``FY12 Q2`` (the second three months of FY2012);
    - ranges of days: ``2012-01-01..2012-03-15``; ``..2012-06-12`` is "to date" (start NaT).

    Two-digit years 00-68 are 2000-2068 and 69-99 are 1969-1999. Texts that could mean
    two things (``Jun-12``, ``06/12/2012``) are refused.

    Parameters
    ----------
    text_or_series : str, Period, Timestamp, int or Series
        One period or a column of them.
    fiscal_year_start : int
        First month of the fiscal year (1-12). ``FY2012`` is named for the calendar
        year it ends in: with 4 it is 2011-04-01..2012-03-31; with 1, calendar 2012.
    na : {"raise", "keep"}
        Missing values: raise a ``DataError`` naming them, or keep them as NaT.

    Returns
    -------
    tuple of Timestamp or DataFrame
        ``(start, end)`` with ``end`` the last day (inclusive); for a Series, a
        DataFrame with columns ``start`` and ``end`` and the same index.

    Raises
    ------
    DataError
        For text that is not a period or is ambiguous (naming the text and, for a
        Series, the positions and values of the rows), and for missing values unless
        ``na="keep"``.

    Examples
    --------
    >>> parse_period("2012Q2")
    (Timestamp('2012-04-01 00:00:00'), Timestamp('2012-06-30 00:00:00'))
    >>> parse_period("June 12, 2012")
    (Timestamp('2012-06-12 00:00:00'), Timestamp('2012-06-12 00:00:00'))
    >>> parse_period("FY2012", fiscal_year_start=4)
    (Timestamp('2011-04-01 00:00:00'), Timestamp('2012-03-31 00:00:00'))
    >>> parse_period("Q2 FY2012", fiscal_year_start=10)  # Apple: October-September
    (Timestamp('2012-01-01 00:00:00'), Timestamp('2012-03-31 00:00:00'))
    >>> import pandas as pd
    >>> parse_period(pd.Series(["H1 2012", "2012年第二季"]))
           start        end
    0 2012-01-01 2012-06-30
    1 2012-04-01 2012-06-30
    """
    _check_fiscal(fiscal_year_start)
    _check_na(na)
    if isinstance(text_or_series, pd.DataFrame):
        raise TypeError("parse_period takes a text or a Series (one column), not a DataFrame")
    if isinstance(text_or_series, pd.Series):
        codes, start_u, end_u, reason_u = _parse_parts(text_or_series, fiscal_year_start)
        bad_u = np.array([r is not None for r in reason_u] + [na == "raise"], dtype=bool)
        bad = bad_u[np.where(codes < 0, len(reason_u), codes)]
        if bad.any():
            parsed = try_parse_period(text_or_series, fiscal_year_start=fiscal_year_start)
            _raise_series(text_or_series, parsed["reason"], bad)
        start, end = _spread(codes, start_u, end_u)
        index = text_or_series.index
        return pd.DataFrame(
            {s.START: pd.Series(start, index=index), s.END: pd.Series(end, index=index)}
        )
    if isinstance(text_or_series, (bool, np.bool_)):
        raise TypeError("parse_period does not read booleans as periods")
    if (
        text_or_series is None
        or text_or_series is pd.NA
        or text_or_series is pd.NaT
        or (isinstance(text_or_series, float) and np.isnan(text_or_series))
    ):
        if na == "keep":
            return pd.NaT, pd.NaT
        raise DataError(
            _MISSING,
            value=text_or_series,
            hint="give the period, or pass na='keep' to keep it as NaT",
        )
    if not isinstance(text_or_series, (str, int, np.integer, pd.Period, _dt.date, np.datetime64)):
        raise TypeError(
            "parse_period expects a str, Period, Timestamp, int year or Series, got "
            f"{type(text_or_series).__name__}"
        )
    parsed = try_parse_period(
        pd.Series([text_or_series], dtype=object), fiscal_year_start=fiscal_year_start
    )
    reason = parsed["reason"].iloc[0]
    if not pd.isna(reason):
        if na == "keep" and reason == _MISSING:
            return pd.NaT, pd.NaT
        hint = None if reason.startswith("ambiguous") else _HINT
        if reason == _OUT_OF_RANGE:
            hint = "check the year: figures are read for the years 1678-2261"
        if reason == _MISSING:
            hint = "give the period, or pass na='keep' to keep it as NaT"
        raise DataError(
            f"cannot read {shown(text_or_series)} as a period ({reason})",
            value=text_or_series,
            hint=hint,
        )
    return parsed[s.START].iloc[0], parsed[s.END].iloc[0]


def _raise_series(values: pd.Series, reasons: pd.Series, bad: np.ndarray) -> None:
    positions = np.flatnonzero(bad)
    listed = []
    for pos in positions[:_SHOW]:
        label = values.index[pos]
        label_text = "" if label == pos else f", index {label!r}"
        listed.append(
            f"position {pos}{label_text}: {shown(values.iloc[pos])} ({reasons.iloc[pos]})"
        )
    more = f" and {len(positions) - _SHOW} more" if len(positions) > _SHOW else ""
    only_missing = bool((reasons.iloc[positions] == _MISSING).all())
    name = f" in {values.name!r}" if values.name is not None else ""
    error = DataError(
        f"cannot read {len(positions)} value(s){name} as periods: " + "; ".join(listed) + more,
        column=None if values.name is None else str(values.name),
        value=values.iloc[int(positions[0])],
        hint="give the periods in those rows, or pass na='keep' to keep them as NaT"
        if only_missing
        else _HINT,
    )
    error.positions = positions.tolist()
    raise error


# --- labels -----------------------------------------------------------------------------


def _label_arrays(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Labels for datetime64[D] arrays (computed on distinct pairs by the caller)."""
    n = len(end)
    labels = np.empty(n, dtype=object)
    start_month = start.astype("datetime64[M]")
    end_month = end.astype("datetime64[M]")
    whole_months = (start == start_month.astype("datetime64[D]")) & (
        end == (end_month + 1).astype("datetime64[D]") - 1
    )
    span = (end_month - start_month).astype(np.int64) + 1
    month0 = start_month.astype(np.int64) % 12  # 0 = January
    year = start_month.astype("datetime64[Y]").astype(np.int64) + 1970
    for i in range(n):  # over distinct (start, end) pairs only
        if np.isnat(end[i]):
            labels[i] = None
        elif np.isnat(start[i]):
            labels[i] = f"..{end[i]}"
        elif start[i] == end[i]:
            labels[i] = str(start[i])
        elif whole_months[i] and span[i] == 12 and month0[i] == 0:
            labels[i] = f"{year[i]}"
        elif whole_months[i] and span[i] == 3 and month0[i] % 3 == 0:
            labels[i] = f"{year[i]}Q{month0[i] // 3 + 1}"
        elif whole_months[i] and span[i] == 6 and month0[i] % 6 == 0:
            labels[i] = f"H{month0[i] // 6 + 1} {year[i]}"
        elif whole_months[i] and span[i] == 1:
            labels[i] = f"{year[i]}-{month0[i] + 1:02d}"
        else:
            labels[i] = f"{start[i]}..{end[i]}"
    return labels


def period_label(start: Any, end: Any) -> Any:
    """A short label for a period: ``"2012Q2"``, ``"H1 2012"``, ``"2012-06"``, ``"2012"``.

    The label is the shortest form :func:`parse_period` reads back to the same dates:
    a calendar year, quarter, half, month or single day, else ``"start..end"``
    (``"2012-01-01..2012-03-15"``). A missing start (a figure to date) gives
    ``"..2012-06-12"``.

    Parameters
    ----------
    start, end : date-like or Series
        First and last day (inclusive). Series must have the same length; the result
        has the index of ``end``.

    Returns
    -------
    str or Series of str

    Examples
    --------
    >>> period_label("2012-04-01", "2012-06-30")
    '2012Q2'
    >>> period_label("2012-01-01", "2012-06-30"), period_label("2012-06-01", "2012-06-30")
    ('H1 2012', '2012-06')
    >>> period_label("2012-01-01", "2012-03-15")
    '2012-01-01..2012-03-15'
    >>> import pandas as pd
    >>> period_label(pd.Series(pd.to_datetime(["2012-01-01"])),
    ...              pd.Series(pd.to_datetime(["2012-12-31"]))).tolist()
    ['2012']
    """
    if isinstance(start, pd.Series) or isinstance(end, pd.Series):
        if not (isinstance(start, pd.Series) and isinstance(end, pd.Series)):
            raise TypeError("period_label takes two Series or two dates, not one of each")
        if len(start) != len(end):
            raise ValueError(f"start and end differ in length ({len(start)} and {len(end)})")
        s_days = pd.to_datetime(start).to_numpy("datetime64[D]")
        e_days = pd.to_datetime(end).to_numpy("datetime64[D]")
        _check_order(s_days, e_days)
        pairs = pd.MultiIndex.from_arrays([s_days, e_days])
        codes, uniques = pd.factorize(pairs)
        u_start = uniques.get_level_values(0).to_numpy("datetime64[D]")
        u_end = uniques.get_level_values(1).to_numpy("datetime64[D]")
        labels = _label_arrays(u_start, u_end)[codes] if len(codes) else np.array([], object)
        return pd.Series(labels, index=end.index, dtype="string")
    s_day = pd.Timestamp(start) if start is not None else pd.NaT
    e_day = pd.Timestamp(end) if end is not None else pd.NaT
    s_arr = np.array([s_day.to_datetime64() if s_day is not pd.NaT else "NaT"], "datetime64[D]")
    e_arr = np.array([e_day.to_datetime64() if e_day is not pd.NaT else "NaT"], "datetime64[D]")
    _check_order(s_arr, e_arr)
    label = _label_arrays(s_arr, e_arr)[0]
    if label is None:
        raise ValueError("period_label needs an end date")
    return label


def _check_order(start: np.ndarray, end: np.ndarray) -> None:
    late = ~np.isnat(start) & ~np.isnat(end) & (start > end)
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise ValueError(f"start {start[i]} is after end {end[i]} (position {i})")

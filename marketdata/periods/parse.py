"""``parse_period`` and ``try_parse_period``: the public parsers and their errors."""

from __future__ import annotations

import datetime as _dt
from typing import Any, overload

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata._text import listed_positions, shown
from marketdata.errors import DataError
from marketdata.periods._forms import HINT, MISSING
from marketdata.periods._kernel import OUT_OF_RANGE, parse_parts, spread

__all__ = ["parse_period", "try_parse_period"]

_SHOW = 5  # offending rows listed in an error message


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
    codes, start_u, end_u, reason_u = parse_parts(values, fiscal_year_start)
    start, end = spread(codes, start_u, end_u)
    labels = np.array([r for r in reason_u if r is not None] + [MISSING], dtype=object)
    labels = np.unique(labels)
    lookup = {r: i for i, r in enumerate(labels)}
    per_unique = np.array([-1 if r is None else lookup[r] for r in reason_u] + [0], np.int64)
    ids = np.where(codes < 0, lookup[MISSING], per_unique[np.where(codes < 0, -1, codes)])
    reason = pd.Categorical.from_codes(ids, categories=list(labels))
    return pd.DataFrame(
        {
            s.START: pd.Series(start, index=values.index),
            s.END: pd.Series(end, index=values.index),
            "reason": pd.Series(reason, index=values.index).astype("string"),
        }
    )


def _check_na(na: str) -> None:
    if na not in ("raise", "keep"):
        raise ValueError(f"na must be 'raise' or 'keep', got {na!r}")


_Scalar = str | int | np.integer | pd.Period | _dt.date | np.datetime64 | None


@overload
def parse_period(
    text_or_series: pd.Series, *, fiscal_year_start: int = ..., na: str = ...
) -> pd.DataFrame: ...
@overload
def parse_period(
    text_or_series: _Scalar, *, fiscal_year_start: int = ..., na: str = ...
) -> tuple[pd.Timestamp, pd.Timestamp]: ...
def parse_period(
    text_or_series: pd.Series | _Scalar, *, fiscal_year_start: int = 1, na: str = "raise"
) -> pd.DataFrame | tuple[pd.Timestamp, pd.Timestamp]:
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
        codes, start_u, end_u, reason_u = parse_parts(text_or_series, fiscal_year_start)
        bad_u = np.array([r is not None for r in reason_u] + [na == "raise"], dtype=bool)
        bad = bad_u[np.where(codes < 0, len(reason_u), codes)]
        if bad.any():
            parsed = try_parse_period(text_or_series, fiscal_year_start=fiscal_year_start)
            _raise_series(text_or_series, parsed["reason"], bad)
        start, end = spread(codes, start_u, end_u)
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
            MISSING,
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
        if na == "keep" and reason == MISSING:
            return pd.NaT, pd.NaT
        hint = None if reason.startswith("ambiguous") else HINT
        if reason == OUT_OF_RANGE:
            hint = "check the year: figures are read for the years 1678-2261"
        if reason == MISSING:
            hint = "give the period, or pass na='keep' to keep it as NaT"
        raise DataError(
            f"cannot read {shown(text_or_series)} as a period ({reason})",
            value=text_or_series,
            hint=hint,
        )
    return parsed[s.START].iloc[0], parsed[s.END].iloc[0]


def _raise_series(values: pd.Series, reasons: pd.Series, bad: np.ndarray) -> None:
    positions = np.flatnonzero(bad)
    listed = listed_positions(values, reasons, positions, _SHOW)
    only_missing = bool((reasons.iloc[positions] == MISSING).all())
    name = f" in {values.name!r}" if values.name is not None else ""
    error = DataError(
        f"cannot read {len(positions)} value(s){name} as periods: " + listed,
        column=None if values.name is None else str(values.name),
        value=values.iloc[int(positions[0])],
        hint="give the periods in those rows, or pass na='keep' to keep them as NaT"
        if only_missing
        else HINT,
    )
    error.positions = positions.tolist()
    raise error

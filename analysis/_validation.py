"""Argument checks shared by every public function of ``analysis``.

In the spirit of scikit-learn's ``check_scalar`` and ``check_random_state``: one place that
decides what a valid ``seed``, ``draws``, probability or option is, and one wording for the
messages. Bad *arguments* raise ``TypeError`` (wrong kind) or ``ValueError`` (wrong value);
bad *data* (a frame missing a column, a figure that cannot be used) raises
:class:`marketdata.DataError`, see :func:`check_columns`. Dates given as arguments are
checked by :func:`check_dates` (days; numbers and day-less strings refused). The module is
over 400 lines because every argument check lives here, so that there is one wording.

Examples
--------
>>> check_integer(5, "draws", minimum=1)
5
>>> check_option("year", "compare", ("year", "previous"))
'year'
>>> check_seed(7)
7
"""

from __future__ import annotations

import datetime
import numbers
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from marketdata.errors import DataError

__all__ = [
    "check_columns",
    "check_date",
    "check_dates",
    "check_draws",
    "check_integer",
    "check_option",
    "check_probability",
    "check_scalar",
    "check_seed",
    "make_rng",
    "seed_int",
]

Seed = int | np.random.Generator

DATES_HINT = (
    "pass dates like '2013-12-31' (the end of 2013) or pd.Timestamp, or a pd.Period such as "
    "pd.Period('2013', 'Y') (read as its last day)"
)
#: strings that name a year, a month, a quarter or a half but no day ("2013", "2013-06",
#: "2013Q4", "2013H1"): pandas reads them as the period's first day
_NO_DAY = re.compile(r"^\s*(\d{4})(\s*[-/.]\s*\d{1,2}|\s*-?\s*[QqHh][1-4])?\s*$")


def _is_integer(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def check_integer(
    value: Any,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Return ``value`` as an ``int`` if it is a whole number within the bounds.

    Parameters
    ----------
    value : int or numpy integer
        The argument to check; ``bool`` and floats (even ``5.0``) are refused.
    name : str
        The argument's name, used in the message.
    minimum, maximum : int, optional
        Inclusive bounds.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        When ``value`` is not a whole number.
    ValueError
        When it lies outside the bounds.

    Examples
    --------
    >>> check_integer(np.int64(3), "top", minimum=1)
    3
    >>> check_integer(0, "top", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: top must be >= 1, got 0
    """
    if not _is_integer(value):
        raise TypeError(f"{name} must be a whole number, got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_draws(draws: Any, name: str = "draws") -> int:
    """Return the number of Monte Carlo draws as an ``int`` >= 1.

    Examples
    --------
    >>> check_draws(2000)
    2000
    """
    return check_integer(draws, name, minimum=1)


def check_scalar(
    value: Any,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    include_minimum: bool = True,
    include_maximum: bool = True,
) -> float:
    """Return ``value`` as a finite ``float`` within the bounds.

    Parameters
    ----------
    value : real number
        ``bool`` is refused; NaN and infinities are refused.
    name : str
        The argument's name, used in the message.
    minimum, maximum : float, optional
        Bounds; inclusive unless ``include_minimum``/``include_maximum`` is False.

    Examples
    --------
    >>> check_scalar(0.2, "cv", minimum=0)
    0.2
    >>> check_scalar(0, "level", minimum=0, include_minimum=False)
    Traceback (most recent call last):
    ...
    ValueError: level must be > 0, got 0
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if minimum is not None:
        if value < minimum or (not include_minimum and value == minimum):
            sign = ">=" if include_minimum else ">"
            raise ValueError(f"{name} must be {sign} {minimum:g}, got {value:g}")
    if maximum is not None:
        if value > maximum or (not include_maximum and value == maximum):
            sign = "<=" if include_maximum else "<"
            raise ValueError(f"{name} must be {sign} {maximum:g}, got {value:g}")
    return value


def check_probability(value: Any, name: str, *, open_interval: bool = False) -> float:
    """Return a probability (or interval level) as a ``float`` in [0, 1] (or (0, 1)).

    Examples
    --------
    >>> check_probability(0.8, "level", open_interval=True)
    0.8
    >>> check_probability(80, "level", open_interval=True)
    Traceback (most recent call last):
    ...
    ValueError: level must be < 1, got 80 (a level is a fraction: write 0.8 for 80%)
    """
    try:
        return check_scalar(
            value,
            name,
            minimum=0.0,
            maximum=1.0,
            include_minimum=not open_interval,
            include_maximum=not open_interval,
        )
    except ValueError as exc:
        if isinstance(value, numbers.Real) and 1 < float(value) <= 100:
            raise ValueError(
                f"{exc} (a {name} is a fraction: write {float(value) / 100:g} for {value}%)"
            ) from None
        raise


def check_option(value: Any, name: str, options: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``options``.

    Examples
    --------
    >>> check_option("cumulative", "basis", ("cumulative", "period"))
    'cumulative'
    >>> check_option("cumul", "basis", ("cumulative", "period"))
    Traceback (most recent call last):
    ...
    ValueError: basis must be one of 'cumulative', 'period'; got 'cumul'
    """
    try:
        found = value in options
    except TypeError:  # unhashable value against a set
        found = False
    if not found:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def check_seed(seed: Any, name: str = "seed") -> Seed:
    """Check a seed: a whole number >= 0 or a :class:`numpy.random.Generator`.

    The same rule everywhere in ``analysis``: ``True``/``False``, floats, negative numbers
    and ``None`` are refused (results must be reproducible, so there is no "fresh entropy"
    default).

    Returns
    -------
    int or numpy.random.Generator
        A plain ``int`` for integer seeds (numpy integers included), the Generator as given.

    Examples
    --------
    >>> check_seed(np.int64(3))
    3
    >>> check_seed(True)
    Traceback (most recent call last):
    ...
    TypeError: seed must be a whole number >= 0 or a numpy.random.Generator, got True (bool)
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if not _is_integer(seed):
        raise TypeError(
            f"{name} must be a whole number >= 0 or a numpy.random.Generator, "
            f"got {seed!r} ({type(seed).__name__})"
        )
    if seed < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {seed}")
    return int(seed)


def make_rng(seed: Any, name: str = "seed") -> np.random.Generator:
    """A :class:`numpy.random.Generator` from a checked seed (the Generator itself if given).

    Examples
    --------
    >>> float(make_rng(0).random()) == float(np.random.default_rng(0).random())
    True
    """
    seed = check_seed(seed, name)
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def seed_int(seed: Any, name: str = "seed") -> int:
    """A whole-number seed from a checked seed, for code that spawns its own streams.

    An integer is returned as given; a Generator gives one draw of 63 random bits (so a
    Generator seeds reproducibly too, advancing its state once).

    Examples
    --------
    >>> seed_int(42)
    42
    >>> seed_int(np.random.default_rng(0)) == seed_int(np.random.default_rng(0))
    True
    """
    seed = check_seed(seed, name)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    return seed


def _no_day(text: str, name: str) -> ValueError:
    year = _NO_DAY.match(text).group(1)
    return ValueError(
        f"{name}: {text!r} names no day (pandas would read it as its first day); a value "
        f"is at the end of a day: pass '{year}-12-31' for the end of {year}, or a pd.Period "
        f"such as pd.Period('{year}', 'Y') (read as its last day)"
    )


def _one_date(value: Any, name: str) -> pd.Timestamp:
    """One date-like value as a Timestamp (a Period as its last day)."""
    if isinstance(value, pd.Period):
        return value.end_time
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        raise ValueError(f"{name} must not be missing (None, NaN or NaT)")
    if isinstance(value, bool | np.bool_ | numbers.Number):
        raise TypeError(
            f"{name} must be dates, not numbers (got {value!r}: pandas would read it as "
            f"nanoseconds after 1970-01-01); {DATES_HINT}"
        )
    if isinstance(value, str):
        if _NO_DAY.match(value):
            raise _no_day(value, name)
        try:
            return pd.Timestamp(value.strip())
        except (ValueError, TypeError):
            raise ValueError(f"{name}: could not read {value!r} as a date; {DATES_HINT}") from None
    if isinstance(value, datetime.date | np.datetime64):
        return pd.Timestamp(value)
    raise TypeError(
        f"{name} must be date-like, got {value!r} ({type(value).__name__}); {DATES_HINT}"
    )


def check_dates(dates: Any, name: str = "dates") -> pd.DatetimeIndex:
    """Dates as a normalised (midnight) ``DatetimeIndex``; numbers and day-less text refused.

    A value "at a date" is the value at the end of that day, so every date must name a day.
    Accepted: strings with a day (``"2013-12-31"``), ``pd.Timestamp``, ``datetime.date`` /
    ``datetime``, ``numpy.datetime64``, ``pd.Period`` (read as its last day, so
    ``pd.Period("2013", "Y")`` is 2013-12-31), and sequences, Index, Series or arrays of
    them. A time of day is dropped (the day's end is meant).

    Raises
    ------
    TypeError
        Numbers (``5``, ``2013``, ``2013.0``, an integer array) and booleans: pandas would
        read them as nanoseconds after 1970-01-01.
    ValueError
        None, missing values (NaT, None, NaN), unreadable text, text that names a year,
        month, quarter or half but no day (``"2013"``, ``"2013-06"``, ``"2013Q4"``: pandas
        reads them as the period's *first* day), timezone-aware dates.

    Examples
    --------
    >>> check_dates(["2013-12-31", pd.Period("2014", "Y")]).strftime("%Y-%m-%d").tolist()
    ['2013-12-31', '2014-12-31']
    >>> check_dates(2013)
    Traceback (most recent call last):
    ...
    TypeError: dates must be dates, not numbers (got 2013: pandas would read it as ...
    """
    if dates is None:
        raise ValueError(f"give {name}: {DATES_HINT}")
    if isinstance(dates, pd.Series | pd.Index | np.ndarray) and dates.ndim == 1:
        kind = dates.dtype
        if isinstance(kind, pd.PeriodDtype):
            return _finish(pd.PeriodIndex(dates).end_time, name)
        if pd.api.types.is_datetime64_any_dtype(kind):
            return _finish(pd.DatetimeIndex(dates), name)
    scalar = isinstance(dates, str | pd.Period | datetime.date | np.datetime64 | numbers.Number)
    values = [dates] if scalar else np.asarray(dates, dtype=object).ravel().tolist()
    return _finish(pd.DatetimeIndex([_one_date(v, name) for v in values]), name)


def _finish(out: pd.DatetimeIndex, name: str) -> pd.DatetimeIndex:
    if out.tz is not None:
        raise ValueError(
            f"{name} must be timezone-naive (units are counted by calendar day); "
            "drop the timezone with .tz_localize(None)"
        )
    if out.isna().any():
        raise ValueError(f"{name} must not be missing (None, NaN or NaT)")
    return out.normalize()


def check_date(value: Any, name: str) -> pd.Timestamp:
    """One date, checked as :func:`check_dates` checks each (midnight ``Timestamp``).

    Examples
    --------
    >>> check_date(pd.Period("2012", "Y"), "by")
    Timestamp('2012-12-31 00:00:00')
    """
    if isinstance(value, list | tuple | np.ndarray | pd.Index | pd.Series):
        raise TypeError(f"{name} must be one date, got {type(value).__name__}; {DATES_HINT}")
    return check_dates(value, name)[0]


def check_columns(
    data: Any,
    required: Iterable[str],
    *,
    what: str = "data",
    hint: str | None = None,
) -> pd.DataFrame:
    """Check that ``data`` is a DataFrame holding the ``required`` columns.

    A missing column is bad *data*, so this raises :class:`marketdata.DataError` (a
    ``ValueError``), naming the missing columns and the ones present.

    Parameters
    ----------
    data : pandas.DataFrame
    required : iterable of str
    what : str
        What the frame is, for the message (``"figures"``, ``"data"``).
    hint : str, optional
        What to do, appended to the message.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"brand": ["HTC"]}), ["brand", "units"], what="figures")
    Traceback (most recent call last):
    ...
    marketdata.errors.DataError: figures lacks the column 'units' (it has 'brand')
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in required if c not in data.columns]
    if missing:
        have = ", ".join(repr(str(c)) for c in data.columns) or "no columns"
        need = ", ".join(repr(c) for c in missing)
        noun = "column" if len(missing) == 1 else "columns"
        message = f"{what} lacks the {noun} {need} (it has {have})"
        raise DataError(message + (f"; {hint}" if hint else ""))
    return data

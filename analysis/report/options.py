"""Read the report's options as an analyst types them: units, periods, the target's basis.

Targets and market sizes go through :func:`marketdata.parse_units`, dates through
:func:`marketdata.parse_period` (never the clock, never a guess at day-month order).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from analysis._format import units_label
from analysis.report.inputs import READINGS, Target
from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.periods import parse_period
from marketdata.units import parse_units

__all__ = [
    "BASES",
    "MINIMUM_TARGET",
    "basis_option",
    "check_basis",
    "date_option",
    "target_option",
    "units_option",
]

#: ``--target-basis`` values.
BASES = tuple(READINGS)

#: A target below this is a slip (``--target five`` means five units to the parser).
MINIMUM_TARGET = 1_000


def units_option(value: Any, name: str) -> float | None:
    """A number of units from a number or text (``"5M"``, ``"5 million"``, ``"700萬"``).

    Raises
    ------
    ValueError
        For text :func:`marketdata.parse_units` cannot read, or a negative number.

    Examples
    --------
    >>> units_option("8M", "target"), units_option(None, "target")
    (8000000.0, None)
    >>> units_option("lots", "target")
    Traceback (most recent call last):
    ...
    ValueError: target: cannot read 'lots' as a number of units; write e.g. 5M, 5 million or 5000000
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number of units, got {value!r}")
    if isinstance(value, str):
        try:
            units = parse_units(value)
        except (DataError, ValueError):
            raise ValueError(
                f"{name}: cannot read {value!r} as a number of units; write e.g. 5M, "
                "5 million or 5000000"
            ) from None
        if units is None or pd.isna(units):
            raise ValueError(f"{name}: {value!r} is empty; write e.g. 5M")
        return float(units)
    units = float(value)
    if not units >= 0 or units == float("inf"):
        raise ValueError(f"{name} must be a finite number of units >= 0, got {value!r}")
    return units


def date_option(value: Any, name: str = "by") -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The (first, last) day of a period given as text or a date.

    ``2012``, ``2012Q4``, ``H2 2012``, ``2012-12-31``, ``June 12, 2012``: whatever
    :func:`marketdata.parse_period` reads; ``06/12/2012`` (day or month first?), ``June 12``
    (which year?) and ``today`` (the report would depend on the clock) are refused.

    Examples
    --------
    >>> [str(d.date()) for d in date_option("2013Q2")]
    ['2013-04-01', '2013-06-30']
    >>> date_option("06/12/2012")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: by: cannot read '06/12/2012' as a period (ambiguous: ...
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            start, end = parse_period(value)
        except (DataError, ValueError) as error:
            raise ValueError(f"{name}: {error}") from None
        return pd.Timestamp(start), pd.Timestamp(end)
    if isinstance(value, (pd.Timestamp, dt.date)):
        day = pd.Timestamp(value).normalize()
        return day, day
    raise TypeError(
        f"{name} must be a date or a period as text (2012-12-31, 2012Q4), got {value!r}"
    )


def basis_option(value: str | None) -> str | None:
    """``since-launch`` or ``period`` as the schema's basis; None (both readings) if not given.

    Examples
    --------
    >>> basis_option("since-launch"), basis_option("period"), basis_option(None)
    ('cumulative', 'period', None)
    """
    if value is None:
        return None
    if value not in READINGS:
        raise ValueError(f"basis must be one of {', '.join(BASES)}; got {value!r}")
    return READINGS[value]


def target_option(
    target: Any, by: Any, basis: str | None, *, default: Target | None
) -> Target | None:
    """The target from the options, or ``default`` (the source's) with the options applied.

    ``by`` as a period (``2013Q2``, ``2012``) gives the window of the "period" reading;
    as a day, the window starts on 1 January of its year.

    Raises
    ------
    ValueError
        A target without a date (and none from the source), a target below 1,000 units
        (``five`` reads as 5 units: write 5M), unreadable units or dates.

    Examples
    --------
    >>> t = target_option("8M", "2013Q2", None, default=None)
    >>> t.label, t.window, t.origin
    ('8M by 30 June 2013', '2013Q2', 'you')
    >>> target_option("five", "2012", None, default=None)
    Traceback (most recent call last):
    ...
    ValueError: target: 'five' reads as 5 units, less than the 1,000 a target can be; write the multiplier (5M, 5 million, 5000000)
    """
    units = units_option(target, "target")
    period = date_option(by)
    reading = basis_option(basis)
    if units is not None and units < MINIMUM_TARGET:
        raise ValueError(
            f"target: {target!r} reads as {units_label(units)} units, less than the "
            f"{MINIMUM_TARGET:,} a target can be; write the multiplier (5M, 5 million, 5000000)"
        )
    if units is None and default is None:
        if period is not None or reading is not None:
            raise ValueError("--by and --target-basis need a target: pass --target UNITS (e.g. 5M)")
        return None
    if units is None:
        units, origin, text = default.units, default.origin, default.text
    else:
        origin, text = "you", str(target)
    if period is None:
        if default is None:
            raise ValueError("a target needs a date: pass --by with --target (e.g. --by 2012)")
        start, end = default.start, default.by
    else:
        start, end = period
        if start == end:  # a day: the period reading is the calendar year to that day
            start = pd.Timestamp(year=end.year, month=1, day=1)
    if reading is None and default is not None and units == default.units and origin != "you":
        reading = default.basis
    return Target(units=units, by=end, start=start, basis=reading, origin=origin, text=text)


def check_basis(target: Target | None, cumulative: bool, brand: str) -> None:
    """Refuse a since-launch reading of figures that are not totals to date."""
    if target is not None and target.basis == s.CUMULATIVE and not cumulative:
        raise ValueError(
            f"{brand}'s figures are units per period, not totals since launch, so units "
            "since launch are not known: use --target-basis period (units within the target's window)"
        )

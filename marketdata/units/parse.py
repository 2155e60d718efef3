"""``parse_units``, ``try_parse_units``, ``parse_units_codes``: the public parsers."""

from __future__ import annotations

import math
from typing import Literal, overload

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata._text import listed_positions, shown
from marketdata.errors import DataError
from marketdata.units._kernel import (
    MALFORMED,
    MISSING,
    MISSING_CODE,
    QUALIFIER_CODES,
    REASONS,
    codes_to_strings,
    parse_codes,
)

__all__ = ["parse_units", "parse_units_codes", "try_parse_units"]

_SHOW = 5  # offending rows listed in an error message
_NA_HINT = "give a number of units, or pass na='keep' to keep missing values as NaN"


def _hint(decimal: str, reasons) -> str:
    """What to do, for these reasons (the decimal separator only when digits were odd)."""
    hint = (
        "write digits with an optional multiplier and qualifier, e.g. 3200000, 3.2M, "
        "'over 3 million', 700萬 or 1,234,567"
    )
    if REASONS[MALFORMED] in set(reasons):
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
    units, qualifier, reason, bare = parse_codes(values, decimal)
    return pd.DataFrame(
        {
            s.UNITS: pd.Series(units, index=values.index, dtype="float64"),
            s.QUALIFIER: codes_to_strings(qualifier, QUALIFIER_CODES, values.index),
            "reason": codes_to_strings(reason, REASONS, values.index),
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
    units, qualifier, reason, bare = parse_codes(values, decimal)
    return units, qualifier - 1, reason > 0, bare  # int8: -1 (none) .. 2


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

    - digits: ``"7,000,000"``, ``"7 000 000"``, ``"3.2"``, ``"3e6"``, ``"3E+06"``; a
      bare number is units. With ``decimal="."`` a comma before exactly three digits
      groups thousands; a German multiplier (``Tsd.``, ``Mio.``, ``Mrd.``) makes the
      number German (``"3,2 Mio."``, ``"1,234 Mio."`` is 1,234,000, ``"1.234 Mio."``
      1,234,000,000); ``"1.234.567"`` and ``"1.234,5"`` are read the German way; any
      other decimal comma (``"3,25"``) is refused as ambiguous. ``decimal=","`` swaps
      the two.
    - words: ``one`` .. ``nineteen``, ``twenty`` .. ``ninety`` (``"twenty-five"``), ``a``.
    - Chinese numerals, in Chinese or Arabic digits, counting groups of four digits in
      ``萬``/``万`` and ``億``/``亿``: ``三十``, ``一百二十``, ``一万零五``, ``1億2千万``,
      ``3億6670万台``, ``三億六千六百七十萬`` (366,700,000); ``百万`` is a million and
      ``1.2万亿`` 1.2 * 10**12. A bare digit after a place, which speech uses for a
      dropped zero (``一百五`` is 150 said, 105 written), is refused: write ``一百五十``.
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
        For text that is not a number of units, or is ambiguous (naming the text and,
        for a Series, the positions and values of the rows), for negative numbers, for
        numbers beyond a float (``1e400``), and for missing values unless ``na="keep"``.
        No text raises anything else.

    Examples
    --------
    >>> parse_units("3M")
    3000000.0
    >>> parse_units("over three million", qualifier=True)
    (3000000.0, 'over')
    >>> parse_units("700萬台"), parse_units("1.2 bn"), parse_units("3,2 Mio.")
    (7000000.0, 1200000000.0, 3200000.0)
    >>> parse_units("3億6670万台"), parse_units("3e+6")
    (366700000.0, 3000000.0)
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
        units, codes, reason, _ = parse_codes(text_or_series, decimal)
        bad = reason > 0
        if na == "keep":
            bad &= reason != MISSING_CODE
        if bad.any():
            reasons = codes_to_strings(reason, REASONS, text_or_series.index)
            _raise_series(text_or_series, reasons, bad, decimal)
        index = text_or_series.index
        out = pd.Series(units, index=index, name=text_or_series.name, dtype="float64")
        if qualifier:
            return pd.DataFrame(
                {
                    s.UNITS: out.rename(s.UNITS),
                    s.QUALIFIER: codes_to_strings(codes, QUALIFIER_CODES, index),
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
            MISSING,
            value=text_or_series,
            hint="give a number of units, or pass na='keep' to keep it as NaN",
        )
    if not isinstance(text_or_series, (str, int, float, np.integer, np.floating)):
        raise TypeError(
            f"parse_units expects a str, a number or a Series, got {type(text_or_series).__name__}"
        )
    if isinstance(text_or_series, str):
        series = pd.Series([text_or_series], dtype="str")
    else:  # a number: read as one, so -0.0 is zero and 1e400 too large, not text
        try:
            series = pd.Series([float(text_or_series)], dtype="float64")
        except OverflowError:  # an int beyond any float
            series = pd.Series([math.inf], dtype="float64")
    parsed = try_parse_units(series, decimal=decimal)
    reason = parsed["reason"].iloc[0]
    if not pd.isna(reason) and not (na == "keep" and reason == MISSING):
        hint = _NA_HINT if reason == MISSING else _hint(decimal, [reason])
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
    listed = listed_positions(values, reasons, positions, _SHOW)
    first = int(positions[0])
    only_missing = bool((reasons.iloc[positions] == MISSING).all())
    hint = (
        "give a number of units in those rows, or pass na='keep' to keep them as NaN"
        if only_missing
        else _hint(decimal, reasons.iloc[positions].tolist())
    )
    name = f" in {values.name!r}" if values.name is not None else ""
    error = DataError(
        f"cannot read {len(positions)} value(s){name} as numbers of units: " + listed,
        column=None if values.name is None else str(values.name),
        value=values.iloc[first],
        hint=hint,
    )
    error.positions = positions.tolist()
    raise error

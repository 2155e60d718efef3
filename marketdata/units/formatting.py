"""``format_units``: write a number of units as text ``parse_units`` reads back exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import overload

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.units._words import ONES, TENS

__all__ = ["STYLES", "format_units"]

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
_WORDS = {v: k for k, v in ONES.items() if k not in ("a", "an")}
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
    word = {v: k for k, v in TENS.items()}[tens * 10]
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
    >>> from marketdata import parse_units
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

"""Text helpers shared by the column parsers: arrow arrays of any Series, short reprs."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

__all__ = ["LARGE", "shown", "to_arrow_text"]

LARGE = pa.large_string()
_SHOWN = 60  # characters of a value quoted in an error message


def shown(value: Any) -> str:
    """``repr(value)``, cut to about 60 characters with the length of what was cut.

    Examples
    --------
    >>> shown("3M")
    "'3M'"
    >>> shown("9" * 5000)
    "'99999999999999999999999999999999999999999999999999'... (5,002 characters)"
    """
    text = repr(value)
    if len(text) <= _SHOWN:
        return text
    return f"{text[: _SHOWN - 9]}'... ({len(text):,} characters)"


def _encodable(text: str) -> str:
    """``text``, or the replacement character if UTF-8 cannot encode it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "\ufffd"
    return text


def to_arrow_text(values: pd.Series) -> pa.Array:
    """The values of a Series as text in one arrow large_string array (NA stays null).

    Non-text values become their ``str``. Text arrow cannot hold (a lone surrogate such
    as ``"\\ud800"``) becomes ``"\\ufffd"``, which no parser reads: it is reported, with
    the original value, as unreadable.

    Examples
    --------
    >>> to_arrow_text(pd.Series(["3M", None, 4, "\\ud800"], dtype=object)).to_pylist()
    ['3M', None, '4', '�']
    """
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype("string")
    try:
        arr = pa.array(values.array, type=LARGE, from_pandas=True)
    except (UnicodeEncodeError, pa.ArrowException):
        values = values.map(_encodable, na_action="ignore")
        arr = pa.array(values.array, type=LARGE, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr

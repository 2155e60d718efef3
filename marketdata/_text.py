"""Text helpers shared by the column parsers: arrow arrays of any Series, short reprs."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

__all__ = ["LARGE", "WIDE", "listed_positions", "shown", "to_arrow_text"]

LARGE = pa.large_string()
#: Full-width ASCII forms (U+FF01..FF5E) and the ideographic space to ASCII, for
#: ``str.translate``: ``"３００萬"`` reads as ``"300萬"``.
WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
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
    try:
        text = repr(value)
    except ValueError:  # an int beyond sys.get_int_max_str_digits()
        return f"<an integer of about {int(value.bit_length() * 0.30103):,} digits>"
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


def _as_str(value: Any) -> str:
    """``str(value)``; an int too long for ``str`` as ``1e<digits>`` (out of range)."""
    try:
        return str(value)
    except ValueError:
        sign = "-" if value < 0 else ""
        return f"{sign}1e{int(value.bit_length() * 0.30103)}"


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
        try:
            values = values.astype("string")
        except ValueError:  # an int with more digits than str() writes
            values = values.map(_as_str, na_action="ignore").astype("string")
    try:
        arr = pa.array(values.array, type=LARGE, from_pandas=True)
    except (UnicodeEncodeError, pa.ArrowException):
        values = values.map(_encodable, na_action="ignore")
        arr = pa.array(values.array, type=LARGE, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr


def listed_positions(values: pd.Series, reasons: pd.Series, positions, show: int) -> str:
    """The first ``show`` bad values of a Series as message text: position, index label
    (where it differs), value and reason, then "and N more".

    Examples
    --------
    >>> values = pd.Series(["3M", "x", "y"], index=["a", "b", "c"])
    >>> listed_positions(values, pd.Series(["", "bad", "bad"], index=values.index), [1, 2], 1)
    "position 1, index 'b': 'x' (bad) and 1 more"
    """
    listed = []
    for pos in list(positions)[:show]:
        label = values.index[pos]
        label_text = "" if label == pos else f", index {label!r}"
        listed.append(
            f"position {pos}{label_text}: {shown(values.iloc[pos])} ({reasons.iloc[pos]})"
        )
    more = f" and {len(positions) - show} more" if len(positions) > show else ""
    return "; ".join(listed) + more

"""Read a JSON list of records into a :class:`~marketdata.io.table.Table`.

The text is parsed with :func:`json.loads` (nothing is evaluated). The file must be a list
of objects, one per row; the keys become the columns, in order of first appearance.

Adversarial input gives a ``DataError`` for the file, never another exception: nesting
deeper than Python's parser can follow, and lone surrogates (``"\\ud800"``, half a character,
which no text can hold). An integer longer than :data:`MAX_DIGITS` digits is kept as its
text, which the units parser then refuses for that row alone, and so are ``NaN`` and
``Infinity`` (kept as text).
"""

from __future__ import annotations

import json
import re

import pandas as pd

from marketdata.errors import DataError
from marketdata.io.encodings import line_of
from marketdata.io.table import Table, drop_blank, header_names

__all__ = ["MAX_DIGITS", "read_json"]

MAX_DIGITS = 400  # far beyond any count of units (1e308 is the largest float)
_RECORDS = 'give a JSON list of records: [{"brand": ..., "units": ...}, ...]'
_LONE = re.compile(
    r"(?<!\\)\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})(?<!\\)\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _integer(text: str) -> int | str:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else text


def read_json(text: str, *, file: str | None) -> Table:
    """Read JSON records into a :class:`Table` (no lines: rows are numbered from 1).

    Examples
    --------
    >>> t = read_json('[{"brand": "HTC", "units": "3M"}, {"brand": "Sony"}]', file=None)
    >>> t.frame.to_dict("list")
    {'brand': ['HTC', 'Sony'], 'units': ['3M', nan]}
    """
    lone = _LONE.search(text) if "\\" in text else None
    if lone is not None:
        raise DataError(
            f"the JSON text holds {lone.group()!r}, half of a character (a lone surrogate), "
            "which no text can hold",
            file=file,
            line=line_of(text, lone.start()),
            value=lone.group(),
            hint="fix the escape in the file (a character above U+FFFF is written as two "
            "escapes, high then low)",
        )
    try:
        records = json.loads(text, parse_int=_integer, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"the file is not valid JSON ({exc.msg})", file=file, line=exc.lineno, hint=_RECORDS
        ) from None
    except RecursionError:
        raise DataError("the JSON is nested too deeply to read", file=file, hint=_RECORDS) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError(
            "the JSON is not a list of records",
            file=file,
            hint='give a JSON list of objects, one per figure: [{"brand": ..., "units": ...}]',
        )
    if not records:
        raise DataError("the JSON list is empty", file=file, hint="give at least one record")
    frame = pd.DataFrame.from_records(records).astype(object)
    frame.columns = header_names(list(frame.columns), file=file, line=None)
    return drop_blank(frame, None, file=file, header_line=None)

"""Read a Parquet file into a :class:`~marketdata.io.table.Table`.

Columns keep their Parquet types (numbers stay numbers, text stays text). Text that is
not valid UTF-8 -- a writer that stored raw bytes in a string column -- is a ``DataError``
naming the row and column, never another exception.
"""

from __future__ import annotations

import io

from marketdata.errors import DataError
from marketdata.io.table import Table, drop_blank, header_names

__all__ = ["read_parquet"]


def _first_bad_text(column) -> int | None:
    """Row (0-based) of the first value of a string column that is not UTF-8, else None."""
    import pyarrow as pa

    offset = 0
    for chunk in column.chunks:
        try:
            chunk.validate(full=True)
        except pa.ArrowInvalid:
            raw = chunk.view(pa.binary() if chunk.type == pa.string() else pa.large_binary())
            for i, value in enumerate(raw.to_pylist()):  # error path only
                if value is not None:
                    try:
                        value.decode("utf-8")
                    except UnicodeDecodeError:
                        return offset + i
        offset += len(chunk)
    return None


def read_parquet(data: bytes, *, file: str | None) -> Table:
    """Read Parquet bytes into a :class:`Table` (no lines: rows are numbered from 1).

    Examples
    --------
    >>> import pandas as pd
    >>> buffer = io.BytesIO()
    >>> pd.DataFrame({"brand": ["HTC"], "units": [3e6]}).to_parquet(buffer)
    >>> read_parquet(buffer.getvalue(), file=None).frame.to_dict("list")
    {'brand': ['HTC'], 'units': [3000000.0]}
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises its own error types for damaged files
        raise DataError(
            f"cannot read the file as Parquet ({type(exc).__name__})",
            file=file,
            hint="check the file, or pass format= if it is another format",
        ) from None
    for name, column in zip(table.column_names, table.columns, strict=True):
        if column.type in (pa.string(), pa.large_string()):
            bad = _first_bad_text(column)
            if bad is not None:
                raise DataError(
                    "the text is not valid UTF-8",
                    file=file,
                    row=bad + 1,
                    column=str(name),
                    hint="write the column as UTF-8 text (or as binary if it is not text)",
                )
    try:
        frame = table.to_pandas()
    except Exception as exc:  # a value pandas cannot hold (pyarrow and pandas errors)
        raise DataError(
            f"cannot read the Parquet columns into a table ({type(exc).__name__}: {exc})",
            file=file,
            hint="check the column types: text, numbers and dates are read",
        ) from None
    frame = frame.reset_index(drop=True)
    frame.columns = header_names(list(frame.columns), file=file, line=None)
    return drop_blank(frame, None, file=file, header_line=None)

"""Open what the caller gave (a path, bytes, a file object) and tell its format.

The format comes from ``format=``, else the file extension, else the first bytes (``PK``
zip: xlsx, ``PAR1``: Parquet, ``[``: JSON, anything else: CSV).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "format_of", "name_and_bytes"]

FORMATS = ("csv", "tsv", "xlsx", "json", "parquet")
_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def name_and_bytes(source: Any) -> tuple[str | None, bytes | str]:
    """The file's name (None for a buffer without one) and its contents.

    Examples
    --------
    >>> import io
    >>> name_and_bytes(io.BytesIO(b"a,b"))
    (None, b'a,b')
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a directory; give the path of one file in it")
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        return path.name, path.read_bytes()
    if isinstance(source, (bytes, bytearray)):
        return None, bytes(source)
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(
            f"read expects a path or a file-like object, got {type(source).__name__}; "
            "for a DataFrame use marketdata.from_frame"
        )
    name = getattr(source, "name", None)
    data = read()
    return (Path(name).name if isinstance(name, str) else None), data


def format_of(name: str | None, data: bytes | str, format: str | None) -> str:
    """The format to read ``data`` as (see the module notes).

    Examples
    --------
    >>> format_of("x.XLSX", b"", None), format_of(None, b"PAR1...", None)
    ('xlsx', 'parquet')
    """
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"unknown format {format!r}; choose one of {list(FORMATS)}")
        return format
    if name is not None and Path(name).suffix.lower() in _EXTENSIONS:
        return _EXTENSIONS[Path(name).suffix.lower()]
    head = data[:4] if isinstance(data, bytes) else data[:4].encode()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip()[:1] == b"[":
        return "json"
    return "csv"

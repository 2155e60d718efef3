"""Find a panel's files (a path, a glob, a directory or a list) and their hive keys.

Every engine reads the same list of files, so a glob means the same thing everywhere;
the files are literal paths from there on (DuckDB gets them with its glob characters
escaped). A source is a glob only where :func:`is_glob` says so.
Hive partitions (``.../market=TW/month=2012-01/part-0.parquet``) become string columns
named by the keys.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pandas as pd

from marketdata.errors import DataError

_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".gz": "csv"}
_HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


@dataclass(frozen=True)
class Files:
    """The files of a panel: their paths, format and hive partition values."""

    paths: tuple[str, ...]
    format: str  # "parquet" or "csv"
    hive: tuple[dict[str, str | None], ...]  # per file: key -> value
    label: str  # how the source is named in messages and in the figures' source column

    @property
    def hive_keys(self) -> list[str]:
        return list(self.hive[0]) if self.hive else []


def _format(path: str) -> str | None:
    name = path.lower()
    if name.endswith(".csv.gz"):
        return "csv"
    suffix = os.path.splitext(name)[1]
    return None if suffix == ".gz" else _FORMATS.get(suffix)


def is_glob(item: str | os.PathLike) -> bool:
    """Whether ``item`` is read as a glob: it has ``*``, ``?`` or ``[`` and is not the
    name of an existing file or directory. A path that exists is always literal
    (``p/q[1]/x.parquet`` is that file, never ``p/q1/x.parquet``).

    Examples
    --------
    >>> is_glob("panel/**/*.parquet"), is_glob(Path("panel/*.parquet")), is_glob("a.csv")
    (True, True, False)
    """
    text = os.fspath(item)
    return any(c in text for c in "*?[") and not os.path.exists(text)


def _expand(item: str | os.PathLike) -> list[str]:
    """The panel files an item names: a glob's or a directory's matches, or the file."""
    text = os.fspath(item)
    if is_glob(item):
        found = sorted(glob.glob(text, recursive=True))
    elif os.path.isdir(text):
        found = sorted(str(p) for p in Path(text).rglob("*") if not p.name.startswith((".", "_")))
    else:
        return [text]
    return [f for f in found if os.path.isfile(f) and _format(f) is not None]


def hive_values(path: str) -> dict[str, str | None]:
    """The ``key=value`` directories of a path, in order.

    Examples
    --------
    >>> hive_values("panel/market=TW/month=2012-01/part-0.parquet")
    {'market': 'TW', 'month': '2012-01'}
    """
    out: dict[str, str | None] = {}
    for part in Path(path).parts[:-1]:
        if "=" in part:
            key, _, value = part.partition("=")
            value = unquote(value)
            out[unquote(key)] = None if value == _HIVE_NULL else value
    return out


def find_files(source: object) -> Files:
    """Resolve ``source`` to its files; DataError if there are none or formats mix."""
    if isinstance(source, (str, os.PathLike)):
        items = [source]
        label = os.fspath(source)
    elif isinstance(source, (list, tuple)) and source:
        items = list(source)
        if not all(isinstance(i, (str, os.PathLike)) for i in items):
            raise TypeError("source must be a path, a glob or a list of paths")
        label = ", ".join(os.fspath(i) for i in items)
    else:
        raise TypeError(
            f"source must be a path, a glob or a list of paths, got {type(source).__name__}"
        )
    paths: list[str] = []
    for item in items:
        found = _expand(item)
        if not found:
            raise DataError(
                "no Parquet or CSV files found",
                file=os.fspath(item),
                hint="give a file, a directory of .parquet/.csv files, or a glob such as "
                "'panel/**/*.parquet'",
            )
        paths.extend(found)
    for path in paths:
        if not os.path.isfile(path):
            raise DataError("no such file", file=path, hint="check the path")
    formats = {_format(p) for p in paths}
    if None in formats:
        bad = next(p for p in paths if _format(p) is None)
        raise DataError(
            "cannot tell the file's format from its name",
            file=bad,
            hint="panels are .parquet or .csv (.csv.gz) files",
        )
    if len(formats) > 1:
        raise DataError(
            "the panel mixes Parquet and CSV files",
            file=label,
            hint="convert them to one format, or read them separately and add the figures",
        )
    hive = tuple(hive_values(p) for p in paths)
    keys = {tuple(h) for h in hive}
    if len(keys) > 1:
        raise DataError(
            f"the files are partitioned by different keys {sorted(keys)}",
            file=label,
            hint="give files of one partitioning scheme",
        )
    return Files(tuple(paths), formats.pop(), hive, label)


def read_file(
    item: tuple[str, dict[str, str | None]],
    *,
    format: str,
    columns: list[str],
    empty: bool = False,
) -> pd.DataFrame:
    """One file (and its hive values) as pandas: the columns asked for.

    CSV cells are read as text (dates and units are parsed afterwards, so that bad cells
    are counted, not fatal); only an empty cell is missing. With ``empty``, only the columns and dtypes.
    """
    path, hive = item
    own = [c for c in columns if c not in hive]
    if format == "parquet":
        import pyarrow.parquet as pq

        if empty:
            table = pq.read_schema(path).empty_table().select(own)
        else:
            table = pq.read_table(path, columns=own)
        # Parquet dates (date32) become datetime64 columns, as in every other engine.
        frame = table.to_pandas(date_as_object=False)
    else:
        frame = pd.read_csv(
            path,
            usecols=own,
            dtype="string",
            nrows=0 if empty else None,
            keep_default_na=False,  # only an empty cell is missing, as in DuckDB:
            na_values=[""],  # "nan", "NA" and "NULL" are text (unreadable units)
        )
    for key in columns:
        if key in hive:
            frame[key] = pd.Series(hive[key], index=frame.index, dtype="string")
    return frame[columns]


def file_columns(files: Files) -> list[str]:
    """The column names of the panel (first file's columns plus the hive keys)."""
    path = files.paths[0]
    try:
        if files.format == "parquet":
            import pyarrow.parquet as pq

            names = list(pq.read_schema(path).names)
        else:
            names = list(pd.read_csv(path, nrows=0).columns)
    except pd.errors.EmptyDataError:
        raise DataError(
            "the file is empty (not even a header line)",
            file=str(path),
            hint="remove it from the panel, or write the header line",
        ) from None
    except Exception as exc:  # pyarrow raises its own types for a damaged Parquet file
        if files.format != "parquet":
            raise
        raise DataError(
            f"cannot read the file as Parquet ({type(exc).__name__})",
            file=str(path),
            hint="check the file, or remove it from the panel",
        ) from None
    return names + [k for k in files.hive_keys if k not in names]

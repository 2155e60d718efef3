"""Engine adapters: open a panel's files, parse text cells, run a reduction.

The reduction itself is one Narwhals pipeline (:mod:`marketdata.panel.reduce`) shared by
every engine. What differs per engine, and lives here, is only the input/output edge:
how files are opened lazily, how text dates and units are parsed with bad cells becoming
null (so they can be counted, not fatal), how the small SKU table is handed over, and
how the result is computed (with progress where the engine offers it) and brought back
to pandas. Sessions the adapter starts (a DuckDB connection, a Dask cluster) are closed
on exit; sessions the caller passes in are left open.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import narwhals as nw
import pandas as pd

from marketdata.panel.sources import Files, read_file

__all__ = [
    "DATE_OUT",
    "DATE_TEXT",
    "DaskEngine",
    "DuckDBEngine",
    "FIRST_YEAR",
    "LAST_YEAR",
    "NUMBER_TEXT",
    "PandasEngine",
    "PanelEngine",
    "UNITS_OUT",
    "from_native",
    "parse_frame",
    "session",
]

DATE_OUT, UNITS_OUT = "__date", "__units"  # parsed columns added next to the raw ones

# One rule for text cells, in every engine (each engine's own casts differ: DuckDB reads
# "1_000" as 1000 and "nan" as NaN, pandas reads "2012-01" and "20120105" as dates).
#: A number of units: an optional sign, digits with an optional point, an optional
#: exponent, spaces around. Not "nan", "inf", "1_000", "1,000" or "0x10".
NUMBER_TEXT = r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$"
#: A date: ISO 8601 year-month-day, optionally with a valid time (00:00-23:59) and a UTC
#: offset. The row counts on the calendar day written: the offset does not move it to
#: another day. Not "2012-01" (no day), "20120105" or "2012-01-05T25:00".
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)"
DATE_TEXT = rf"^\s*[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?:[T ]{_TIME}{_OFFSET}?)?\s*$"
#: Dates outside these years (those pandas' timestamps hold) are unreadable rows.
FIRST_YEAR, LAST_YEAR = 1678, 2261


def from_native(native: Any) -> nw.LazyFrame:
    """Narwhals' lazy view of a native frame (pandas frames are wrapped eagerly)."""
    with warnings.catch_warnings():
        # Narwhals 2.x announces that Dask support moves to the narwhals-dask package; it
        # still works here, and the warning is not the user's to act on.
        warnings.filterwarnings("ignore", message=".*Dask support", category=FutureWarning)
        frame = nw.from_native(native)
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _no_glob(path: str) -> str:
    """A file path with DuckDB's glob characters escaped: it names that file only.

    Examples
    --------
    >>> _no_glob("p/q[1]/x?.parquet")
    'p/q[[]1]/x[?].parquet'
    """
    return "".join(f"[{c}]" if c in "*?[" else c for c in path)


def parse_frame(
    frame: pd.DataFrame, *, date: str | None, units: str | None, date_format: str | None
) -> pd.DataFrame:
    """Add the parsed date and units columns to a pandas frame; bad cells become NaT/NaN.

    Examples
    --------
    >>> f = parse_frame(pd.DataFrame({"d": ["2012-01-05", "5/1/12"], "u": ["3", "x"]}),
    ...                 date="d", units="u", date_format=None)
    >>> f["__date"].tolist(), f["__units"].tolist()
    ([Timestamp('2012-01-05 00:00:00'), NaT], [3.0, nan])
    """
    frame = frame.copy()
    if date is not None:
        text = frame[date].astype("string")
        if date_format is None:  # DATE_TEXT, read as the calendar day written
            text = text.where(text.str.fullmatch(DATE_TEXT).fillna(False).astype(bool))
            text, date_format = text.str.strip().str.slice(0, 10), "%Y-%m-%d"
        parsed = pd.to_datetime(text, errors="coerce", format=date_format)
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        frame[DATE_OUT] = parsed.astype("datetime64[ns]")
    if units is not None:
        text = frame[units].astype("string")
        text = text.where(text.str.fullmatch(NUMBER_TEXT).fillna(False).astype(bool))
        frame[UNITS_OUT] = pd.to_numeric(text.str.strip(), errors="coerce").astype("float64")
    return frame


class PanelEngine:
    """The input/output edge of one engine (see the module docstring)."""

    name = "?"
    counts_parquet_rows_cheaply = False  # from Parquet metadata, without a scan
    examples_in_one_scan = False  # min(when(flag).then(value)) over every reason at once

    def open(self, files: Files, columns: list[str]) -> Any:
        """The native lazy frame of the given columns of the panel."""
        raise NotImplementedError

    def parse(self, native: Any, *, date: str | None, units: str | None, fmt: str | None) -> Any:
        """Add parsed ``__date`` (timestamp) / ``__units`` (float) columns from text."""
        raise NotImplementedError

    def table(self, frame: pd.DataFrame) -> Any:
        """A small pandas frame as a native frame of this engine (for joins)."""
        raise NotImplementedError

    def float_units(self) -> None:
        """Prepare for float units, where NaN must count as missing."""

    def collect(self, lazy: nw.LazyFrame) -> pd.DataFrame:
        """Compute a (small) result and return it as pandas."""
        return lazy.collect(backend="pandas").to_native()


class DuckDBEngine(PanelEngine):
    name = "duckdb"
    counts_parquet_rows_cheaply = True
    examples_in_one_scan = True

    def __init__(self, con: Any, progress: bool) -> None:
        self.con = con
        self.con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
        if progress:
            self.con.execute("SET enable_progress_bar_print = true")

    def open(self, files: Files, columns: list[str]) -> Any:
        paths = "[" + ", ".join(_literal(_no_glob(p)) for p in files.paths) + "]"
        options = []
        if files.hive_keys:
            options.append("hive_partitioning = true, hive_types_autocast = false")
        else:
            options.append("hive_partitioning = false")
        if files.format == "parquet":
            reader = f"read_parquet({paths}, {', '.join(options)})"
        else:
            reader = f"read_csv({paths}, header = true, all_varchar = true, {', '.join(options)})"
        select = ", ".join(_quote(c) for c in columns)
        return self.con.sql(f"SELECT {select} FROM {reader}")

    def parse(self, native: Any, *, date: str | None, units: str | None, fmt: str | None) -> Any:
        extra = []
        if date is not None:
            if fmt is None:  # DATE_TEXT, read as the calendar day written
                day = f"TRY_CAST(substr(trim({_quote(date)}), 1, 10) AS DATE)::TIMESTAMP"
                test = f"regexp_full_match({_quote(date)}, {_literal(DATE_TEXT)})"
                extra.append(f"CASE WHEN {test} THEN {day} END AS {DATE_OUT}")
            else:
                extra.append(f"try_strptime({_quote(date)}, {_literal(fmt)}) AS {DATE_OUT}")
        if units is not None:
            test = f"regexp_full_match({_quote(units)}, {_literal(NUMBER_TEXT)})"
            number = f"TRY_CAST(trim({_quote(units)}) AS DOUBLE)"
            extra.append(f"CASE WHEN {test} THEN {number} END AS {UNITS_OUT}")
        return native.project(", ".join(["*", *extra])) if extra else native

    def table(self, frame: pd.DataFrame) -> Any:
        return self.con.from_df(frame)

    def float_units(self) -> None:
        # DuckDB (1.x/2.0) folds isnan(x) to false when Parquet statistics (which leave NaN
        # out of min/max) say the column has none, so NaN units would be summed. Turning
        # statistics propagation off keeps the check; it is restored on session exit.
        current = self.con.sql("SELECT current_setting('disabled_optimizers')").fetchall()[0][0]
        if "statistics_propagation" not in current:
            self.restore = current
            disabled = ", ".join(filter(None, [current, "statistics_propagation"]))
            self.con.execute(f"SET disabled_optimizers = {_literal(disabled)}")

    def close(self) -> None:
        if getattr(self, "restore", None) is not None:
            self.con.execute(f"SET disabled_optimizers = {_literal(self.restore)}")


class PandasEngine(PanelEngine):
    name = "pandas"

    def open(self, files: Files, columns: list[str]) -> Any:
        parts = [
            read_file(item, format=files.format, columns=columns)
            for item in zip(files.paths, files.hive, strict=True)
        ]
        return pd.concat(parts, ignore_index=True)

    def parse(self, native: Any, *, date: str | None, units: str | None, fmt: str | None) -> Any:
        return parse_frame(native, date=date, units=units, date_format=fmt)

    def table(self, frame: pd.DataFrame) -> Any:
        return frame


class DaskEngine(PanelEngine):
    name = "dask"

    def __init__(self, client: Any, progress: bool) -> None:
        self.client = client
        self.progress = progress

    def open(self, files: Files, columns: list[str]) -> Any:
        import dask.dataframe as dd

        items = list(zip(files.paths, files.hive, strict=True))
        read = partial(read_file, format=files.format, columns=columns)
        meta = read(items[0], empty=True)
        return dd.from_map(read, items, meta=meta, label="read-panel")

    def parse(self, native: Any, *, date: str | None, units: str | None, fmt: str | None) -> Any:
        if date is None and units is None:
            return native
        parse = partial(parse_frame, date=date, units=units, date_format=fmt)
        return native.map_partitions(parse, meta=parse(native._meta))

    def table(self, frame: pd.DataFrame) -> Any:
        import dask.dataframe as dd

        return dd.from_pandas(frame, npartitions=1)

    def collect(self, lazy: nw.LazyFrame) -> pd.DataFrame:
        import dask

        # Dask may group by with a shuffle of the partial sums (split_out > 1 for several
        # keys); the partial sums are small, and a task shuffle avoids the P2P shuffle's
        # start-up and log noise.
        with dask.config.set({"dataframe.shuffle.method": "tasks"}):
            future = self.client.compute(nw.to_native(lazy))
        if self.progress:
            from distributed import progress

            progress(future)
        return future.result()


@contextmanager
def session(
    engine: str,
    *,
    client: Any = None,
    memory_limit: str | int | None = None,
    temp_directory: str | os.PathLike | None = None,
    progress: bool = False,
) -> Iterator[PanelEngine]:
    """The adapter of an engine, with its session opened (and closed if we opened it)."""
    if engine != "duckdb" and (memory_limit is not None or temp_directory is not None):
        raise ValueError("memory_limit= and temp_directory= are options of engine='duckdb'")
    if engine == "duckdb":
        import duckdb

        if client is not None:
            if not isinstance(client, duckdb.DuckDBPyConnection):
                raise TypeError(
                    f"with engine='duckdb', client= is a duckdb connection, got "
                    f"{type(client).__name__}"
                )
            if memory_limit is not None or temp_directory is not None:
                raise ValueError(
                    "set memory_limit and temp_directory on your own duckdb connection "
                    "(SET memory_limit = '1GB'), or pass no client="
                )
            adapter = DuckDBEngine(client, progress)
            try:
                yield adapter
            finally:
                adapter.close()
            return
        config = {}
        if memory_limit is not None:
            if isinstance(memory_limit, bool) or not isinstance(memory_limit, (str, int)):
                raise TypeError("memory_limit is a size such as '1GB' or a number of bytes")
            config["memory_limit"] = (
                f"{memory_limit}B" if isinstance(memory_limit, int) else memory_limit
            )
        if temp_directory is not None:
            config["temp_directory"] = os.fspath(temp_directory)
        con = duckdb.connect(":memory:", config=config)
        try:
            yield DuckDBEngine(con, progress)
        finally:
            con.close()
    elif engine == "pandas":
        if client is not None:
            raise ValueError("engine='pandas' runs in this process; it takes no client=")
        yield PandasEngine()
    elif engine == "dask":
        with _dask_client(client) as dask_client:
            yield DaskEngine(dask_client, progress)
    else:  # make_spec has checked the name already
        raise ValueError(f"unknown engine {engine!r}")


@contextmanager
def _dask_client(client: Any) -> Iterator[Any]:
    """The given Client; a Client of the given scheduler address; or a LocalCluster's."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(
            "engine='dask' needs dask.distributed: pip install 'marketshare[dask]'"
        ) from None
    if isinstance(client, Client):
        yield client
        return
    if client is not None and not isinstance(client, str):
        raise TypeError(
            "with engine='dask', client= is a distributed.Client or a scheduler address "
            f"('tcp://host:8786'), got {type(client).__name__}"
        )
    cluster = None
    if client is None:
        # In-process workers start fast and share memory with this process; for data too
        # big for one machine, start a cluster and pass its Client or address.
        cluster = LocalCluster(processes=False, dashboard_address=":0")
        own = Client(cluster)
    else:
        own = Client(client)
    try:
        yield own
    finally:
        own.close()
        if cluster is not None:
            cluster.close()

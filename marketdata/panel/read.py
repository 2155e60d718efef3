"""``read_panel``: reduce a sell-through panel to a figures frame inside an engine."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from typing import Any, NamedTuple

import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.names import brand_name, market_code
from marketdata.panel import engines
from marketdata.panel.reduce import (
    GOOD_ROWS,
    GOOD_SUM,
    KEY_BRAND,
    KEY_MARKET,
    KEY_PERIOD,
    Plan,
    tally,
)
from marketdata.panel.sources import file_columns, find_files
from marketdata.panel.spec import (
    BRAND,
    MARKET,
    REASONS,
    SKU,
    check_sku_map,
    make_spec,
    period_bounds,
)
from marketdata.validate import validate


class PanelLoaded(NamedTuple):
    """What ``read_panel(..., errors="collect")`` returns.

    ``figures`` holds the good rows' figures. ``rejected`` has one row per problem found:
    ``reason``, the panel ``column`` holding it, the number of ``rows`` with it, an
    ``example`` value (the smallest offending one, where there is a value to show) and a
    ``hint``. A row with two problems counts under both, except that a row without a
    brand counts under ``no_brand`` only. ``rejected.attrs`` holds ``rows_read`` and
    ``rows_rejected`` (rows with at least one problem).
    """

    figures: pd.DataFrame
    rejected: pd.DataFrame


def read_panel(
    source: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    columns: Mapping[str, str] | None = None,
    by: Iterable[str] | str = (s.BRAND, s.MARKET),
    period: str = "M",
    engine: str = "duckdb",
    sku_map: pd.DataFrame | Mapping[Any, str] | None = None,
    errors: str = "raise",
    market: str | None = None,
    metric: str = s.SALES,
    date_format: str | None = None,
    memory_limit: str | int | None = None,
    temp_directory: str | os.PathLike | None = None,
    client: Any = None,
    progress: bool = False,
) -> pd.DataFrame | PanelLoaded:
    """Reduce a sell-through panel (store x SKU x week rows) to brand x market x period units.

    The group-by runs inside the engine, out of core where the engine allows; only the
    reduced frame (one row per brand, market and period) comes back to pandas. Each panel
    row counts in the period that contains its date (a week that straddles two months
    counts in the month of its date; it is not split).

    Parameters
    ----------
    source : path, glob or list of paths
        Parquet (``.parquet``) or CSV (``.csv``, ``.csv.gz``) files, or a directory of
        them. A path that exists is read as it is written, even with ``[``, ``*`` or
        ``?`` in its name; only a path with those characters that names no existing file
        or directory is a glob (``"panel/**/*.parquet"``). Hive partitions
        (``market=TW/part-0.parquet``) become text columns named by their keys.
    columns : mapping, optional
        The panel's column names -> roles: ``"brand"``, ``"sku"``, ``"market"``,
        ``"date"``, ``"units"``. A column already named as its role needs no entry.
    by : {("brand", "market"), "brand", "market"}
        What to group by besides the period. Without ``"market"``, give ``market=``;
        without ``"brand"`` the figures are market totals (brand NA).
    period : {"M", "Q", "Y"}
        Months, calendar quarters or calendar years.
    engine : {"duckdb", "pandas", "dask"}
        ``"duckdb"`` (default) scans out of core in this process; ``"pandas"`` reads the
        needed columns into memory (small panels); ``"dask"`` runs on a
        ``dask.distributed`` cluster (``pip install 'marketshare[dask]'``). The reduction
        is the same Narwhals pipeline on each, text cells are read by one rule (see
        Notes), and they return the same figures and the same counts of bad rows.
        (``"spark"`` was removed: no test ever ran it.)
    sku_map : DataFrame [sku, brand] or dict, optional
        The brand of each SKU, for panels that have SKUs but no brand column.
    errors : {"raise", "collect"}
        ``"raise"``: a :class:`DataError` names the first problem, the column, an
        offending value and how many rows have it. ``"collect"``: drop the bad rows and
        return ``(figures, rejected)`` with counts per reason (see :class:`PanelLoaded`).
        The counts are computed in the engine in the same scan as the figures. A missing
        column is always an error.
    market : str, optional
        The market of a one-market panel (with ``by="brand"``), e.g. ``"TW"`` or ``"WW"``.
    metric : {"sales", "shipments", "demand"}
        What the units count; point-of-sale panels are sell-through, ``"sales"``.
    date_format : str, optional
        strftime format of text dates (``"%d/%m/%Y"``); default ISO 8601 (see Notes).
    memory_limit, temp_directory : optional
        DuckDB's memory limit (``"1GB"`` or bytes) and where it spills beyond it.
    client : optional
        ``engine="dask"``: a ``distributed.Client`` or a scheduler address; without one,
        a ``LocalCluster`` is started and closed afterwards. ``engine="duckdb"``: a
        duckdb connection to use.
    progress : bool
        Show the engine's progress bar (DuckDB's, dask.distributed's).

    Returns
    -------
    DataFrame or PanelLoaded
        A validated figures frame (basis ``"period"``, status ``"actual"``, source = the
        panel's path), sorted by market, start and brand; brand and market names in
        canonical form (:func:`~marketdata.brand_name`, :func:`~marketdata.market_code`,
        applied to the distinct names of the reduced frame). With ``errors="collect"``,
        ``(figures, rejected)``.

    Raises
    ------
    DataError
        A column the reduction needs is missing; or (``errors="raise"``) rows with no
        date, an unreadable date, missing, unreadable or negative units, no brand (a SKU
        missing from ``sku_map``) or no market.

    Notes
    -----
    Every engine reads text cells (CSV, or text columns in Parquet) by one rule, so that
    they return the same figures and the same counts of bad rows:

    - units: an optional sign, digits with an optional point and an optional exponent,
      spaces around allowed (``"5"``, ``" 7 "``, ``"1e3"``). Anything else (``"nan"``,
      ``"inf"``, ``"1_000"``, ``"1,000"``) is an unreadable number; only an empty cell
      is missing.
    - dates (without ``date_format=``): ISO 8601 year-month-day, optionally with a valid
      time and a UTC offset; the row counts on the calendar day written, the offset does not
      move it (``"2012-01-31T23:00-05:00"`` is a January sale). ``"2012-01"`` (no day)
      and ``"20120105"`` are unreadable.
    - dates of any type outside the years 1678-2261 are unreadable rows.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({
    ...     "store": [1, 1, 2, 2], "sku": ["A1", "B2", "A1", "B2"],
    ...     "country": ["Taiwan", "Taiwan", "Taiwan", "Taiwan"],
    ...     "week": pd.to_datetime(["2012-07-02", "2012-07-02", "2012-07-09", "2012-10-01"]),
    ...     "qty": [5, 3, 4, 7]}).to_parquet(folder / "pos.parquet")
    >>> figures = read_panel(folder, columns={"country": "market", "week": "date",
    ...                      "qty": "units"}, sku_map={"A1": "HTC", "B2": "Samsung"},
    ...                      period="Q")
    >>> figures[["brand", "market", "start", "end", "units"]]
         brand market      start        end  units
    0      HTC     TW 2012-07-01 2012-09-30    9.0
    1  Samsung     TW 2012-07-01 2012-09-30    3.0
    2  Samsung     TW 2012-10-01 2012-12-31    7.0
    >>> import shutil
    >>> shutil.rmtree(folder)
    """
    if metric not in s.METRICS:
        raise ValueError(f"metric must be one of {list(s.METRICS)}, got {metric!r}")
    if not isinstance(progress, bool):
        raise TypeError(f"progress is True or False, got {progress!r}")
    files = find_files(source)
    spec = make_spec(
        columns,
        by=by,
        period=period,
        engine=engine,
        errors=errors,
        market=market,
        sku_map=sku_map,
        date_format=date_format,
        available=file_columns(files),
        source=files.label,
    )
    if sku_map is not None and BRAND not in spec.by:
        raise ValueError("sku_map= gives brands, but by= has no 'brand'")
    table = check_sku_map(sku_map) if sku_map is not None else None
    with (
        engines.session(
            engine,
            client=client,
            memory_limit=memory_limit,
            temp_directory=temp_directory,
            progress=progress,
        ) as adapter,
        _engine_errors(files.label),
    ):
        native = adapter.open(files, spec.needed)
        plan = Plan(
            adapter,
            native,
            spec,
            sku_map=table,
            source=files.label,
            count_rows=adapter.counts_parquet_rows_cheaply and files.format == "parquet",
        )
        reduced = adapter.collect(plan.grouped())
        total = plan.rows_unjoined()
        good, counts, rows_read = tally(reduced, plan, spec.period, rows_total=total)
        found = [r for r, n in counts.items() if n > 0]
        examples = plan.examples_of(found) if found else {}
    rows_rejected = rows_read - int(good[GOOD_ROWS].sum())
    rejected = _summary(spec, counts, examples, rows_read, rows_rejected)
    if errors == "raise" and len(rejected):
        _raise(rejected, rows_read, files.label)
    figures = _figures(good, spec, metric, files.label)
    if errors == "collect":
        return PanelLoaded(figures, rejected)
    return figures


@contextmanager
def _engine_errors(label: str):
    """The engines' own errors on unreadable files (a damaged or empty file further in
    the list, files whose columns differ) as a DataError naming the panel."""
    import duckdb
    import pyarrow as pa

    try:
        yield
    except (
        duckdb.Error,
        pa.ArrowException,
        pd.errors.EmptyDataError,
        pd.errors.ParserError,
    ) as exc:
        raise DataError(
            "the engine could not read the panel "
            f"({type(exc).__name__}: {str(exc).splitlines()[0][:300]})",
            file=label,
            hint="check that every file of the panel is readable and has the same columns",
        ) from exc


def _summary(spec, counts, examples, rows_read, rows_rejected) -> pd.DataFrame:
    rows = []
    for reason, role, _, hint in REASONS:
        if counts.get(reason, 0) > 0:
            column = spec.names[SKU] if role == BRAND and spec.brand_from_sku else spec.names[role]
            rows.append((reason, column, counts[reason], examples.get(reason), hint))
    out = pd.DataFrame(
        {
            "reason": pd.Series([r[0] for r in rows], dtype="string"),
            "column": pd.Series([r[1] for r in rows], dtype="string"),
            "rows": pd.Series([r[2] for r in rows], dtype="int64"),
            "example": pd.Series([r[3] for r in rows], dtype=object),
            "hint": pd.Series([r[4] for r in rows], dtype="string"),
        }
    )
    out.attrs["rows_read"] = rows_read
    out.attrs["rows_rejected"] = rows_rejected
    return out


def _raise(rejected: pd.DataFrame, rows_read: int, label: str) -> None:
    what = {r[0]: r[2] for r in REASONS}
    first = rejected.iloc[0]
    example = first["example"]
    shown = f" (e.g. {example!r})" if example is not None else ""
    others = "; ".join(f"{row.rows} {what[row.reason]}" for row in rejected.iloc[1:].itertuples())
    raise DataError(
        f"{first['rows']} of {rows_read} rows {what[first['reason']]}{shown}"
        + (f"; also {others}" if others else ""),
        file=label,
        column=first["column"],
        value=example,
        hint=first["hint"] + "; or pass errors='collect' to drop bad rows and count them",
    )


def _figures(good: pd.DataFrame, spec, metric: str, label: str) -> pd.DataFrame:
    n = len(good)
    if BRAND in spec.by:
        brand = brand_name(good[KEY_BRAND].astype("string").reset_index(drop=True))
    else:
        brand = pd.Series(pd.NA, index=range(n), dtype="string")
    if MARKET in spec.by:
        market = market_code(good[KEY_MARKET].astype("string").reset_index(drop=True))
    else:
        market = pd.Series(market_code(spec.market), index=range(n), dtype="string")
    start, end = period_bounds(good[KEY_PERIOD].reset_index(drop=True), spec.period)
    frame = pd.DataFrame(
        {
            s.BRAND: brand,
            s.MARKET: market,
            s.START: start,
            s.END: end,
            s.UNITS: good[GOOD_SUM].to_numpy(dtype="float64"),
        }
    )
    # Two spellings of one brand ("Mi", "Xiaomi") are one brand once named.
    keys = [s.BRAND, s.MARKET, s.START, s.END]
    frame = frame.groupby(keys, dropna=False, sort=False, as_index=False)[s.UNITS].sum()
    frame[s.BASIS] = s.PERIOD
    frame[s.STATUS] = s.ACTUAL
    frame[s.METRIC] = metric
    frame[s.SOURCE] = label
    frame = frame.sort_values([s.MARKET, s.START, s.BRAND], na_position="first")
    return validate(frame.reset_index(drop=True)[list(s.COLUMNS)])

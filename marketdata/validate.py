"""``validate``: check a figures frame and give it its canonical dtypes.

One contract for every entry point: loaders call ``validate(frame)``; analyses call
:func:`check_rows` once at their boundary with what they need (``require=("one_metric",)``
...), instead of repeating their own checks. ``validate`` runs the same row checks, then
the schema's (basis, status, source).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError

__all__ = ["REQUIREMENTS", "check_rows", "validate"]

_SHOW = 5  # how many offending rows an error message lists
_TEXT = pd.StringDtype("pyarrow")
REQUIREMENTS = ("units", "share", "market_size", "brands", "one_metric")


def _listed(rows: list[int]) -> str:
    """'row 3' or 'rows 3, 7, 9' (1-based, at most _SHOW listed)."""
    text = ", ".join(map(str, rows[:_SHOW]))
    if len(rows) > _SHOW:
        text += f" and {len(rows) - _SHOW} more"
    return ("row " if len(rows) == 1 else "rows ") + text


def _fail(frame: pd.DataFrame, mask, column: str, problem: str, hint: str, positions=None) -> None:
    """Raise a DataError naming the rows where ``mask`` is True (if any).

    ``positions`` (the rows of the caller's frame that ``frame`` holds) numbers the rows
    as the caller counts them.
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return
    where = np.flatnonzero(mask)
    value = frame[column].iloc[int(where[0])] if column in frame.columns else None
    if isinstance(value, np.generic):
        value = value.item()  # 20.0, not np.float64(20.0), in the message
    if positions is not None:
        where = np.asarray(positions)[where]
    rows = [int(i) + 1 for i in where]
    raise DataError(
        f"{problem} (value {value!r}); {_listed(rows)}",
        row=rows[0],
        column=column,
        value=value,
        hint=hint,
    )


def _is_canonical_category(dtype, allowed: tuple[str, ...]) -> bool:
    """Whether ``dtype`` is already the categorical dtype that validate gives ``allowed``."""
    if not isinstance(dtype, pd.CategoricalDtype) or dtype.ordered:
        return False
    canonical = pd.CategoricalDtype(list(allowed))
    return (
        dtype.categories.dtype == canonical.categories.dtype
        and dtype.categories.tolist() == list(allowed)
    )


def _require(out: pd.DataFrame, require: Sequence[str]) -> None:
    """Check what an analysis needs of the figures (see :data:`REQUIREMENTS`)."""
    if isinstance(require, str) or not all(isinstance(r, str) for r in require):
        raise TypeError(f"require= must be a tuple of texts, got {require!r}")
    unknown = [r for r in require if r not in REQUIREMENTS]
    if unknown:
        raise ValueError(f"unknown requirement(s) {unknown}; choose from {list(REQUIREMENTS)}")
    if s.UNITS in require and s.UNITS not in out.columns:
        raise DataError(
            "these figures are shares, and units are needed",
            column=s.SHARE,
            hint="load a file of units, or give the market size to turn shares into units",
        )
    if s.SHARE in require and s.SHARE not in out.columns:
        raise DataError(
            "these figures are units, and shares are needed",
            column=s.UNITS,
            hint="compute shares from units with analysis.market_share",
        )
    if "market_size" in require and not (s.UNITS in out.columns and out[s.BRAND].isna().any()):
        raise DataError(
            "no market size: no figure in units has brand NA (the whole market)",
            column=s.BRAND,
            hint="add the market's total units (a Total row, or a file without a brand "
            "column read with market=)",
        )
    if "brands" in require and not out[s.BRAND].notna().any():
        raise DataError(
            "no brand figures: every figure is a market size (brand NA)",
            column=s.BRAND,
            hint="a file of one brand's figures needs brand= (read(..., brand='Xiaomi'))",
        )
    if "one_metric" in require:
        metrics = out[s.METRIC].dropna().unique().tolist()
        if len(metrics) > 1:
            first = int(np.flatnonzero((out[s.METRIC] != out[s.METRIC].iloc[0]).to_numpy())[0])
            raise DataError(
                f"the figures mix metrics {sorted(map(str, metrics))}: they measure different "
                "things (sell-in shipments, sell-through sales, web usage, installed base)",
                row=first + 1,
                column=s.METRIC,
                value=str(out[s.METRIC].iloc[first]),
                hint="select one metric, e.g. figures[figures['metric'] == 'shipments']",
            )


def _dates(out: pd.DataFrame, column: str) -> None:
    try:
        out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    except (ValueError, TypeError) as exc:
        raise DataError(
            f"column {column!r} does not hold dates ({exc})",
            column=column,
            hint="parse periods with marketdata.parse_period",
        ) from None


def _numbers(out: pd.DataFrame, column: str) -> np.ndarray:
    try:
        out[column] = pd.to_numeric(out[column]).astype("float64")
    except (ValueError, TypeError):
        raise DataError(
            f"column {column!r} does not hold numbers",
            column=column,
            hint="parse text with marketdata.parse_units, or load with marketdata.read",
        ) from None
    return out[column].to_numpy()


def check_rows(
    frame: pd.DataFrame,
    *,
    values: Sequence[str] | None = None,
    rows=None,
    require: Sequence[str] = (),
) -> pd.DataFrame:
    """Check the rows of a figures frame an analysis reads; return them with numeric dtypes.

    The row checks of :func:`validate`, without its schema ones (basis, status, source):
    dates parse, ``end`` is given, ``start`` (NaT = since launch) is not after ``end``,
    ``market`` is given, and each row's value is a finite number >= 0 (a share at most 1).

    Parameters
    ----------
    frame : DataFrame
        Figures with ``market``, ``end`` and ``units`` and/or ``share`` (``start`` if
        absent is NaT). It is not modified.
    values : tuple of str, optional
        The value columns, in order of preference: each row's value is the first of them
        it gives, and a row giving none is refused. Default: ``units`` and ``share``,
        those the frame has (a frame may give units in some rows and shares in others).
    rows : array of int, optional
        Check only these row positions (messages still number the rows of ``frame``).
    require : tuple of str, optional
        As for :func:`validate` (:data:`REQUIREMENTS`), e.g. ``("one_metric",)``.

    Returns
    -------
    DataFrame
        The checked rows (a copy), ``start``/``end`` as datetime64[ns] and the value
        columns as float64.

    Raises
    ------
    DataError
        Naming the rows (1-based), the column and the first offending value.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"market": ["CN", "CN"], "start": [None, None],
    ...                   "end": ["2012-06-30", "2012-06-30"],
    ...                   "units": [3e6, None], "share": [None, 0.2]})
    >>> check_rows(f)["end"].dtype
    dtype('<M8[ns]')
    >>> check_rows(f.assign(share=[None, 20.0]))
    Traceback (most recent call last):
    ...
    marketdata.errors.DataError: row 2, column 'share': share is above 1 (value 20.0); row 2; shares are fractions 0-1: ...
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"check_rows expects a pandas DataFrame, got {type(frame).__name__}")
    if values is None:
        values = [c for c in (s.UNITS, s.SHARE) if c in frame.columns]
    missing = [c for c in (s.MARKET, s.END) if c not in frame.columns]
    if missing or not values or any(c not in frame.columns for c in values):
        raise DataError(
            f"the figures frame lacks the column(s) "
            f"{missing + [c for c in values if c not in frame.columns] or ['units or share']}",
            hint="load figures with marketdata (datasets.load, read, from_frame) or give "
            "market, start, end and units (or share) columns",
        )
    positions = None
    out = frame.copy(deep=False)  # copy-on-write: setting a column never touches `frame`
    if rows is not None:
        positions = np.asarray(rows, dtype=np.int64)
        out = frame.iloc[positions].copy(deep=False)
    if s.START not in out.columns:
        out[s.START] = pd.NaT
    for column in (s.START, s.END):
        _dates(out, column)
    _fail(
        out,
        out[s.MARKET].isna().to_numpy(),
        s.MARKET,
        "market is missing",
        "give a market code (TW, CN, US, WW ...) or pass market= to the loader",
        positions,
    )
    _fail(
        out,
        out[s.END].isna().to_numpy(),
        s.END,
        "end date is missing",
        "every figure needs the last day it covers",
        positions,
    )
    late = (out[s.START] > out[s.END]).to_numpy()
    _fail(out, late, s.START, "start is after end", "swap start and end", positions)
    pending = np.ones(len(out), dtype=bool)  # rows whose value is not yet found
    for k, column in enumerate(values):
        v = _numbers(out, column)
        last = k == len(values) - 1
        used = pending & ~np.isnan(v)
        if last:
            problem = f"{column} is missing or not finite"
            if len(values) > 1:
                problem = f"the row gives no finite value: neither {' nor '.join(values)}"
            _fail(
                out,
                pending & ~np.isfinite(v),
                column,
                problem,
                "give a number, or drop the row and say why",
                positions,
            )
            used = pending
        _fail(
            out,
            used & ~np.isfinite(v),
            column,
            f"{column} is not finite",
            "give a number, or drop the row and say why",
            positions,
        )
        _fail(
            out,
            used & (v < 0),
            column,
            f"{column} is negative",
            "units and shares are counts, never negative",
            positions,
        )
        if column == s.SHARE:
            _fail(
                out,
                used & (v > 1),
                column,
                "share is above 1",
                "shares are fractions 0-1: divide percentages by 100 (read(..., percent=True))",
                positions,
            )
        pending &= ~used
    _require(out, require)
    return out


def validate(frame: pd.DataFrame, *, require: Sequence[str] = ()) -> pd.DataFrame:
    """Check a figures frame and return a copy with the canonical dtypes.

    A figures frame has one row per reported figure and the columns of
    :mod:`marketdata.schema`: ``brand`` (NA = the whole market), ``market``, ``start``
    (NaT = since launch), ``end``, ``units`` (or ``share``, a fraction), ``basis``,
    ``status``, ``metric`` and ``source``. Other columns are kept as they are.

    Parameters
    ----------
    frame : DataFrame
        The figures to check. It is not modified.
    require : tuple of str, optional
        What the caller needs besides a valid frame: ``"units"`` (figures in units),
        ``"share"`` (figures in shares), ``"market_size"`` (units with brand NA),
        ``"brands"`` (figures with a brand), ``"one_metric"`` (a single metric).

    Returns
    -------
    DataFrame
        A new frame with string, datetime, float and categorical dtypes set.

    Raises
    ------
    DataError
        Naming the first offending row, the column and the value, with the rows affected.

    Examples
    --------
    >>> import pandas as pd
    >>> f = validate(pd.DataFrame({
    ...     "brand": ["Xiaomi"], "market": ["CN"], "start": [pd.NaT],
    ...     "end": [pd.Timestamp("2012-06-12")], "units": [3e6], "basis": ["cumulative"],
    ...     "status": ["actual"], "metric": ["shipments"], "source": ["news report"]}))
    >>> list(f["basis"].cat.categories)
    ['period', 'cumulative', 'unclear']
    >>> f["units"].dtype
    dtype('float64')
    >>> validate(f, require=("market_size",))
    Traceback (most recent call last):
    ...
    marketdata.errors.DataError: column 'brand': no market size: no figure in units has brand NA (the whole market); add the market's total units (a Total row, or a file without a brand column read with market=)
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"validate expects a pandas DataFrame, got {type(frame).__name__}")
    value_column = s.UNITS if s.UNITS in frame.columns else s.SHARE
    required = [c for c in s.COLUMNS if c != s.UNITS] + [value_column]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"the figures frame lacks the column(s) {missing}",
            hint="load files with marketdata.read or marketdata.from_frame, which fill "
            "defaults (market=, status=, metric=, source=)",
        )
    out = frame.copy(deep=False)  # copy-on-write: setting a column never touches `frame`
    for column in (s.BRAND, s.MARKET, s.SOURCE):  # Arrow strings: no work for a loader's
        out[column] = out[column].astype(_TEXT)  # (a Python str each would cost 50+ bytes)
    for column, allowed in s.CATEGORIES.items():
        problem, hint = f"{column} must be one of {list(allowed)}", f"set {column} to one of these"
        if _is_canonical_category(out[column].dtype, allowed):  # as loaders make it: check NA
            _fail(out, out[column].cat.codes.to_numpy() < 0, column, problem, hint)
            continue
        values = out[column].astype("string")
        _fail(
            out, ~values.isin(allowed).to_numpy(dtype=bool, na_value=False), column, problem, hint
        )
        out[column] = pd.Categorical(values, categories=list(allowed))
    source = out[s.SOURCE].astype("string")
    _fail(
        out,
        (source.isna() | (source == "")).to_numpy(dtype=bool, na_value=True),
        s.SOURCE,
        "source is missing",
        "say where the figure came from (a report, a URL); charts cite it",
    )
    out = check_rows(out, values=(value_column,))
    no_start = (out[s.START].isna() & (out[s.BASIS] == s.PERIOD)).to_numpy()
    _fail(
        out,
        no_start,
        s.START,
        "a per-period figure needs a start date",
        "give the period's first day, or set basis='cumulative' for a to-date figure",
    )
    _require(out, require)
    return out

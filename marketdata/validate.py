"""``validate``: check a figures frame and give it its canonical dtypes.

One contract for every entry point: loaders call ``validate(frame)``; analyses call it
once with what they need (``require=("units",)``, ``("share",)``, ``("market_size",)``,
``("one_metric",)``), instead of repeating their own checks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError

__all__ = ["REQUIREMENTS", "validate"]

_SHOW = 5  # how many offending rows an error message lists
_TEXT = pd.StringDtype("pyarrow")
REQUIREMENTS = ("units", "share", "market_size", "brands", "one_metric")


def _rows(mask: np.ndarray) -> list[int]:
    """1-based positions of the True entries, as a user counts rows."""
    return [int(i) + 1 for i in np.flatnonzero(mask)]


def _fail(frame: pd.DataFrame, mask, column: str, problem: str, hint: str) -> None:
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return
    rows = _rows(mask)
    first = rows[0] - 1
    value = frame[column].iloc[first] if column in frame.columns else None
    listed = ", ".join(map(str, rows[:_SHOW])) + (
        f" and {len(rows) - _SHOW} more" if len(rows) > _SHOW else ""
    )
    raise DataError(
        f"{problem} (value {value!r}; rows {listed})",
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
    for column in (s.START, s.END):
        try:
            out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
        except (ValueError, TypeError) as exc:
            raise DataError(
                f"column {column!r} does not hold dates ({exc})",
                column=column,
                hint="parse periods with marketdata.parse_period",
            ) from None
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
    _fail(
        out,
        out[s.MARKET].isna().to_numpy(),
        s.MARKET,
        "market is missing",
        "give a market code (TW, CN, US, WW ...) or pass market= to the loader",
    )
    source = out[s.SOURCE].astype("string")
    _fail(
        out,
        (source.isna() | (source == "")).to_numpy(dtype=bool, na_value=True),
        s.SOURCE,
        "source is missing",
        "say where the figure came from (a report, a URL); charts cite it",
    )
    _fail(
        out,
        out[s.END].isna().to_numpy(),
        s.END,
        "end date is missing",
        "every figure needs the last day it covers",
    )
    late = (out[s.START] > out[s.END]).to_numpy()
    _fail(out, late, s.START, "start is after end", "swap start and end")
    no_start = (out[s.START].isna() & (out[s.BASIS] == s.PERIOD)).to_numpy()
    _fail(
        out,
        no_start,
        s.START,
        "a per-period figure needs a start date",
        "give the period's first day, or set basis='cumulative' for a to-date figure",
    )
    try:
        values = pd.to_numeric(out[value_column]).astype("float64")
    except (ValueError, TypeError):
        raise DataError(
            f"column {value_column!r} does not hold numbers",
            column=value_column,
            hint="parse text with marketdata.parse_units, or load with marketdata.read",
        ) from None
    out[value_column] = values
    v = values.to_numpy()
    _fail(
        out,
        ~np.isfinite(v),
        value_column,
        f"{value_column} is missing or not finite",
        "give a number, or drop the row and say why",
    )
    _fail(
        out,
        v < 0,
        value_column,
        f"{value_column} is negative",
        "units and shares are counts, never negative",
    )
    if value_column == s.SHARE:
        _fail(
            out,
            v > 1,
            value_column,
            "share is above 1",
            "shares are fractions 0-1: divide percentages by 100 (read(..., percent=True))",
        )
    _require(out, require)
    return out

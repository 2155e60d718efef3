"""The reduction, once for every engine: a Narwhals pipeline from panel rows to groups.

One scan of the panel gives, per (brand, market, period) group, the units of the good
rows and the number of rows with each problem (:data:`~marketdata.panel.spec.REASONS`).
Bad rows fall into groups of their own (a null brand, a null period), so counting them
costs no second scan. Only this small grouped frame comes back to pandas.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from marketdata.errors import DataError
from marketdata.panel.engines import DATE_OUT, UNITS_OUT, Engine, from_native
from marketdata.panel.spec import BRAND, DATE, MARKET, PERIODS, SKU, UNITS, PanelSpec

KEY_BRAND, KEY_MARKET, KEY_PERIOD = "__brand", "__market", "__period"
GOOD_UNITS, NEGATIVE, UNITS_READ = "__units_good", "__negative", "__units"
DATES_TEXT, UNITS_TEXT = "__date_text", "__units_text"
GOOD_SUM, GOOD_ROWS, ALL_ROWS = "__units_good_sum", "__rows_good", "__rows"
_SKU_BRAND = "__sku_brand"


class Plan:
    """The panel opened in an engine, with the expressions that flag each problem."""

    def __init__(
        self,
        engine: Engine,
        native: Any,
        spec: PanelSpec,
        *,
        sku_map: pd.DataFrame | None,
        source: str,
    ) -> None:
        names = spec.names
        lazy = from_native(native)
        schema = lazy.collect_schema()
        date_raw, units_raw = names[DATE], names[UNITS]
        date_text = schema[date_raw] == nw.String
        units_text = schema[units_raw] == nw.String
        if not date_text and not isinstance(schema[date_raw], (nw.Date, nw.Datetime)):
            raise DataError(
                f"column holds {schema[date_raw]}, not dates",
                file=source,
                column=date_raw,
                hint="store dates as a date type or as text YYYY-MM-DD",
            )
        if not units_text and not schema[units_raw].is_numeric():
            raise DataError(
                f"column holds {schema[units_raw]}, not numbers of units",
                file=source,
                column=units_raw,
                hint="store units as numbers",
            )
        if date_text or units_text:
            native = engine.parse(
                native,
                date=date_raw if date_text else None,
                units=units_raw if units_text else None,
                fmt=spec.date_format,
            )
            lazy = from_native(native)
        if spec.brand_from_sku:
            table = sku_map.rename(columns={SKU: names[SKU], BRAND: _SKU_BRAND})
            table[names[SKU]] = _like(table[names[SKU]], schema[names[SKU]])
            lazy = lazy.join(from_native(engine.table(table)), on=names[SKU], how="left")

        raw_date, raw_units = nw.col(date_raw), nw.col(units_raw)
        date = nw.col(DATE_OUT) if date_text else raw_date
        units = nw.col(UNITS_OUT) if units_text else raw_units
        if units_text or schema[units_raw].is_float():
            # NaN is no number of units (DuckDB would even count it as >= 0).
            units = nw.when(~units.is_nan()).then(units)
        keys = {}
        if BRAND in spec.by:
            keys[KEY_BRAND] = nw.col(_SKU_BRAND) if spec.brand_from_sku else nw.col(names[BRAND])
        if MARKET in spec.by:
            keys[KEY_MARKET] = nw.col(names[MARKET])
        # Always months; quarters and years are summed from them on the small frame.
        keys[KEY_PERIOD] = date.dt.year() * 12 + date.dt.month() - 1
        # Per row: the cells the aggregates need. Null cells are what count() skips.
        self.columns = {
            **keys,
            GOOD_UNITS: nw.when(units >= 0).then(units),
            NEGATIVE: nw.when(units < 0).then(units),
            UNITS_READ: units,
        }
        if date_text:
            self.columns[DATES_TEXT] = raw_date
        if units_text:
            self.columns[UNITS_TEXT] = raw_units
        # Per reason, which rows have it (for the examples in error messages only).
        flags = {"missing_date": raw_date.is_null()}
        if date_text:
            flags["unreadable_date"] = date.is_null() & ~raw_date.is_null()
        flags["missing_units"] = raw_units.is_null()
        if units_text:
            flags["unreadable_units"] = units.is_null() & ~raw_units.is_null()
        flags["negative_units"] = (units < 0).fill_null(False)
        if BRAND in spec.by:
            flags["no_brand"] = keys[KEY_BRAND].is_null()
        if MARKET in spec.by:
            flags["missing_market"] = keys[KEY_MARKET].is_null()
        self.engine = engine
        self.lazy = lazy
        self.keys = list(keys)
        self.flags = flags
        self.text = {"date": date_text, "units": units_text}
        self.examples = {
            "missing_date": None,
            "unreadable_date": raw_date,
            "missing_units": None,
            "unreadable_units": raw_units,
            "negative_units": units,
            "no_brand": nw.col(names[SKU]) if spec.brand_from_sku else None,
            "missing_market": None,
        }

    def grouped(self) -> nw.LazyFrame:
        """Per (brand, market, month) group: rows, and counts and sums of cells (lazy).

        ``count()`` skips nulls, so ``count(good units)`` counts rows with units >= 0 and
        ``count(negative)`` rows with units < 0; the row problems follow from these and
        from null keys in :func:`tally`.
        """
        counted = [c for c in self.columns if c not in self.keys]
        return (
            self.lazy.select(**self.columns)
            .group_by(*self.keys, drop_null_keys=False)
            .agg(
                nw.len().alias(ALL_ROWS),
                nw.col(GOOD_UNITS).sum().alias(GOOD_SUM),
                *[nw.col(c).count() for c in counted],
            )
        )

    def examples_of(self, reasons: list[str]) -> dict[str, Any]:
        """One offending value (the smallest) per reason; a second scan, on errors only."""
        wanted = {r: self.examples[r] for r in reasons if self.examples.get(r) is not None}
        if not wanted:
            return {}
        exprs = [nw.when(self.flags[r]).then(expr).min().alias(r) for r, expr in wanted.items()]
        row = self.engine.collect(self.lazy.select(*exprs))
        return {r: _plain(row[r].iloc[0]) for r in wanted}


def _like(values: pd.Series, dtype: Any) -> pd.Series:
    """SKU table keys in the panel's SKU type, so that the join matches."""
    if dtype == nw.String:
        return values.astype(str)
    if dtype.is_integer():
        try:
            return pd.to_numeric(values).astype("int64")
        except (ValueError, TypeError):
            raise DataError(
                "the panel's SKUs are numbers but sku_map's are not",
                file="sku_map",
                column=SKU,
                hint="give sku_map the panel's SKU codes",
            ) from None
    return values


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def tally(reduced: pd.DataFrame, plan: Plan, period: str) -> tuple[pd.DataFrame, dict, int]:
    """From the monthly groups: the good groups of ``period``, rows per reason, rows read.

    Returns the good groups (keys, ``GOOD_SUM`` units and ``GOOD_ROWS`` rows), the
    number of rows with each problem, and the number of rows read.
    """
    frame = reduced.copy()
    n = PERIODS[period]
    month = frame[KEY_PERIOD]
    frame[KEY_PERIOD] = (month // 12) * n + (month % 12) // (12 // n)
    values = [c for c in frame.columns if c not in plan.keys]
    frame = frame.groupby(plan.keys, dropna=False, sort=False, as_index=False)[values].sum()
    no_period = frame[KEY_PERIOD].isna()
    rows = frame[ALL_ROWS]
    units_cells = frame[UNITS_TEXT] if plan.text["units"] else frame[UNITS_READ]
    counts = {}
    if plan.text["date"]:
        counts["missing_date"] = (rows - frame[DATES_TEXT])[no_period].sum()
        counts["unreadable_date"] = frame.loc[no_period, DATES_TEXT].sum()
    else:
        counts["missing_date"] = rows[no_period].sum()
    counts["missing_units"] = (rows - units_cells).sum()
    if plan.text["units"]:
        counts["unreadable_units"] = (frame[UNITS_TEXT] - frame[UNITS_READ]).sum()
    counts["negative_units"] = frame[NEGATIVE].sum()
    keyed = ~no_period
    if KEY_BRAND in plan.keys:
        counts["no_brand"] = rows[frame[KEY_BRAND].isna()].sum()
        keyed &= frame[KEY_BRAND].notna()
    if KEY_MARKET in plan.keys:
        counts["missing_market"] = rows[frame[KEY_MARKET].isna()].sum()
        keyed &= frame[KEY_MARKET].notna()
    good = frame[keyed & (frame[GOOD_UNITS] > 0)].rename(columns={GOOD_UNITS: GOOD_ROWS})
    counts = {reason: int(count) for reason, count in counts.items()}
    return good, counts, int(rows.sum())

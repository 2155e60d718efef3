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
GOOD_UNITS, GOOD_ROWS, ALL_ROWS = "__units_good", "__rows_good", "__rows"
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
        missing_units = raw_units.is_null()
        if schema[units_raw].is_float():
            missing_units = missing_units | raw_units.is_nan().fill_null(True)
        flags = {"missing_date": raw_date.is_null()}
        if date_text:
            flags["unreadable_date"] = date.is_null() & ~raw_date.is_null()
        flags["missing_units"] = missing_units
        if units_text:
            flags["unreadable_units"] = units.is_null() & ~raw_units.is_null()
        flags["negative_units"] = (units < 0).fill_null(False)
        keys = {}
        if BRAND in spec.by:
            brand = nw.col(_SKU_BRAND) if spec.brand_from_sku else nw.col(names[BRAND])
            flags["no_brand"] = brand.is_null()
            keys[KEY_BRAND] = brand
        if MARKET in spec.by:
            flags["missing_market"] = nw.col(names[MARKET]).is_null()
            keys[KEY_MARKET] = nw.col(names[MARKET])
        n = PERIODS[spec.period]
        year = date.dt.year()  # no cast: pandas gives NaN (float) for NaT
        if n == 1:
            keys[KEY_PERIOD] = year
        else:
            month = date.dt.month()
            keys[KEY_PERIOD] = year * n + (month - 1) // (12 // n)
        self.engine = engine
        self.lazy = lazy
        self.flags = flags
        self.keys = keys
        self.units = units
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
        """Units of good rows and counts of flagged rows per group (lazy)."""
        bad = None
        for flag in self.flags.values():
            bad = flag if bad is None else bad | flag
        good = ~bad
        columns = {name: expr for name, expr in self.keys.items()}
        columns[GOOD_UNITS] = nw.when(good).then(self.units).otherwise(0)
        columns[GOOD_ROWS] = good.cast(nw.Int64)
        columns[ALL_ROWS] = nw.lit(1, dtype=nw.Int64)
        for reason, flag in self.flags.items():
            columns[reason] = flag.cast(nw.Int64)
        values = [c for c in columns if c not in self.keys]
        return (
            self.lazy.select(**columns)
            .group_by(*self.keys, drop_null_keys=False)
            .agg(nw.col(*values).sum())
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

"""The reduction, once for every engine: a Narwhals pipeline from panel rows to groups.

One scan of the panel gives, per (brand, market, month) group, the number of rows, the
units of the rows with units >= 0 and counts of the cells that are there (``count()``
skips nulls). Rows with a null brand, market or date fall into groups of their own, so
every problem (:data:`~marketdata.panel.spec.REASONS`) is counted from this small frame
(:func:`tally`) without a second scan; only where DuckDB joins SKU brands with an inner
join does it also ask for the panel's row count, which Parquet metadata gives for free.
Only the grouped frame comes back to pandas.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pandas as pd

from marketdata.errors import DataError
from marketdata.panel.engines import (
    DATE_OUT,
    FIRST_YEAR,
    LAST_YEAR,
    UNITS_OUT,
    PanelEngine,
    from_native,
)
from marketdata.panel.spec import BRAND, DATE, MARKET, PERIODS, SKU, UNITS, PanelSpec

KEY_BRAND, KEY_MARKET, KEY_PERIOD = "__brand", "__market", "__period"
GOOD_UNITS, NEGATIVE = "__units_good", "__negative"
DATES_TEXT, UNITS_TEXT = "__date_text", "__units_text"
GOOD_SUM, GOOD_ROWS, ALL_ROWS = "__units_good_sum", "__rows_good", "__rows"
_SKU_BRAND = "__sku_brand"


class Plan:
    """The panel opened in an engine, with the expressions that flag each problem.

    With ``count_rows``, SKU brands are joined with an inner join and the rows without a
    brand are found from the panel's row count (cheap for Parquet in DuckDB).
    """

    def __init__(
        self,
        engine: PanelEngine,
        native: Any,
        spec: PanelSpec,
        *,
        sku_map: pd.DataFrame | None,
        source: str,
        count_rows: bool = False,
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
        self.unjoined = None  # set when rows without a brand are counted apart
        self.left = None  # the panel with every row's brand (null if none)
        if spec.brand_from_sku:
            table = sku_map.rename(columns={SKU: names[SKU], BRAND: _SKU_BRAND})
            table[names[SKU]] = _like(table[names[SKU]], schema[names[SKU]])
            table = from_native(engine.table(table))
            self.left = lazy.join(table, on=names[SKU], how="left")
            if count_rows:
                # An inner join is cheaper than a left join in DuckDB (~1.3x on the
                # benchmark); the rows it drops (SKUs without a brand) are the panel's
                # row count (free from Parquet metadata) less the rows joined.
                self.unjoined = lazy
                lazy = lazy.join(table, on=names[SKU], how="inner")
            else:
                lazy = self.left
        if self.left is None:
            self.left = lazy

        raw_date, raw_units = nw.col(date_raw), nw.col(units_raw)
        date = nw.col(DATE_OUT) if date_text else raw_date
        # Dates outside the years pandas holds are unreadable, typed or text, in every
        # engine (DuckDB holds the year 3000; pandas would abort on it).
        year = date.dt.year()
        date = nw.when((year >= FIRST_YEAR) & (year <= LAST_YEAR)).then(date)
        units = nw.col(UNITS_OUT) if units_text else raw_units
        if units_text or schema[units_raw].is_float():
            engine.float_units()
            # NaN and infinity are no numbers of units (DuckDB would even count NaN as
            # >= 0, and an infinite sum fails validation on the reduced frame, far from
            # the panel rows that hold it).
            units = nw.when(units.is_finite()).then(units)
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
        }
        self.columns[DATES_TEXT] = raw_date  # count() = the date cells there
        if units_text:
            self.columns[UNITS_TEXT] = raw_units
        # Per reason, which rows have it (for the examples in error messages only).
        flags = {"missing_date": raw_date.is_null()}
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
        self.text = {"units": units_text}
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

    def rows_unjoined(self) -> int | None:
        """The panel's row count when the brand join drops rows (else None)."""
        if self.unjoined is None:
            return None
        return int(self.engine.collect(self.unjoined.select(nw.len())).iloc[0, 0])

    def examples_of(self, reasons: list[str]) -> dict[str, Any]:
        """One offending value (the smallest) per reason; a second scan, on errors only."""
        wanted = {r: self.examples[r] for r in reasons if self.examples.get(r) is not None}
        if not wanted:
            return {}
        branded = ~self.flags["no_brand"] if "no_brand" in self.flags else nw.lit(True)
        where = {r: self.flags[r] & (branded if r != "no_brand" else nw.lit(True)) for r in wanted}
        if self.engine.examples_in_one_scan:
            exprs = [nw.when(where[r]).then(expr).min().alias(r) for r, expr in wanted.items()]
            row = self.engine.collect(self.left.select(*exprs))
            return {r: _plain(row[r].iloc[0]) for r in wanted}
        # pandas cannot take the min of a text column with gaps (when/then): filter first.
        out = {}
        for r, expr in wanted.items():
            found = self.engine.collect(self.left.filter(where[r]).select(expr.min().alias(r)))
            out[r] = _plain(found[r].iloc[0]) if len(found) else None
        return out


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


def tally(
    reduced: pd.DataFrame, plan: Plan, period: str, *, rows_total: int | None = None
) -> tuple[pd.DataFrame, dict, int]:
    """From the monthly groups: the good groups of ``period``, rows per reason, rows read.

    A row without a brand counts under ``no_brand`` only; other rows count under every
    problem they have. ``rows_total`` is the panel's row count when the groups lack the
    rows without a brand (an inner join); otherwise those rows form null-brand groups.

    Returns the good groups (keys, ``GOOD_SUM`` units and ``GOOD_ROWS`` rows), the
    number of rows with each problem, and the number of rows read.
    """
    frame = reduced.copy()
    n = PERIODS[period]
    month = frame[KEY_PERIOD]
    frame[KEY_PERIOD] = (month // 12) * n + (month % 12) // (12 // n)
    values = [c for c in frame.columns if c not in plan.keys]
    # min_count=1: a NaN sum stays NaN (and fails validation) rather than becoming 0.
    grouped = frame.groupby(plan.keys, dropna=False, sort=False, as_index=False)
    frame = grouped[values].sum(min_count=1)
    branded = frame
    rows_read = int(frame[ALL_ROWS].sum()) if rows_total is None else rows_total
    no_brand = rows_read - int(frame[ALL_ROWS].sum())
    if KEY_BRAND in plan.keys:
        unbranded = frame[KEY_BRAND].isna()
        no_brand += int(frame.loc[unbranded, ALL_ROWS].sum())
        branded = frame[~unbranded]
    no_period = branded[KEY_PERIOD].isna()
    rows = branded[ALL_ROWS]
    # Every number of units is >= 0 or < 0 (NaN was made null): the rest are missing.
    units_read = branded[GOOD_UNITS] + branded[NEGATIVE]
    units_cells = branded[UNITS_TEXT] if plan.text["units"] else units_read
    counts = {}
    counts["missing_date"] = (rows - branded[DATES_TEXT])[no_period].sum()
    counts["unreadable_date"] = branded.loc[no_period, DATES_TEXT].sum()
    counts["missing_units"] = (rows - units_cells).sum()
    if plan.text["units"]:
        counts["unreadable_units"] = (branded[UNITS_TEXT] - units_read).sum()
    counts["negative_units"] = branded[NEGATIVE].sum()
    keyed = ~no_period
    if KEY_BRAND in plan.keys:
        counts["no_brand"] = no_brand
    if KEY_MARKET in plan.keys:
        counts["missing_market"] = rows[branded[KEY_MARKET].isna()].sum()
        keyed &= branded[KEY_MARKET].notna()
    good = branded[keyed & (branded[GOOD_UNITS] > 0)]
    good = good.rename(columns={GOOD_UNITS: GOOD_ROWS})
    counts = {reason: int(count) for reason, count in counts.items()}
    return good, counts, rows_read

"""What a panel reduction asks for: column roles, grouping, period, engine; checked once.

A *panel* is a large table of sell-through rows (store x SKU x week, say). Its columns
play *roles*: ``brand`` (or ``sku`` with a SKU -> brand table), ``market`` (a country),
``date`` and ``units``. Other columns (store, model, price ...) are not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError

BRAND, SKU, MARKET, DATE, UNITS = s.BRAND, "sku", s.MARKET, "date", s.UNITS
ROLES = (BRAND, SKU, MARKET, DATE, UNITS)
ENGINES = ("duckdb", "pandas", "dask")
PERIODS = {"M": 12, "Q": 4, "Y": 1}  # periods per year
ERRORS = ("raise", "collect")

# Row problems, in the order an error reports them: (reason, role, what is wrong, hint).
REASONS = (
    ("missing_date", DATE, "have no date", "fill the dates in, or drop those rows upstream"),
    (
        "unreadable_date",
        DATE,
        "have a date that cannot be read",
        "write dates as YYYY-MM-DD (years 1678-2261) or pass date_format= (e.g. '%d/%m/%Y')",
    ),
    (
        "missing_units",
        UNITS,
        "have no units (empty, NaN or infinite)",
        "fill the units in (0 for no sales)",
    ),
    (
        "unreadable_units",
        UNITS,
        "have units that are not a number",
        "write units as plain numbers (1200, not '1.2k')",
    ),
    (
        "negative_units",
        UNITS,
        "have negative units",
        "returns are not sales: net them out upstream or drop those rows",
    ),
    (
        "no_brand",
        BRAND,
        "have no brand",
        "give every SKU a brand in sku_map= (or fill the brand column)",
    ),
    ("missing_market", MARKET, "have no market", "fill the market in or pass market="),
)
REASON_NAMES = tuple(r[0] for r in REASONS)


@dataclass(frozen=True)
class PanelSpec:
    """A checked request: which panel column plays which role, and how to group.

    ``names`` maps role -> the panel's column name (``None`` for a role the panel does
    not have).
    """

    names: Mapping[str, str | None]
    by: tuple[str, ...]
    period: str
    engine: str
    errors: str
    market: str | None
    date_format: str | None

    @property
    def brand_from_sku(self) -> bool:
        """Whether brands come from the SKU table rather than a brand column."""
        return self.names[BRAND] is None and BRAND in self.by

    @property
    def needed(self) -> list[str]:
        """Panel columns the reduction reads, in role order."""
        roles = [DATE, UNITS, *self.by]
        if self.brand_from_sku:
            roles[roles.index(BRAND)] = SKU
        return [self.names[r] for r in roles]


def make_spec(
    columns: Mapping[str, str] | None,
    *,
    by: Iterable[str] | str,
    period: str,
    engine: str,
    errors: str,
    market: str | None,
    sku_map: object,
    date_format: str | None,
    available: Iterable[str],
    source: str,
) -> PanelSpec:
    """Check the options against the panel's columns (``available``); build a spec.

    Raises ``ValueError``/``TypeError`` for bad options and :class:`DataError` naming
    the column when the panel lacks a column the reduction needs.

    Examples
    --------
    >>> spec = make_spec({"qty": "units", "country": "market"}, by=("brand", "market"),
    ...                  period="Q", engine="duckdb", errors="raise", market=None,
    ...                  sku_map=None, date_format=None,
    ...                  available=["brand", "country", "date", "qty", "store"], source="p")
    >>> spec.needed
    ['date', 'qty', 'brand', 'country']
    """
    if engine == "spark":
        raise ValueError(
            "engine='spark' was removed: nothing tested it; use 'duckdb' (out of core in "
            "this process) or 'dask' (a cluster)"
        )
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {list(ENGINES)}, got {engine!r}")
    if period not in PERIODS:
        raise ValueError(
            f"period must be 'M' (months), 'Q' (quarters) or 'Y' (years), got {period!r}"
        )
    if errors not in ERRORS:
        raise ValueError(f"errors must be 'raise' or 'collect', got {errors!r}")
    by = (by,) if isinstance(by, str) else tuple(by)
    if not by or any(b not in (BRAND, MARKET) for b in by) or len(set(by)) != len(by):
        raise ValueError(
            f"by must name 'brand', 'market' or both, got {by!r}; other panel columns "
            "(store, channel) are summed over"
        )
    by = tuple(b for b in (BRAND, MARKET) if b in by)
    if market is not None and MARKET in by:
        raise ValueError(
            "market= is for panels of one market; with by=('brand', 'market') the market "
            "comes from the panel's market column"
        )
    if market is None and MARKET not in by:
        raise ValueError(
            "without 'market' in by, say which market the panel covers with market= "
            "(e.g. market='TW', or 'WW' for worldwide)"
        )
    if columns is None:
        columns = {}
    if not isinstance(columns, Mapping):
        raise TypeError(
            "columns must map the panel's column names to roles, e.g. "
            "{'qty': 'units', 'country': 'market'}"
        )
    available = list(available)
    names: dict[str, str | None] = {}
    for panel_name, role in columns.items():
        if role not in ROLES:
            raise ValueError(f"columns= maps {panel_name!r} to {role!r}; roles are {list(ROLES)}")
        if role in names:
            raise ValueError(f"columns= maps both {names[role]!r} and {panel_name!r} to {role!r}")
        names[role] = panel_name
    for role in ROLES:
        if role not in names:
            taken = role in columns  # a panel column of that name mapped elsewhere
            names[role] = role if role in available and not taken else None
    if sku_map is not None and BRAND in [r for r in columns.values()]:
        raise ValueError("give a brand column or sku_map=, not both")
    if sku_map is not None:
        names[BRAND] = None
    for panel_name in columns:
        if panel_name not in available:
            raise DataError(
                f"the panel has no column {panel_name!r} (named in columns=); its columns "
                f"are {available}",
                file=source,
                column=panel_name,
                hint="check the spelling in columns=",
            )
    required = [DATE, UNITS] + [r for r in by if r != BRAND]
    if BRAND in by:
        if names[BRAND] is None and sku_map is None:
            hint = (
                "pass sku_map= (a table of sku and brand) to give each SKU its brand"
                if names[SKU] is not None
                else "map the panel's brand column with columns={'your_name': 'brand'}"
            )
            raise DataError(
                f"the panel has no brand column; its columns are {available}",
                file=source,
                column=BRAND,
                hint=hint,
            )
        if names[BRAND] is None:
            required.append(SKU)
    for role in required:
        if names[role] is None:
            raise DataError(
                f"the panel has no {role} column; its columns are {available}",
                file=source,
                column=role,
                hint=f"map one with columns={{'your_name': {role!r}}}",
            )
    return PanelSpec(
        names=names,
        by=by,
        period=period,
        engine=engine,
        errors=errors,
        market=market,
        date_format=date_format,
    )


def check_sku_map(sku_map: object) -> pd.DataFrame:
    """A SKU -> brand table as a two-column frame [sku, brand]; one brand per SKU.

    Examples
    --------
    >>> check_sku_map({"A1": "Xiaomi", "B2": "HTC"})
    sku   brand
    0  A1  Xiaomi
    1  B2     HTC
    """
    if isinstance(sku_map, Mapping):
        frame = pd.DataFrame({SKU: list(sku_map.keys()), BRAND: list(sku_map.values())})
    elif isinstance(sku_map, pd.DataFrame):
        missing = [c for c in (SKU, BRAND) if c not in sku_map.columns]
        if missing:
            raise DataError(
                f"sku_map lacks the column(s) {missing}; its columns are {list(sku_map.columns)}",
                file="sku_map",
                column=missing[0],
                hint="give sku_map columns 'sku' and 'brand' (rename yours first)",
            )
        frame = sku_map[[SKU, BRAND]].copy()
    else:
        raise TypeError(
            f"sku_map must be a DataFrame [sku, brand] or a dict sku -> brand, got "
            f"{type(sku_map).__name__}"
        )
    frame = frame.drop_duplicates().reset_index(drop=True)
    twice = frame[SKU].duplicated(keep=False).to_numpy()
    if twice.any():
        first = frame[twice].iloc[0]
        brands = frame.loc[frame[SKU] == first[SKU], BRAND].tolist()
        raise DataError(
            f"SKU {first[SKU]!r} has {len(brands)} brands {brands} ({int(twice.sum())} rows "
            "with a repeated SKU)",
            file="sku_map",
            column=SKU,
            value=first[SKU],
            hint="give each SKU one brand",
        )
    if frame[SKU].isna().any():
        raise DataError(
            "sku_map has a row without a SKU",
            file="sku_map",
            column=SKU,
            hint="drop it or fill the SKU in",
        )
    return frame


def period_bounds(key: pd.Series, period: str) -> tuple[pd.Series, pd.Series]:
    """First and last day of each period from its integer key.

    The key counts periods since year 0: ``year * n + (index within the year)`` with
    ``n`` = 12 (months), 4 (quarters) or 1 (years).

    Examples
    --------
    >>> start, end = period_bounds(pd.Series([2012 * 4 + 1]), "Q")  # 2012Q2
    >>> str(start[0].date()), str(end[0].date())
    ('2012-04-01', '2012-06-30')
    """
    n = PERIODS[period]
    key = key.astype("int64")
    months = 12 // n

    def first_day(k: pd.Series) -> pd.Series:
        return pd.to_datetime(
            pd.DataFrame({"year": k // n, "month": (k % n) * months + 1, "day": 1})
        ).astype("datetime64[ns]")

    start = first_day(key)
    end = first_day(key + 1) - pd.Timedelta(days=1)
    return start, end

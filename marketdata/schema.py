"""Column names, categories and dtypes of the *figures* frame, in one place.

Every module refers to columns by these constants, never by string literals, so that the
data model is defined once.
"""

from __future__ import annotations

# Key and value columns of a figures frame, in their canonical order.
BRAND = "brand"
MARKET = "market"
START = "start"
END = "end"
UNITS = "units"
BASIS = "basis"
STATUS = "status"
METRIC = "metric"
SOURCE = "source"

COLUMNS = (BRAND, MARKET, START, END, UNITS, BASIS, STATUS, METRIC, SOURCE)

# Optional columns that loaders and analyses know about.
SHARE = "share"  # a fraction 0-1, in place of units for share data
QUALIFIER = "qualifier"  # "over", "under", "approx" or NA: how the source qualified a figure
TEXT = "text"  # the sentence a figure was read from
NOTE = "note"

# Categories.
PERIOD = "period"
CUMULATIVE = "cumulative"
UNCLEAR = "unclear"  # a target whose source does not say whether it is per period or to date
BASES = (PERIOD, CUMULATIVE, UNCLEAR)

ACTUAL = "actual"
ESTIMATE = "estimate"
TARGET = "target"
FORECAST = "forecast"
INTERPOLATED = "interpolated"  # made by to_periods/to_cumulative between milestones
STATUSES = (ACTUAL, ESTIMATE, TARGET, FORECAST, INTERPOLATED)

SHIPMENTS = "shipments"  # sell-in: units shipped to the channel
SALES = "sales"  # sell-through: units sold to people
DEMAND = "demand"
USAGE = "usage"  # share of web use (StatCounter page views), not of units
INSTALLED_BASE = "installed_base"  # phones in use (owner surveys, comScore)
METRICS = (SHIPMENTS, SALES, DEMAND, USAGE, INSTALLED_BASE)

QUALIFIERS = ("over", "under", "approx")

# Residual rows: what is left of a market after the listed brands. Never ranked as brands.
OTHERS = "Others"
UNKNOWN = "Unknown"
RESIDUAL_BRANDS = (OTHERS, UNKNOWN)

# The whole market written as a brand ("Total", "Market", "All vendors", "合計"): loaders
# read it as the market size (brand NA), never as a brand.
TOTAL = "Total"

# Region codes besides ISO 3166-1 alpha-2 country codes.
WORLDWIDE = "WW"

CATEGORIES = {BASIS: BASES, STATUS: STATUSES, METRIC: METRICS}

DTYPES = {
    BRAND: "string[pyarrow]",
    MARKET: "string[pyarrow]",
    START: "datetime64[ns]",
    END: "datetime64[ns]",
    UNITS: "float64",
    SOURCE: "string[pyarrow]",
}

"""Getting figures in: parse, name, load and validate shipment figures; packaged datasets."""

from marketdata import datasets, schema
from marketdata.convert import to_cumulative, to_periods
from marketdata.errors import (
    DataError,
    DataWarning,
    DoubleCountWarning,
    InterpolationWarning,
    UnknownNameWarning,
)
from marketdata.names import brand_name, market_code, register_aliases
from marketdata.panel import PanelLoaded, read_panel
from marketdata.periods import parse_period, period_label
from marketdata.read import Loaded, ReadOptions, from_frame, read  # after the subpackages
from marketdata.units import format_units, parse_units
from marketdata.validate import validate
from marketdata.writers import write_csv

__all__ = [
    "DataError",
    "DataWarning",
    "DoubleCountWarning",
    "InterpolationWarning",
    "PanelLoaded",
    "ReadOptions",
    "UnknownNameWarning",
    "brand_name",
    "datasets",
    "format_units",
    "market_code",
    "parse_period",
    "parse_units",
    "period_label",
    "read_panel",
    "register_aliases",
    "schema",
    "validate",
    "Loaded",
    "from_frame",
    "read",
    "to_cumulative",
    "to_periods",
    "write_csv",
]

"""Getting figures in: parse, name, load and validate shipment figures; packaged datasets."""

from marketdata import datasets, schema
from marketdata.errors import (
    DataError,
    DataWarning,
    DoubleCountWarning,
    InterpolationWarning,
    UnknownNameWarning,
)
from marketdata.periods import parse_period, period_label
from marketdata.units import format_units, parse_units
from marketdata.validate import validate

__all__ = [
    "DataError",
    "DataWarning",
    "DoubleCountWarning",
    "InterpolationWarning",
    "UnknownNameWarning",
    "datasets",
    "format_units",
    "parse_period",
    "parse_units",
    "period_label",
    "schema",
    "validate",
]

"""Getting figures in: parse, name, load and validate shipment figures; packaged datasets.

``read_panel`` and ``PanelLoaded`` (``marketdata.panel`` imports narwhals and the engine
adapters), ``to_cumulative`` and ``to_periods`` load on first use, so that
``import marketdata`` (and ``import analysis``) does not pay for them.
"""

from typing import TYPE_CHECKING, Any

from marketdata import datasets, schema
from marketdata.errors import (
    DataError,
    DataWarning,
    DoubleCountWarning,
    InterpolationWarning,
    UnknownNameWarning,
)
from marketdata.names import brand_name, market_code, register_aliases
from marketdata.periods import parse_period, period_label
from marketdata.read import Loaded, ReadOptions, from_frame, read  # after the subpackages
from marketdata.units import format_units, parse_units
from marketdata.validate import validate
from marketdata.writers import write_csv

if TYPE_CHECKING:
    from marketdata.convert import to_cumulative, to_periods
    from marketdata.panel import PanelLoaded, read_panel

_LAZY = {
    "PanelLoaded": "marketdata.panel",
    "read_panel": "marketdata.panel",
    "to_cumulative": "marketdata.convert",
    "to_periods": "marketdata.convert",
}


def __getattr__(name: str) -> Any:
    """Import the names of :data:`_LAZY` on first use (PEP 562)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'marketdata' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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

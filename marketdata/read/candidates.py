"""The candidate figures of one table while the loader's steps work on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from marketdata import fields
from marketdata import schema as s
from marketdata.io import Table
from marketdata.layouts import PERIOD, Long, Named

__all__ = ["Candidates"]


@dataclass
class Candidates:
    """The candidate figures of one table while the steps work on them."""

    table: Table
    named: Named
    layout: str
    value: str  # s.UNITS or s.SHARE
    long: Long
    rejects: fields.Rejects
    soft: np.ndarray  # rejected, but droppable with a warning under errors="raise"
    merged: np.ndarray  # summed into another figure of the same row and brand
    warnings: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.long.cells)

    def label(self, column: str) -> Any:
        """The file's name of a column (for a wide table's values: each cell's column)."""
        header_kind = s.BRAND if self.layout == "wide_brands" else PERIOD
        if self.layout != "long" and column in (self.value, header_kind):
            return self.long.source_column
        return self.named.original.get(column, column)

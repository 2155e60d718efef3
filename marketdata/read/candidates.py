"""The candidate figures of one table while the loader's steps work on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from marketdata import fields
from marketdata import schema as s
from marketdata.io import Table
from marketdata.layouts import PERIOD, Long, Named

__all__ = ["Candidates", "say_blank_brands"]


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


def say_blank_brands(c: Candidates, brand: pd.Series) -> None:
    """Warn about empty cells of an export's brand column (one the file names otherwise
    than ``brand``, such as ``Vendor``): read as market sizes, they may be the brand of
    the row above (merged cells)."""
    header = c.named.original.get(s.BRAND, s.BRAND)
    if header.strip().lower() == s.BRAND:
        return  # the figures frame's own files: an empty brand is the market's size
    blank = brand.isna().to_numpy() & ~c.rejects.bad
    if not blank.any():
        return
    lines = c.table.lines if c.table.lines is not None else c.table.rows
    where = [int(lines[p]) for p in c.long.pos[blank][:5]]
    shown = ", ".join(map(str, where)) + (" ..." if blank.sum() > 5 else "")
    c.warnings.append(
        f"{int(blank.sum())} row(s) with an empty {header!r} cell were read as whole-market "
        f"sizes (brand NA): line(s) {shown}; if they belong to the brand above (merged "
        "cells), fill it in; name market-size rows 'Total' to say what they are"
    )

"""``ReadOptions``: the options of :func:`marketdata.read`, ``from_frame`` and the CLI, checked once.

The same options reach the loader from Python (``read(path, percent=True)``) and from the
command line (``marketshare validate FILE --percent``). Hints in errors and warnings are
written with the Python spelling (``percent=True``); :meth:`ReadOptions.advise` rewrites
them in the caller's spelling, so that a command-line user is told to pass ``--percent``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from marketdata import schema as s

__all__ = ["FILE_OPTIONS", "LAYOUTS", "SCALES", "ReadOptions"]

SCALES = {"units": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
LAYOUTS = ("auto", "long", "wide_brands", "wide_periods")
FILE_OPTIONS = ("format", "encoding", "sheet", "skiprows", "sep")  # how the file is read

# Python spelling -> command-line spelling, for hints (the first match of each is rewritten).
_FLAGS = [
    (re.compile(r"value=['\"](\w+)['\"],? percent=True"), r"--value \1 --percent"),
    (re.compile(r"percent=True"), "--percent"),
    (re.compile(r"value=['\"](\w+)['\"]"), r"--value \1"),
    (
        re.compile(r"layout='long', 'wide_brands' or 'wide_periods'"),
        "--layout long, wide_brands or wide_periods",
    ),
    (re.compile(r"layout=['\"](\w+)['\"]"), r"--layout \1"),
    (re.compile(r"\bformat="), "--file-format"),
    (re.compile(r"sep=(['\"][^'\"]*['\"])"), r"--sep \1"),
    (re.compile(r"decimal=['\"]([.,])['\"]"), r"--decimal '\1'"),
    (re.compile(r"pass errors=['\"]collect['\"]"), "run marketshare validate on the file"),
    (
        re.compile(r"columns=\{['\"]([^'\"]*)['\"]: ['\"]?([\w.]*)['\"]?\}"),
        r"--column '\1=\2'",
    ),
    (re.compile(r"columns=(?!\{)"), "--column NAME=ROLE"),
    (
        re.compile(
            r"\b(sheet|skiprows|brand|market|scale|encoding|metric|status|basis|source)=(['\"][^'\"]*['\"]|\w+)"
        ),
        r"--\1 \2",
    ),
    (
        re.compile(r"\b(sheet|skiprows|brand|market|scale|encoding|metric|status|basis|source)="),
        r"--\1",
    ),
]


def _scale(scale: float | str | None) -> float | None:
    if scale is None:
        return None  # not given: the unit the table states (marketdata.read.stated)
    if isinstance(scale, str):
        if scale.lower() not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; give a number or one of {list(SCALES)}")
        return SCALES[scale.lower()]
    if (
        isinstance(scale, bool)
        or not isinstance(scale, (int, float, np.integer, np.floating))
        or not np.isfinite(scale)
        or scale <= 0
    ):
        raise ValueError(f"scale must be a positive number or one of {list(SCALES)}, got {scale!r}")
    return float(scale)


def _text(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name}= must be a str, got {type(value).__name__}")


@dataclass(frozen=True)
class ReadOptions:
    """How to read a table into figures; every option of :func:`marketdata.read`.

    Built and checked once (bad values raise ``ValueError``/``TypeError``); ``scale`` is
    stored as a number, or None when not given (the loader then reads the unit the
    table's title or figures header states, see :mod:`marketdata.read.stated`). ``spelling`` says how hints name the options: ``"python"``
    (``percent=True``) or ``"cli"`` (``--percent``).

    Examples
    --------
    >>> opts = ReadOptions(scale="millions", percent=True)
    >>> opts.scale, opts.percent
    (1000000.0, True)
    >>> ReadOptions(spelling="cli").advise("pass value='share', percent=True")
    'pass --value share --percent'
    """

    format: str | None = None
    encoding: str | None = None
    sheet: str | int | None = None
    skiprows: int = 0
    sep: str | None = None
    layout: Literal["auto", "long", "wide_brands", "wide_periods"] = "auto"
    columns: Mapping[str, str] | None = None
    value: Literal["units", "share"] | None = None
    scale: float | str | None = None
    percent: bool = False
    decimal: str = "."
    brand: str | None = None
    market: str | None = None
    status: str | None = None
    metric: str | None = None
    basis: str | None = None
    source: str | None = None
    fiscal_year_start: int = 1
    errors: Literal["raise", "collect"] = "raise"
    spelling: Literal["python", "cli"] = "python"

    def __post_init__(self) -> None:
        if self.errors not in ("raise", "collect"):
            raise ValueError(f"errors must be 'raise' or 'collect', got {self.errors!r}")
        if self.spelling not in ("python", "cli"):
            raise ValueError(f"spelling must be 'python' or 'cli', got {self.spelling!r}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}; choose one of {list(LAYOUTS)}")
        for name, value, allowed in (
            ("status", self.status, s.STATUSES),
            ("metric", self.metric, s.METRICS),
            ("basis", self.basis, s.BASES),
        ):
            if value is not None and value not in allowed:
                raise ValueError(f"{name}= must be one of {list(allowed)}, got {value!r}")
        for name in ("market", "brand", "source", "encoding", "sep", "format"):
            _text(name, getattr(self, name))
        if self.brand is not None and not self.brand.strip():
            raise ValueError("brand= must name a brand, got an empty text")
        object.__setattr__(self, "scale", _scale(self.scale))
        if self.decimal not in (".", ","):
            raise ValueError(f"decimal must be '.' or ',', got {self.decimal!r}")
        if self.value not in (None, s.UNITS, s.SHARE):
            raise ValueError(f"value must be 'units' or 'share', got {self.value!r}")
        if not isinstance(self.percent, (bool, np.bool_)):
            raise TypeError(f"percent= must be True or False, got {self.percent!r}")
        if (
            isinstance(self.skiprows, bool)
            or not isinstance(self.skiprows, (int, np.integer))
            or self.skiprows < 0
        ):
            raise ValueError(f"skiprows must be a whole number from 0 up, got {self.skiprows!r}")
        if (
            isinstance(self.fiscal_year_start, bool)
            or not isinstance(self.fiscal_year_start, (int, np.integer))
            or not 1 <= self.fiscal_year_start <= 12
        ):
            raise ValueError(
                f"fiscal_year_start must be a month 1-12, got {self.fiscal_year_start!r}"
            )
        if self.columns is not None and not isinstance(self.columns, Mapping):
            raise TypeError(f"columns= must map column names to roles, got {self.columns!r}")

    def file_options(self) -> dict[str, Any]:
        """The options that say how the file's cells are read (for ``read_table``)."""
        return {name: getattr(self, name) for name in FILE_OPTIONS}

    def advise(self, text: str | None) -> str | None:
        """``text`` with the options named as the caller names them (see the class notes)."""
        if text is None or self.spelling == "python":
            return text
        for pattern, flag in _FLAGS:
            text = pattern.sub(flag, text)
        return text

"""The command line's reading flags: every option of :func:`marketdata.read`, once.

``add_read_arguments`` adds the flags to a subcommand (``validate``, ``report --data``);
``read_kwargs`` turns them back into ``read()``'s keyword arguments; ``read_file`` reads
with them, so that errors and warnings name the flag (``--percent``), not the Python
argument (``percent=True``); ``summary`` is what ``marketshare validate`` prints.
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from marketdata import schema as s
from marketdata.read import ReadOptions, read_with
from marketdata.read.options import LAYOUTS

__all__ = ["add_read_arguments", "read_file", "read_kwargs", "summary"]

_FIRST = 3  # rows shown per reason


def _column(text: str) -> tuple[str, str]:
    name, sep, role = text.rpartition("=")
    if not sep or not name or not role:
        raise argparse.ArgumentTypeError(f"expected NAME=ROLE (e.g. Date=period), got {text!r}")
    return name, role.strip()


def _skiprows(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 up, got {text!r}")
    return int(text)


def add_read_arguments(
    parser: argparse.ArgumentParser, *, brand: bool = True, market: bool = True
) -> None:
    """Add the flags that reach ``marketdata.read`` (``brand``/``market``: add those two
    too, unless the subcommand defines them itself)."""
    group = parser.add_argument_group("reading the file (passed to marketdata.read)")
    group.add_argument(
        "--file-format",
        choices=("csv", "tsv", "xlsx", "json", "parquet"),
        help="the file's format (default: from its name or first bytes)",
    )
    group.add_argument("--encoding", help="text encoding (default: detected)")
    group.add_argument("--sheet", help="Excel sheet, by name or 0-based number (default: first)")
    group.add_argument(
        "--skiprows",
        type=_skiprows,
        default=0,
        help="lines (CSV) or rows (Excel) above the header, such as a title (default 0)",
    )
    group.add_argument("--sep", help="CSV field separator (default ',')")
    group.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="auto",
        help="long (one figure a row) or wide (brands or periods as columns); default auto",
    )
    group.add_argument(
        "--column",
        action="append",
        type=_column,
        metavar="NAME=ROLE",
        help="give a column a role: --column Date=period --column 'Shipments (M)=units' "
        "(roles: brand, market, period, start, end, units, share, basis, status, metric, "
        "source, qualifier, text, note); repeat for more",
    )
    group.add_argument("--value", choices=(s.UNITS, s.SHARE), help="what a wide table's cells hold")
    group.add_argument(
        "--percent", action="store_true", help="shares are in percent (divide by 100)"
    )
    group.add_argument(
        "--scale",
        default=None,
        help="what bare numbers count: units, thousands, millions, billions or a factor "
        "(default: the unit the table's title or figures header states, such as '(in "
        "million units)', with a warning, else units; --scale 1 keeps the numbers as "
        "written; '3.2M' in a cell is never scaled)",
    )
    group.add_argument(
        "--decimal", choices=(".", ","), default=".", help="decimal mark (default '.')"
    )
    if brand:
        group.add_argument("--brand", help="the brand of a file without a brand column")
    if market:
        group.add_argument(
            "--market", help="default market for a file without a market column (e.g. TW)"
        )
    group.add_argument("--metric", choices=s.METRICS, help="default metric (default shipments)")
    group.add_argument("--status", choices=s.STATUSES, help="default status (default actual)")
    group.add_argument("--basis", choices=s.BASES, help="default basis (default: from dates)")
    group.add_argument("--source", help="default source for a file without a source column")


def read_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``marketdata.read`` that the flags give (unset ones left out).

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_read_arguments(parser)
    >>> read_kwargs(parser.parse_args(["--column", "Date=period", "--percent", "--sheet", "1"]))
    {'sheet': 1, 'columns': {'Date': 'period'}, 'percent': True}
    """
    out: dict[str, Any] = {}
    if getattr(args, "file_format", None) is not None:
        out["format"] = args.file_format
    for name in ("encoding", "sep", "value", "brand", "market", "metric", "status",
                 "basis", "source"):  # fmt: skip
        if getattr(args, name, None) is not None:
            out[name] = getattr(args, name)
    sheet = getattr(args, "sheet", None)
    if sheet is not None:
        out["sheet"] = int(sheet) if sheet.isdigit() else sheet
    if getattr(args, "skiprows", 0):
        out["skiprows"] = args.skiprows
    if getattr(args, "layout", "auto") != "auto":
        out["layout"] = args.layout
    if getattr(args, "column", None):
        out["columns"] = dict(args.column)
    if getattr(args, "percent", False):
        out["percent"] = True
    scale = getattr(args, "scale", None)
    if scale is not None:
        try:
            out["scale"] = float(scale)
        except ValueError:
            out["scale"] = scale
    if getattr(args, "decimal", ".") != ".":
        out["decimal"] = args.decimal
    return out


def read_file(path: Any, args: argparse.Namespace, *, errors: str = "raise") -> Any:
    """Read ``path`` with the flags; hints name the flags (``--percent``)."""
    options = ReadOptions(**read_kwargs(args), errors=errors, spelling="cli")
    return read_with(path, options)


def _where(r: Any) -> str:
    where = f"row {r.row}"
    details = []
    if not _missing(r.line):
        details.append(f"line {r.line}")
    if not _missing(r.column):
        details.append(f"column {str(r.column)!r}")
    if not _missing(r.value):
        details.append(f"value {str(r.value)!r}")
    return where + (f" ({', '.join(details)})" if details else "")


def summary(name: str, figures: pd.DataFrame, rejected: pd.DataFrame) -> str:
    """What ``marketshare validate`` prints: the counts, then one line per reason with
    how many figures it rejected and the first of them.

    Examples
    --------
    >>> rejected = pd.DataFrame({"row": [2, 5], "line": [3, 6], "column": ["units"] * 2,
    ...     "value": ["lots", "x"], "reason": ["cannot read the units"] * 2,
    ...     "hint": ["write 3.2M"] * 2})
    >>> print(summary("f.csv", pd.DataFrame({"units": [1.0, 2.0]}), rejected))
    f.csv: 4 figure(s) read, 2 loaded, 2 rejected
      2 x cannot read the units; write 3.2M: row 2 (line 3, column 'units', value 'lots'), row 5 (line 6, column 'units', value 'x')
    """
    lines = [
        f"{name}: {len(figures) + len(rejected)} figure(s) read, {len(figures)} loaded, "
        f"{len(rejected)} rejected"
    ]
    if not len(rejected):
        return "\n".join(lines)
    hints = (
        rejected["hint"] if "hint" in rejected.columns else pd.Series(None, index=rejected.index)
    )
    said = rejected["reason"].astype(str) + hints.map(
        lambda h: "" if _missing(h) else f"; {h}"
    ).astype(str)
    for text, group in rejected.groupby(said.to_numpy(), sort=False):
        shown = ", ".join(_where(r) for r in group.head(_FIRST).itertuples())
        more = f" and {len(group) - _FIRST} more" if len(group) > _FIRST else ""
        lines.append(f"  {len(group)} x {text}: {shown}{more}")
    return "\n".join(lines)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))

"""Read a sheet of an Excel ``.xlsx`` workbook into a :class:`~marketdata.io.table.Table`.

Which sheet: ``sheet=`` by name, or by 0-based index; by default the first visible sheet
that holds a table (see :mod:`marketdata.io.grid`), with a warning when that is not the
first sheet. Hidden sheets are read only when named with ``sheet=``.

Where the table is: title rows above the header, the header and the notes below the
table are found as :mod:`marketdata.io.grid` describes; ``skiprows=N`` puts the header on
row N + 1 instead.

A merged cell gives its value to every cell of its range that lies in the table, with a
warning naming the ranges. The work is bounded by the cells that hold values: the table
spans the rows and columns that hold one, and a table over :data:`MAX_GRID` cells (rows
times columns) is refused, as are the limits of :mod:`marketdata.io.xlsxml` and
:mod:`marketdata.io.xlsxcells`.
"""

from __future__ import annotations

import io
import warnings
import zipfile

import numpy as np
import pandas as pd

from marketdata.errors import DataError, DataWarning
from marketdata.io.grid import Layout, locate
from marketdata.io.table import Table, header_names
from marketdata.io.xlsxcells import Cells, read_cells
from marketdata.io.xlsxml import (
    SheetInfo,
    column_letter,
    read_date_styles,
    read_strings,
    read_workbook,
)

__all__ = ["MAX_GRID", "read_xlsx"]

MAX_GRID = 20_000_000
_STACK = 5  # warnings point at the caller of marketdata.read


def _open(data: bytes, file) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DataError(
            f"cannot open the file as an Excel workbook ({type(exc).__name__}: {exc})",
            file=file,
            hint="save it as .xlsx from Excel, or pass format= if it is another format",
        ) from None


def _named(sheets: list[SheetInfo], sheet: str | int, file) -> SheetInfo:
    names = [s.name for s in sheets]
    if isinstance(sheet, bool) or not isinstance(sheet, (int, str)):
        raise TypeError(f"sheet= must be a sheet name or a 0-based index, got {sheet!r}")
    if isinstance(sheet, int):
        if not -len(names) <= sheet < len(names):
            raise DataError(
                f"the workbook has no sheet {sheet}", file=file, hint=f"its sheets are {names}"
            )
        chosen = sheets[sheet]
        if chosen.state != "visible":
            raise DataError(
                f"sheet {sheet} ({chosen.name!r}) is hidden",
                file=file,
                hint=f"hidden sheets are read only by name: pass sheet={chosen.name!r}",
            )
        return chosen
    if sheet not in names:
        raise DataError(
            f"the workbook has no sheet {sheet!r}", file=file, hint=f"its sheets are {names}"
        )
    return sheets[names.index(sheet)]


def _choose(sheets, cells_of, skiprows, file) -> tuple[SheetInfo, Cells, Layout]:
    """The first visible sheet holding a table (else the first with a header)."""
    visible = [s for s in sheets if s.state == "visible"]
    if not visible:
        raise DataError(
            "the workbook has no visible sheet",
            file=file,
            hint=f"name a hidden sheet with sheet=: {[s.name for s in sheets]}",
        )
    found = []
    for info in visible:
        cells = cells_of(info)
        layout = locate(cells, skiprows=skiprows, sheet=info.name)
        found.append((info, cells, layout))
        if layout.problem is None and layout.figures:
            break
    good = [f for f in found if f[2].problem is None and f[2].figures] or [
        f for f in found if f[2].problem is None
    ]
    chosen = good[0] if good else found[0]
    if chosen[0] is not sheets[0]:
        passed = [f"{i.name!r}, {_why(lay)}" for i, _, lay in found if i is not chosen[0]]
        hidden = [s.name for s in sheets if s.state != "visible"]
        said = f"passed over sheet {'; '.join(passed)}" if passed else ""
        if hidden:
            said += ("; " if said else "") + f"hidden sheet(s) {hidden} are not read"
        warnings.warn(
            f"{file or 'the workbook'}: read sheet {chosen[0].name!r} ({said}); pass sheet= "
            "to read another",
            DataWarning,
            stacklevel=_STACK,
        )
    return chosen


def _why(layout: Layout) -> str:
    if layout.problem is not None:
        return f"no table: {layout.problem}"
    return "no table: no rows of figures under its header"


def _grid(cells: Cells, layout: Layout, sheet: str, file) -> tuple[np.ndarray, ...]:
    """The table's cells as a dense object array over the rows and columns holding values,
    merged ranges filled; also those rows and columns, and the ranges filled."""
    inside = (cells.row >= layout.header) & (cells.row <= layout.end)
    rows = np.unique(np.append(cells.row[inside], layout.header))
    cols = np.unique(cells.col[inside])
    if rows.size * cols.size > MAX_GRID:
        raise DataError(
            f"the table on sheet {sheet!r} spans {rows.size:,} rows by {cols.size:,} columns, "
            f"over the {MAX_GRID:,} cells read",
            file=file,
            hint="save the table alone, as CSV, or split it",
        )
    grid = np.full((rows.size, cols.size), None, dtype=object)
    grid[np.searchsorted(rows, cells.row[inside]), np.searchsorted(cols, cells.col[inside])] = (
        cells.value[inside]
    )
    filled, work = [], 0
    for min_col, min_row, max_col, max_row in cells.merged:
        if (
            min_row < layout.header
            or min_row > layout.end
            or (min_row, min_col)
            == (
                max_row,
                max_col,
            )
        ):
            continue  # above the table (a title) or below it (a note), or a single cell
        r0, r1 = np.searchsorted(rows, [min_row, max_row + 1])
        c0, c1 = np.searchsorted(cols, [min_col, max_col + 1])
        if r0 >= r1 or c0 >= c1 or rows[r0] != min_row or cols[c0] != min_col:
            continue  # its top-left cell holds no value: nothing to spread
        work += (r1 - r0) * (c1 - c0)
        if work > MAX_GRID:
            raise DataError(
                f"the merged cells of sheet {sheet!r} cover over {MAX_GRID:,} cells",
                file=file,
                hint="unmerge the cells, or save the table as CSV",
            )
        grid[r0:r1, c0:c1] = grid[r0, c0]
        filled.append(f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}")
    return grid, rows, cols, filled


def read_xlsx(data: bytes, *, file: str | None, sheet: str | int | None, skiprows: int) -> Table:
    """Read one sheet of ``.xlsx`` bytes into a :class:`Table` (see the module notes).

    Examples
    --------
    >>> import io, openpyxl
    >>> wb = openpyxl.Workbook()
    >>> for row in (["Shipments (in millions)"], [], [None, "Apple"], ["Q1 '12", 35.1]):
    ...     wb.active.append(row)
    >>> buffer = io.BytesIO()
    >>> wb.save(buffer)
    >>> t = read_xlsx(buffer.getvalue(), file=None, sheet=None, skiprows=0)
    >>> t.frame.to_dict("list"), t.header_line, t.lines.tolist(), t.title
    ({'unnamed: A': ["Q1 '12"], 'Apple': [35.1]}, 3, [4], ('Shipments (in millions)',))
    """
    archive = _open(data, file)
    with archive:
        sheets, date1904, strings_part = read_workbook(archive, file=file)
        if not sheets:
            raise DataError("the workbook has no sheets", file=file, hint="check the file")
        strings = read_strings(archive, strings_part, file=file)
        dates = read_date_styles(archive, file=file)

        def cells_of(info: SheetInfo) -> Cells:
            return read_cells(
                archive, info, strings=strings, dates=dates, date1904=date1904, file=file
            )

        if sheet is None:
            info, cells, layout = _choose(sheets, cells_of, skiprows, file)
        else:
            info = _named(sheets, sheet, file)
            cells = cells_of(info)
            layout = locate(cells, skiprows=skiprows, sheet=info.name)
    if layout.problem is not None:
        raise DataError(
            layout.problem,
            file=file,
            line=layout.header,
            hint="pass skiprows= (the rows above the header) or sheet= (another sheet)",
        )
    grid, rows, cols, filled = _grid(cells, layout, info.name, file)
    where = file or "the workbook"
    if filled:
        warnings.warn(
            f"{where}: sheet {info.name!r} has merged cells {filled}; each cell of a range "
            "took the range's value (check that a merged number is meant for every row, or "
            "unmerge it)",
            DataWarning,
            stacklevel=_STACK - 1,
        )
    if layout.notes:
        shown = "; ".join(f"row {r}: {t[:60]!r}" for r, t in layout.notes[:5])
        warnings.warn(
            f"{where}: sheet {info.name!r}: {len(layout.notes)} row(s) below the table read as "
            f"notes and left out ({shown})",
            DataWarning,
            stacklevel=_STACK - 1,
        )
    letters = tuple(column_letter(int(c)) for c in cols)
    names = header_names(list(grid[0]), file=file, line=layout.header, letters=letters)
    frame = pd.DataFrame(grid[1:], columns=names, dtype=object)
    return Table(
        frame,
        rows[1:] - layout.header,
        rows[1:],
        file,
        layout.header,
        sheet=info.name,
        letters=letters,
        title=layout.title,
        notes=tuple(t for _, t in layout.notes),
    )

"""Find the table in a sheet: its header row, the title rows above it, the notes below.

Spreadsheets exported by statistics services put a title and a subtitle above the table
and footnotes below it. The rules, on the cells that hold a value (merged cells count once,
in their top-left cell):

- **Title rows** are the rows above the header that hold one cell each ("Smartphone
  shipments ... (in million units)"). Their text is kept as ``Table.title`` (so is the
  text of the rows skipped with ``skiprows=``).
- **The header** is the first row with two or more cells -- or the row just above it if
  that holds one text cell over a column other than the first (a header whose first
  cell was left empty, over one column of figures); with ``skiprows=N`` it is row N + 1,
  whatever it holds. When title rows were skipped to find it, the header must name every
  column that holds values below it, except at most the table's first column (a period
  column whose header cell is empty); otherwise which row is the header is ambiguous and
  the sheet is refused, asking for ``skiprows=``.
- **Notes** are a block of rows at the bottom holding one text cell each that reads as a
  note (three words or more, or starting with ``*``, ``†``, ``Note``, ``Source``...), set
  off from the table by an empty row or starting with such a marker. They are left out of
  the table and named in a warning; any other row stays a row of the table (a row holding
  only a period label is a data row with no figures, which the loader reports).
- A sheet **holds a table** when its header is found and at least half of the rows below
  it hold a number outside the first column. With ``sheet=None`` the first visible sheet
  that holds a table is read (a cover page of text is passed over, with a warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from marketdata.io.xlsxcells import Cells
from marketdata.io.xlsxml import column_letter

__all__ = ["Layout", "locate"]

_MARKER = re.compile(
    r"^\s*(?:[*†‡§¹²³⁴⁵]|\(\d+\)|\d+\)|notes?\b|sources?\b|please\b|remarks?\b|n\.\s?b\.)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Layout:
    """Where the table is: Excel rows ``header``..``end``, and what is around it.

    ``problem`` says why the sheet holds no table (None when it does); ``figures`` whether
    at least half of its rows hold a number outside the first column.
    """

    header: int
    end: int
    title: tuple[str, ...]
    notes: tuple[tuple[int, str], ...]
    problem: str | None
    figures: bool


def _noted(text: object) -> bool:
    return isinstance(text, str) and (len(text.split()) >= 3 or bool(_MARKER.match(text)))


def _row_texts(cells: Cells, rows: np.ndarray) -> tuple[str, ...]:
    out = []
    for row in rows:
        at = np.flatnonzero(cells.row == row)
        at = at[np.argsort(cells.col[at], kind="stable")]
        out.append(" ".join(str(v).strip() for v in cells.value[at]))
    return tuple(out)


def _notes(cells: Cells, urows: np.ndarray, counts: np.ndarray, header: int) -> int:
    """Index into ``urows`` of the first row of the notes block (len(urows) if none)."""
    first = {}
    order = np.argsort(cells.row, kind="stable")
    first_at = order[np.searchsorted(cells.row[order], urows)]
    for i in range(len(urows) - 1, -1, -1):  # from the bottom; stops at the first data row
        if urows[i] <= header or counts[i] != 1 or not _noted(cells.value[first_at[i]]):
            break
        first[i] = cells.value[first_at[i]]
    if not first:
        return len(urows)
    start = min(first)
    gap = start > 0 and urows[start] - urows[start - 1] > 1
    return start if gap or _MARKER.match(first[start]) else len(urows)


def locate(cells: Cells, *, skiprows: int, sheet: str) -> Layout:
    """Find the table among ``cells`` (see the module notes).

    Examples
    --------
    >>> import numpy as np
    >>> from marketdata.io.xlsxcells import Cells
    >>> rows, cols = [1, 3, 3, 4, 4, 6], [1, 1, 2, 1, 2, 1]
    >>> values = ["Shipments (in millions)", "quarter", "HTC", "Q1 '12", 6.9, "* estimate"]
    >>> found = locate(Cells(np.array(rows), np.array(cols), np.array(values, dtype=object),
    ...                      []), skiprows=0, sheet="Data")
    >>> found.header, found.end, found.title, found.notes
    (3, 4, ('Shipments (in millions)',), ((6, '* estimate'),))
    """
    if cells.row.size == 0:
        return Layout(skiprows + 1, skiprows + 1, (), (), f"sheet {sheet!r} is empty", False)
    urows, counts = np.unique(cells.row, return_counts=True)
    if skiprows:
        header = skiprows + 1
        wide = np.flatnonzero(urows >= header)
        titled = urows[urows < header]  # the rows skipped: kept as the title
    else:
        wide = np.flatnonzero(counts >= 2)
        header = int(urows[wide[0]]) if wide.size else int(urows[0])
        if wide.size and wide[0] > 0 and counts[wide[0] - 1] == 1:
            above = int(urows[wide[0] - 1])  # one text cell over a column of the first row
            (at,) = np.flatnonzero(cells.row == above)
            filled = cells.col[cells.row == header]
            if isinstance(cells.value[at], str) and cells.col[at] in filled[filled > filled.min()]:
                header = above  # a header whose first cell was left empty
        titled = urows[urows < header]
    stop = _notes(cells, urows, counts, header)
    notes_rows = urows[stop:]
    end = int(urows[stop - 1]) if stop > 0 else header
    end = max(end, header)
    notes = tuple(zip((int(r) for r in notes_rows), _row_texts(cells, notes_rows), strict=True))
    body = (cells.row > header) & (cells.row <= end)
    named = set(cells.col[cells.row == header].tolist())
    used = set(cells.col[body].tolist())
    problem = None
    if not named:
        problem = f"sheet {sheet!r} has nothing in row {header}, where the header should be"
    elif titled.size and not skiprows:
        unnamed = sorted(used - named)
        first = min(used | named)
        if len(unnamed) > 1 or (unnamed and unnamed[0] != first):
            letters = ", ".join(column_letter(c) for c in unnamed)
            problem = (
                f"cannot tell which row of sheet {sheet!r} is the header: row {header}, the "
                f"first with two or more cells, leaves column(s) {letters} empty, which rows "
                "below it fill"
            )
    figures = False
    if problem is None and body.any():
        first = min(used | named)
        numeric = np.fromiter(
            (isinstance(v, (int, float)) and not isinstance(v, bool) for v in cells.value[body]),
            dtype=bool,
            count=int(body.sum()),
        ) & (cells.col[body] != first)
        with_number = np.unique(cells.row[body][numeric]).size
        figures = with_number * 2 >= np.unique(cells.row[body]).size
    return Layout(header, end, _row_texts(cells, titled), notes, problem, figures)

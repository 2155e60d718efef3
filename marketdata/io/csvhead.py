"""Where the header of a CSV export is when title lines come before it.

Statista and others export CSV files with the title of the table on the first lines
("Smartphone shipments ... (in million units)"), as in their Excel files. With
``skiprows=0``, the lines before the first line with two or more filled fields, each
holding one filled field (or none), are title lines, kept as ``Table.title``; the header
is that first line, or the line just above it if that holds one field over a column
other than the first (a header whose first cell is empty, over one column of figures).
Only the first :data:`MAX_TITLE_LINES` lines are looked at; a quoted line break above
the header (a title over two lines in one cell) leaves the first line the header, as
before. With ``skiprows=N`` the header is line N + 1 and the text of the lines skipped is
the title.
"""

from __future__ import annotations

import csv as _csv
import io

__all__ = ["MAX_TITLE_LINES", "header_below_titles"]

MAX_TITLE_LINES = 50


def header_below_titles(head: str, skiprows: int, sep: str) -> tuple[int, tuple[str, ...]]:
    """The lines above the header and the text of the title lines (see the module notes).

    Examples
    --------
    >>> header_below_titles("Shipments (in millions)\\n\\n,Apple\\nQ1 '12,35\\n", 0, ",")
    (2, ('Shipments (in millions)',))
    >>> header_below_titles("brand,units\\nHTC,3M\\n", 0, ",")
    (0, ())
    >>> header_below_titles("IDC\\n(in millions)\\nbrand,units\\n", 2, ",")
    (2, ('IDC', '(in millions)'))
    """
    if len(sep) != 1:
        return skiprows, ()
    filled: list[list[int]] = []
    texts: list[str] = []
    ends: list[int] = []  # the physical line each record ends on
    try:
        reader = _csv.reader(io.StringIO(head, newline=""), delimiter=sep)
        for row in reader:
            at = [j for j, field in enumerate(row) if field.strip()]
            filled.append(at)
            texts.append(" ".join(row[j].strip() for j in at))
            ends.append(reader.line_num)
            if (skiprows and len(filled) > skiprows) or (not skiprows and len(at) >= 2):
                break
            if len(filled) > max(skiprows, MAX_TITLE_LINES):
                return skiprows, ()
    except _csv.Error:
        return skiprows, ()
    if skiprows:
        return skiprows, tuple(x for x in texts[:skiprows] if x)
    if not filled or len(filled[-1]) < 2:
        return 0, ()
    header = len(filled) - 1
    if header and len(filled[header - 1]) == 1:  # one field over a column of the first row
        (j,) = filled[header - 1]
        if j > min(filled[header]) and j in filled[header]:
            header -= 1
    if header == 0 or ends[header - 1] != header:  # no title, or a quoted line break in it
        return 0, ()
    return header, tuple(x for x in texts[:header] if x)

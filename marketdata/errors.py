"""The error and warning types of the toolkit.

``DataError`` is raised for bad data: it says where (file, row, column), what value, what
is wrong and what to do. Bad arguments raise plain ``ValueError``/``TypeError``.
"""

from __future__ import annotations

from typing import Any


class DataError(ValueError):
    """Bad data: names the file, row, column and value, and says how to fix it.

    Parameters
    ----------
    message : str
        What is wrong.
    file : str, optional
        The file (or buffer name) the data came from.
    row : int, optional
        The data row as the user counts it (1 = first data row).
    line : int, optional
        The line in the file (or the Excel row) that holds it.
    column : str, optional
        The column holding the bad value.
    value : object, optional
        The offending value, as read.
    hint : str, optional
        What to do about it.

    Examples
    --------
    >>> err = DataError("cannot read '3,2 Mio' as a number of units", file="shipments.csv",
    ...                 row=14, line=15, column="units", value="3,2 Mio",
    ...                 hint="write 3.2M or 3200000, or pass decimal=','")
    >>> print(err)
    row 14 (line 15 of shipments.csv), column 'units': cannot read '3,2 Mio' as a number of units; write 3.2M or 3200000, or pass decimal=','
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.line = line
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.row is not None:
            place = f"row {self.row}"
            if self.line is not None:
                place += f" (line {self.line}" + (f" of {self.file})" if self.file else ")")
            elif self.file:
                place += f" of {self.file}"
            where.append(place)
        elif self.file:
            where.append(str(self.file))
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.hint:
            text += f"; {self.hint}"
        return text


class DataWarning(UserWarning):
    """Something in the data the user may accept, but should know about."""


class UnknownNameWarning(DataWarning):
    """A brand or market name not in the alias tables was kept as written."""


class InterpolationWarning(DataWarning):
    """Figures were interpolated between milestones (their status says so)."""


class DoubleCountWarning(DataWarning):
    """Rows of one window add up to more than the market: some units are counted twice."""

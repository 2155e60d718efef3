"""``write_csv``: write a frame as UTF-8 CSV (RFC 4180 line ends, CRLF) that is safe to open in a spreadsheet.

Spreadsheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
they find that start after characters they skip: spaces (ASCII, no-break, ideographic
U+3000 and the other Unicode spaces), zero-width characters (U+200B..U+200F, U+2060),
a byte-order mark (U+FEFF), tabs and line breaks. They also read the full-width
(``＝ ＋ － ＠``) and small (``﹦ ﹢ ﹣ ﹫``) forms and the minus sign U+2212 as those
characters. A figure's ``source`` or ``note`` copied from a web page could then run when
an analyst opens the file ("CSV injection", including DDE payloads such as
``=cmd|' /C calc'!A0``). ``write_csv`` prefixes every such text cell, and any cell that
starts with a tab, a carriage return or ``|``, with a single quote, which spreadsheets
show as text and do not evaluate (OWASP's advice).

Numbers stay numbers: numeric columns are written as they are, and so is a text cell
that *is* a plain number (``"-3.5"``, ``"+2"``, ``"1e-3"``: an optional sign, digits,
an optional point and exponent, nothing else), which a spreadsheet reads as that number.

The path is always the caller's: nothing here derives a file name or a directory from the
data.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

__all__ = ["FORMULA_STARTS", "IGNORED", "escape_formulas", "write_csv"]

#: Characters that start a formula (after any :data:`IGNORED` ones).
FORMULA_STARTS = tuple("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212")
#: Characters spreadsheets skip before looking for a formula (a regex character class
#: body): control characters (tab, line breaks), spaces, zero-width characters, the BOM.
IGNORED = "\x00-\x20\x7f\x85\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff"
_RISKY = f"^(?:[{IGNORED}]*[{re.escape(''.join(FORMULA_STARTS))}]|[\t\r|])"
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def _escape_text(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    risky = text.str.contains(_RISKY, regex=True).fillna(False).astype(bool)
    if not risky.any():
        return text
    number = text.str.fullmatch(_NUMBER).fillna(False).astype(bool)
    return text.mask(risky & ~number, "'" + text)


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells cannot be read as spreadsheet formulas.

    Text cells (and column names) that start with a formula character (see the module
    notes: ``= + - @``, their full-width and small forms, also after spaces, zero-width
    characters, a BOM or line breaks) or with a tab, a carriage return or ``|`` get a
    leading single quote. Numeric, boolean and datetime columns, and text cells that
    are plain numbers (``"-3.5"``), are left as they are.

    Parameters
    ----------
    frame : DataFrame
        Not modified.

    Returns
    -------
    DataFrame
        A new frame.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"note": ["=HYPERLINK(1)", " +1", "-3.5"], "units": [-5.0, 3.0, 1.0]})
    >>> escape_formulas(f)
                 note  units
    0  '=HYPERLINK(1)   -5.0
    1            ' +1    3.0
    2            -3.5    1.0
    """
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if (
            pd.api.types.is_numeric_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype)
        ):
            continue
        out[column] = _escape_text(out[column])
    names = pd.Series([str(c) for c in out.columns], dtype="string")
    out.columns = list(_escape_text(names))
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *, index: bool = False) -> Path:
    """Write ``frame`` to ``path`` as UTF-8 CSV, escaping cells a spreadsheet would run.

    Parameters
    ----------
    frame : DataFrame
        The frame to write (a figures frame or any other). Not modified.
    path : str or path-like
        Where to write. The caller chooses it; the directory must exist.
    index : bool, default False
        Write the index as a first column.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``path`` is not a path.
    FileNotFoundError
        If the directory of ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a directory.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> f = pd.DataFrame({"brand": ["@evil", "Xiaomi"], "units": [-1.0, 3e6]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = write_csv(f, pathlib.Path(d) / "figures.csv")
    ...     print(out.read_text(encoding="utf-8"))
    brand,units
    '@evil,-1.0
    Xiaomi,3000000.0
    <BLANKLINE>
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"write_csv expects a pandas DataFrame, got {type(frame).__name__}")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}")
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a directory; give a file name")
    if not target.parent.exists():
        raise FileNotFoundError(f"directory {target.parent} does not exist; create it first")
    safe = escape_formulas(frame.reset_index() if index else frame)
    safe.to_csv(
        target, index=False, encoding="utf-8", lineterminator="\r\n", date_format="%Y-%m-%d"
    )
    return target

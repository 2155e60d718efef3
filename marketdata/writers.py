"""``write_csv``: write a frame as UTF-8 CSV (RFC 4180 line ends, CRLF) that is safe to open in a spreadsheet.

Spreadsheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or a carriage return) as a formula: a figure's ``source`` or ``note`` copied from a
web page could then run when an analyst opens the file ("CSV injection"). ``write_csv``
prefixes such text cells with a single quote, which spreadsheets show as text and do not
evaluate. Numbers are written as numbers: a negative number in a numeric column
(``-5.0``) is not escaped, because it is data, not text. A *text* cell that looks like a
negative number (``"-5"`` in a string column) is escaped like any other text: the writer
does not guess what text means.

The path is always the caller's: nothing here derives a file name or a directory from the
data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

# Characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escape_text(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    if not risky.any():
        return text
    return text.mask(risky, "'" + text)


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells cannot be read as spreadsheet formulas.

    Text cells (and column names) starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return get a leading single quote. Numeric, boolean and datetime columns
    are left as they are, so negative numbers stay numbers.

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
    >>> f = pd.DataFrame({"note": ["=HYPERLINK(1)", "fine"], "units": [-5.0, 3.0]})
    >>> escape_formulas(f)
                 note  units
    0  '=HYPERLINK(1)   -5.0
    1            fine    3.0
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

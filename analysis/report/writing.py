"""Safe output: sanitised names, atomic replacement of a report and its chart folder."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_MAX_SLUG = 60


def slugify(text: str) -> str:
    """Make a safe, lower-case file-name part from free text.

    Accents are dropped, anything but ASCII letters and digits becomes one hyphen, and the
    result is at most 60 characters; it can never contain a path separator or start with a
    dot, so it cannot leave the output folder.

    Parameters
    ----------
    text : str
        A brand, market or other name given as an option.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If nothing usable is left (e.g. the text is only punctuation or non-Latin script).

    Examples
    --------
    >>> slugify("Xiaomi")
    'xiaomi'
    >>> slugify("../../etc/Sony Ericsson")
    'etc-sony-ericsson'
    >>> slugify("Nokia (HMD Global)")
    'nokia-hmd-global'
    """
    if not isinstance(text, str):
        raise TypeError(f"slugify expects a str, got {type(text).__name__}")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:_MAX_SLUG].rstrip("-")
    if not slug:
        raise ValueError(
            f"cannot make a file name from {text!r}: no Latin letters or digits in it; "
            "pass a name for the output with --name (e.g. --name xiaomi-taiwan)"
        )
    return slug


def report_stem(*parts: str) -> str:
    """Join sanitised name parts with hyphens: the report's file stem.

    Examples
    --------
    >>> report_stem("Xiaomi", "Taiwan", "2012")
    'xiaomi-taiwan-2012'
    """
    return "-".join(slugify(str(p)) for p in parts if str(p).strip())


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder.resolve()


@contextmanager
def staging(out: str | os.PathLike, stem: str) -> Iterator[Path]:
    """Stage a report in a temporary folder inside ``out``; publish it only on success.

    Yields a temporary folder; write ``<stem>.pdf`` and the chart folder ``<stem>/`` into
    it. When the block ends without an error, the new files replace the old ones
    (``os.replace``); if it raises, the temporary folder is removed and any existing report
    is left as it was.

    Parameters
    ----------
    out : path
        The output folder (created if missing).
    stem : str
        The report's file stem; must already be a slug (see :func:`slugify`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as out:
    ...     with staging(out, "demo") as tmp:
    ...         _ = (tmp / "demo.pdf").write_bytes(b"%PDF")
    ...     sorted(p.name for p in pathlib.Path(out).iterdir())
    ['demo.pdf']
    """
    if stem != report_stem(stem) or stem != slugify(stem):
        raise ValueError(f"report name {stem!r} is not a safe file name; use slugify() on it first")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{stem}.tmp-", dir=folder))
    try:
        yield tmp
        _publish(tmp, folder, stem)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _publish(tmp: Path, folder: Path, stem: str) -> None:
    """Move the staged chart folder, then the PDF, into place."""
    charts, pdf = tmp / stem, tmp / f"{stem}.pdf"
    target_charts, target_pdf = folder / stem, folder / f"{stem}.pdf"
    for path in (target_charts, target_pdf):
        if not _inside(path, folder):  # pragma: no cover - slugs cannot escape
            raise ValueError(f"refusing to write {path} outside {folder}")
    if charts.is_dir():
        old = None
        if target_charts.exists():
            old = tmp / ".old-charts"
            os.replace(target_charts, old)
        try:
            os.replace(charts, target_charts)
        except OSError:
            if old is not None:
                os.replace(old, target_charts)
            raise
    if pdf.is_file():
        os.replace(pdf, target_pdf)

"""Safe output: sanitised names, and a report published in one step (PDF, workbook and charts
switch together)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["publish", "remove_stale", "report_stem", "slugify", "staging"]

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


_STAGING = ".{stem}.tmp-"  # a build in progress
_BUILDS = ".{stem}.builds"  # the published builds, one folder each


@contextmanager
def staging(out: str | os.PathLike, stem: str) -> Iterator[Path]:
    """Stage a report in a temporary folder inside ``out``; publish it in one step.

    Yields a temporary folder; write ``<stem>.pdf``, ``<stem>.xlsx`` and the chart folder
    ``<stem>/`` into it. When the block ends without an error, the folder becomes a new
    build in ``out/.<stem>.builds/`` and ``<stem>.pdf``, ``<stem>.xlsx`` and ``<stem>/`` in
    ``out`` are symbolic links into it, switched together by one rename of a link (see
    :func:`publish`). If the block raises, the temporary folder is removed and the published
    report is left as it was. Temporary folders left by builds that were killed are
    removed first.

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
    ['.demo.builds', 'demo.pdf']
    >>> # (.demo.builds holds the published build; demo.pdf points into it)
    """
    if stem != report_stem(stem) or stem != slugify(stem):
        raise ValueError(f"report name {stem!r} is not a safe file name; use slugify() on it first")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale(folder, stem)
    tmp = Path(tempfile.mkdtemp(prefix=_STAGING.format(stem=stem), dir=folder))
    try:
        yield tmp
        publish(tmp, folder, stem)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def remove_stale(folder: Path, stem: str) -> None:
    """Remove what killed builds left: staging folders, and builds no link points to."""
    for path in folder.glob(_STAGING.format(stem=stem) + "*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
    builds = folder / _BUILDS.format(stem=stem)
    if not builds.is_dir():
        return
    current = _current(folder, stem)
    for build in builds.iterdir():
        if build.name != current and not build.name.startswith(".link"):
            shutil.rmtree(build, ignore_errors=True)
        elif build.name.startswith(".link"):
            build.unlink(missing_ok=True)


def _current(folder: Path, stem: str) -> str | None:
    """The name of the published build (where ``.<stem>.builds/current`` points)."""
    link = folder / _BUILDS.format(stem=stem) / "current"
    return os.readlink(link) if link.is_symlink() else None


def publish(tmp: Path, folder: Path, stem: str) -> None:
    """Publish the staged build ``tmp`` in one step.

    The build moves to ``.<stem>.builds/<n>``; the link ``.<stem>.builds/current`` is
    replaced by one ``os.replace`` (atomic on POSIX), and the names a reader opens,
    ``<stem>.pdf``, ``<stem>.xlsx`` and ``<stem>/``, are links through ``current``, so
    they switch from the old build to the new one together: there is no moment where a new
    chart folder sits beside an old PDF. The old build is removed afterwards.
    """
    builds = folder / _BUILDS.format(stem=stem)
    builds.mkdir(exist_ok=True)
    old = _current(folder, stem)
    number = 1 + max([int(p.name) for p in builds.iterdir() if p.name.isdigit()], default=0)
    build = builds / str(number)
    os.replace(tmp, build)
    tmp.mkdir()  # the caller removes its (now empty) staging folder
    names = [p.name for p in build.iterdir()]
    for name in names:  # stable links through "current", made once
        target = folder / name
        if not _inside(target, folder):  # pragma: no cover - slugs cannot escape
            raise ValueError(f"refusing to write {target} outside {folder}")
        wanted = os.path.join(builds.name, "current", name)
        if target.is_symlink() and os.readlink(target) == wanted:
            continue
        link = folder / f".{stem}.link-{number}"
        link.unlink(missing_ok=True)
        os.symlink(wanted, link)
        if target.exists() and not target.is_symlink():  # a report of an older version
            _retire(target)
        os.replace(link, target)
    pointer = builds / f".link-{number}"
    pointer.unlink(missing_ok=True)
    os.symlink(str(number), pointer)
    os.replace(pointer, builds / "current")  # the one step that publishes
    for stale in (folder / f"{stem}{suffix}" for suffix in ("", ".pdf", ".xlsx")):
        if stale.is_symlink() and stale.name not in names:  # a format not built this time
            stale.unlink()
    if old is not None and old != str(number):
        shutil.rmtree(builds / old, ignore_errors=True)


def _retire(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def _inside(path: Path, folder: Path) -> bool:
    return path.parent.resolve() == folder.resolve()

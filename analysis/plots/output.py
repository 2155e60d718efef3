"""Saving charts: PNG, PDF and SVG with fixed metadata, byte-identical on every run, each
file replaced in one rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.plots.rc import DPI, context

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "save"]

METADATA_NAME = "marketshare"
FORMATS = ("png", "pdf", "svg")


def _metadata(fmt: str) -> dict[str, Any]:
    if fmt == "png":
        return {"Software": None}
    if fmt == "pdf":
        return {
            "CreationDate": None,
            "ModDate": None,
            "Producer": METADATA_NAME,
            "Creator": METADATA_NAME,
        }
    if fmt == "svg":
        return {"Date": None, "Creator": METADATA_NAME}
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save(
    fig: Figure,
    path: str | os.PathLike[str],
    formats: str | Sequence[str] = ("png", "pdf"),
    *,
    dpi: int = DPI,
) -> list[Path]:
    """Save a figure as PNG (``dpi``), PDF and/or SVG (vector) with fixed metadata.

    The same figure gives byte-identical files on every run: no dates, no software
    version, a fixed SVG hash salt. Each file is written to a temporary file in the same
    directory and then renamed over the target, so an existing file is replaced only by a
    complete one.

    Parameters
    ----------
    fig : Figure
        The figure (``ax.figure``).
    path : path-like
        Target path; its suffix, if any, is replaced by each format's.
    formats : str or sequence of str
        ``"png"``, ``"pdf"``, ``"svg"``, or several (a comma-separated string works too).
    dpi : int
        Resolution of raster output.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        For an unknown format.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> from analysis.plots.rc import new_axes
    >>> ax = new_axes()
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in save(ax.figure, folder + "/chart", "png,pdf")]
    ['chart.png', 'chart.pdf']
    >>> plt.close(ax.figure)
    """
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    formats = [f.lower().lstrip(".") for f in formats]
    if not formats:
        raise ValueError("formats is empty; pass e.g. ('png', 'pdf')")
    for fmt in formats:
        _metadata(fmt)  # raises on an unknown format before anything is written
    base = Path(path)
    written = []
    for fmt in formats:
        target = base.with_suffix("." + fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix="." + target.name + ".", suffix=".tmp", dir=target.parent
        )
        os.close(handle)
        try:
            with context():
                fig.savefig(
                    temporary,
                    format=fmt,
                    dpi=dpi,
                    metadata=_metadata(fmt),
                    bbox_inches="tight",
                    pad_inches=0.1,
                )
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        written.append(target)
    return written

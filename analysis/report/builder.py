"""``build_report``: run the analysis, lay out the pages, write the PDF and PNGs atomically."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.report import inputs as inputs_module
from analysis.report import pages, sections
from analysis.report.content import Section, Table
from analysis.report.writing import report_stem, slugify, staging

FORMATS = ("pdf", "png")
DEFAULT_DRAWS = 2000
PDF_METADATA = {
    "Title": None,  # set per report
    "Author": None,
    "Creator": "marketshare",
    "Producer": "marketshare",
    "CreationDate": None,
    "ModDate": None,
}
FOUNDING = {"brand": "Xiaomi", "market": "TW"}


@dataclass(frozen=True)
class Report:
    """What :func:`build_report` wrote, and what it left out."""

    pdf: Path | None
    charts: tuple[Path, ...]
    pages: int
    sections: tuple[Section, ...]

    @property
    def omitted(self) -> dict[str, str]:
        """Sections left out, with the reason."""
        return {sec.title: sec.omitted for sec in self.sections if sec.omitted}


def _formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = formats.split(",")
    chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(
            f"unknown output format(s) {unknown or formats!r}; use pdf, png or pdf,png"
        )
    return chosen


def _brand(text: str) -> str:
    try:
        from marketdata import brand_name
    except ImportError:  # the alias tables are not part of this version
        return text.strip()
    return str(brand_name(text.strip()))


def _market(text: str) -> str:
    try:
        from marketdata import market_code
    except ImportError:
        code = text.strip()
        for known, name in inputs_module.MARKET_NAMES.items():
            if code.casefold() in (known.casefold(), name.casefold()):
                return known
        return code.upper()
    return str(market_code(text.strip()))


def _date(value) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            from marketdata import parse_period
        except ImportError:
            return pd.Timestamp(value)
        try:
            return pd.Timestamp(parse_period(value)[1])
        except ValueError:
            return pd.Timestamp(value)
    return pd.Timestamp(value)


def _units(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            from marketdata import parse_units
        except ImportError:
            return float(value)
        return float(parse_units(value))
    return float(value)


def prepare(
    data=None,
    *,
    brand: str | None = None,
    market: str | None = None,
    target=None,
    by=None,
    volumes: Sequence[float] | None = None,
) -> inputs_module.Inputs:
    """The report's inputs: the founding case, or the given data (a path or a figures frame).

    Raises
    ------
    ValueError
        For a brand or market the data lacks, a target without a date, or a different
        brand or market without data.

    Examples
    --------
    >>> case = prepare()
    >>> case.title, case.brand, case.market, case.target
    ('Xiaomi in Taiwan, 2012', 'Xiaomi', 'TW', 5000000.0)
    >>> prepare(target=6_000_000, by="2012-12-31").target
    6000000.0
    """
    target_units, by_date = _units(target), _date(by)
    volumes = tuple(float(v) for v in volumes) if volumes else None
    if data is None:
        brand_c = _brand(brand) if brand else FOUNDING["brand"]
        market_c = _market(market) if market else FOUNDING["market"]
        if (brand_c, market_c) != (FOUNDING["brand"], FOUNDING["market"]):
            raise ValueError(
                f"without --data the report is the founding case (Xiaomi in TW), not "
                f"{brand_c} in {market_c}; pass --data FILE with figures for {brand_c}"
            )
        case = inputs_module.founding_case(volumes=volumes)
        changes = {}
        if target_units is not None:
            changes["target"] = target_units
        if by_date is not None:
            changes["by"] = by_date
        return dataclasses.replace(case, **changes) if changes else case
    if brand is None or market is None:
        raise ValueError("with --data, say which brand and market: --brand NAME --market CODE")
    label = "the data"
    if isinstance(data, (str, os.PathLike)):
        from marketdata import read

        label = Path(data).name
        figures = read(data)
    else:
        figures = data
    return inputs_module.from_figures(
        figures,
        brand=_brand(brand),
        market=_market(market),
        target=target_units,
        by=by_date,
        volumes=volumes,
        label=label,
    )


def _stem(case: inputs_module.Inputs, name: str | None, by_option) -> str:
    if name:
        return slugify(name)
    year = ""
    if by_option is not None:
        year = str(_date(by_option).year)
    elif case.title == "Xiaomi in Taiwan, 2012":
        year = "2012"
    return report_stem(case.brand, case.market_name, year)


def _title_page(case: inputs_module.Inputs, secs: Sequence[Section], *, seed: int, draws: int):
    answers = [f"{sec.title}: {sec.answer}" for sec in secs if sec.answer]
    left_out = [f"{sec.title}: left out, because {sec.omitted}." for sec in secs if sec.omitted]
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("marketshare")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        release = "source tree"
    return pages.text_pages(
        case.title,
        subtitle="A market-share report built by marketshare from published figures",
        paragraphs=[case.question],
        bullets=answers + left_out,
        bullet_heading="Answers",
        notes=list(case.assumptions)
        + list(case.notes)
        + [
            f"Simulations: {draws} draws, seed {seed}; the same inputs give the same report. "
            f"marketshare {release}."
        ],
        notes_heading="Assumptions and caveats (illustrative assumptions are labelled as such)",
    )


def _section_pages(case, sec: Section) -> list:
    header = case.title
    if sec.omitted:
        return pages.text_pages(
            sec.title,
            header=header,
            paragraphs=[f"This part of the report is left out: {sec.omitted}."],
        )
    return pages.text_pages(
        sec.title,
        header=header,
        paragraphs=sec.paragraphs,
        tables=sec.tables,
        notes=[f"Assumption: {a}" for a in sec.assumptions] + list(sec.notes),
        notes_heading="Assumptions and notes from the models",
    )


def _sources_page(case, secs: Sequence[Section]):
    described = []
    covered: set[str] = set()
    if case.source_figures is not None and len(case.source_figures):
        described = inputs_module.describe_sources(case.source_figures)
        covered = set(case.source_figures["source"].dropna().astype(str))
    everything = list(case.sources)
    for sec in secs:
        everything += list(sec.sources)
    rest = [x for x in dict.fromkeys(everything) if x and x not in covered]
    return pages.text_pages(
        "Sources",
        header=case.title,
        paragraphs=[
            "Every figure in this report comes from one of these sources (as carried in the "
            "data's source column), with what each one gives; derived figures name the "
            "sources they combine."
        ],
        bullets=described + rest,
        notes=list(case.assumptions),
        notes_heading="Assumptions",
    )


def _whole_page(figure):
    """The figure's full extent in inches: a page saved as laid out, not cropped."""
    from matplotlib.transforms import Bbox

    return Bbox.from_bounds(0, 0, *figure.get_size_inches())


def build_report(
    data=None,
    *,
    brand: str | None = None,
    market: str | None = None,
    target=None,
    by=None,
    out: str | os.PathLike = "reports",
    formats: str | Sequence[str] = FORMATS,
    seed: int = 0,
    draws: int = DEFAULT_DRAWS,
    volumes: Sequence[float] | None = None,
    name: str | None = None,
) -> Report:
    """Build a market-share report: a multi-page PDF and one PNG per chart.

    With no data this is the founding case, "Xiaomi in Taiwan, 2012", from the packaged
    datasets: ``reports/xiaomi-taiwan-2012.pdf`` and ``reports/xiaomi-taiwan-2012/*.png``.

    Parameters
    ----------
    data : path or DataFrame, optional
        Figures for another case (any file :func:`marketdata.read` takes); needs
        ``brand`` and ``market``.
    brand, market : str, optional
        The brand and the market it would enter.
    target : float or str, optional
        A target in units (``5000000`` or ``"5M"``), reached ``by`` a date.
    by : date or str, optional
        The target's date.
    out : path
        Output folder (default ``reports``).
    formats : str or sequence of str
        ``"pdf"``, ``"png"`` or both (default).
    seed : int
        Seed of every simulation: the same inputs and seed give byte-identical files.
    draws : int
        Monte Carlo draws (fewer for quick runs).
    volumes : sequence of float, optional
        Entry volumes to try instead of the illustrative defaults.
    name : str, optional
        File stem instead of ``<brand>-<market>[-<year>]`` (sanitised either way).

    Returns
    -------
    Report
        The files written, the page count and the sections (with any left out).

    Raises
    ------
    ValueError
        For bad options; :class:`marketdata.DataError` for bad data. Nothing is written
        then, and an existing report is left as it was.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = build_report(out=out, draws=200, formats="pdf")
    ...     print(report.pdf.name, report.pdf.read_bytes()[:5])
    xiaomi-taiwan-2012.pdf b'%PDF-'
    """
    chosen = _formats(formats)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    if not isinstance(draws, int) or draws < 100:
        raise ValueError(f"draws must be an integer of at least 100, got {draws!r}")
    case = prepare(data, brand=brand, market=market, target=target, by=by, volumes=volumes)
    stem = _stem(case, name, by)
    secs = tuple(build(case, seed=seed, draws=draws) for build in sections.BUILDERS)
    return _write(case, secs, out=out, stem=stem, formats=chosen, seed=seed, draws=draws)


def _write(case, secs, *, out, stem, formats, seed, draws) -> Report:
    from matplotlib.backends.backend_pdf import PdfPages

    from analysis import plots

    charts = [chart for sec in secs for chart in sec.charts]
    written: list[Path] = []
    count = 0
    with staging(out, stem) as tmp, plots.context():
        if "png" in formats:
            folder = tmp / stem
            folder.mkdir()
            for number, chart in enumerate(charts, start=1):
                ax = pages.chart_axes(chart, page=False)
                plots.save(ax.figure, folder / f"{number:02d}-{chart.name}.png", "png")
                written.append(Path(out) / stem / f"{number:02d}-{chart.name}.png")
        if "pdf" in formats:
            metadata = dict(PDF_METADATA, Title=case.title)
            with PdfPages(tmp / f"{stem}.pdf", metadata=metadata) as pdf:
                figures = _title_page(case, secs, seed=seed, draws=draws)
                for sec in secs:
                    figures += _section_pages(case, sec)
                    figures += [pages.chart_axes(c, page=True).figure for c in sec.charts]
                figures += _sources_page(case, secs)
                for figure in figures:
                    # the whole page: the house rc crops saved figures to their content
                    pdf.savefig(figure, bbox_inches=_whole_page(figure))
                count = len(figures)
    return Report(
        pdf=Path(out) / f"{stem}.pdf" if "pdf" in formats else None,
        charts=tuple(written),
        pages=count,
        sections=secs,
    )


__all__ = ["Report", "Table", "build_report", "prepare"]

"""``build_report``: run the analysis, lay out the pages, write the PDF, PNGs and workbook."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from analysis import plots
from analysis._validation import check_integer, check_seed, seed_int
from analysis.report import pages, sections, workbook
from analysis.report.content import Section
from analysis.report.founding import FOUNDING, founding_case
from analysis.report.inputs import Inputs, from_figures, market_name
from analysis.report.options import check_basis, target_option, units_option
from analysis.report.sources import sources_lines
from analysis.report.writing import report_stem, slugify, staging
from marketdata import brand_name, market_code, read
from marketdata import schema as s

__all__ = ["DEFAULT_DRAWS", "FORMATS", "Report", "build_report", "prepare"]

FORMATS = ("pdf", "png", "xlsx")
DEFAULT_FORMATS = ("pdf", "png")
#: Enough draws that the headline numbers do not move with the seed at their rounding.
DEFAULT_DRAWS = 20_000
PDF_METADATA = {
    "Title": None,  # set per report
    "Author": None,
    "Creator": "marketshare",
    "Producer": "marketshare",
    "CreationDate": None,
    "ModDate": None,
}


@dataclass(frozen=True)
class Report:
    """What :func:`build_report` wrote, and what it left out."""

    pdf: Path | None
    charts: tuple[Path, ...]
    pages: int
    sections: tuple[Section, ...]
    xlsx: Path | None = None
    inputs: Inputs | None = None

    @property
    def omitted(self) -> dict[str, str]:
        """Sections and charts left out, with the reason."""
        out = {sec.title: sec.omitted for sec in self.sections if sec.omitted}
        for sec in self.sections:
            out.update({f"{sec.title}: {name}": why for name, why in sec.left_out})
        return out


def _formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = formats.split(",")
    chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(
            f"unknown output format(s) {unknown or formats!r}; use pdf, png, xlsx or a "
            "comma-separated list (pdf,png,xlsx)"
        )
    return chosen


def prepare(
    data=None,
    *,
    brand: str | None = None,
    market: str | None = None,
    target=None,
    by=None,
    basis: str | None = None,
    market_size=None,
    volumes: Sequence[float] | None = None,
) -> Inputs:
    """The report's inputs: the founding case, or the given data (a path or a figures frame).

    With data, ``brand`` and ``market`` default to the data's only brand (residual rows
    aside) and only market; data holding several must name them.

    Raises
    ------
    ValueError
        For a brand or market the data lacks (or holds several of, unnamed), a target that is not a number of units, a
        date the period parser refuses, or a different brand or market without data.

    Examples
    --------
    >>> case = prepare()
    >>> case.title, case.brand, case.market, case.target.label
    ('Xiaomi in Taiwan, 2012', 'Xiaomi', 'TW', '5M by 31 December 2012')
    >>> prepare(target="8M", by="2013Q2").title
    'Xiaomi in Taiwan, 2013'
    """
    volumes = tuple(units_option(v, "volumes") for v in volumes) if volumes else None
    size = units_option(market_size, "market_size")
    if data is None:
        brand_c = str(brand_name(brand.strip())) if brand else FOUNDING["brand"]
        market_c = str(market_code(market.strip())) if market else FOUNDING["market"]
        if (brand_c, market_c) != (FOUNDING["brand"], FOUNDING["market"]):
            raise ValueError(
                f"without --data the report is the founding case (Xiaomi in Taiwan), not "
                f"{brand_c} in {market_name(market_c)}; pass --data FILE with figures for {brand_c}"
            )
        default = founding_case().target
        case = founding_case(
            volumes=volumes, target=target_option(target, by, basis, default=default)
        )
        check_basis(case.target, case.cumulative, case.brand)
        return case
    label = "the data"
    if isinstance(data, (str, os.PathLike)):
        label = Path(data).name
        figures = read(data)
    else:
        figures = data
    if brand is None:
        brand = _only(figures, "brand", label, "--brand NAME")
    if market is None:
        market = _only(figures, "market", label, "--market CODE")
    case = from_figures(
        figures,
        brand=str(brand_name(brand.strip())),
        market=str(market_code(market.strip())),
        volumes=volumes,
        market_size=size,
        label=label,
    )
    chosen = target_option(target, by, basis, default=case.target)
    if chosen is not case.target:
        case = from_figures(
            figures,
            brand=case.brand,
            market=case.market,
            target=chosen,
            volumes=volumes,
            market_size=size,
            label=label,
        )
    check_basis(case.target, case.cumulative, case.brand)
    return case


def _only(figures, column: str, label: str, flag: str) -> str:
    """The one brand (residuals and market rows aside) or market of ``figures``, else a
    ValueError listing what the data holds and naming the flag to choose with."""
    values = set(figures[column].dropna().astype(str)) if column in figures else set()
    found = sorted(values - set(s.RESIDUAL_BRANDS) if column == s.BRAND else values)
    if len(found) == 1:
        return found[0]
    listed = ", ".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8 else "")
    held = f"holds {len(found)} {column}s ({listed})" if found else f"names no {column}"
    raise ValueError(f"{label} {held}: say which with {flag}")


def _stem(case: Inputs, name: str | None, by) -> str:
    """The file stem from the options only (``--name``, or brand, market and the year of
    ``--by``; the founding case's year): never from values in the data."""
    if name:
        return slugify(name)
    year = ""
    if by is not None:
        year = str(case.target.by.year)
    elif case.founding:
        year = str(case.target.by.year)
    where = case.market_name if case.market != "WW" else "worldwide"
    return report_stem(case.brand, where, year)


def _release() -> str:
    try:
        return version("marketshare")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "source tree"


def _title_page(case: Inputs, secs: Sequence[Section], *, seed: int, draws: int):
    answers = [f"{sec.title}: {sec.answer}" for sec in secs if sec.answer]
    left_out = [f"{sec.title}: left out, because {sec.omitted}." for sec in secs if sec.omitted]
    paragraphs = [case.context] if case.context else []
    return pages.text_pages(
        case.title,
        subtitle="A market-share report built by marketshare from published figures",
        paragraphs=paragraphs,
        lists=[("The questions", list(case.questions)), ("Answers", answers + left_out)],
        notes=list(case.assumptions)
        + list(case.notes)
        + [
            f"Simulations: {draws:,} draws, seed {seed}; the same inputs give the same report. "
            f"marketshare {_release()}."
        ],
        notes_heading="Assumptions and caveats (illustrative assumptions are labelled as such)",
    )


def _section_pages(case: Inputs, sec: Section) -> list:
    if sec.omitted:
        return pages.text_pages(
            sec.title,
            header=case.title,
            paragraphs=[f"This part of the report is left out: {sec.omitted}."],
        )
    left_out = [f"Chart left out: {name}: {why}." for name, why in sec.left_out]
    return pages.text_pages(
        sec.title,
        header=case.title,
        paragraphs=list(sec.paragraphs) + left_out,
        tables=sec.tables,
        notes=[f"Assumption: {a}" for a in sec.assumptions] + list(sec.notes),
        notes_heading="Assumptions and notes from the models",
    )


def _sources_page(case: Inputs, secs: Sequence[Section]):
    return pages.text_pages(
        "Sources",
        header=case.title,
        paragraphs=[
            "Every figure in this report comes from one of these sources, with the outlet and "
            "address where it was published and what each one gives; derived figures name the "
            "sources they combine."
        ],
        bullets=sources_lines(case, secs),
    )


def build_report(
    data=None,
    *,
    brand: str | None = None,
    market: str | None = None,
    target=None,
    by=None,
    basis: str | None = None,
    market_size=None,
    out: str | os.PathLike = "reports",
    formats: str | Sequence[str] = DEFAULT_FORMATS,
    seed: int = 0,
    draws: int = DEFAULT_DRAWS,
    volumes: Sequence[float] | None = None,
    name: str | None = None,
) -> Report:
    """Build a market-share report: a multi-page PDF, one PNG per chart, an Excel workbook.

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
        A target in units (``5000000``, ``"5M"``, ``"5 million"``), reached ``by`` a date;
        text :func:`marketdata.parse_units` cannot read, and targets under 1,000 units,
        are refused.
    by : date or str, optional
        The target's date or period (``2012-12-31``, ``2012``, ``2013Q2``), read by
        :func:`marketdata.parse_period`; a period is also the window of the "period" reading.
    basis : {"since-launch", "period"}, optional
        How the target counts: units since launch, or units within the period. Default:
        as the source says; both readings when nobody said.
    market_size : float or str, optional
        The market's units, to turn share-only data into units.
    out : path
        Output folder (default ``reports``).
    formats : str or sequence of str
        ``"pdf"``, ``"png"``, ``"xlsx"`` or several (default pdf and png).
    seed : int or numpy.random.Generator
        Seed of every simulation: the same inputs and seed give byte-identical files.
    draws : int
        Monte Carlo draws (default 20,000; fewer for quick runs).
    volumes : sequence of float or str, optional
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
    seed = seed_int(check_seed(seed))
    draws = check_integer(draws, "draws", minimum=100)
    case = prepare(
        data,
        brand=brand,
        market=market,
        target=target,
        by=by,
        basis=basis,
        market_size=market_size,
        volumes=volumes,
    )
    stem = _stem(case, name, by)
    secs = tuple(build(case, seed=seed, draws=draws) for build in sections.BUILDERS)
    return _write(case, secs, out=out, stem=stem, formats=chosen, seed=seed, draws=draws)


def _write(case, secs, *, out, stem, formats, seed, draws) -> Report:
    from matplotlib.backends.backend_pdf import PdfPages  # lazy: matplotlib

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
            figures = _title_page(case, secs, seed=seed, draws=draws)
            for sec in secs:
                figures += _section_pages(case, sec)
                figures += [pages.chart_axes(c, page=True).figure for c in sec.charts]
            figures += _sources_page(case, secs)
            pages.number_pages(figures)
            with PdfPages(tmp / f"{stem}.pdf", metadata=metadata) as pdf:
                for figure in figures:
                    # the whole page: the house rc crops saved figures to their content
                    pdf.savefig(figure, bbox_inches=pages.whole_page(figure))
            count = len(figures)
        if "xlsx" in formats:
            workbook.write_workbook(tmp / f"{stem}.xlsx", case, secs, seed=seed, draws=draws)
    return Report(
        pdf=Path(out) / f"{stem}.pdf" if "pdf" in formats else None,
        charts=tuple(written),
        pages=count,
        sections=secs,
        xlsx=Path(out) / f"{stem}.xlsx" if "xlsx" in formats else None,
        inputs=case,
    )

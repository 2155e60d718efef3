"""The report builder: pages, charts, byte identity, atomic replacement, safe names."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import analysis
import marketdata
from analysis.report import build_report, builder, inputs, sections, slugify
from analysis.report.content import Chart, Section

DRAWS = 200  # few Monte Carlo draws: the tests check plumbing and determinism, not precision
STEM = "xiaomi-taiwan-2012"
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: Path) -> int:
    """Count the page objects of a PDF without a PDF library (matplotlib writes them plain)."""
    return len(PAGE.findall(pdf.read_bytes()))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return out, build_report(out=out, draws=DRAWS)


def test_founding_case_writes_the_named_pdf_and_chart_folder(built):
    out, report = built
    assert report.pdf == out / f"{STEM}.pdf"
    assert report.pdf.read_bytes().startswith(b"%PDF-")
    assert (out / STEM).is_dir()
    # nothing else in the output folder: no temporary files left behind
    assert sorted(p.name for p in out.iterdir()) == [STEM, f"{STEM}.pdf"]


def test_page_count(built):
    out, report = built
    # One title page, one page per section (5: projection, market, entry, rank,
    # dependence), one page per chart (each chart is also one PNG), one sources page.
    expected = 1 + len(sections.BUILDERS) + len(report.charts) + 1
    assert page_count(report.pdf) == expected
    assert report.pages == expected


def test_every_png_exists_and_is_a_nonempty_png(built):
    out, report = built
    files = sorted((out / STEM).iterdir())
    assert files == sorted(report.charts)
    charts = [c for sec in report.sections for c in sec.charts]
    assert [f.name for f in files] == [f"{i:02d}-{c.name}.png" for i, c in enumerate(charts, 1)]
    for file in files:
        data = file.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def test_same_inputs_give_byte_identical_files(built, tmp_path):
    out, first = built
    second = build_report(out=tmp_path, draws=DRAWS)
    assert second.pdf.read_bytes() == first.pdf.read_bytes()
    assert [p.name for p in second.charts] == [p.name for p in first.charts]
    for a, b in zip(first.charts, second.charts, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_byte_identical_in_another_process_with_another_hash_seed(built, tmp_path):
    import os
    import subprocess
    import sys

    _, first = built
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=str(root))
    code = f"from analysis.report import build_report; build_report(out={str(tmp_path)!r}, draws={DRAWS})"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
    assert (tmp_path / f"{STEM}.pdf").read_bytes() == first.pdf.read_bytes()
    for chart in first.charts:
        assert (tmp_path / STEM / chart.name).read_bytes() == chart.read_bytes()


def test_pdf_has_no_creation_date(built):
    _, report = built
    data = report.pdf.read_bytes()
    assert b"/CreationDate" not in data and b"/ModDate" not in data
    assert b"/Producer (marketshare)" in data


def _quick_section(case, **options):
    """A one-chart section: for the tests of writing and naming, which need no analysis."""

    def draw(ax, title=""):
        ax.plot([0, 1], [0, 1])

    return Section(
        title="Quick", paragraphs=("x",), charts=(Chart("line", "Line", draw, ("test",)),)
    )


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(sections, "BUILDERS", (_quick_section,))


def test_failed_build_keeps_the_existing_report(tmp_path, monkeypatch, quick):
    first = build_report(out=tmp_path, draws=DRAWS, formats="pdf")
    before = first.pdf.read_bytes()
    (tmp_path / STEM).mkdir()
    (tmp_path / STEM / "old.png").write_bytes(b"old chart")

    def broken(case, **options):
        chart = Chart("broken", "Broken", draw=_raise, sources=("test",))
        return Section(title="Broken", charts=(chart,))

    monkeypatch.setattr(sections, "BUILDERS", (broken,))
    with pytest.raises(RuntimeError, match="drawing failed"):
        build_report(out=tmp_path, draws=DRAWS)
    assert first.pdf.read_bytes() == before
    assert (tmp_path / STEM / "old.png").read_bytes() == b"old chart"
    assert sorted(p.name for p in tmp_path.iterdir()) == [STEM, f"{STEM}.pdf"]


def _raise(ax, title=""):
    raise RuntimeError("drawing failed")


def test_a_complete_build_replaces_the_old_chart_folder(tmp_path, quick):
    (tmp_path / STEM).mkdir()
    (tmp_path / STEM / "stale.png").write_bytes(b"stale")
    report = build_report(out=tmp_path, draws=DRAWS, formats="png")
    assert not (tmp_path / STEM / "stale.png").exists()
    assert sorted(p.name for p in (tmp_path / STEM).iterdir()) == ["01-line.png"]
    assert report.pdf is None and not (tmp_path / f"{STEM}.pdf").exists()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Xiaomi", "xiaomi"),
        ("../../etc/passwd", "etc-passwd"),
        ("Nokia (HMD Global)", "nokia-hmd-global"),
        ("Sony Ericsson/..", "sony-ericsson"),
        ("Café Phones", "cafe-phones"),
        (".hidden", "hidden"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "..", "/", "小米", "   "])
def test_slugify_refuses_names_with_nothing_usable(text):
    with pytest.raises(ValueError, match="--name"):
        slugify(text)


def test_output_name_never_escapes_out(tmp_path, quick):
    out = tmp_path / "out"
    report = build_report(out=out, draws=DRAWS, formats="pdf", name="../../escape")
    assert report.pdf == out / "escape.pdf" and report.pdf.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_output_name_comes_from_options_not_data(tmp_path, quick):
    # --by 2013 puts 2013 in the name: the stem is built from the options only
    report = build_report(out=tmp_path, draws=DRAWS, formats="pdf", by="2013-12-31")
    assert report.pdf.name == "xiaomi-taiwan-2013.pdf"


def test_bad_format_raises_before_writing(tmp_path):
    with pytest.raises(ValueError, match="pdf, png"):
        build_report(out=tmp_path, formats="svg")
    assert list(tmp_path.iterdir()) == []


def test_other_brand_without_data_is_refused(tmp_path):
    with pytest.raises(ValueError, match="founding case"):
        build_report(out=tmp_path, brand="Nokia")


def test_founding_case_inputs():
    case = inputs.founding_case()
    market = case.market_figures.set_index("brand")["units"]
    # IDC 2013 Taiwan shares x the 7M market of the news report:
    # Samsung 0.28 x 7M = 1.96M, HTC 0.21 x 7M = 1.47M, LG 0.03 x 7M = 0.21M;
    # Others = (1 - 0.28 - 0.21 - 0.16 - 0.13 - 0.03) x 7M = 0.19 x 7M = 1.33M.
    assert market["Samsung"] == pytest.approx(1.96e6)
    assert market["HTC"] == pytest.approx(1.47e6)
    assert market["LG"] == pytest.approx(0.21e6)
    assert market["Others"] == pytest.approx(1.33e6)
    assert market.sum() == pytest.approx(7e6)
    # entry volumes: 0.5%, 1%, 2%, 4% of 7M
    assert case.volumes == (35_000, 70_000, 140_000, 280_000)
    assert case.target == 5e6 and case.by == pd.Timestamp("2012-12-31")
    assert all("target" not in str(x) for x in case.brand_figures["status"])
    assert any("illustrative" in a for a in case.assumptions)


def test_htc_page_says_what_the_data_cannot_tell(built):
    _, report = built
    (htc,) = [sec for sec in report.sections if sec.title == "Dependence on markets"]
    text = " ".join(htc.paragraphs)
    assert "no split of HTC's shipments by market" in text
    # HTC in Taiwan 0.21 x 7M = 1.47M against 32.6M worldwide in 2012 (IDC): 1.47 / 32.6
    assert htc.values["taiwan_fraction"] == pytest.approx(1.47 / 32.6)
    assert "5%" in htc.answer


def test_sources_page_lists_every_source(built):
    _, report = built
    case = builder.prepare()
    lines = inputs.describe_sources(case.source_figures)
    # the news report gives 3 figures: 3M by 2012-06-12, the 5M target, the 7M market size
    assert (
        "news report on Xiaomi's plans for Taiwan (2012): 3 figures (Xiaomi, market size; CN, TW; 2012)"
        in lines
    )
    # IDC via Statista: HTC's 32.6M worldwide in 2012, used on the HTC page
    assert "IDC via Statista 271539: 1 figure (HTC; WW; 2012)" in lines
    # the low-confidence page behind "over 300k by end-2011"
    assert "http://www.nnzcw.cn/post/73869.html: 1 figure (Xiaomi; CN; 2011)" in lines
    (page,) = builder._sources_page(case, report.sections)
    text = " ".join(t.get_text() for t in page.texts)
    for sec in report.sections:
        for source in sec.sources:
            # wrapped lines are joined with a space, so compare word by word
            assert " ".join(source.split()) in text or source in " ".join(lines), source
    for sec in report.sections:
        for chart in sec.charts:
            assert chart.sources, f"chart {chart.name} has no source footnote"


def test_sources_page_names_the_history_behind_the_projection_intervals(built):
    _, report = built
    sec = _section(report, "Projection and target")
    # the fans come from run-rate errors of the packaged IDC quarterly vendor series, whose
    # figures all carry the source "IDC via Statista 271490": the sources page must say so
    assert "packaged IDC quarterly history" in " ".join(sec.paragraphs)
    history = marketdata.datasets.load("worldwide_quarterly_shipments_by_vendor")
    assert set(history["source"]) == {"IDC via Statista 271490"}
    assert any(src.startswith("IDC via Statista 271490") for src in sec.sources)
    (page,) = builder._sources_page(builder.prepare(), report.sections)
    text = " ".join(t.get_text() for t in page.texts)
    assert "IDC via Statista 271490" in text


def test_a_missing_analysis_leaves_its_page_out_with_the_reason(monkeypatch):
    monkeypatch.delattr(analysis, "project_rank", raising=False)
    section = sections.rank_section(builder.prepare(), draws=DRAWS)
    assert (
        section.omitted == "analysis.project_rank is not available in this version of the toolkit"
    )
    assert section.charts == () and section.tables == ()
    (page,) = builder._section_pages(builder.prepare(), section)
    texts = [t.get_text() for t in page.texts]
    assert any("This part of the report is left out: analysis.project_rank" in t for t in texts)


# -- the analysis pages ----------------------------------------------------------------


def _section(report, title):
    (found,) = [sec for sec in report.sections if sec.title == title]
    return found


def test_nothing_is_left_out_of_the_founding_case(built):
    _, report = built
    assert report.omitted == {}
    names = [p.name for p in report.charts]
    assert names == [
        "01-shipments-projection.png",
        "02-market-shares.png",
        "03-entry-scenario.png",
        "04-rank-forecast.png",
        "05-rank-sensitivity.png",
    ]
    # title + 5 section pages + 5 chart pages + sources = 12
    assert page_count(report.pdf) == 12


def test_projection_page_shows_both_readings_of_the_target(built):
    _, report = built
    sec = _section(report, "Projection and target")
    (table,) = sec.tables
    assert [row[0] for row in table.rows] == ["since launch", "2012 alone"]
    attainment = sec.values["attainment"]
    # the table shows the attainment frame's probabilities, as percentages
    for row, probability in zip(table.rows, attainment["probability"], strict=True):
        assert row[1] == f"{100 * probability:.0f}%"
    # "2012 alone" needs 5M on top of the units shipped by 2011-12-31, so it can only be
    # less likely than reaching 5M since launch
    assert attainment["probability"].iloc[1] <= attainment["probability"].iloc[0]
    assert "since launch" in sec.answer and "2012 alone" in sec.answer


def test_market_page_numbers(built):
    _, report = built
    sec = _section(report, "The market")
    rows = {row[0]: row for row in sec.tables[0].rows}
    # Samsung 0.28 x 7M = 1.96M, rank 1; Others 19%, never ranked
    assert rows["Samsung"][1:] == ("1.96M", "28%", "1")
    assert rows["Others"][2:] == ("19%", "-")
    conc = sec.values["concentration"]
    # HHI of the listed brands: 28^2 + 21^2 + 16^2 + 13^2 + 3^2 = 784 + 441 + 256 + 169 + 9
    # = 1,659 (Others spread thin adds ~0); Others as one firm adds 19^2 = 361: 2,020
    assert conc["hhi_lower"] == pytest.approx(1659)
    assert conc["hhi_upper"] == pytest.approx(2020)
    assert "1,659-2,020" in sec.answer


def test_rank_page_numbers(built):
    _, report = built
    sec = _section(report, "Rank forecast")
    # As reported, the 19% Others (1.33M) is split among 7 brands of 190k each; an entrant
    # drawing proportionally from a fixed 7M market ranks 10th once v > 190k x (1 - v/7M),
    # i.e. v > 190k / (1 + 190k/7M) = 184,980 units.
    assert sec.values["as_reported"] == pytest.approx(190_000 / (1 + 190_000 / 7e6), rel=1e-3)
    # the probability of a top-ten place rises with the volume
    probs = sec.values["prob_top"]
    assert probs == sorted(probs)
    # no assumption about the tail: beating LG's 210k in a fixed market,
    # v > 210k x (1 - v/7M) => v > 210k / 1.03 = 203,883
    assert "204k" in " ".join(sec.paragraphs)
    assert any("illustrative" in a for a in sec.assumptions)


def test_entry_page_numbers(built):
    _, report = built
    sec = _section(report, "Entry scenario")
    (table,) = sec.tables
    # 140k of a fixed 7M market is 2.0%
    shares = {row[0]: row[1] for row in table.rows}
    assert shares["140k"] == "2.0%"
    # before entry the HHI is the market's range 1,659-2,020 (see test_market_page_numbers)
    assert {row[3] for row in table.rows} == {"1,659-2,020"}


def test_rank_sensitivity_chart_labels_its_inputs_in_words(built):
    import matplotlib.pyplot as plt

    _, report = built
    sec = _section(report, "Rank forecast")
    (chart,) = [c for c in sec.charts if c.name == "rank-sensitivity"]
    fig, ax = plt.subplots()
    chart.draw(ax, "")
    labels = {t.get_text() for t in ax.get_yticklabels()}
    plt.close(fig)
    # sensitivity()'s own names (market_size, units, unlisted) are code, not labels: the
    # reader must see what moves; the competitors keep their brand names
    assert {"market size", "Xiaomi's units", "unlisted brands (number)"} <= labels
    assert {"Samsung", "HTC", "Sony", "Apple", "LG"} <= labels
    assert not labels & {"market_size", "units", "unlisted"}


def test_every_pdf_page_is_a4_landscape(built):
    _, report = built
    boxes = re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", report.pdf.read_bytes()
    )
    assert len(boxes) == page_count(report.pdf)
    # A4 landscape is 297 x 210 mm = 11.69 x 8.27 in = 841.7 x 595.4 pt (72 pt an inch);
    # pages cropped to their content came out in 12 different sizes
    for width, height in boxes:
        assert float(width) == pytest.approx(11.69 * 72, abs=0.5)
        assert float(height) == pytest.approx(8.27 * 72, abs=0.5)


def test_chart_pages_keep_every_label_on_the_page(built):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from analysis.report import pages

    _, report = built
    for sec in report.sections:
        for chart in sec.charts:
            ax = pages.chart_axes(chart, page=True)
            fig = ax.figure
            canvas = FigureCanvasAgg(fig)
            box = ax.get_tightbbox(canvas.get_renderer())
            width, height = fig.get_size_inches() * fig.dpi
            # the PDF page is the whole A4 figure: anything outside it is cut off
            assert box.x0 >= 0 and box.y0 >= 0, chart.name
            assert box.x1 <= width and box.y1 <= height, chart.name


def test_entry_chart_shows_the_hhi_change_and_says_the_volume_is_an_assumption():
    import matplotlib.pyplot as plt

    sec = sections.entry_section(builder.prepare())
    (chart,) = sec.charts
    # the stand-alone PNG has no caption: the chart itself must give ΔHHI (a range, as
    # 'Others' is of unknown make-up) and say that 140k is an assumed volume
    assert "(assumption)" in chart.title
    fig, ax = plt.subplots()
    chart.draw(ax, chart.title)
    subtitle = " ".join(t.get_text() for t in ax.texts if t.get_gid() == "subtitle")
    plt.close(fig)
    # 140k of 7M is 2%: incumbents x 0.98, HHI x 0.9604 + 2^2: 1,659 -> 1,597, 2,020 -> 1,944
    assert "ΔHHI" in subtitle
    assert "1,597" in subtitle and "1,944" in subtitle

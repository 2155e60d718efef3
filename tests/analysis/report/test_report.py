"""The report builder: pages, charts, byte identity, atomic replacement, safe names."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import marketdata
from analysis.report import build_report, builder, founding, sections, slugify
from analysis.report.content import Chart, Section
from analysis.report.sources import sources_lines

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
    # nothing else in the output folder: no temporary files left behind; the names a
    # reader opens are links into the one published build
    assert sorted(p.name for p in out.iterdir()) == [f".{STEM}.builds", STEM, f"{STEM}.pdf"]
    assert (out / f"{STEM}.pdf").is_symlink() and (out / STEM).is_symlink()
    assert sorted(p.name for p in (out / f".{STEM}.builds").iterdir()) == ["1", "current"]


def test_page_count(built):
    out, report = built
    # One title page, one page per section (5: projection, market, entry, rank,
    # dependence), one page per chart (each chart is also one PNG), one sources page.
    # The sources page runs over to a second when the list is long.
    source_pages = len(builder._sources_page(report.inputs, report.sections))
    expected = 1 + len(sections.BUILDERS) + len(report.charts) + source_pages
    assert source_pages in (1, 2)
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
    # another hash seed, time zone and locale: none may reach the bytes
    env = dict(
        os.environ, PYTHONHASHSEED="12345", PYTHONPATH=str(root), TZ="Asia/Taipei", LC_ALL="C.UTF-8"
    )
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
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{STEM}.builds", STEM, f"{STEM}.pdf"]


def _raise(ax, title=""):
    raise RuntimeError("drawing failed")


def test_a_complete_build_replaces_the_old_chart_folder(tmp_path, quick):
    (tmp_path / STEM).mkdir()
    (tmp_path / STEM / "stale.png").write_bytes(b"stale")
    report = build_report(out=tmp_path, draws=DRAWS, formats="png")
    assert not (tmp_path / STEM / "stale.png").exists()
    assert sorted(p.name for p in (tmp_path / STEM).iterdir()) == ["01-line.png"]
    assert report.pdf is None and not (tmp_path / f"{STEM}.pdf").exists()


def test_pdf_and_charts_switch_together_in_one_step(tmp_path, quick):
    first = build_report(out=tmp_path, draws=DRAWS, formats="pdf,png")
    assert first.pdf.read_bytes().startswith(b"%PDF-")
    builds = tmp_path / f".{STEM}.builds"
    assert os.readlink(builds / "current") == "1"
    # the PDF and the chart folder are links through "current": one rename switches both
    assert os.readlink(tmp_path / f"{STEM}.pdf") == os.path.join(
        builds.name, "current", f"{STEM}.pdf"
    )
    assert os.readlink(tmp_path / STEM) == os.path.join(builds.name, "current", STEM)
    second = build_report(out=tmp_path, draws=DRAWS, formats="pdf,png", seed=1)
    assert os.readlink(builds / "current") == "2"
    assert sorted(p.name for p in builds.iterdir()) == ["2", "current"]  # old build removed
    assert second.pdf.read_bytes().startswith(b"%PDF-") and first.pdf == second.pdf
    assert (tmp_path / STEM / "01-line.png").is_file()


def test_a_killed_build_leaves_nothing_later_builds_keep(tmp_path, quick):
    # what a killed build leaves: a staging folder, and a build no link points to
    (tmp_path / f".{STEM}.tmp-abc123").mkdir()
    (tmp_path / f".{STEM}.tmp-abc123" / f"{STEM}.pdf").write_bytes(b"half")
    build_report(out=tmp_path, draws=DRAWS, formats="pdf")
    (tmp_path / f".{STEM}.builds" / "7").mkdir()
    build_report(out=tmp_path, draws=DRAWS, formats="pdf")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f".{STEM}.builds", f"{STEM}.pdf"]
    # the orphan build 7 is removed before the new build is numbered after build 1
    assert sorted(p.name for p in (tmp_path / f".{STEM}.builds").iterdir()) == ["2", "current"]


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
    with pytest.raises(ValueError, match="pdf, png, xlsx"):
        build_report(out=tmp_path, formats="svg")
    assert list(tmp_path.iterdir()) == []


def test_other_brand_without_data_is_refused(tmp_path):
    with pytest.raises(ValueError, match="founding case"):
        build_report(out=tmp_path, brand="Nokia")


def pdf_text(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext reads it (what a reader can select)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.split("\f")[:-1]


def _section(report, title):
    (found,) = [sec for sec in report.sections if sec.title == title]
    return found


# -- the founding case -------------------------------------------------------------------


def test_founding_case_inputs():
    case = founding.founding_case()
    market = case.market_figures.set_index("brand")["units"]
    # 2012Q2 retail shares x 5.65M smartphones sold in 2012:
    # Samsung 0.358 x 5.65M = 2,022,700; HTC 0.281 x 5.65M = 1,587,650;
    # Apple 0.107 x 5.65M = 604,550; Others (1 - 0.746) x 5.65M = 1,435,100
    assert market["Samsung"] == pytest.approx(2_022_700)
    assert market["HTC"] == pytest.approx(1_587_650)
    assert market["Apple"] == pytest.approx(604_550)
    assert market["Others"] == pytest.approx(1_435_100)
    assert market.sum() == pytest.approx(5.65e6)
    # entry volumes: 0.5%, 1%, 2%, 4% of 5.65M
    assert case.volumes == (28_250, 56_500, 113_000, 226_000)
    assert case.target.units == 5e6 and case.target.by == pd.Timestamp("2012-12-31")
    assert case.target.basis is None  # the source does not say: both readings
    assert all("target" not in str(x) for x in case.brand_figures["status"])
    # the labelled alternatives: 2013 IDC shares on 5.65M, and the 7M (all phones)
    labels = [a.label for a in case.alternatives]
    assert labels == [
        "2013 IDC shares instead of 2012Q2 retail",
        "7M all phones instead of 5.65M smartphones",
    ]
    seven = case.alternatives[1].figures.set_index("brand")["units"]
    assert seven["Samsung"] == pytest.approx(0.358 * 7e6)


def test_page_numbers_and_taiwan_in_words(built):
    _, report = built
    text = pdf_text(report.pdf)
    assert len(text) == report.pages
    for number, page in enumerate(text, start=1):
        assert f"page {number} of {report.pages}" in page
        # titles and running heads say Taiwan, never the code
        assert not re.search(r"\bTW\b", page), number
    assert text[0].lstrip().startswith("Xiaomi in Taiwan, 2012")


def test_title_page_asks_the_questions_of_the_inputs(built):
    _, report = built
    first = " ".join(pdf_text(report.pdf)[0].split())
    assert "Will Xiaomi reach 5M by 31 December 2012" in first
    assert "What rank would Xiaomi take in Taiwan" in first
    assert "How dependent is HTC on the American market?" in first


def test_projection_page_shows_both_readings_and_the_figure_as_reported(built):
    _, report = built
    sec = _section(report, "Projection and target")
    (table,) = sec.tables
    assert [row[0] for row in table.rows] == ["since launch", "within 2012"]
    attainment = sec.values["attainment"]
    for row, probability in zip(table.rows, attainment["probability"], strict=True):
        assert row[1] == marketdata_probability(probability)
    # the source said "over 3M": no 3.23M that no source gave; the model reads "over 3M"
    # as 3M to 3M x 1.15 = 3.45M
    assert table.rows[0][3] == "over 3M (3.00M–3.45M as modelled)"
    assert attainment["probability"].iloc[1] <= attainment["probability"].iloc[0]
    assert "The source does not say" in " ".join(sec.paragraphs)
    # one interval level everywhere: 80% in the table and the chart caption
    assert "(80%)" in table.columns[2]
    (chart,) = sec.charts
    assert "80% interval" in chart.caption


def marketdata_probability(p):
    from analysis._format import probability_label

    return probability_label(p)


def test_market_page_numbers(built):
    _, report = built
    sec = _section(report, "The market")
    rows = {row[0]: row for row in sec.tables[0].rows}
    assert rows["Samsung"][1:] == ("2.02M", "36%", "1")
    assert rows["Others"][2:] == ("25%", "-")
    conc = sec.values["concentration"]
    # 35.8^2 + 28.1^2 + 10.7^2 = 1,281.64 + 789.61 + 114.49 = 2,185.74 (Others spread
    # thin adds ~0); Others as one firm adds 25.4^2 = 645.16: 2,830.90
    assert conc["hhi_lower"] == pytest.approx(2185.74)
    assert conc["hhi_upper"] == pytest.approx(2830.90)
    assert "2,186–2,831" in sec.answer


def test_rank_page_gives_one_headline_with_its_assumptions(built):
    _, report = built
    sec = _section(report, "Rank forecast")
    needed = sec.values["needed"]
    # the 12 unlisted brands share 1,435,100 geometrically (ratio 0.7): the largest gets
    # 1,435,100 x 0.3 / (1 - 0.7^12) = 436,572 and the 7th (the 10th competitor)
    # 436,572 x 0.7^6 = 51,362; beating it in a fixed market of 5.65M takes
    # 51,362 / (1 + 51,362 / 5.65M) = 50,900 with no uncertainty: with noise on the
    # incumbents, an 80% chance takes more
    assert needed > 50_900
    headline = sec.paragraphs[0]
    assert headline.startswith(f"About {sections.rank.headline_units(needed)} units a year")
    assert "12 unlisted brands of 437k down to 8.63k, each 70% of the one above" in headline
    assert "15% coefficient of variation" in headline
    # the same number in the answers of the title page
    assert f"about {sections.rank.headline_units(needed)} units" in sec.answer
    probs = sec.values["prob_top"]
    assert probs == sorted(probs)


def test_rank_table_and_chart_agree(built):
    _, report = built
    sec = _section(report, "Rank forecast")
    (table,) = sec.tables
    shown = table.rows[len(table.rows) // 2]
    # 113k of a fixed 5.65M market: competitors x 0.98; unlisted #4 has 436,572 x 0.7^3
    # x 0.98 = 146.7k > 113k and #5 102.7k < 113k: 3 listed + 4 unlisted above: rank 8
    assert shown[0] == "113k" and shown[4] == "8"
    assert f"most likely ranks {shown[2]}" in sec.answer
    (chart,) = [c for c in sec.charts if c.name == "rank-forecast"]
    assert "12 unlisted brands" in chart.caption


def test_entry_page_numbers(built):
    _, report = built
    sec = _section(report, "Entry scenario")
    (table,) = sec.tables
    shares = {row[0]: row[1] for row in table.rows}
    assert shares["113k"] == "2.0%"  # 113k of 5.65M
    assert {row[2] for row in table.rows} == {"2,186–2,831"}
    # ranks are left to the rank forecast, which counts the unlisted brands
    assert not any("rank" in c for c in table.columns)


def test_htc_page_states_the_dependence_with_its_range_and_sources(built):
    _, report = built
    sec = _section(report, "Dependence on markets")
    # analysts: ~50% of 2011 revenue, ~40% of 2011 shipments; Canalys ~43% of 2011Q3
    assert sec.values["us_low"] == pytest.approx(0.40)
    assert sec.values["us_high"] == pytest.approx(0.50)
    text = " ".join(sec.paragraphs)
    assert "40%–50%" in text and "5.77M of HTC's 13.2M" in text
    assert "HTC published no regional split" in text
    assert any("droiddog.com" in src for src in sec.sources)
    assert any("informationweek.com" in src for src in sec.sources)


def test_sources_page_gives_outlets_and_addresses(built):
    _, report = built
    text = " ".join(" ".join(pdf_text(report.pdf)[-2:]).split())  # the last two pages
    assert "Taipei Times (CNA)" in text
    assert "http://www.taipeitimes.com/News/biz/archives/2012/07/21/2003538237" in text
    assert "https://www.statista.com/statistics/271490/" in text


def test_sensitivity_has_the_labelled_alternatives(built):
    import matplotlib.pyplot as plt

    _, report = built
    sec = _section(report, "Rank forecast")
    (chart,) = [c for c in sec.charts if c.name == "rank-sensitivity"]
    fig, ax = plt.subplots()
    chart.draw(ax, "")
    labels = {t.get_text() for t in ax.get_yticklabels()}
    plt.close(fig)
    assert {
        "2013 IDC shares instead of 2012Q2 retail",
        "7M all phones instead of 5.65M smartphones",
        "market size (±20%)",
        "Xiaomi's units (±20%)",
        "unlisted brands (half, twice)",
    } <= labels
    assert not labels & {"market_size", "units", "unlisted"}


def test_every_pdf_page_is_a4_landscape(built):
    _, report = built
    boxes = re.findall(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", report.pdf.read_bytes()
    )
    assert len(boxes) == page_count(report.pdf)
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
            box = ax.get_tightbbox(FigureCanvasAgg(fig).get_renderer())
            width, height = fig.get_size_inches() * fig.dpi
            assert box.x0 >= 0 and box.y0 >= 0, chart.name
            assert box.x1 <= width and box.y1 <= height, chart.name


def test_nothing_is_left_out_of_the_founding_case(built):
    _, report = built
    assert report.omitted == {}
    assert [p.name for p in report.charts] == [
        "01-shipments-projection.png",
        "02-market-shares.png",
        "03-entry-scenario.png",
        "04-rank-forecast.png",
        "05-rank-sensitivity.png",
    ]
    # title, 5 section pages, 5 chart pages, the sources
    assert page_count(report.pdf) == 12


# -- the inputs drive the words ------------------------------------------------------------


def test_target_and_date_drive_title_question_and_file_name(tmp_path, quick):
    case = builder.prepare(target="8M", by="2013Q2")
    assert case.title == "Xiaomi in Taiwan, 2013"
    assert case.target.label == "8M by 30 June 2013" and case.target.window == "2013Q2"
    assert (
        case.questions[0] == "Will Xiaomi reach 8M by 30 June 2013, and what pace does that need?"
    )
    report = build_report(out=tmp_path, draws=DRAWS, formats="pdf", target="8M", by="2013Q2")
    assert report.pdf.name == "xiaomi-taiwan-2013.pdf"
    assert pdf_text(report.pdf)[0].lstrip().startswith("Xiaomi in Taiwan, 2013")


@pytest.mark.parametrize(
    ("option", "value", "match"),
    [
        ("target", "five", "reads as 5 units"),
        ("target", "lots", "cannot read 'lots' as a number of units"),
        ("by", "06/12/2012", "ambiguous"),
        ("by", "today", "not a form of period"),
        ("by", "June 12", "ambiguous"),
        ("basis", "cumul", "since-launch, period"),
    ],
)
def test_options_that_are_not_units_or_periods_are_refused(tmp_path, option, value, match):
    options = {"target": "5M", "by": "2012", option: value}
    with pytest.raises(ValueError, match=match):
        build_report(out=tmp_path, draws=DRAWS, **options)
    assert list(tmp_path.iterdir()) == []


def test_a_target_already_achieved_is_said_so():
    case = builder.prepare(target="2M", by="2012")
    sec = sections.projection_section(case, draws=DRAWS)
    assert sec.paragraphs[0] == (
        "The target is already achieved: over 3M by 12 June 2012 is above 2M."
    )
    assert sec.answer.startswith("The target is already achieved")


def test_basis_chooses_one_reading():
    case = builder.prepare(basis="period")
    sec = sections.projection_section(case, draws=DRAWS)
    (table,) = sec.tables
    assert [row[0] for row in table.rows] == ["within 2012"]
    assert "read as units within 2012 (--target-basis)" in " ".join(sec.paragraphs)


QUARTERLY = marketdata.datasets.load("worldwide_quarterly_shipments_by_vendor")


def test_data_per_period_reads_the_target_within_its_window(tmp_path):
    report = build_report(
        QUARTERLY,
        brand="Xiaomi",
        market="WW",
        target="150M",
        by="2023",
        out=tmp_path,
        draws=DRAWS,
        formats="pdf",
    )
    case = report.inputs
    assert case.title == "Xiaomi worldwide, 2023"
    assert report.pdf.name == "xiaomi-worldwide-2023.pdf"  # the year of --by
    text = " ".join(" ".join(pdf_text(report.pdf)).split())
    assert "in worldwide" not in text and "in WW" not in text
    assert "The source does not say" not in text
    assert "You did not say how the target counts" in text
    sec = _section(report, "Projection and target")
    # the figures are units per quarter: no "since launch" counted from the file's start
    assert [row[0] for row in sec.tables[0].rows] == ["within 2023"]
    # the chart is drawn per quarter, with the annual target against the year's total
    (chart,) = sec.charts
    assert chart.caption.startswith("Reported units per quarter")
    assert "the target read within 2023" in chart.caption and "both readings" not in chart.caption
    assert sec.left_out == ()
    with pytest.raises(ValueError, match="--target-basis period"):
        builder.prepare(
            QUARTERLY, brand="Xiaomi", market="WW", target="150M", by="2023", basis="since-launch"
        )


TAIWAN_SHARES = marketdata.datasets.load("taiwan_vendor_share")


def test_share_only_data_asks_for_a_market_size():
    case = builder.prepare(TAIWAN_SHARES, brand="HTC", market="TW")
    sec = sections.rank_section(case, draws=DRAWS)
    assert "--market-size" in sec.omitted and "shares only" in sec.omitted
    sized = builder.prepare(TAIWAN_SHARES, brand="HTC", market="TW", market_size="5.65M")
    sec = sections.rank_section(sized, draws=DRAWS)
    assert not sec.omitted and sec.tables


def test_a_tornado_that_can_say_nothing_is_left_out():
    # three brands and no residual: fewer than ten competitors, so every run of the
    # sensitivity gives P(top 10) = 100%
    xiaomi = marketdata.datasets.load("xiaomi_2011_2012")
    small = pd.DataFrame(
        {
            "brand": pd.array(["A", "B", "C"], dtype="string"),
            "market": pd.array(["TW"] * 3, dtype="string"),
            "start": pd.Timestamp("2012-01-01"),
            "end": pd.Timestamp("2012-12-31"),
            "units": [500_000.0, 300_000.0, 200_000.0],
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": pd.array(["hand"] * 3, dtype="string"),
        }
    )
    own = xiaomi[xiaomi["brand"].eq("Xiaomi").fillna(False)].dropna(axis=1, how="all")
    figures = pd.concat([own, small])
    case = builder.prepare(figures, brand="Xiaomi", market="TW")
    sec = sections.rank_section(case, draws=DRAWS)
    assert [c.name for c in sec.charts] == ["rank-forecast"]
    ((name, why),) = sec.left_out
    assert "0% or 100%" in why and "tornado" in why


# -- one headline everywhere -------------------------------------------------------------


def _headline(seed: int, draws: int) -> str:
    case = founding.founding_case()
    options = dict(
        cv=sections.INCUMBENT_CV, unlisted=case.unlisted, split=case.split,
        tail_ratio=case.tail_ratio, draws=draws, seed=seed,
    )  # fmt: skip
    needed = sections.rank.units_for_rank_probability(
        case.market_figures, 10, prob=sections.rank.HEADLINE, brand="Xiaomi", **options
    )
    return sections.rank.headline_units(needed)


def test_the_headline_does_not_move_with_the_seed_at_the_default_draws():
    # 20,000 draws: the 80% volume rounds to the same two digits whatever the seed
    assert {_headline(seed, builder.DEFAULT_DRAWS) for seed in range(4)} == {"64k"}


def test_readme_and_report_give_the_same_headline():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    rank = readme.split("## Rank forecasts", 1)[1].split("\n## ", 1)[0]
    report = readme.split("## Report and command line", 1)[1].split("\n## ", 1)[0]
    headline = _headline(0, builder.DEFAULT_DRAWS)  # "64k"
    assert f"about {headline[:-1]},000 units a year** for an 80% chance" in rank
    assert f"about {headline} units a year for an 80% chance" in report
    assert f"# about {headline}" in rank


def test_the_2007_figures_are_credited_to_gartner():
    annual = marketdata.datasets.load("worldwide_annual_shipments_by_vendor")
    case = builder.prepare(annual, brand="HTC", market="WW")
    lines = sources_lines(case, ())
    # Statista's note on every 2007 row: "2007 data is from Gartner, not IDC"
    gartner = [line for line in lines if line.startswith("Gartner via Statista 271539")]
    assert len(gartner) == 1 and "2007)" in gartner[0]
    idc = [line for line in lines if line.startswith("IDC via Statista 271539")]
    assert idc and "2007" not in idc[0].split("; ")[-1]
    assert "https://www.statista.com/statistics/271539/" in gartner[0]


def test_the_rank_chart_draws_the_unlisted_brands_assumption(built):
    import matplotlib.pyplot as plt

    _, report = built
    sec = _section(report, "Rank forecast")
    (chart,) = [c for c in sec.charts if c.name == "rank-forecast"]
    fig, ax = plt.subplots()
    chart.draw(ax, "")
    texts = " ".join(t.get_text() for t in ax.texts)
    plt.close(fig)
    assert "12 unlisted brands" in texts


def test_data_with_one_market_needs_no_market_flag():
    # the Taiwan share file holds one market, TW: --market may be left out; its brands
    # are many, so --brand may not, and the message lists them
    case = builder.prepare(TAIWAN_SHARES, brand="HTC")
    assert (case.brand, case.market) == ("HTC", "TW")
    brands = sorted(set(TAIWAN_SHARES["brand"].dropna()) - {"Others", "Unknown"})
    with pytest.raises(ValueError, match=rf"holds {len(brands)} brands \({brands[0]}, "):
        builder.prepare(TAIWAN_SHARES)
    with pytest.raises(ValueError, match="say which with --brand NAME"):
        builder.prepare(TAIWAN_SHARES)
    # the worldwide file holds one market too (WW); a frame of two markets must name one
    two = pd.concat([TAIWAN_SHARES, TAIWAN_SHARES.assign(market="HK")])
    with pytest.raises(ValueError, match=r"holds 2 markets \(HK, TW\): say which with --market"):
        builder.prepare(two, brand="HTC")

"""House style of the charts: palette, formats, footnotes, rc context, deterministic saves."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from analysis.plots import style  # noqa: E402
from marketdata import datasets  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# -- palette ---------------------------------------------------------------------------


def test_brand_colours_are_the_house_colours():
    # the brand colours the issue names: Xiaomi orange, Samsung blue, Others light grey
    assert style.brand_color("Xiaomi") == "#FF6900"
    assert style.brand_color("Samsung") == "#1428A0"
    assert style.brand_color("Others") == "#D3D3D3"


def test_brand_colour_lookup_ignores_case_and_knows_aliases():
    # the Taiwan data spells OPPO "Oppo" and Nokia "Nokia (HMD Global)"
    assert style.brand_color("Oppo") == style.brand_color("OPPO") == "#0A8F6A"
    assert style.brand_color("Nokia (HMD Global)") == style.BRAND_COLORS["Nokia"]
    assert style.brand_color("RIM") == style.BRAND_COLORS["BlackBerry"]


def test_known_brand_colours_are_distinct():
    colours = list(style.BRAND_COLORS.values())
    assert len(set(colours)) == len(colours)


def test_unknown_brand_gets_a_stable_palette_colour_by_crc32():
    name = "Taiwan Mobile"
    # independent: CRC-32 of the case-folded UTF-8 name, modulo the palette length
    expected = style.FALLBACK_COLORS[zlib.crc32(b"taiwan mobile") % len(style.FALLBACK_COLORS)]
    assert style.brand_color(name) == expected
    assert style.brand_color("TAIWAN MOBILE") == expected


def test_unknown_brand_colour_does_not_depend_on_the_hash_seed():
    code = (
        "from analysis.plots.style import brand_color;"
        "print(brand_color('Acme Phones'), brand_color('Meizu'))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert outputs == {f"{style.brand_color('Acme Phones')} {style.brand_color('Meizu')}\n"}


def test_brand_colour_rejects_non_strings_and_na_is_the_market():
    assert style.brand_color(None) == style.INK
    with pytest.raises(TypeError, match="brand must be a string"):
        style.brand_color(3)


def test_importing_analysis_and_plots_does_not_import_matplotlib():
    code = (
        "import sys, analysis, analysis.plots;"
        "assert 'analysis.plots' in sys.modules;"
        "print('matplotlib' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
    bare = subprocess.run(
        [sys.executable, "-c", "import sys, analysis; print('analysis.plots' in sys.modules)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert bare.stdout.strip() == "False"


# -- formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "label"),
    [
        (0, "0"),
        (950, "950"),
        (1_500, "1.5k"),
        (300_000, "300k"),
        (999_999, "1M"),  # 0.999999 M to 3 significant digits is 1.00 -> "1M"
        (3_000_000, "3M"),
        (7_000_000, "7M"),
        (1_200_000_000, "1.2B"),
        (-2_500_000, "-2.5M"),
    ],
)
def test_units_labels(units, label):
    assert style.format_units_short(units) == label
    assert style.units_formatter()(units) == label


def test_percent_and_hhi_formatters():
    assert style.percent_formatter().format_pct(0.283, 1) == "28%"
    assert style.format_percent(0.0625, decimals=1) == "6.2%"  # 6.25 rounds half to even
    assert style.hhi_formatter()(1800) == "1,800"


def test_period_labels_of_the_packaged_periods():
    frame = datasets.load("worldwide_quarterly_shipments_by_vendor").iloc[[0, -1]]
    assert style.period_labels(frame["start"], frame["end"]) == ["2009Q4", "2024Q1"]
    annual = datasets.load("worldwide_annual_shipments_by_vendor").iloc[[0]]
    assert style.period_labels(annual["start"], annual["end"]) == ["2007"]


# -- footnotes -------------------------------------------------------------------------


def test_footnote_lists_each_source_once_in_order_of_appearance():
    xiaomi = datasets.load("xiaomi_2011_2012")
    # rows 1-4 cite: nnzcw.cn, then the news report three times
    expected = (
        "Sources: http://www.nnzcw.cn/post/73869.html; "
        "news report on Xiaomi's plans for Taiwan (2012)"
    )
    assert style.footnote_text(xiaomi).replace("\n", " ") == expected


def test_footnote_is_wrapped_and_can_say_illustrative():
    taiwan = datasets.load("taiwan_vendor_share")
    text = style.footnote_text(taiwan, illustrative=True)
    lines = text.split("\n")
    assert len(lines) > 1
    assert all(len(line) <= style.FOOTNOTE_WIDTH for line in lines)
    assert text.startswith(style.ILLUSTRATIVE + " Sources: ")
    assert style.footnote_text(None) == ""
    assert style.footnote_text(None, illustrative=True) == style.ILLUSTRATIVE


def test_footnote_sits_under_the_tick_labels_and_inside_the_saved_area(tmp_path):
    ax = style.new_axes()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("a label under the ticks")
    note = style.footnote(ax, "IDC")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    note_box = note.get_window_extent(renderer)
    assert note_box.y1 <= ax.xaxis.get_tightbbox(renderer).y0
    tight = fig.get_tightbbox(renderer)  # inches; what bbox_inches="tight" keeps
    assert tight.y0 * fig.dpi <= note_box.y0 + 1
    assert style.find_footnote(ax) == "Source: IDC"


def test_illustrative_label_is_drawn():
    ax = style.new_axes()
    style.footnote(ax, None, illustrative=True)
    gids = {t.get_gid(): t.get_text() for t in ax.texts}
    assert gids == {"footnote": style.ILLUSTRATIVE, "illustrative": "ILLUSTRATIVE DATA"}


# -- rc settings and figures -----------------------------------------------------------


def test_context_applies_house_rc_and_restores_the_old():
    before = dict(matplotlib.rcParams)
    with style.context():
        assert matplotlib.rcParams["axes.spines.right"] is False
        assert matplotlib.rcParams["svg.hashsalt"] == style.SVG_HASHSALT
    assert dict(matplotlib.rcParams) == before


def test_new_axes_has_the_standard_size():
    ax = style.new_axes()
    assert ax.figure.get_size_inches().tolist() == [8.0, 4.5]
    assert ax.spines["top"].get_visible() is False


def test_title_with_subtitle():
    ax = style.new_axes()
    style.title(ax, "Main", "sub")
    assert ax.get_title(loc="left") == "Main"
    assert [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"] == ["sub"]


# -- saving ----------------------------------------------------------------------------


def _draw():
    from analysis.plots import plot_shares

    figures = datasets.load("worldwide_quarterly_shipments_by_vendor")
    figures = figures[figures["end"].dt.year == 2023]
    shares = figures.assign(
        share=figures["units"] / figures.groupby("start")["units"].transform("sum")
    )
    return plot_shares(shares, kind="bar")


def test_saves_are_byte_identical_across_runs(tmp_path):
    first = style.save(_draw().figure, tmp_path / "one" / "chart", ("png", "pdf", "svg"))
    second = style.save(_draw().figure, tmp_path / "two" / "chart.png", "png,pdf,svg")
    assert [p.name for p in first] == ["chart.png", "chart.pdf", "chart.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert a.stat().st_size > 1000
    pdf = first[1].read_bytes()
    assert b"/CreationDate" not in pdf and b"/Producer (marketshare)" in pdf
    assert b"matplotlib" not in first[0].read_bytes().lower()  # no Software chunk


def test_png_is_200_dpi_and_pdf_is_vector(tmp_path):
    png, pdf = style.save(_draw().figure, tmp_path / "chart")
    with Image.open(png) as image:
        assert [round(v) for v in image.info["dpi"]] == [200, 200]
        # 8 x 4.5 inches at 200 dpi, give or take the tight bounding box
        assert 1300 < image.size[0] < 1800 and 700 < image.size[1] < 1100
    content = pdf.read_bytes()
    assert b"/Subtype /Image" not in content  # no raster inside: all vector
    assert b"/FontFile2" in content  # TrueType embedded (pdf.fonttype 42): text stays text


def test_save_rejects_unknown_formats_before_writing(tmp_path):
    ax = style.new_axes()
    with pytest.raises(ValueError, match="unknown format 'gif'"):
        style.save(ax.figure, tmp_path / "chart", ("png", "gif"))
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="formats is empty"):
        style.save(ax.figure, tmp_path / "chart", "")


def test_save_leaves_no_temporary_files(tmp_path):
    style.save(style.new_axes().figure, tmp_path / "chart", ("png",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


def test_saves_are_byte_identical_across_processes_and_hash_seeds(tmp_path):
    code = (
        "import sys, matplotlib; matplotlib.use('Agg');"
        "from tests.analysis.test_plots_style import _draw;"
        "from analysis.plots import style;"
        "style.save(_draw().figure, sys.argv[1], ('png', 'pdf'))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / seed / "chart")],
            env=env,
            check=True,
            cwd=ROOT,
        )
    here = style.save(_draw().figure, tmp_path / "here" / "chart", ("png", "pdf"))
    for path in here:
        assert (tmp_path / "1" / path.name).read_bytes() == path.read_bytes()
        assert (tmp_path / "2" / path.name).read_bytes() == path.read_bytes()


def test_long_source_lists_are_cut_to_four_lines_and_counted():
    taiwan = datasets.load("taiwan_vendor_share")
    every = style.sources_of(taiwan)
    text = style.footnote_text(taiwan)
    lines = text.split("\n")
    assert len(lines) <= style.FOOTNOTE_LINES
    flat = text.replace("\n", " ")
    shown = [s for s in every if s in flat]
    hidden = len(every) - len(shown)
    assert hidden > 0  # 20-odd distinct articles do not fit in four lines
    assert flat.endswith(f"… and {hidden} more sources")
    assert shown == every[: len(shown)]  # the first ones, in order
    # without a limit, every source is listed
    unlimited = style.footnote_text(taiwan, max_lines=None).replace("\n", " ")
    assert all(s in unlimited for s in every)
    with pytest.raises(ValueError, match="max_lines"):
        style.footnote_text(taiwan, max_lines=0)

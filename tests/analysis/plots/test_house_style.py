"""House style of the charts: palette, tick formats, footnotes, rc context, deterministic saves."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import matplotlib

from analysis.plots import plot_shares
from marketdata import brand_name

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from analysis._format import market_label, percent_label, units_label  # noqa: E402
from analysis.plots import _frames, annotate, output, palette, rc, ticks  # noqa: E402
from marketdata import datasets, period_label  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# -- palette ---------------------------------------------------------------------------


def test_brand_colours_are_the_house_colours():
    # the brand colours the issue names: Xiaomi orange, Samsung blue, Others light grey
    assert palette.brand_color("Xiaomi") == "#FF6900"
    assert palette.brand_color("Samsung") == "#1428A0"
    assert palette.brand_color("Others") == "#D3D3D3"


def test_brand_colour_lookup_resolves_names_as_the_data_layer_does():
    # the Taiwan data spells OPPO "Oppo"; marketdata.brand_name makes RIM BlackBerry
    assert palette.brand_color("Oppo") == palette.brand_color("OPPO") == "#0A8F6A"
    assert palette.brand_color("RIM") == palette.BRAND_COLORS["BlackBerry"]
    assert palette.brand_color("其他") == palette.BRAND_COLORS["Others"]


@pytest.mark.parametrize(
    ("written", "not_as"), [("HMD Global", "Nokia"), ("Nokia (HMD Global)", "Nokia"),
                            ("Redmi", "Xiaomi"), ("Honor", "Huawei")]
)  # fmt: skip
def test_palette_agrees_with_brand_name_on_separate_brands(written, not_as):
    # marketdata/names.py: HMD Global is kept apart from Nokia, sub-brands stay themselves,
    # so a chart must not colour them as the other company

    assert brand_name(written) != not_as
    assert palette.brand_color(written) != palette.BRAND_COLORS[not_as]
    assert palette.brand_color(written) == palette.brand_color(brand_name(written))


def test_known_brand_colours_are_distinct():
    colours = list(palette.BRAND_COLORS.values())
    assert len(set(colours)) == len(colours)


def test_unknown_brand_gets_a_stable_palette_colour_by_crc32():
    name = "Taiwan Mobile"
    # independent: CRC-32 of the case-folded UTF-8 name, modulo the palette length
    expected = palette.FALLBACK_COLORS[zlib.crc32(b"taiwan mobile") % len(palette.FALLBACK_COLORS)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown brand is not warned about per chart
        assert palette.brand_color(name) == expected


def test_unknown_brand_colour_does_not_depend_on_the_hash_seed():
    code = (
        "from analysis.plots.palette import brand_color;"
        "print(brand_color('Acme Phones'), brand_color('Meizu'))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert outputs == {f"{palette.brand_color('Acme Phones')} {palette.brand_color('Meizu')}\n"}


def test_brand_colour_rejects_non_strings_and_na_is_the_market():
    assert palette.brand_color(None) == palette.INK
    with pytest.raises(TypeError, match="brand must be a string"):
        palette.brand_color(3)


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
    assert units_label(units) == label
    assert ticks.units_formatter()(units) == label


def test_percent_and_hhi_formatters_are_the_shared_format():
    assert ticks.percent_formatter()(0.283) == percent_label(0.283) == "28%"
    assert ticks.percent_formatter(decimals=1)(0.0625) == "6.2%"  # 6.25 rounds half to even
    assert ticks.hhi_formatter()(1800) == "1,800"


def test_window_labels_are_period_label():
    frame = datasets.load("worldwide_quarterly_shipments_by_vendor").iloc[[0, -1]]
    assert _frames.labels(frame["start"], frame["end"]) == ["2009Q4", "2024Q1"]
    annual = datasets.load("worldwide_annual_shipments_by_vendor").iloc[[0]]
    assert _frames.labels(annual["start"], annual["end"]) == ["2007"]
    # a to-date window: marketdata.period_label's "..2012-06-12", not "to 2012-06-12"
    assert _frames.labels([pd.NaT], [pd.Timestamp("2012-06-12")]) == ["..2012-06-12"]
    assert _frames.labels(["2012-01-01"], ["2012-06-30"]) == [
        period_label("2012-01-01", "2012-06-30")
    ]


def test_market_label_names_markets_in_english():
    # marketdata/aliases/markets.csv: TW <- Taiwan, US <- United States, GB <- United Kingdom
    assert [market_label(m) for m in ("TW", "US", "GB", "CN", "WW")] == [
        "Taiwan", "United States", "United Kingdom", "China", "Worldwide"
    ]  # fmt: skip
    assert market_label("ROW") == "ROW" and market_label(pd.NA) == ""


# -- footnotes -------------------------------------------------------------------------


def test_footnote_lists_each_source_once_in_order_of_appearance():
    xiaomi = datasets.load("xiaomi_2011_2012")
    # rows 1-4 cite: nnzcw.cn, then the news report three times
    expected = (
        "Sources: http://www.nnzcw.cn/post/73869.html; "
        "news report on Xiaomi's plans for Taiwan (2012)"
    )
    assert annotate.footnote_text(xiaomi).replace("\n", " ") == expected


def test_footnote_is_wrapped_and_can_say_illustrative():
    taiwan = datasets.load("taiwan_vendor_share")
    text = annotate.footnote_text(taiwan, illustrative=True)
    lines = text.split("\n")
    assert len(lines) > 1
    assert all(len(line) <= annotate.FOOTNOTE_WIDTH for line in lines)
    assert text.startswith(annotate.ILLUSTRATIVE + " Sources: ")
    assert annotate.footnote_text(None) == ""
    assert annotate.footnote_text(None, illustrative=True) == annotate.ILLUSTRATIVE


def test_footnote_sits_under_the_tick_labels_and_inside_the_saved_area(tmp_path):
    ax = rc.new_axes()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("a label under the ticks")
    note = annotate.footnote(ax, "IDC")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    note_box = note.get_window_extent(renderer)
    assert note_box.y1 <= ax.xaxis.get_tightbbox(renderer).y0
    tight = fig.get_tightbbox(renderer)  # inches; what bbox_inches="tight" keeps
    assert tight.y0 * fig.dpi <= note_box.y0 + 1
    assert annotate.find_footnote(ax) == "Source: IDC"


def test_illustrative_label_is_drawn():
    ax = rc.new_axes()
    annotate.footnote(ax, None, illustrative=True)
    gids = {t.get_gid(): t.get_text() for t in ax.texts}
    assert gids == {"footnote": annotate.ILLUSTRATIVE, "illustrative": "ILLUSTRATIVE DATA"}


# -- rc settings and figures -----------------------------------------------------------


def test_context_applies_house_rc_and_restores_the_old():
    before = dict(matplotlib.rcParams)
    with rc.context():
        assert matplotlib.rcParams["axes.spines.right"] is False
        assert matplotlib.rcParams["svg.hashsalt"] == rc.SVG_HASHSALT
    assert dict(matplotlib.rcParams) == before


def test_new_axes_has_the_standard_size():
    ax = rc.new_axes()
    assert ax.figure.get_size_inches().tolist() == [8.0, 4.5]
    assert ax.spines["top"].get_visible() is False


def test_title_with_subtitle():
    ax = rc.new_axes()
    annotate.title(ax, "Main", "sub")
    assert ax.get_title(loc="left") == "Main"
    assert [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"] == ["sub"]


# -- saving ----------------------------------------------------------------------------


def _draw():
    figures = datasets.load("worldwide_quarterly_shipments_by_vendor")
    figures = figures[figures["end"].dt.year == 2023]
    shares = figures.assign(
        share=figures["units"] / figures.groupby("start")["units"].transform("sum")
    )
    return plot_shares(shares, kind="bar")


def test_saves_are_byte_identical_across_runs(tmp_path):
    first = output.save(_draw().figure, tmp_path / "one" / "chart", ("png", "pdf", "svg"))
    second = output.save(_draw().figure, tmp_path / "two" / "chart.png", "png,pdf,svg")
    assert [p.name for p in first] == ["chart.png", "chart.pdf", "chart.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert a.stat().st_size > 1000
    pdf = first[1].read_bytes()
    assert b"/CreationDate" not in pdf and b"/Producer (marketshare)" in pdf
    assert b"matplotlib" not in first[0].read_bytes().lower()  # no Software chunk


def test_png_is_200_dpi_and_pdf_is_vector(tmp_path):
    png, pdf = output.save(_draw().figure, tmp_path / "chart")
    with Image.open(png) as image:
        assert [round(v) for v in image.info["dpi"]] == [200, 200]
        # 8 x 4.5 inches at 200 dpi, give or take the tight bounding box
        assert 1300 < image.size[0] < 1800 and 700 < image.size[1] < 1100
    content = pdf.read_bytes()
    assert b"/Subtype /Image" not in content  # no raster inside: all vector
    assert b"/FontFile2" in content  # TrueType embedded (pdf.fonttype 42): text stays text


def test_save_rejects_unknown_formats_before_writing(tmp_path):
    ax = rc.new_axes()
    with pytest.raises(ValueError, match="unknown format 'gif'"):
        output.save(ax.figure, tmp_path / "chart", ("png", "gif"))
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="formats is empty"):
        output.save(ax.figure, tmp_path / "chart", "")


def test_save_leaves_no_temporary_files(tmp_path):
    output.save(rc.new_axes().figure, tmp_path / "chart", ("png",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


def test_saves_are_byte_identical_across_processes_and_hash_seeds(tmp_path):
    code = (
        "import sys, matplotlib; matplotlib.use('Agg');"
        "from tests.analysis.plots.test_house_style import _draw;"
        "from analysis.plots import output;"
        "output.save(_draw().figure, sys.argv[1], ('png', 'pdf'))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / seed / "chart")],
            env=env,
            check=True,
            cwd=ROOT,
        )
    here = output.save(_draw().figure, tmp_path / "here" / "chart", ("png", "pdf"))
    for path in here:
        assert (tmp_path / "1" / path.name).read_bytes() == path.read_bytes()
        assert (tmp_path / "2" / path.name).read_bytes() == path.read_bytes()


def test_long_source_lists_are_cut_to_four_lines_and_counted():
    taiwan = datasets.load("taiwan_vendor_share")
    every = annotate.sources_of(taiwan)
    text = annotate.footnote_text(taiwan)
    lines = text.split("\n")
    assert len(lines) <= annotate.FOOTNOTE_LINES
    flat = text.replace("\n", " ")
    shown = [s for s in every if s in flat]
    hidden = len(every) - len(shown)
    assert hidden > 0  # 20-odd distinct articles do not fit in four lines
    assert flat.endswith(f"… and {hidden} more sources")
    assert shown == every[: len(shown)]  # the first ones, in order
    # without a limit, every source is listed
    unlimited = annotate.footnote_text(taiwan, max_lines=None).replace("\n", " ")
    assert all(s in unlimited for s in every)
    with pytest.raises(ValueError, match="max_lines"):
        annotate.footnote_text(taiwan, max_lines=0)

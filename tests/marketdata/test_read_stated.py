"""The unit a table states (in its title rows or its value column's header) scales its
bare numbers when ``scale=`` is not given, with a warning; a given ``scale=`` wins, with a
warning when the table says otherwise; two units stated are refused; shares are never
scaled by a title."""

import csv
import io
import time
import warnings

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import marketdata
from marketdata import DataError, DataWarning, ReadOptions
from marketdata.read.stated import unit_statements

SECONDS = 10  # a bound against minutes on a file of a few lines, not a benchmark

PHRASES = [
    # (title text, the factor it states)
    ("Smartphone shipments worldwide (in million units)", 1e6),
    ("Shipments by vendor, in millions", 1e6),
    ("Shipments (millions)", 1e6),
    ("Smartphone shipments, million units", 1e6),
    ("Shipments In Thousands", 1e3),
    ("Shipments (000s)", 1e3),
    ("Taiwan, thousand units", 1e3),
    ("Installed base in billions", 1e9),
    ("Shipments in units", 1.0),
    ("手機出貨量 單位：萬台", 1e4),
    ("智能手机出货量 单位：万台", 1e4),
    ("台灣手機出貨量(千台)", 1e3),
    ("台灣手機出貨量，百萬台", 1e6),
    ("智能手机出货量（百万）", 1e6),
    ("手機出貨量（億台）", 1e8),
]


def _xlsx(tmp_path, titles, header=(None, "Apple", "Samsung"), rows=(("Q1 '12", 35, 44),)):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for title in titles:
        ws.append([title])
    ws.append([])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "made.xlsx"
    wb.save(path)
    return path


def _csv(tmp_path, titles, header=("", "Apple", "Samsung"), rows=(("Q1 '12", "35", "44"),)):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for title in titles:
        writer.writerow([title])
    writer.writerow([])
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "made.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


WRITERS = {"xlsx": _xlsx, "csv": _csv}


def _read(path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = marketdata.read(path, market="WW", source="made", **kwargs)
    said = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    others = [w for w in caught if not issubclass(w.category, DataWarning)]
    assert not others, others
    return f, said


def _units(f):
    return f.set_index("brand")["units"].to_dict()


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize(("title", "factor"), PHRASES)
def test_a_unit_stated_in_a_title_row_scales_the_bare_numbers(tmp_path, kind, title, factor):
    path = WRITERS[kind](tmp_path, [title])
    f, said = _read(path)
    # 35 and 44 as written, times what the title states
    assert _units(f) == {"Apple": pytest.approx(35 * factor), "Samsung": pytest.approx(44 * factor)}
    told = [w for w in said if "scale" in w]
    if factor == 1:  # "in units": kept as written, nothing to say
        assert told == []
        return
    (told,) = told
    assert path.name in told and repr(title) in told and "pass scale=1 to keep" in told
    assert f"multiplied by {factor:g}" in told


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_scale_1_keeps_the_numbers_as_written(tmp_path, kind):
    path = WRITERS[kind](tmp_path, ["Shipments (in million units)"])
    f, said = _read(path, scale=1)
    assert _units(f) == {"Apple": 35, "Samsung": 44}
    (told,) = [w for w in said if "scale" in w]  # obeyed, and the title's unit named
    assert "in million units" in told and "scale=1 was given" in told


def test_a_given_scale_and_a_title_in_units_disagree_with_a_warning(tmp_path):
    f, said = _read(_csv(tmp_path, ["Shipments in units"]), scale="thousands")
    assert _units(f) == {"Apple": 35_000, "Samsung": 44_000}  # as asked: 35 × 1,000
    (told,) = [w for w in said if "scale" in w]
    assert "'in units', 1)" in told and "scale=1000 was given" in told


def test_a_title_without_a_unit_changes_nothing(tmp_path):
    for title in (
        "Smartphone shipments by vendor worldwide",
        "Shipments passed 1.2 billion units in 2016",  # a figure, not the table's unit
        "三星出貨量突破1億台",  # the same in Chinese
        "Market share of vendors (in %)",
    ):
        f, said = _read(_xlsx(tmp_path, [title]))
        assert _units(f) == {"Apple": 35, "Samsung": 44}, title
        assert not [w for w in said if "scale" in w], (title, said)


@pytest.mark.parametrize(
    ("header", "factor"),
    [
        ("Shipments (million units)", 1e6),
        ("出貨量(萬台)", 1e4),
        ("Units (in thousands)", 1e3),
    ],
)
def test_a_value_columns_header_naming_the_unit_counts(tmp_path, header, factor):
    text = f"brand,period,{header}\nHTC,2012Q1,3.2\nSony,2012Q1,1.5\n"
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    f, said = _read(path, columns={header: "units"})
    # 3.2 and 1.5 times the header's unit
    assert _units(f) == {"HTC": pytest.approx(3.2 * factor), "Sony": pytest.approx(1.5 * factor)}
    (told,) = [w for w in said if "scale" in w]
    assert repr(header) in told and "scale=1" in told


def test_cells_with_their_own_unit_are_not_scaled_by_the_title(tmp_path):
    path = _csv(tmp_path, ["Shipments (in million units)"], rows=[("Q1 '12", "35", "44,000")])
    f, _ = _read(path)
    # 35 is bare: 35 million; "44,000" is bare too: 44,000 million
    assert _units(f) == {"Apple": 35e6, "Samsung": 44_000e6}
    own = _csv(tmp_path, ["Shipments (in million units)"], rows=[("Q1 '12", "35", "700萬")])
    f, _ = _read(own)
    assert _units(f) == {"Apple": 35e6, "Samsung": 7_000_000}  # 700 × 10^4, as the cell says


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_given_scale_wins_over_the_title_with_a_warning_naming_both(tmp_path, kind):
    path = WRITERS[kind](tmp_path, ["Shipments (in million units)"])
    f, said = _read(path, scale="thousands")
    assert _units(f) == {"Apple": 35_000, "Samsung": 44_000}  # 35 × 1,000, 44 × 1,000
    (told,) = [w for w in said if "scale" in w]
    assert "in million units" in told and "1e+06" in told and "1000" in told


def test_a_given_scale_that_agrees_with_the_title_says_nothing(tmp_path):
    f, said = _read(_xlsx(tmp_path, ["Shipments (in million units)"]), scale="millions")
    assert _units(f) == {"Apple": 35e6, "Samsung": 44e6}
    assert not [w for w in said if "scale" in w]


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_two_titles_stating_different_units_are_refused(tmp_path, kind):
    path = WRITERS[kind](tmp_path, ["Shipments in millions", "Figures in thousands"])
    with pytest.raises(DataError, match="scale=") as err:
        _read(path)
    assert err.value.file == path.name
    assert "in millions" in str(err.value) and "in thousands" in str(err.value)
    f, _ = _read(path, scale="millions")  # the caller decides
    assert _units(f) == {"Apple": 35e6, "Samsung": 44e6}


def test_a_title_and_a_header_stating_different_units_are_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        "Shipments in millions\nbrand,period,Units (thousand units)\nHTC,2012Q1,3.2\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="scale="):
        _read(path, columns={"Units (thousand units)": "units"})


def test_two_titles_stating_the_same_unit_are_one_unit(tmp_path):
    path = _xlsx(tmp_path, ["Shipments (in million units)", "Worldwide, million units"])
    f, _ = _read(path)
    assert _units(f) == {"Apple": 35e6, "Samsung": 44e6}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_shares_are_never_scaled_by_a_title(tmp_path, kind):
    rows = [("Q1 '12", "55.5", "44.5")]
    path = WRITERS[kind](tmp_path, ["Market share by vendor (in %)"], rows=rows)
    f, said = _read(path, value="share", percent=True)
    assert f.set_index("brand")["share"].to_dict() == pytest.approx(
        {"Apple": 0.555, "Samsung": 0.445}  # 55.5 / 100, 44.5 / 100
    )
    assert not [w for w in said if "scale" in w]
    path = WRITERS[kind](tmp_path, ["Market share (in millions)"], rows=rows)
    f, _ = _read(path, value="share", percent=True)
    assert f.set_index("brand")["share"].to_dict() == pytest.approx(
        {"Apple": 0.555, "Samsung": 0.445}
    )


def test_from_frame_reads_the_value_columns_header():
    import pandas as pd

    df = pd.DataFrame({"brand": ["HTC"], "period": ["2012Q1"], "Shipments (in millions)": [3.2]})
    with pytest.warns(DataWarning, match="scale=1"):
        f = marketdata.from_frame(df, market="TW", source="x", columns={df.columns[2]: "units"})
    assert f["units"].tolist() == [pytest.approx(3.2e6)]


def test_scale_is_not_given_by_default():
    assert ReadOptions().scale is None
    assert ReadOptions(scale="millions").scale == 1e6


def test_unit_statements_of_a_text():
    assert unit_statements("Shipments (in million units)") == [("(in million units)", 6)]
    assert unit_statements("出貨量(萬台)") == [("(萬台)", 4)]
    assert unit_statements("Smartphone shipments by vendor") == []
    assert unit_statements("1.2 billion units shipped") == []
    assert unit_statements("Shipments in 1,000 units") == [("in 1,000 units", 3)]
    assert unit_statements("Shipments (1000s)") == [("(1000s)", 3)]
    assert unit_statements("Shipments of 1,000 units") == []  # a figure
    assert unit_statements("two million units sold") == []
    assert unit_statements("Units (M)") == []  # one letter: a unit in a header only
    assert unit_statements("Units (M)", header=True) == [("(m)", 6)]


TITLE = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            ["in", "million", "units", "(", ")", "000s", "'", "單位", "：", "萬", "台", "億",
             "百", "千", "%", "1.2", " ", "thousand", "s", "（", "）", "in in", "m", "K"]
        ),
        max_size=30,
    ).map("".join),
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TITLE, min_size=1, max_size=3), st.sampled_from([None, 1, "millions"]))
def test_any_title_gives_figures_or_a_data_error_in_bounded_time(titles, scale):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for title in titles:
        writer.writerow([title])
    writer.writerow(["", "Apple"])
    writer.writerow(["Q1 '12", "35"])
    kwargs = {} if scale is None else {"scale": scale}
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # anything but a DataWarning fails the test
            warnings.simplefilter("ignore", DataWarning)
            f = marketdata.read(
                io.StringIO(buffer.getvalue()), format="csv", market="WW", source="t", **kwargs
            )
        assert len(f) == 1 and f["units"].iloc[0] > 0
    except DataError:
        pass
    finally:
        assert time.perf_counter() - t0 < SECONDS
    for title in titles:
        for phrase, exponent in unit_statements(title):
            assert isinstance(phrase, str) and phrase and 0 <= exponent <= 12


PRINTABLE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TITLE, PRINTABLE), min_size=1, max_size=3))
def test_any_title_row_of_a_sheet_gives_figures_or_a_data_error(titles):
    wb = openpyxl.Workbook()
    for title in titles:
        wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", title) or None])  # what a cell holds
    wb.active.append([None, "Apple"])
    wb.active.append(["Q1 '12", 35])
    buffer = io.BytesIO()
    wb.save(buffer)
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.simplefilter("ignore", DataWarning)
            f = marketdata.read(io.BytesIO(buffer.getvalue()), format="xlsx", market="WW",
                                source="t")  # fmt: skip
        assert len(f) == 1 and f["units"].iloc[0] >= 35  # 35 times the unit stated, if any
    except DataError:
        pass
    finally:
        assert time.perf_counter() - t0 < SECONDS


def test_a_long_title_is_read_in_bounded_time():
    text = "(in " * 50_000 + "million units" + " in" * 50_000
    t0 = time.perf_counter()
    found = unit_statements(text)
    assert time.perf_counter() - t0 < SECONDS
    assert found == []  # only the first 2,000 characters are looked at: no unit there

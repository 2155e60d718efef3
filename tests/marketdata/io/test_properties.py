"""Hypothesis properties of the format readers: hostile workbooks, JSON and CSV give a
Table or a DataError, never another exception, in bounded work; no CSV row is lost."""

import io
import time
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marketdata
from marketdata import DataError
from marketdata.io import read_table
from marketdata.io.xlsxml import column_letter
from tests.marketdata.io._workbooks import sheet_xml, workbook

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SECONDS = 10  # a generous bound on one read of a file of a few kilobytes

COLUMNS = st.one_of(st.integers(1, 6), st.sampled_from([16_383, 16_384, 16_385, 0]))
ROWS = st.one_of(st.integers(1, 8), st.sampled_from([1_048_575, 1_048_576, 1_048_577, 0]))
TEXT = st.one_of(
    st.sampled_from(["brand", "period", "units", "HTC", "2012Q1", "* note", " ", ""]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
VALUES = st.one_of(TEXT, st.integers(-(10**30), 10**30), st.floats(allow_nan=False))


def _ref(col: int, row: int) -> str:
    return (column_letter(col) if col else "") + str(row)


def _timed(read, *args, **kwargs):
    t0 = time.perf_counter()
    try:
        return read(*args, **kwargs)
    except DataError:
        return None
    finally:
        assert time.perf_counter() - t0 < SECONDS  # a bound against minutes, not a benchmark


@SETTINGS
@given(
    st.dictionaries(st.tuples(COLUMNS, ROWS), VALUES, max_size=25),
    st.lists(st.tuples(COLUMNS, ROWS, COLUMNS, ROWS), max_size=3),
    st.sampled_from(["", '<dimension ref="A1:XFD1048576"/>', '<dimension ref="A1"/>']),
    st.sampled_from([None, 0, "Data"]),
)
def test_hostile_sheets_give_a_table_or_a_data_error(cells, merges, head, sheet):
    refs = {_ref(c, r): v for (c, r), v in cells.items()}
    merged = "".join(f'<mergeCell ref="{_ref(a, b)}:{_ref(c, d)}"/>' for a, b, c, d in merges)
    xml = sheet_xml(refs, head=head, extra=f"<mergeCells>{merged}</mergeCells>" if merged else "")
    data = workbook([("Data", "visible", xml), ("Hidden", "hidden", xml)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = _timed(read_table, io.BytesIO(data), format="xlsx", sheet=sheet)
    if table is not None:
        # every row of the table comes from a sheet row holding a value, in order
        filled = {r for (c, r), v in cells.items() if not (isinstance(v, str) and not v.strip())}
        assert set(table.lines.tolist()) <= filled
        assert (table.lines[1:] > table.lines[:-1]).all()


JSON = st.recursive(
    st.one_of(
        st.sampled_from(
            [
                "null",
                "true",
                "false",
                "9" * 5000,
                "1e999",
                "NaN",
                "-Infinity",
                '"\\ud800"',
                '"\\udc00"',
            ]
        ),
        st.integers().map(str),
        st.text(max_size=8).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ",".join(xs) + "]"),
        st.dictionaries(
            st.sampled_from(["brand", "period", "units", "market"]), inner, max_size=4
        ).map(  # fmt: skip
            lambda d: "{" + ",".join(f'"{k}":{v}' for k, v in d.items()) + "}"
        ),
    ),
    max_leaves=12,
)


@SETTINGS
@given(JSON, st.integers(0, 3000))
def test_hostile_json_gives_figures_or_a_data_error(text, depth):
    text = "[" * depth + text + "]" * depth
    for errors in ("raise", "collect"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _timed(marketdata.read, io.StringIO(text), format="json", source="fuzz",
                   market="TW", errors=errors)  # fmt: skip


FIELD = st.sampled_from(["HTC", "2012Q1", "3M", "", "x y", "小米"])


@SETTINGS
@given(
    st.lists(st.lists(FIELD, min_size=1, max_size=5), min_size=1, max_size=20),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_every_csv_row_is_kept_or_rejected_at_its_line(rows, newline):
    text = newline.join(["a,b,c", *(",".join(r) for r in rows)]) + newline
    table = _timed(read_table, io.BytesIO(text.encode()), format="csv", errors="collect")
    long = [i for i, r in enumerate(rows, start=1) if len(r) > 3]
    blank = [i for i, r in enumerate(rows, start=1) if len(r) <= 3 and not "".join(r).strip()]
    kept = [i for i in range(1, len(rows) + 1) if i not in long and i not in blank]
    # header on line 1: data row i on line i + 1, kept or rejected, never lost
    assert table.rows.tolist() == kept and table.lines.tolist() == [i + 1 for i in kept]
    assert table.rejected["row"].tolist() == long
    assert table.rejected["line"].tolist() == [i + 1 for i in long]


@SETTINGS
@given(st.lists(st.binary(max_size=6), min_size=1, max_size=6))
def test_parquet_text_of_any_bytes_gives_a_table_or_a_data_error(raw):
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = pa.array(raw, type=pa.binary()).view(pa.string())  # bytes stored as text, unchecked
    buffer = io.BytesIO()
    pq.write_table(pa.table({"brand": text, "units": [1.0] * len(raw)}), buffer)
    valid = []
    for value in raw:
        try:
            valid.append(value.decode("utf-8"))
        except UnicodeDecodeError:
            valid.append(None)
    table = _timed(read_table, io.BytesIO(buffer.getvalue()), format="parquet")
    if None in valid:  # the first bad value is named
        assert table is None
    else:
        assert table.frame["brand"].tolist() == valid

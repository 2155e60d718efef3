"""Hypothesis properties of read(): only DataError on bad input, and no row lost silently."""

import csv
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketdata import DataError
from marketdata.read import Loaded, from_frame, read

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _quiet_read(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read(*args, **kwargs)


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["csv", "json", "xlsx", "parquet", None]))
def test_random_bytes_raise_only_data_error(data, fmt):
    try:
        got = _quiet_read(
            io.BytesIO(data), format=fmt, market="TW", source="fuzz", errors="collect"
        )
    except DataError:
        return
    assert isinstance(got, Loaded)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_raises_only_data_error(text):
    for errors in ("raise", "collect"):
        try:
            _quiet_read(io.StringIO(text), format="csv", market="TW", source="fuzz", errors=errors)
        except DataError:
            pass


UNITS = st.one_of(
    st.sampled_from(
        ["3.2M", "700萬", "1,234,567", "over 3 million", "", "lots", "-5", "1e400", "0"]
    ),
    st.integers(min_value=0, max_value=10**9).map(str),
    st.text(max_size=6),
)
PERIODS = st.one_of(
    st.sampled_from(["2012Q1", "2012Q2", "2012", "H1 2012", "", "2012Q9", "Jun-12"]),
    st.text(max_size=6),
)
BRANDS = st.sampled_from(["HTC", "Samsung", "小米", "Sony", "Zorblax"])
MARKETS = st.sampled_from(["TW", "Taiwan", "", "Atlantis"])
ROW = st.tuples(BRANDS, PERIODS, MARKETS, UNITS)


@SETTINGS
@given(st.lists(ROW, min_size=1, max_size=30))
def test_every_row_is_loaded_or_rejected(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # quotes cells holding \r or \n
    writer.writerow(["brand", "period", "market", "units"])
    writer.writerows(rows)
    if "\x00" in buffer.getvalue():
        with pytest.raises(DataError, match="NUL"):
            _quiet_read(io.StringIO(buffer.getvalue()), source="prop", errors="collect")
        return
    got = _quiet_read(io.StringIO(buffer.getvalue()), source="prop", errors="collect")
    # rows in = loaded + rejected, each rejected row named once, at its own line
    assert len(got.figures) + len(got.rejected) == len(rows)
    assert got.rejected["row"].is_unique
    assert got.rejected["row"].between(1, len(rows)).all()
    # header on line 1; a cell holding newlines pushes every later row down
    newlines = [sum(cell.count("\n") for cell in row) for row in rows]
    expected_line = {r: 1 + r + sum(newlines[: r - 1]) for r in range(1, len(rows) + 1)}
    assert got.rejected["line"].tolist() == [expected_line[r] for r in got.rejected["row"]]
    assert got.rejected["reason"].map(lambda r: isinstance(r, str) and len(r) > 0).all()
    # raise mode: either everything loads, or it names the first rejected row
    try:
        loaded = _quiet_read(io.StringIO(buffer.getvalue()), source="prop")
    except DataError as err:
        assert len(got.rejected) and err.row == got.rejected["row"].iloc[0]
    else:
        pd.testing.assert_frame_equal(loaded, got.figures)


JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | st.text(max_size=8)
    | UNITS
    | PERIODS,
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)


@SETTINGS
@given(st.lists(st.tuples(BRANDS, JSON_VALUE, JSON_VALUE), min_size=1, max_size=20))
def test_json_records_of_any_types_are_loaded_or_rejected(rows):
    # numbers, booleans, NaN, lists and objects where text or numbers belong: only
    # DataError, and (the brand always given, so no record is blank) records in =
    # loaded + rejected
    import json

    records = [{"brand": b, "period": p, "units": u} for b, p, u in rows]
    text = json.dumps(records)  # NaN and Infinity as JSON's common extension
    got = _quiet_read(io.StringIO(text), format="json", market="TW", source="j", errors="collect")
    assert len(got.figures) + len(got.rejected) == len(rows)
    assert got.rejected["row"].is_unique


SECONDS = st.integers(min_value=-(2**62), max_value=2**62)  # datetime64[s]: years ±1.4e11


@SETTINGS
@given(
    st.lists(
        st.tuples(BRANDS, SECONDS, st.floats(allow_nan=True, allow_infinity=True)),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["s", "ms", "us"]),
)
def test_typed_frames_with_any_numbers_and_dates_are_loaded_or_rejected(rows, unit):
    # negative or non-finite numeric units and datetimes outside 1678-2261 (which
    # datetime64[ns] cannot hold: they used to wrap or raise OutOfBoundsDatetime) are
    # rejected rows, never an abort, in collect mode
    brands, seconds, units = zip(*rows, strict=True)
    factor = {"s": 1, "ms": 1000, "us": 1_000_000}[unit]
    stamps = np.array([s_ // factor * factor for s_ in seconds], dtype="int64")
    frame = pd.DataFrame(
        {"brand": brands, "period": stamps.astype(f"datetime64[{unit}]"), "units": units}
    )
    got = _quiet_from_frame(frame, market="TW", source="prop", errors="collect")
    assert len(got.figures) + len(got.rejected) == len(rows)
    assert (got.figures["units"] >= 0).all() and np.isfinite(got.figures["units"]).all()
    assert got.figures["start"].between("1678-01-01", "2262-12-31").all()
    try:
        _quiet_from_frame(frame, market="TW", source="prop")
    except DataError:
        assert len(got.rejected)


def _quiet_from_frame(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return from_frame(*args, **kwargs)

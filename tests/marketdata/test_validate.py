import pandas as pd
import pytest

from marketdata import DataError, validate


def _frame(**overrides):
    base = {
        "brand": ["Xiaomi", pd.NA],
        "market": ["CN", "TW"],
        "start": [pd.NaT, pd.Timestamp("2012-01-01")],
        "end": [pd.Timestamp("2012-06-12"), pd.Timestamp("2012-12-31")],
        "units": [3e6, 7e6],
        "basis": ["cumulative", "period"],
        "status": ["actual", "estimate"],
        "metric": ["shipments", "demand"],
        "source": ["news", "news"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_valid_frame_gets_canonical_dtypes_and_input_is_untouched():
    raw = _frame()
    out = validate(raw)
    assert out["units"].dtype == "float64"
    assert str(out["brand"].dtype) == "string"
    assert isinstance(out["basis"].dtype, pd.CategoricalDtype)
    assert raw["basis"].dtype == object or str(raw["basis"].dtype) == "str"


@pytest.mark.parametrize(
    "overrides, column, fragment",
    [
        ({"units": [3e6, -1.0]}, "units", "negative"),
        ({"units": [3e6, float("nan")]}, "units", "missing or not finite"),
        ({"basis": ["cumulative", "monthly"]}, "basis", "must be one of"),
        ({"market": ["CN", None]}, "market", "market is missing"),
        ({"start": [pd.NaT, pd.Timestamp("2013-01-01")]}, "start", "start is after end"),
        ({"start": [pd.NaT, pd.NaT]}, "start", "needs a start date"),
    ],
)
def test_bad_rows_are_named(overrides, column, fragment):
    with pytest.raises(DataError, match=fragment) as info:
        validate(_frame(**overrides))
    assert info.value.column == column
    assert info.value.row == 2  # the second row is the bad one


def test_missing_column_is_named():
    with pytest.raises(DataError, match="lacks the column"):
        validate(_frame().drop(columns="source"))


def test_share_above_one_is_refused():
    frame = _frame().rename(columns={"units": "share"})
    frame["share"] = [0.3, 28.0]
    with pytest.raises(DataError, match="divide percentages by 100"):
        validate(frame)

"""check_rows: the row checks validate and the analyses share."""

import numpy as np
import pandas as pd
import pytest

from marketdata import DataError
from marketdata.validate import check_rows, validate


def _rows(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "brand": ["Xiaomi", "Huawei", "ZTE"],
            "market": ["CN", "CN", "CN"],
            "start": ["2012-01-01", "2012-01-01", "2012-01-01"],
            "end": ["2012-06-30", "2012-06-30", "2012-06-30"],
            "units": [3e6, np.nan, 1e6],  # row 2 gives a share instead
            "share": [np.nan, 0.2, np.nan],
            "metric": ["shipments"] * 3,
        }
    )
    return frame.assign(**overrides)


def test_rows_in_units_and_rows_in_shares_pass_with_numeric_dtypes():
    out = check_rows(_rows())
    assert out["units"].tolist()[::2] == [3e6, 1e6]
    assert out["share"].iloc[1] == 0.2
    assert out["end"].dtype == "datetime64[ns]"
    assert out["end"].iloc[0] == pd.Timestamp("2012-06-30")


@pytest.mark.parametrize(
    "overrides, column, value, fragment",
    [
        ({"market": ["CN", None, "CN"]}, "market", None, "market is missing"),
        ({"end": ["2012-06-30", None, "2012-06-30"]}, "end", None, "end date is missing"),
        (
            {"start": ["2012-01-01", "2013-01-01", "2012-01-01"]},
            "start",
            pd.Timestamp("2013-01-01"),
            "start is after end",
        ),
        (
            {"units": [3e6, np.nan, -5.0], "share": [np.nan, 0.2, np.nan]},
            "units",
            -5.0,
            "units is negative",
        ),
        ({"units": [3e6, np.nan, np.inf]}, "units", np.inf, "units is not finite"),
        ({"share": [np.nan, 20.0, np.nan]}, "share", 20.0, "share is above 1"),
        ({"share": [np.nan, -0.1, np.nan]}, "share", -0.1, "share is negative"),
        ({"share": [np.nan, np.nan, np.nan]}, "share", None, "neither units nor share"),
    ],
)
def test_each_refusal_names_row_column_and_value(overrides, column, value, fragment):
    frame = _rows(**overrides)
    bad_row = 3 if value in (-5.0, np.inf) else 2
    with pytest.raises(DataError, match=fragment) as info:
        check_rows(frame)
    err = info.value
    assert err.column == column
    assert err.row == bad_row
    assert f"row {bad_row}" in err.message
    if value is None:
        assert pd.isna(err.value)
    else:
        assert err.value == value
        assert f"(value {value!r})" in err.message


def test_units_are_preferred_and_a_share_beside_them_is_not_read():
    # row 1 gives units; its share (5.0, nonsense) is not the row's value
    assert check_rows(_rows(share=[5.0, 0.2, np.nan]))["units"].iloc[0] == 3e6


def test_text_that_is_not_dates_or_numbers_is_refused_by_column():
    with pytest.raises(DataError, match="column 'end' does not hold dates") as info:
        check_rows(_rows(end=["2012-06-30", "soon", "2012-06-30"]))
    assert info.value.column == "end"
    with pytest.raises(DataError, match="column 'units' does not hold numbers") as info:
        check_rows(_rows(units=["3e6", "many", "1e6"]))
    assert info.value.column == "units"


def test_missing_columns_are_named():
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['market'\]"):
        check_rows(_rows().drop(columns="market"))
    with pytest.raises(DataError, match="units or share"):
        check_rows(_rows().drop(columns=["units", "share"]))
    with pytest.raises(TypeError, match="DataFrame"):
        check_rows([1, 2])


def test_rows_checks_only_those_and_numbers_them_as_in_the_whole_frame():
    frame = _rows(share=[np.nan, 20.0, np.nan])
    assert len(check_rows(frame, rows=[0, 2])) == 2  # the bad row 2 is not among them
    with pytest.raises(DataError, match="row 2") as info:
        check_rows(frame.iloc[[2, 1, 0]].reset_index(drop=True), rows=[0, 1])
    assert info.value.row == 2


def test_several_bad_rows_are_listed():
    frame = _rows(units=[-1.0, np.nan, -2.0])
    with pytest.raises(DataError, match=r"rows 1, 3") as info:
        check_rows(frame)
    assert info.value.row == 1


def test_one_metric_requirement():
    with pytest.raises(DataError, match=r"mix metrics \['sales', 'shipments'\]") as info:
        check_rows(_rows(metric=["shipments", "sales", "shipments"]), require=("one_metric",))
    assert info.value.row == 2


def test_validate_runs_the_same_row_checks():
    frame = (
        _rows()
        .drop(columns="share")
        .assign(units=[3e6, -1.0, 1e6], basis="period", status="actual", source="report")
    )
    with pytest.raises(DataError) as from_validate:
        validate(frame)
    with pytest.raises(DataError) as from_layer:
        check_rows(frame)
    assert str(from_validate.value) == str(from_layer.value)
    assert from_layer.value.row == 2

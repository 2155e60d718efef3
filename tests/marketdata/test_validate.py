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
        # a figure without a source passed: nothing for a chart to cite
        ({"source": ["news", None]}, "source", "source is missing"),
        ({"source": ["news", ""]}, "source", "source is missing"),
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


def test_canonical_categoricals_are_kept_and_still_checked():
    from marketdata import schema as s

    raw = _frame()
    raw["basis"] = pd.Categorical(["cumulative", "period"], categories=list(s.BASES))
    out = validate(raw)
    assert out["basis"].tolist() == ["cumulative", "period"]
    assert out["basis"].dtype == validate(_frame())["basis"].dtype  # same as from strings
    raw["basis"] = pd.Categorical(["cumulative", None], categories=list(s.BASES))
    with pytest.raises(DataError, match="basis must be one of") as info:
        validate(raw)
    assert info.value.row == 2
    # other categories (another order) go through the checks of text values
    raw["basis"] = pd.Categorical(["cumulative", "period"], categories=["period", "cumulative"])
    assert list(validate(raw)["basis"].cat.categories) == list(s.BASES)


def test_the_result_is_independent_of_the_input():
    raw = _frame()
    out = validate(raw)
    out.loc[0, "units"] = 1.0
    assert raw.loc[0, "units"] == 3e6


# ---------------------------------------------------------------- require=


def test_require_units_share_market_size_brands_and_one_metric():
    units = _frame()  # Xiaomi (brand) and a brand-NA figure (the market), two metrics
    with pytest.raises(DataError, match=r"mix metrics \['demand', 'shipments'\]") as err:
        validate(units, require=("one_metric",))
    assert err.value.row == 2 and err.value.value == "demand"
    same = _frame(metric=["shipments", "shipments"])
    assert validate(same, require=("units", "market_size", "brands", "one_metric")).shape == (2, 9)
    with pytest.raises(DataError, match="units are shares|shares are needed"):
        validate(same, require=("share",))
    shares = _frame(share=[0.3, 0.2]).drop(columns="units")
    with pytest.raises(DataError, match="these figures are shares, and units are needed"):
        validate(shares, require=("units",))
    with pytest.raises(DataError, match="no market size"):
        validate(shares, require=("market_size",))
    brandless = _frame(brand=[pd.NA, pd.NA])
    with pytest.raises(DataError, match="no brand figures.*brand="):
        validate(brandless, require=("brands",))


def test_require_is_checked_as_an_argument():
    with pytest.raises(ValueError, match="unknown requirement"):
        validate(_frame(), require=("unit",))
    with pytest.raises(TypeError, match="tuple of texts"):
        validate(_frame(), require="units")


@pytest.mark.parametrize("metric", ["usage", "installed_base"])
def test_usage_and_installed_base_are_valid_metrics(metric):
    out = validate(_frame(metric=[metric, metric]), require=("one_metric",))
    assert out["metric"].tolist() == [metric, metric]

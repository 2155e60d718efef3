"""Tests of marketdata.names: brand_name, market_code, register_aliases."""

import csv
import warnings
from importlib import resources

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketdata import UnknownNameWarning, brand_name, market_code, register_aliases, schema
from marketdata.names import _table, name_key, reset_aliases


@pytest.fixture(autouse=True)
def _clean_aliases():
    reset_aliases()
    yield
    reset_aliases()


BRANDS = [
    # the vendors of the packaged data, as each source spells them
    ("Nokia", "Nokia"),
    ("RIM", "BlackBerry"),
    ("BlackBerry", "BlackBerry"),
    ("Research In Motion", "BlackBerry"),
    ("HTC", "HTC"),
    ("Apple", "Apple"),
    ("Samsung", "Samsung"),
    ("LG", "LG"),
    ("Sony", "Sony"),
    ("Sony Ericsson", "Sony"),
    ("Huawei", "Huawei"),
    ("Lenovo", "Lenovo"),
    ("Motorola", "Motorola"),
    ("ZTE", "ZTE"),
    ("Xiaomi", "Xiaomi"),
    ("OPPO", "OPPO"),
    ("Oppo", "OPPO"),
    ("vivo", "vivo"),
    ("Vivo", "vivo"),
    ("Transsion", "Transsion"),
    ("Asus", "Asus"),
    ("ASUSTeK", "Asus"),
    ("ASUSTeK Computer Inc.", "Asus"),
    ("Nokia (HMD Global)", "HMD Global"),
    ("Taiwan Mobile", "Taiwan Mobile"),
    ("Others", "Others"),
    ("Other", "Others"),
    # design and issue
    ("XIAOMI Inc.", "Xiaomi"),
    ("Mi", "Xiaomi"),
    ("小米", "Xiaomi"),
    ("三星", "Samsung"),
    ("蘋果", "Apple"),
    ("苹果", "Apple"),
    ("宏達電", "HTC"),
    ("宏达电", "HTC"),
    ("華碩", "Asus"),
    ("华硕", "Asus"),
    ("索尼", "Sony"),
    ("華為", "Huawei"),
    ("华为", "Huawei"),
    ("聯想", "Lenovo"),
    ("联想", "Lenovo"),
    ("歐珀", "OPPO"),
    ("維沃", "vivo"),
    ("其他", "Others"),
    # case, width, spacing, punctuation, legal suffixes
    ("xiaomi", "Xiaomi"),
    ("  Xiaomi  ", "Xiaomi"),
    ("ｘｉａｏｍｉ", "Xiaomi"),
    ("Samsung Electronics Co., Ltd.", "Samsung"),
    ("Apple Inc", "Apple"),
    ("Huawei Technologies Co. Ltd.", "Huawei"),
    ("HTC Corporation", "HTC"),
    ("小米科技有限公司", "Xiaomi"),
    ("Sony-Ericsson", "Sony"),
    ("L.G.", "LG"),
]


@pytest.mark.parametrize(("text", "canonical"), BRANDS)
def test_brand_names(text, canonical):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownNameWarning)
        assert brand_name(text) == canonical


MARKETS = [
    ("Taiwan", "TW"),
    ("台灣", "TW"),
    ("臺灣", "TW"),
    ("ROC", "TW"),
    ("R.O.C.", "TW"),
    ("Republic of China", "TW"),
    ("China", "CN"),
    ("Mainland China", "CN"),
    ("PRC", "CN"),
    ("中国", "CN"),
    ("中國", "CN"),
    ("United States", "US"),
    ("USA", "US"),
    ("U.S.", "US"),
    ("US", "US"),
    ("America", "US"),
    ("India", "IN"),
    ("Worldwide", "WW"),
    ("Global", "WW"),
    ("WW", "WW"),
    ("World", "WW"),
    ("Japan", "JP"),
    ("South Korea", "KR"),
    ("UK", "GB"),
    ("United Kingdom", "GB"),
    ("Germany", "DE"),
    ("France", "FR"),
    ("Indonesia", "ID"),
    ("Brazil", "BR"),
    ("Russia", "RU"),
    ("Hong Kong", "HK"),
    ("Singapore", "SG"),
    ("Vietnam", "VN"),
    ("Thailand", "TH"),
    ("tw", "TW"),
    ("ＴＡＩＷＡＮ", "TW"),
]


@pytest.mark.parametrize(("text", "code"), MARKETS)
def test_market_codes(text, code):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownNameWarning)
        assert market_code(text) == code


def test_every_vendor_of_the_packaged_data_is_known():
    vendors = set()
    for name in (
        "worldwide_quarterly_shipments_by_vendor.csv",
        "worldwide_annual_shipments_by_vendor.csv",
        "taiwan_vendor_share.csv",
    ):
        with resources.files("marketdata.datasets").joinpath(name).open(encoding="utf-8") as f:
            vendors |= {row["vendor"] for row in csv.DictReader(f)}
    assert len(vendors) >= 19
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownNameWarning)
        brand_name(pd.Series(sorted(vendors)))


def test_residual_names_are_the_schema_constants():
    assert brand_name("Others") == schema.OTHERS
    assert brand_name("unknown") == schema.UNKNOWN


def test_unknown_names_are_kept_and_listed_in_one_warning():
    values = pd.Series([" Foo ", "小米", None, "Bar", "Foo"], index=list("abcde"), name="brand")
    with pytest.warns(UnknownNameWarning) as record:
        out = brand_name(values)
    assert len(record) == 1
    message = str(record[0].message)
    assert "2 unknown brand name(s)" in message and "'Bar'" in message and "'Foo'" in message
    assert out.tolist()[:2] == ["Foo", "Xiaomi"] and pd.isna(out["c"])
    assert out.tolist()[3:] == ["Bar", "Foo"]
    assert out.dtype == "string" and out.name == "brand" and list(out.index) == list("abcde")
    with pytest.warns(UnknownNameWarning, match="'Mars'"):
        assert market_code("Mars ") == "Mars"


def test_no_guessing_of_near_misses():
    with pytest.warns(UnknownNameWarning):
        assert brand_name("Xiaomy") == "Xiaomy"
    with pytest.warns(UnknownNameWarning):
        assert brand_name("Samsang") == "Samsang"


def test_register_aliases_takes_precedence_and_resets():
    register_aliases("brand", {"Nokia (HMD Global)": "Nokia", "Acme Phone Co.": "Acme"})
    assert brand_name("Nokia (HMD Global)") == "Nokia"
    assert brand_name("ACME PHONE") == "Acme"  # the key drops "Co." and case
    assert brand_name("acme") == "Acme"  # the canonical name is an alias of itself
    register_aliases("market", {"Formosa": "TW"})
    assert market_code("formosa") == "TW"
    reset_aliases("brand")
    assert brand_name("Nokia (HMD Global)") == "HMD Global"
    assert market_code("Formosa") == "TW"
    reset_aliases()
    with pytest.warns(UnknownNameWarning):
        market_code("Formosa")


def test_register_aliases_bad_arguments():
    with pytest.raises(ValueError, match="kind"):
        register_aliases("vendor", {"a": "b"})
    with pytest.raises(ValueError, match="two upper-case letters"):
        register_aliases("market", {"Formosa": "Taiwan"})
    with pytest.raises(ValueError, match="empty"):
        register_aliases("brand", {"...": "X"})
    with pytest.raises(TypeError):
        register_aliases("brand", {"a": 1})
    with pytest.raises(TypeError):
        register_aliases("brand", [("a", "b")])
    with pytest.raises(TypeError):
        brand_name(3)
    with pytest.raises(TypeError):
        brand_name(pd.DataFrame({"b": ["x"]}))


def test_tables_are_data_files_without_conflicts():
    # _table raises on an alias that maps to two names; every canonical market is a code
    brands, markets = _table("brand"), _table("market")
    assert brands["xiaomi"] == "Xiaomi" and markets["taiwan"] == "TW"
    assert all(len(code) == 2 and code.isupper() for code in markets.values())


def test_name_key():
    assert name_key("Samsung Electronics Co., Ltd.") == "samsungelectronics"
    assert name_key("Co.") == "co"  # a legal word alone is kept
    assert name_key("ＨＴＣ Corp") == "htc"
    assert name_key("小米科技有限公司") == "小米科技"
    assert name_key("SA", kind="market") == "sa"


def test_none_and_na_pass_through():
    assert brand_name(None) is None
    assert pd.isna(brand_name(pd.NA))
    assert brand_name(pd.Series([None, None], dtype="string")).isna().all()


@settings(max_examples=40, deadline=None)
@given(
    picks=st.lists(st.sampled_from(BRANDS), min_size=1, max_size=10),
    upper=st.booleans(),
)
def test_series_equals_scalars(picks, upper):
    texts = [t.upper() if upper else t for t, _ in picks]
    out = brand_name(pd.Series(texts))
    assert out.tolist() == [brand_name(t) for t in texts] == [c for _, c in picks]

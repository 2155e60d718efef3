"""Every packaged dataset loads, validates, and its totals match the source files."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from marketdata import DataError, DataWarning, datasets, validate


@pytest.mark.parametrize("name", datasets.names())
def test_every_dataset_loads_validates_and_has_sources(name):
    frame = datasets.load(name)
    assert len(frame) > 0
    validate(frame)  # raises on a bad frame
    assert frame["source"].notna().all()


def test_row_counts_match_the_files():
    # data rows per file, counted with `wc -l` minus the header line
    expected = {
        "xiaomi_2011_2012": 4,
        "worldwide_quarterly_shipments_by_vendor": 383,
        "worldwide_annual_shipments_by_vendor": 109,
        "taiwan_vendor_share": 99,
        "country_market_size": 38,
        # 171 months x 70 vendors, less the all-zero 2010-03 placeholder row
        "statcounter_vendor_ww_monthly": 170 * 70,
    }
    assert {n: len(datasets.load(n)) for n in datasets.names()} == expected


def test_worldwide_quarter_total_matches_source():
    # 2009Q4 rows of the source file: 20.8 + 10.7 + 8.7 + 2.4 + 1.8 + 9.5 = 53.9 million
    q = datasets.load("worldwide_quarterly_shipments_by_vendor")
    rows = q[q["start"] == pd.Timestamp("2009-10-01")]
    assert rows["units"].sum() == 53_900_000
    assert (rows["end"] == pd.Timestamp("2009-12-31")).all()


def test_taiwan_2013_shares_are_idc_figures():
    tw = datasets.load("taiwan_vendor_share")
    y2013 = tw[tw["start"].dt.year.eq(2013)].set_index("brand")["share"]
    assert y2013.to_dict() == {
        "Samsung": 0.28,
        "HTC": 0.21,
        "Sony": 0.16,
        "Apple": 0.13,
        "LG": 0.03,
    }


def test_xiaomi_figures_keep_their_sentences():
    x = datasets.load("xiaomi_2011_2012")
    assert x["text"].notna().all()
    assert x.loc[1, "units"] == 3_000_000 and x.loc[1, "qualifier"] == "over"


def test_load_returns_a_copy():
    a = datasets.load("xiaomi_2011_2012")
    a.loc[0, "units"] = -1
    assert datasets.load("xiaomi_2011_2012").loc[0, "units"] == 300_000


def test_unknown_dataset_is_refused_with_the_names():
    with pytest.raises(ValueError, match="choose one of"):
        datasets.load("nope")


def test_worldwide_annual_2020_total_keeps_the_documented_double_count():
    # 2020 rows of the source file, in millions:
    # 266.7 + 206.1 + 189.0 + 147.8 + 111.7 + 111.2 (OPPO) + 371.0 (Others) = 1,403.5
    # (SOURCES.md: Others already contains OPPO; IDC's own total is 1,292.2)
    a = datasets.load("worldwide_annual_shipments_by_vendor")
    y2020 = a[a["start"] == pd.Timestamp("2020-01-01")]
    assert y2020["units"].sum() == 1_403_500_000
    assert len(y2020) == 7


def test_worldwide_2012q2_total_matches_source():
    # 2012Q2 rows: 50.3 + 26.0 + 10.2 + 8.8 + 6.4 + 5.8 + 4.9 + 43.8 (Others) = 156.2 million
    q = datasets.load("worldwide_quarterly_shipments_by_vendor")
    rows = q[q["start"] == pd.Timestamp("2012-04-01")]
    assert rows["units"].sum() == 156_200_000
    assert (rows["end"] == pd.Timestamp("2012-06-30")).all()


def test_taiwan_market_size_2017_months_match_source():
    # Taiwan retail months of 2017 in the file: Jan 692,000 + Mar 599,000 + Apr 543,000
    # = 1,834,000 for the first four months (February is not in the source)
    m = datasets.load("country_market_size")
    tw = m[
        (m["market"] == "TW")
        & m["start"].between(pd.Timestamp("2017-01-01"), pd.Timestamp("2017-04-01"))
    ]
    assert tw["units"].sum() == 1_834_000
    assert tw["brand"].isna().all()


def test_taiwan_2016_shares_sum_to_the_listed_top_five():
    # 0.22 + 0.20 + 0.18 + 0.15 + 0.09 = 0.84 (top five only; no Others row)
    tw = datasets.load("taiwan_vendor_share")
    y2016 = tw[tw["start"].eq(pd.Timestamp("2016-01-01"))]
    assert y2016["share"].sum() == pytest.approx(0.84)


def test_vendor_names_are_canonical_and_the_reported_spelling_is_kept():
    tw = datasets.load("taiwan_vendor_share")
    oppo = tw[tw["brand"] == "OPPO"]
    # 9 rows of the file have vendor "Oppo": months 2017-07, -08, -09, -12, 2018-01, -08,
    # -10, -12 and 2021Q1 (`grep -c ',Oppo,'`)
    assert len(oppo) == 9
    assert set(oppo["name_as_reported"]) == {"Oppo"}
    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    # the worldwide file spells it "OPPO": the same brand, nothing to keep
    assert annual.loc[annual["brand"] == "OPPO", "name_as_reported"].isna().all()
    assert set(annual.loc[annual["name_as_reported"] == "RIM", "brand"]) == {"BlackBerry"}
    hmd = tw[tw["name_as_reported"] == "Nokia (HMD Global)"]
    assert len(hmd) == 2 and hmd["brand"].nunique() == 1
    # names that did not change carry no reported spelling
    assert tw.loc[tw["brand"] == "Samsung", "name_as_reported"].isna().all()


@pytest.mark.parametrize("name", datasets.names())
def test_no_dataset_reports_one_key_twice_after_naming(name):
    from marketdata.duplicates import find

    frame = datasets.load(name)
    value = "units" if "units" in frame.columns else "share"
    conflict, repeat, _ = find(frame, value, np.arange(2, len(frame) + 2))
    assert not conflict.any() and not repeat.any()


def test_xiaomi_keeps_its_chinese_sentence_and_markets_are_codes():
    x = datasets.load("xiaomi_2011_2012")
    assert x.loc[0, "text"] == "截至 2011 年底,销量突破 30 万台"
    assert x["market"].tolist() == ["CN", "CN", "CN", "TW"]
    assert pd.isna(x.loc[3, "brand"]) and x.loc[3, "units"] == 7_000_000


# ---------------------------------------------------------------- StatCounter, via read()

RAW_STATCOUNTER = (
    Path(datasets.__file__).parent / "raw" / "statcounter-vendor-ww-monthly-201003-202405.csv"
)
RESIDUAL = ["Other", "Unknown"]  # StatCounter's own categories, as it spells them


def _plain_statcounter() -> pd.DataFrame:
    """The raw export parsed with plain pandas: one row per month and vendor, percent/100."""
    raw = pd.read_csv(RAW_STATCOUNTER, dtype={"Date": str})
    raw = raw[raw.drop(columns="Date").sum(axis=1) > 0]  # the all-zero 2010-03 row
    long = raw.melt(id_vars="Date", var_name="vendor", value_name="percent")
    long["month"] = pd.PeriodIndex(long["Date"], freq="M").start_time
    long["share"] = long["percent"] / 100
    return long


def _loaded() -> pd.DataFrame:
    u = datasets.load("statcounter_vendor_ww_monthly")
    u["vendor"] = u["name_as_reported"].fillna(u["brand"]).astype(object)  # as the file has it
    u["brand"] = u["brand"].astype(object)
    return u


def test_statcounter_every_month_loads_with_the_raw_values():
    loaded, plain = _loaded(), _plain_statcounter()
    assert sorted(loaded["start"].unique()) == sorted(plain["month"].unique())
    assert loaded["start"].nunique() == 170  # 2010-04 .. 2024-05
    assert (loaded["metric"] == "usage").all() and (loaded["market"] == "WW").all()
    assert loaded["source"].str.contains("StatCounter Global Stats").all()
    assert loaded["source"].str.contains("CC BY-SA 3.0").all()
    got = loaded.set_index(["start", "vendor"])["share"].sort_index()
    want = plain.set_index(["month", "vendor"])["share"].sort_index()
    want.index.names = got.index.names
    pd.testing.assert_series_equal(got, want, check_names=False, rtol=0, atol=1e-12)


def test_statcounter_placeholder_row_is_rejected_with_its_reason():
    from marketdata import read

    loaded = read(RAW_STATCOUNTER, value="share", percent=True, market="WW", errors="collect")
    assert len(loaded.figures) + len(loaded.rejected) == 171 * 70  # figures in = out
    assert loaded.rejected["line"].unique().tolist() == [172]  # the last line: 2010-03
    assert loaded.rejected["reason"].str.startswith("every figure of this window is zero").all()


def _months_summing(at_most_one: bool) -> pd.DataFrame:
    u = _loaded()
    total = u.groupby("start")["share"].transform("sum")
    return u[(total <= 1 + 1e-6) == at_most_one]


def _independent(frame: pd.DataFrame) -> pd.DataFrame:
    """Per month and vendor: share as given (a month's rounding shortfall is not added to
    Other), rank among the named vendors (ties take the lower rank) and the HHI bounds."""
    rows = []
    for month, g in frame.groupby("start"):
        named = g[~g["vendor"].isin(RESIDUAL)]
        rest = g.loc[g["vendor"] == "Other", "share"].sum()
        ranks = named["share"].rank(method="min", ascending=False).astype(int)
        lower = ((100 * named["share"]) ** 2).sum()
        upper = lower + (100 * (rest + g.loc[g["vendor"] == "Unknown", "share"].sum())) ** 2
        for brand, share, rank in zip(named["brand"], named["share"], ranks, strict=True):
            rows.append((month, brand, share, rank, lower, upper))
        rows.append((month, "Others", rest, np.nan, lower, upper))
    return pd.DataFrame(rows, columns=["start", "brand", "share", "rank", "lower", "upper"])


def _check_analysis(frame: pd.DataFrame) -> None:
    want = _independent(frame).set_index(["start", "brand"]).sort_index()
    shares = analysis.market_share(frame).set_index(["start", "brand"]).sort_index()
    np.testing.assert_allclose(shares.loc[want.index, "share"], want["share"], rtol=0, atol=1e-12)
    ranked = analysis.rank_brands(frame).set_index(["start", "brand"]).sort_index()
    named = want.dropna(subset=["rank"])
    assert ranked.index.tolist() == named.index.tolist()  # residuals are never ranked
    assert ranked["rank"].tolist() == named["rank"].astype(int).tolist()
    c = analysis.concentration(frame).set_index("start").sort_index()
    bounds = want.groupby("start")[["lower", "upper"]].first()
    np.testing.assert_allclose(c["hhi_lower"], bounds["lower"], rtol=1e-12)
    np.testing.assert_allclose(c["hhi_upper"], bounds["upper"], rtol=1e-12)
    assert c["hhi"].isna().all()  # Other and Unknown hide the tail: only bounds are known


def test_statcounter_shares_ranks_and_hhi_equal_pandas_on_months_summing_to_at_most_100():
    frame = _months_summing(at_most_one=True)
    assert frame["start"].nunique() == 124
    _check_analysis(frame)


def test_statcounter_shares_ranks_and_hhi_equal_pandas_on_months_summing_above_100():
    frame = _months_summing(at_most_one=False)
    assert frame["start"].nunique() == 46
    _check_analysis(frame)


def test_usage_shares_are_never_mixed_with_shipments():
    # StatCounter's web-usage shares and a shipment share of the same month and market
    usage = datasets.load("statcounter_vendor_ww_monthly")
    month = usage[usage["start"] == pd.Timestamp("2024-05-01")]
    shipped = month.iloc[:1].assign(brand="Xiaomi", share=0.01, metric="shipments")
    mixed = pd.concat([month.iloc[1:], shipped], ignore_index=True)
    with pytest.raises(DataError, match="metric"):
        analysis.market_share(mixed)
    with pytest.raises(DataError, match="mix metrics"):
        validate(mixed, require=("one_metric",))


# ---------------------------------------------------------------- Statista's IDC export, via read()

RAW_STATISTA = (
    Path(datasets.__file__).parent
    / "raw"
    / "statista-271490-smartphone-shipments-by-vendor-2009-2024.xlsx"
)


def _plain_statista() -> pd.DataFrame:
    """The Data sheet parsed with plain pandas (openpyxl): one row per quarter and listed
    vendor, millions x 1e6, quarter labels "Q4 '09" / "Q2' 17" read by a regex."""
    raw = pd.read_excel(RAW_STATISTA, sheet_name="Data", header=4).drop(columns="Unnamed: 0")
    raw = raw[raw["quarter"].astype(str).str.match(r"^Q\d")]  # not the footnote under it
    long = raw.melt(id_vars="quarter", var_name="vendor", value_name="millions").dropna()
    parts = long["quarter"].str.extract(r"Q(\d)\s*'\s*(\d\d)").astype(int)
    long["start"] = pd.to_datetime(dict(year=2000 + parts[1], month=3 * parts[0] - 2, day=1))
    long["units"] = long["millions"].astype(float) * 1e6
    long["vendor"] = long["vendor"].str.rstrip("*")
    return long


def _statista() -> pd.DataFrame:
    from marketdata import read

    with pytest.warns(DataWarning) as said:  # one call: the file layer finds the table
        f = read(RAW_STATISTA, market="WW", scale="millions")
    said = " ".join(str(w.message) for w in said)
    assert "sheet 'Data'" in said and "row 65: 'Please note" in said  # the footnote
    return f


def test_statista_export_reads_every_quarter_as_the_tidy_dataset_and_plain_pandas():
    f, plain = _statista(), _plain_statista()
    assert f["start"].nunique() == 58  # 2009Q4 .. 2024Q1
    assert len(f) == len(plain) == 383
    assert f["name_as_reported"].dropna().str.endswith("*").all()  # Huawei*, Nokia** ...
    tidy = datasets.load("worldwide_quarterly_shipments_by_vendor")
    key = ["brand", "start"]
    got = f.assign(brand=f["brand"].astype(object)).set_index(key)["units"].sort_index()
    want = tidy.assign(brand=tidy["brand"].astype(object)).set_index(key)["units"].sort_index()
    assert got.index.tolist() == want.index.tolist()
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=0, atol=1e-6)
    reported = f["name_as_reported"].fillna(f["brand"]).str.rstrip("*").astype(object)
    mine = f.assign(vendor=reported).set_index(["vendor", "start"])["units"].sort_index()
    theirs = plain.set_index(["vendor", "start"])["units"].sort_index()
    assert mine.index.tolist() == theirs.index.tolist()
    np.testing.assert_allclose(mine.to_numpy(), theirs.to_numpy(), rtol=1e-12)


def test_statista_shares_ranks_and_hhi_on_every_quarter_equal_pandas():
    f = _statista()
    plain = _plain_statista()
    plain["brand"] = plain["vendor"].map(  # the names as the reader makes them
        dict(zip(f["name_as_reported"].fillna(f["brand"]).str.rstrip("*"), f["brand"], strict=True))
    )
    total = plain.groupby("start")["units"].transform("sum")  # no Total row: the sum
    plain["share"] = plain["units"] / total
    shares = analysis.market_share(f).set_index(["start", "brand"]).sort_index()
    want = plain.set_index(["start", "brand"]).sort_index()
    assert shares.index.tolist() == want.index.tolist()
    np.testing.assert_allclose(shares["share"], want["share"], rtol=1e-12)
    named = plain[plain["brand"] != "Others"].copy()
    named["rank"] = named.groupby("start")["units"].rank(method="min", ascending=False)
    ranked = analysis.rank_brands(f).set_index(["start", "brand"]).sort_index()
    named = named.set_index(["start", "brand"]).sort_index()
    assert ranked.index.tolist() == named.index.tolist()  # Others is never ranked
    assert ranked["rank"].tolist() == named["rank"].astype(int).tolist()
    lower = (100 * named["share"]) ** 2
    lower = lower.groupby(level="start").sum()
    rest = want.xs("Others", level="brand")["share"]
    c = analysis.concentration(f).set_index("start").sort_index()
    assert len(c) == 58
    np.testing.assert_allclose(c["hhi_lower"], lower, rtol=1e-12)
    np.testing.assert_allclose(c["hhi_upper"], lower + (100 * rest) ** 2, rtol=1e-12)

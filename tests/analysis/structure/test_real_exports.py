"""Shares, ranks and HHI on the raw StatCounter export and the packaged IDC data, against
independent plain-pandas computations; Total rows, double counts and mixed metrics."""

import warnings
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from analysis import (
    concentration,
    exposure,
    market_share,
    rank_brands,
    share_change,
    shares_to_units,
)
from marketdata import DataError, DataWarning, DoubleCountWarning, brand_name, datasets
from marketdata.errors import UnknownNameWarning
from tests.factories import figures

RESIDUAL = ("Others", "Unknown")


def _statcounter_raw() -> pd.DataFrame:
    """The raw export as plain pandas reads it: one row per month, one column per vendor."""
    path = resources.files("marketdata.datasets").joinpath(
        "raw", "statcounter-vendor-ww-monthly-201003-202405.csv"
    )
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle)


def _names(vendors: pd.Series) -> pd.Series:
    with warnings.catch_warnings():  # StatCounter's small vendors are kept as written
        warnings.simplefilter("ignore", UnknownNameWarning)
        return brand_name(vendors.astype("string"))


def _statcounter_figures(raw: pd.DataFrame) -> pd.DataFrame:
    """A figures frame built by hand: share = percent / 100, metric "usage" (web usage)."""
    long = raw.melt(id_vars="Date", var_name="vendor", value_name="percent")
    month = pd.PeriodIndex(long["Date"], freq="M")
    return pd.DataFrame(
        {
            "brand": _names(long["vendor"]),  # "Other" -> "Others"
            "market": "WW",
            "start": month.start_time,
            "end": month.end_time.normalize(),
            "share": long["percent"] / 100.0,
            "metric": "usage",
            "source": "StatCounter Global Stats",
        }
    )


@pytest.fixture(scope="module")
def statcounter():
    raw = _statcounter_raw()
    return raw, _statcounter_figures(raw)


def test_statcounter_rounded_months_are_accepted_and_kept_as_given(statcounter):
    raw, figs = statcounter
    months = raw[raw["Date"] != "2010-03"]
    sums = months.drop(columns="Date").sum(axis=1)
    assert sums.max() > 100.0  # rounded to two decimals: some months sum above 100%
    assert (sums.between(99.9, 100.1)).all()
    data = figs[figs["start"] != "2010-03-01"]
    out = market_share(data)
    # every share as given (percent / 100): no Others added, none rescaled
    merged = out.merge(data[["start", "brand", "share"]], on=["start", "brand"], how="outer")
    assert len(merged) == len(data) == len(out)
    np.testing.assert_array_equal(merged["share_x"], merged["share_y"])


def test_statcounter_every_month_ranks_and_hhi_equal_plain_pandas(statcounter):
    raw, figs = statcounter
    data = figs[figs["start"] != "2010-03-01"]
    ranks = rank_brands(data)
    conc = concentration(data).set_index("start")
    # independent: from the raw table, per month; Unknown and Other are never ranked
    long = raw[raw["Date"] != "2010-03"].melt(id_vars="Date", var_name="vendor", value_name="p")
    named = long[~long["vendor"].isin(["Unknown", "Other"])].copy()
    named["expected"] = named.groupby("Date")["p"].rank(method="min", ascending=False)
    named["start"] = pd.PeriodIndex(named["Date"], freq="M").start_time
    named["brand"] = _names(named["vendor"])
    merged = ranks.merge(named[["start", "brand", "expected"]], on=["start", "brand"])
    assert len(merged) == len(ranks) == len(named)
    assert (merged["rank"] == merged["expected"]).all()
    assert not ranks["brand"].isin(RESIDUAL).any()
    # HHI = sum of (100 x share)^2 = sum of percent^2 over named vendors; the residual
    # (Unknown + Other) bounds it: as one firm it adds its percent squared
    lower = named.groupby("start")["p"].apply(lambda p: (p**2).sum())
    residual = long[long["vendor"].isin(["Unknown", "Other"])]
    rest = residual.groupby(pd.PeriodIndex(residual["Date"], freq="M").start_time)["p"].sum()
    assert len(conc) == raw.shape[0] - 1  # every month but the all-zero 2010-03
    np.testing.assert_allclose(conc["hhi_lower"], lower.loc[conc.index], rtol=1e-9)
    np.testing.assert_allclose(
        conc["hhi_upper"], (lower + rest.loc[lower.index] ** 2).loc[conc.index], rtol=1e-9
    )


def test_statcounter_all_zero_month_is_refused_with_its_reason(statcounter):
    _, figs = statcounter
    # the export's last row, 2010-03, is all zeros: not 100% Others, not 37 brands tied
    with pytest.raises(DataError, match=r"shares of WW 2010-03 are all zero"):
        market_share(figs)
    with pytest.raises(DataError, match="all zero"):
        rank_brands(figs)
    with pytest.raises(DataError, match="all zero"):
        concentration(figs)


def test_shares_beyond_their_rounding_name_market_window_and_sum():
    # shares to 2 decimals, 3 rows: rounding allows 1 + 3 x 0.005 = 1.015; 1.03 is too much
    f = figures(["A", "B", "C"], [0.53, 0.3, 0.2], column="share")
    with pytest.raises(DataError, match=r"market TW in 2012 add up to 1\.03 \(103%\)"):
        market_share(f)
    # within the rounding they carry: kept as given (1.01 from 0.51 + 0.3 + 0.2)
    ok = market_share(figures(["A", "B", "C"], [0.51, 0.3, 0.2], column="share"))
    assert ok["share"].tolist() == [0.51, 0.3, 0.2]
    # overridable: tolerance=0 asks for exact sums, a wider one accepts 1.03
    with pytest.raises(DataError, match="add up to 1.01"):
        market_share(figures(["A", "B", "C"], [0.51, 0.3, 0.2], column="share"), tolerance=0)
    assert market_share(f, tolerance=0.05)["share"].sum() == pytest.approx(1.03)


# ---------------------------------------------------------------- Total rows
def _with_total(total: float, *, note=None) -> pd.DataFrame:
    # a press-release table: Samsung 51.2M, Apple 28.3M, Others 20.5M (= 100.0M), Total
    f = figures(["Samsung", "Apple", "Others", None], [51.2e6, 28.3e6, 20.5e6, total])
    if note is not None:
        f["note"] = note
    return f


def test_a_total_row_is_the_market_size_never_a_brand():
    ranks = rank_brands(_with_total(100e6))
    assert ranks["brand"].tolist() == ["Samsung", "Apple"]  # Total is not ranked
    assert ranks["share"].tolist() == [0.512, 0.283]  # of the 100M the Total says
    assert ranks["market_units"].tolist() == [100e6, 100e6]


def test_a_total_written_as_a_brand_is_the_market_size_too():
    # a frame built by hand, with brand_name's canonical "Total" (Total, Market, 合計 ...)
    f = _with_total(100e6)
    f["brand"] = f["brand"].fillna("Total")
    ranks = rank_brands(f)
    assert ranks["brand"].tolist() == ["Samsung", "Apple"]
    assert ranks["share"].tolist() == [0.512, 0.283]
    assert not exposure(f).frame()["brand"].eq("Total").any()


def test_a_total_that_disagrees_with_a_complete_listing_is_reported():
    # 51.2 + 28.3 + 20.5 = 100M listed with Others, the Total says 104M: both numbers named
    with pytest.warns(DataWarning, match=r"TW 2012: .* add up to 100,000,000, .* is 104,000,000"):
        out = market_share(_with_total(104e6))
    assert out.set_index("brand").loc["Others", "units"] == 24.5e6  # the 4M go to Others
    # a listing above its Total is a double count, found by arithmetic
    with pytest.raises(DataError, match=r"TW 2012: listed 100,000,000 > market 96,000,000"):
        market_share(_with_total(96e6))
    # within the rounding of figures given to 0.1M (3 rows x 0.05M = 0.15M): consistent
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = market_share(_with_total(100.1e6))
    assert out["units"].sum() == 100e6  # kept as given, no top-up


def test_notes_do_not_decide_a_double_count():
    # a note saying "no double count" flags nothing; the arithmetic is consistent
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = market_share(_with_total(100e6, note="no double count: Others excludes Apple"))
    assert not out["double_count"].any()
    # a file without notes is still checked (by the numbers)
    f = _with_total(90e6)
    assert "note" not in f.columns
    with pytest.warns(DoubleCountWarning, match="listed 100,000,000 > market 90,000,000"):
        out = market_share(f, overcount="warn")
    assert out["double_count"].all()
    # a note that does say so, where the arithmetic can tell: named as a second opinion
    with pytest.raises(DataError, match="its notes say so too"):
        market_share(_with_total(90e6, note="Apple double counted in Others"))
    # ... and where no size can tell, a hint to pass one (no flag)
    hinted = figures(["Samsung", "Others"], [50.0, 50.0])
    hinted["note"] = "double count suspected"
    with pytest.warns(DoubleCountWarning, match="pass the published totals as market_size="):
        out = market_share(hinted)
    assert not out["double_count"].any()


def test_idc_quarterly_double_counts_found_against_the_totals_idc_published():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    totals = figures([None, None], [216.2e6, 261.7e6], market="WW")
    totals["start"] = pd.to_datetime(["2013-01-01", "2013-07-01"])
    totals["end"] = pd.to_datetime(["2013-03-31", "2013-09-30"])
    with pytest.warns(DoubleCountWarning):
        out = market_share(ww, market_size=totals, overcount="warn")
    per_quarter = out.groupby("start")["double_count"].first()
    assert per_quarter[per_quarter].index.strftime("%Y-%m").tolist() == ["2013-01", "2013-07"]
    # 2013Q3 rows: 85.0 + 33.8 + 12.5 + 12.0 + 8.8 + 12.3 + 5.6 + 106.6 = 276.6M > 261.7M
    q3 = out[out["start"] == "2013-07-01"]
    assert q3["market_units"].iloc[0] == pytest.approx(276.6e6)


# ---------------------------------------------------------------- metrics
def test_usage_and_shipments_are_never_mixed():
    usage = figures(["Samsung", "Apple"], [0.3, 0.2], column="share", metric="usage")
    ships = figures(["Xiaomi"], [0.1], column="share")
    with pytest.raises(DataError, match=r"TW 2012 mixes metrics \('shipments', 'usage'\)"):
        market_share(pd.concat([usage, ships], ignore_index=True))
    later = ships.assign(start=pd.Timestamp("2013-01-01"), end=pd.Timestamp("2013-12-31"))
    with pytest.raises(DataError, match=r"different metrics \('shipments', 'usage'\)"):
        share_change(pd.concat([usage, later], ignore_index=True), from_="2012", to="2013")
    size = figures([None], [7e6])  # a size of shipments
    with pytest.raises(DataError, match="'usage' and the market size 'shipments'"):
        shares_to_units(usage, size)
    installed = usage.assign(metric="installed_base")
    with pytest.raises(DataError, match="'installed_base'.*'shipments'"):
        shares_to_units(installed, size)


def test_the_packaged_statcounter_dataset_gives_the_same_shares_as_the_raw_file(statcounter):
    _, figs = statcounter
    usage = datasets.load("statcounter_vendor_ww_monthly")  # read without the all-zero month
    ours = market_share(usage)[["end", "brand", "share"]]
    raw = market_share(figs[figs["start"] != "2010-03-01"])[["end", "brand", "share"]]
    merged = ours.merge(raw, on=["end", "brand"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    np.testing.assert_allclose(merged["share_x"], merged["share_y"], rtol=1e-12)

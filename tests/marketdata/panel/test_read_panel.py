"""read_panel: engines agree, figures match SQL on the raw panel, bad panels are caught."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketdata import DataError, PanelLoaded, read_panel
from marketdata import schema as s

ROWS = 2_000_000
SEED = 7
# Raw spellings on purpose: read_panel names them with brand_name / market_code.
BRANDS = [
    "Samsung Electronics Co., Ltd.",
    "Apple Inc.",
    "XIAOMI Inc.",
    "HTC Corporation",
    "Oppo",
    "維沃",
    "ASUSTeK Computer Inc.",
    "Sony Mobile",
]
CANONICAL = {
    "Samsung Electronics Co., Ltd.": "Samsung",
    "Apple Inc.": "Apple",
    "XIAOMI Inc.": "Xiaomi",
    "HTC Corporation": "HTC",
    "Oppo": "OPPO",
    "維沃": "vivo",
    "ASUSTeK Computer Inc.": "Asus",
    "Sony Mobile": "Sony",
}
COUNTRIES = ["Taiwan", "China", "United States", "India", "Japan", "South Korea"]
CODES = {"Taiwan": "TW", "China": "CN", "United States": "US", "India": "IN", "Japan": "JP",
         "South Korea": "KR"}  # fmt: skip
SKU_MAP = pd.DataFrame(
    {"sku": [f"SKU-{k:02d}" for k in range(40)], "brand": [BRANDS[k % 8] for k in range(40)]}
)
COLUMNS = {"country": "market", "week": "date"}


def _h(k: int) -> str:
    """A seeded pseudo-random integer per row (DuckDB's hash is deterministic)."""
    return f"hash({SEED} * 1000000007::BIGINT + i * 8 + {k})"


@pytest.fixture(scope="session")
def panel(tmp_path_factory):
    """2 million store x SKU x week rows, 2011-2012, as hive-partitioned Parquet."""
    folder = tmp_path_factory.mktemp("panel") / "pos"
    countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    with duckdb.connect() as con:
        con.execute(f"""
            COPY (
              SELECT {countries}[(1 + {_h(3)} % 6)::BIGINT] AS country,
                     (1 + {_h(4)} % 104)::INTEGER AS w,
                     year(DATE '2011-01-03' + 7 * (w - 1)) AS year,
                     ({_h(5)} % 400)::INTEGER AS store,
                     'SKU-' || lpad(({_h(1)} % 40)::VARCHAR, 2, '0') AS sku,
                     DATE '2011-01-03' + 7 * (w - 1) AS week,
                     ({_h(2)} % (5 + 2 * ({_h(1)} % 40)))::INTEGER AS units
              FROM range({ROWS}) AS t(i)
            ) TO '{folder}' (FORMAT parquet, PARTITION_BY (country, year))
        """)
    return folder


@pytest.fixture(scope="module")
def dask_client():
    """A 2-worker LocalCluster for this module, shut down after it."""
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _sql_figures(folder, *, period: str) -> pd.DataFrame:
    """The reduction written by hand in DuckDB SQL on the raw panel (the reference)."""
    with duckdb.connect() as con:
        con.register("sku_map", SKU_MAP)
        out = con.sql(f"""
            SELECT m.brand, p.country, date_trunc('{period}', p.week) AS start,
                   sum(p.units) AS units
            FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true) AS p
            JOIN sku_map AS m USING (sku)
            GROUP BY ALL
        """).df()
    out["brand"] = out["brand"].map(CANONICAL)
    out["market"] = out["country"].map(CODES)
    out["start"] = out["start"].astype("datetime64[ns]")
    return out.sort_values(["market", "start", "brand"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def by_duckdb(panel):
    return read_panel(panel, columns=COLUMNS, sku_map=SKU_MAP, period="Q")


def test_duckdb_equals_hand_written_sql(panel, by_duckdb):
    expected = _sql_figures(panel, period="quarter")
    got = by_duckdb
    # 8 brands x 6 markets x 8 quarters (2011Q1..2012Q4; the weeks run 2011-01-03 to
    # 2012-12-24), every combination sold in.
    assert len(got) == 8 * 6 * 8 == len(expected)
    assert got[s.UNITS].sum() == expected["units"].sum()
    pd.testing.assert_series_equal(got[s.BRAND], expected["brand"].astype(s.DTYPES[s.BRAND]),
                                   check_names=False)  # fmt: skip
    pd.testing.assert_series_equal(got[s.MARKET], expected["market"].astype(s.DTYPES[s.BRAND]),
                                   check_names=False)  # fmt: skip
    pd.testing.assert_series_equal(got[s.START], expected["start"], check_names=False)
    np.testing.assert_array_equal(got[s.UNITS].to_numpy(), expected["units"].to_numpy())
    # end = the quarter's last day: start + 3 months - 1 day (2011-01-01 -> 2011-03-31).
    ends = expected["start"] + pd.DateOffset(months=3) - pd.Timedelta(days=1)
    np.testing.assert_array_equal(got[s.END].to_numpy(), ends.to_numpy())
    assert set(got[s.BASIS]) == {s.PERIOD} and set(got[s.STATUS]) == {s.ACTUAL}
    assert set(got[s.METRIC]) == {s.SALES} and set(got[s.SOURCE]) == {str(panel)}


def test_every_engine_gives_identical_figures(panel, by_duckdb, dask_client):
    by_pandas = read_panel(panel, columns=COLUMNS, sku_map=SKU_MAP, period="Q", engine="pandas")
    by_dask = read_panel(
        panel, columns=COLUMNS, sku_map=SKU_MAP, period="Q", engine="dask", client=dask_client
    )
    pd.testing.assert_frame_equal(by_pandas, by_duckdb)
    pd.testing.assert_frame_equal(by_dask, by_duckdb)


def test_dask_by_scheduler_address_and_monthly(panel, dask_client):
    address = dask_client.scheduler.address
    by_dask = read_panel(
        f"{panel}/**/*.parquet", columns=COLUMNS, sku_map=SKU_MAP, engine="dask", client=address
    )
    by_duckdb = read_panel(f"{panel}/**/*.parquet", columns=COLUMNS, sku_map=SKU_MAP)
    pd.testing.assert_frame_equal(by_dask, by_duckdb)
    expected = _sql_figures(panel, period="month")
    assert len(by_duckdb) == 8 * 6 * 24
    np.testing.assert_array_equal(by_duckdb[s.UNITS].to_numpy(), expected["units"].to_numpy())


def test_shares_ranks_and_hhi_equal_sql_on_the_raw_panel(panel, by_duckdb):
    from analysis import concentration, market_share, rank_brands

    figures = by_duckdb
    keys = [s.MARKET, s.START, s.BRAND]
    shares = market_share(figures).sort_values(keys).reset_index(drop=True)
    ranks = rank_brands(figures).sort_values(keys).reset_index(drop=True)
    hhi = concentration(figures).sort_values([s.MARKET, s.START]).reset_index(drop=True)
    share = shares["share"]
    rank = ranks["rank"]
    with duckdb.connect() as con:
        con.register("sku_map", SKU_MAP)
        ref = con.sql(f"""
            WITH g AS (
              SELECT m.brand, p.country, date_trunc('quarter', p.week) AS start,
                     sum(p.units) AS units
              FROM read_parquet('{panel}/**/*.parquet', hive_partitioning = true) AS p
              JOIN sku_map AS m USING (sku) GROUP BY ALL),
            s AS (
              SELECT *, units / sum(units) OVER (PARTITION BY country, start) AS share,
                     rank() OVER (PARTITION BY country, start ORDER BY units DESC) AS rank
              FROM g)
            SELECT *, sum((100 * share) ^ 2) OVER (PARTITION BY country, start) AS hhi FROM s
        """).df()
    ref["brand"] = ref["brand"].map(CANONICAL)
    ref["market"] = ref["country"].map(CODES)
    ref = ref.sort_values(["market", "start", "brand"]).reset_index(drop=True)
    np.testing.assert_allclose(share.to_numpy(), ref["share"].to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(rank.to_numpy(), ref["rank"].to_numpy())
    ref_hhi = ref.drop_duplicates(["market", "start"])["hhi"].to_numpy()
    np.testing.assert_allclose(hhi["hhi"].to_numpy(), ref_hhi, rtol=1e-12)
    # SKU k sells 0..(4 + 2k) units a row, 2 + k on average, so brand b (SKUs b, b+8,
    # ..., b+32) sells sum_j (2 + b + 8j) = 90 + 5b per five rows: Sony (b=7) most and
    # Samsung (b=0) least over the whole panel (~250,000 rows a brand: noise << 5/100).
    order = figures.groupby(s.BRAND)[s.UNITS].sum().sort_values(ascending=False).index
    assert list(order) == [CANONICAL[b] for b in reversed(BRANDS)]
    # Expected shares (90 + 5b) / 860 give HHI = 10,000 * sum (90 + 5b)^2 / 860^2
    # = 10,000 * 93,500 / 739,600 = 1,264; never below 10,000 / 8 = 1,250 with 8 brands.
    assert ((hhi["hhi"] >= 1250) & (hhi["hhi"] < 1300)).all()


def test_duckdb_memory_limit_spill_and_progress(panel, by_duckdb, tmp_path):
    got = read_panel(
        panel,
        columns=COLUMNS,
        sku_map=SKU_MAP,
        period="Q",
        memory_limit="64MB",
        temp_directory=tmp_path / "spill",
        progress=True,
    )
    pd.testing.assert_frame_equal(got, by_duckdb)


@pytest.fixture(scope="module")
def csv_panel(tmp_path_factory):
    """A CSV panel with text dates, hive-partitioned by market code."""
    folder = tmp_path_factory.mktemp("csv") / "pos"
    rng = np.random.default_rng(SEED)
    n = 3000
    frame = pd.DataFrame(
        {
            "market": rng.choice(["TW", "CN"], n),
            "brand": rng.choice(["Mi", "Xiaomi", "HTC", "Samsung"], n),
            "day": (
                pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 366, n), "D")
            ).strftime("%Y-%m-%d"),
            "qty": rng.integers(0, 50, n),
        }
    )
    for market, part in frame.groupby("market"):
        (folder / f"market={market}").mkdir(parents=True)
        part.drop(columns="market").to_csv(folder / f"market={market}" / "a.csv", index=False)
    return folder, frame


def test_csv_panel_engines_agree_and_names_merge(csv_panel, dask_client):
    folder, frame = csv_panel
    columns = {"day": "date", "qty": "units"}
    got = {
        engine: read_panel(
            folder,
            columns=columns,
            period="Y",
            engine=engine,
            client=dask_client if engine == "dask" else None,
        )
        for engine in ("duckdb", "pandas", "dask")
    }
    pd.testing.assert_frame_equal(got["pandas"], got["duckdb"])
    pd.testing.assert_frame_equal(got["dask"], got["duckdb"])
    # "Mi" and "Xiaomi" are one brand: expected = pandas group-by of the raw rows.
    named = frame.assign(brand=frame["brand"].replace({"Mi": "Xiaomi"}))
    expected = named.groupby(["market", "brand"])["qty"].sum().sort_index()
    result = got["duckdb"].set_index([s.MARKET, s.BRAND])[s.UNITS].sort_index()
    assert result.to_dict() == {k: float(v) for k, v in expected.items()}
    assert set(got["duckdb"][s.START]) == {pd.Timestamp("2012-01-01")}
    assert set(got["duckdb"][s.END]) == {pd.Timestamp("2012-12-31")}


def _write(tmp_path, frame: pd.DataFrame, name: str = "p.parquet"):
    path = tmp_path / name
    if name.endswith(".csv"):
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    return path


def test_periods_at_their_boundaries(tmp_path):
    days = pd.to_datetime(["2012-03-31", "2012-04-01", "2012-12-31", "2013-01-01"])
    path = _write(tmp_path, pd.DataFrame({"date": days, "units": [1, 2, 4, 8],
                                          "brand": "HTC", "market": "TW"}))  # fmt: skip
    months = read_panel(path, period="M")
    assert months[s.START].dt.strftime("%Y-%m").tolist() == ["2012-03", "2012-04", "2012-12",
                                                             "2013-01"]  # fmt: skip
    assert months[s.END].dt.strftime("%m-%d").tolist() == ["03-31", "04-30", "12-31", "01-31"]
    quarters = read_panel(path, period="Q")
    # Q1 2012 = 1, Q2 = 2, Q4 = 4, Q1 2013 = 8
    assert quarters[s.UNITS].tolist() == [1.0, 2.0, 4.0, 8.0]
    assert quarters[s.END].dt.strftime("%Y-%m-%d").tolist() == [
        "2012-03-31", "2012-06-30", "2012-12-31", "2013-03-31"]  # fmt: skip
    years = read_panel(path, period="Y")
    assert years[s.UNITS].tolist() == [1.0 + 2.0 + 4.0, 8.0]


def test_market_totals_and_one_market_panels(tmp_path):
    path = _write(tmp_path, pd.DataFrame({
        "date": pd.to_datetime(["2012-01-05"] * 3), "units": [10, 20, 30],
        "brand": ["HTC", "Samsung", "HTC"], "market": ["Taiwan", "Taiwan", "China"]}))  # fmt: skip
    totals = read_panel(path, by="market")
    assert totals[s.BRAND].isna().all()
    assert dict(zip(totals[s.MARKET], totals[s.UNITS], strict=True)) == {"CN": 30.0, "TW": 30.0}
    brands = read_panel(path, by="brand", market="Taiwan")  # the whole file as one market
    assert dict(zip(brands[s.BRAND], brands[s.UNITS], strict=True)) == {"HTC": 40.0,
                                                                        "Samsung": 20.0}  # fmt: skip
    assert set(brands[s.MARKET]) == {"TW"}


def test_dask_without_client_starts_and_closes_its_own_cluster(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    started = []

    class Spy(distributed.LocalCluster):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(distributed, "LocalCluster", Spy)
    path = _write(tmp_path, pd.DataFrame({
        "date": pd.to_datetime(["2012-01-05", "2012-02-05"]), "units": [3, 4],
        "brand": "HTC", "market": "TW"}))  # fmt: skip
    got = read_panel(path, engine="dask")
    assert got[s.UNITS].tolist() == [3.0, 4.0]  # January 3, February 4
    assert len(started) == 1 and started[0].status.name == "closed"


# --- bad panels -------------------------------------------------------------------------

GOOD = {"date": "2012-01-05", "units": 5, "sku": "A1", "market": "TW"}


def _bad_panel(tmp_path, bad: dict, *, n_bad: int, csv: bool = False):
    """Ten good rows (5 units each, 2012-01) and ``n_bad`` rows with ``bad`` cells."""
    rows = [dict(GOOD) for _ in range(10)] + [{**GOOD, **bad} for _ in range(n_bad)]
    frame = pd.DataFrame(rows)
    if not csv:
        frame["date"] = pd.to_datetime(frame["date"])
    return _write(tmp_path, frame, "p.csv" if csv else "p.parquet")


BAD = [
    # reason, bad cells, text panel?, column, example value shown
    ("missing_date", {"date": None}, False, "date", None),
    ("unreadable_date", {"date": "05/13/2012"}, True, "date", "05/13/2012"),
    ("missing_units", {"units": np.nan}, False, "units", None),
    ("unreadable_units", {"units": "1.2k"}, True, "units", "1.2k"),
    ("negative_units", {"units": -3}, False, "units", -3),
    ("no_brand", {"sku": "ZZ9"}, False, "sku", "ZZ9"),
    ("missing_market", {"market": None}, False, "market", None),
]


@pytest.mark.parametrize(("reason", "bad", "csv", "column", "example"), BAD,
                         ids=[b[0] for b in BAD])  # fmt: skip
def test_bad_rows_raise_naming_column_value_and_count(tmp_path, reason, bad, csv, column,
                                                      example):  # fmt: skip
    path = _bad_panel(tmp_path, bad, n_bad=3, csv=csv)
    with pytest.raises(DataError) as info:
        read_panel(path, sku_map={"A1": "HTC"})
    err = info.value
    assert err.column == column and err.value == example and err.file == str(path)
    assert "3 of 13 rows" in str(err)


@pytest.mark.parametrize(("reason", "bad", "csv", "column", "example"), BAD,
                         ids=[b[0] for b in BAD])  # fmt: skip
def test_bad_rows_collected_with_counts(tmp_path, reason, bad, csv, column, example):
    path = _bad_panel(tmp_path, bad, n_bad=3, csv=csv)
    result = read_panel(path, sku_map={"A1": "HTC"}, errors="collect")
    assert isinstance(result, PanelLoaded)
    figures, rejected = result
    # The ten good rows: 10 x 5 = 50 units of HTC in TW, January 2012.
    assert figures[[s.BRAND, s.MARKET, s.UNITS]].values.tolist() == [["HTC", "TW", 50.0]]
    assert rejected["reason"].tolist() == [reason]
    assert rejected["column"].tolist() == [column] and rejected["rows"].tolist() == [3]
    assert rejected["example"].iloc[0] == example
    assert rejected.attrs == {"rows_read": 13, "rows_rejected": 3}


def test_every_engine_counts_bad_rows_alike(tmp_path, dask_client):
    # 2 rows without a date, 1 negative, 4 unknown SKUs (one of them also negative, but
    # a row without a brand counts under no_brand only).
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2012-01-05"] * 6 + [None] * 2 + ["2012-02-01"] * 4),
        "units": [5, 5, 5, 5, 5, -1, 5, 5, 7, 7, 7, -2],
        "sku": ["A1"] * 8 + ["ZZ9"] * 4, "market": "TW"})  # fmt: skip
    path = _write(tmp_path, frame)
    out = {
        engine: read_panel(
            path,
            sku_map={"A1": "HTC"},
            errors="collect",
            engine=engine,
            client=dask_client if engine == "dask" else None,
        )  # fmt: skip
        for engine in ("duckdb", "pandas", "dask")
    }
    for engine, (figures, rejected) in out.items():
        assert figures[s.UNITS].tolist() == [25.0], engine  # rows 1-5: 5 x 5
        assert dict(zip(rejected["reason"], rejected["rows"], strict=True)) == {
            "missing_date": 2, "negative_units": 1, "no_brand": 4}, engine  # fmt: skip
        assert rejected["example"].tolist() == [None, -1, "ZZ9"], engine
        assert rejected.attrs == {"rows_read": 12, "rows_rejected": 7}, engine


@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_missing_column_is_an_error_in_both_modes(tmp_path, errors):
    path = _write(tmp_path, pd.DataFrame({"date": pd.to_datetime(["2012-01-05"]),
                                          "qty": [5], "sku": ["A1"], "market": ["TW"]}))  # fmt: skip
    with pytest.raises(DataError, match="no units column") as info:
        read_panel(path, sku_map={"A1": "HTC"}, errors=errors)
    assert info.value.column == "units" and "columns={'your_name': 'units'}" in str(info.value)
    with pytest.raises(DataError, match="no column 'quantity'"):
        read_panel(path, columns={"quantity": "units"}, sku_map={"A1": "HTC"}, errors=errors)
    with pytest.raises(DataError, match="pass sku_map="):
        read_panel(path, columns={"qty": "units"}, errors=errors)


def test_bad_arguments_and_sources(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"date": pd.to_datetime(["2012-01-05"]),
                                          "units": [5], "brand": ["HTC"], "market": ["TW"]}))  # fmt: skip
    for kwargs in ({"engine": "polars"}, {"period": "W"}, {"errors": "ignore"},
                   {"by": ("brand", "store")}, {"by": "brand"}, {"market": "TW"},
                   {"metric": "revenue"}, {"memory_limit": "1GB", "engine": "pandas"}):  # fmt: skip
        with pytest.raises(ValueError):
            read_panel(path, **kwargs)
    with pytest.raises(DataError, match="no Parquet or CSV files"):
        read_panel(tmp_path / "nothing" / "*.parquet")
    with_sku = _write(tmp_path, pd.DataFrame({"date": pd.to_datetime(["2012-01-05"]),
                                              "units": [5], "sku": ["A"], "market": ["TW"]}),
                      "sku.parquet")  # fmt: skip
    with pytest.raises(DataError, match="SKU 'A' has 2 brands"):
        read_panel(with_sku, sku_map=pd.DataFrame({"sku": ["A", "A"], "brand": ["X", "Y"]}))
    with pytest.raises(ValueError, match="not both"):
        read_panel(with_sku, columns={"sku": "brand"}, sku_map={"A": "X"})
    with pytest.raises(TypeError):
        read_panel(path, engine="duckdb", client="tcp://localhost:8786")


def test_spark_engine_is_gone(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"date": pd.to_datetime(["2012-01-05"]),
                                          "units": [3], "brand": ["HTC"], "market": "TW"}))  # fmt: skip
    with pytest.raises(ValueError, match="engine='spark' was removed"):
        read_panel(path, engine="spark")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    units=st.lists(st.integers(0, 1000), min_size=1, max_size=40),
    data=st.data(),
)
def test_property_duckdb_equals_pandas_groupby(tmp_path, units, data):
    n = len(units)
    days = data.draw(st.lists(st.integers(0, 800), min_size=n, max_size=n))
    brands = data.draw(st.lists(st.sampled_from(["HTC", "Samsung", "Apple"]), min_size=n,
                                max_size=n))  # fmt: skip
    frame = pd.DataFrame({"date": pd.Timestamp("2011-01-01") + pd.to_timedelta(days, "D"),
                          "units": units, "brand": brands, "market": "TW"})  # fmt: skip
    path = _write(tmp_path, frame, "h.parquet")
    got = read_panel(path, period="Q")
    quarter = frame["date"].dt.to_period("Q").dt.start_time
    expected = frame.groupby([quarter, "brand"])["units"].sum()
    result = got.set_index([s.START, s.BRAND])[s.UNITS]
    assert result.to_dict() == {k: float(v) for k, v in expected.items()}
    assert got[s.UNITS].sum() == sum(units)


def test_integer_skus_text_dates_with_a_format_and_a_list_of_files(tmp_path):
    # Two CSV files given as a list; day/month/year dates; SKUs are numbers in the panel
    # and text in sku_map. Rows: (sku 1, 5), (sku 2, 7) in file a; (sku 1, 3) and an
    # unknown SKU 9 (11 units) in file b.
    a = _write(tmp_path, pd.DataFrame({"date": ["31/01/2012", "01/02/2012"], "units": [5, 7],
                                       "sku": [1, 2], "market": "TW"}), "a.csv")  # fmt: skip
    b = _write(tmp_path, pd.DataFrame({"date": ["15/02/2012", "15/02/2012"], "units": [3, 11],
                                       "sku": [1, 9], "market": "TW"}), "b.csv")  # fmt: skip
    skus = pd.DataFrame({"sku": ["1", "2"], "brand": ["HTC", "Samsung"]})
    for engine in ("duckdb", "pandas"):
        figures, rejected = read_panel(
            [a, b], sku_map=skus, date_format="%d/%m/%Y", errors="collect", engine=engine
        )
        got = {(row.brand, row.start.month): row.units for row in figures.itertuples()}
        # HTC: January 5, February 3; Samsung: February 7.
        assert got == {("HTC", 1): 5.0, ("HTC", 2): 3.0, ("Samsung", 2): 7.0}, engine
        assert rejected[["reason", "rows"]].values.tolist() == [["no_brand", 1]], engine
        assert rejected["example"].tolist() == ["9"], engine  # CSV cells are read as text
        assert set(figures[s.SOURCE]) == {f"{a}, {b}"}
    with pytest.raises(DataError, match="cannot be read"):  # without the format
        read_panel([a, b], sku_map=skus)


def test_integer_skus_in_parquet_join_text_skus_in_the_map(tmp_path):
    path = _write(tmp_path, pd.DataFrame({"date": pd.to_datetime(["2012-01-05"] * 3),
                                          "units": [1, 2, 4], "sku": [10, 20, 10],
                                          "market": "TW"}))  # fmt: skip
    figures = read_panel(path, sku_map={"10": "HTC", "20": "Samsung"})
    assert dict(zip(figures[s.BRAND], figures[s.UNITS], strict=True)) == {"HTC": 5.0,
                                                                          "Samsung": 2.0}  # fmt: skip
    with pytest.raises(DataError, match="SKUs are numbers"):
        read_panel(path, sku_map={"A-10": "HTC"})


def test_nan_units_stored_as_nan_not_null_are_missing(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "nan.parquet"
    pq.write_table(pa.table({
        "date": pa.array(pd.to_datetime(["2012-01-05"] * 3)),
        "units": pa.array([2.5, float("nan"), 4.0], from_pandas=False),  # a real NaN
        "brand": ["HTC"] * 3, "market": ["TW"] * 3}), path)  # fmt: skip
    for engine in ("duckdb", "pandas"):
        figures, rejected = read_panel(path, errors="collect", engine=engine)
        assert figures[s.UNITS].tolist() == [6.5], engine  # 2.5 + 4.0
        assert rejected[["reason", "rows"]].values.tolist() == [["missing_units", 1]], engine
    # On the caller's own connection the same, and its settings are left as they were.
    with duckdb.connect() as con:
        figures, _ = read_panel(path, errors="collect", client=con)
        assert figures[s.UNITS].tolist() == [6.5]
        setting = con.sql("SELECT current_setting('disabled_optimizers')").fetchall()
        assert setting == [("",)]


def test_empty_or_damaged_panel_file_is_a_data_error(tmp_path):
    # a 0-byte CSV let pandas' EmptyDataError escape; a damaged Parquet file, ArrowInvalid
    (tmp_path / "e.csv").write_text("")
    (tmp_path / "d.parquet").write_bytes(b"PAR1 not parquet")
    for name, match in (("e.csv", "empty"), ("d.parquet", "cannot read the file as Parquet")):
        for engine in ("duckdb", "pandas"):
            with pytest.raises(DataError, match=match) as err:
                read_panel(tmp_path / name, engine=engine, errors="collect")
            assert err.value.file == str(tmp_path / name)


def test_unreadable_file_further_in_the_list_is_a_data_error(tmp_path):
    # only the first file's header was checked; a damaged second file, or one without
    # the units column, let DuckDB's InvalidInputException / pyarrow's ArrowInvalid escape
    good = pd.DataFrame({
        "brand": ["HTC"], "market": ["TW"], "date": pd.to_datetime(["2012-01-05"]),
        "units": [3.0]})  # fmt: skip
    _write(tmp_path, good, "a.parquet")
    (tmp_path / "b.parquet").write_bytes(b"PAR1xx")
    _write(tmp_path, good.drop(columns="units"), "c.parquet")
    for other in ("b.parquet", "c.parquet"):
        for engine in ("duckdb", "pandas"):
            with pytest.raises(DataError, match="could not read the panel") as err:
                read_panel([tmp_path / "a.parquet", tmp_path / other], engine=engine)
            assert other in err.value.file


def test_infinite_units_are_counted_as_bad_panel_rows(tmp_path, dask_client):
    # inf (a float column, or the text "inf" in a CSV) summed to an infinite figure that
    # failed validation on the reduced frame: a DataError naming "row 1" of the reduced
    # frame, not the panel, and raised even with errors="collect"
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2012-01-05"] * 4),
        "units": [2.5, float("inf"), float("-inf"), 4.0],
        "brand": ["HTC"] * 4, "market": ["TW"] * 4})  # fmt: skip
    for name in ("p.parquet", "p.csv"):
        path = _write(tmp_path, frame, name)
        reason = "missing_units" if name.endswith("parquet") else "unreadable_units"
        for engine in ("duckdb", "pandas", "dask"):
            opts = {"client": dask_client} if engine == "dask" else {}
            figures, rejected = read_panel(path, errors="collect", engine=engine, **opts)
            assert figures[s.UNITS].tolist() == [6.5], (name, engine)  # 2.5 + 4.0
            # 4 rows read = 2 in the figure + 2 rejected (inf, -inf)
            assert rejected[["reason", "rows"]].values.tolist() == [[reason, 2]], (name, engine)
            assert rejected.attrs["rows_read"] == 4
            with pytest.raises(DataError, match="2 of 4 rows"):
                read_panel(path, engine=engine, **opts)


def test_dask_progress_bar_is_shown(tmp_path, dask_client, capsys):
    path = _write(tmp_path, pd.DataFrame({
        "date": pd.to_datetime(["2012-01-05"]), "units": [3], "brand": "HTC",
        "market": "TW"}))  # fmt: skip
    got = read_panel(path, engine="dask", client=dask_client, progress=True)
    assert got[s.UNITS].tolist() == [3.0]
    assert "100% Completed" in capsys.readouterr().out  # distributed's text progress bar


def test_only_the_reduced_frame_comes_back_from_the_engine(panel, monkeypatch):
    from marketdata.panel import engines

    sizes = []
    collect = engines.DuckDBEngine.collect

    def spy(self, lazy):
        out = collect(self, lazy)
        sizes.append(len(out))
        return out

    monkeypatch.setattr(engines.DuckDBEngine, "collect", spy)
    # SKU-39 (one of 40, ~50,000 rows) has no brand here, so every step runs: the
    # group-by, the row count and the example query.
    skus = SKU_MAP[SKU_MAP["sku"] != "SKU-39"]
    figures, rejected = read_panel(panel, columns=COLUMNS, sku_map=skus, errors="collect")
    assert rejected["reason"].tolist() == ["no_brand"] and rejected["example"][0] == "SKU-39"
    # 2,000,000 rows in; out: 8 brands x 6 markets x 24 months groups, 1 count, 1 example.
    assert sizes == [8 * 6 * 24, 1, 1]
    assert len(figures) == 8 * 6 * 24


cells = st.fixed_dictionaries({
    "date": st.one_of(st.none(), st.integers(0, 700)),
    "units": st.one_of(st.none(), st.integers(-5, 50)),
    "brand": st.one_of(st.none(), st.sampled_from(["HTC", "Samsung"])),
})  # fmt: skip


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(cells, min_size=1, max_size=30))
def test_property_bad_rows_counted_as_pandas_counts_them(tmp_path, rows):
    frame = pd.DataFrame(rows)
    days = pd.to_timedelta(frame["date"].astype("float64"), unit="D")
    frame["date"] = pd.Timestamp("2011-01-01") + days
    frame["units"] = frame["units"].astype("Int64")
    frame["brand"] = frame["brand"].astype("string")
    frame["market"] = "TW"
    path = _write(tmp_path, frame, "bad.parquet")
    # Independently: a row without a brand counts under no_brand only.
    branded = frame[frame["brand"].notna()]
    expected = {
        "missing_date": int(branded["date"].isna().sum()),
        "missing_units": int(branded["units"].isna().sum()),
        "negative_units": int((branded["units"] < 0).fillna(False).sum()),
        "no_brand": int(frame["brand"].isna().sum()),
    }
    expected = {k: v for k, v in expected.items() if v}
    good = branded[branded["date"].notna() & (branded["units"] >= 0).fillna(False)]
    month = good["date"].dt.to_period("M").dt.start_time
    sums = good.groupby(["brand", month])["units"].sum()
    for engine in ("duckdb", "pandas"):
        figures, rejected = read_panel(path, errors="collect", engine=engine)
        assert dict(zip(rejected["reason"], rejected["rows"], strict=True)) == expected
        assert rejected.attrs["rows_rejected"] == len(frame) - len(good)
        got = figures.set_index([s.BRAND, s.START])[s.UNITS].to_dict()
        assert got == {k: float(v) for k, v in sums.items()}


# --- one rule for text cells, literal paths ---------------------------------------------

# (date, units, what the row is) in a CSV panel of one brand and market. The rule:
# units are an optional sign, digits, point and exponent (spaces around allowed); dates
# are ISO year-month-day with an optional time and offset, counted on the day written.
RULE_ROWS = [
    ("2012-01-05", "5", "Jan"),
    ("2012-01-05", " 7 ", "Jan"),
    ("2012-01-05", "1e3", "Jan"),  # 1000
    ("2012-01-05", "nan", "unreadable_units"),
    ("2012-01-05", "1_000", "unreadable_units"),
    ("2012-01-05", "inf", "unreadable_units"),
    ("2012-01-05", "1,000", "unreadable_units"),
    ("20120105", "1", "unreadable_date"),
    ("2012-01", "1", "unreadable_date"),  # a month, no day
    ("2012-01-31T23:00:00-05:00", "10", "Jan"),  # 31 January where it was sold
    ("2012-02-01T00:30:00+14:00", "20", "Feb"),  # 1 February where it was sold
    ("2012-02-01 00:00:00Z", "30", "Feb"),
    ("1500-01-01", "1", "unreadable_date"),  # outside pandas' years 1678-2261
    ("3000-01-01", "1", "unreadable_date"),
    ("2012-02-30", "1", "unreadable_date"),  # no such day
    ("", "1", "missing_date"),
    ("2012-02-03", "", "missing_units"),
    ("2012-02-03", "-4", "negative_units"),
]


def test_engines_read_text_cells_by_one_rule(tmp_path, dask_client):
    # Regression: DuckDB read "1_000" as 1000 and "nan" as NaN, pandas read "2012-01" and
    # "20120105" as dates; offsets moved rows to the UTC day in one engine only.
    frame = pd.DataFrame(
        {"date": [r[0] for r in RULE_ROWS], "units": [r[1] for r in RULE_ROWS],
         "brand": "HTC", "market": "TW"})  # fmt: skip
    path = tmp_path / "rule.csv"
    frame.to_csv(path, index=False)
    expected_counts = {}
    for *_, what in RULE_ROWS:
        if what not in ("Jan", "Feb"):
            expected_counts[what] = expected_counts.get(what, 0) + 1
    for engine in ("duckdb", "pandas", "dask"):
        figures, rejected = read_panel(
            path, errors="collect", engine=engine, client=dask_client if engine == "dask" else None
        )
        # January: 5 + 7 + 1000 + 10 = 1022; February: 20 + 30 = 50
        assert figures[s.UNITS].tolist() == [1022.0, 50.0], engine
        assert figures[s.START].tolist() == [pd.Timestamp("2012-01-01"), pd.Timestamp("2012-02-01")]
        assert dict(zip(rejected["reason"], rejected["rows"], strict=True)) == expected_counts
        assert rejected.attrs == {"rows_read": 18, "rows_rejected": 12}, engine  # 6 good rows


def test_typed_dates_outside_pandas_years_are_rejected_rows(tmp_path):
    # Regression: one datetime64 of the year 3000 aborted read_panel (OutOfBoundsDatetime).
    dates = np.array(["2012-01-05", "3000-01-05", "1200-01-05"], dtype="datetime64[us]")
    frame = pd.DataFrame({"date": dates, "units": [3, 4, 5], "brand": "HTC", "market": "TW"})
    path = tmp_path / "far.parquet"
    frame.to_parquet(path)
    for engine in ("duckdb", "pandas"):
        figures, rejected = read_panel(path, errors="collect", engine=engine)
        assert figures[s.UNITS].tolist() == [3.0], engine
        assert rejected["reason"].tolist() == ["unreadable_date"], engine
        assert rejected["rows"].tolist() == [2], engine


def test_literal_paths_are_literal_and_globs_only_where_asked(tmp_path):
    # Regression: "p/q[1]/x.parquet" read p/q1/x.parquet (glob expansion).
    for folder, units in (("q1", 1), ("q[1]", 2)):
        (tmp_path / "p" / folder).mkdir(parents=True)
        pd.DataFrame({"date": pd.to_datetime(["2012-01-05"]), "units": [units],
                      "brand": ["HTC"], "market": ["TW"]}).to_parquet(tmp_path / "p" / folder / "x.parquet")  # fmt: skip
    literal = tmp_path / "p" / "q[1]" / "x.parquet"
    for engine in ("duckdb", "pandas"):
        assert read_panel(str(literal), engine=engine)[s.UNITS].tolist() == [2.0], engine
        assert read_panel(literal, engine=engine)[s.UNITS].tolist() == [2.0], engine
        assert read_panel(str(tmp_path / "p" / "q[1]"), engine=engine)[s.UNITS].tolist() == [2.0]
    # A path with glob characters that names no existing file is a glob: 1 + 2 units.
    assert read_panel(str(tmp_path / "p" / "q*" / "x.parquet"))[s.UNITS].tolist() == [3.0]
    assert read_panel(tmp_path / "p" / "q[12]" / "x.parquet")[s.UNITS].tolist() == [1.0]


def _rule_units(text):
    """The documented units rule, written again for the test: a plain decimal number."""
    import re

    if text == "":
        return "missing_units"
    if not re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", text):
        return "unreadable_units"
    return "negative_units" if float(text) < 0 else float(text)


def _rule_date(text):
    """The documented date rule: ISO year-month-day (+ time, offset), the day as written."""
    import datetime as dt
    import re

    if text == "":
        return "missing_date"
    match = re.fullmatch(
        r"\s*(\d{4}-\d\d-\d\d)([T ](\d\d):(\d\d)(:(\d\d)(\.\d+)?)?(Z|[+-](\d\d)(:?(\d\d))?)?)?\s*",
        text,
    )
    if not match:
        return "unreadable_date"
    hour, minute, second, offset_h, offset_m = (match.group(k) for k in (3, 4, 6, 9, 11))
    if (hour and (int(hour) > 23 or int(minute) > 59)) or (second and int(second) > 59):
        return "unreadable_date"
    if (offset_h and int(offset_h) > 23) or (offset_m and int(offset_m) > 59):
        return "unreadable_date"
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        return "unreadable_date"
    return day if 1678 <= day.year <= 2261 else "unreadable_date"


DATE_CELLS = st.sampled_from(
    ["2012-01-05", "2012-02-29", "2013-02-29", "2012-01", "20120105", "2012-01-31T23:00:00-05:00",
     "2012-02-01T00:30:00+14:00", "2012-03-01 10:00Z", " 2012-03-04 ", "1500-01-01", "3000-01-01",
     "2012/01/05", "05.01.2012", "", "nan", "2012-1-5", "2012-01-05T25:00",
     "2012-01-05T23:59:59.5+05:30", "2012-01-05 12:60", "2012-01-05T10:00+2400"])  # fmt: skip
UNIT_CELLS = st.one_of(
    st.sampled_from(
        [
            "5",
            " 7 ",
            "1e3",
            "nan",
            "NaN",
            "inf",
            "1_000",
            "1,000",
            "0x10",
            "",
            "-4",
            "+3",
            ".5",
            "5.",
            "1e-1",
            "NULL",
            "NA",
            "3M",
        ]
    ),  # fmt: skip
    st.integers(0, 10**6).map(str),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(DATE_CELLS, UNIT_CELLS), min_size=1, max_size=25))
def test_property_text_cells_follow_one_rule_in_every_engine(tmp_path, rows):
    frame = pd.DataFrame({"date": [r[0] for r in rows], "units": [r[1] for r in rows],
                          "brand": "HTC", "market": "TW"})  # fmt: skip
    path = tmp_path / "cells.csv"
    frame.to_csv(path, index=False)
    # The rule, applied row by row in plain Python: a row counts under each problem it
    # has; good rows add their units to the month of their date.
    counts, months = {}, {}
    for date_text, units_text in rows:
        day, units = _rule_date(date_text), _rule_units(units_text)
        problems = [p for p in (day, units) if isinstance(p, str)]
        for p in problems:
            counts[p] = counts.get(p, 0) + 1
        if not problems:  # a row of 0 units makes a figure of 0 units
            key = pd.Timestamp(day.year, day.month, 1)
            months[key] = months.get(key, 0.0) + units
    bad_rows = sum(
        1 for d, u in rows if isinstance(_rule_date(d), str) or isinstance(_rule_units(u), str)
    )
    for engine in ("duckdb", "pandas"):
        figures, rejected = read_panel(path, errors="collect", engine=engine)
        got = dict(zip(figures[s.START], figures[s.UNITS], strict=True))
        assert got == pytest.approx(months), engine
        assert dict(zip(rejected["reason"], rejected["rows"], strict=True)) == counts, engine
        assert rejected.attrs == {"rows_read": len(rows), "rows_rejected": bad_rows}, engine

"""Benchmark ``marketdata.read`` against ``pandas.read_csv`` on a million rows.

Two CSV files hold the same 1,000,000 figures (seeded; unique brand x market x period x
metric keys, so none is a duplicate):

- *human*: brand names as sources write them ("小米", "XIAOMI Inc.", "Samsung
  Electronics"), markets as codes or names ("TW", "Taiwan", "台灣"), periods in mixed forms
  ("2012Q2", "Q2 2012", "2Q12", "H1 2012", "June 2012", "2012年6月", "FY2012") and units
  as people write them ("3.2M", "700萬", "1,234,567", "over 3 million");
- *plain*: canonical names, ISO dates in start/end columns, plain numbers.

Time: ``read(human)`` against ``pandas.read_csv(plain, parse_dates=[start, end])``, both
in this process, best of ``--repeat`` runs, alternating. Target ratio <= 2.

Memory: each reader runs once in a fresh subprocess; the figure is the peak resident set
(``VmHWM`` in /proc/self/status, reset after the imports) minus the resident set just
before the read (``VmRSS``, after the imports), i.e. the extra memory the read needs at its
worst, the returned frame included. Linux only;
``ru_maxrss`` is not used because a child started from a large parent inherits the
parent's figure (tracemalloc is not used: it misses memory that Arrow allocates).
Target ratio <= 2.

Columns: a 100-row long table with 1,000 and then 4,000 extra columns (named, empty),
read by ``read`` and by ``marketdata.io.read_table`` (the file-format step alone) against
``pandas.read_csv`` of the same file. Time grows 4x from 1,000 to 4,000 columns when
reading is linear in the columns (16x when quadratic).

Usage: ``python bench/bench_load.py [--rows N] [--repeat R]`` (``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SEED = 20120612

# canonical brand -> spellings seen in sources (illustrative selection of real aliases)
BRANDS = {
    "Xiaomi": ["Xiaomi", "XIAOMI Inc.", "小米", "Mi"],
    "Samsung": ["Samsung", "Samsung Electronics", "三星"],
    "Apple": ["Apple", "蘋果", "苹果"],
    "HTC": ["HTC", "宏達電", "宏达电"],
    "Huawei": ["Huawei", "華為", "华为"],
    "OPPO": ["OPPO", "Oppo", "歐珀"],
    "vivo": ["vivo", "維沃"],
    "Lenovo": ["Lenovo", "聯想", "联想"],
    "Sony": ["Sony", "索尼"],
    "Asus": ["Asus", "ASUS", "華碩"],
    "LG": ["LG", "LG Electronics"],
    "Nokia": ["Nokia", "諾基亞"],
    "ZTE": ["ZTE", "中興"],
    "Motorola": ["Motorola", "Moto"],
    "Google": ["Google", "Pixel"],
    "realme": ["realme", "真我"],
    "Honor": ["Honor", "榮耀"],
    "Transsion": ["Transsion", "傳音"],
    "OnePlus": ["OnePlus", "一加"],
    "Meizu": ["Meizu", "魅族"],
    "TCL": ["TCL"],
    "Sharp": ["Sharp", "夏普"],
    "Others": ["Others", "其他"],
}
for name in [
    "Alcatel",
    "Coolpad",
    "Gionee",
    "Micromax",
    "Lava",
    "Karbonn",
    "Infinix",
    "Tecno",
    "itel",
    "Kyocera",
    "Fujitsu",
    "NEC",
    "Panasonic",
    "Nubia",
    "LeEco",
    "BlackBerry",
    "Microsoft",
    "Acer",
    "Redmi",
    "POCO",
    "InFocus",
    "Taiwan Mobile",
]:
    BRANDS[name] = [name]
MARKETS = {
    "TW": ["TW", "Taiwan", "台灣"],
    "CN": ["CN", "China", "中国"],
    "US": ["US", "United States", "USA"],
    "IN": ["IN", "India"],
    "WW": ["WW", "Worldwide", "Global"],
}
for code in [
    "JP",
    "KR",
    "GB",
    "DE",
    "FR",
    "IT",
    "ES",
    "NL",
    "PL",
    "TR",
    "ID",
    "BR",
    "MX",
    "CA",
    "AU",
    "HK",
    "SG",
    "VN",
    "TH",
    "MY",
    "PH",
    "ZA",
    "SA",
    "AE",
    "RU",
    "AR",
    "MO",
    "PK",
    "BD",
    "NG",
    "EG",
]:
    MARKETS[code] = [code]
METRICS = ["shipments", "sales"]
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _periods() -> pd.DataFrame:
    """Every month, quarter, half and year 2005-2024 with two or three ways to write it."""
    rows = []
    for year in range(2005, 2025):
        yy = f"{year % 100:02d}"
        rows.append((f"{year}-01-01", f"{year}-12-31", [f"{year}", f"FY{year}", f"{year}年"]))
        for h in (1, 2):
            start, end = (
                (f"{year}-01-01", f"{year}-06-30") if h == 1 else (f"{year}-07-01", f"{year}-12-31")
            )
            rows.append((start, end, [f"H{h} {year}", f"{h}H{yy}"]))
        for q in range(1, 5):
            p = pd.Period(f"{year}Q{q}", freq="Q")
            rows.append(
                (
                    str(p.start_time.date()),
                    str(p.end_time.date()),
                    [f"{year}Q{q}", f"Q{q} {year}", f"{q}Q{yy}"],
                )
            )
        for m in range(1, 13):
            p = pd.Period(f"{year}-{m:02d}", freq="M")
            rows.append(
                (
                    str(p.start_time.date()),
                    str(p.end_time.date()),
                    [f"{year}-{m:02d}", f"{MONTH_NAMES[m - 1]} {year}", f"{year}年{m}月"],
                )
            )
    return pd.DataFrame(rows, columns=["start", "end", "forms"])


def _spell(
    rng: np.random.Generator, canonical: np.ndarray, table: dict[str, list[str]]
) -> np.ndarray:
    out = canonical.astype(object).copy()
    for name, forms in table.items():
        where = np.flatnonzero(canonical == name)
        out[where] = np.asarray(forms, dtype=object)[rng.integers(0, len(forms), where.size)]
    return out


def _units_text(rng: np.random.Generator, units: np.ndarray) -> np.ndarray:
    """Write each figure in one of four human forms (values rounded to what the form shows)."""
    form = rng.integers(0, 4, units.size)
    text = np.empty(units.size, dtype=object)
    millions = np.round(units / 1e6, 1)
    text[form == 0] = pd.Series(millions[form == 0]).map("{:.1f}M".format).to_numpy()
    wan = np.round(units / 1e4).astype(np.int64)
    text[form == 1] = pd.Series(wan[form == 1]).map("{}萬".format).to_numpy()
    exact = np.round(units).astype(np.int64)
    text[form == 2] = pd.Series(exact[form == 2]).map("{:,}".format).to_numpy()
    whole = np.maximum(np.round(units / 1e6), 1).astype(np.int64)
    text[form == 3] = pd.Series(whole[form == 3]).map("over {} million".format).to_numpy()
    value = np.select(
        [form == 0, form == 1, form == 2],
        [millions * 1e6, wan * 1e4, exact.astype(float)],
        whole * 1e6,
    )
    return text, value


def make_files(directory: Path, n: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(SEED)
    periods = _periods()
    brands = np.array(list(BRANDS), dtype=object)
    markets = np.array(list(MARKETS), dtype=object)
    sizes = (len(brands), len(markets), len(periods), len(METRICS))
    total = int(np.prod(sizes))
    if n > total:
        raise SystemExit(f"at most {total} unique keys; ask for fewer rows")
    flat = rng.choice(total, size=n, replace=False)
    b, m, p, k = np.unravel_index(flat, sizes)
    units = np.exp(rng.uniform(np.log(1e3), np.log(5e7), n))
    units_text, units_value = _units_text(rng, units)
    forms = periods["forms"].to_numpy()
    pick = rng.integers(0, 3, n)
    period_text = np.array(
        [forms[i][j % len(forms[i])] for i, j in zip(p, pick, strict=True)], dtype=object
    )
    human = pd.DataFrame(
        {
            "vendor": _spell(rng, brands[b], BRANDS),
            "market": _spell(rng, markets[m], MARKETS),
            "period": period_text,
            "units": units_text,
            "metric": np.asarray(METRICS, dtype=object)[k],
        }
    )
    plain = pd.DataFrame(
        {
            "brand": brands[b],
            "market": markets[m],
            "start": periods["start"].to_numpy()[p],
            "end": periods["end"].to_numpy()[p],
            "units": units_value,
            "metric": np.asarray(METRICS, dtype=object)[k],
        }
    )
    human_path, plain_path = directory / "human.csv", directory / "plain.csv"
    human.to_csv(human_path, index=False)
    plain.to_csv(plain_path, index=False)
    return human_path, plain_path


def run_pandas(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, parse_dates=["start", "end"])


def run_read(path: Path) -> pd.DataFrame:
    from marketdata import read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown-name warnings are not what is timed
        return read(path, source="bench")


RUNNERS = {"pandas": run_pandas, "read": run_read}


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def _reset_peak() -> None:
    """Start VmHWM afresh (Linux >= 4.0), so that a peak during the imports cannot count."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass  # then VmHWM includes the imports' peak, which only overstates both readers


def child(kind: str, path: str) -> None:
    import marketdata  # noqa: F401  (imports count as the base, not the read)

    base = _status_kb("VmRSS")  # resident now, after the imports
    _reset_peak()
    frame = RUNNERS[kind](Path(path))
    peak = _status_kb("VmHWM")  # peak resident of this process image
    print(json.dumps({"rows": len(frame), "base_kb": base, "peak_kb": peak}))


def memory(kind: str, path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _wide(directory: Path, extra: int, named: bool = True) -> Path:
    """A 100-row long table with ``extra`` empty columns after its four, named or not
    (trailing separators)."""
    names = [f"note{i}" for i in range(extra)] if named else [""] * extra
    header = "brand,period,market,units," + ",".join(names)
    rows = [f"HTC,{2000 + i // 4}Q{i % 4 + 1},TW,{i + 1}M" + "," * extra for i in range(100)]
    path = directory / f"wide{extra}{'named' if named else ''}.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def _best(run, repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def columns(directory: Path, repeat: int) -> None:

    for named in (True, False):
        print(f"{'named' if named else 'unnamed (trailing separators)'}, empty columns:")
        _columns(directory, repeat, named)


def _columns(directory: Path, repeat: int, named: bool) -> None:
    from marketdata.io import read_table

    times = {}
    for extra in (1000, 4000):  # best of at least 5: one wide read takes milliseconds
        path = _wide(directory, extra, named)
        times[extra] = {
            "pandas": _best(lambda p=path: pd.read_csv(p, dtype=str), max(repeat, 5)),
            "read_table": _best(lambda p=path: read_table(p), max(repeat, 5)),
            "read": _best(lambda p=path: run_read(p), max(repeat, 5)),
        }
    for extra, t in times.items():
        print(f"{extra:>5} empty columns: pandas {t['pandas']:.3f} s, read_table "
              f"{t['read_table']:.3f} s ({t['read_table'] / t['pandas']:.2f}x), read "
              f"{t['read']:.3f} s ({t['read'] / t['pandas']:.2f}x)")  # fmt: skip
    for kind in ("pandas", "read_table", "read"):
        growth = times[4000][kind] / times[1000][kind]
        print(f"time 4,000 / 1,000 columns, {kind}: {growth:.1f}  (linear: 4, quadratic: 16)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--columns-only", action="store_true", help="only the wide-file bench")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        columns(Path(tmp), args.repeat)
        if args.columns_only:
            return
        t0 = time.perf_counter()
        human, plain = make_files(Path(tmp), args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s "
              f"(human {human.stat().st_size / 1e6:.0f} MB, plain {plain.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
        check, expected = run_read(human), run_pandas(plain)  # same figures, or the bench is void
        np.testing.assert_allclose(check["units"], expected["units"], rtol=1e-12)
        assert (check["start"].to_numpy() == expected["start"].to_numpy()).all()
        assert (check["end"].to_numpy() == expected["end"].to_numpy()).all()
        assert (check["brand"].to_numpy() == expected["brand"].to_numpy()).all()
        assert (check["market"].to_numpy() == expected["market"].to_numpy()).all()
        del check, expected
        best = {"pandas": np.inf, "read": np.inf}
        for _ in range(args.repeat):
            for kind, path in (("pandas", plain), ("read", human)):
                t0 = time.perf_counter()
                frame = RUNNERS[kind](path)
                best[kind] = min(best[kind], time.perf_counter() - t0)
                assert len(frame) == args.rows, (kind, len(frame))
        mem = {kind: memory(kind, path) for kind, path in (("pandas", plain), ("read", human))}
    grow = {k: (v["peak_kb"] - v["base_kb"]) / 1024 for k, v in mem.items()}
    print(f"pandas.read_csv (plain): {best['pandas']:.2f} s, peak +{grow['pandas']:.0f} MiB")
    print(f"marketdata.read (human): {best['read']:.2f} s, peak +{grow['read']:.0f} MiB")
    print(f"time ratio   read/pandas = {best['read'] / best['pandas']:.2f}  (target <= 2)")
    print(f"memory ratio read/pandas = {grow['read'] / grow['pandas']:.2f}  (target <= 2)")


if __name__ == "__main__":
    main()

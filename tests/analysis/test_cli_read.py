"""The command line's reading flags: every read option reaches ``validate`` and
``report --data``, and errors name the flag, not the Python argument."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import cli
from analysis._cli_read import read_kwargs
from marketdata import datasets

RAW = Path(datasets.__file__).parent / "raw"
STATCOUNTER = RAW / "statcounter-vendor-ww-monthly-201003-202405.csv"

FLAGS = [
    (["--sheet", "Data"], {"sheet": "Data"}),
    (["--sheet", "2"], {"sheet": 2}),
    (["--skiprows", "4"], {"skiprows": 4}),
    (["--column", "Date=period", "--column", "Shipments (M)=units"],
     {"columns": {"Date": "period", "Shipments (M)": "units"}}),
    (["--value", "share"], {"value": "share"}),
    (["--percent"], {"percent": True}),
    (["--scale", "millions"], {"scale": "millions"}),
    (["--scale", "1e3"], {"scale": 1000.0}),
    (["--decimal", ","], {"decimal": ","}),
    (["--sep", ";"], {"sep": ";"}),
    (["--encoding", "big5"], {"encoding": "big5"}),
    (["--metric", "usage"], {"metric": "usage"}),
    (["--status", "estimate"], {"status": "estimate"}),
    (["--basis", "cumulative"], {"basis": "cumulative"}),
    (["--layout", "wide_periods"], {"layout": "wide_periods"}),
    (["--file-format", "csv"], {"format": "csv"}),
    (["--source", "IDC"], {"source": "IDC"}),
]  # fmt: skip


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("flags", "kwargs"), FLAGS)
@pytest.mark.parametrize("command", ["validate", "report"])
def test_every_read_flag_reaches_read(command, flags, kwargs):
    head = ["validate", "f.csv"] if command == "validate" else ["report", "--data", "f.csv"]
    args = cli.build_parser().parse_args(head + flags)
    assert read_kwargs(args) == kwargs


@pytest.mark.parametrize("command", ["validate", "report"])
def test_brand_and_market_reach_read(command):
    head = ["validate", "f.csv"] if command == "validate" else ["report", "--data", "f.csv"]
    args = cli.build_parser().parse_args([*head, "--brand", "Xiaomi", "--market", "TW"])
    assert read_kwargs(args) == {"brand": "Xiaomi", "market": "TW"}


def test_a_bad_column_flag_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["validate", "f.csv", "--column", "Date"])
    assert stop.value.code == cli.EXIT_ERROR
    assert "expected NAME=ROLE" in capsys.readouterr().err


def test_validate_the_statcounter_export_one_line_per_reason(capsys):
    code, out, err = run(
        capsys, "validate", STATCOUNTER, "--value", "share", "--percent", "--market", "WW",
        "--metric", "usage",
    )  # fmt: skip
    lines = out.strip().splitlines()
    # 171 months x 70 vendors; the all-zero 2010-03 row (line 172) is the only rejection
    assert code == cli.EXIT_REJECTED
    assert lines[0].endswith("11970 figure(s) read, 11900 loaded, 70 rejected")
    assert len(lines) == 2  # one reason, one line (not 70)
    assert lines[1].startswith("  70 x every figure of this window is zero")
    assert "row 171 (line 172, column 'Samsung', value '0')" in lines[1]
    assert lines[1].endswith("and 67 more")


def test_validate_advises_the_flag_not_the_python_argument(capsys):
    code, out, err = run(capsys, "validate", STATCOUNTER, "--value", "share", "--market", "WW")
    # without --percent the shares above 1 are read as percent (every month sums to ~100)
    # and the warning says which flag says so
    assert code == cli.EXIT_REJECTED
    assert "pass --percent to say so" in err and "percent=True" not in err
    code, out, err = run(capsys, "validate", STATCOUNTER, "--market", "WW")
    assert "pass --value share --percent" in err and "value='share'" not in err


def test_a_layout_error_from_the_command_line_names_flags(capsys, tmp_path):
    file = tmp_path / "titled.csv"
    file.write_text("Smartphone shipments (in millions),C\nquarter,Apple\nQ4 '09,8.7\n")
    code, _, err = run(capsys, "validate", file, "--market", "WW")
    assert code == cli.EXIT_ERROR
    assert "--skiprows" in err and "--sheet" in err and "--column" in err
    assert "skiprows=" not in err
    code, out, _ = run(capsys, "validate", file, "--market", "WW", "--skiprows", "1")
    assert code == 0 and "1 figure(s) read, 1 loaded, 0 rejected" in out


def test_a_rejection_hint_from_the_command_line_names_flags(capsys, tmp_path):
    file = tmp_path / "nomarket.csv"
    file.write_text("brand,period,units\nHTC,2012,1M\n")
    code, out, _ = run(capsys, "validate", file)
    assert code == cli.EXIT_REJECTED
    assert "market is missing; add a market column or pass --market" in out


def test_validate_the_statista_export_in_one_call(capsys):
    file = RAW / "statista-271490-smartphone-shipments-by-vendor-2009-2024.xlsx"
    code, out, err = run(capsys, "validate", file, "--market", "WW", "--scale", "millions")
    # 58 quarters, 383 filled cells; the cover sheet and the footnote are named on stderr
    assert code == 0, err
    assert out.strip().endswith("383 figure(s) read, 383 loaded, 0 rejected")
    assert "sheet 'Data'" in err


def test_a_warning_of_the_file_layer_names_the_flag(capsys):
    # the raw Statista workbook opens on its cover page; the file layer's warning that it
    # read another sheet must say --sheet from the command line, as read()'s own do
    file = RAW / "statista-271490-smartphone-shipments-by-vendor-2009-2024.xlsx"
    code, _, err = run(capsys, "validate", file, "--market", "WW", "--scale", "millions")
    assert code == 0, err
    assert "passed over sheet 'Overview'" in err
    assert "pass --sheet to read another" in err and "sheet=" not in err


def test_validate_new_user_exports_in_one_command(capsys, tmp_path):
    # a Big5 IDC-style table with Chinese headers and 總計; 583 + 367 = 950
    big5 = tmp_path / "tw.csv"
    big5.write_bytes(
        "日期,廠商,出貨量\n2020-01,三星,583\n2020-01,蘋果,367\n2020-01,總計,950\n".encode("big5")
    )
    code, out, err = run(capsys, "validate", big5, "--market", "TW")
    assert code == 0, err
    assert "3 figure(s) read, 3 loaded, 0 rejected" in out
    # fractions (0.4 + 0.35 + 0.25 = 1) read as units: the warning names the flag
    fractions = tmp_path / "fractions.csv"
    fractions.write_text("Date,Samsung,Apple,Other\n2019-01,0.4,0.35,0.25\n")
    code, out, err = run(capsys, "validate", fractions, "--market", "TW")
    assert code == 0 and "pass --value share" in err and "value='share'" not in err
    code, out, err = run(capsys, "validate", fractions, "--market", "TW", "--value", "share",
                         "--percent")  # fmt: skip
    assert "drop --percent" in err

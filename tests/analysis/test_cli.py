"""The ``marketshare`` command: subcommands, help, and one-line errors with status 2."""

from __future__ import annotations

import os

import pytest

from analysis import cli
from analysis._cli_read import read_kwargs


def run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code, err, *words):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("marketshare: error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], (word, lines[0])


def test_main_help_lists_the_subcommands(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "report" in out and "validate" in out and "Exit status" in out


def test_report_help_lists_every_option(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--data",
        "--brand",
        "--market",
        "--target",
        "--by",
        "--out",
        "--format",
        "--seed",
        "--draws",
        "--volumes",
        "--name",
    ):
        assert option in out, option
    assert "examples:" in out


def test_validate_help(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["validate", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "FILE" in out and "rejected" in out and "--market" in out


def test_no_command_prints_help_and_fails(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "COMMAND" in out


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "--colour", "red"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --colour red" in err and "Traceback" not in err


def test_report_writes_the_founding_case(capsys, tmp_path):
    code, out, err = run(capsys, "report", "--out", str(tmp_path), "--draws", "200")
    assert code == 0, err
    assert (tmp_path / "xiaomi-taiwan-2012.pdf").is_file()
    assert f"wrote {tmp_path / 'xiaomi-taiwan-2012.pdf'}" in out


def test_report_png_only_with_a_name(capsys, tmp_path):
    code, out, err = run(
        capsys,
        "report",
        "--out",
        str(tmp_path),
        "--draws",
        "200",
        "--format",
        "png",
        "--name",
        "My Report!",
    )
    assert code == 0, err
    assert not (tmp_path / "my-report.pdf").exists()
    assert (tmp_path / "my-report").is_dir()


def test_report_unknown_brand(capsys, tmp_path):
    code, _, err = run(capsys, "report", "--brand", "Nokiaa", "--out", str(tmp_path))
    assert_one_line_error(code, err, "Nokiaa")
    assert list(tmp_path.iterdir()) == []


def test_report_bad_format(capsys, tmp_path):
    code, _, err = run(capsys, "report", "--format", "svg", "--out", str(tmp_path))
    assert_one_line_error(code, err, "svg")


def test_report_too_few_draws(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "--draws", "5"])
    assert stop.value.code == 2
    assert "at least 100" in capsys.readouterr().err


def test_report_negative_seed_names_the_option(capsys):
    # numpy's own message ("expected non-negative integer") did not say which option
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "--seed", "-1"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--seed" in err and "-1" in err and len(err.strip().splitlines()) == 1


def test_report_missing_data_file(capsys, tmp_path):
    missing = tmp_path / "nope.csv"
    code, _, err = run(
        capsys,
        "report",
        "--data",
        str(missing),
        "--brand",
        "Xiaomi",
        "--market",
        "TW",
        "--out",
        str(tmp_path),
    )
    assert_one_line_error(code, err, "no such file", "nope.csv")


def test_validate_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.csv"))
    assert_one_line_error(code, err, "no such file")


def test_validate_a_folder_is_unreadable(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path))
    assert_one_line_error(code, err, "is a folder")


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True,
    reason="root can read any file; permissions cannot make it unreadable",
)
def test_validate_file_without_permission(capsys, tmp_path):  # pragma: no cover - not root
    file = tmp_path / "locked.csv"
    file.write_text("brand,period,units\nXiaomi,2012Q2,3M\n")
    file.chmod(0)
    code, _, err = run(capsys, "validate", str(file))
    assert_one_line_error(code, err, "permission denied")


def test_validate_garbage_file(capsys, tmp_path):
    file = tmp_path / "garbage.csv"
    file.write_bytes(bytes(range(256)) * 4)
    code, _, err = run(capsys, "validate", str(file))
    assert_one_line_error(code, err)


def test_validate_counts_rows(capsys, tmp_path):
    file = tmp_path / "shipments.csv"
    file.write_text("brand,period,units\nXiaomi,2012Q2,3.2M\nHTC,2012Q2,lots\nSamsung,2012Q2,1M\n")
    code, out, err = run(capsys, "validate", str(file), "--market", "TW")
    # 3 data rows, one a unit nobody can read ("lots"): 3 read, 2 loaded, 1 rejected
    assert code == 1, err
    assert "3 figure(s) read, 2 loaded, 1 rejected" in out
    assert "1 x cannot read 'lots'" in out and "row 2 (line 3, column 'units', value 'lots')" in out


def test_validate_clean_file(capsys, tmp_path):
    file = tmp_path / "ok.csv"
    file.write_text("brand,period,units\nXiaomi,2012Q2,3.2M\n")
    code, out, _ = run(capsys, "validate", str(file), "--market", "TW")
    assert code == 0
    assert "1 figure(s) read, 1 loaded, 0 rejected" in out


def test_report_with_data_and_an_unknown_brand(capsys, tmp_path):
    file = tmp_path / "tw.csv"
    file.write_text("brand,period,units\nSamsung,2013,1.96M\nHTC,2013,1.47M\n")
    code, _, err = run(
        capsys,
        "report",
        "--data",
        str(file),
        "--brand",
        "Nokiaa",
        "--market",
        "TW",
        "--out",
        str(tmp_path / "out"),
    )
    assert_one_line_error(code, err, "Nokiaa", "Samsung")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_report_with_bad_data(capsys, tmp_path):
    file = tmp_path / "bad.csv"
    file.write_text("brand,period,units\nSamsung,2013,plenty\n")
    code, _, err = run(
        capsys,
        "report",
        "--data",
        str(file),
        "--brand",
        "Samsung",
        "--market",
        "TW",
        "--out",
        str(tmp_path / "out"),
    )
    assert_one_line_error(code, err, "plenty")


def test_report_on_a_data_file(capsys, tmp_path):
    from marketdata import datasets

    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    annual = annual[annual["end"].dt.year.between(2015, 2019)]
    file = tmp_path / "worldwide.csv"
    annual[
        ["brand", "market", "start", "end", "units", "basis", "status", "metric", "source"]
    ].to_csv(file, index=False, date_format="%Y-%m-%d")
    out = tmp_path / "out"
    code, stdout, err = run(
        capsys, "report", "--data", str(file), "--brand", "Xiaomi", "--market", "WW",
        "--draws", "200", "--format", "pdf", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    # the name comes from the options: brand, market (no --by, so no year)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "xiaomi-worldwide.pdf"
    ]
    # Xiaomi is already in the market: no entry scenario, said so
    assert "left out: Entry scenario: Xiaomi already sells worldwide" in stdout


def test_reading_options_are_passed_to_read():
    args = cli.build_parser().parse_args(
        ["validate", "f.xlsx", "--market", "TW", "--sheet", "2", "--scale", "millions",
         "--decimal", ",", "--percent", "--layout", "wide_brands"]
    )  # fmt: skip
    assert read_kwargs(args) == {
        "market": "TW",
        "layout": "wide_brands",
        "decimal": ",",
        "percent": True,
        "sheet": 2,
        "scale": "millions",
    }
    args = cli.build_parser().parse_args(["report", "--scale", "1e3", "--sheet", "Q2"])
    assert read_kwargs(args) == {"scale": 1000.0, "sheet": "Q2"}


def test_validate_with_a_scale(capsys, tmp_path):
    file = tmp_path / "millions.csv"
    file.write_text("vendor,2012Q1,2012Q2\nXiaomi,1.5,2\nHTC,2,x\n")
    code, out, _ = run(capsys, "validate", str(file), "--market", "TW", "--scale", "millions")
    # a wide table: 4 filled cells = 4 figures, 'x' is not a number
    assert code == 1
    assert "4 figure(s) read, 3 loaded, 1 rejected" in out
    assert "column '2012Q2', value 'x'" in out


def test_validate_reads_the_unit_a_title_states_and_names_the_flag(capsys, tmp_path):
    file = tmp_path / "titled.csv"
    file.write_text("Shipments (in millions)\nvendor,2012Q1,2012Q2\nXiaomi,1.5,2\nHTC,2,3\n")
    assert "scale" not in read_kwargs(cli.build_parser().parse_args(["validate", str(file)]))
    code, out, err = run(capsys, "validate", str(file), "--market", "TW")
    assert code == 0 and "4 figure(s) read, 4 loaded, 0 rejected" in out
    assert "'Shipments (in millions)'" in err and "--scale 1" in err and "scale=" not in err

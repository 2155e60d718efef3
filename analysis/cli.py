"""The ``marketshare`` command: ``marketshare report`` and ``marketshare validate FILE``.

Errors in the user's input (a missing or unreadable file, bad data, an unknown brand, a
bad option value) print one line on stderr and exit with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from analysis._cli_read import add_read_arguments, read_file, summary
from marketdata import parse_units
from marketdata.errors import DataError, DataWarning

EXIT_OK = 0
EXIT_REJECTED = 1  # validate: some figures were rejected
EXIT_ERROR = 2  # bad input or options

DESCRIPTION = """\
Smartphone market-share analysis from the command line.

  marketshare report              build the founding case, "Xiaomi in Taiwan, 2012",
                                  into reports/xiaomi-taiwan-2012.pdf and
                                  reports/xiaomi-taiwan-2012/*.png
  marketshare report --data FILE --brand NAME --market CODE
                                  the same report on your own figures
  marketshare validate FILE       check a file: figures read, loaded and rejected

Exit status: 0 success; 1 validate found rejected figures; 2 bad input (one line on stderr).
"""

REPORT_EPILOG = """\
examples:
  marketshare report
  marketshare report --format png --out build/charts --seed 7
  marketshare report --target 5M --by 2012-12-31 --target-basis period
  marketshare report --format pdf,png,xlsx
  marketshare report --data shipments.csv --brand Xiaomi --market TW --target 5M --by 2012

Same inputs and seed give byte-identical files. The report is built in a temporary
folder inside --out and published in one step when complete (the PDF, workbook and
chart folder switch together), so an existing report is replaced only by a complete new
one. File names come from --brand/--market/--by (or
--name), made safe (lower case letters, digits and hyphens), never from the data.
"""

VALIDATE_EPILOG = """\
examples:
  marketshare validate shipments.csv
  marketshare validate taiwan.xlsx --market TW
  marketshare validate statcounter.csv --value share --percent --market WW --metric usage
  marketshare validate shipments.xlsx --sheet Data --skiprows 4 --column B=period

Prints how many figures were read, loaded and rejected (figures read = loaded +
rejected; a figure is a data row of a long table, or a filled cell of a wide one, where
a row with no filled cell is rejected as a whole), then one line per reason: how many
figures it rejected and the first of them (row, line, column, value). Exit status 0 when every figure loaded, 1 when
some were rejected, 2 when the file cannot be read at all.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit with our status 2 and a one-line message."""

    def error(self, message: str) -> None:  # noqa: D102 - argparse's hook
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _whole_number(minimum: int, too_small: str):
    """An argparse type: a whole number of at least ``minimum`` (``too_small`` says why)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{too_small}, got {value}")
        return value

    return parse


_draws = _whole_number(100, "at least 100 draws are needed")
_seed = _whole_number(0, "a seed is a whole number from 0 up")


def _volumes(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``marketshare`` (with its subcommands).

    Examples
    --------
    >>> args = build_parser().parse_args(["report", "--seed", "3"])
    >>> args.command, args.seed, args.out
    ('report', 3, 'reports')
    """
    parser = _Parser(
        prog="marketshare",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    report = commands.add_parser(
        "report",
        help="build a report (PDF and one PNG per chart)",
        description=textwrap.fill(
            "Build a market-share report: a multi-page PDF (vector) and one PNG per chart. "
            "With no --data, the founding case from the packaged data: Xiaomi's 2012 "
            "shipments against its 5M target (both readings), Taiwan's market, the entry "
            "scenario, the rank forecast and the volume that buys a top-ten place, HTC's "
            "dependence on its markets, and the sources.",
            88,
        ),
        epilog=REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument(
        "--data",
        metavar="FILE",
        help="figures to analyse: any file marketdata.read takes (CSV, TSV, Excel .xlsx, "
        "JSON, Parquet; long or wide layout). Default: the packaged founding case",
    )
    report.add_argument(
        "--brand",
        help="the brand to project and enter the market (default: Xiaomi, or the --data "
        "file's only brand); also the brand of a --data file without a brand column",
    )
    report.add_argument(
        "--market",
        help="the market it enters, as a code or name: TW, Taiwan (default: TW, or the "
        "--data file's only market); also the market of a --data file without a market "
        "column",
    )
    report.add_argument(
        "--target",
        help="target in units: 5000000, 5M, '5 million' (default: the data's target, 5M "
        "for the founding case)",
    )
    report.add_argument(
        "--by",
        metavar="DATE",
        help="date of the target: 2012-12-31, or a period such as 2012 or 2012Q4 (its last "
        "day); its year goes into the file name",
    )
    report.add_argument(
        "--target-basis",
        choices=("since-launch", "period"),
        help="how the target counts: units since launch, or units within the --by period "
        "(default: as the source says; both readings when nobody said)",
    )
    report.add_argument(
        "--market-size",
        metavar="UNITS",
        help="the market's units (e.g. 5.65M), to turn a file of shares into units",
    )
    report.add_argument(
        "--out", metavar="DIR", default="reports", help="output folder (default: reports)"
    )
    report.add_argument(
        "--format",
        default="pdf,png",
        metavar="FORMATS",
        help="pdf, png, xlsx or a comma-separated list, e.g. pdf,png,xlsx (default: pdf,png)",
    )
    report.add_argument(
        "--seed", type=_seed, default=0, help="seed of every simulation (default: 0)"
    )
    report.add_argument(
        "--draws",
        type=_draws,
        default=20_000,
        help="Monte Carlo draws for projections and rank forecasts (default: 20000, enough "
        "that the headline numbers do not move with the seed; at least 100)",
    )
    report.add_argument(
        "--volumes",
        type=_volumes,
        metavar="LIST",
        help="entry volumes to try, comma-separated (e.g. 50k,100k,200k); default: "
        "0.5%%, 1%%, 2%% and 4%% of the market (illustrative)",
    )
    report.add_argument(
        "--name",
        help="file name stem instead of <brand>-<market>[-<year>] (made safe the same way)",
    )
    add_read_arguments(report, brand=False, market=False)
    report.set_defaults(run=_run_report)

    validate = commands.add_parser(
        "validate",
        help="check a file: figures read, loaded and rejected with reasons",
        description=textwrap.fill(
            "Read FILE as marketdata.read does, collecting every bad figure instead of "
            "stopping at the first, and print a row-accounting summary.",
            88,
        ),
        epilog=VALIDATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("file", metavar="FILE", help="the file to check")
    add_read_arguments(validate)
    validate.set_defaults(run=_run_validate)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("marketshare")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "(source tree)"


def _check_file(path: str) -> Path:
    """A readable regular file, or OSError with a plain message."""
    file = Path(path)
    if not file.exists():
        raise FileNotFoundError(f"no such file: {path}")
    if file.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a file")
    if not os.access(file, os.R_OK):
        raise PermissionError(f"cannot read {path}: permission denied")
    return file


def _run_report(args: argparse.Namespace) -> int:
    # imported by the report command only: analysis.report loads the charts and the PDF writer
    from analysis.report import build_report

    data = None
    if args.data is not None:
        data = read_file(_check_file(args.data), args)
    report = build_report(
        data,
        brand=args.brand,
        market=args.market,
        target=args.target,
        by=args.by,
        basis=args.target_basis,
        market_size=args.market_size,
        out=args.out,
        formats=args.format,
        seed=args.seed,
        draws=args.draws,
        volumes=_parse_volumes(args.volumes),
        name=args.name,
    )
    if report.pdf is not None:
        print(f"wrote {report.pdf} ({report.pages} pages)")
    if report.charts:
        print(f"wrote {len(report.charts)} chart(s) in {report.charts[0].parent}")
    if report.xlsx is not None:
        print(f"wrote {report.xlsx}")
    for title, reason in report.omitted.items():
        print(f"left out: {title}: {reason}")
    return EXIT_OK


def _parse_volumes(parts: list[str] | None) -> list[float] | None:
    if not parts:
        return None
    return [float(parse_units(p)) for p in parts]


def _run_validate(args: argparse.Namespace) -> int:
    figures, rejected = read_file(_check_file(args.file), args, errors="collect")
    print(summary(args.file, figures, rejected))
    return EXIT_REJECTED if len(rejected) else EXIT_OK


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, OSError) and error.filename and error.strerror:
        text = f"{error.filename}: {error.strerror}"
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``marketshare`` with ``argv`` (default: the command line); return the exit status.

    Examples
    --------
    >>> main(["validate", "no-such-file.csv"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is None:
        parser.print_help()
        return EXIT_ERROR
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        try:
            status = args.run(args)
        except (DataError, OSError, ValueError, TypeError, LookupError) as error:
            print(f"marketshare: error: {_one_line(error)}", file=sys.stderr)
            return EXIT_ERROR
    said = dict.fromkeys(
        _one_line(w.message) for w in caught if issubclass(w.category, DataWarning)
    )
    for message in said:
        print(f"marketshare: warning: {message}", file=sys.stderr)
    for w in caught:
        if not issubclass(w.category, DataWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Command line: ``python -m iwp_widgets`` (or the ``iwp`` script).

    python -m iwp_widgets caseload IN OUT [--scenario NAME] [--level month|beneficiary] [--summary PATH]
    python -m iwp_widgets caseload --generate N OUT [--seed S] [--start YYYY-MM] [--months T]
    python -m iwp_widgets scenarios
    python -m iwp_widgets print PLAN OUT [--large-print] [--en-worksheet]
    python -m iwp_widgets summary PLAN OUT [--font-size regular|large|largest]

``IN`` and ``OUT`` are CSV (``.csv``, ``.csv.gz``) or Parquet (``.parquet``, ``.pq``) files; the
format follows the name. Bad input stops with a message naming the column, row or option, and
exit status 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .errors import PlanError

LEVELS = ("month", "beneficiary")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m iwp_widgets",
                                     description="IWP Planner tools for analysts.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "caseload", help="simulate a caseload file under a scenario",
        usage="%(prog)s IN OUT [--scenario NAME] [options]\n"
              "       %(prog)s --generate N OUT [--seed S] [--months T] [options]",
        description="Simulate every beneficiary in a caseload file (CSV or Parquet) under one scenario "
                    "and write the results. With --generate N, simulate N synthetic beneficiaries "
                    "instead of reading IN.",
        epilog="examples:\n"
               "  python -m iwp_widgets caseload people.csv results.parquet --scenario higher_sga\n"
               "  python -m iwp_widgets caseload --generate 1000 --seed 7 results.csv --summary summary.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("paths", nargs="+", metavar="IN OUT",
                     help="the caseload file to read (CSV or Parquet), then the results file to write; "
                          "with --generate only OUT")
    run.add_argument("--scenario", default="baseline",
                     help="a shipped scenario name (see `python -m iwp_widgets scenarios`) or a .json file; "
                          "default: baseline")
    run.add_argument("--level", choices=LEVELS, default="month",
                     help="month: one row per beneficiary-month (default); beneficiary: one row per "
                          "beneficiary with months to TWL/SGA/EPE and totals")
    run.add_argument("--summary", metavar="PATH", help="also write the distribution table (CSV or Parquet)")
    run.add_argument("--months", type=int,
                     help="months to project: needed for a caseload given as earnings paths; with "
                          "--generate, default 60")
    run.add_argument("--generate", type=int, metavar="N", help="simulate N synthetic beneficiaries")
    run.add_argument("--seed", type=int, help="random seed for --generate (default 0)")
    run.add_argument("--start", default=None, help="first month for --generate, YYYY-MM (default 2026-01)")
    run.add_argument("--save-caseload", metavar="PATH",
                     help="with --generate: also write the synthetic caseload (to rerun or share it)")
    run.add_argument("--batch-size", type=int,
                     help="beneficiaries simulated at a time (memory use grows with it; default 20000)")
    run.add_argument("--allow-extra-columns", action="store_true",
                     help="accept columns the caseload format does not know (otherwise an error)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    commands.add_parser("scenarios", help="list the shipped scenarios")

    printing = commands.add_parser(
        "print", help="print a plan's IWP (or the EN worksheet) as HTML or tagged PDF",
        description="Print the Individual Work Plan the beneficiary signs, or with --en-worksheet the "
                    "Employment Network's worksheet of projected payments. OUT ending in .pdf writes a "
                    "tagged PDF; .html (or .htm) a web page.",
        epilog="example:\n  python -m iwp_widgets print plans/jones.json jones-iwp.pdf --large-print",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    printing.add_argument("plan", metavar="PLAN", help="a plan file (.json) or an example plan's name")
    printing.add_argument("out", metavar="OUT", help="the file to write: .pdf or .html")
    printing.add_argument("--large-print", action="store_true", help="print in large type (18 point)")
    printing.add_argument("--en-worksheet", action="store_true",
                          help="print the EN worksheet (projected milestone and outcome payments) instead")
    summary = commands.add_parser(
        "summary", help="write a plan's benefits summary and reporting calendar (HTML or PDF)",
        description="Write the benefits summary a beneficiary takes home, with the month-by-month "
                    "reporting calendar, for one plan file. The format follows OUT's name.",
        epilog="example:\n  python -m iwp_widgets summary plan.json summary.pdf",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    summary.add_argument("plan", metavar="PLAN", help="a plan file (.json) or a shipped example's name")
    summary.add_argument("out", metavar="OUT", help="the file to write: .html or .pdf")
    summary.add_argument("--font-size", default="large", choices=("regular", "large", "largest"),
                         help="type size of the page (default: large)")
    return parser


def _same_file(a: Path, b: Path) -> bool:
    """Whether two names lead to one file: after resolving ``..`` and symbolic links, or as hard links."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def _check_outputs(source: Path | None, outputs: dict[str, str | Path | None]) -> None:
    """PlanError unless each output has a known format, an existing folder, and is a file of its
    own: never the caseload being read, never another output."""
    from .caseload.format import file_format

    seen: dict[str, Path] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        path = Path(path)
        file_format(path)
        folder = path.parent
        if not folder.is_dir():
            raise PlanError(f"{option}: the folder {os.fspath(folder)!r} does not exist")
        if path.is_dir():
            raise PlanError(f"{option}: {os.fspath(path)!r} is a folder; give a file name")
        if source is not None and _same_file(path, source):
            raise PlanError(f"{option}: {os.fspath(path)!r} is the caseload file being read; "
                            f"write the results to another file so the caseload is kept")
        for other, earlier in seen.items():
            if _same_file(path, earlier):
                raise PlanError(f"{option}: is the same file as {other} ({os.fspath(path)!r}); "
                                f"give each output its own file")
        seen[option] = path


def _caseload_command(args: argparse.Namespace) -> int:
    from .caseload import (generate_caseload, load_scenario, read_caseload, run_scenario, write_table)
    from .caseload.format import TableWriter
    from .caseload.memory import keep_freed_memory
    from .caseload.synthetic import SyntheticSpec

    keep_freed_memory()  # this process runs batch after batch of the same arrays

    if args.generate is not None:
        if len(args.paths) != 1:
            raise PlanError("paths: with --generate give only OUT (the results file)")
        out_path = Path(args.paths[0])
    else:
        if len(args.paths) != 2:
            raise PlanError("paths: give IN (the caseload file) and OUT (the results file)")
        if args.save_caseload or args.start or args.seed is not None:
            raise PlanError("--generate: --seed, --start and --save-caseload only go with --generate")
        out_path = Path(args.paths[1])
    # Check every output and the scenario before the (possibly long) run.
    _check_outputs(None if args.generate is not None else Path(args.paths[0]),
                   {"OUT": out_path, "--summary": args.summary, "--save-caseload": args.save_caseload})
    scenario = load_scenario(args.scenario)

    if args.generate is not None:
        changes = {"months": args.months} if args.months is not None else {}
        if args.start is not None:
            changes["start"] = args.start
        caseload = generate_caseload(args.generate, SyntheticSpec(**changes), seed=args.seed or 0)
        if args.save_caseload:
            write_table(caseload, args.save_caseload)
    else:
        caseload = read_caseload(args.paths[0], months=args.months, allow_extra=args.allow_extra_columns)

    batches = {} if args.batch_size is None else {"batch_size": args.batch_size}  # default: run_scenario's
    bar = None
    if not args.quiet:
        from tqdm import tqdm
        bar = tqdm(total=len(caseload), desc=scenario.name, unit="beneficiary", file=sys.stderr)
    try:
        if args.level == "month":
            # Stream the monthly table batch by batch: it can be far larger than memory.
            with TableWriter(out_path) as writer:
                run = run_scenario(caseload, scenario, writer=writer, progress=bar, **batches)
            rows = writer.rows
        else:
            run = run_scenario(caseload, scenario, progress=bar, **batches)
            write_table(run.outcomes, out_path)  # the id index becomes the first column
            rows = len(run.outcomes)
    finally:
        if bar is not None:
            bar.close()
    if args.summary:
        write_table(run.summary.table().reset_index(), args.summary)
    table = run.summary.table()
    print(f"{scenario.name}: {len(caseload)} beneficiaries, {rows} rows written to {out_path}; "
          f"{table.loc['months_to_sga', 'share']:.1%} reached SGA; "
          f"mean benefits paid ${table.loc['benefits_paid', 'mean']:,.0f}")
    return 0


def _summary_command(args: argparse.Namespace) -> int:
    from .plan import Plan
    from .printout.summary import write_summary

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise PlanError(f"OUT: must end in .html or .pdf, got {os.fspath(out)!r}")
    if not out.parent.is_dir():
        raise PlanError(f"OUT: the folder {os.fspath(out.parent)!r} does not exist")
    source = Path(args.plan)
    if not source.exists() and args.plan in Plan.examples():
        plan = Plan.example(args.plan)
    else:
        if _same_file(out, source):
            raise PlanError(f"OUT: {os.fspath(out)!r} is the plan being read; write the summary to another file")
        plan = Plan.load(source)
    write_summary(plan, out, font_size=args.font_size)
    print(f"benefits summary written to {out}")
    return 0


def _scenarios_command() -> int:
    from .caseload import available_scenarios, load_scenario

    for name in available_scenarios():
        print(f"{name:30} {load_scenario(name).title}")
    return 0


def _print_command(args: argparse.Namespace) -> int:
    from . import report
    from .plan import Plan

    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".pdf", ".html", ".htm"):
        raise PlanError(f"OUT: must end in .pdf or .html, got {os.fspath(out)!r}")
    if not out.parent.is_dir():
        raise PlanError(f"OUT: the folder {os.fspath(out.parent)!r} does not exist")
    source = Path(args.plan)
    plan = Plan.load(source) if source.suffix.lower() == ".json" else Plan.example(args.plan)
    write = {(False, True): report.report_pdf, (False, False): report.report_html,
             (True, True): report.en_worksheet_pdf, (True, False): report.en_worksheet_html}
    write[args.en_worksheet, kind == ".pdf"](plan, path=out, large_print=args.large_print)
    print(f"wrote {os.fspath(out)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "caseload":
            return _caseload_command(args)
        if args.command == "print":
            return _print_command(args)
        if args.command == "summary":
            return _summary_command(args)
        return _scenarios_command()
    except PlanError as exc:
        return _error(str(exc))
    except OSError as exc:  # a file that cannot be read or written: say which and why, no traceback
        where = f" {os.fspath(exc.filename)!r}" if exc.filename else ""
        return _error(f"file:{where} {exc.strerror or exc}")


# Characters a message must not print as they are: line breaks (one line per error), terminal
# control codes (a column name could hold an escape sequence) and right-to-left overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _error(message: str) -> int:
    """Print ``error: message`` on one line, with unprintable characters written as escapes (\\n)."""
    safe = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)
    print(f"error: {safe}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

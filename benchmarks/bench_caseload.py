"""The analyst path's throughput in one process, next to the engine core's, measured in the same run.

    .venv/bin/python benchmarks/bench_caseload.py                     # 20,000 beneficiaries × 60 months
    .venv/bin/python benchmarks/bench_caseload.py --beneficiaries 100000 --repeat 3
    .venv/bin/python benchmarks/bench_caseload.py --steps             # also the table path, step by step

Three figures, each in beneficiary-months per second (wall, and CPU time of this process, which
other people's work on a shared machine disturbs less):

* the core: ``iwp_widgets.rules.run`` alone (``bench_engine.core_throughput``);
* the analyst path at beneficiary level, end to end: what ``python -m iwp_widgets caseload
  --generate N OUT.parquet --level beneficiary`` runs (synthetic caseload, validation, earnings
  paths, engine, EN payments, outcomes, summary, Parquet file), called in this process;
* the same at month level (``--level month``, every beneficiary-month written to Parquet).

Targets (issue 16): beneficiary level within 3× of the core and at least 8 million/s; month level
within 5×. The full command once more in a fresh interpreter shows what start-up adds. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_engine import core_throughput, median_times

from iwp_widgets.__main__ import main as cli
from iwp_widgets.caseload.memory import BATCH, keep_freed_memory

REPO_ROOT = Path(__file__).resolve().parents[1]


def command(args: argparse.Namespace, out: Path, level: str) -> list[str]:
    return ["caseload", "--generate", str(args.beneficiaries), str(out), "--level", level,
            "--months", str(args.months), "--scenario", args.scenario, "--batch-size", str(args.batch), "--quiet"]


def quiet_cli(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        if cli(argv) != 0:
            raise SystemExit(f"the command failed: {' '.join(argv)}")


def report(label: str, cells: int, wall: float, cpu: float, core: tuple[float, float], within: float,
           floor: float | None = None) -> None:
    rate, cpu_rate = cells / wall, cells / cpu
    target = f"target: within {within:g}× of the core" + (f" and ≥ {floor / 1e6:g} million/s" if floor else "")
    met = rate * within >= core[0] and (floor is None or rate >= floor)
    print(f"  {label:34} {wall:7.2f} s wall {rate / 1e6:6.2f} M/s ({core[0] / rate:4.1f}× the core); "
          f"CPU {cpu:6.2f} s {cpu_rate / 1e6:6.2f} M/s ({core[1] / cpu_rate:4.1f}×)  [{target}: "
          f"{'met' if met else 'not met'} on wall time]")


def steps(args: argparse.Namespace) -> None:
    """The table path (``simulate_caseload``) and the array path, step by step (as before issue 16)."""
    from iwp_widgets.caseload import CaseloadSummary, SyntheticSpec, beneficiary_outcomes, generate_caseload
    from iwp_widgets.caseload.arrays import outcomes_by_arrays
    from iwp_widgets.caseload.scenarios import load_scenario
    from iwp_widgets.caseload.simulation import simulate_caseload

    scenario = load_scenario(args.scenario)
    figures = scenario.thresholds()
    spec = SyntheticSpec(months=args.months)
    seconds = dict.fromkeys(("generate", "engine (table)", "outcomes", "summary", "array path"), 0.0)
    for partition, first in enumerate(range(0, args.beneficiaries, args.batch)):
        rows = min(args.batch, args.beneficiaries - first)
        t0 = time.perf_counter()
        caseload = scenario.apply_earnings(generate_caseload(rows, spec, 0, partition=partition))
        t1 = time.perf_counter()
        outcomes = beneficiary_outcomes(simulate_caseload(caseload, thresholds=figures))
        t2 = time.perf_counter()
        CaseloadSummary.from_outcomes(outcomes)
        t3 = time.perf_counter()
        CaseloadSummary.from_outcomes(outcomes_by_arrays(caseload, scenario, figures))
        t4 = time.perf_counter()
        for name, took in zip(seconds, (t1 - t0, t2 - t1, 0.0, t3 - t2, t4 - t3)):
            seconds[name] += took
    cells = args.beneficiaries * args.months
    print("  steps (one pass each):")
    for name, took in seconds.items():
        if took:
            print(f"    {name:16} {took:7.2f} s  ({cells / took / 1e6:6.2f} million beneficiary-months/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beneficiaries", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--batch", type=int, default=BATCH, help="beneficiaries per engine call (the CLI's default)")
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each path (medians are shown)")
    parser.add_argument("--steps", action="store_true", help="also time the table path step by step")
    args = parser.parse_args()

    cells = args.beneficiaries * args.months
    print(f"{args.beneficiaries:,} beneficiaries × {args.months} months = {cells:,} beneficiary-months, "
          f"scenario {args.scenario}, batches of {args.batch:,}, one process; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    keep_freed_memory()  # as the command does: the core is measured with the same malloc settings
    core = core_throughput(args.beneficiaries, args.months, args.repeat)
    print(f"  {'core (rules.run)':34} {core[0] / 1e6:6.2f} M/s wall, {core[1] / 1e6:6.2f} M/s CPU")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "results.parquet"
        quiet_cli(command(args, out, "beneficiary"))  # warm: figures loaded, modules imported
        wall, cpu = median_times(lambda: quiet_cli(command(args, out, "beneficiary")), args.repeat)
        report("analyst path, beneficiary level", cells, wall, cpu, core, 3, 8e6)
        wall, cpu = median_times(lambda: quiet_cli(command(args, out, "month")), args.repeat)
        report("month level to Parquet", cells, wall, cpu, core, 5)
        print(f"    ({out.stat().st_size / 2**20:,.0f} MiB of Parquet, {cells:,} rows)")
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "iwp_widgets", *command(args, out, "beneficiary")], check=True,
                       cwd=folder, env={**os.environ, "PYTHONPATH": f"{REPO_ROOT}{os.pathsep}"
                                        f"{os.environ.get('PYTHONPATH', '')}"}, stdout=subprocess.DEVNULL)
        print(f"  {'the command, fresh interpreter':34} {time.perf_counter() - began:7.2f} s wall "
              f"(beneficiary level; start-up and imports included)")
    if args.steps:
        steps(args)


if __name__ == "__main__":
    main()

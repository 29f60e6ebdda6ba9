"""Caseload throughput in one process: beneficiary-months simulated per second.

    .venv/bin/python benchmarks/bench_caseload.py                     # 20,000 beneficiaries × 60 months
    .venv/bin/python benchmarks/bench_caseload.py --beneficiaries 100000 --scenario bond_offset

Times each step of the table path (iwp_widgets.caseload.runner): synthetic generation, the
engine (``simulate_caseload``, EN payments included), per-beneficiary outcomes and the binned summary; then
the array path (iwp_widgets.caseload.arrays, what Dask's synthetic partitions run) on the same
caseload. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import time

from iwp_widgets.caseload import CaseloadSummary, SyntheticSpec, beneficiary_outcomes, generate_caseload
from iwp_widgets.caseload.arrays import outcomes_by_arrays
from iwp_widgets.caseload.scenarios import load_scenario
from iwp_widgets.caseload.simulation import simulate_caseload


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beneficiaries", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--batch", type=int, default=20_000, help="beneficiaries per engine call")
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    scenario = load_scenario(args.scenario)
    figures = scenario.thresholds()
    spec = SyntheticSpec(months=args.months)
    simulate_caseload(generate_caseload(10, spec, seed=99), thresholds=figures)  # warm caches

    steps = dict.fromkeys(("generate", "engine", "outcomes", "summary"), 0.0)
    summary = None
    for partition, first in enumerate(range(0, args.beneficiaries, args.batch)):
        rows = min(args.batch, args.beneficiaries - first)
        t0 = time.perf_counter()
        caseload = scenario.apply_earnings(generate_caseload(rows, spec, args.seed, partition=partition))
        t1 = time.perf_counter()
        table = simulate_caseload(caseload, thresholds=figures)
        t2 = time.perf_counter()
        outcomes = beneficiary_outcomes(table)
        t3 = time.perf_counter()
        part = CaseloadSummary.from_outcomes(outcomes)
        summary = part if summary is None else summary.merge(part)
        t4 = time.perf_counter()
        for name, (a, b) in zip(steps, ((t0, t1), (t1, t2), (t2, t3), (t3, t4))):
            steps[name] += b - a

    # The array path (no monthly table), as Dask's synthetic partitions use it.
    array_seconds = {"generate": 0.0, "array path": 0.0}
    for partition, first in enumerate(range(0, args.beneficiaries, args.batch)):
        rows = min(args.batch, args.beneficiaries - first)
        t0 = time.perf_counter()
        caseload = generate_caseload(rows, spec, args.seed, partition=partition)
        t1 = time.perf_counter()
        CaseloadSummary.from_outcomes(outcomes_by_arrays(caseload, scenario, figures))
        t2 = time.perf_counter()
        array_seconds["generate"] += t1 - t0
        array_seconds["array path"] += t2 - t1

    bm = args.beneficiaries * args.months
    total = sum(steps.values())
    print(f"{args.beneficiaries:,} beneficiaries × {args.months} months = {bm:,} beneficiary-months, "
          f"scenario {scenario.name}, batches of {args.batch:,}, one process; table path:")
    for name, seconds in steps.items():
        print(f"  {name:12} {seconds:8.2f} s  ({bm / seconds:,.0f} beneficiary-months/s)")
    print(f"  {'all':12} {total:8.2f} s  ({bm / total:,.0f} beneficiary-months/s); "
          f"engine + outcomes only: {bm / (total - steps['generate']):,.0f}/s")
    fast = array_seconds["array path"]
    print(f"  array path (engine core, EN payments, outcomes, summary; no monthly table): {fast:.2f} s "
          f"({bm / fast:,.0f}/s); with generation {bm / sum(array_seconds.values()):,.0f}/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"  peak resident memory {peak:,.0f} MiB; share reaching SGA "
          f"{summary.table().loc['months_to_sga', 'share']:.1%}")


if __name__ == "__main__":
    main()

"""Speed and memory of the rules engine's array core (a script, not a test).

    .venv/bin/python benchmarks/bench_engine.py                 # 100,000 × 120 months
    .venv/bin/python benchmarks/bench_engine.py --n 20000 --months 60 --repeat 3

Builds a synthetic caseload (60% SSDI, 25% SSI, 15% concurrent; earnings ramps with breaks,
some IRWE, students and blind people), runs ``iwp_widgets.rules.run`` on it in this one
process and prints beneficiary-months per second (wall and CPU time, rows grouped by program
and in random order) and the peak memory (resident set size of the process, and the peak of
numpy/Python allocations seen by tracemalloc in a separate run).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
import tracemalloc

import numpy as np

from iwp_widgets.rules import PROGRAM_RANK, Inputs, run
from iwp_widgets.thresholds import Thresholds


def synthetic(n: int, months: int, seed: int = 7) -> dict:
    rng = np.random.default_rng(seed)
    kind = rng.choice(np.array([0, 1, 2], np.int8), size=n, p=[0.60, 0.25, 0.15])
    t = np.arange(months)[None, :]
    start_work = rng.integers(0, 24, n)[:, None]
    target = rng.uniform(300, 3000, n)[:, None]
    ramp = np.clip((t - start_work) / 18.0, 0, 1)
    earnings = np.where(t >= start_work, target * (0.3 + 0.7 * ramp), 0.0)
    breaks = rng.random((n, months)) < 0.03
    earnings[breaks] = 0.0
    # Month-major memory (Fortran order), the layout the engine loops over: no copy in run().
    earnings = np.asfortranarray(np.round(earnings, 2))
    ssdi_monthly = np.where(kind != 1, rng.uniform(600, 2500, n).round(2), 0.0)
    ssdi_monthly[kind == 2] = rng.uniform(300, 700, (kind == 2).sum()).round(2)
    states = np.array(["CA", "TX", "NY", "OH", "FL", "WA"])[rng.integers(0, 6, n)]
    student = (kind != 0) & (rng.random(n) < 0.1)
    births = np.where(student, rng.integers(432, 456, n), -(2 ** 30))  # born 2006-2007
    return dict(
        earnings=earnings, benefits=kind, ssdi_monthly=ssdi_monthly, state=states,
        couple=rng.random(n) < 0.05, unearned_income=np.where(rng.random(n) < 0.2, 100.0, 0.0),
        blind=rng.random(n) < 0.03, student=student, birth_month=births,
        irwe=np.where(rng.random(n) < 0.1, 150.0, 0.0),
        ssi_eligible_before=np.ones(n, bool),
    )


def grouped_by_program(inputs: dict) -> dict:
    """The same caseload with rows sorted SSDI-only, concurrent, SSI-only (as
    simulate_caseload passes them): run() then applies each program's rules to its rows only."""
    order = np.argsort(PROGRAM_RANK[inputs["benefits"]], kind="stable")
    return {key: (np.asfortranarray(value[order]) if key == "earnings" else value[order])
            if isinstance(value, np.ndarray) and value.ndim else value
            for key, value in inputs.items()}


def median_times(call, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` calls (CPU time of this process: on a shared machine
    other people's work stretches wall time far more)."""
    walls, cpus = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
    return statistics.median(walls), statistics.median(cpus)


def core_throughput(n: int = 20_000, months: int = 60, repeat: int = 3) -> tuple[float, float]:
    """The core's beneficiary-months per second (median wall, median CPU) on ``n`` × ``months`` rows
    grouped by program: the yardstick the other benchmarks print their own medians against."""
    thresholds = Thresholds.default()
    inputs = grouped_by_program(synthetic(n, months))
    run(Inputs("2026-01", **synthetic(100, months)), thresholds)  # warm caches
    grouped = Inputs("2026-01", **inputs)
    wall, cpu = median_times(lambda: run(grouped, thresholds), repeat)
    return n * months / wall, n * months / cpu


def measure(label: str, inputs: dict, thresholds, repeat: int, cells: int) -> None:
    times, cpu_times = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = run(Inputs("2026-01", **inputs), thresholds)
        times.append(time.perf_counter() - began)
        cpu_times.append(time.process_time() - began_cpu)
        del result
    best, best_cpu = min(times), min(cpu_times)
    print(f"[{label}]")
    print(f"  wall times (s)       : {', '.join(f'{x:.3f}' for x in times)}")
    print(f"  CPU times (s)        : {', '.join(f'{x:.3f}' for x in cpu_times)}")
    print(f"  throughput, best wall: {cells / best / 1e6:.1f} million beneficiary-months/s")
    print(f"  throughput, best CPU : {cells / best_cpu / 1e6:.1f} million beneficiary-months/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="beneficiaries")
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is reported)")
    args = parser.parse_args()

    thresholds = Thresholds.default()
    shuffled = synthetic(args.n, args.months)
    grouped = grouped_by_program(shuffled)
    run(Inputs("2026-01", **synthetic(100, args.months)), thresholds)  # warm caches
    cells = args.n * args.months
    print(f"beneficiaries × months : {args.n:,} × {args.months} = {cells:,}")
    print(f"load average (1 min)   : {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
          f"(CPU time differs from wall time when other work shares the cores)")
    measure("rows grouped by program (as simulate_caseload passes them)", grouped, thresholds,
            args.repeat, cells)
    measure("rows in random program order", shuffled, thresholds, args.repeat, cells)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    result = run(Inputs("2026-01", **grouped), thresholds)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    paid = float(result["ssdi_paid"].sum() + result["ssi_paid"].sum())
    print(f"peak RSS (process)     : {rss_mib:,.0f} MiB (inputs, outputs and two caseload copies)")
    print(f"peak traced allocations: {traced_peak / 2 ** 20:,.0f} MiB (one run, tracemalloc)")
    print(f"check: benefits paid    ${paid:,.0f}")


if __name__ == "__main__":
    main()

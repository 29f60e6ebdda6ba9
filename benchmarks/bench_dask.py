"""Caseloads through Dask: throughput on a LocalCluster, and peak memory of the whole process tree.

    .venv/bin/python benchmarks/bench_dask.py                               # 100,000 × 60 on 2 workers
    .venv/bin/python benchmarks/bench_dask.py --beneficiaries 10000000      # the 10-million run
    .venv/bin/python benchmarks/bench_dask.py --dask-defaults --partitions-per-task 1  # as before local_cluster()
    .venv/bin/python benchmarks/bench_dask.py --scheduler tcp://host:8786   # an existing cluster

Each task makes its own partitions of a synthetic caseload inside a worker, one after another
(``iwp_widgets.caseload.distributed.synthetic_partials``), simulates them and keeps only their merged
binned summary; the client merges summaries as they arrive (16 at a time) and prints progress. The
cluster is ``local_cluster()`` (one thread per worker process, profiler off, freed memory kept). The client
never holds the caseload or the beneficiary-month table. A thread samples the resident memory of this process and all its
descendants (nannies, workers) with psutil; the peak of their sum is reported. With --scheduler
only this process is measured (the workers are elsewhere).

Next to the cluster's throughput it prints the engine core's (``bench_engine.core_throughput``,
measured in this process before the cluster starts) and the CPU time the workers and this process
(client, scheduler, nannies) spent, which a busy shared machine disturbs less than wall time: from
it, the time 10 million × 60 months would take on as many idle cores. Target (issue 16): 10 million × 60 months in < 90 s on a 2-worker
LocalCluster with < 2 GiB peak memory for the process tree. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import threading
import time

import dask
import numpy as np
import psutil
from distributed import Client, LocalCluster, as_completed

from bench_engine import core_throughput

from iwp_widgets.caseload import SyntheticSpec
from iwp_widgets.caseload.distributed import local_cluster, synthetic_partials


class TreeMemory:
    """Peak of the summed RSS of this process and its descendants, sampled every ``interval`` s."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peak = 0
        self.peak_processes = 0
        self._processes: list[psutil.Process] = []
        self._listed = -float("inf")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        # Listing the children reads every process's /proc entry on the machine: done once a
        # second, not at every sample, as it takes CPU time from the workers.
        now = time.monotonic()
        if now >= self._listed + 1.0:
            me = psutil.Process()
            self._processes, self._listed = [me, *me.children(recursive=True)], now
        total, count = 0, 0
        for process in self._processes:
            try:
                total += process.memory_info().rss
                count += 1
            except psutil.Error:  # exited between listing and reading
                pass
        if total > self.peak:
            self.peak, self.peak_processes = total, count

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beneficiaries", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--rows-per-partition", type=int, default=20_000)
    parser.add_argument("--partitions-per-task", type=int, default=None,
                        help="partitions one task makes in turn, merging their summaries (default: "
                             "synthetic_partials' choice, up to 4)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--profile", action="store_true",
                        help="keep the workers' statistical profiler on (Dask's default; it cost about a "
                             "quarter of the workers' CPU time here)")
    parser.add_argument("--dask-defaults", action="store_true",
                        help="a plain LocalCluster (Dask's malloc settings) instead of local_cluster()")
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler instead of a LocalCluster")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="stop after this many seconds and report what finished (partial run)")
    args = parser.parse_args()

    spec = SyntheticSpec(months=args.months)
    partitions = -(-args.beneficiaries // args.rows_per_partition)
    load = os.getloadavg()[0]
    core = core_throughput(min(args.rows_per_partition, 20_000), args.months)
    with TreeMemory() as memory:
        started = time.perf_counter()
        if args.scheduler:
            cluster, client = None, Client(args.scheduler)
        else:
            if args.dask_defaults:  # for comparison: Dask's malloc trimming (the profiler as --profile says)
                with dask.config.set({"distributed.worker.profile.enabled": args.profile}):
                    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=args.threads,
                                           processes=True, dashboard_address=None)
            else:
                cluster = local_cluster(args.workers, threads_per_worker=args.threads, profile=args.profile)
            client = Client(cluster)
        # Warm the workers (imports, figure tables) on a tiny caseload, so the figures below are the
        # steady rate a long run has; the real run's figures still load once per worker, inside it.
        client.gather(client.compute(synthetic_partials(2_000 * args.workers, args.scenario, rows_per_partition=1_000,
                                                        partitions_per_task=1, spec=spec, seed=args.seed + 1)))
        ready = time.perf_counter()
        cpu_before = worker_cpu(client)
        client_cpu_before = process_cpu()
        done_rows, summary, pending = 0, None, []
        try:
            partials = synthetic_partials(args.beneficiaries, args.scenario,
                                          rows_per_partition=args.rows_per_partition,
                                          partitions_per_task=args.partitions_per_task, spec=spec, seed=args.seed)
            task_count = len(partials)
            finished_partitions = as_completed(client.compute(partials))
            del partials  # hold no reference: a read result is released from its worker at once
            next_report = 0.1
            for future in finished_partitions:
                pending.append(future.result())
                future.release()
                done_rows += pending[-1].beneficiaries
                if len(pending) >= 16:  # merge in batches: the client keeps one running summary
                    summary = summary.merge(*pending) if summary else pending[0].merge(*pending[1:])
                    pending = []
                elapsed = time.perf_counter() - ready
                if done_rows / args.beneficiaries >= next_report:
                    print(f"  {done_rows / args.beneficiaries:5.0%} {elapsed:7.0f} s  "
                          f"{done_rows * args.months / elapsed:,.0f} beneficiary-months/s  "
                          f"peak {memory.peak / 2**30:.2f} GiB", flush=True)
                    next_report += 0.1
                if args.time_limit and elapsed > args.time_limit:
                    print(f"  time limit: stopping after {elapsed:.0f} s", flush=True)
                    break  # closing the client and cluster below drops the rest
            if pending:
                summary = summary.merge(*pending) if summary else pending[0].merge(*pending[1:])
            finished = time.perf_counter()
            cpu, system = worker_cpu(client) - cpu_before
            cpu += system
            client_cpu = sum(process_cpu() - client_cpu_before)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    elapsed = finished - ready
    bm = done_rows * args.months
    settings = (f"{'Dask malloc trimming' if args.dask_defaults else 'local_cluster()'}, "
                f"profiler {'on' if args.profile else 'off'}")
    where = args.scheduler or (f"LocalCluster, {args.workers} worker processes × {args.threads} thread, "
                               f"{settings}")
    print(f"\n{done_rows:,} of {args.beneficiaries:,} beneficiaries × {args.months} months = {bm:,} "
          f"beneficiary-months ({partitions} partitions of ≤{args.rows_per_partition:,} in {task_count} tasks), "
          f"scenario {args.scenario}, {where}")
    print(f"  load average       {load:8.1f} on {os.cpu_count()} cores at the start")
    print(f"  the core           {core[0]:,.0f} beneficiary-months/s wall, {core[1]:,.0f}/s CPU (one process)")
    print(f"  cluster start      {ready - started:8.1f} s (and warm-up)")
    print(f"  generate+simulate  {elapsed:8.1f} s  ({bm / elapsed:,.0f} beneficiary-months/s; "
          f"{bm / elapsed / core[0]:.2f} of the core's wall rate)")
    workers = args.workers if not args.scheduler else None
    ten_million = 10_000_000 * args.months / bm
    print(f"  worker CPU time    {cpu:8.1f} s  ({bm / cpu:,.0f} beneficiary-months per CPU-second, "
          f"{bm / cpu / core[1]:.2f} of the core's; {system:.1f} s of it in the kernel)")
    print(f"  this process       {client_cpu:8.1f} s CPU (client, scheduler, nannies: the same cores)")
    if workers:
        print(f"  10 million × {args.months}: about {elapsed * ten_million:,.0f} s at this run's wall rate; "
              f"about {(cpu + client_cpu) * ten_million / workers:,.0f} s on {workers} idle cores from the CPU "
              f"time of the workers and this process [target < 90 s]")
    print(f"  peak memory        {memory.peak / 2**30:8.2f} GiB (sum of {memory.peak_processes} processes' RSS) "
          f"[target for 10 million: < 2 GiB]")
    print(f"  beneficiaries in the summary {summary.beneficiaries:,}")
    print(summary.table()[["share", "mean", "p10", "p50", "p90"]].round(2).to_string())


def process_cpu() -> np.ndarray:
    """CPU seconds (user, system) this process has used so far."""
    times = psutil.Process().cpu_times()
    return np.array([times.user, times.system])


def worker_cpu(client: Client) -> np.ndarray:
    """CPU seconds (user, system) the workers' processes have used so far."""
    return sum(client.run(process_cpu).values())


if __name__ == "__main__":
    main()

"""Caseloads beyond one machine: Dask, partition by partition.

Every partition is a plain pandas caseload, so each worker runs exactly the pandas code path
(``simulate_caseload``, then :func:`~iwp_widgets.caseload.summary.beneficiary_outcomes`) and
the results are identical to a pandas run. Only small things cross the network: the program
figures (once), and each partition's :class:`~iwp_widgets.caseload.summary.CaseloadSummary`
(binned counts), merged in a tree. The beneficiary-month table is never collected.

    from dask.distributed import Client
    import dask.dataframe as dd
    from iwp_widgets.caseload.distributed import summarize_dask, simulate_dask

    client = Client("tcp://scheduler:8786")          # an existing cluster (or Client() for a local one)
    caseload = dd.read_parquet("s3://bucket/caseload/")  # the caseload file format, in pieces
    summary = summarize_dask(caseload, "higher_sga")     # a CaseloadSummary, computed on the cluster
    summary.table()

Workers need this package installed (same version) to import the functions they run.

For synthetic caseloads too large for the client, :func:`synthetic_summary` has each task make
its own partition from ``(seed, partition)`` and summarise it at once through the array path
(:mod:`iwp_widgets.caseload.arrays`): nothing bigger than one partition ever exists anywhere.
"""

from __future__ import annotations

import dask
import dask.dataframe as dd
import pandas as pd

from ..errors import PlanError
from ..thresholds import Thresholds
from .arrays import outcomes_by_arrays
from .format import validate_caseload
from .memory import malloc_environment
from .runner import simulate_with_figures
from .scenarios import Scenario, load_scenario
from .summary import CaseloadSummary, beneficiary_outcomes
from .synthetic import SyntheticSpec, default_states, generate_caseload


# glibc's malloc in the workers (see memory.py). Dask's nannies start workers with
# MALLOC_TRIM_THRESHOLD_=65536 (give freed memory back at once), which also turns off glibc's
# adaptive mmap threshold: every array above 128 KiB becomes a fresh mmap whose pages fault in again.
WORKER_MALLOC = malloc_environment()


def local_cluster(workers: int = 2, *, threads_per_worker: int = 1, profile: bool = False, **kwargs):
    """A ``distributed.LocalCluster`` set up for caseload tasks: one process per worker with one
    thread each (the engine is numpy and Python: threads would share one interpreter lock), the
    workers' statistical profiler off unless ``profile`` (it samples every thread 100 times a second:
    a quarter of the CPU time of tasks this short), and glibc keeping freed memory for the next task
    (:data:`WORKER_MALLOC`). Other keywords go to ``LocalCluster``."""
    from distributed import LocalCluster

    environ = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **WORKER_MALLOC}
    with dask.config.set({"distributed.worker.profile.enabled": profile,
                          "distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=True,
                            **{"dashboard_address": None, **kwargs})


def _simulate_caseload():
    from .simulation import simulate_caseload
    return simulate_caseload


def _validated_then_simulated(part: pd.DataFrame, scenario: Scenario, figures: Thresholds,
                              months: int | None) -> pd.DataFrame:
    return simulate_with_figures(validate_caseload(part, months=months), scenario, figures)


def simulate_dask(caseload: dd.DataFrame, scenario: Scenario | str = "baseline",
                  thresholds: Thresholds | None = None, *, months: int | None = None) -> dd.DataFrame:
    """The monthly table as a lazy Dask DataFrame (one output partition per input one).

    Each partition is checked with ``validate_caseload`` (``months`` for earnings-path caseloads)
    and runs :func:`~iwp_widgets.caseload.runner.simulate_with_figures`, the pandas pipeline; the
    output's columns and types are those the engine's own Dask path declares.
    Compute or write the result in pieces (``.to_parquet(...)``): ``.compute()`` of a big
    caseload brings every beneficiary-month to the client.
    """
    if not isinstance(caseload, dd.DataFrame):
        raise PlanError(f"caseload: must be a dask DataFrame, got {type(caseload).__name__}")
    scenario = load_scenario(scenario)
    figures = scenario.thresholds(thresholds)
    meta = _simulate_caseload()(caseload, thresholds=figures)._meta
    return caseload.map_partitions(_validated_then_simulated, scenario, figures, months, meta=meta)


def summarize_partition(part: pd.DataFrame, scenario: Scenario, figures: Thresholds,
                        dollar_bin: float, months: int | None = None) -> CaseloadSummary:
    """Check and simulate one partition and keep only its binned summary."""
    part = validate_caseload(part, months=months)
    return CaseloadSummary.from_outcomes(
        beneficiary_outcomes(simulate_with_figures(part, scenario, figures)), dollar_bin)


def _merge_all(*summaries: CaseloadSummary) -> CaseloadSummary:
    return summaries[0].merge(*summaries[1:])


def _tree_merge(parts: list, split_every: int):
    """Merge delayed summaries ``split_every`` at a time, so no task holds them all."""
    while len(parts) > 1:
        parts = [dask.delayed(_merge_all, pure=True)(*parts[i:i + split_every])
                 for i in range(0, len(parts), split_every)]
    return parts[0]


def summarize_dask(caseload: dd.DataFrame, scenario: Scenario | str = "baseline", *,
                   thresholds: Thresholds | None = None, months: int | None = None, dollar_bin: float = 10.0,
                   split_every: int = 8, compute: bool = True):
    """Simulate a Dask caseload under a scenario and return its merged CaseloadSummary.

    Each partition is a caseload in the file format, checked with ``validate_caseload`` where it is
    (``months`` for earnings-path caseloads). ``compute=False`` returns the delayed summary (to
    compute several scenarios in one pass).
    """
    if not isinstance(caseload, dd.DataFrame):
        raise PlanError(f"caseload: must be a dask DataFrame, got {type(caseload).__name__}")
    scenario = load_scenario(scenario)
    # One copy of the figures and scenario in the graph, shared by every task.
    figures = dask.delayed(scenario.thresholds(thresholds), pure=True)
    scenario_key = dask.delayed(scenario, pure=True)
    partials = [dask.delayed(summarize_partition, pure=True)(part, scenario_key, figures, dollar_bin, months)
                for part in caseload.to_delayed()]
    total = _tree_merge(partials, split_every)
    return total.compute() if compute else total


PARTITIONS_PER_TASK = 4  # a synthetic task's partitions by default (see synthetic_partials)
FEWEST_TASKS = 8  # ... unless there are too few partitions to make this many tasks of that size


def _synthetic_partition_summary(partition: int, rows: int, spec: SyntheticSpec, seed: int,
                                 states: tuple[str, ...], scenario: Scenario, figures: Thresholds,
                                 dollar_bin: float) -> CaseloadSummary:
    part = generate_caseload(rows, spec, seed, partition=partition, states=states)  # already validated
    # Synthetic caseloads have no history: the array path gives the table path's numbers, faster.
    return CaseloadSummary.from_outcomes(outcomes_by_arrays(part, scenario, figures, check=False), dollar_bin)


def _synthetic_partitions_summary(partitions: tuple[tuple[int, int], ...], spec: SyntheticSpec, seed: int,
                                  states: tuple[str, ...], scenario: Scenario, figures: Thresholds,
                                  dollar_bin: float) -> CaseloadSummary:
    """One task: several ``(partition, rows)`` made and summarised one after another, merged here,
    so only one partition's arrays exist at a time and one summary leaves the worker."""
    summaries = [_synthetic_partition_summary(partition, rows, spec, seed, states, scenario, figures, dollar_bin)
                 for partition, rows in partitions]
    return summaries[0].merge(*summaries[1:]) if len(summaries) > 1 else summaries[0]


def synthetic_partials(beneficiaries: int, scenario: Scenario | str = "baseline", *,
                       rows_per_partition: int = 20_000, partitions_per_task: int | None = None,
                       spec: SyntheticSpec | None = None, seed: int = 0,
                       thresholds: Thresholds | None = None, dollar_bin: float = 10.0) -> list:
    """Delayed CaseloadSummaries of a synthetic caseload made inside the workers, one per task of
    ``partitions_per_task`` consecutive partitions.

    Partition k is ``generate_caseload(rows, spec, seed, partition=k)``, so the caseload is the same
    whichever machine makes it; the last partition holds the remainder. A worker holds one partition
    (``rows_per_partition`` rows: its memory) at a time; a task runs several, so that fewer, larger
    summaries cross to the client (each is about a megabyte). By default a task runs up to
    :data:`PARTITIONS_PER_TASK`, fewer when that would leave less than :data:`FEWEST_TASKS` tasks to
    share among the workers. Merge the results with ``CaseloadSummary.merge`` (or use
    :func:`synthetic_summary`, which merges them in a tree).
    """
    sizes = {"beneficiaries": beneficiaries, "rows_per_partition": rows_per_partition,
             "partitions_per_task": 1 if partitions_per_task is None else partitions_per_task}
    for name, number in sizes.items():
        if not isinstance(number, int) or number < 1:
            raise PlanError(f"{name}: must be a whole number ≥ 1, got {number!r}")
    spec = spec or SyntheticSpec()
    scenario = load_scenario(scenario)
    states = spec.states or default_states(thresholds)
    figures = dask.delayed(scenario.thresholds(thresholds), pure=True)
    shared = [dask.delayed(x, pure=True) for x in (spec, states, scenario)]
    partitions = [(partition, min(rows_per_partition, beneficiaries - first))
                  for partition, first in enumerate(range(0, beneficiaries, rows_per_partition))]
    if partitions_per_task is None:
        partitions_per_task = max(1, min(PARTITIONS_PER_TASK, len(partitions) // FEWEST_TASKS))
    return [dask.delayed(_synthetic_partitions_summary, pure=True)(
                tuple(partitions[i:i + partitions_per_task]), shared[0], seed, shared[1], shared[2], figures,
                dollar_bin)
            for i in range(0, len(partitions), partitions_per_task)]


def synthetic_summary(beneficiaries: int, scenario: Scenario | str = "baseline", *,
                      rows_per_partition: int = 20_000, partitions_per_task: int | None = None,
                      spec: SyntheticSpec | None = None, seed: int = 0,
                      thresholds: Thresholds | None = None, dollar_bin: float = 10.0,
                      split_every: int = 8, compute: bool = True):
    """The merged CaseloadSummary of a synthetic caseload made inside the workers
    (:func:`synthetic_partials` merged ``split_every`` at a time)."""
    partials = synthetic_partials(beneficiaries, scenario, rows_per_partition=rows_per_partition,
                                  partitions_per_task=partitions_per_task, spec=spec, seed=seed,
                                  thresholds=thresholds, dollar_bin=dollar_bin)
    total = _tree_merge(partials, split_every)
    return total.compute() if compute else total


__all__ = ["local_cluster", "simulate_dask", "summarize_dask", "summarize_partition", "synthetic_partials", "synthetic_summary"]

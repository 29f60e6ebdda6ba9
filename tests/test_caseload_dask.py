"""Dask gives exactly the pandas results, on a small in-process LocalCluster (2 workers)."""

import os

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from iwp_widgets import PlanError
from iwp_widgets.caseload import CaseloadSummary, SyntheticSpec, generate_caseload, run_scenario
from iwp_widgets.caseload.distributed import (WORKER_MALLOC, local_cluster, simulate_dask, summarize_dask,
                                             synthetic_partials, synthetic_summary)
from iwp_widgets.caseload.runner import simulate_scenario

SPEC = SyntheticSpec(months=24)
pytestmark = pytest.mark.slow  # starts a LocalCluster


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


@pytest.fixture(scope="module")
def caseload():
    return generate_caseload(240, SPEC, seed=4)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["id", "month"]).reset_index(drop=True)


@pytest.mark.parametrize("scenario", ["baseline", "bond_offset"])
def test_monthly_tables_identical(client, caseload, scenario):
    pandas_table = simulate_scenario(caseload, scenario)
    dask_table = simulate_dask(dd.from_pandas(caseload, npartitions=3), scenario).compute()
    pd.testing.assert_frame_equal(_sorted(dask_table), _sorted(pandas_table))


def test_summaries_identical(client, caseload):
    pandas_summary = run_scenario(caseload, "higher_sga").summary
    dask_summary = summarize_dask(dd.from_pandas(caseload, npartitions=5), "higher_sga", split_every=2)
    assert dask_summary.beneficiaries == len(caseload)
    pd.testing.assert_frame_equal(dask_summary.table(), pandas_summary.table())


def test_synthetic_partitions_made_in_workers_match_pandas(client):
    summary = synthetic_summary(250, "baseline", rows_per_partition=100, spec=SPEC, seed=9)
    parts = [generate_caseload(rows, SPEC, 9, partition=k) for k, rows in enumerate((100, 100, 50))]
    expected = run_scenario(pd.concat(parts, ignore_index=True), "baseline").summary
    assert summary.beneficiaries == 250
    pd.testing.assert_frame_equal(summary.table(), expected.table())
    assert np.isfinite(summary.table().loc["total_income", "mean"])


def test_engine_simulate_caseload_accepts_dask(client, caseload):
    """The public API: iwp.simulate_caseload(dask frame) -> dask frame with the pandas rows."""
    import iwp_widgets as iwp

    out = iwp.simulate_caseload(dd.from_pandas(caseload, npartitions=2))
    assert isinstance(out, dd.DataFrame)
    pd.testing.assert_frame_equal(_sorted(out.compute()), _sorted(iwp.simulate_caseload(caseload)))


def test_several_scenarios_computed_together(client, caseload):
    import dask

    frame = dd.from_pandas(caseload, npartitions=2)
    base, offset = dask.compute(summarize_dask(frame, "baseline", compute=False),
                                summarize_dask(frame, "bond_offset", compute=False))
    assert isinstance(base, CaseloadSummary) and isinstance(offset, CaseloadSummary)
    assert offset.table().loc["ssdi_paid", "mean"] >= base.table().loc["ssdi_paid", "mean"]


def test_parquet_pieces_read_by_dask_match_pandas(client, caseload, tmp_path):
    for k, first in enumerate(range(0, len(caseload), 80)):
        caseload.iloc[first:first + 80].to_parquet(tmp_path / f"part{k}.parquet", index=False)
    frame = dd.read_parquet(str(tmp_path / "*.parquet"))
    summary = summarize_dask(frame, "ssi_bigger_earned_exclusion")
    expected = run_scenario(caseload, "ssi_bigger_earned_exclusion").summary
    pd.testing.assert_frame_equal(summary.table(), expected.table())


def test_tasks_of_several_partitions_match_pandas(client):
    # 7 partitions of ≤40 rows, 3 per task: tasks of 3, 3 and 1 partitions (the last one short).
    assert len(synthetic_partials(250, rows_per_partition=40, partitions_per_task=3, spec=SPEC)) == 3
    summary = synthetic_summary(250, "higher_sga", rows_per_partition=40, partitions_per_task=3, spec=SPEC,
                                seed=5, split_every=2)
    parts = [generate_caseload(rows, SPEC, 5, partition=k) for k, rows in enumerate([40] * 6 + [10])]
    expected = run_scenario(pd.concat(parts, ignore_index=True), "higher_sga").summary
    assert summary.beneficiaries == 250
    by_bin = ["metric", "bin"]  # a merged summary keeps its counts sorted
    pd.testing.assert_frame_equal(summary.counts.sort_values(by_bin, ignore_index=True),
                                  expected.counts.sort_values(by_bin, ignore_index=True))
    pd.testing.assert_frame_equal(summary.table(), expected.table())


@pytest.mark.parametrize("field", ["rows_per_partition", "partitions_per_task"])
def test_partition_sizes_must_be_whole_numbers(field):
    with pytest.raises(PlanError, match=f"^{field}: must be a whole number ≥ 1, got 0$"):
        synthetic_partials(100, **{field: 0})


@pytest.mark.parametrize("partitions, tasks", [(5, 5), (16, 8), (17, 9), (40, 10), (500, 125)])
def test_tasks_take_up_to_four_partitions_and_leave_eight_tasks_or_more(partitions, tasks):
    assert len(synthetic_partials(partitions * 10, rows_per_partition=10)) == tasks


def test_local_cluster_workers_keep_freed_memory_and_run_unprofiled():
    with local_cluster(1) as cluster, Client(cluster) as c:
        [(environ, profiling)] = c.run(lambda: ({name: os.environ.get(name) for name in WORKER_MALLOC},
                                                dask.config.get("distributed.worker.profile.enabled"))).values()
        assert environ == WORKER_MALLOC and profiling is False
        assert list(c.nthreads().values()) == [1]
        summary = synthetic_summary(120, rows_per_partition=50, partitions_per_task=2, spec=SPEC, seed=2)
    assert summary.beneficiaries == 120


def test_a_bad_row_in_a_partition_is_reported(client, caseload):
    bad = caseload.copy()
    bad.loc[100, "ssdi_monthly"] = -1.0
    # Rows are counted within the partition; the id says which beneficiary it is.
    with pytest.raises(PlanError, match=r"^ssdi_monthly: row \d+ \(id 'S4-P0-100'\)"):
        summarize_dask(dd.from_pandas(bad, npartitions=3))

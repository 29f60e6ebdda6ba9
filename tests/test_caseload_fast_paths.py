"""The analyst path's fast routes (issue 16) give what the slower routes they replace give.

* The month level written to Parquet straight from the engine's arrays is the file the pandas
  table path writes (same rows, types and pandas metadata), whether an engine batch is written in
  one piece or several, with the beneficiary level's outcomes.
* Batches of any size give the same outcomes; a caseload's EN amounts alone are the schedule's.
* A Parquet piece that fails on the writing thread fails the file: no half-written results.
"""

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from iwp_widgets.caseload import SyntheticSpec, generate_caseload, load_scenario, run_scenario
from iwp_widgets.caseload.arrays import outcomes_by_arrays
from iwp_widgets.caseload.format import TableWriter
from iwp_widgets.thresholds import Thresholds
from iwp_widgets.ticket.payments import schedule

SPEC = SyntheticSpec(months=30, student_share=0.2, blind_share=0.1, start="2025-11")


@pytest.mark.parametrize("scenario, piece", [("baseline", 5_000), ("job_loss_year2", 5_000), ("baseline", 30)])
def test_month_level_from_arrays_is_the_table_paths_file(tmp_path, monkeypatch, scenario, piece):
    monkeypatch.setattr("iwp_widgets.caseload.arrays.PIECE", piece)  # 30: each batch of 70 in three pieces
    caseload = generate_caseload(260, SPEC, seed=4)
    with TableWriter(tmp_path / "arrays.parquet") as writer:
        fast = run_scenario(caseload, scenario, batch_size=70, writer=writer)
    with TableWriter(tmp_path / "table.parquet") as writer:  # keep_monthly: the pandas table path
        slow = run_scenario(caseload, scenario, batch_size=70, keep_monthly=True, writer=writer)
    got, expected = pq.read_table(tmp_path / "arrays.parquet"), pq.read_table(tmp_path / "table.parquet")
    assert got.schema.equals(expected.schema, check_metadata=True)
    # Every cell is filled but the 1619(b) threshold's (none outside SSI): the file says so, and
    # Parquet then stores no record of which cells are empty (a tenth of the writing time).
    assert [field.name for field in got.schema if field.nullable] == ["medicaid_1619b_threshold"]
    assert got.column("medicaid_1619b_threshold").null_count > 0
    assert got.equals(expected)
    assert got.num_rows == 260 * 30
    # The outcomes are the beneficiary level's, exactly (the same sums of the engine's arrays,
    # whatever the level); summed from the table they may differ in the last cent of a total
    # (floating-point sums in another order), as test_caseload_arrays.py allows.
    beneficiary_level = run_scenario(caseload, scenario, batch_size=70)
    pd.testing.assert_frame_equal(fast.outcomes, beneficiary_level.outcomes, check_exact=True)
    pd.testing.assert_frame_equal(fast.outcomes, slow.outcomes)
    pd.testing.assert_frame_equal(fast.summary.table(), slow.summary.table())


def test_batch_size_does_not_change_outcomes():
    caseload = generate_caseload(300, SPEC, seed=9)
    scenario = load_scenario("bond_offset")
    figures = scenario.thresholds()
    one = outcomes_by_arrays(caseload, scenario, figures, batch_size=10_000)
    many = outcomes_by_arrays(caseload, scenario, figures, batch_size=37)
    pd.testing.assert_frame_equal(one, many, check_exact=True)


def test_amounts_alone_are_the_schedules_amounts():
    th = Thresholds.default()
    rng = np.random.default_rng(3)
    n, months = 400, 48
    index = pd.period_range("2025-01", periods=months, freq="M")
    gross = np.asfortranarray(rng.choice([0.0, 800.0, 1300.0, 1800.0, 2500.0], size=(n, months)))
    twl = np.broadcast_to(th.series("twl", index)[0], (n, months))
    sga = np.broadcast_to(th.series("sga_non_blind", index)[0], (n, months))
    outcome = np.asfortranarray((rng.random((n, months)) < 0.3) & (gross > sga))
    args = (index, gross, twl, sga, outcome, rng.random(n) < 0.3, rng.integers(-5, months + 2, n))
    full = schedule(*args, thresholds=th)
    alone = schedule(*args, thresholds=th, columns=("amount",))
    assert list(alone) == ["amount"]
    assert np.array_equal(alone["amount"], full["amount"]) and (full["amount"] > 0).any()


def test_a_piece_failing_on_the_writing_thread_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "results.parquet"
    path.write_bytes(b"the old results")
    frame = pd.DataFrame({"id": ["a", "b"], "value": [1.0, 2.0]})
    calls = []

    def failing(self, table, *args, **kwargs):
        calls.append(table.num_rows)
        if len(calls) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        with TableWriter(path) as writer:
            for _ in range(3):
                writer.write(frame)
    assert path.read_bytes() == b"the old results"
    assert not [p for p in tmp_path.iterdir() if p.name != "results.parquet"]  # no temporary file left


def test_pieces_made_on_the_writing_thread_keep_their_order(tmp_path):
    """A piece given as a function is made by the writer's thread when it is idle, here
    otherwise; either way the file holds the pieces in the order given, and ``rows`` all of them."""
    import threading
    import time

    import pyarrow as pa

    made_on = []

    def piece(number):
        def make():
            made_on.append(threading.current_thread().name)
            return pa.table({"id": [f"{number}-a", f"{number}-b"], "value": [number, number + 0.5]})
        return make

    with TableWriter(tmp_path / "out.parquet") as writer:
        for number in range(40):
            writer.write(piece(float(number)))
            if number % 2:
                time.sleep(0.02)  # time for the writer's thread to finish its pieces: it is idle
    back = pd.read_parquet(tmp_path / "out.parquet")
    assert back["value"].tolist() == [v for n in range(40) for v in (float(n), n + 0.5)]
    assert writer.rows == 80
    assert made_on[0] == threading.current_thread().name  # the first piece sets the file's schema
    assert any(name.startswith("parquet") for name in made_on)  # the idle thread made some


def test_a_piece_failing_to_be_made_on_the_writing_thread_leaves_the_old_file(tmp_path):
    import pyarrow as pa

    path = tmp_path / "results.parquet"
    path.write_bytes(b"the old results")

    def broken():
        raise ValueError("no such column")

    with pytest.raises(ValueError, match="no such column"):
        with TableWriter(path) as writer:
            writer.write(lambda: pa.table({"value": [1.0]}))
            for _ in range(5):
                writer.write(broken)
    assert path.read_bytes() == b"the old results"
    assert not [p for p in tmp_path.iterdir() if p.name != "results.parquet"]

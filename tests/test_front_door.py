"""The engine's one front door (issue 16): generated plans and caseloads give the same engine
results through the old hand-written adapters and through ``rules.Inputs``.

The old adapters are kept as a frozen copy in ``tests/frozen_front_door.py``; they were
``simulate._plan_inputs`` (one plan), ``simulate._caseload_inputs`` with ``simulate_caseload``'s
grouping by start (a caseload) and ``caseload.arrays.simulate_arrays``'s own call of ``run`` (the
analyst array path). Every array ``run`` returns (the "why" detail
included) must be equal, cell for cell, for every beneficiary and month; the tables are made from
these arrays alone.
"""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import frozen_front_door as old
from iwp_widgets.caseload.arrays import simulate_arrays
from iwp_widgets.caseload.format import validate_caseload
from iwp_widgets.caseload.synthetic import SyntheticSpec, generate_caseload
from iwp_widgets.rules import PROGRAM_RANK, Inputs, run
from iwp_widgets.caseload.simulation import plans_to_caseload
from iwp_widgets.thresholds import Thresholds
from plan_strategies import plans

FIGURES = Thresholds.default()
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


def assert_same(expected: dict, got: dict, what: str) -> None:
    assert set(expected) == set(got), (what, set(expected) ^ set(got))
    for name, values in expected.items():
        assert np.array_equal(np.asarray(values), np.asarray(got[name]), equal_nan=True), (what, name)


def old_caseload_grids(frame: pd.DataFrame) -> dict:
    """The old caseload door: validate-and-convert in one adapter, one run per start."""
    starts, inputs = old._caseload_inputs(frame.reset_index(drop=True), FIGURES)
    grids = {}
    for start in np.unique(starts):
        group = np.flatnonzero(starts == start)
        rows = group[np.argsort(PROGRAM_RANK[inputs["benefits"][group]], kind="stable")]
        result = old.run_old(pd.Period(ordinal=int(start), freq="M"), thresholds=FIGURES,
                         **old._select(inputs, rows))
        _place(grids, rows, result, len(frame))
    return grids


def new_caseload_grids(frame: pd.DataFrame) -> dict:
    grids = {}
    for rows, inputs in Inputs.from_caseload(validate_caseload(frame, allow_extra=True), FIGURES):
        _place(grids, rows, run(inputs, FIGURES), len(frame))
    return grids


def _place(grids: dict, rows: np.ndarray, result: dict, n: int) -> None:
    for name, values in result.items():
        values = np.asarray(values)
        if name not in grids:
            grids[name] = np.zeros((n, values.shape[1]), values.dtype)
        grids[name][rows] = values


@SETTINGS
@given(plans())
def test_one_plan_through_both_doors(plan):
    before = old.run_old(plan.start, np.array([plan.earnings]), thresholds=FIGURES, detail=True,
                     **old._plan_inputs(plan, FIGURES))
    after = run(Inputs.from_plan(plan, FIGURES), FIGURES, detail=True)
    assert_same(before, after, plan.to_json())


@SETTINGS
@given(st.lists(plans(months=8), min_size=1, max_size=12))
def test_plans_as_a_caseload_through_both_doors(plan_list):
    """Several starts, TWP histories, months before the plan, per-month expenses."""
    frame = plans_to_caseload(plan_list)
    assert_same(old_caseload_grids(frame), new_caseload_grids(frame), "plans_to_caseload")


@SETTINGS
@given(st.integers(0, 2 ** 16), st.integers(1, 40), st.integers(1, 30),
       st.floats(0, 0.5), st.floats(0, 0.5), st.sampled_from(["2024-03", "2026-01", "2027-07"]))
def test_synthetic_caseloads_through_both_doors(seed, n, months, students, blind, start):
    frame = generate_caseload(n, SyntheticSpec(months=months, start=start, student_share=students,
                                               blind_share=blind), seed=seed)
    expected = old_caseload_grids(frame)
    assert_same(expected, new_caseload_grids(frame), "generate_caseload")
    # The analyst array path: the same engine arrays as its old call of the engine, and as the
    # table path.
    arrays = simulate_arrays(frame, FIGURES)
    assert_same(old.simulate_arrays(frame, FIGURES), {k: arrays[k] for k in expected}, "arrays")
    assert_same(expected, {k: arrays[k] for k in expected}, "arrays and table path")

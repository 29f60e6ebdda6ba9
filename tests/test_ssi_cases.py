"""The SSI worked examples in tests/cases/ssi_months.yaml, month by month.

One case per example: a plan, the columns expected for every month, and the source. Columns
that are not in ``simulate``'s table (``ssi_income_month``: which month's income paid the
month, relative to the plan's first month) come from the engine's detail arrays.
"""

from pathlib import Path

import numpy as np
import pytest
import yaml

from iwp_widgets import Plan, simulate
from iwp_widgets.simulate import _run_plan

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "ssi_months.yaml").read_text())


def case_plan(case: dict) -> Plan:
    profile = {"benefits": "ssi", **case.get("profile", {})}
    for key in ("ssi_since", "birth_month"):  # YAML reads 2026-02 as text, keep it so
        if key in profile:
            profile[key] = str(profile[key])
    return Plan.from_dict({
        "schema_version": 4, "start": str(case["start"]), "earnings": case["earnings"],
        "profile": profile, "options": case.get("options", {}),
        "work_expenses": case.get("work_expenses", {}),
    })


def test_every_case_names_its_source_and_expects_something():
    assert len(CASES) >= 20
    for case in CASES:
        assert case["source"].strip() and case["expect"], case["name"]
        for column, values in case["expect"].items():
            assert len(values) == len(case["earnings"]), (case["name"], column)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_ssi_worked_example(case):
    plan = case_plan(case)
    table = simulate(plan)
    detail = None
    for column, expected in case["expect"].items():
        if column in table:
            actual = table[column].to_numpy()
        else:
            detail = detail or _run_plan(plan, None)[0]
            actual = np.asarray(detail[column][0])
        if isinstance(expected[0], bool):
            assert actual.astype(bool).tolist() == expected, column
        else:
            np.testing.assert_allclose(actual.astype(float), expected, err_msg=column)

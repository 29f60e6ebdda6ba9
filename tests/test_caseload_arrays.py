"""The array path gives exactly the table path's outcomes, and refuses caseloads it cannot run."""

import pandas as pd
import pytest

from iwp_widgets import PlanError
from iwp_widgets.caseload import (SyntheticSpec, beneficiary_outcomes, generate_caseload, load_scenario,
                                  run_scenario, simulate_scenario)
from iwp_widgets.caseload.arrays import outcomes_by_arrays


@pytest.mark.parametrize("scenario", ["baseline", "bond_offset", "ssi_bigger_earned_exclusion", "job_loss_year2"])
def test_same_outcomes_as_the_table_path(scenario):
    caseload = generate_caseload(150, SyntheticSpec(months=36, student_share=0.2, blind_share=0.1), seed=12)
    scenario = load_scenario(scenario)
    fast = outcomes_by_arrays(caseload, scenario, scenario.thresholds())
    table = beneficiary_outcomes(simulate_scenario(caseload, scenario))  # via the monthly table
    pd.testing.assert_frame_equal(fast, table)
    assert (fast["en_payment"] > 0).any()  # tickets are assigned, so some ENs get paid


def test_history_and_monthly_columns_need_the_table_path():
    caseload = generate_caseload(5, SyntheticSpec(months=12), seed=1)
    scenario = load_scenario("baseline")
    with_history = caseload.assign(twp_completed=["2025-03", None, None, None, None])
    with pytest.raises(PlanError, match="^twp_completed: the array path"):
        outcomes_by_arrays(with_history, scenario, scenario.thresholds())
    with pytest.raises(PlanError, match="^start: the array path"):
        outcomes_by_arrays(caseload.assign(start=["2026-01"] * 4 + ["2026-02"]), scenario, scenario.thresholds())


def test_run_scenario_uses_the_table_path_when_it_must():
    caseload = generate_caseload(6, SyntheticSpec(months=24, benefit_mix={"ssdi": 1.0}), seed=2)
    caseload["twp_months_used"] = ["2025-10 2025-11 2025-12", "", "", "", "", ""]
    caseload.loc[0, [f"earnings_{t}" for t in range(24)]] = 1500.0  # above the TWL every month
    outcomes = run_scenario(caseload, "baseline").outcomes
    assert outcomes.iloc[0]["months_to_epe"] == 6  # 3 TWP months used before the start (20 CFR 404.1592)
    assert outcomes.equals(beneficiary_outcomes(simulate_scenario(caseload, "baseline")))

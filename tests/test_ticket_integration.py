"""The Ticket layer inside the plan and the engine: plan schema 2 (IWP model), simulate's EN columns.

Rules: 20 CFR §411.500 ff. (rules.md §6); plan contract (notes/plan_contract.md).
"""

import html
import json

import numpy as np
import pytest

import iwp_widgets as iwp
from iwp_widgets import PlanError
from iwp_widgets.plan import SCHEMA_VERSION
from iwp_widgets.caseload.simulation import plans_to_caseload, simulate_caseload
from iwp_widgets.ticket import IWP, en_payments


@pytest.fixture(scope="module")
def ramp():
    return iwp.Plan.example("ssdi_ramp_to_sga")


def test_v1_plan_with_a_free_dict_iwp_is_migrated(ramp):
    """Plan schema 1 kept ``iwp`` as a free dict; loading migrates it to the IWP model."""
    old = ramp.to_dict()
    old["schema_version"] = 1
    del old["earnings_path"]  # came with schema 3
    for key in ("ssi_since", "earnings_before", "unearned_before"):  # came with schema 4
        del old["profile"][key]
    old["iwp"] = {"goal": "Line cook", "services": "resume help; bus pass", "shift": "days"}
    plan = iwp.Plan.from_dict(old)
    assert plan.to_dict()["schema_version"] == SCHEMA_VERSION
    model = plan.iwp
    assert model.employment_goal == "Line cook"
    assert [s.kind for s in model.services] == ["resume_writing", "transportation"]
    assert model.notes == "shift: days"
    again = iwp.Plan.from_dict(json.loads(plan.to_json()))
    assert again == plan and again.to_dict() == plan.to_dict()


def test_plan_iwp_errors_name_the_field(ramp):
    data = ramp.to_dict()
    data["iwp"]["services"] = [{"kind": "job_search", "provider": 7}]
    with pytest.raises(PlanError, match=r"^iwp.services\[0\].provider:"):
        iwp.Plan.from_dict(data)


def test_a_plan_takes_an_iwp_model(ramp):
    model = IWP.from_dict({"version": 2, "employment_goal": "Baker"})
    plan = ramp.replace(iwp=model)
    assert plan.iwp == model and plan.to_dict()["iwp"]["employment_goal"] == "Baker"


def test_simulate_fills_en_payments_from_the_ticket_layer(ramp):
    """simulate(plan) = en_payments on the simulated table with the plan's profile and options."""
    table = iwp.simulate(ramp)
    expected = en_payments(table, "ssdi", ramp.profile.ticket_assigned, ramp.iwp)
    assert table["en_payment"].tolist() == expected["en_payment"].tolist()
    assert table["en_payment_type"].tolist() == expected["en_payment_type"].tolist()
    assert table["en_payment"].sum() > 0
    first = table.index[table["en_payment"] > 0][0]
    assert table.loc[first, "en_payment_type"] == "Phase 1 milestone 1"


def test_simulate_uses_the_iwp_look_back_and_options(ramp):
    """Earnings above the TWL in the month before assignment (§411.535) remove milestone 1; the
    outcome-only option pays outcome payments only (§411.525(a)(1))."""
    facts = ramp.iwp.to_dict()
    facts["ticket"]["earnings_before_assignment"] = [1500.0]
    table = iwp.simulate(ramp.replace(iwp=facts))
    assert "Phase 1 milestone 1" not in set(table["en_payment_type"])
    assert "Phase 1 milestone 2" in set(table["en_payment_type"])
    outcome_only = iwp.simulate(ramp.replace(options={"en_payment_system": "outcome_only"}))
    kinds = set(outcome_only["en_payment_type"]) - {""}
    assert kinds and all(k.startswith("Outcome payment") for k in kinds)


def test_federal_ssi_leaves_out_the_state_supplement():
    """Ticket rules look at federal SSI cash; the state supplement is paid last."""
    plan = iwp.Plan.example("ssi_student")
    data = plan.to_dict()
    data["profile"]["state_supplement"] = 100.0
    table = iwp.simulate(iwp.Plan.from_dict(data))
    expected = np.maximum(table["ssi_paid"] - 100.0, 0.0)
    assert np.allclose(table["ssi_federal_paid"], expected)


def test_caseload_en_payments_match_single_plans(ramp):
    """simulate_caseload fills en_payment with the same vectorised schedule as simulate."""
    plans = [ramp, ramp.replace(profile={"ticket_assigned": None})]
    out = simulate_caseload(plans_to_caseload(plans, ids=["with", "without"]))
    with_ticket = out[out["id"] == "with"]["en_payment"].to_numpy()
    assert with_ticket.tolist() == iwp.simulate(ramp)["en_payment"].tolist()
    assert out[out["id"] == "without"]["en_payment"].sum() == 0


# --- EN amounts of years whose rates were not found are shown as estimates (issue 18 item 7) ----
def test_carried_forward_en_amounts_read_estimate_in_the_print_and_the_lesson():
    """2009–2024 EN rates were not found (thresholds/en_*.csv, carried forward from 2008): every
    place that shows such an amount says "estimate"; the published 2025 rate does not."""
    from iwp_widgets.lessons import ticket_rules
    from iwp_widgets.report import EN_ESTIMATE_NOTE, build_worksheet, render_worksheet_html

    for year, estimate in ((2016, True), (2025, False)):
        profile = {"benefits": "ssdi", "ssdi_monthly": 1400.0, "ticket_assigned": f"{year}-01"}
        plan = iwp.Plan.from_dict({"schema_version": 1, "start": f"{year}-01", "earnings": [2000.0] * 3,
                                   "profile": profile})
        content = build_worksheet(plan, iwp.simulate(plan))  # the EN worksheet, not the beneficiary's copy
        rows = content.payments
        assert rows and all(("(estimate)" in dollars) is estimate for _, _, _, dollars in rows), rows
        assert (html.escape(EN_ESTIMATE_NOTE) in render_worksheet_html(content)) is estimate
        grade = ticket_rules.grade_first_payment("Phase 1 milestone", year, ticket_rules.default_work(year))
        assert ("estimate" in grade.explanation) is estimate, grade.explanation


def test_export_names_the_en_estimate_flag_and_does_not_format_it_as_money():
    """The monthly export shows which EN payments are estimates, as yes/no, not as dollars."""
    from iwp_widgets.exports import header_for, is_money_column, plain_table

    plan = iwp.Plan.from_dict({"schema_version": 1, "start": "2016-01", "earnings": [2000.0] * 2,
                               "profile": {"benefits": "ssdi", "ssdi_monthly": 1400.0,
                                           "ticket_assigned": "2016-01"}})
    header = header_for("en_payment_projected")
    assert "estimate" in header and not is_money_column("en_payment_projected")
    assert plain_table(iwp.simulate(plan))[header].iloc[0] == "yes"

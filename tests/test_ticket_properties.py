"""Properties of the Ticket layer on generated plans (hypothesis; issue 18).

* No outcome payment in a month when SSDI or SSI is unpaid for a reason other than earnings
  (20 CFR §411.500(b), §411.525(a)(1)): checked against the plan's own inputs, not the rule's code.
* A look-back exclusion whenever the plan's own months before assignment are above the TWL often
  enough (§411.535(a)(1)(ii)).
* The caseload path pays exactly what the single-plan path pays.
"""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iwp_widgets import Plan, simulate, simulate_caseload
from iwp_widgets.plan import Options
from iwp_widgets.caseload.simulation import plans_to_caseload
from iwp_widgets.thresholds import Thresholds

TH = Thresholds.default()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Phase 1 milestones: months needed and window (§411.525(a)(2)(i), the look-back's counts too).
MILESTONES = [(k, int(TH.value("en_phase1_required_months", "2026-01", key=str(k))),
               int(TH.value("en_phase1_window_months", "2026-01", key=str(k)))) for k in range(1, 5)]


@st.composite
def ticket_plans(draw):
    months = draw(st.integers(min_value=2, max_value=30))
    start = pd.Period("2024-01", "M") + draw(st.integers(min_value=0, max_value=30))
    benefits = draw(st.sampled_from(["ssdi", "ssi", "concurrent"]))
    profile = {
        "benefits": benefits, "blind": draw(st.booleans()),
        "ssdi_monthly": 0.0 if benefits == "ssi" else draw(st.sampled_from([300.0, 900.0, 1600.0])),
        "state": "CA", "ssi_unit": draw(st.sampled_from(["individual", "couple"])),
        # Some amounts alone reach the FBR + $20 (individual or couple): SSI unpaid without work.
        "unearned_income": draw(st.sampled_from([0.0, 250.0, 1100.0, 1600.0])),
        "ticket_assigned": str(start + draw(st.integers(min_value=-3, max_value=months - 1))),
    }
    if benefits != "ssi" and draw(st.booleans()):  # TWP already over, sometimes long ago
        profile["twp_completed"] = str(start - draw(st.integers(min_value=1, max_value=60)))
    level = st.sampled_from([0.0, 600.0, 1150.0, 1250.0, 1800.0, 3200.0])
    return Plan.from_dict({
        "schema_version": 1, "start": str(start),
        "earnings": draw(st.lists(level, min_size=months, max_size=months)),
        "profile": profile,
        "options": {"ssi_accounting": draw(st.sampled_from(["retrospective", "same_month"])),
                    "en_payment_system": draw(st.sampled_from(["milestone_outcome", "outcome_only"]))},
    })


@SETTINGS
@given(ticket_plans())
def test_no_outcome_month_when_cash_stops_for_another_reason(plan):
    table = simulate(plan)
    profile = plan.profile
    outcome = table["en_payment_type"].str.contains("Outcome payment").to_numpy()
    fbr = "ssi_fbr_couple" if profile.ssi_unit == "couple" else "ssi_fbr_individual"
    for month in table.index[outcome]:
        row = table.loc[month]
        assert row["ssdi_paid"] == 0 and row["ssi_federal_paid"] == 0, month
        assert row["gross_earnings"] > 0, month
        if profile.benefits != "ssi":  # SSDI unpaid because of work: gross above SGA
            assert row["gross_earnings"] > row["sga"], month
        if profile.benefits != "ssdi":  # SSI unpaid because of earnings, not unearned income alone
            limit = TH.value(fbr, month) + TH.value("ssi_general_exclusion", month)
            assert profile.unearned_income < limit, month


@SETTINGS
@given(ticket_plans())
def test_plan_months_before_assignment_above_the_twl_exclude_milestones(plan):
    table = simulate(plan.replace(options=Options(en_payment_system="milestone_outcome")))
    assigned = pd.Period(plan.profile.ticket_assigned, freq="M")
    paid = set(table["en_payment_type"])
    for number, need, window in MILESTONES:
        before = [m for m in pd.period_range(end=assigned - 1, periods=window, freq="M") if m in table.index]
        above = sum(table.loc[m, "gross_earnings"] > table.loc[m, "twl"] for m in before)
        if above >= need:
            assert f"Phase 1 milestone {number}" not in paid, (number, before)


@SETTINGS
@given(st.lists(ticket_plans(), min_size=1, max_size=4))
def test_caseload_pays_what_each_plan_pays(plans):
    months = plans[0].months  # a caseload has one length; starts and tickets may differ
    plans = [p.replace(earnings=(list(p.earnings) * months)[:months]) for p in plans]
    rows = simulate_caseload(plans_to_caseload(plans))
    for i, plan in enumerate(plans):
        got = rows.loc[rows["id"] == i, "en_payment"].to_numpy()
        assert np.array_equal(got, simulate(plan)["en_payment"].to_numpy()), i


@st.composite
def schedule_inputs(draw):
    """Arguments of ``payments.schedule`` for a few beneficiaries: earnings around the TWL and SGA,
    outcome months, assignment before, inside or after the months, look-back exclusions, services
    still going, both payment systems and every rule option; some paths start before July 2008."""
    n = draw(st.integers(min_value=1, max_value=6))
    months = draw(st.integers(min_value=1, max_value=72))
    start = pd.Period("2007-10", "M") + draw(st.integers(min_value=0, max_value=240))
    cells = st.lists(st.sampled_from([0.0, 600.0, 1160.0, 1300.0, 1690.0, 1800.0, 3000.0]),
                     min_size=n * months, max_size=n * months)
    gross = np.array(draw(cells)).reshape(n, months)
    stopped = np.array(draw(st.lists(st.booleans(), min_size=n * months, max_size=n * months)))
    outcome = stopped.reshape(n, months) & (gross > 0)
    flags = st.lists(st.booleans(), min_size=n, max_size=n)
    indexes = st.lists(st.integers(min_value=-20, max_value=months + 2), min_size=n, max_size=n)
    available = draw(st.none() | st.lists(st.booleans(), min_size=4 * n, max_size=4 * n))
    p4_from = draw(st.none() | indexes)
    options = {name: draw(st.sampled_from(values)) for name, values in (
        ("system", ["milestone_outcome", "outcome_only"]), ("p1m1_rule", ["en_guidance", "regulation"]),
        ("phase2_rule", ["regulation", "en_guidance"]), ("p1m4_rule", ["regulation", "common_window"]))}
    return ((pd.period_range(start, periods=months, freq="M"), gross, np.full((n, months), 1160.0),
             np.full((n, months), 1690.0), outcome, np.array(draw(flags)), np.array(draw(indexes)),
             None if available is None else np.array(available).reshape(n, 4),
             None if p4_from is None else np.array(p4_from)), options)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedule_inputs())
def test_schedule_matches_the_month_by_month_loop(case):
    """The schedule computed with whole-array steps pays exactly what the month-by-month loop it
    replaced pays: every amount, kind, number, reconciliation and projected flag."""
    from iwp_widgets.ticket.payments import schedule
    from ticket_schedule_by_month import schedule_by_month

    args, options = case
    fast = schedule(*args, thresholds=TH, **options)
    slow = schedule_by_month(*args, thresholds=TH, **options)
    for key in slow:
        assert np.array_equal(fast[key], slow[key]), key

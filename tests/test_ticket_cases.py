"""The Ticket rules as a table of cases: inputs, the months and results expected, and the rule cited.

One test reads every row (issue 18). A row is either a plan run through ``simulate`` (SSDI rows, and
SSI rows whose SSI months do not depend on the accounting lag: the same income every month) or a
table written out month by month (``table``), which states the SSI months explicitly. Expected:

* ``payments``: month → the EN payment type of that month ("" = no payment);
* ``never``: payment types that must not occur in any month;
* ``outcome_months``: every month the outcome rule (``ticket.outcome``) counts;
* ``progress``: progress period → (result, months counted toward its work test).

Figures: TWL 2023 $1,050, 2024 $1,110, 2025 $1,160, 2026 $1,210; non-blind SGA 2026 $1,690, blind
$2,830; FBR 2026 $994 (thresholds/).
"""

import numpy as np
import pandas as pd
import pytest

from iwp_widgets.plan import Options, Plan, Profile
from iwp_widgets.simulate import simulate
from iwp_widgets.ticket import IWP, en_payments, progress_reviews, table_outcome_months

SSDI = {"benefits": "ssdi", "ssdi_monthly": 1400.0}
SSI = {"benefits": "ssi", "state": "CA"}


def months_from(start, count):
    return [str(m) for m in pd.period_range(start, periods=count, freq="M")]


CASES = [
    {
        "name": "look-back: the plan's own month before assignment above the TWL (issue 18 item 1)",
        "citation": "20 CFR §411.535(a)(1)(ii)",
        "plan": {"start": "2023-11", "earnings": [1200.0, 1700.0],
                 "profile": {**SSDI, "ticket_assigned": "2023-12"}},
        # November's $1,200 is more than the $1,050 TWL: no Phase 1 milestone 1, so December pays nothing.
        "payments": {"2023-11": "", "2023-12": ""},
        "never": ["Phase 1 milestone 1"],
    },
    {
        "name": "look-back: plan months and earnings_before_assignment together",
        "citation": "20 CFR §411.535(a)(1)(ii); §411.525(a)(2)(i)",
        # Assigned 2024-03. The 6 months before: 2023-12 $1,200 (listed), Jan and Feb 2024 $1,200 (the
        # plan's own; the listed $0 for them give way to the plan) → 3 of 6 above the TWL: no milestone
        # 1 (February above) and no milestone 2. Milestones 3 and 4 count months from assignment.
        "plan": {"start": "2024-01", "earnings": [1200.0, 1200.0] + [1300.0] * 12,
                 "profile": {**SSDI, "ticket_assigned": "2024-03"},
                 "iwp": {"version": 2, "ticket": {"earnings_before_assignment": [1200.0, 0.0, 0.0]}}},
        "payments": {"2024-03": "", "2024-05": "", "2024-08": "Phase 1 milestone 3",
                     "2024-11": "Phase 1 milestone 4"},
        "never": ["Phase 1 milestone 1", "Phase 1 milestone 2"],
    },
    {
        "name": "look-back: months before the plan listed, the plan's own months at $0",
        "citation": "20 CFR §411.535(a)(1)(ii)",
        "plan": {"start": "2026-01", "earnings": [1300.0] * 3,
                 "profile": {**SSDI, "ticket_assigned": "2026-01"},
                 "iwp": {"version": 2, "ticket": {"earnings_before_assignment": [1200.0]}}},
        "payments": {"2026-01": "", "2026-03": "Phase 1 milestone 2"},
        "never": ["Phase 1 milestone 1"],
    },
    {
        "name": "progress period 5 counts months whose earnings stop SSDI (issue 18 item 2)",
        "citation": "20 CFR §411.180(c)(5); §411.525(a)(1)(ii)(A)",
        # TWP ended 2019-12, EPE to 2022-12, cessation 2020-06; $3,000 in 2026-01 ends entitlement
        # (first SGA month after the EPE); the $500 months after termination stop nothing.
        "plan": {"start": "2026-01", "earnings": [3000.0] + [500.0] * 12,
                 "profile": {**SSDI, "twp_completed": "2019-12", "ssdi_cessation_month": "2020-06",
                             "ticket_assigned": "2021-12"}},
        "outcome_months": ["2026-01"],
        "progress": {4: ("not known", 0), 5: ("not met", 1), 6: ("not finished", 0)},
    },
    {
        "name": "SSI only: unearned income alone at or above FBR + $20 leaves no outcome month "
                "(issue 18 item 3)",
        "citation": "20 CFR §411.500(b); §411.525(a)(1)(i)",
        # $1,100 of unearned income (≥ $994 + $20) stops SSI whatever the earnings, every month.
        "plan": {"start": "2026-01", "earnings": [1300.0] * 6,
                 "profile": {**SSI, "unearned_income": 1100.0, "ticket_assigned": "2026-01"}},
        "outcome_months": [],
        "payments": {"2026-01": "Phase 1 milestone 1"},
        "never": ["Outcome payment 1"],
    },
    {
        "name": "SSI only: earnings alone stop SSI, every month an outcome month",
        "citation": "20 CFR §411.500(b); §411.525(a)(1)(i)",
        # $3,000 a month: countable (3,000 − 20 − 65) / 2 = $1,457.50 > $994 in every month (any lag).
        "plan": {"start": "2026-01", "earnings": [3000.0] * 4,
                 "profile": {**SSI, "ticket_assigned": "2026-01"}},
        "outcome_months": months_from("2026-01", 4),
        "payments": {"2026-01": "Outcome payment 1", "2026-04": "Outcome payment 4"},
    },
    {
        "name": "SSI only, months written out: SSI unpaid by earnings vs by unearned income",
        "citation": "20 CFR §411.500(b); §411.525(a)(1)(i)",
        # ssi_breakeven $0: unearned income alone leaves no SSI (not earnings); above $0: it would.
        "table": {"start": "2026-01", "gross_earnings": [800.0, 800.0, 800.0, 0.0],
                  "ssi_paid": [0.0, 0.0, 200.0, 0.0], "ssi_breakeven": [0.0, 1200.0, 1200.0, 1200.0]},
        "benefits": "ssi",
        "outcome_months": ["2026-02"],
    },
    {
        "name": "concurrent, months written out: SSDI suspended for SGA but SSI unpaid because of "
                "unearned income",
        "citation": "20 CFR §411.500(b); §411.525(a)(1)",
        "table": {"start": "2026-01", "gross_earnings": [2000.0, 2000.0],
                  "ssdi_paid": [0.0, 0.0], "ssi_paid": [0.0, 0.0], "ssi_breakeven": [0.0, 900.0]},
        "benefits": "concurrent",
        "outcome_months": ["2026-02"],
    },
    {
        "name": "a progress period before the plan that the unknown months cannot rescue "
                "(issue 18 item 4)",
        "citation": "20 CFR §411.180(c)(2)",
        # Period 1: 2023-09..2024-08 (all before the plan); period 2: 2024-09..2025-08, 5 months
        # before the plan and 7 at $0: at most 5 of the 6 months needed.
        "plan": {"start": "2025-02", "earnings": [0.0] * 7,
                 "profile": {**SSDI, "ticket_assigned": "2023-08"}},
        "progress": {1: ("not known", 0), 2: ("not met", 0)},
    },
    {
        "name": "a progress period before the plan that the unknown months could still meet",
        "citation": "20 CFR §411.180(c)(2)",
        # Period 2: 2024-08..2025-07, 6 months before the plan: all six could have been at the TWL.
        "plan": {"start": "2025-02", "earnings": [0.0] * 6,
                 "profile": {**SSDI, "ticket_assigned": "2023-07"}},
        "progress": {2: ("not known", 0)},
    },
    {
        "name": "a progress period before the plan met by the months shown",
        "citation": "20 CFR §411.180(c)(2)",
        "plan": {"start": "2025-02", "earnings": [1300.0] * 7,
                 "profile": {**SSDI, "ticket_assigned": "2023-08"}},
        "progress": {2: ("met", 7)},
    },
    {
        "name": "blind, Title II: Phase 2 on the non-blind SGA amount (regulation, the default) "
                "(issue 18 item 5)",
        "citation": "20 CFR §411.500(f)(2); §411.525(a)(2)(ii); §404.1574(b)(2)",
        # $2,000: more than the non-blind $1,690, less than the blind $2,830. SSDI continues (TWP).
        "plan": {"start": "2026-01", "earnings": [2000.0] * 10,
                 "profile": {**SSDI, "blind": True, "ticket_assigned": "2026-01"}},
        "payments": {"2026-09": "Phase 1 milestone 4", "2026-10": "Phase 2 milestone 1"},
    },
    {
        "name": "blind, Title II: Phase 2 on the blind SGA amount (option en_guidance)",
        "citation": "SSA Your Ticket to Work, Phase 2 Milestone Payments (blind SGA listed)",
        "plan": {"start": "2026-01", "earnings": [2000.0] * 10,
                 "profile": {**SSDI, "blind": True, "ticket_assigned": "2026-01"},
                 "options": {"phase2_blind_rule": "en_guidance"}},
        "payments": {"2026-09": "Phase 1 milestone 4", "2026-10": ""},
        "never": ["Phase 2 milestone 1"],
    },
    {
        "name": "blind, SSI only (months written out): the same non-blind amount as Title II",
        "citation": "20 CFR §411.500(f)(2); §411.525(a)(2)(ii)",
        "table": {"start": "2026-01", "gross_earnings": [2000.0] * 10, "ssi_paid": [100.0] * 10,
                  "ssi_breakeven": [2100.0] * 10},
        "benefits": "ssi", "blind": True,
        "payments": {"2026-10": "Phase 2 milestone 1"},
    },
    {
        "name": "blind, SSI only (months written out): the blind amount under en_guidance",
        "citation": "SSA Your Ticket to Work, Phase 2 Milestone Payments (blind SGA listed)",
        "table": {"start": "2026-01", "gross_earnings": [2000.0] * 10, "ssi_paid": [100.0] * 10,
                  "ssi_breakeven": [2100.0] * 10},
        "benefits": "ssi", "blind": True, "options": {"phase2_blind_rule": "en_guidance"},
        "never": ["Phase 2 milestone 1"],
    },
    {
        "name": "milestone 4: 9 months within an 18-month period, services completed later "
                "(regulation, the default) (issue 18 item 6)",
        "citation": "20 CFR §411.525(a)(2)(i)",
        # 2026-01..2026-09 at $1,300, then $0; services completed 2027-08: the window ending there
        # (2026-03..2027-08) holds only 7 of the months, but the 9 months were within 18.
        "plan": {"start": "2026-01", "earnings": [1300.0] * 9 + [0.0] * 15,
                 "profile": {**SSDI, "ticket_assigned": "2026-01"},
                 "iwp": {"version": 2, "ticket": {"en_substantially_completed_services": "2027-08"}}},
        "payments": {"2026-09": "", "2027-08": "Phase 1 milestone 4"},
    },
    {
        "name": "milestone 4: the common-window reading (option common_window)",
        "citation": "20 CFR §411.525(a)(2)(i), read with one 18-month window",
        "plan": {"start": "2026-01", "earnings": [1300.0] * 9 + [0.0] * 15,
                 "profile": {**SSDI, "ticket_assigned": "2026-01"},
                 "options": {"p1m4_rule": "common_window"},
                 "iwp": {"version": 2, "ticket": {"en_substantially_completed_services": "2027-08"}}},
        "never": ["Phase 1 milestone 4"],
    },
]


def _run(case):
    """(table, payments frame, benefits, iwp) for one case."""
    if "plan" in case:
        spec = case["plan"]
        plan = Plan(start=spec["start"], earnings=spec["earnings"], profile=Profile(**spec["profile"]),
                    options=Options(**spec.get("options", {})), iwp=spec.get("iwp", {}))
        table = simulate(plan)
        return table, table, plan.profile.benefits, plan.iwp, plan.profile.ticket_assigned
    spec = dict(case["table"])
    months = pd.period_range(spec.pop("start"), periods=len(spec["gross_earnings"]), freq="M")
    table = pd.DataFrame({"twl": 1210.0, "sga": 1690.0, "ssdi_paid": 0.0, "ssi_paid": 0.0,
                          **{k: np.asarray(v, dtype=float) for k, v in spec.items()}}, index=months)
    options = case.get("options", {})
    payments = en_payments(table, case["benefits"], str(months[0]), blind=case.get("blind", False),
                           **options)
    return table, payments, case["benefits"], IWP(), str(months[0])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_ticket_case(case):
    table, payments, benefits, iwp, assigned = _run(case)
    where = f"{case['name']} ({case['citation']})"
    types = payments["en_payment_type"].astype(str)
    for month, expected in case.get("payments", {}).items():
        assert types.loc[month] == expected, f"{where}: {month}"
    for kind in case.get("never", []):
        assert not (types == kind).any(), f"{where}: {kind} paid in {list(types[types == kind].index)}"
    if "outcome_months" in case:
        outcome = table_outcome_months(table, benefits)
        assert [str(m) for m in table.index[outcome]] == case["outcome_months"], where
    if "progress" in case:
        reviews = progress_reviews(table, iwp, assigned, benefits=benefits)
        for period, (result, work_months) in case["progress"].items():
            row = reviews.loc[period]
            assert (row["result"], row["work_months"]) == (result, work_months), \
                f"{where}: period {period}: {row['reason']}"
            assert (row["passed"] is True) == (result == "met")
            assert (row["passed"] is False) == (result == "not met")

"""One plan in, a monthly table out.

``simulate(plan)`` returns one row per month with the columns below and a plain-language
``why``: the plan becomes the engine's input value (``rules.Inputs.from_plan``), the array core
(:func:`iwp_widgets.rules.run`) runs it with the program figures, the Ticket layer adds EN payments.

Table columns (``simulate``; index ``month``, pandas Period[M]):

=========================  ===================================================================
gross_earnings             earnings entered for the month (net earnings if self-employed)
countable_earnings         for the SSDI SGA test: gross − IRWE − subsidy (not below 0)
twl, sga                   Trial Work Level; SGA level (blind SGA if blind) of the month
twp_month                  this month is a Trial Work Period service month
twp_months_used            TWP months in the last 60 months (9 once the TWP is over)
ssdi_status                none, twp, epe, cessation, grace, suspended, terminated, offset
epe_month                  inside the 36-month re-entitlement period
epe_month_number           which month of it (1 = the month after the TWP ended; 0 outside it),
                           also when the TWP ended before the plan starts
ssdi_paid                  SSDI paid for the month
exr_window                 inside the 60 months to ask for Expedited Reinstatement
medicare                   Medicare continues (SSDI; 93 months after the TWP once terminated)
medicaid                   Medicaid of the month: "ssi" (an eligible SSI month, 1619(a) included:
                           Medicaid as an SSI recipient, 20 CFR 416.261-262), "1619b" (Medicaid
                           continues under Section 1619(b) with no SSI cash) or "none"
ssi_countable_income       SSI countable income of the month itself (eligibility is decided on it)
ssi_eligible               an eligible SSI month: its own countable income is below FBR + state
                           supplement (20 CFR 416.420); the amount may still be $0 when it comes
                           from an earlier month's income
ssi_limit                  FBR + state supplement: SSI with no countable income, and the limit
                           countable income must stay below (single plan only)
ssi_paid                   SSI paid for the month (federal + state supplement), from the income
                           of the month, the month before or two months before (20 CFR 416.420)
ssi_federal_paid           federal SSI cash: ssi_paid less the state supplement (paid last)
ssi_1619a                  SSI cash paid with earnings above SGA (Section 1619(a))
medicaid_1619b             Medicaid continues under Section 1619(b) with no SSI cash
medicaid_1619b_threshold   the state's charted 1619(b) threshold (NaN: none on file)
ssi_breakeven              gross earnings at which SSI would reach 0 this month
seie_excluded, seie_left   student earned income exclusion taken off this month, and what is left
                           of the year's limit after it (single plan only; 0 when not a student)
unearned_income            other unearned income (not SSDI)
total_income               gross_earnings + ssdi_paid + ssi_paid + unearned_income
en_payment, en_payment_type  Employment Network payment and its type, e.g. "Phase 1 milestone 2"
                           (the Ticket layer, docs/ticket.md)
en_payment_projected       the EN payment uses a carried-forward amount
en_reconciliation          the part of en_payment that is a reconciliation payment
projected                  a figure not published yet was used (projected, see docs/engine.md)
why                        plain-language reasons with citations
=========================  ===================================================================

The caseload half (``simulate_caseload``, ``plans_to_caseload``) is in
:mod:`iwp_widgets.caseload.simulation`; both go through the engine's one front door,
:class:`iwp_widgets.rules.Inputs` (a plan is a caseload of one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import PlanError
from .plan import EXPENSE_FIELDS, Plan
from .rules import STATUS_NAMES, Inputs, run
from .rules.figures import projection_note
from .rules.why import explain
from .thresholds import Thresholds
from .ticket.outcome import federal_ssi, outcome_months, programs
from .ticket.payments import path_payments

# pandas' "str" dtype kept in Python objects: a 36-month column is built three times faster than
# with Arrow storage, and it compares, concatenates and prints as any other "str" column.
TEXT = pd.StringDtype("python", na_value=np.nan)

TABLE_COLUMNS = ("gross_earnings", "countable_earnings", "twl", "sga", "twp_month",
                 "twp_months_used", "ssdi_status", "epe_month", "ssdi_paid", "exr_window",
                 "medicare", "medicaid", "ssi_countable_income", "ssi_eligible", "ssi_paid", "ssi_1619a",
                 "medicaid_1619b", "medicaid_1619b_threshold", "ssi_breakeven", "unearned_income", "total_income",
                 "en_payment", "en_payment_type", "projected")


def _run_plan(plan: Plan, thresholds: Thresholds | None) -> tuple[dict, Thresholds]:
    """The array core on one plan, with the detail arrays (the engine's intermediate steps)."""
    if not isinstance(plan, Plan):
        raise PlanError(f"plan: must be a Plan, got {type(plan).__name__}")
    thresholds = thresholds or Thresholds.default()
    return run(Inputs.from_plan(plan, thresholds), thresholds, detail=True), thresholds


def simulate(plan: Plan, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The month-by-month table for one plan (columns in the module docstring)."""
    result, thresholds = _run_plan(plan, thresholds)
    months, profile = plan.month_index, plan.profile
    columns = {}  # built in the table's order and made into a frame once (inserts cost more than the rules)
    for name in TABLE_COLUMNS:
        if name == "ssdi_status":
            columns[name] = pd.array([STATUS_NAMES[c] for c in result[name][0]], dtype=TEXT)
        elif name == "unearned_income":
            columns[name] = np.full(plan.months, profile.unearned_income)
        elif name == "en_payment":
            columns.update(_en_payment_columns(result, plan, thresholds))
        elif name == "en_payment_type":
            continue  # with en_payment
        elif name == "medicaid":
            columns[name] = pd.array(medicaid_coverage(result["ssi_eligible"][0],
                                                       result["medicaid_1619b"][0]), dtype=TEXT)
        else:
            columns[name] = np.array(result[name][0])
        if name == "epe_month":
            columns["epe_month_number"] = _epe_month_numbers(result["epe_month"][0], result["twp_end"][0])
        elif name == "ssi_eligible":
            columns["ssi_limit"] = result["ssi_limit"][0]
        elif name == "ssi_paid":
            # SSI without the state supplement, which is paid last: the Ticket rules read federal SSI cash.
            columns["ssi_federal_paid"] = federal_ssi(columns["ssi_paid"], profile.state_supplement)
        elif name == "ssi_breakeven":
            columns["seie_excluded"], columns["seie_left"] = result["seie_excluded"][0], result["seie_left"][0]
    for key in EXPENSE_FIELDS:
        result[key] = np.array([plan.work_expenses.monthly(key, plan.months)])
    columns["why"] = pd.array(explain(
        result, months, benefits=profile.benefits, ssdi_monthly=profile.ssdi_monthly,
        state=profile.state, state_supplement=profile.state_supplement,
        blind=profile.blind, same_month=plan.options.ssi_accounting == "same_month",
        projection_note=projection_note(thresholds, ssdi=profile.benefits != "ssi",
                                        ssi=profile.benefits != "ssdi")),
        dtype=TEXT)
    return pd.DataFrame(columns, index=months, copy=False)



def medicaid_coverage(ssi_eligible: np.ndarray, medicaid_1619b: np.ndarray) -> np.ndarray:
    """Medicaid each month: "ssi" in an eligible SSI month (paid $0 or not; 1619(a) months are
    SSI months too, 20 CFR 416.261-262), "1619b" when it continues under Section 1619(b), else
    "none". The two flags never hold together: a 1619(b) month is not an eligible month."""
    return np.where(ssi_eligible, "ssi", np.where(medicaid_1619b, "1619b", "none"))


# The SSI earned-income steps in legal order (20 CFR 416.1112(c)) and the engine's detail array
# holding what each took off.
SSI_EARNED_STEPS = {"seie": "seie_excluded", "general": "excluded_general", "earned": "excluded_65",
                    "irwe": "excluded_irwe", "half": "excluded_half", "bwe": "excluded_bwe",
                    "pass": "excluded_pass"}


def ssi_earned_income_steps(plan: Plan, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """What each step of the SSI earned-income calculation took off, month by month.

    Columns in legal order (20 CFR 416.1112(c)): ``seie`` (student earned income exclusion),
    ``general`` (the part of the $20 general exclusion unearned income left unused), ``earned``
    (the $65), ``irwe``, ``half`` (one half of the rest), ``bwe``, ``pass``; then
    ``countable_earned``, what is left. Gross earnings minus the steps is the countable earned
    income, as ``simulate`` uses it. All zero in months without SSI rules (SSDI-only plans).
    """
    result, _ = _run_plan(plan, thresholds)
    columns = {step: result[name][0] for step, name in SSI_EARNED_STEPS.items()}
    columns["countable_earned"] = result["ssi_countable_earned"][0]
    return pd.DataFrame(columns, index=plan.month_index)


def _epe_month_numbers(in_epe: np.ndarray, twp_end: np.ndarray) -> np.ndarray:
    """Month k of the re-entitlement period is the k-th month after the TWP's last month
    (20 CFR 404.1592a(b)(2)); ``twp_end`` is that month's index, negative when it came before
    the plan (from the BPQY history)."""
    number = np.arange(len(in_epe)) - twp_end
    return np.where(in_epe, number, 0).astype(np.int16)


def _en_payment_columns(result: dict, plan: Plan, thresholds: Thresholds) -> dict:
    """``en_payment``, ``en_payment_type``, ``en_payment_projected`` and ``en_reconciliation`` from
    the Ticket layer (docs/ticket.md), on the engine's arrays; outcome months by its one rule."""
    profile, options = plan.profile, plan.options
    gross, sga = result["gross_earnings"], result["sga"]
    takes_ssdi, takes_ssi = programs(profile.benefits)
    federal = federal_ssi(result["ssi_paid"], profile.state_supplement)
    outcome = outcome_months(gross, sga, result["ssdi_paid"], federal, np.asarray(result["ssi_breakeven"]) > 0,
                             takes_ssdi, takes_ssi)[0]
    return path_payments(plan.month_index, gross[0], result["twl"][0], sga[0], outcome, profile.benefits,
                         profile.ticket_assigned, plan.iwp, system=options.en_payment_system,
                         p1m1_rule=options.p1m1_rule, phase2_blind_rule=options.phase2_blind_rule,
                         p1m4_rule=options.p1m4_rule, blind=profile.blind, thresholds=thresholds)

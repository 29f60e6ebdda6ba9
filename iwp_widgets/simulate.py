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
from .ticket.outcome import federal_ssi
from .ticket.payments import en_payments

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
    months = plan.month_index
    columns = {}
    for name in TABLE_COLUMNS:
        if name == "ssdi_status":
            columns[name] = pd.array([STATUS_NAMES[c] for c in result[name][0]], dtype="str")
        elif name == "unearned_income":
            columns[name] = np.full(plan.months, plan.profile.unearned_income)
        elif name == "en_payment":
            # Filled by the Ticket layer (issue 4): Employment Network milestone/outcome payments.
            columns[name] = np.zeros(plan.months)
        elif name == "en_payment_type":
            columns[name] = pd.array([""] * plan.months, dtype="str")
        elif name == "medicaid":
            columns[name] = pd.array(medicaid_coverage(result["ssi_eligible"][0],
                                                       result["medicaid_1619b"][0]), dtype="str")
        else:
            columns[name] = np.array(result[name][0])
    table = pd.DataFrame(columns, index=months)
    table.insert(table.columns.get_loc("epe_month") + 1, "epe_month_number",
                 _epe_month_numbers(result["epe_month"][0], result["twp_end"][0]))
    table.insert(table.columns.get_loc("ssi_paid"), "ssi_limit", result["ssi_limit"][0])
    for name in ("seie_excluded", "seie_left"):
        table.insert(table.columns.get_loc("ssi_breakeven") + 1 + (name == "seie_left"), name,
                     result[name][0])
    _add_en_payments(table, plan, thresholds)
    for key in EXPENSE_FIELDS:
        result[key] = np.array([plan.work_expenses.monthly(key, plan.months)])
    table["why"] = pd.array(explain(
        result, months, benefits=plan.profile.benefits, ssdi_monthly=plan.profile.ssdi_monthly,
        state=plan.profile.state, state_supplement=plan.profile.state_supplement,
        blind=plan.profile.blind, same_month=plan.options.ssi_accounting == "same_month",
        projection_note=projection_note(thresholds, ssdi=plan.profile.benefits != "ssi",
                                        ssi=plan.profile.benefits != "ssdi")),
        dtype="str")
    return table


# The medicaid column's codes in words, for the export and the print.
MEDICAID_WORDS = {"ssi": "yes, as an SSI recipient", "1619b": "yes, under Section 1619(b)",
                  "none": "no"}


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


def _add_en_payments(table: pd.DataFrame, plan: Plan, thresholds: Thresholds) -> None:
    """Fill ``en_payment`` / ``en_payment_type`` from the Ticket layer (docs/ticket.md).

    Also adds ``ssi_federal_paid`` (SSI without the state supplement, which is paid last; the
    Ticket rules look at federal SSI cash only), ``en_payment_projected`` and ``en_reconciliation``.
    """
    federal = federal_ssi(table["ssi_paid"].to_numpy(), plan.profile.state_supplement)
    table.insert(table.columns.get_loc("ssi_paid") + 1, "ssi_federal_paid", federal)
    payments = en_payments(table, plan.profile.benefits, plan.profile.ticket_assigned, plan.iwp_model,
                           system=plan.options.en_payment_system, p1m1_rule=plan.options.p1m1_rule,
                           phase2_blind_rule=plan.options.phase2_blind_rule,
                           p1m4_rule=plan.options.p1m4_rule, blind=plan.profile.blind,
                           thresholds=thresholds)
    table["en_payment"] = payments["en_payment"].to_numpy()
    table["en_payment_type"] = pd.array(payments["en_payment_type"].to_numpy(), dtype="str")
    for name in ("en_payment_projected", "en_reconciliation"):
        table.insert(table.columns.get_loc("en_payment_type") + 1 + (name == "en_reconciliation"),
                     name, payments[name].to_numpy())

"""Plan (or caseload) in, a monthly table out.

``simulate(plan)`` returns one row per month with the columns below and a plain-language
``why``. ``simulate_caseload(frame)`` runs many beneficiaries through the same array core
(:func:`iwp_widgets.rules.run`) and returns one row per beneficiary-month, without ``why``.

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

Caseload frame (``simulate_caseload``): one row per beneficiary with the columns

- ``id`` (unique), ``start`` (YYYY-MM), ``benefits`` (ssdi | ssi | concurrent),
  ``earnings_0`` … ``earnings_{T-1}`` (gross earnings from ``start``; required);
- optional, with defaults: ``ssdi_monthly`` (0), ``ssi_unit`` (individual), ``state`` (required
  for ssi/concurrent rows, default CA otherwise), ``state_supplement`` (0),
  ``unearned_income`` (0), ``blind``, ``student``, ``self_employed`` (False),
  ``birth_month`` (needed for students), ``twp_months_used`` (months YYYY-MM separated by
  spaces or ';', or a list), ``twp_completed``, ``ssdi_cessation_month`` (YYYY-MM or empty),
  ``ssi_eligible_before`` (True), ``ssi_accounting`` (retrospective | same_month),
  ``irwe``, ``bwe``, ``subsidy``, ``pass`` (one amount per month) or per-month columns
  ``irwe_0`` … (and ``hours_0`` … for the self-employed hours test); ``ticket_assigned``
  (YYYY-MM or empty), ``en_payment_system``, ``p1m1_rule``, ``p1m4_rule`` and
  ``phase2_blind_rule`` for EN payments (a caseload has no IWP: the look-back sees only the
  caseload's own months before assignment, and milestone 4 has no services condition).

This is the column set of ``iwp_widgets.caseload`` (the analyst's file format). The output
has one row per beneficiary-month: ``id``, ``month`` and the numeric columns above
(``ssdi_status`` as a categorical; ``epe_month_number``, ``ssi_federal_paid``, ``ssi_limit``,
``seie_excluded``, ``seie_left``, ``medicaid`` (from ``ssi_eligible`` and ``medicaid_1619b``,
which are there), ``en_payment_projected`` and ``en_reconciliation`` are single-plan only), ordered by input row then month. A Dask DataFrame in gives
a Dask DataFrame out (``map_partitions`` over this function).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import PlanError, shown
from .plan import EXPENSE_FIELDS, STATES, Plan
from .rules import BENEFIT_CODES, NO_MONTH, PROGRAM_RANK, STATUS_NAMES, Inputs
from .rules import run as run_inputs
from .rules.figures import projection_note
from .rules.why import explain
from .thresholds import Thresholds
from .ticket.outcome import outcome_months, programs
from .ticket.payments import (en_payments, months_before_assignment, phase1_available,
                              phase1_figures, phase2_sga, rules_start, schedule)

TABLE_COLUMNS = ("gross_earnings", "countable_earnings", "twl", "sga", "twp_month",
                 "twp_months_used", "ssdi_status", "epe_month", "ssdi_paid", "exr_window",
                 "medicare", "medicaid", "ssi_countable_income", "ssi_eligible", "ssi_paid", "ssi_1619a",
                 "medicaid_1619b", "medicaid_1619b_threshold", "ssi_breakeven", "unearned_income", "total_income",
                 "en_payment", "en_payment_type", "projected")
CASELOAD_NUMERIC = tuple(c for c in TABLE_COLUMNS if c not in ("en_payment_type", "medicaid"))
# Caseload columns for the two months before the plan, oldest first (like the plan's lists).
EARNED_BEFORE = ("earned_2_months_before", "earned_1_month_before")
UNEARNED_BEFORE = ("unearned_2_months_before", "unearned_1_month_before")


def run(start, earnings, *, thresholds, detail=False, **inputs):
    """The old keyword call, kept while the old adapters exist (they go in the next commit)."""
    return run_inputs(Inputs(start, earnings, **inputs), thresholds or Thresholds.default(),
                      detail=detail)


# --- TWP history (shared by the plan and caseload paths) ----------------------------------------

def twp_history_arrays(used: list[int], completed: int | None, start: int, nine: int,
                       window: int, field: str = "profile.twp_months_used"
                       ) -> tuple[np.ndarray, int]:
    """(service flags of the window−1 months before start, TWP end relative to start).

    ``used``/``completed``/``start`` are monthly Period ordinals. With no ``completed`` month,
    the 9th listed month inside ``window`` consecutive months ends the TWP (20 CFR 404.1592(e)).
    """
    history = np.zeros(window - 1, np.int8)
    used = sorted(used)
    for month in used:
        offset = month - start  # negative
        if offset >= 0:
            raise PlanError(f"{field}: months must be before start")
        if offset >= -(window - 1):
            history[window - 1 + offset] = 1
    if completed is not None:
        return history, completed - start
    for j, month in enumerate(used):
        inside = sum(1 for m in used[: j + 1] if month - m < window)
        if inside > nine:
            raise PlanError(f"{field}: more than {nine} Trial Work Period months in "
                            f"{window} consecutive months (20 CFR 404.1592(e))")
        if inside == nine:
            later = [m for m in used if m > month]
            if later:
                raise PlanError(f"{field}: the Trial Work Period already ended with the {nine}th "
                                f"month, so later months cannot be TWP months")
            return history, month - start
    return history, int(NO_MONTH)


# --- one plan ----------------------------------------------------------------------------------

def _plan_inputs(plan: Plan, thresholds: Thresholds) -> dict:
    profile, months = plan.profile, plan.months
    start = pd.Period(plan.start, freq="M").ordinal
    inputs = dict(
        benefits=profile.benefits, ssdi_monthly=profile.ssdi_monthly, state=profile.state,
        couple=profile.ssi_unit == "couple", state_supplement=profile.state_supplement,
        unearned_income=profile.unearned_income, blind=profile.blind, student=profile.student,
        birth_month=(pd.Period(profile.birth_month, freq="M").ordinal
                     if profile.birth_month else NO_MONTH),
        self_employed=profile.self_employed,
        hours=None if plan.hours is None else np.array([plan.hours]),
        ssi_eligible_before=profile.ssi_eligible_before,
        ssi_since=(pd.Period(profile.ssi_since, freq="M").ordinal - start
                   if profile.ssi_since else NO_MONTH),
        earnings_before=np.array([profile.earnings_before]),
        unearned_before=(None if profile.unearned_before is None
                         else np.array([profile.unearned_before])),
        same_month=plan.options.ssi_accounting == "same_month",
    )
    for key in EXPENSE_FIELDS:
        inputs["pass_" if key == "pass" else key] = np.array([plan.work_expenses.monthly(key, months)])
    if profile.benefits != "ssi":
        nine = int(thresholds.value("twp_service_months", plan.start))
        window = int(thresholds.value("twp_window_months", plan.start))
        used = [pd.Period(m, freq="M").ordinal for m in profile.twp_months_used]
        completed = (pd.Period(profile.twp_completed, freq="M").ordinal
                     if profile.twp_completed else None)
        history, end = twp_history_arrays(used, completed, start, nine, window)
        inputs["twp_history"] = history[None, :]
        inputs["twp_end"] = end
        inputs["cessation"] = (pd.Period(profile.ssdi_cessation_month, freq="M").ordinal - start
                               if profile.ssdi_cessation_month else NO_MONTH)
    return inputs


def _run_plan(plan: Plan, thresholds: Thresholds | None) -> tuple[dict, Thresholds]:
    """The array core on one plan, with the detail arrays (the engine's intermediate steps)."""
    if not isinstance(plan, Plan):
        raise PlanError(f"plan: must be a Plan, got {type(plan).__name__}")
    thresholds = thresholds or Thresholds.default()
    inputs = _plan_inputs(plan, thresholds)
    result = run(plan.start, np.array([plan.earnings]), thresholds=thresholds, detail=True,
                 **inputs)
    return result, thresholds


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
    federal = np.maximum(table["ssi_paid"].to_numpy() - plan.profile.state_supplement, 0.0)
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


# --- a caseload ----------------------------------------------------------------------------------

def _where(ids: np.ndarray, position: int) -> str:
    return f"row {position} (id {shown(ids[position])})"


def _fail(column: str, ids, bad: np.ndarray, what: str, values) -> None:
    position = int(np.argmax(bad))
    raise PlanError(f"{column}: {_where(ids, position)}: {what}, got {shown(values[position])}")


def _money(frame: pd.DataFrame, column: str, ids, default: float = 0.0,
           nullable: bool = False) -> np.ndarray:
    """Amounts ≥ 0; with ``nullable``, empty cells are NaN (the caller's default)."""
    if column not in frame.columns:
        return np.full(len(frame), default)
    raw = frame[column]
    if raw.dtype == bool or raw.dtype == object and raw.map(lambda v: isinstance(v, bool)).any():
        _fail(column, ids, raw.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(bool),
              "must be a number ≥ 0", raw.to_numpy())
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if nullable:
        bad &= raw.notna().to_numpy() & (raw.astype(str).str.strip() != "").to_numpy()
    if bad.any():
        _fail(column, ids, bad, "must be a number ≥ 0", raw.to_numpy())
    return values


def _flag(frame: pd.DataFrame, column: str, ids, default: bool) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), default)
    raw = frame[column]
    if raw.dtype == bool:
        return raw.to_numpy()
    words = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
    mapped = raw.map(lambda v: v if isinstance(v, (bool, np.bool_))
                     else words.get(str(v).strip().lower()))
    bad = mapped.isna().to_numpy()
    if bad.any():
        _fail(column, ids, bad, "must be true or false", raw.to_numpy())
    return mapped.to_numpy(dtype=bool)


def _month_ordinals(frame: pd.DataFrame, column: str, ids, required: bool = False) -> np.ndarray:
    """Period ordinals, NO_MONTH where empty."""
    if column not in frame.columns:
        if required:
            raise PlanError(f"{column}: required column is missing")
        return np.full(len(frame), NO_MONTH, np.int64)
    raw = frame[column]
    text = raw.astype(object).where(raw.notna(), "").map(lambda v: str(v).strip())
    empty = (text == "").to_numpy()
    if required and empty.any():
        _fail(column, ids, empty, "must be a month written YYYY-MM", raw.to_numpy())
    ok = empty | text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").to_numpy(bool)
    if not ok.all():
        _fail(column, ids, ~ok, "must be a month written YYYY-MM", raw.to_numpy())
    out = np.full(len(frame), NO_MONTH, np.int64)
    if (~empty).any():
        # Validated YYYY-MM text -> monthly Period ordinal (months since January 1970),
        # without pandas' per-string date parsing.
        codes = np.asarray(text[~empty].to_numpy(), dtype="U7").view(np.uint32).reshape(-1, 7)
        digit = codes.astype(np.int64) - ord("0")
        year = digit[:, 0] * 1000 + digit[:, 1] * 100 + digit[:, 2] * 10 + digit[:, 3]
        month = digit[:, 5] * 10 + digit[:, 6]
        out[~empty] = (year - 1970) * 12 + month - 1
    return out


def _monthly_columns(frame: pd.DataFrame, prefix: str, months: int, ids) -> np.ndarray | None:
    names = [f"{prefix}_{t}" for t in range(months)]
    present = [n for n in names if n in frame.columns]
    if not present:
        return None
    if len(present) != months:
        missing = next(n for n in names if n not in frame.columns)
        raise PlanError(f"{missing}: missing ({prefix}_0 … {prefix}_{months - 1} must all be given)")
    return np.vstack([_money(frame, n, ids) for n in names]).T  # month-major, see earnings


def _earnings_count(frame: pd.DataFrame) -> int:
    found = sorted(int(c[9:]) for c in frame.columns
                   if isinstance(c, str) and c.startswith("earnings_") and c[9:].isdigit())
    if not found:
        raise PlanError("earnings_0: missing (a caseload needs columns earnings_0 … earnings_{T-1})")
    if found != list(range(len(found))):
        gap = next(i for i in range(len(found) + 1) if i not in found)
        raise PlanError(f"earnings_{gap}: missing (earnings columns must run from earnings_0 "
                        f"without gaps)")
    return len(found)


def _caseload_inputs(frame: pd.DataFrame, thresholds: Thresholds) -> tuple[np.ndarray, dict]:
    """Validated (start ordinals, run() keyword arrays) for every row."""
    for required in ("id", "start", "benefits"):
        if required not in frame.columns:
            raise PlanError(f"{required}: required column is missing")
    ids = frame["id"].to_numpy()
    if pd.Series(ids).duplicated().any():
        _fail("id", ids, pd.Series(ids).duplicated().to_numpy(), "must be unique", ids)
    months = _earnings_count(frame)
    n = len(frame)
    # Built month-major (an (n, T) view of a (T, n) array): the engine's layout, no copy later.
    earnings = np.vstack([_money(frame, f"earnings_{t}", ids) for t in range(months)]).T
    starts = _month_ordinals(frame, "start", ids, required=True)
    benefits = frame["benefits"].astype(str).str.strip().str.lower().to_numpy()
    codes = np.array([BENEFIT_CODES.get(b, -1) for b in benefits], np.int8)
    if (codes < 0).any():
        _fail("benefits", ids, codes < 0, "must be ssdi, ssi or concurrent",
              frame["benefits"].to_numpy())
    takes_ssdi = codes != BENEFIT_CODES["ssi"]
    takes_ssi = codes != BENEFIT_CODES["ssdi"]
    ssdi_monthly = _money(frame, "ssdi_monthly", ids)
    if (takes_ssdi & (ssdi_monthly <= 0)).any():
        _fail("ssdi_monthly", ids, takes_ssdi & (ssdi_monthly <= 0),
              "must be more than 0 for ssdi or concurrent", ssdi_monthly)
    if (~takes_ssdi & (ssdi_monthly > 0)).any():
        _fail("ssdi_monthly", ids, ~takes_ssdi & (ssdi_monthly > 0), "must be 0 for ssi",
              ssdi_monthly)
    if "state" in frame.columns:
        states = frame["state"].astype(str).str.strip().str.upper().to_numpy()
        bad = ~np.isin(states, STATES)
        if bad.any():
            _fail("state", ids, bad, "must be a 2-letter state code", frame["state"].to_numpy())
    elif not takes_ssdi.all() or (codes == BENEFIT_CODES["concurrent"]).any():
        raise PlanError("state: required column is missing (SSI rows need a state)")
    else:
        states = np.full(n, "CA", dtype=object)
    units = (frame["ssi_unit"].astype(str).str.strip().str.lower().to_numpy()
             if "ssi_unit" in frame.columns else np.full(n, "individual"))
    if not np.isin(units, ("individual", "couple")).all():
        _fail("ssi_unit", ids, ~np.isin(units, ("individual", "couple")),
              "must be individual or couple", units)
    accounting = (frame["ssi_accounting"].astype(str).str.strip().str.lower().to_numpy()
                  if "ssi_accounting" in frame.columns else np.full(n, "retrospective"))
    if not np.isin(accounting, ("retrospective", "same_month")).all():
        _fail("ssi_accounting", ids, ~np.isin(accounting, ("retrospective", "same_month")),
              "must be retrospective or same_month", accounting)
    student = _flag(frame, "student", ids, False)
    births = _month_ordinals(frame, "birth_month", ids)
    if (student & (births == NO_MONTH)).any():
        _fail("birth_month", ids, student & (births == NO_MONTH), "is needed for students",
              np.full(n, None))
    blind = _flag(frame, "blind", ids, False)
    unearned = _money(frame, "unearned_income", ids)
    inputs = dict(
        earnings=earnings, benefits=codes, ssdi_monthly=ssdi_monthly, state=states,
        couple=units == "couple", state_supplement=_money(frame, "state_supplement", ids),
        unearned_income=unearned, blind=blind, student=student,
        birth_month=births, self_employed=_flag(frame, "self_employed", ids, False),
        ssi_eligible_before=_flag(frame, "ssi_eligible_before", ids, True),
        earnings_before=np.column_stack([_money(frame, c, ids) for c in EARNED_BEFORE]),
        unearned_before=np.column_stack([
            np.where(np.isnan(v := _money(frame, c, ids, np.nan, nullable=True)), unearned, v)
            for c in UNEARNED_BEFORE]),
        same_month=accounting == "same_month",
        hours=_monthly_columns(frame, "hours", months, ids),
    )
    for key in EXPENSE_FIELDS:
        per_month = _monthly_columns(frame, key, months, ids)
        inputs["pass_" if key == "pass" else key] = (
            per_month if per_month is not None else _money(frame, key, ids))
    bwe = inputs["bwe"]
    has_bwe = (bwe > 0) if bwe.ndim == 1 else (bwe > 0).any(axis=1)
    if (has_bwe & ~blind).any():
        _fail("bwe", ids, has_bwe & ~blind, "blind work expenses count only when blind is true",
              blind)

    # SSDI history per row (only rows that have any).
    completed = _month_ordinals(frame, "twp_completed", ids)
    cessation = _month_ordinals(frame, "ssdi_cessation_month", ids)
    used_lists = _used_months(frame, ids)
    window_max = 1
    histories, ends = {}, np.full(n, NO_MONTH, np.int64)
    constants: dict[int, tuple[int, int]] = {}
    for i in np.flatnonzero(takes_ssdi & ((completed != NO_MONTH) | np.array(
            [bool(u) for u in used_lists]))):
        if starts[i] not in constants:  # looked up once per start month
            month = pd.Period(ordinal=int(starts[i]), freq="M")
            constants[starts[i]] = (int(thresholds.value("twp_service_months", month)),
                                    int(thresholds.value("twp_window_months", month)))
        nine, window = constants[starts[i]]
        window_max = max(window_max, window)
        done = None if completed[i] == NO_MONTH else int(completed[i])
        if done is not None and done >= starts[i]:
            _fail("twp_completed", ids, np.arange(n) == i, "must be before start",
                  frame["twp_completed"].to_numpy())  # the month as written, not its ordinal
        try:
            histories[i], ends[i] = twp_history_arrays(used_lists[i], done, int(starts[i]), nine,
                                                       window, field="twp_months_used")
        except PlanError as exc:
            raise PlanError(f"twp_months_used: {_where(ids, i)}: "
                            f"{str(exc).split(': ', 1)[1]}") from None
    bad_cessation = (cessation != NO_MONTH) & ((ends == NO_MONTH) | (cessation <= ends + starts)
                                               | (cessation >= starts))
    if bad_cessation.any():
        _fail("ssdi_cessation_month", ids, bad_cessation,
              "must be after the TWP ended and before start", frame["ssdi_cessation_month"].to_numpy())
    history = np.zeros((n, window_max - 1), np.int8)
    for i, flags in histories.items():
        history[i, window_max - len(flags) - 1:] = flags
    inputs["twp_history"] = history
    inputs["twp_end"] = ends
    inputs["cessation"] = np.where(cessation != NO_MONTH, cessation - starts, NO_MONTH)
    since = _month_ordinals(frame, "ssi_since", ids)
    given = since != NO_MONTH
    if (given & ((since >= starts) | ~inputs["ssi_eligible_before"] | ~takes_ssi)).any():
        _fail("ssi_since", ids, given & ((since >= starts) | ~inputs["ssi_eligible_before"]
                                         | ~takes_ssi),
              "must be before start, for a row getting SSI (ssi_eligible_before true)",
              frame["ssi_since"].to_numpy())
    inputs["ssi_since"] = np.where(given, since - starts, NO_MONTH)
    return starts, inputs


def _used_months(frame: pd.DataFrame, ids) -> list[list[int]]:
    if "twp_months_used" not in frame.columns:
        return [[] for _ in range(len(frame))]
    lists = []
    ordinals: dict[str, int] = {}  # month text -> Period ordinal, parsed once

    def ordinal(text: str) -> int:
        if text not in ordinals:
            ordinals[text] = pd.Period(text, freq="M").ordinal
        return ordinals[text]

    for i, value in enumerate(frame["twp_months_used"].to_numpy()):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            items = []
        elif isinstance(value, str):
            items = value.replace(";", " ").split()
        else:
            items = [str(v) for v in value]
        try:
            lists.append([ordinal(m) for m in items if len(m) == 7 and m[4] == "-"])
        except ValueError:
            lists.append(None)
        if lists[-1] is None or len(lists[-1]) != len(items):
            raise PlanError(f"twp_months_used: {_where(ids, i)}: must be months written YYYY-MM "
                            f"separated by spaces or ';', got {shown(value)}")
    return lists


def _select(inputs: dict, rows: np.ndarray) -> dict:
    """The run() inputs of some rows; month-major arrays stay month-major (one copy)."""
    picked = {}
    for key, value in inputs.items():
        if not isinstance(value, np.ndarray) or value.ndim == 0:
            picked[key] = value
        elif value.ndim == 2 and value.flags.f_contiguous and not value.flags.c_contiguous:
            picked[key] = np.ascontiguousarray(value.T[:, rows]).T
        else:
            picked[key] = value[rows]
    return picked


def _long_frame(ids: np.ndarray, start: int, months: int, result: dict,
                unearned: np.ndarray, back: np.ndarray | None = None) -> pd.DataFrame:
    """One row per beneficiary-month; ``back`` puts result rows back in the order of ``ids``."""
    n = len(ids)

    def beneficiary_major(array):  # (n, T) rows in ids order, flattened month by month
        array = np.asarray(array)
        return (array[back] if back is not None else np.ascontiguousarray(array)).ravel()

    ordinals = np.tile(np.arange(start, start + months, dtype=np.int64), n)
    columns = {"id": np.repeat(ids, months),
               "month": pd.PeriodIndex.from_ordinals(ordinals, freq="M")}
    for name in CASELOAD_NUMERIC:
        if name == "ssdi_status":
            columns[name] = pd.Categorical.from_codes(beneficiary_major(result[name]),
                                                      categories=list(STATUS_NAMES))
        elif name == "unearned_income":
            columns[name] = np.repeat(unearned, months)
        else:
            columns[name] = beneficiary_major(result[name])
    return pd.DataFrame(columns)


def _empty_output() -> pd.DataFrame:
    frame = _long_frame(np.array([], dtype=object), 0, 0,
                        {name: np.zeros((0, 0)) for name in CASELOAD_NUMERIC}, np.zeros(0))
    for name in ("twp_month", "epe_month", "exr_window", "medicare", "ssi_1619a",
                 "medicaid_1619b", "projected"):
        frame[name] = frame[name].astype(bool)
    frame["twp_months_used"] = frame["twp_months_used"].astype(np.int16)
    return frame


def simulate_caseload(frame, thresholds: Thresholds | None = None):
    """Simulate every beneficiary of a caseload frame (format in the module docstring).

    pandas in → pandas out (one row per beneficiary-month, no ``why``). A Dask DataFrame in →
    a Dask DataFrame out, computed partition by partition.
    """
    if type(frame).__module__.startswith("dask"):
        meta = _empty_output()
        return frame.map_partitions(simulate_caseload, thresholds=thresholds, meta=meta)
    if not isinstance(frame, pd.DataFrame):
        raise PlanError(f"frame: must be a pandas or Dask DataFrame, got {type(frame).__name__}")
    if len(frame) == 0:
        return _empty_output()
    thresholds = thresholds or Thresholds.default()
    frame = frame.reset_index(drop=True)
    starts, inputs = _caseload_inputs(frame, thresholds)
    ids = frame["id"].to_numpy()
    months = inputs["earnings"].shape[1]
    pieces = []
    unique_starts = np.unique(starts)
    for start in unique_starts:
        group = np.flatnonzero(starts == start)
        # Rows grouped by program (ssdi, concurrent, ssi) let the core run each program's rules
        # on its own rows only; results are put back in input order when the frame is built.
        order = np.argsort(PROGRAM_RANK[inputs["benefits"][group]], kind="stable")
        rows = group[order]
        unchanged = len(unique_starts) == 1 and bool((order == np.arange(len(order))).all())
        chosen = inputs if unchanged else _select(inputs, rows)
        month = pd.Period(ordinal=int(start), freq="M")
        result = run(month, thresholds=thresholds, **chosen)
        result["en_payment"] = caseload_en_payments(frame.iloc[rows], ids[rows], month, chosen,
                                                     result, thresholds)
        back = None if unchanged else np.argsort(order)
        unearned = chosen["unearned_income"] if back is None else chosen["unearned_income"][back]
        pieces.append((group, _long_frame(ids[group], int(start), months, result, unearned,
                                          back)))
    if len(pieces) == 1:
        return pieces[0][1]
    # Back to input order: row i's months are together, rows in input order.
    order = np.concatenate([rows for rows, _ in pieces])  # input row of each block
    combined = pd.concat([piece for _, piece in pieces], ignore_index=True)
    block_of_row = np.argsort(order)
    take = (block_of_row[:, None] * months + np.arange(months)).ravel()
    return combined.iloc[take].reset_index(drop=True)


CASELOAD_EN_OPTIONS = (("en_payment_system", "milestone_outcome"), ("p1m1_rule", "en_guidance"),
                       ("p1m4_rule", "regulation"), ("phase2_blind_rule", "regulation"))


def caseload_en_payments(rows: pd.DataFrame, ids, start: pd.Period, inputs: dict, result: dict,
                         thresholds: Thresholds) -> np.ndarray:
    """(n, T) EN payments from the Ticket layer's vectorised schedule (docs/ticket.md).

    Optional caseload columns: ``ticket_assigned`` (YYYY-MM; empty = no ticket, no payments) and
    the plan options of ``CASELOAD_EN_OPTIONS`` (defaults as in a plan). Outcome months follow the
    Ticket layer's one rule (``ticket.outcome``). A caseload carries no IWP, so the look-back sees
    only the caseload's own months before assignment and milestone 4 has no services condition.
    """
    gross = np.asarray(result["gross_earnings"], dtype=float)
    n, months = gross.shape
    amount = np.zeros((n, months))
    assigned = _month_ordinals(rows, "ticket_assigned", ids)
    if n == 0 or (assigned == NO_MONTH).all():
        return amount
    supplement = np.broadcast_to(np.asarray(inputs["state_supplement"], dtype=float), (n,))
    federal_ssi = np.maximum(np.asarray(result["ssi_paid"], dtype=float) - supplement[:, None], 0)
    takes_ssdi, takes_ssi = programs(rows["benefits"].astype(str).str.strip().str.lower().to_numpy())
    title16 = ~takes_ssdi
    twl = np.asarray(result["twl"], dtype=float)
    sga = np.asarray(result["sga"], dtype=float)
    outcome = outcome_months(gross, sga, np.asarray(result["ssdi_paid"], dtype=float), federal_ssi,
                             np.asarray(result["ssi_breakeven"], dtype=float) > 0,
                             takes_ssdi, takes_ssi)
    # No ticket: "assigned" after the last month, so nothing is paid.
    assigned_index = np.where(assigned == NO_MONTH, months, assigned - start.ordinal)
    required, windows = phase1_figures(thresholds, max(start, rules_start(thresholds)))
    available = phase1_available(months_before_assignment(gross, twl, assigned_index, max(windows)),
                                 np.zeros(n, dtype=bool), required, windows)
    options = pd.DataFrame({
        name: (rows[name].astype(str).str.strip().to_numpy() if name in rows.columns
               else np.full(n, default))
        for name, default in CASELOAD_EN_OPTIONS})
    index = pd.period_range(start, periods=months, freq="M")
    blind = _flag(rows, "blind", ids, False)
    for (system, p1m1_rule, p1m4_rule, blind_rule), group in options.groupby(
            [name for name, _ in CASELOAD_EN_OPTIONS]):
        pick = group.index.to_numpy()
        paid = schedule(index, gross[pick], twl[pick],
                        phase2_sga(sga[pick], index, blind[pick], blind_rule, thresholds), outcome[pick],
                        title16[pick], assigned_index[pick], available[pick], system=system,
                        p1m1_rule=p1m1_rule, p1m4_rule=p1m4_rule, thresholds=thresholds)
        amount[pick] = paid["amount"]
    return amount


def plans_to_caseload(plans, ids=None) -> pd.DataFrame:
    """A caseload frame (one row per plan) in the format ``simulate_caseload`` reads.

    All plans must have the same number of months. Per-month expense lists become
    ``irwe_0`` … columns; hours become ``hours_0`` ….
    """
    plans = list(plans)
    if not plans:
        raise PlanError("plans: no plans given")
    months = plans[0].months
    rows = []
    for i, plan in enumerate(plans):
        if plan.months != months:
            raise PlanError(f"plans[{i}]: has {plan.months} months, the first plan {months}")
        p = plan.profile
        row = {"id": ids[i] if ids is not None else i, "start": plan.start,
               "benefits": p.benefits, "ssdi_monthly": p.ssdi_monthly, "ssi_unit": p.ssi_unit,
               "state": p.state, "state_supplement": p.state_supplement,
               "unearned_income": p.unearned_income, "blind": p.blind, "student": p.student,
               "birth_month": p.birth_month or "", "self_employed": p.self_employed,
               "twp_months_used": " ".join(p.twp_months_used),
               "twp_completed": p.twp_completed or "",
               "ssdi_cessation_month": p.ssdi_cessation_month or "",
               "ssi_eligible_before": p.ssi_eligible_before,
               "ssi_since": p.ssi_since or "",
               **dict(zip(EARNED_BEFORE, p.earnings_before)),
               **dict(zip(UNEARNED_BEFORE, p.unearned_before or (np.nan, np.nan))),
               "ssi_accounting": plan.options.ssi_accounting,
               "ticket_assigned": p.ticket_assigned or "",
               "en_payment_system": plan.options.en_payment_system,
               "p1m1_rule": plan.options.p1m1_rule, "p1m4_rule": plan.options.p1m4_rule,
               "phase2_blind_rule": plan.options.phase2_blind_rule}
        row.update({f"earnings_{t}": v for t, v in enumerate(plan.earnings)})
        for key in EXPENSE_FIELDS:
            value = getattr(plan.work_expenses, "pass_" if key == "pass" else key)
            if isinstance(value, tuple):
                row.update({f"{key}_{t}": v for t, v in enumerate(value)})
            else:
                row[key] = value
        if plan.hours is not None:
            row.update({f"hours_{t}": v for t, v in enumerate(plan.hours)})
        rows.append(row)
    frame = pd.DataFrame(rows)
    for key in EXPENSE_FIELDS:  # a plan with a list and one with a number: fill the other form
        monthly = [f"{key}_{t}" for t in range(months)]
        if monthly[0] in frame.columns and key in frame.columns:
            scalar = frame.pop(key)
            for column in monthly:
                frame[column] = frame[column].fillna(scalar)
    hours = [f"hours_{t}" for t in range(months)]
    if hours[0] in frame.columns:
        frame[hours] = frame[hours].fillna(0.0)
    return frame

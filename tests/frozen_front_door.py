"""A frozen copy of the engine's old front door (issue 16), for tests/test_front_door.py.

Before issue 16 three hand-written adapters fed the array core: ``simulate._plan_inputs`` (with
``twp_history_arrays``), ``simulate._caseload_inputs`` (a second caseload validator, with its own
words) and ``caseload.arrays.simulate_arrays``. They are copied here as they were at commit 42d4603,
unchanged but for the call of the engine (``run_old`` wraps the old keyword call in ``Inputs``),
so the new front door can keep being compared with them. Do not use outside the tests.
"""

import numpy as np
import pandas as pd

from iwp_widgets.errors import PlanError, shown
from iwp_widgets.plan import EXPENSE_FIELDS, STATES, Plan
from iwp_widgets.rules import BENEFIT_CODES, NO_MONTH, PROGRAM_RANK, Inputs, run
from iwp_widgets.thresholds import Thresholds

EARNED_BEFORE = ("earned_2_months_before", "earned_1_month_before")
UNEARNED_BEFORE = ("unearned_2_months_before", "unearned_1_month_before")


def run_old(start, earnings, *, thresholds, detail=False, **inputs):
    """The old keyword call of the engine."""
    return run(Inputs(start, earnings, **inputs), thresholds, detail=detail)


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


def simulate_arrays(caseload: pd.DataFrame, figures: Thresholds) -> dict[str, np.ndarray]:
    """The old array path's engine call (``caseload.arrays.simulate_arrays``), EN payments left out."""
    earnings = caseload[[f"earnings_{t}" for t in range(sum(
        c.startswith("earnings_") for c in caseload.columns))]].to_numpy(dtype=float)
    births = np.full(len(caseload), NO_MONTH, np.int64)
    known = caseload["birth_month"].notna().to_numpy()
    if known.any():
        births[known] = pd.PeriodIndex(caseload["birth_month"][known].astype(str), freq="M").asi8
    return run_old(
        caseload["start"].iloc[0], earnings, benefits=caseload["benefits"].to_numpy(dtype=str),
        ssdi_monthly=caseload["ssdi_monthly"].to_numpy(dtype=float), state=caseload["state"].to_numpy(dtype=str),
        couple=(caseload["ssi_unit"] == "couple").to_numpy(),
        state_supplement=caseload["state_supplement"].to_numpy(dtype=float),
        unearned_income=caseload["unearned_income"].to_numpy(dtype=float),
        blind=caseload["blind"].to_numpy(dtype=bool), student=caseload["student"].to_numpy(dtype=bool),
        birth_month=births, self_employed=caseload["self_employed"].to_numpy(dtype=bool),
        irwe=caseload["irwe"].to_numpy(dtype=float), bwe=caseload["bwe"].to_numpy(dtype=float),
        subsidy=caseload["subsidy"].to_numpy(dtype=float), pass_=caseload["pass"].to_numpy(dtype=float),
        ssi_eligible_before=caseload["ssi_eligible_before"].to_numpy(dtype=bool),
        ssi_since=_relative_months(caseload, "ssi_since"),
        earnings_before=caseload[list(EARNED_BEFORE)].to_numpy(dtype=float),
        unearned_before=np.where(np.isnan(before := caseload[list(UNEARNED_BEFORE)].to_numpy(
            dtype=float)), caseload[["unearned_income"]].to_numpy(dtype=float), before),
        same_month=(caseload["ssi_accounting"] == "same_month").to_numpy(), thresholds=figures)


def _relative_months(caseload: pd.DataFrame, column: str) -> np.ndarray:
    """A month column as months from the (single) start; NO_MONTH where empty."""
    values = caseload.get(column)
    relative = np.full(len(caseload), NO_MONTH, np.int64)
    if values is None:
        return relative
    known = (values.notna() & values.astype(str).str.strip().ne("")).to_numpy()
    if known.any():
        start = pd.Period(caseload["start"].iloc[0], freq="M").ordinal
        relative[known] = pd.PeriodIndex(values[known].astype(str), freq="M").asi8 - start
    return relative

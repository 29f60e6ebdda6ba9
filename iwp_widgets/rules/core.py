"""The array core: n beneficiaries × T months, one Python loop over months.

``run(inputs, figures)`` is what :func:`iwp_widgets.simulate`, :func:`iwp_widgets.simulate_caseload`
and the analyst array path call, and what an analyst can call directly (or per Dask partition):
one :class:`~iwp_widgets.rules.inputs.Inputs` value (a plan is a caseload of one) and the program
figures, always passed in. All beneficiaries in one call share the projection ``start``; a
caseload with several starts is run once per start.

Arrays are stored month-major (T, n) inside the loop so each month's slice is contiguous;
the returned arrays are (n, T) views of them.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

import numpy as np
import pandas as pd

from ..errors import PlanError
from ..thresholds import ThresholdError, Thresholds
from . import figures as fig
from . import ssdi, ssi
from .inputs import BENEFIT_CODES, PROGRAM_RANK, Inputs

NO_MONTH = ssdi.NO_MONTH

FLOAT_OUTPUTS = ("countable_earnings", "ssdi_paid", "ssi_countable_income",
                 "ssi_paid", "ssi_breakeven", "total_income",
                 "medicaid_1619b_threshold")
# The one output that may be missing (NaN): the 1619(b) threshold, outside SSI. Every other
# output has a value in every month.
MAY_BE_MISSING = ("medicaid_1619b_threshold",)
BOOL_OUTPUTS = ("twp_month", "epe_month", "exr_window", "medicare", "ssi_eligible", "ssi_1619a",
                "medicaid_1619b", "projected")
# Columns of the result in table order (gross_earnings, twl and sga are added too).
NUMERIC_COLUMNS = ("gross_earnings", "countable_earnings", "twl", "sga", "twp_month",
                   "twp_months_used", "ssdi_status", "epe_month", "ssdi_paid", "exr_window",
                   "medicare", "ssi_countable_income", "ssi_eligible", "ssi_paid", "ssi_1619a",
                   "medicaid_1619b",
                   "medicaid_1619b_threshold", "ssi_breakeven", "total_income", "projected")


_INPUT_FIELDS = tuple(f.name for f in dataclass_fields(Inputs))


def _per_row(value, n: int, dtype, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=dtype)
    if array.ndim == 0:
        return np.full(n, array, dtype=dtype)
    if array.shape != (n,):
        raise PlanError(f"{name}: must be one value or one per beneficiary ({n}), got shape "
                        f"{array.shape}")
    return array


def _per_month(value, n: int, months: int, name: str) -> np.ndarray | None:
    """None when all zero; (n,) when constant over months; else month-major (T, n)."""
    if value is None:
        return None
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return None if array == 0 else np.full(n, float(array))
    if array.shape == (n,):
        return None if not array.any() else array
    if array.shape == (n, months):
        return None if not array.any() else np.ascontiguousarray(array.T)
    raise PlanError(f"{name}: must be one value, one per beneficiary or (beneficiaries × months), "
                    f"got shape {array.shape}")


def _at(array, t):
    return array if array is None or array.ndim == 1 else array[t]


def run(inputs: Inputs, figures: Thresholds, *, detail: bool = False) -> dict[str, np.ndarray]:
    """Simulate the n beneficiaries of ``inputs`` (:class:`~iwp_widgets.rules.inputs.Inputs`) for
    T months from ``inputs.start`` with these program ``figures`` (required: the engine has no
    default figures). ``detail``: also return the intermediate arrays the "why" text needs
    (slower).

    Returns a dict of (n, T) arrays: the columns of :data:`NUMERIC_COLUMNS` (``ssdi_status``
    as int8 codes, see ``ssdi.STATUS_NAMES``) plus detail arrays when asked.
    """
    if not isinstance(inputs, Inputs):
        raise PlanError(f"inputs: must be an Inputs (iwp_widgets.rules.Inputs), got "
                        f"{type(inputs).__name__}")
    if not isinstance(figures, Thresholds):
        raise PlanError(f"figures: must be a Thresholds, got {type(figures).__name__}")
    thresholds = figures
    (start, earnings, benefits, ssdi_monthly, state, couple, state_supplement, unearned_income,
     blind, student, birth_month, self_employed, hours, irwe, bwe, subsidy, pass_, twp_history,
     twp_end, cessation, ssi_eligible_before, ssi_since, earnings_before, unearned_before,
     same_month) = (getattr(inputs, name) for name in _INPUT_FIELDS)
    earnings = np.asarray(earnings, dtype=float)
    if earnings.ndim != 2:
        raise PlanError(f"earnings: must be a (beneficiaries × months) array, got shape "
                        f"{earnings.shape}")
    n, months = earnings.shape
    index = pd.period_range(start, periods=months, freq="M")

    codes = np.asarray(benefits)
    if codes.dtype.kind in "UO":
        lookup = np.vectorize(lambda b: BENEFIT_CODES.get(b, -1), otypes=[np.int8])
        codes = lookup(codes) if codes.size else codes.astype(np.int8)
    codes = _per_row(codes, n, np.int8, "benefits")
    if ((codes < 0) | (codes > 2)).any():
        raise PlanError("benefits: must be ssdi, ssi or concurrent")
    takes_ssdi = codes != BENEFIT_CODES["ssi"]
    takes_ssi = codes != BENEFIT_CODES["ssdi"]
    any_ssdi, any_ssi = bool(takes_ssdi.any()), bool(takes_ssi.any())

    benefit = _per_row(ssdi_monthly, n, float, "ssdi_monthly") * takes_ssdi
    blind = _per_row(blind, n, bool, "blind")
    not_blind = ~blind
    student = _per_row(student, n, bool, "student") & takes_ssi
    births = _per_row(NO_MONTH if birth_month is None else birth_month, n, np.int64, "birth_month")
    self_employed = _per_row(self_employed, n, bool, "self_employed")
    other_unearned = _per_row(unearned_income, n, float, "unearned_income")
    irwe_m = _per_month(irwe, n, months, "irwe")
    bwe_m = _per_month(bwe, n, months, "bwe")
    subsidy_m = _per_month(subsidy, n, months, "subsidy")
    pass_m = _per_month(pass_, n, months, "pass")
    hours_m = None
    if hours is not None and self_employed.any():
        hours_m = np.ascontiguousarray(np.asarray(hours, dtype=float).T)
        if hours_m.shape != (months, n):
            raise PlanError(f"hours: must have shape {(n, months)}, got {np.shape(hours)}")

    figures = fig.month_figures(thresholds, index, ssdi=any_ssdi, ssi=any_ssi,
                                seie=bool(student.any()))
    # Month-major (T, n); free when the caller passes earnings in Fortran order.
    gross = np.ascontiguousarray(earnings.T)

    out: dict[str, np.ndarray] = {name: np.zeros((months, n)) for name in FLOAT_OUTPUTS}
    out.update({name: np.zeros((months, n), bool) for name in BOOL_OUTPUTS})
    out["ssdi_status"] = np.zeros((months, n), np.int8)
    out["twp_months_used"] = np.zeros((months, n), np.int16)
    out["medicaid_1619b_threshold"].fill(np.nan)
    details = None
    if detail:
        details = {name: np.zeros((months, n)) for name in (
            "ssi_countable_earned", "ssi_unearned", "ssi_countable_unearned", "ssi_limit",
            "seie_excluded", "seie_left", *ssi.EXCLUSION_DETAILS)}
        details.update({name: np.full((months, n), NO_MONTH, np.int32) for name in (
            "twp_end", "cessation", "termination", "ssi_income_month")})
        details["ssi_income_used"] = np.zeros((months, n))

    # Rows grouped by program (ssdi, concurrent, ssi) let each program's rules run on a slice
    # of the rows only; otherwise both run on every row and masks clear the other rows.
    rank = PROGRAM_RANK[codes]
    grouped = n < 2 or bool((rank[1:] >= rank[:-1]).all())
    if grouped:
        first_ssi = int((codes == BENEFIT_CODES["ssdi"]).sum())
        sd = slice(0, int(takes_ssdi.sum()))
        ss = slice(first_ssi, n)
        ssdi_mask = ssi_mask = None
    else:
        sd = ss = slice(None)
        ssdi_mask = None if bool(takes_ssdi.all()) else takes_ssdi
        ssi_mask = None if bool(takes_ssi.all()) else takes_ssi

    def rows(arrays: dict, part: slice, names) -> dict:
        return {name: arrays[name][:, part] for name in names if name in arrays}

    # SGA level per beneficiary and month (blind SGA for blind people, 20 CFR 404.1584).
    sga_nb = figures["sga_non_blind"]
    blind_ssdi = blind & takes_ssdi
    blind_sga = bool(blind_ssdi.any())  # blind SGA is a Title II figure
    if blind_sga:
        sga_out = np.empty((months, n))
        sga_month = _Yearly(lambda t: np.where(blind_ssdi, figures["sga_blind"][t], sga_nb[t]),
                            figures["sga_blind"], sga_nb)
    countable = out["countable_earnings"]  # for the SGA test (shown for every beneficiary)
    if any_ssdi:
        window = int(figures["twp_window_months"][0])
        history = np.zeros((n, 0), np.int8) if twp_history is None else \
            np.asarray(twp_history, dtype=np.int8).reshape(n, -1)
        ends = _per_row(NO_MONTH if twp_end is None else twp_end, n, np.int32, "twp_end")
        cessations = _per_row(NO_MONTH if cessation is None else cessation, n, np.int32,
                              "cessation")
        ssdi_state = ssdi.SSDIState(history[sd], ends[sd], cessations[sd], window,
                                    int(figures["twp_service_months"][0]),
                                    int(figures["epe_reentitlement_months"][0]))
        twl = figures["twl"]
        hour_limit = figures["twp_self_employed_hours"]
        # The month's scalar figures as Python values, read once (not per month in the loop).
        ssdi_figures = list(zip(*(figures[name].astype(kind).tolist() for name, kind in (
            ("twp_service_months", int), ("epe_reentitlement_months", int),
            ("ssdi_grace_months", int), ("exr_window_months", int),
            ("exr_request_allowed", bool), ("medicare_extended_months", int))),
            figures.offset_threshold.astype(float).tolist(), figures.offset_share.astype(float).tolist()))
        out_d = rows(out, sd, ssdi.OUTPUTS)
        details_d = None if details is None else rows(details, sd, ssdi.DETAILS)
        benefit_d, self_employed_d = benefit[sd], self_employed[sd]

    if any_ssi:
        ssi_state = ssi.SSIState(_per_row(ssi_eligible_before, n, bool,
                                          "ssi_eligible_before")[ss])
        couple = _per_row(couple, n, bool, "couple")[ss]
        ssi_rows = takes_ssi[ss].astype(float)
        supplement = _per_row(state_supplement, n, float, "state_supplement")[ss] * ssi_rows
        fbr_i, fbr_c = figures["ssi_fbr_individual"], figures["ssi_fbr_couple"]
        limit_month = _Yearly(
            lambda t: ssi_rows * np.where(couple, fbr_c[t], fbr_i[t]) + supplement, fbr_i, fbr_c)
        same = np.asarray(same_month, dtype=bool)
        if same.ndim and same.shape != (n,):
            raise PlanError("same_month: must be one value or one per beneficiary")
        if same.ndim and n and (same.all() or not same.any()):
            same = bool(same[0])
        elif not same.ndim:
            same = bool(same)
        else:
            same = same[ss]
        key_index, thr_table, thr_projected = _medicaid_keys(thresholds, index, state, blind,
                                                             takes_ssi, n)
        key_index_s = key_index[ss]
        threshold_month = _Yearly(lambda t: thr_table[t][key_index_s], *thr_table.T)
        monthly_threshold = _Yearly(lambda t: threshold_month(t) / 12.0, *thr_table.T)
        student_s, births_s = student[ss], births[ss]
        seie_on = bool(student_s.any())
        if seie_on:  # first month at the age limit, per student
            seie_until = _Yearly(lambda t: births_s + 12 * int(figures["seie_age_limit"][t]),
                                 figures["seie_age_limit"])
        kept = 1.0 - figures["ssi_earned_share_excluded"]
        january = index.month == 1
        blind_s = blind[ss]
        any_blind = bool(blind_s.any())
        not_blind_s = ~blind_s
        irwe_s, bwe_s, pass_s = (None if x is None else (x[ss] if x.ndim == 1 else x[:, ss])
                                 for x in (irwe_m, bwe_m, pass_m))
        if irwe_s is not None and any_blind:
            irwe_s = irwe_s * not_blind_s  # SSI: IRWE for people who are not blind
        if bwe_s is not None:
            bwe_s = bwe_s * blind_s if any_blind else None
        parts = [x for x in (irwe_s, bwe_s, pass_s) if x is not None]
        expenses = None if not parts else sum(parts[1:], parts[0])
        other_unearned_s = other_unearned[ss]
        out_s = rows(out, ss, ssi.OUTPUTS)
        details_s = None if details is None else rows(details, ss, ssi.DETAILS)
        _months_before_plan(
            ssi_state, thresholds, index, figures, earnings_before, unearned_before,
            ssi_since, n, ss, ssi_rows=ssi_rows, couple=couple, supplement=supplement,
            other_unearned=other_unearned_s, ssdi_before=benefit[ss],
            seie_students=(student_s, births_s) if seie_on else None, not_blind=not_blind_s
            if any_blind else None, same=same)

    # What needs no month-to-month state is computed for all months at once; the loop below
    # carries only the path-dependent rules.
    np.copyto(countable, gross)
    for expense in (irwe_m, subsidy_m):
        if expense is not None:
            countable -= expense
    np.maximum(countable, 0.0, out=countable)
    if any_ssdi:
        services = np.greater(gross[:, sd], twl[:, None])
        if hours_m is not None:
            services |= self_employed_d & (hours_m[:, sd] > hour_limit[:, None])
        if ssdi_mask is not None:
            services &= ssdi_mask

    for t in range(months):
        g = gross[t]
        c = countable[t]
        if any_ssdi:
            g_d = g[sd]
            service = services[t]
            if blind_sga:
                np.copyto(sga_out[t], sga_month(t))
                sga_t = sga_out[t][sd]
            else:
                sga_t = sga_nb[t]
            ssdi.step(ssdi_state, t, g_d, c[sd], service, sga_t, benefit_d, *ssdi_figures[t],
                      out_d, details_d)
            if ssdi_mask is not None:
                out["ssdi_status"][t] *= ssdi_mask
                out["medicare"][t] &= ssdi_mask
        if any_ssi:
            seie_eligible = None
            if seie_on:
                seie_eligible = np.less(index[t].ordinal, seie_until(t))
                seie_eligible &= student_s
            np.copyto(out["medicaid_1619b_threshold"][t][ss], threshold_month(t))
            ssi.step(ssi_state, t, ssi.SSIMonth(
                gross=g[ss], ssdi_paid=out["ssdi_paid"][t][ss], other_unearned=other_unearned_s,
                limit=limit_month(t), general=figures["ssi_general_exclusion"][t],
                earned_exclusion=figures["ssi_earned_exclusion"][t], kept_share=kept[t],
                sga=sga_nb[t], january=bool(january[t]), seie_eligible=seie_eligible,
                seie_month=figures["seie_monthly_limit"][t] if seie_on else 0.0,
                seie_year=figures["seie_annual_limit"][t] if seie_on else 0.0,
                irwe=_at(irwe_s, t), bwe=_at(bwe_s, t), pass_=_at(pass_s, t),
                expenses=_at(expenses, t), not_blind=not_blind_s if any_blind else None,
                same_month=same, monthly_threshold_1619b=monthly_threshold(t)),
                out_s, details_s)
            if ssi_mask is not None:
                out["ssi_countable_income"][t] *= ssi_mask

    projected = out["projected"]
    if any_ssdi:
        projected |= figures.projected_ssdi[:, None] & takes_ssdi
    if any_ssi:
        projected |= figures.projected_ssi[:, None] & takes_ssi
        every_state = thr_projected[:, :-1].all(axis=1)  # the last column is "(no SSI)"
        projected |= every_state[:, None] & takes_ssi
        some_states = ~every_state & thr_projected.any(axis=1)
        if some_states.any():
            projected[some_states] |= thr_projected[some_states][:, key_index]
    total = np.add(gross, out["ssdi_paid"], out=out["total_income"])
    total += out["ssi_paid"]
    total += other_unearned

    result = {name: array.T for name, array in out.items()}
    result["gross_earnings"] = earnings
    result["twl"] = np.broadcast_to(figures["twl"] if any_ssdi else
                                    thresholds.series("twl", index)[0], (n, months))
    if blind_sga:
        result["sga"] = sga_out.T
    else:
        result["sga"] = np.broadcast_to(sga_nb, (n, months))
    if details is not None:
        result.update({name: array.T for name, array in details.items()})
        for name in ("ssi_fbr_individual", "ssi_fbr_couple", "ssi_general_exclusion",
                     "ssi_earned_exclusion", "seie_monthly_limit", "seie_annual_limit",
                     "epe_reentitlement_months", "twp_service_months", "ssdi_grace_months",
                     "exr_window_months", "medicare_extended_months", "sga_non_blind"):
            if name in figures.values:
                result[name] = np.broadcast_to(figures[name], (n, months))
        result["ssdi_offset_threshold"] = np.broadcast_to(figures.offset_threshold, (n, months))
    return result


def _months_before_plan(state: ssi.SSIState, thresholds: Thresholds, index: pd.PeriodIndex,
                        figures: fig.MonthFigures, earnings_before, unearned_before, ssi_since,
                        n: int, ss: slice, *, ssi_rows, couple, supplement, other_unearned,
                        ssdi_before, seie_students, not_blind, same) -> None:
    """Step SSI through the two months before the plan with their own income, so that the
    plan's first months know whose income pays them and where they stand in the eligible run
    (20 CFR 416.420(b)). Their outputs are not kept."""
    k = ssi.MONTHS_BEFORE
    m = len(range(*ss.indices(n)))
    before = pd.period_range(index[0] - k, periods=k, freq="M")
    try:
        pre = fig.month_figures(thresholds, before, ssdi=False, ssi=True,
                                seie=seie_students is not None)
        value = lambda name, j: pre[name][j]  # noqa: E731
    except ThresholdError:  # no figures that far back: the plan's first month stands in
        value = lambda name, j: figures[name][0]  # noqa: E731
    earned = np.zeros((n, k)) if earnings_before is None else _before(earnings_before, n, k,
                                                                      "earnings_before")
    other = None if unearned_before is None else _before(unearned_before, n, k, "unearned_before")
    since = _per_row(NO_MONTH if ssi_since is None else ssi_since, n, np.int64, "ssi_since")[ss]
    getting = state.paid_before.copy()
    scratch = {name: np.zeros((1, m), bool if name in BOOL_OUTPUTS else float)
               for name in ssi.OUTPUTS}
    for j, month in enumerate(before):
        offset = j - k  # −2, −1
        in_ssi = getting & ((since == NO_MONTH) | (since <= offset))
        seie_eligible = None
        if seie_students is not None:
            students, births = seie_students
            seie_eligible = students & (month.ordinal < births + 12 * int(value("seie_age_limit", j)))
        fbr = np.where(couple, value("ssi_fbr_couple", j), value("ssi_fbr_individual", j))
        ssi.step(state, 0, ssi.SSIMonth(
            gross=earned[ss, j], ssdi_paid=ssdi_before,
            other_unearned=other_unearned if other is None else other[ss, j],
            limit=ssi_rows * fbr + supplement, general=value("ssi_general_exclusion", j),
            earned_exclusion=value("ssi_earned_exclusion", j),
            kept_share=1.0 - value("ssi_earned_share_excluded", j), sga=value("sga_non_blind", j),
            january=month.month == 1, seie_eligible=seie_eligible,
            seie_month=value("seie_monthly_limit", j) if seie_students else 0.0,
            seie_year=value("seie_annual_limit", j) if seie_students else 0.0,
            not_blind=not_blind, same_month=same, in_ssi=in_ssi), scratch, None)


def _before(value, n: int, k: int, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim == 1 and array.shape == (k,):
        array = np.broadcast_to(array, (n, k))
    if array.shape != (n, k):
        raise PlanError(f"{name}: must be {k} amounts per beneficiary, got shape {array.shape}")
    return array


class _Yearly:
    """A per-beneficiary array that depends only on a few figures of the month: recomputed
    when those figures change (usually each January), not every month."""

    def __init__(self, compute, *series: np.ndarray):
        self._compute = compute
        # Months numbered by runs of equal figures (a missing figure, NaN, equals a missing one):
        # the value is worked out again only when the run changes.
        table = np.column_stack(series)
        same = (table[1:] == table[:-1]) | (np.isnan(table[1:]) & np.isnan(table[:-1]))
        self._runs = np.concatenate(([0], np.cumsum(~same.all(axis=1)))).tolist()
        self._run, self._value = None, None

    def __call__(self, t: int) -> np.ndarray:
        if self._runs[t] != self._run:
            self._run, self._value = self._runs[t], self._compute(t)
        return self._value


def _medicaid_keys(thresholds: Thresholds, index: pd.PeriodIndex, state, blind: np.ndarray,
                   takes_ssi: np.ndarray, n: int):
    """(row -> column index, (T, K+1) thresholds, (T, K+1) projected); column K is NaN for rows
    without SSI. Blind people use the state's ``XX_blind`` threshold where one exists."""
    states = np.asarray(_per_row(state, n, None, "state")).astype(str)  # str arrays stay as they are
    unique_states, state_index = np.unique(states, return_inverse=True)
    known = set(thresholds.keys(fig.MEDICAID_1619B)) \
        if fig.MEDICAID_1619B in thresholds.names() else set()
    # Every key there is, in one order, whichever states these rows have: the table of thresholds
    # is then looked up once per set of figures, not once per batch of a caseload.
    keys = sorted(known | set(unique_states.tolist()))
    column = {k: j for j, k in enumerate(keys)}
    own_column = np.array([column[s] for s in unique_states], np.intp)
    blind_column = np.array([column.get(f"{s}_blind", column[s]) for s in unique_states], np.intp)
    key_index = np.where(blind, blind_column[state_index], own_column[state_index])
    key_index = np.where(takes_ssi, key_index, len(keys)).astype(np.intp)
    values, projected = fig.medicaid_thresholds(thresholds, index, keys + ["(no SSI)"])
    return key_index, values, projected

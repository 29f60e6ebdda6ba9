"""Synthetic caseloads for demos, tests and benchmarks.

Not real people and not calibrated to SSA statistics: every distribution below is an adjustable,
documented assumption (``docs/analysts.md`` lists them). The same ``seed`` always gives the same
caseload, and partition ``k`` of a large caseload can be made on its own (a Dask worker makes its
share without the client ever holding the whole caseload)::

    from iwp_widgets.caseload.synthetic import SyntheticSpec, generate_caseload
    caseload = generate_caseload(1_000, seed=7)                     # earnings_0..earnings_59
    paths = generate_caseload(1_000, seed=7, expand=False)         # earnings-path columns instead
    young = generate_caseload(500, SyntheticSpec(student_share=0.5), seed=1)

Each beneficiary gets a profile (benefits mix, SSDI amount, state, blind, student, unearned income)
and an earnings path (start month, hourly wage, hours a week ramping to a target, a yearly raise,
possibly one break in work), expanded to monthly earnings by
:func:`iwp_widgets.caseload.format.expand_earnings_paths`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..earnings_path import MAX_MONTHS
from ..errors import PlanError
from ..thresholds import Thresholds
from .format import BENEFITS, MONTH_PATTERN, validate_caseload


@dataclass(frozen=True)
class SyntheticSpec:
    """The assumptions behind a synthetic caseload. Shares are fractions of all beneficiaries."""

    months: int = 60                      # months projected (earnings_0 .. earnings_{months-1})
    start: str = "2026-01"                # first month of the projection for everyone
    benefit_mix: Mapping[str, float] = field(
        default_factory=lambda: {"ssdi": 0.55, "ssi": 0.30, "concurrent": 0.15})
    ssdi_median: float = 1500.0           # SSDI check, SSDI-only: log-normal with this median ...
    ssdi_spread: float = 0.35             # ... and this log-scale standard deviation
    concurrent_ssdi_median: float = 550.0  # SSDI check for concurrent beneficiaries (small, so SSI is due)
    concurrent_ssdi_spread: float = 0.35
    ssdi_floor: float = 100.0             # smallest SSDI check (smaller draws are raised to it)
    couple_share: float = 0.05            # of SSI and concurrent beneficiaries: paid as a couple
    blind_share: float = 0.03
    student_share: float = 0.05           # students are aged 18-21 at the start
    unearned_share: float = 0.10          # have other unearned income ...
    unearned_median: float = 150.0        # ... log-normal, spread 0.5
    states: tuple[str, ...] | None = None  # drawn uniformly; None = every state with a 1619(b) threshold
    working_share: float = 0.75           # ever work in the projection; the rest earn $0 throughout
    work_start_within: int = 12           # work begins in a month drawn uniformly from 0 .. this - 1
                                          # (capped at the last month)
    wage_median: float = 16.0             # hourly wage: log-normal with this median ...
    wage_spread: float = 0.25             # ... and log-scale spread
    start_hours: tuple[float, float] = (10.0, 25.0)   # hours a week at the start: uniform in range
    target_hours: tuple[float, float] = (15.0, 40.0)  # hours a week at the target: uniform, ≥ start
    ramp_months: tuple[int, int] = (1, 18)            # months from start to target: uniform, inclusive
    linear_ramp_share: float = 0.5        # of workers: climb evenly (the rest step up at the target)
    wage_growth_mean: float = 0.03        # yearly raise: normal with this mean ...
    wage_growth_sd: float = 0.02          # ... and standard deviation, never below 0
    break_share: float = 0.25             # of workers: one break, starting in a uniform month
    break_mean_months: float = 4.0        # break length: geometric with this mean (at least 1 month)
    ticket_share: float = 0.6             # ticket assigned to an EN or VR in the first month

    def __post_init__(self):
        check_spec(self)


def check_spec(spec: SyntheticSpec) -> None:
    """PlanError naming the first assumption that cannot be used."""
    if not isinstance(spec.months, int) or not 1 <= spec.months <= MAX_MONTHS:
        raise PlanError(f"months: must be a whole number from 1 to {MAX_MONTHS}, got {spec.months!r}")
    if not isinstance(spec.start, str) or not MONTH_PATTERN.match(spec.start):
        raise PlanError(f"start: must be a month written YYYY-MM, got {spec.start!r}")
    unknown = set(spec.benefit_mix) - set(BENEFITS)
    if unknown or not spec.benefit_mix:
        raise PlanError(f"benefit_mix: keys must be among {', '.join(BENEFITS)}, got {sorted(spec.benefit_mix)}")
    weights = np.array(list(spec.benefit_mix.values()), dtype=float)
    if (weights < 0).any() or not np.isclose(weights.sum(), 1.0):
        raise PlanError(f"benefit_mix: shares must be ≥ 0 and add up to 1, got {dict(spec.benefit_mix)}")
    for f in fields(spec):
        value = getattr(spec, f.name)
        if f.name.endswith("_share") and not (isinstance(value, (int, float)) and 0 <= value <= 1):
            raise PlanError(f"{f.name}: must be a fraction from 0 to 1, got {value!r}")
        if f.name.endswith(("_median", "_spread", "_sd", "_floor", "_mean_months")) and not (
                isinstance(value, (int, float)) and value >= 0):
            raise PlanError(f"{f.name}: must be a number ≥ 0, got {value!r}")
    for name in ("start_hours", "target_hours", "ramp_months"):
        low, high = getattr(spec, name)
        if not 0 <= low <= high:
            raise PlanError(f"{name}: must be (low, high) with 0 ≤ low ≤ high, got {(low, high)}")
    if spec.ramp_months[0] < 1:
        raise PlanError(f"ramp_months: the shortest ramp is 1 month, got {spec.ramp_months}")
    if not isinstance(spec.work_start_within, int) or spec.work_start_within < 1:
        raise PlanError(f"work_start_within: must be a whole number ≥ 1, got {spec.work_start_within!r}")


def default_states(thresholds: Thresholds | None = None) -> tuple[str, ...]:
    """Every 2-letter state code that has a 1619(b) threshold (``CA_blind`` and the like left out)."""
    thresholds = thresholds or Thresholds.default()
    return tuple(k for k in thresholds.keys("medicaid_1619b_threshold") if len(k) == 2)


def _text(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """Text built by Arrow, as pandas' ``str`` column (no Python string per row)."""
    return pd.array(values, dtype="str")


def _chosen(words, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``words[codes]`` as a ``str`` column."""
    return _text(pa.array(list(words), pa.string()).take(pa.array(codes)))


def _lognormal(rng: np.random.Generator, median: float, spread: float, n: int) -> np.ndarray:
    return median * np.exp(spread * rng.standard_normal(n))


def generate_caseload(n: int, spec: SyntheticSpec | None = None, seed: int = 0, *, partition: int = 0,
                      expand: bool = True, states: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``n`` synthetic beneficiaries, validated, in the caseload format.

    ``partition`` picks an independent random stream (and id range) so partitions made separately
    never repeat each other: ids are ``S{seed}-P{partition}-{row}``. With ``expand=False`` the
    earnings stay as earnings-path columns (smaller files; ``read_caseload(path, months=...)``
    expands them).
    """
    spec = spec or SyntheticSpec()
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise PlanError(f"n: number of beneficiaries must be a whole number ≥ 1, got {n!r}")
    rng = np.random.default_rng([seed, partition])
    states = states or spec.states or default_states()

    kinds = list(spec.benefit_mix)
    benefit_codes = rng.choice(len(kinds), size=n, p=np.array(list(spec.benefit_mix.values())))
    benefits = np.array(kinds)[benefit_codes]
    ssdi = np.where(benefits == "ssdi", _lognormal(rng, spec.ssdi_median, spec.ssdi_spread, n),
                    _lognormal(rng, spec.concurrent_ssdi_median, spec.concurrent_ssdi_spread, n))
    ssdi = np.where(benefits == "ssi", 0.0, np.round(np.maximum(ssdi, spec.ssdi_floor), 2))
    couple = (benefits != "ssdi") & (rng.random(n) < spec.couple_share)
    student = rng.random(n) < spec.student_share
    start = pd.Period(spec.start, "M")
    age_months = rng.integers(18 * 12, 22 * 12, size=n)  # students: 18 to 21 years old at the start
    birth = np.full(n, None, dtype=object)
    birth[student] = pd.PeriodIndex.from_ordinals(start.ordinal - age_months[student], freq="M").strftime("%Y-%m")
    unearned = np.where(rng.random(n) < spec.unearned_share,
                        np.round(_lognormal(rng, spec.unearned_median, 0.5, n), 2), 0.0)
    profile = {
        "id": _text(pc.binary_join_element_wise(f"S{seed}-P{partition}-",
                                                 pc.cast(pa.array(np.arange(n)), pa.string()), "")),
        "start": spec.start,
        "benefits": _chosen(kinds, benefit_codes),
        "ssdi_monthly": ssdi,
        "ssi_unit": _chosen(["individual", "couple"], couple.astype(np.int8)),
        "state": _chosen(states, rng.integers(0, len(states), size=n)),
        "unearned_income": unearned,
        "blind": rng.random(n) < spec.blind_share,
        "student": student,
        "birth_month": birth,
        "ticket_assigned": _text(pa.array(np.where(rng.random(n) < spec.ticket_share, spec.start, None))),
    }

    working = rng.random(n) < spec.working_share
    start_month = rng.integers(0, min(spec.work_start_within, spec.months), size=n)
    start_hours = rng.uniform(*spec.start_hours, size=n)
    target_hours = np.maximum(rng.uniform(*spec.target_hours, size=n), start_hours)
    ramp = rng.integers(spec.ramp_months[0], spec.ramp_months[1] + 1, size=n)
    target_month = start_month + ramp
    has_target = target_month < spec.months
    wage = np.round(_lognormal(rng, spec.wage_median, spec.wage_spread, n), 2)
    growth = np.round(np.maximum(rng.normal(spec.wage_growth_mean, spec.wage_growth_sd, size=n), 0.0), 4)
    has_break = rng.random(n) < spec.break_share
    break_length = rng.geometric(1.0 / max(spec.break_mean_months, 1.0), size=n)
    break_first = rng.integers(0, spec.months, size=n)
    break_last = np.minimum(break_first + break_length - 1, spec.months - 1)
    path = {
        "start_month": start_month,
        "start_hours": np.where(working, np.round(start_hours, 1), 0.0),
        "start_wage": np.where(working, wage, 0.0),
        "target_month": np.where(working & has_target, target_month, np.nan),
        "target_hours": np.where(working & has_target, np.round(target_hours, 1), np.nan),
        "target_wage": np.nan,
        "ramp": _chosen(["steps", "linear"], (rng.random(n) < spec.linear_ramp_share).astype(np.int8)),
        "wage_growth": np.where(working, growth, 0.0),
        "break_first": np.where(working & has_break, break_first, np.nan),
        "break_last": np.where(working & has_break, break_last, np.nan),
    }
    frame = pd.DataFrame({**profile, **path})
    if not expand:
        return frame
    return validate_caseload(frame, months=spec.months)


__all__ = ["SyntheticSpec", "generate_caseload", "default_states", "check_spec"]

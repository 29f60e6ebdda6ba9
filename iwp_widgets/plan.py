"""The plan: what a counselor and a beneficiary agree on, and what the engine needs.

A :class:`Plan` is an immutable, validated value. Build one with :meth:`Plan.from_dict`,
:meth:`Plan.load` or the constructors; change one with :meth:`Plan.with_earnings` or
``dataclasses.replace`` (both validate again). Bad input raises :class:`PlanError` whose
message starts with the field's path from the top of the JSON document, for example
``earnings[3]``, ``hours``, ``work_expenses.irwe[2]``, ``profile.state``,
``profile.twp_months_used[1]``, ``start``, ``schema_version`` or ``file``.
Nothing is clipped or dropped silently: a value that cannot be used is an error.

File format (JSON, ``schema_version`` 5) is the one in ``notes/plan_contract.md`` with ``iwp``
in the IWP layout of ``docs/ticket.md`` (version 1 kept ``iwp`` as a free dict) and, since
version 3, an optional ``earnings_path``: the earnings-path editor's settings; see
``docs/engine.md`` and ``docs/files.md``. Older files are migrated through :data:`MIGRATIONS`;
newer files are refused (this program cannot know what their new fields mean).

Decisions worth knowing:

- ``profile.twp_completed`` is taken as SSA's finding: the Trial Work Period is over from
  the month after it, even if the BPQY lists fewer than 9 service months (the TWP can
  also end early on medical grounds, and old BPQYs do not always list every month).
  Months listed in ``profile.twp_months_used`` after ``twp_completed`` are an error.
- If ``twp_completed`` is empty but the listed months already hold 9 service months in
  60 consecutive months, the TWP ended with the 9th of them (20 CFR 404.1592(e)); more
  than 9 in one window is an error, since the TWP would have ended earlier.
- Months of history (``twp_months_used``, ``twp_completed``, ``ssdi_cessation_month``) are
  before ``start``: the projection starts where the BPQY stops.
- ``earnings`` are the truth; ``earnings_path`` is only the editor's memory of how they were
  drawn. A path must be valid and cover the plan's months, but a path that no longer draws the
  plan's earnings (a hand-edited file) is kept as it is: the plan stays valid and the editor
  fits a new path to the earnings when it opens the plan.
- The beneficiary's name is the IWP's ``beneficiary_name``, the one place it is typed. Files
  saved before also had ``profile.name``: it is read into the IWP when a plan opens (see
  ``_with_old_name``) and not written again.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import numbers
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from .atomic_file import atomic_write
from .earnings_path import EarningsPath
from .errors import (BROKEN_TEXT, PlanError, above, below, names_plan_months, not_a_month, not_a_number,
                     not_finite, not_one_of, not_text, not_yes_or_no, shown, shown_key, unknown_field,
                     writable)
from .limits import HOURS_LIMIT, MAX_DEPTH, MAX_HOURS, MAX_INTEGER, MAX_MONEY
from .profile_rules import (EXPENSE_FIELDS, SSDI_FIGURES, SSI_FIGURES, check_profile,
                            figures_missing)
from .rules.inputs import BENEFIT_CODES
from .rules.ssdi import twp_months_in_window
from .thresholds import Thresholds
from .ticket.iwp import IWP, migrate_v1 as migrate_iwp_v1
from .words import _, money, month_words
from .words import number as number_words

SCHEMA_VERSION = 5
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
MAX_MONTHS = 240

# Functions that turn a document of an older schema_version into the next version:
# MIGRATIONS[1] takes a version-1 dict and returns a version-2 dict, and so on.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


def _migrate_v1_to_v2(data: dict) -> dict:
    """Schema 2: ``iwp`` follows the Ticket layer's IWP model (version 2) instead of a free dict."""
    iwp = data.get("iwp") or {}
    if isinstance(iwp, Mapping) and iwp.get("version", 1) == 1:
        iwp = migrate_iwp_v1(iwp)
    return {**data, "iwp": iwp, "schema_version": 2}


def _migrate_v2_to_v3(data: dict) -> dict:
    """Schema 3 adds the optional ``earnings_path``; older files have none (the editor refits)."""
    if "earnings_path" in data:
        raise PlanError("earnings_path: unknown field in a file older than schema version 3 "
                        "(the field came with version 3)")
    return {**data, "schema_version": 3}


def _migrate_v3_to_v4(data: dict) -> dict:
    """Schema 4 adds the months before the plan to the profile (``ssi_since``,
    ``earnings_before``, ``unearned_before``); their defaults are what version 3 assumed least
    wrongly: no earnings, the plan's unearned income, SSI (if any) for two months or more."""
    profile = data.get("profile")
    if isinstance(profile, Mapping):
        added = [key for key in BEFORE_PLAN_FIELDS if key in profile]
        if added:
            raise PlanError(f"profile.{added[0]}: unknown field in a file older than schema "
                            f"version 4 (the field came with version 4)")
    return {**data, "schema_version": 4}


def _migrate_v4_to_v5(data: dict) -> dict:
    """Schema 5 carries IWP version 3 (the beneficiary's, EN's and counselor's names and the EN's
    contact); the IWP migrates itself, so a version-4 file only changes its number."""
    return {**data, "schema_version": 5}


MIGRATIONS[1] = _migrate_v1_to_v2
MIGRATIONS[2] = _migrate_v2_to_v3
MIGRATIONS[3] = _migrate_v3_to_v4
MIGRATIONS[4] = _migrate_v4_to_v5

BENEFITS = tuple(BENEFIT_CODES)  # ssdi, ssi, concurrent: the engine's words
SSI_UNITS = ("individual", "couple")
SSI_ACCOUNTING = ("retrospective", "same_month")
EN_PAYMENT_SYSTEMS = ("milestone_outcome", "outcome_only")
P1M1_RULES = ("en_guidance", "regulation")
P1M4_RULES = ("regulation", "common_window")
PHASE2_BLIND_RULES = ("regulation", "en_guidance")
# The 50 states and DC (SSI is a federal program there; 1619(b) thresholds are by state).
STATES = (
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND "
    "NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
).split()


# --- small validators -------------------------------------------------------------------

def _number(value, name: str, *, minimum: float | None = 0.0,
            maximum: float = MAX_MONEY, limit: str | None = None) -> float:
    """A finite real number (not a bool, not a string), from ``minimum`` to ``maximum``: dollars
    a month unless ``limit`` says the maximum in other words (then the minimum is a plain number)."""
    def bound(amount: float) -> str:
        return money(amount) if limit is None else number_words(amount)

    most = limit or _("{amount} a month").format(amount=money(maximum))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise PlanError(f"{name}: " + not_a_number(value))
    try:
        number = float(value)
    except OverflowError:  # a whole number too big for a float
        raise PlanError(f"{name}: " + above(most, value)) from None
    if math.isnan(number) or math.isinf(number):
        raise PlanError(f"{name}: " + not_finite(value))
    if minimum is not None and number < minimum:
        raise PlanError(f"{name}: " + below(bound(minimum), value))
    if number > maximum:
        raise PlanError(f"{name}: " + above(most, value))
    return number


def _numbers(values, name: str, length: int | None = None,
             what: str = "one per month of earnings", **bounds) -> tuple[float, ...]:
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
        raise PlanError(f"{name}: " + _("must be a list of numbers, not {kind}").format(
            kind=type(values).__name__))
    values = list(values)
    if length is not None and len(values) != length:
        raise PlanError(f"{name}: " + _("must have {length} values ({what}), not {count}").format(
            length=length, what=what, count=len(values)))
    return tuple(_number(v, f"{name}[{i}]", **bounds) for i, v in enumerate(values))


def _month_text(value, name: str) -> str:
    """A month as 'YYYY-MM' (accepts a pandas Period or such a string)."""
    if isinstance(value, pd.Period):
        if value.freqstr != "M":
            raise PlanError(f"{name}: " + not_a_month(value))
        return str(value)
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        raise PlanError(f"{name}: " + not_a_month(value))
    try:
        period = pd.Period(value, freq="M")
    except (ValueError, TypeError):
        raise PlanError(f"{name}: " + not_a_month(value)) from None
    if str(period) != value:
        raise PlanError(f"{name}: " + not_a_month(value))
    return value


def _optional_month(value, name: str) -> str | None:
    return None if value is None else _month_text(value, name)


def _choice(value, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise PlanError(f"{name}: " + not_one_of(choices, value))
    return value


def _bool(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise PlanError(f"{name}: " + not_yes_or_no(value))
    return value


def _text(value, name: str) -> str:
    if not isinstance(value, str):
        raise PlanError(f"{name}: " + not_text(value))
    if not writable(value):
        raise PlanError(f"{name}: {_(BROKEN_TEXT)}")
    return value


def _known_keys(data: Mapping, name: str, allowed) -> None:
    if not isinstance(data, Mapping):
        raise PlanError(f"{name}: must be an object, got {type(data).__name__}")
    unknown = sorted(str(key) for key in set(data) - set(allowed))
    if unknown:
        key = shown_key(unknown[0])  # blank or padded names are quoted, long ones cut
        field = f"{name}.{key}" if name else key
        raise PlanError(f"{field}: " + unknown_field(allowed), field=field)


def _ordinal(month: str) -> int:
    return pd.Period(month, freq="M").ordinal


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


# --- the value classes --------------------------------------------------------------------

@dataclass(frozen=True)
class WorkExpenses:
    """Work expenses per month: each is one number (every month) or a list (one per month).

    ``irwe``: impairment-related work expenses (SSDI SGA test and SSI, non-blind);
    ``bwe``: blind work expenses (SSI, blind only); ``subsidy``: value of employer subsidy or
    special conditions (SSDI SGA test); ``pass_``: earnings set aside under a PASS (SSI).
    """

    irwe: float | tuple[float, ...] = 0.0
    bwe: float | tuple[float, ...] = 0.0
    subsidy: float | tuple[float, ...] = 0.0
    pass_: float | tuple[float, ...] = 0.0

    def __post_init__(self):
        for key in EXPENSE_FIELDS:
            attr = _attr(key)
            value = getattr(self, attr)
            name = f"work_expenses.{key}"
            if isinstance(value, numbers.Real) or isinstance(value, (bool, str)) or value is None:
                _set(self, attr, _number(value, name))
            else:
                _set(self, attr, _numbers(value, name))

    def monthly(self, key: str, months: int) -> tuple[float, ...]:
        """One value per month for ``key`` (irwe, bwe, subsidy or pass)."""
        value = getattr(self, _attr(key))
        return value if isinstance(value, tuple) else (value,) * months

    def any(self, key: str) -> bool:
        value = getattr(self, _attr(key))
        return any(value) if isinstance(value, tuple) else value > 0

    def to_dict(self) -> dict:
        return {key: (list(v) if isinstance(v := getattr(self, _attr(key)), tuple) else v)
                for key in EXPENSE_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping | None) -> "WorkExpenses":
        data = {} if data is None else data
        _known_keys(data, "work_expenses", EXPENSE_FIELDS)
        return cls(**{_attr(k): data[k] for k in EXPENSE_FIELDS if k in data})


def _attr(key: str) -> str:
    return "pass_" if key == "pass" else key


PROFILE_DEFAULTS: dict[str, Any] = {
    "benefits": "ssdi", "ssdi_monthly": 0.0, "ssi_unit": "individual",
    "state": "CA", "state_supplement": 0.0, "unearned_income": 0.0, "blind": False,
    "student": False, "birth_month": None, "self_employed": False, "twp_months_used": (),
    "twp_completed": None, "ssdi_cessation_month": None, "ssi_eligible_before": True,
    "ticket_assigned": None, "ssi_since": None, "earnings_before": (0.0, 0.0),
    "unearned_before": None,
}
# Profile fields about the two months just before the plan (schema 4; 20 CFR 416.420).
BEFORE_PLAN_FIELDS = ("ssi_since", "earnings_before", "unearned_before")
MONTHS_BEFORE = 2


@dataclass(frozen=True)
class Profile:
    """What SSA already knows of the beneficiary (as the BPQY reports it). Their name is the
    IWP's ``beneficiary_name``: typed once, shown everywhere."""

    benefits: str
    ssdi_monthly: float = 0.0
    ssi_unit: str = "individual"
    state: str = "CA"
    state_supplement: float = 0.0
    unearned_income: float = 0.0
    blind: bool = False
    student: bool = False
    birth_month: str | None = None
    self_employed: bool = False
    twp_months_used: tuple[str, ...] = ()
    twp_completed: str | None = None
    ssdi_cessation_month: str | None = None
    ssi_eligible_before: bool = True
    ticket_assigned: str | None = None
    # The two months before the plan, oldest first: SSI pays a month from its own income or
    # from the income of one or two months earlier (20 CFR 416.420), so they matter.
    ssi_since: str | None = None           # getting SSI since this month (None: long enough)
    earnings_before: tuple[float, ...] = (0.0, 0.0)
    unearned_before: tuple[float, ...] | None = None  # None: the same as unearned_income

    def __post_init__(self):
        p = "profile."
        _choice(self.benefits, p + "benefits", BENEFITS)
        _set(self, "ssdi_monthly", _number(self.ssdi_monthly, p + "ssdi_monthly"))
        _choice(self.ssi_unit, p + "ssi_unit", SSI_UNITS)
        if not isinstance(self.state, str) or self.state.upper() not in STATES:
            raise PlanError(f"{p}state: " + _("must be a 2-letter state code (50 states and DC); "
                                               "you typed {value}").format(value=shown(self.state)))
        _set(self, "state", self.state.upper())
        _set(self, "state_supplement", _number(self.state_supplement, p + "state_supplement"))
        _set(self, "unearned_income", _number(self.unearned_income, p + "unearned_income"))
        for flag in ("blind", "student", "self_employed", "ssi_eligible_before"):
            _bool(getattr(self, flag), p + flag)
        _set(self, "earnings_before", _numbers(self.earnings_before, p + "earnings_before",
                                               MONTHS_BEFORE, what="one per month before the plan"))
        if self.unearned_before is not None:
            _set(self, "unearned_before", _numbers(self.unearned_before, p + "unearned_before",
                                                   MONTHS_BEFORE, what="one per month before the plan"))
        for month in ("birth_month", "twp_completed", "ssdi_cessation_month", "ticket_assigned",
                      "ssi_since"):
            _set(self, month, _optional_month(getattr(self, month), p + month))
        used = self.twp_months_used
        if used is None or isinstance(used, (str, Mapping)) or not hasattr(used, "__iter__"):
            raise PlanError(f"{p}twp_months_used: " + _("must be a list of months (year-month, like "
                                                         "2026-03); you gave {value}").format(value=shown(used)))
        used = tuple(_month_text(m, f"{p}twp_months_used[{i}]") for i, m in enumerate(used))
        _set(self, "twp_months_used", tuple(sorted(used)))
        # Fields that contradict each other: the one table of cross-field rules, shared with caseloads
        # (imported here: it reads this module's figure lists).
        check_profile(self)

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["twp_months_used"] = list(self.twp_months_used)
        data["earnings_before"] = list(self.earnings_before)
        if self.unearned_before is not None:
            data["unearned_before"] = list(self.unearned_before)
        return data

    @classmethod
    def from_dict(cls, data: Mapping | None) -> "Profile":
        _known_keys(data, "profile", PROFILE_DEFAULTS)
        if "benefits" not in data:
            raise PlanError("profile.benefits: " + _("is missing (ssdi, ssi or concurrent)"))
        return cls(**dict(data))


OPTION_DEFAULTS = {"ssi_accounting": "retrospective", "en_payment_system": "milestone_outcome",
                   "p1m1_rule": "en_guidance", "p1m4_rule": "regulation",
                   "phase2_blind_rule": "regulation"}


@dataclass(frozen=True)
class Options:
    """Engine switches: SSI accounting method and Ticket payment choices."""

    ssi_accounting: str = "retrospective"
    en_payment_system: str = "milestone_outcome"
    p1m1_rule: str = "en_guidance"
    p1m4_rule: str = "regulation"            # Ticket milestone 4: docs/ticket.md
    phase2_blind_rule: str = "regulation"    # SGA amount of Phase 2 for blind people: docs/ticket.md

    def __post_init__(self):
        _choice(self.ssi_accounting, "options.ssi_accounting", SSI_ACCOUNTING)
        _choice(self.en_payment_system, "options.en_payment_system", EN_PAYMENT_SYSTEMS)
        _choice(self.p1m1_rule, "options.p1m1_rule", P1M1_RULES)
        _choice(self.p1m4_rule, "options.p1m4_rule", P1M4_RULES)
        _choice(self.phase2_blind_rule, "options.phase2_blind_rule", PHASE2_BLIND_RULES)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping | None) -> "Options":
        data = {} if data is None else data
        _known_keys(data, "options", OPTION_DEFAULTS)
        return cls(**dict(data))


TOP_LEVEL = ("schema_version", "start", "earnings", "earnings_path", "hours", "work_expenses",
             "profile", "options", "iwp")


# The IWPs plans were built with, by identity: a plan rebuilt around the same IWP (every slider
# step, ``Plan.with_earnings``) does not check it again. Weak: an IWP no plan holds is dropped.
_checked_iwps: weakref.WeakValueDictionary[int, IWP] = weakref.WeakValueDictionary()


def _iwp(value) -> IWP:
    """The plan's IWP as the Ticket model: a dict (its JSON form) is parsed; an IWP built in code
    is checked as if it had been read from a file (the model's constructor checks nothing)."""
    if isinstance(value, IWP):
        if _checked_iwps.get(id(value)) is value:
            return value
        value = value.to_dict()
    elif not isinstance(value, Mapping):
        raise PlanError(f"iwp: must be an object, got {type(value).__name__}")
    iwp = IWP.from_dict(value, "iwp")
    _checked_iwps[id(iwp)] = iwp
    return iwp


def _with_old_name(iwp: IWP, name) -> IWP:
    """``iwp`` holding the name that files saved before kept in ``profile.name`` as well: it
    becomes the beneficiary's name if the IWP has none; a different one is kept in the notes."""
    name = _text(name, "profile.name").strip()
    if not name or name == iwp.beneficiary_name.strip():
        return iwp
    if not iwp.beneficiary_name.strip():
        return dataclasses.replace(iwp, beneficiary_name=name)
    line = _("Also written as the beneficiary's name: {name}").format(name=name)
    return dataclasses.replace(iwp, notes=f"{iwp.notes}\n{line}" if iwp.notes else line)


def _earnings_path(value, months: int) -> EarningsPath | None:
    """The editor's path as the model, checked against the plan's months; None if there is none.
    A dict (its JSON form) is parsed; an ``EarningsPath`` checks itself when it is built."""
    if value is None:
        return None
    if isinstance(value, EarningsPath):
        path = value
    elif isinstance(value, Mapping):
        if "months" in value and value["months"] != months:  # before the month numbers it bounds
            raise PlanError(f"earnings_path.months: must equal the plan's months ({months}), "
                            f"got {shown(value['months'])}")
        try:
            path = EarningsPath.from_dict(value)
        except PlanError as exc:  # its fields are named from the path's top: add where it sits
            raise PlanError(f"earnings_path.{exc}", field=f"earnings_path.{exc.field}") from None
    else:
        raise PlanError(f"earnings_path: must be an object or null, got {type(value).__name__}")
    if path.months != months:
        raise PlanError(f"earnings_path.months: must equal the plan's months ({months}), "
                        f"got {path.months}")
    return path


@dataclass(frozen=True)
class Plan:
    """One beneficiary's plan: start month, monthly earnings, expenses, profile, options, IWP.

    ``iwp`` is the Ticket layer's model (:class:`iwp_widgets.ticket.IWP`), validated and
    normalised; ``earnings_path`` is the earnings-path editor's settings
    (:class:`iwp_widgets.earnings_path.EarningsPath`) or None, and need not draw ``earnings``
    (see the module docstring). Both are parsed once, when the plan is built; ``to_dict`` writes
    their JSON form. The constructor, ``replace`` and ``dataclasses.replace`` take either the
    model or its JSON dict (a dict is parsed, its errors named from ``iwp`` or ``earnings_path``).
    """

    start: str
    earnings: tuple[float, ...]
    profile: Profile
    work_expenses: WorkExpenses = field(default_factory=WorkExpenses)
    hours: tuple[float, ...] | None = None
    options: Options = field(default_factory=Options)
    iwp: IWP = field(default_factory=IWP)
    earnings_path: EarningsPath | None = None

    @names_plan_months
    def __post_init__(self):
        _set(self, "start", _month_text(self.start, "start"))
        earnings = self.earnings
        if isinstance(earnings, (str, bytes, Mapping)) or not hasattr(earnings, "__iter__"):
            raise PlanError("earnings: " + _("must be a list of numbers; you gave {value}").format(
                value=shown(earnings)))
        earnings = tuple(earnings)
        if not 1 <= len(earnings) <= MAX_MONTHS:
            raise PlanError("earnings: " + _("must have 1 to {most} months, not {count}").format(
                most=MAX_MONTHS, count=len(earnings)))
        _set(self, "earnings", _numbers(earnings, "earnings"))
        months = len(self.earnings)
        if self.hours is not None:
            _set(self, "hours", _numbers(self.hours, "hours", months, maximum=MAX_HOURS,
                                         limit=HOURS_LIMIT))
        for kind, value in (("profile", self.profile), ("work_expenses", self.work_expenses),
                            ("options", self.options)):
            expected = {"profile": Profile, "work_expenses": WorkExpenses, "options": Options}[kind]
            if not isinstance(value, expected):
                raise PlanError(f"{kind}: must be a {expected.__name__}, got {type(value).__name__}")
        for key in EXPENSE_FIELDS:
            value = getattr(self.work_expenses, _attr(key))
            if isinstance(value, tuple) and len(value) != months:
                raise PlanError(f"work_expenses.{key}: " + _("must have {months} values (one per month "
                                                              "of earnings), not {count}").format(
                    months=months, count=len(value)))
        _set(self, "iwp", _iwp(self.iwp))
        _set(self, "earnings_path", _earnings_path(self.earnings_path, months))
        self._check_consistency()

    # --- cross-field checks -----------------------------------------------------------------
    def _check_consistency(self) -> None:
        profile, start = self.profile, _ordinal(self.start)
        expenses = self.work_expenses
        if expenses.any("bwe") and not profile.blind:
            raise PlanError("work_expenses.bwe: " + _("count only for someone who is blind; enter "
                                                       "other work expenses as impairment-related"))
        if profile.benefits == "ssi" and profile.blind and expenses.any("irwe"):
            raise PlanError("work_expenses.irwe: " + _("are not what SSI deducts for a blind person; "
                                                        "enter them as blind work expenses"))
        if profile.benefits == "ssi" and expenses.any("subsidy"):
            raise PlanError("work_expenses.subsidy: " + _("matters only for SSDI's SGA test, and this "
                                                           "person gets SSI only"))
        if profile.benefits == "ssdi" and expenses.any("pass"):
            raise PlanError("work_expenses.pass: " + _("is an SSI exclusion, and this person gets SSDI only"))
        for name in ("twp_completed", "ssdi_cessation_month", "birth_month", "ssi_since"):
            month = getattr(profile, name)
            if month is not None and _ordinal(month) >= start:
                raise PlanError(f"profile.{name}: " + _("must be before the plan starts ({start}); you "
                                                         "typed {value}").format(
                    start=month_words(self.start), value=month_words(month)))
        for i, month in enumerate(profile.twp_months_used):
            if _ordinal(month) >= start:
                raise PlanError(f"profile.twp_months_used[{i}]: " + _(
                    "must be before the plan starts ({start}); the plan projects the months from then "
                    "on; you typed {value}").format(start=month_words(self.start), value=month_words(month)))
        figures = SSDI_FIGURES if profile.benefits != "ssi" else ()
        figures += SSI_FIGURES if profile.benefits != "ssdi" else ()
        problem = figures_missing(self.start, figures)
        if problem:
            raise PlanError("start: " + _("is outside the years with program figures: {start} "
                                          "({problem})").format(start=month_words(self.start), problem=problem))
        if profile.benefits != "ssi":
            self._check_twp_window(Thresholds.default())

    def _check_twp_window(self, thresholds: Thresholds) -> None:
        """The 9-in-60 rule (20 CFR 404.1592(e)), counted by the engine's one function."""
        listed = self.profile.twp_months_used
        if not listed:
            return
        nine = int(thresholds.value("twp_service_months", self.start))
        window = int(thresholds.value("twp_window_months", self.start))
        count = twp_months_in_window(np.zeros(len(listed), np.int64), [_ordinal(m) for m in listed], window)
        over = np.flatnonzero(count > nine)
        if len(over):
            last = int(over[0])
            raise PlanError("profile.twp_months_used: " + _(
                "lists {count} months from {first} to {last}, within {window} months in a row; the "
                "trial work period ends with the {nine}th (20 CFR 404.1592(e))").format(
                count=count[last], first=month_words(listed[last - count[last] + 1]),
                last=month_words(listed[last]), window=window, nine=nine))
        ninth = np.flatnonzero(count >= nine)
        if len(ninth) and self.profile.twp_completed is None and ninth[0] < len(listed) - 1:
            raise PlanError("profile.twp_months_used: " + _(
                "lists {month}, after {ninth}, the {nine}th trial work month, which ended the trial "
                "work period (20 CFR 404.1592(e)); there is one trial work period").format(
                month=month_words(listed[ninth[0] + 1]), ninth=month_words(listed[ninth[0]]), nine=nine))

    # --- derived facts -------------------------------------------------------------------------
    @property
    def months(self) -> int:
        return len(self.earnings)

    @functools.cached_property  # the plan is frozen; every redraw asks for its months several times
    def month_index(self) -> pd.PeriodIndex:
        return pd.period_range(self.start, periods=self.months, freq="M", name="month")

    def twp_history(self, thresholds: Thresholds | None = None) -> tuple[str | None, tuple[str, ...]]:
        """(month the TWP ended or None, service months used) as of the month before start.

        Uses ``twp_completed`` if given; otherwise the 9th listed month inside 60 consecutive
        months ends the TWP (20 CFR 404.1592(e)).
        """
        profile = self.profile
        if profile.twp_completed is not None:
            return profile.twp_completed, profile.twp_months_used
        thresholds = thresholds or Thresholds.default()
        nine = int(thresholds.value("twp_service_months", self.start))
        window = int(thresholds.value("twp_window_months", self.start))
        listed = profile.twp_months_used
        count = twp_months_in_window(np.zeros(len(listed), np.int64), [_ordinal(m) for m in listed], window)
        ninth = np.flatnonzero(count >= nine)
        return (listed[ninth[0]] if len(ninth) else None), listed

    # --- changing a plan ------------------------------------------------------------------------
    def with_earnings(self, earnings, path: EarningsPath | Mapping | None = None) -> "Plan":
        """A new plan with these monthly earnings (per-month lists keep their length rule) and
        ``path``, the earnings path that drew them. Without a path the plan keeps none: the old
        one described the old earnings. The apps' slider path: no JSON round trip, and the IWP
        is not parsed again."""
        return dataclasses.replace(self, earnings=tuple(earnings), earnings_path=path)

    def replace(self, **changes) -> "Plan":
        """A new validated plan; ``profile``/``options``/``work_expenses`` may be dicts of changes,
        ``iwp`` and ``earnings_path`` a model or a whole JSON dict."""
        for part, cls in (("profile", Profile), ("options", Options),
                          ("work_expenses", WorkExpenses)):
            if isinstance(changes.get(part), Mapping):
                current = getattr(self, part).to_dict()
                current.update(changes[part])
                changes[part] = cls.from_dict(current)
        return dataclasses.replace(self, **changes)

    def revise(self, changes: Mapping, reason: str, date: str | None = None) -> "Plan":
        """A new plan whose IWP is amended: ``changes`` (IWP fields in their JSON form, e.g.
        ``{"employment_goal": "Cook"}``), ``reason`` in the user's words, effective ``date``
        (YYYY-MM-DD, today when not given). The old IWP is kept in its revisions (``IWP.revise``)."""
        return self.replace(iwp=self.iwp.revise(changes, reason, date))

    # --- dicts and files --------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The JSON document (schema_version 4); ``Plan.from_dict(p.to_dict()) == p``."""
        return {
            "schema_version": SCHEMA_VERSION,
            "start": self.start,
            "earnings": list(self.earnings),
            "earnings_path": None if self.earnings_path is None else self.earnings_path.to_dict(),
            "hours": None if self.hours is None else list(self.hours),
            "work_expenses": self.work_expenses.to_dict(),
            "profile": self.profile.to_dict(),
            "options": self.options.to_dict(),
            "iwp": self.iwp.to_dict(),
        }

    @classmethod
    @names_plan_months
    def from_dict(cls, data: Mapping) -> "Plan":
        """Validate a JSON-like document; older schema versions are migrated first."""
        if not isinstance(data, Mapping):
            raise PlanError(f"file: a plan must be a JSON object, got {type(data).__name__}")
        schema_version(data)  # a newer file is refused before anything in it is judged
        check_document(data)
        data = migrate(dict(data))
        _known_keys(data, "", TOP_LEVEL)
        for required in ("start", "earnings", "profile"):
            if required not in data:
                raise PlanError(f"{required}: missing")
        profile, iwp = data["profile"], data.get("iwp") or {}
        if isinstance(profile, Mapping) and "name" in profile:
            profile = dict(profile)
            iwp = _with_old_name(_iwp(iwp), profile.pop("name"))
        return cls(
            start=data["start"],
            earnings=data["earnings"],
            hours=data.get("hours"),
            work_expenses=WorkExpenses.from_dict(data.get("work_expenses")),
            profile=Profile.from_dict(profile),
            options=Options.from_dict(data.get("options")),
            iwp=iwp,
            earnings_path=data.get("earnings_path"),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    @classmethod
    def load(cls, path) -> "Plan":
        """Read a plan file; a truncated or corrupt file is a PlanError naming ``file``."""
        path = Path(path)
        try:
            # utf-8-sig: a byte-order mark (Notepad and Excel write one) is read past, not refused.
            text = path.read_text(encoding="utf-8-sig")
        # Messages name the file, not its folder: the apps show them on the page.
        except FileNotFoundError:
            raise PlanError("file: " + _("{name} does not exist").format(name=shown_key(path.name))) from None
        except UnicodeDecodeError as exc:
            raise PlanError("file: " + _("cannot read {name} (not UTF-8 text: {reason} at byte {byte})").format(
                name=shown_key(path.name), reason=exc.reason, byte=exc.start)) from None
        except OSError as exc:
            raise PlanError("file: " + _("cannot read {name} ({reason})").format(
                name=shown_key(path.name), reason=exc.strerror or _("error"))) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanError("file: " + _("{name} is not a complete plan file (JSON error at line {line}, column "
                                         "{column}: {reason})").format(name=path.name, line=exc.lineno,
                                                                       column=exc.colno, reason=exc.msg)) from None
        except RecursionError:
            raise PlanError("file: " + _("{name} is not a plan file (it nests lists or objects hundreds of "
                                         "levels deep)").format(name=path.name)) from None
        except ValueError:  # a whole number longer than Python reads (4,300 digits)
            raise PlanError("file: " + _("{name} is not a plan file (it holds a number thousands of digits "
                                         "long)").format(name=path.name)) from None
        return cls.from_dict(data)

    def save(self, path) -> Path:
        """Write atomically (``atomic_file.atomic_write``): a crash leaves the old or the new plan."""
        path = Path(path)
        atomic_write(path, self.to_json().encode("utf-8"))
        return path

    @classmethod
    def blank(cls, start, months: int = 36) -> "Plan":
        """A new plan with nothing typed yet: ``months`` months from ``start``, no earnings, no
        history, SSI only. SSI only because it is the one choice that is valid without an amount:
        SSDI needs the check amount from the BPQY, and no amount is invented here."""
        path = EarningsPath(months=months, start_hours=0.0)
        return cls(start=start, earnings=tuple(path.earnings()), profile=Profile(benefits="ssi"),
                   earnings_path=path)

    @classmethod
    def example(cls, name: str) -> "Plan":
        """One of the shipped example plans, ``examples/<name>.json``."""
        path = EXAMPLES_DIR / f"{name}.json"
        if not isinstance(name, str) or "/" in name or not path.is_file():
            known = sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))
            raise PlanError(f"name: no example plan {shown(name)}; known: {', '.join(known)}")
        return cls.load(path)

    @staticmethod
    def examples() -> list[str]:
        return sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))


def check_document(data: Mapping) -> None:
    """Refuse what no field of a plan can hold, wherever it is, before any field is read:
    nesting deeper than :data:`MAX_DEPTH`, whole numbers of :data:`MAX_INTEGER` or more (a float
    cannot hold 10**400), and text or field names with a lone surrogate (they load from JSON but
    cannot be saved, autosaved or printed). Walks without recursion, so any depth is safe."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, str):
            if not writable(value):  # the field is given: a name typed in a file may hold ":"
                raise PlanError(f"{where or 'file'}: {BROKEN_TEXT}", field=where or "file")
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) >= MAX_INTEGER:
                raise PlanError(f"{where or 'file'}: is far too large for any number in a plan, "
                                f"got {shown(value)}", field=where or "file")
        elif isinstance(value, (Mapping, list, tuple)):
            if depth >= MAX_DEPTH:
                top = where.split(".", 1)[0].split("[", 1)[0] or "file"
                raise PlanError(f"{top}: nests lists or objects more than {MAX_DEPTH} levels deep; "
                                f"a plan never does (the file is damaged or not a plan)", field=top)
            items = value.items() if isinstance(value, Mapping) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and not writable(key):
                    raise PlanError(f"{where or 'file'}: has a field name with a broken character "
                                    f"(a lone surrogate); the file is damaged", field=where or "file")
                if isinstance(value, Mapping) and not (isinstance(key, str) and key.isdigit() and where):
                    name = shown_key(key)
                    inner = f"{where}.{name}" if where else name
                else:  # a list item, or a month number keying an object (earnings_path.edits[3])
                    inner = f"{where}[{key}]"
                stack.append((item, inner, depth + 1))


def migrate(data: dict) -> dict:
    """Bring a plan document up to :data:`SCHEMA_VERSION` (refuse newer ones)."""
    version = schema_version(data)
    while version < SCHEMA_VERSION:
        if version not in MIGRATIONS:
            raise PlanError(f"schema_version: no migration from version {version}")
        data = MIGRATIONS[version](dict(data))
        if data.get("schema_version") != version + 1:
            raise PlanError(f"schema_version: the migration from version {version} did not "
                            f"produce version {version + 1}")
        version += 1
    return data


def schema_version(data: Mapping) -> int:
    """The document's ``schema_version``, if this program can read it (a newer one is refused)."""
    if "schema_version" not in data:
        raise PlanError("schema_version: " + _("is missing (expected a number such as 1)"))
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PlanError("schema_version: " + _("must be a whole number ≥ 1, got {value}").format(value=shown(version)))
    if version > SCHEMA_VERSION:
        raise PlanError("schema_version: " + _("the file is version {version}, newer than this program's "
                                               "{current}; update IWP Planner to open it").format(
            version=shown(version), current=SCHEMA_VERSION))
    return version

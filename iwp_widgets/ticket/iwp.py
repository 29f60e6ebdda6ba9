"""The Individual Work Plan (IWP) as data.

An IWP is what a beneficiary and an Employment Network (EN) sign: the employment goal, short- and
long-term goals, earnings now and expected at the end of the plan, the services and supports the EN
gives (each with a provider and start/end months), the beneficiary's responsibilities, both
signatures, and every earlier version with the date and reason it was revised.

It also holds the Ticket facts the reviews and payments need and the earnings path cannot tell:
inactive months, school progress per progress period, a recent State VR closure, when the EN
finished its services, and earnings in the 18 months before the ticket was assigned.

JSON layout (``IWP.to_dict()``; ``IWP_VERSION`` = 3)::

    {"version": 3,
     "beneficiary_name": "Alex Rivera", "en_name": "Acme EN",
     "en_contact": "Acme EN, 100 Main St, (555) 010-0100", "counselor_name": "Sam Lee",
     "employment_goal": "Pharmacy technician",
     "short_term_goals": ["Finish the certificate course"], "long_term_goals": ["Work full time"],
     "earnings_at_start": 0.0, "earnings_expected_at_end": 2400.0,        # per month, dollars
     "services": [{"kind": "job_placement", "description": "", "provider": "Acme EN",
                   "start": "2026-02", "end": "2026-08"}],
     "responsibilities": [...plain-language sentences...],
     "en_responsibilities": [...what the EN will do...],
     "en_conditions": "...when the EN may change the plan or end its work with the beneficiary...",
     "protection_advocacy_contact": "Disability Rights Example, (555) 010-0199",
     "signatures": {"beneficiary": {"name": "...", "date": "2026-01-15"},
                    "en_representative": {"name": "...", "date": "2026-01-15"}},
     "notes": "",
     "ticket": {"inactive_months": ["2026-07"],
                "education": [{"period": 1, "academic_year_percent": 40.0, "completed": null}],
                "state_vr_closure_within_18_months": false,
                "en_substantially_completed_services": "2026-08" | null,
                "earnings_before_assignment": [0, 0, ..., 450.0] | null},   # oldest first, ≤ 18
     "revisions": [{"date": "2026-06-01", "reason": "...", "previous": {...earlier IWP...},
                    "signatures": {"beneficiary": {...} | null, "en_representative": {...} | null}}]}

Version 3 added who the plan is for and who made it (``beneficiary_name``, ``en_contact``,
``counselor_name``; empty in a version-2 IWP), what the EN will do and its own conditions
(``en_responsibilities``, ``en_conditions``), the Protection and Advocacy contact
(``protection_advocacy_contact``) — the EN's parts of the statements 20 CFR 411.465(a) requires,
whose standard text is in ``ticket/statements.py`` — and amendments: each revision has an
effective date, a reason and its own signatures. Version 1 (plan schema 1) kept the IWP as a free dict, e.g. ``{"goal": "Cashier", "services":
"resume help, job search"}``; ``IWP.from_dict`` migrates it (``migrate_v1``) and keeps any key
it does not recognise in ``notes`` so nothing is lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..errors import (BROKEN_TEXT, PlanError, above, below, not_a_date, not_a_month, not_a_number, not_finite,
                      not_one_of, not_text, not_yes_or_no, shown, shown_key, unknown_field, writable)
from ..limits import MAX_MONEY, MAX_PERCENT
from ..words import _, money, month_words

IWP_VERSION = 3

# The catalogue of services and supports an EN may list, with plain-language labels.
SERVICE_KINDS: dict[str, str] = {
    "career_counseling": "Career counseling",
    "job_search": "Help finding a job",
    "job_placement": "Job placement",
    "resume_writing": "Resume writing",
    "benefits_counseling": "Benefits counseling",
    "job_retention_advancement": "Help keeping a job and moving up",
    "training_education": "Training and education",
    "assistive_technology": "Assistive technology",
    "transportation": "Transportation",
    "other": "Other",
}

DEFAULT_RESPONSIBILITIES: tuple[str, ...] = (
    "I will work toward my goals so that I make timely progress at each yearly review.",
    "I will report my earnings to Social Security and to my Employment Network each month I work, "
    "and keep my pay slips.",
    "I will tell Social Security and my Employment Network about changes, like a new job, "
    "a change in my pay or hours, or if I stop working.",
)

# What the EN will do (20 CFR 411.465(a)(3): the terms and conditions of the services); each EN
# may write its own.
DEFAULT_EN_RESPONSIBILITIES: tuple[str, ...] = (
    "We will provide the services and supports in this plan, at no cost to you.",
    "We will meet with you to review your progress and update this plan when you and we agree.",
    "We will keep your personal information private.",
)

# School results that can meet a progress review (20 CFR §411.180(c); rules.md §5.1).
COMPLETIONS: dict[str, str] = {
    "high_school_or_ged": "a high school diploma or GED",
    "two_year_degree": "a two-year degree or certificate program",
    "vocational_program": "a vocational or technical training program",
    "four_year_degree": "a four-year degree or certificate program",
}

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_NAME = re.compile(r"^[a-z_0-9]+$")


# --- small validators: each raises PlanError naming the field ---------------------------------
def _fail(where: str, message: str) -> PlanError:
    return PlanError(f"{where}: {message}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _fail(where, not_text(value))
    if not writable(value):
        raise _fail(where, _(BROKEN_TEXT))
    return value


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise _fail(where, _("must be a list of text, not {value}").format(value=shown(value)))
    return tuple(_text(item, f"{where}[{i}]") for i, item in enumerate(value))


def _amount(value: Any, where: str, maximum: float = MAX_MONEY,
            limit: str | None = None) -> float:
    """A number from 0 to ``maximum``: dollars a month unless ``limit`` says the maximum in other words."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, not_a_number(value))
    if value < 0:
        raise _fail(where, below(money(0) if limit is None else "0", value))
    if not value <= maximum:  # also NaN; a huge int compares without becoming a float
        if isinstance(value, float) and not math.isfinite(value):
            raise _fail(where, not_finite(value))
        raise _fail(where, above(limit or _("{amount} a month").format(amount=money(maximum)), value))
    return float(value)


def _month(value: Any, where: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if isinstance(value, str) and _MONTH.match(value) and 1 <= int(value[5:]) <= 12:
        return value
    raise _fail(where, not_a_month(value))


def _date(value: Any, where: str) -> str:
    try:
        if isinstance(value, str) and len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise _fail(where, not_a_date(value))


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, not_yes_or_no(value))
    return value


def _mapping(value: Any, where: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, f"must be an object, got {shown(value)}")
    unknown = sorted(set(value) - allowed, key=str)
    if unknown:
        known = ", ".join(sorted(allowed))
        if isinstance(unknown[0], str) and _NAME.match(unknown[0]):
            raise _fail(f"{where}.{shown_key(unknown[0])}", unknown_field(sorted(allowed)))
        # A damaged name cannot be a field path: name the object that holds it.
        raise _fail(where, _("has an unknown field {name}; the known fields are {known}").format(
            name=shown(unknown[0]), known=known))
    return value


# --- the parts of an IWP ----------------------------------------------------------------------
@dataclass(frozen=True)
class Service:
    """One service or support: what it is, who gives it, and from when to when (months)."""

    kind: str
    provider: str = ""
    start: str | None = None
    end: str | None = None
    description: str = ""

    @property
    def label(self) -> str:
        return self.description if self.kind == "other" and self.description else SERVICE_KINDS[self.kind]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "description": self.description, "provider": self.provider,
                "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> "Service":
        data = _mapping(data, where, {"kind", "description", "provider", "start", "end"})
        kind = _text(data.get("kind"), f"{where}.kind")
        if kind not in SERVICE_KINDS:
            raise _fail(f"{where}.kind", not_one_of(SERVICE_KINDS, kind))
        description = _text(data.get("description", ""), f"{where}.description")
        if kind == "other" and not description.strip():
            raise _fail(f"{where}.description", _("must say what the service is when its kind is “other”"))
        start = _month(data.get("start"), f"{where}.start", optional=True)
        end = _month(data.get("end"), f"{where}.end", optional=True)
        if start and end and end < start:
            raise _fail(f"{where}.end", _("must not be before the service starts ({start}); you typed "
                                          "{end}").format(start=month_words(start), end=month_words(end)))
        return cls(kind, _text(data.get("provider", ""), f"{where}.provider"), start, end, description)


@dataclass(frozen=True)
class Signature:
    """A name and the date it was signed (YYYY-MM-DD)."""

    name: str
    date: str

    def to_dict(self) -> dict:
        return {"name": self.name, "date": self.date}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> "Signature | None":
        if data is None:
            return None
        data = _mapping(data, where, {"name", "date"})
        name = _text(data.get("name"), f"{where}.name")
        if not name.strip():
            raise _fail(f"{where}.name", _("must have a name"))
        return cls(name, _date(data.get("date"), f"{where}.date"))


@dataclass(frozen=True)
class EducationProgress:
    """School progress in one progress-review period.

    ``academic_year_percent`` is the share of a full-time academic year completed in that period
    (credits completed ÷ a full-time year's credits × 100). ``completed`` names a program finished in
    that period, one of ``COMPLETIONS``, or None.
    """

    period: int
    academic_year_percent: float = 0.0
    completed: str | None = None

    def to_dict(self) -> dict:
        return {"period": self.period, "academic_year_percent": self.academic_year_percent,
                "completed": self.completed}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> "EducationProgress":
        data = _mapping(data, where, {"period", "academic_year_percent", "completed"})
        period = data.get("period")
        if isinstance(period, bool) or not isinstance(period, int) or period < 1:
            raise _fail(f"{where}.period", f"must be a whole number ≥ 1, got {shown(period)}")
        percent = _amount(data.get("academic_year_percent", 0.0), f"{where}.academic_year_percent",
                          MAX_PERCENT, f"{MAX_PERCENT:,.0f} percent")
        completed = data.get("completed")
        if completed is not None and completed not in COMPLETIONS:
            raise _fail(f"{where}.completed",
                        f"must be null or one of {', '.join(COMPLETIONS)}, got {shown(completed)}")
        return cls(period, percent, completed)


@dataclass(frozen=True)
class TicketFacts:
    """Facts about the ticket that the earnings path does not show."""

    inactive_months: tuple[str, ...] = ()
    education: tuple[EducationProgress, ...] = ()
    state_vr_closure_within_18_months: bool = False
    en_substantially_completed_services: str | None = None
    earnings_before_assignment: tuple[float, ...] | None = None

    def education_for(self, period: int) -> EducationProgress | None:
        return next((e for e in self.education if e.period == period), None)

    def to_dict(self) -> dict:
        return {
            "inactive_months": list(self.inactive_months),
            "education": [e.to_dict() for e in self.education],
            "state_vr_closure_within_18_months": self.state_vr_closure_within_18_months,
            "en_substantially_completed_services": self.en_substantially_completed_services,
            "earnings_before_assignment": (None if self.earnings_before_assignment is None
                                           else list(self.earnings_before_assignment)),
        }

    @classmethod
    def from_dict(cls, data: Any, where: str) -> "TicketFacts":
        data = _mapping(data, where, {f.name for f in dataclasses.fields(cls)})
        inactive = data.get("inactive_months", [])
        if not isinstance(inactive, (list, tuple)):
            raise _fail(f"{where}.inactive_months", f"must be a list of months, got {shown(inactive)}")
        months = tuple(_month(m, f"{where}.inactive_months[{i}]") for i, m in enumerate(inactive))
        if len(set(months)) != len(months):
            raise _fail(f"{where}.inactive_months", "lists a month twice")
        education_list = data.get("education", [])
        if not isinstance(education_list, (list, tuple)):
            raise _fail(f"{where}.education", f"must be a list, got {shown(education_list)}")
        education = tuple(EducationProgress.from_dict(e, f"{where}.education[{i}]")
                          for i, e in enumerate(education_list))
        periods = [e.period for e in education]
        if len(set(periods)) != len(periods):
            raise _fail(f"{where}.education", "lists a progress period twice")
        before = data.get("earnings_before_assignment")
        if before is not None:
            if not isinstance(before, (list, tuple)) or not 1 <= len(before) <= 18:
                raise _fail(f"{where}.earnings_before_assignment",
                            f"must be null or a list of 1 to 18 monthly amounts, got {shown(before)}")
            before = tuple(_amount(v, f"{where}.earnings_before_assignment[{i}]")
                           for i, v in enumerate(before))
        return cls(
            inactive_months=tuple(sorted(months)),
            education=tuple(sorted(education, key=lambda e: e.period)),
            state_vr_closure_within_18_months=_bool(
                data.get("state_vr_closure_within_18_months", False),
                f"{where}.state_vr_closure_within_18_months"),
            en_substantially_completed_services=_month(
                data.get("en_substantially_completed_services"),
                f"{where}.en_substantially_completed_services", optional=True),
            earnings_before_assignment=before,
        )


@dataclass(frozen=True)
class Revision:
    """An amendment: the version it replaced, its effective date, why, and its own signatures."""

    date: str
    reason: str
    previous: "IWP"
    beneficiary_signature: Signature | None = None
    en_signature: Signature | None = None

    @property
    def signed_date(self) -> str | None:
        """When both signed the amendment (the later date), or None."""
        if self.beneficiary_signature is None or self.en_signature is None:
            return None
        return max(self.beneficiary_signature.date, self.en_signature.date)

    def to_dict(self) -> dict:
        return {"date": self.date, "reason": self.reason, "previous": self.previous.to_dict(),
                "signatures": {
                    "beneficiary": self.beneficiary_signature and self.beneficiary_signature.to_dict(),
                    "en_representative": self.en_signature and self.en_signature.to_dict()}}


@dataclass(frozen=True)
class Amendment:
    """One amendment as a person reads it: when, why, what changed field by field, who signed."""

    date: str
    reason: str
    changes: tuple[tuple[str, str, str], ...]  # (what, before, after) in plain words
    beneficiary_signature: Signature | None
    en_signature: Signature | None
    signed_date: str | None


_FIELDS = {"version", "employment_goal", "short_term_goals", "long_term_goals", "earnings_at_start",
           "earnings_expected_at_end", "services", "responsibilities", "signatures", "en_name",
           "notes", "ticket", "revisions", "beneficiary_name", "en_contact", "counselor_name",
           "en_responsibilities", "en_conditions", "protection_advocacy_contact"}
# Who the plan is for and who made it: version 3's fields, plain text, empty until typed.
PEOPLE_FIELDS = ("beneficiary_name", "en_name", "en_contact", "counselor_name")
# The EN's own parts of the required statements (20 CFR 411.465(a)(3), (5), (7)): also version 3.
EN_STATEMENT_FIELDS = ("en_responsibilities", "en_conditions", "protection_advocacy_contact")


@dataclass(frozen=True)
class IWP:
    """An Individual Work Plan. Immutable: ``revise`` returns a new one."""

    employment_goal: str = ""
    short_term_goals: tuple[str, ...] = ()
    long_term_goals: tuple[str, ...] = ()
    earnings_at_start: float = 0.0
    earnings_expected_at_end: float = 0.0
    services: tuple[Service, ...] = ()
    responsibilities: tuple[str, ...] = DEFAULT_RESPONSIBILITIES
    beneficiary_signature: Signature | None = None
    en_signature: Signature | None = None
    en_name: str = ""
    notes: str = ""
    ticket: TicketFacts = field(default_factory=TicketFacts)
    revisions: tuple[Revision, ...] = ()
    beneficiary_name: str = ""
    en_contact: str = ""
    counselor_name: str = ""
    en_responsibilities: tuple[str, ...] = DEFAULT_EN_RESPONSIBILITIES
    en_conditions: str = ""
    protection_advocacy_contact: str = ""

    @property
    def signed_date(self) -> str | None:
        """The date the IWP took effect: the later of the two signatures, or None if not both signed."""
        if self.beneficiary_signature is None or self.en_signature is None:
            return None
        return max(self.beneficiary_signature.date, self.en_signature.date)

    @property
    def signed_month(self) -> str | None:
        date = self.signed_date
        return None if date is None else date[:7]

    def services_end_month(self) -> str | None:
        """When the EN substantially completed its services: the recorded month, else the latest end
        month of the listed services, else None (unknown)."""
        if self.ticket.en_substantially_completed_services:
            return self.ticket.en_substantially_completed_services
        ends = [s.end for s in self.services if s.end]
        return max(ends) if ends else None

    # --- JSON ---------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "version": IWP_VERSION,
            "employment_goal": self.employment_goal,
            "short_term_goals": list(self.short_term_goals),
            "long_term_goals": list(self.long_term_goals),
            "earnings_at_start": self.earnings_at_start,
            "earnings_expected_at_end": self.earnings_expected_at_end,
            "services": [s.to_dict() for s in self.services],
            "responsibilities": list(self.responsibilities),
            "signatures": {
                "beneficiary": self.beneficiary_signature and self.beneficiary_signature.to_dict(),
                "en_representative": self.en_signature and self.en_signature.to_dict(),
            },
            "beneficiary_name": self.beneficiary_name,
            "en_name": self.en_name,
            "en_contact": self.en_contact,
            "counselor_name": self.counselor_name,
            "en_responsibilities": list(self.en_responsibilities),
            "en_conditions": self.en_conditions,
            "protection_advocacy_contact": self.protection_advocacy_contact,
            "notes": self.notes,
            "ticket": self.ticket.to_dict(),
            "revisions": [r.to_dict() for r in self.revisions],
        }

    @classmethod
    def from_dict(cls, data: Any, where: str = "iwp") -> "IWP":
        """Validate and build an IWP; an older layout (no ``version``, or version 1) is migrated."""
        if isinstance(data, IWP):
            return data
        if not isinstance(data, Mapping):
            raise _fail(where, f"must be an object, got {shown(data)}")
        version = data.get("version", 1)
        if version == 1:
            data = migrate_v1(data)
        elif version == 2:
            data = _migrate_v2(data, where)
        elif version != IWP_VERSION:
            raise _fail(f"{where}.version", f"must be 1 to {IWP_VERSION}, got {shown(version)}")
        data = _mapping(data, where, _FIELDS)
        services = data.get("services", [])
        if not isinstance(services, (list, tuple)):
            raise _fail(f"{where}.services", f"must be a list, got {shown(services)}")
        signatures = _mapping(data.get("signatures", {}), f"{where}.signatures",
                              {"beneficiary", "en_representative"})
        revisions_data = data.get("revisions", [])
        if not isinstance(revisions_data, (list, tuple)):
            raise _fail(f"{where}.revisions", f"must be a list, got {shown(revisions_data)}")
        revisions = []
        for i, item in enumerate(revisions_data):
            spot = f"{where}.revisions[{i}]"
            item = _mapping(item, spot, {"date", "reason", "previous", "signatures"})
            previous = cls.from_dict(item.get("previous"), f"{spot}.previous")
            if previous.revisions:
                raise _fail(f"{spot}.previous.revisions", "an earlier version keeps no revisions of its own")
            signed = _mapping(item.get("signatures") or {}, f"{spot}.signatures",
                              {"beneficiary", "en_representative"})
            revisions.append(Revision(
                _date(item.get("date"), f"{spot}.date"), _text(item.get("reason"), f"{spot}.reason"),
                previous,
                Signature.from_dict(signed.get("beneficiary"), f"{spot}.signatures.beneficiary"),
                Signature.from_dict(signed.get("en_representative"), f"{spot}.signatures.en_representative")))
        dates = [r.date for r in revisions]
        if dates != sorted(dates):
            raise _fail(f"{where}.revisions", "must be in date order, oldest first")
        responsibilities = data.get("responsibilities")
        en_responsibilities = data.get("en_responsibilities")
        return cls(
            employment_goal=_text(data.get("employment_goal", ""), f"{where}.employment_goal"),
            short_term_goals=_texts(data.get("short_term_goals", []), f"{where}.short_term_goals"),
            long_term_goals=_texts(data.get("long_term_goals", []), f"{where}.long_term_goals"),
            earnings_at_start=_amount(data.get("earnings_at_start", 0.0), f"{where}.earnings_at_start"),
            earnings_expected_at_end=_amount(data.get("earnings_expected_at_end", 0.0),
                                             f"{where}.earnings_expected_at_end"),
            services=tuple(Service.from_dict(s, f"{where}.services[{i}]") for i, s in enumerate(services)),
            responsibilities=(DEFAULT_RESPONSIBILITIES if responsibilities is None
                              else _texts(responsibilities, f"{where}.responsibilities")),
            beneficiary_signature=Signature.from_dict(signatures.get("beneficiary"),
                                                      f"{where}.signatures.beneficiary"),
            en_signature=Signature.from_dict(signatures.get("en_representative"),
                                             f"{where}.signatures.en_representative"),
            en_name=_text(data.get("en_name", ""), f"{where}.en_name"),
            notes=_text(data.get("notes", ""), f"{where}.notes"),
            ticket=TicketFacts.from_dict(data.get("ticket", {}), f"{where}.ticket"),
            revisions=tuple(revisions),
            beneficiary_name=_text(data.get("beneficiary_name", ""), f"{where}.beneficiary_name"),
            en_contact=_text(data.get("en_contact", ""), f"{where}.en_contact"),
            counselor_name=_text(data.get("counselor_name", ""), f"{where}.counselor_name"),
            en_responsibilities=(DEFAULT_EN_RESPONSIBILITIES if en_responsibilities is None
                                 else _texts(en_responsibilities, f"{where}.en_responsibilities")),
            en_conditions=_text(data.get("en_conditions", ""), f"{where}.en_conditions"),
            protection_advocacy_contact=_text(data.get("protection_advocacy_contact", ""),
                                              f"{where}.protection_advocacy_contact"),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "IWP":
        return cls.from_dict(json.loads(text))

    # --- amending -----------------------------------------------------------------------------
    def revise(self, changes: Mapping[str, Any], reason: str, date: str | None = None) -> "IWP":
        """A new IWP amended by ``changes`` (top-level fields in their JSON form).

        The current version, the amendment's effective ``date`` (YYYY-MM-DD, today when not given)
        and the reason are added to ``revisions``. The amendment has its own signature lines, empty
        until ``sign_amendment``; the plan's first signatures are kept.
        """
        date = dt.date.today().isoformat() if date is None else date
        if not isinstance(changes, Mapping):
            raise _fail("changes", f"must be an object of IWP fields, got {shown(changes)}")
        for key in changes:
            if key in ("version", "revisions") or key not in _FIELDS:
                where = f"changes.{key}" if isinstance(key, str) and _NAME.match(key) else "changes"
                raise _fail(where, f"{shown(key)} is not a field that can be revised")
        reason = _text(reason, "reason")
        if not reason.strip():
            raise _fail("reason", "say why the plan changed")
        date = _date(date, "date")
        if self.revisions and date < self.revisions[-1].date:
            last = self.revisions[-1].date
            raise _fail("date", f"must not be before the last revision ({last}), got {date}")
        current = dataclasses.replace(self, revisions=())
        updated = {**current.to_dict(), **changes}
        revised = IWP.from_dict(updated)
        return dataclasses.replace(revised, revisions=self.revisions + (Revision(date, reason, current),))

    def sign_amendment(self, beneficiary: Mapping | None = None,
                       en_representative: Mapping | None = None) -> "IWP":
        """This IWP with the latest amendment's signatures set (``{"name", "date"}`` or None)."""
        if not self.revisions:
            raise _fail("revisions", "there is no amendment to sign")
        last = self.revisions[-1]
        signed = dataclasses.replace(
            last, beneficiary_signature=Signature.from_dict(beneficiary, "amendment.signatures.beneficiary"),
            en_signature=Signature.from_dict(en_representative, "amendment.signatures.en_representative"))
        for signature in (signed.beneficiary_signature, signed.en_signature):
            if signature is not None and signature.date < last.date:
                raise _fail("amendment.signatures",
                            f"an amendment is signed on or after its date ({last.date}), got {signature.date}")
        return dataclasses.replace(self, revisions=self.revisions[:-1] + (signed,))

    @property
    def latest_amendment_unsigned(self) -> bool:
        """True when the plan was amended and both have not signed the latest amendment yet."""
        return bool(self.revisions) and self.revisions[-1].signed_date is None

    def amendments(self) -> tuple[Amendment, ...]:
        """Every amendment, oldest first, with what it changed in plain words."""
        versions = [r.previous for r in self.revisions] + [dataclasses.replace(self, revisions=())]
        return tuple(
            Amendment(r.date, r.reason, describe_changes(versions[i], versions[i + 1]),
                      r.beneficiary_signature, r.en_signature, r.signed_date)
            for i, r in enumerate(self.revisions))

    def missing_for_signing(self) -> tuple[str, ...]:
        """What the plan still needs before both can sign it, in words (empty when complete)."""
        needs = [(self.beneficiary_name, _("the beneficiary's name")),
                 (self.en_name, _("the Employment Network's name")),
                 (self.employment_goal, _("the work goal")),
                 (self.services, _("the services and supports"))]
        return tuple(words for value, words in needs if not (value.strip() if isinstance(value, str) else value))

    @property
    def is_draft(self) -> bool:
        """Not signed by both, or not filled in enough to sign: printed as a draft."""
        return self.signed_date is None or bool(self.missing_for_signing())


def _labels() -> dict[str, str]:
    """Field names in words, for what an amendment changed (looked up when shown)."""
    return {
        "employment_goal": _("Work goal"), "short_term_goals": _("Short-term goals"),
        "long_term_goals": _("Long-term goals"), "earnings_at_start": _("Earnings when the plan starts"),
        "earnings_expected_at_end": _("Earnings expected at plan end"),
        "services": _("Services and supports"), "responsibilities": _("Your responsibilities"),
        "en_responsibilities": _("The Employment Network's responsibilities"),
        "en_conditions": _("The Employment Network's conditions"),
        "protection_advocacy_contact": _("Protection and Advocacy contact"),
        "beneficiary_name": _("Beneficiary"), "en_name": _("Employment Network"),
        "en_contact": _("Employment Network contact"), "counselor_name": _("Counselor"),
        "notes": _("Notes"), "signatures": _("Signatures"), "ticket": _("Ticket facts"),
    }


def _value_words(key: str, iwp: "IWP") -> str:
    if key in ("earnings_at_start", "earnings_expected_at_end"):
        return _("{amount} a month").format(amount=money(getattr(iwp, key)))
    if key == "services":
        items = [f"{s.label} ({s.provider})" if s.provider else s.label for s in iwp.services]
    elif key in ("short_term_goals", "long_term_goals", "responsibilities", "en_responsibilities"):
        items = list(getattr(iwp, key))
    elif key in ("signatures", "ticket"):
        return ""
    else:
        items = [getattr(iwp, key)] if getattr(iwp, key).strip() else []
    return "; ".join(items) if items else _("none")


def describe_changes(before: "IWP", after: "IWP") -> tuple[tuple[str, str, str], ...]:
    """What changed from ``before`` to ``after``, field by field: (what, before, after) in words,
    e.g. ("Work goal", "35 hours a week", "30 hours a week")."""
    old, new = before.to_dict(), after.to_dict()
    labels = _labels()
    return tuple((labels[key], _value_words(key, before), _value_words(key, after))
                 for key in labels if old.get(key) != new.get(key))


def _migrate_v2(data: Mapping[str, Any], where: str) -> dict:
    """Version 3 adds the people's names and the EN's contact; a version-2 IWP has none of them."""
    added = [key for key in (*PEOPLE_FIELDS, *EN_STATEMENT_FIELDS) if key != "en_name" and key in data]
    if added:
        raise _fail(f"{where}.{added[0]}", "is not a field of a version-2 IWP (it came with version 3)")
    return {**data, "version": IWP_VERSION}


# --- migration from the free-dict layout of plan schema 1 ---------------------------------------
# Words that point a free-text service at a catalogue entry, checked in this order.
_SERVICE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("benefits_counseling", ("benefit", "wipa", "work incentive")),
    ("resume_writing", ("resume", "résumé", "cv")),
    ("job_placement", ("placement",)),
    ("job_search", ("search", "job hunt", "job lead", "interview")),
    ("job_retention_advancement", ("retention", "advancement", "coach", "keep")),
    ("career_counseling", ("career", "counsel", "guidance")),
    ("training_education", ("training", "education", "class", "course", "school", "college")),
    ("assistive_technology", ("assistive", "technology", "device")),
    ("transportation", ("transport", "bus", "ride", "travel")),
)


def _split_text(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[\n;,]", value) if part.strip()]
    if isinstance(value, (list, tuple)):
        return [item if isinstance(item, str) else json.dumps(item) for item in value]
    return [json.dumps(value)]


def _service_from_text(text: str) -> dict:
    lowered = text.lower()
    kind = next((kind for kind, words in _SERVICE_WORDS
                 if any(re.search(rf"\b{re.escape(w)}", lowered) for w in words)), "other")
    return {"kind": kind, "description": text, "provider": "", "start": None, "end": None}


def migrate_v1(old: Mapping[str, Any]) -> dict:
    """Turn a version-1 IWP (a free dict) into the current layout.

    Known keys are mapped (``goal`` → ``employment_goal``; text lists may be one string separated by
    commas, semicolons or new lines; each service keeps its own words as ``description`` and gets the
    catalogue kind its words point to, else ``other``). Any other key is kept in ``notes`` as
    ``key: value`` so nothing is lost.
    """
    new: dict[str, Any] = {"version": IWP_VERSION}
    notes: list[str] = []
    for key, value in old.items():
        if key == "version":
            continue
        if key in ("goal", "employment_goal") and isinstance(value, str):
            new["employment_goal"] = value
        elif key in ("short_term_goals", "long_term_goals", "responsibilities"):
            new[key] = _split_text(value)
        elif key == "services":
            new["services"] = [_service_from_text(text) for text in _split_text(value)]
        elif key in ("earnings_at_start", "earnings_expected_at_end", "en_name", "notes"):
            new[key] = value
        else:
            notes.append(f"{key}: {value if isinstance(value, str) else json.dumps(value)}")
    if notes:
        new["notes"] = "\n".join(filter(None, [new.get("notes", "")] + notes))
    return new

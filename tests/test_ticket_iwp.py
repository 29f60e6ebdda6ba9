"""The IWP data model: JSON round trip, revisions, validation messages, migration of the v1 layout.

IWP contents follow SSA's EN guidance on Individual Work Plans (YTTW-IWP, rules.md §5.2) and the
Ticket facts the reviews and payments need (20 CFR §411.180(b)(2), §411.535, §411.525(a)(2)(i)).
"""

import json

import pytest

from iwp_widgets import PlanError
from iwp_widgets.ticket import DEFAULT_RESPONSIBILITIES, IWP, migrate_v1
from iwp_widgets.ticket.iwp import IWP_VERSION

FULL = {
    "version": 3,
    "beneficiary_name": "Ana Diaz",
    "en_contact": "Acme EN, 100 Main Street, (555) 010-0100",
    "counselor_name": "Lee Park",
    "employment_goal": "Pharmacy technician",
    "short_term_goals": ["Finish the certificate course", "Work 20 hours a week"],
    "long_term_goals": ["Work full time at a hospital pharmacy"],
    "earnings_at_start": 0.0,
    "earnings_expected_at_end": 2400.0,
    "services": [
        {"kind": "career_counseling", "description": "", "provider": "Acme EN",
         "start": "2026-02", "end": "2026-04"},
        {"kind": "training_education", "description": "", "provider": "City College",
         "start": "2026-02", "end": "2026-12"},
        {"kind": "other", "description": "Interview clothes", "provider": "Acme EN",
         "start": "2026-05", "end": "2026-05"},
    ],
    "responsibilities": list(DEFAULT_RESPONSIBILITIES),
    "en_responsibilities": ["We will meet with you every two weeks."],
    "en_conditions": "We may end our work with you if we cannot reach you for 90 days.",
    "protection_advocacy_contact": "Disability Rights Example, (555) 010-0199",
    "signatures": {"beneficiary": {"name": "Ana Diaz", "date": "2026-01-15"},
                   "en_representative": {"name": "Lee Park", "date": "2026-01-16"}},
    "en_name": "Acme EN",
    "notes": "",
    "ticket": {"inactive_months": ["2026-07"],
               "education": [{"period": 1, "academic_year_percent": 40.0, "completed": None}],
               "state_vr_closure_within_18_months": False,
               "en_substantially_completed_services": "2026-12",
               "earnings_before_assignment": [0.0] * 17 + [450.0]},
    "revisions": [],
}


def test_full_iwp_round_trips_exactly():
    iwp = IWP.from_dict(FULL)
    assert iwp.to_dict() == FULL
    assert iwp.signed_date == "2026-01-16" and iwp.signed_month == "2026-01"
    assert iwp.services[2].label == "Interview clothes"


def test_round_trip_with_two_revisions():
    first = IWP.from_dict(FULL)
    second = first.revise({"earnings_expected_at_end": 2600.0}, "Raise offered", "2026-06-01")
    third = second.revise({"employment_goal": "Pharmacy lead", "services": []},
                          "Promotion; services finished", "2026-11-20")
    assert [r.reason for r in third.revisions] == ["Raise offered", "Promotion; services finished"]
    assert [r.date for r in third.revisions] == ["2026-06-01", "2026-11-20"]
    assert third.revisions[0].previous.earnings_expected_at_end == 2400.0
    assert third.revisions[1].previous.employment_goal == "Pharmacy technician"
    assert third.revisions[1].previous.earnings_expected_at_end == 2600.0
    assert first.revisions == ()  # revise returns a new IWP; the old one is unchanged
    text = json.dumps(third.to_dict())
    again = IWP.from_dict(json.loads(text))
    assert again == third and again.to_dict() == third.to_dict()


def test_revision_needs_a_reason_and_a_date_in_order():
    iwp = IWP.from_dict(FULL).revise({"notes": "x"}, "typo", "2026-06-01")
    with pytest.raises(PlanError, match=r"^reason:"):
        iwp.revise({"notes": "y"}, " ", "2026-07-01")
    with pytest.raises(PlanError, match=r"^date:"):
        iwp.revise({"notes": "y"}, "again", "2026-05-01")
    with pytest.raises(PlanError, match=r"^changes.revisions:"):
        iwp.revise({"revisions": []}, "again", "2026-07-01")


@pytest.mark.parametrize("path, value, field", [
    (("services", 2, "provider"), 5, "iwp.services[2].provider"),
    (("services", 0, "kind"), "massage", "iwp.services[0].kind"),
    (("services", 1, "end"), "2026-01", "iwp.services[1].end"),
    (("services", 2, "description"), "", "iwp.services[2].description"),
    (("signatures", "beneficiary", "date"), "15/01/2026", "iwp.signatures.beneficiary.date"),
    (("earnings_at_start",), -5, "iwp.earnings_at_start"),
    (("ticket", "inactive_months", 0), "July", "iwp.ticket.inactive_months[0]"),
    (("ticket", "education", 0, "completed"), "phd", "iwp.ticket.education[0].completed"),
    (("ticket", "earnings_before_assignment"), [0.0] * 19, "iwp.ticket.earnings_before_assignment"),
    (("short_term_goals", 1), None, "iwp.short_term_goals[1]"),
])
def test_bad_input_names_the_field(path, value, field):
    data = json.loads(json.dumps(FULL))
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(PlanError) as caught:
        IWP.from_dict(data)
    assert str(caught.value).startswith(field + ":")
    assert caught.value.field == field


def test_unknown_field_is_an_error_not_dropped():
    with pytest.raises(PlanError, match=r"^iwp.colour:"):
        IWP.from_dict({**FULL, "colour": "blue"})


def test_migration_from_the_v1_free_dict():
    """Plan schema 1 kept the IWP as a free dict; strings become lists, services get catalogue kinds,
    and unknown keys are kept in notes."""
    old = {"goal": "Cashier", "services": "Resume help, job search; bus pass\nPeer support",
           "short_term_goals": "Get a job", "hours_per_week": 20}
    iwp = IWP.from_dict(old)
    assert iwp.employment_goal == "Cashier"
    assert [(s.kind, s.description) for s in iwp.services] == [
        ("resume_writing", "Resume help"), ("job_search", "job search"),
        ("transportation", "bus pass"), ("other", "Peer support")]
    assert iwp.short_term_goals == ("Get a job",)
    assert iwp.notes == "hours_per_week: 20"
    assert iwp.responsibilities == DEFAULT_RESPONSIBILITIES
    assert migrate_v1(old)["version"] == IWP_VERSION
    assert IWP.from_dict(iwp.to_dict()) == iwp
    assert IWP.from_dict({}) == IWP()


def test_unknown_version_is_an_error():
    with pytest.raises(PlanError, match=r"^iwp.version:"):
        IWP.from_dict({**FULL, "version": 9})


def test_services_end_month_falls_back_to_the_last_service():
    data = {**FULL, "ticket": {**FULL["ticket"], "en_substantially_completed_services": None}}
    assert IWP.from_dict(data).services_end_month() == "2026-12"
    assert IWP().services_end_month() is None


def test_a_damaged_field_name_names_the_object_that_holds_it():
    """A key that cannot be a field path (a damaged file) is reported on its parent object."""
    with pytest.raises(PlanError, match=r"^iwp: has an unknown field ' ervices'"):
        IWP.from_dict({**FULL, " ervices": []})
    with pytest.raises(PlanError, match=r"^iwp.ticket: has an unknown field ''"):
        IWP.from_dict({**FULL, "ticket": {"": 1}})

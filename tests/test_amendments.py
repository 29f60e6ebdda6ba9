"""Amendments to the IWP (issue 15 item 3): an effective date, the reason, what changed in plain
words, and the amendment's own signatures. An IWP is amended only when both agree
(20 CFR 411.465(a)(9)); each amendment is signed again by both."""

import datetime as dt

import pytest

from iwp_widgets import PlanError
from iwp_widgets.plan import Plan
from iwp_widgets.ticket import IWP
from iwp_widgets.ticket.statements import STATEMENTS

SIGNED = {"beneficiary": {"name": "Ana Diaz", "date": "2026-01-15"},
          "en_representative": {"name": "Lee Park", "date": "2026-01-16"}}


def base() -> IWP:
    return IWP.from_dict({"version": 3, "employment_goal": "35 hours a week", "beneficiary_name": "Ana Diaz",
                          "en_name": "Acme EN", "earnings_at_start": 0.0, "earnings_expected_at_end": 2400.0,
                          "services": [{"kind": "job_search", "description": "", "provider": "Acme EN",
                                        "start": None, "end": None}],
                          "signatures": SIGNED})


def test_plan_revise_records_the_old_iwp_with_date_and_reason():
    plan = Plan.example("ssdi_ramp_to_sga")
    first = plan.replace(iwp={"version": 2, "employment_goal": "Cashier"})
    revised = first.revise({"employment_goal": "Shift lead"}, "Promoted after six months", "2026-07-01")
    data = IWP.from_dict(revised.iwp).to_dict()
    assert data["employment_goal"] == "Shift lead"
    (revision,) = data["revisions"]
    assert revision["date"] == "2026-07-01"
    assert revision["reason"] == "Promoted after six months"
    assert revision["previous"]["employment_goal"] == "Cashier"
    assert revision["signatures"] == {"beneficiary": None, "en_representative": None}
    assert revised.earnings == plan.earnings  # only the IWP changed


def test_plan_revise_without_a_reason_is_refused():
    with pytest.raises(PlanError, match=r"^reason: "):
        Plan.example("ssdi_ramp_to_sga").revise({"employment_goal": "Cook"}, "  ", "2026-07-01")


def test_revise_is_the_models_not_the_storage_rooms():
    from iwp_widgets import storage

    assert not hasattr(storage, "revise")


def test_the_effective_date_defaults_to_today():
    amended = base().revise({"employment_goal": "30 hours a week"}, "Fewer hours")
    assert amended.revisions[-1].date == dt.date.today().isoformat()


def test_what_changed_is_said_field_by_field_in_plain_words():
    amended = base().revise({"employment_goal": "30 hours a week", "earnings_expected_at_end": 2000.0},
                            "Fewer hours after surgery", "2026-06-01")
    (amendment,) = amended.amendments()
    assert amendment.date == "2026-06-01" and amendment.reason == "Fewer hours after surgery"
    assert ("Work goal", "35 hours a week", "30 hours a week") in amendment.changes
    assert ("Earnings expected at plan end", "$2,400.00 a month", "$2,000.00 a month") in amendment.changes
    assert len(amendment.changes) == 2  # nothing else changed


def test_each_amendment_compares_with_the_version_after_it():
    twice = (base().revise({"employment_goal": "30 hours a week"}, "Fewer hours", "2026-06-01")
             .revise({"employment_goal": "25 hours a week"}, "Fewer again", "2026-09-01"))
    first, second = twice.amendments()
    assert first.changes == (("Work goal", "35 hours a week", "30 hours a week"),)
    assert second.changes == (("Work goal", "30 hours a week", "25 hours a week"),)


def test_an_amendment_has_its_own_signatures_and_is_unsigned_until_both_sign():
    amended = base().revise({"employment_goal": "30 hours a week"}, "Fewer hours", "2026-06-01")
    assert amended.signed_date == "2026-01-16"  # the plan itself stays signed
    assert amended.latest_amendment_unsigned
    half = amended.sign_amendment(beneficiary={"name": "Ana Diaz", "date": "2026-06-02"})
    assert half.latest_amendment_unsigned
    both = half.sign_amendment(beneficiary={"name": "Ana Diaz", "date": "2026-06-02"},
                               en_representative={"name": "Lee Park", "date": "2026-06-03"})
    assert not both.latest_amendment_unsigned
    assert both.revisions[-1].signed_date == "2026-06-03"
    assert IWP.from_dict(both.to_dict()) == both  # the signatures are saved with the amendment


def test_an_amendment_cannot_be_signed_before_it_takes_effect():
    amended = base().revise({"employment_goal": "30 hours a week"}, "Fewer hours", "2026-06-01")
    with pytest.raises(PlanError, match="on or after"):
        amended.sign_amendment(beneficiary={"name": "Ana Diaz", "date": "2026-05-30"})
    with pytest.raises(PlanError, match="no amendment"):
        base().sign_amendment(beneficiary={"name": "Ana Diaz", "date": "2026-05-30"})


def test_a_half_filled_or_unsigned_iwp_is_a_draft():
    assert not base().is_draft
    assert IWP.from_dict({**base().to_dict(), "signatures": {"beneficiary": SIGNED["beneficiary"],
                                                            "en_representative": None}}).is_draft
    unnamed = IWP.from_dict({**base().to_dict(), "beneficiary_name": ""})
    assert unnamed.is_draft and unnamed.missing_for_signing() == ("the beneficiary's name",)


def test_every_statement_of_411_465_and_411_470_is_there_with_its_citation():
    citations = " ".join(s.citation for s in STATEMENTS)
    for paragraph in range(1, 11):
        assert f"411.465(a)({paragraph})" in citations
    assert "411.470" in citations
    assert all(s.text.strip() and s.heading.strip() for s in STATEMENTS)


@pytest.mark.parametrize("field", ["en_conditions", "protection_advocacy_contact", "en_responsibilities"])
def test_the_ens_statement_fields_came_with_version_3(field):
    with pytest.raises(PlanError, match=rf"^iwp\.{field}: is not a field of a version-2 IWP"):
        IWP.from_dict({"version": 2, field: [] if field == "en_responsibilities" else ""})
    assert IWP.from_dict({"version": 2}).en_conditions == ""

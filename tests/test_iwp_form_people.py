"""The IWP form edits who the plan is for, the EN's part of the required statements, the
amendment's effective date, and the latest amendment's signatures (issue 15 items 1–3)."""

import datetime as dt

from iwp_widgets.ticket import IWP


def iwp_of(app) -> IWP:
    return IWP.from_dict(app.state.plan.iwp)


def test_the_people_and_the_ens_part_are_labelled_inputs_that_reach_the_plan(goals):
    typed = {
        "iwp.beneficiary_name": ("Beneficiary's name", "Ana Núñez"),
        "iwp.counselor_name": ("Counselor", "Sam Lee"),
        "iwp.en_name": ("Employment Network", "Acme Careers"),
        "iwp.en_contact": ("How to reach the EN", "(555) 010-0100"),
        "iwp.en_conditions": ("When the EN may change the plan or end its work", "After 90 days without contact."),
        "iwp.protection_advocacy_contact": ("Protection and Advocacy contact", "Disability Rights Example"),
    }
    for source, (label, value) in typed.items():
        control = goals.iwp.fields[source].control
        assert control.description == label
        control.value = value
    goals.iwp.fields["iwp.en_responsibilities"].control.value = "Meet every two weeks\n\nFind job leads"
    iwp = iwp_of(goals)
    assert (iwp.beneficiary_name, iwp.counselor_name, iwp.en_name, iwp.en_contact) == \
        ("Ana Núñez", "Sam Lee", "Acme Careers", "(555) 010-0100")
    assert iwp.en_conditions == "After 90 days without contact."
    assert iwp.protection_advocacy_contact == "Disability Rights Example"
    assert iwp.en_responsibilities == ("Meet every two weeks", "Find job leads")


def test_an_amendment_takes_its_effective_date_and_is_signed_on_its_own_lines(goals):
    box = goals.iwp.amendment_box
    assert box.layout.display == "none"  # nothing to sign before an amendment
    goals.iwp.fields["iwp.employment_goal"].control.value = "Line cook"
    goals.files.reason.control.value = "New job offer"
    goals.files.effective_date.control.value = dt.date(2026, 6, 1)
    goals.files.revise_button.click()
    (revision,) = iwp_of(goals).revisions
    assert revision.date == "2026-06-01" and revision.reason == "New job offer"
    assert box.layout.display is None and iwp_of(goals).latest_amendment_unsigned
    early = goals.iwp.fields["iwp.amendment.beneficiary"]
    early.control.value = "Ana Núñez, 2026-05-30"
    assert "on or after" in early.error and iwp_of(goals).revisions[-1].beneficiary_signature is None
    early.control.value = "Ana Núñez, 2026-06-02"
    goals.iwp.fields["iwp.amendment.en_representative"].control.value = "Lee Park, 2026-06-03"
    assert iwp_of(goals).revisions[-1].signed_date == "2026-06-03"
    assert not iwp_of(goals).latest_amendment_unsigned

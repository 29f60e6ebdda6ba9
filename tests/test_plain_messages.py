"""Messages a counselor reads are plain sentences; ``PlanError.field`` keeps the path (issue 14).

Issue 14 item 5: switching Benefits to "SSI only" stopped at developer messages one after another
(`profile.ssdi_monthly: must be 0 when benefits is 'ssi' (use 'concurrent'…)`, then
`profile.twp_months_used: …`), and messages showed field paths (`iwp.services[4].end:`).
"""

import re
from html import unescape

import pytest

from iwp_widgets import Plan, PlanError
from iwp_widgets.apps import goal_setting
from iwp_widgets.errors import field_label

# What a person must never read: a field path (profile.ssdi_monthly, iwp.services[4].end), a
# snake_case name, a list index, a quoted code word or the programmers' month pattern.
DEVELOPER_WORDS = re.compile(r"\b[a-z]+\.[a-z_]+|\b[a-z0-9]+_[a-z0-9_]+\b|\[\d+\]|'(ssi|ssdi|concurrent)'|YYYY")


def assert_plain(sentence: str) -> None:
    assert sentence and sentence[0].isupper() and sentence.endswith("."), sentence
    assert not DEVELOPER_WORDS.search(sentence), sentence


def error_of(data: dict) -> PlanError:
    with pytest.raises(PlanError) as info:
        Plan.from_dict(data)
    return info.value


def shown_error(field) -> str:
    return unescape(re.sub(r"<[^>]+>", "", field.error))


def test_a_plan_for_ssi_only_with_ssdi_facts_reads_as_sentences():
    data = Plan.example("ssdi_ramp_to_sga").to_dict()
    data["profile"]["benefits"] = "ssi"
    error = error_of(data)
    assert error.field == "profile.ssdi_monthly"                        # for programmers
    assert str(error).startswith("profile.ssdi_monthly: ")
    assert error.plain == ("The SSDI check must be zero for someone who gets SSI only (choose “SSDI and "
                           "SSI” for both).")
    assert_plain(error.plain)
    data["profile"]["ssdi_monthly"] = 0
    error = error_of(data)
    assert error.field == "profile.twp_months_used"
    assert error.plain == ("The list of trial work months already used is SSDI history, and this person "
                           "gets SSI only (the trial work period is an SSDI rule).")


def test_the_benefits_fields_in_the_app_show_sentences(goals):
    """Switching to SSDI and SSI shows the SSI fields; a wrong month there reads as a sentence."""
    goals.profile.fields["profile.benefits"].control.value = "concurrent"
    goals.profile.fields["profile.ssi_eligible_before"].control.value = False
    field = goals.profile.fields["profile.ssi_since"]
    field.control.value = "2025-11"
    assert shown_error(field) == ("The month SSI payments began is for someone getting SSI now, and "
                                  "“Getting SSI now” is not checked.")
    goals.profile.fields["profile.ssi_eligible_before"].control.value = True
    field.control.value = "2030-01"
    shown = shown_error(field)
    assert shown == ("The month SSI payments began must be before the plan starts (January 2026); "
                     "you typed January 2030.")
    assert goals.state.error.field == "profile.ssi_since"
    ssdi = goals.profile.fields["profile.ssdi_monthly"]
    ssdi.control.value = -5.0
    assert shown_error(ssdi) == "The SSDI check must be $0.00 or more; you typed -5."
    assert_plain(shown_error(ssdi))


def test_a_bad_service_end_date_reads_as_a_sentence(goals):
    form = goals.iwp
    form.start.value, form.end.value = "2026-05", "2026-03"
    form.add_button.click()
    shown = shown_error(form.fields["iwp.services"])
    assert shown == ("The end month of service 1 must not be before the service starts (May 2026); "
                     "you typed March 2026.")
    form.start.value, form.end.value = "", "2026-13"
    form.add_button.click()
    shown = shown_error(form.fields["iwp.services"])
    assert shown == ("The end month of service 1 must be a month written year-month, like 2026-03; "
                     "you typed '2026-13'.")
    assert_plain(shown.replace("'2026-13'", ""))
    with pytest.raises(PlanError) as info:
        from iwp_widgets.ticket import IWP
        IWP.from_dict({"version": 3, "services": [{"kind": "job_placement"}] * 4 + [
            {"kind": "job_placement", "start": "2026-05", "end": "2026-03"}]})
    assert info.value.field == "iwp.services[4].end"
    assert info.value.plain.startswith("The end month of service 5 must not be before")


def test_a_month_of_the_plan_is_named_by_its_month():
    data = Plan.example("concurrent_irwe").to_dict()          # starts January 2026
    data["earnings"][3] = -5
    error = error_of(data)
    assert error.field == "earnings[3]" and str(error) == "earnings[3]: must be $0.00 or more; you typed -5"
    assert error.plain == "Earnings for April 2026 must be $0.00 or more; you typed -5."
    data = Plan.example("concurrent_irwe").to_dict()
    data["profile"]["earnings_before"] = [0, -1]
    assert error_of(data).plain == "Earnings in December 2025 must be $0.00 or more; you typed -1."
    # Without the plan's start (a PlanError raised elsewhere) the month is counted instead.
    assert PlanError("earnings[3]: must be $0.00 or more; you typed -5").plain == (
        "Earnings for month 4 of the plan must be $0.00 or more; you typed -5.")


@pytest.mark.parametrize("field, words", [
    ("profile.ssdi_monthly", "The SSDI check"),
    ("work_expenses.irwe[2]", "Impairment-related work expenses for March 2026"),
    ("iwp.services[4].end", "The end month of service 5"),
    ("profile.twp_months_used[0]", "Trial work month 1 already used"),
    ("step_ups[0]", "The step-ups"),
    ("no_such_field", ""),
])
def test_field_labels(field, words):
    assert field_label(field, "2026-01") == words


def test_an_instruction_follows_a_colon_and_an_unlabelled_field_is_named_by_its_key():
    assert PlanError("step_ups[0]: write month: hours a week, like 6: 30").plain == (
        "The step-ups: write month: hours a week, like 6: 30.")
    assert PlanError("profile.'star ': unknown field (known: start)").plain == (
        "The field 'star ': unknown field (known: start).")


# Seen in the session's screenshot (2026-11-26): moving "Work starts" onto the month of the first
# step-up showed "The field step_ups[0].month must come after the start month (3), got 3."
EARNINGS_PATH_MISTAKES = {
    "a step-up on the start month": {"start_month": 3, "step_ups": [[3, 10, 15.0]]},
    "a step-up after the goal month": {"start_month": 1, "target_month": 5, "target_hours": 30,
                                       "step_ups": [[6, 10, 15.0]]},
    "a goal month before work starts": {"start_month": 4, "target_month": 2, "target_hours": 30},
    "a break that ends before it starts": {"breaks": [[6, 4]]},
    "a step-up with too many hours": {"step_ups": [[3, 200, 15.0]]},
    "a step-up month past the path": {"step_ups": [[99, 10, 15.0]]},
    "an unknown ramp": {"ramp": "zigzag"},
}


@pytest.mark.parametrize("mistake", EARNINGS_PATH_MISTAKES)
def test_every_earnings_path_mistake_reads_as_a_sentence(mistake):
    from iwp_widgets.earnings_path import EarningsPath

    data = {"months": 36, "start_month": 0, "start_hours": 20, "start_wage": 15.0,
            **EARNINGS_PATH_MISTAKES[mistake]}
    with pytest.raises(PlanError) as info:
        EarningsPath.from_dict(data)
    assert info.value.field            # programmers keep the path
    assert_plain(info.value.plain)

"""The beneficiary's name is typed once and shows everywhere (issue 14).

It lives in one place, the IWP's ``beneficiary_name``: the profile editor's name field, the IWP
form, the benefits summary and the printed IWP all read and write it. Plans saved before kept a
second name in ``profile.name``; they still open, with that name read into the IWP.
"""

import json

import pytest

from iwp_widgets import Plan, PlanError
from iwp_widgets.benefits_summary import benefits_summary
from iwp_widgets.report import report_html


def saved_before(profile_name: str, iwp_name: str = "", version: int = 5) -> dict:
    """A plan document as this program wrote it before the name moved: ``profile.name`` set."""
    data = Plan.example("ssdi_ramp_to_sga").to_dict()
    data["schema_version"] = version
    data["profile"]["name"] = profile_name
    data["iwp"]["beneficiary_name"] = iwp_name
    if version < 5:  # an IWP of version 2, without the people's names
        data["iwp"] = {"version": 2, "employment_goal": "Pharmacy technician"}
    if version < 4:  # nor the months before the plan, nor (before 3) the earnings path
        for key in ("ssi_since", "earnings_before", "unearned_before"):
            del data["profile"][key]
    if version < 3:
        del data["earnings_path"]
    return data


def test_a_plan_holds_the_name_once_in_its_iwp():
    plan = Plan.example("ssdi_ramp_to_sga")
    assert not hasattr(plan.profile, "name")
    assert "name" not in plan.to_dict()["profile"]


@pytest.mark.parametrize("version", [1, 4, 5])
def test_a_plan_saved_with_the_profile_name_opens_with_it_as_the_beneficiarys(tmp_path, version):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(saved_before("Ana Díaz", version=version)), encoding="utf-8")
    plan = Plan.load(path)
    assert plan.iwp.beneficiary_name == "Ana Díaz"
    saved = plan.to_dict()
    assert "name" not in saved["profile"] and saved["iwp"]["beneficiary_name"] == "Ana Díaz"
    assert Plan.from_dict(json.loads(plan.to_json())) == plan


def test_a_saved_plan_in_the_store_still_opens(store):
    store.folder.mkdir(parents=True, exist_ok=True)
    store.path("Ana").write_text(json.dumps(saved_before("Ana Díaz")), encoding="utf-8")
    assert store.open("Ana").iwp.beneficiary_name == "Ana Díaz"


def test_when_both_names_were_typed_the_iwps_stays_and_the_other_is_kept_in_the_notes():
    plan = Plan.from_dict(saved_before("Ana", iwp_name="Ana Díaz López"))
    assert plan.iwp.beneficiary_name == "Ana Díaz López"
    assert "Ana" in plan.iwp.notes.splitlines()[-1]  # nothing saved is lost
    same = Plan.from_dict(saved_before("Ana Díaz", iwp_name="Ana Díaz"))
    assert same.iwp.beneficiary_name == "Ana Díaz" and same.iwp.notes == ""


def test_an_old_name_that_is_not_text_is_named_in_the_error():
    with pytest.raises(PlanError) as caught:
        Plan.from_dict(saved_before(["Ana"]))
    assert caught.value.field == "profile.name"
    assert "profile." not in caught.value.plain


def test_the_name_typed_in_the_profile_shows_in_the_iwp_form_summary_and_print(goals):
    goals.profile.fields["iwp.beneficiary_name"].control.value = "Ana Díaz"
    plan = goals.state.plan
    assert plan.iwp.beneficiary_name == "Ana Díaz"
    assert goals.iwp.fields["iwp.beneficiary_name"].control.value == "Ana Díaz"
    assert benefits_summary(plan, goals.state.table).person == "Ana Díaz"
    assert "Ana Díaz" in report_html(plan, goals.state.table)


def test_the_name_typed_in_the_iwp_form_shows_in_the_profile(goals):
    goals.iwp.fields["iwp.beneficiary_name"].control.value = "Ana Díaz"
    assert goals.state.plan.iwp.beneficiary_name == "Ana Díaz"
    assert goals.profile.fields["iwp.beneficiary_name"].control.value == "Ana Díaz"


def test_the_session_opens_an_old_plan_with_its_name_in_the_profile(store):
    from iwp_widgets.apps import session

    app = session.App(Plan.from_dict(saved_before("Ana Díaz")), name="old", store=store)
    assert app.profile.fields["iwp.beneficiary_name"].control.value == "Ana Díaz"
    assert app.iwp.open_form().fields["iwp.beneficiary_name"].control.value == "Ana Díaz"

"""The plan model: validation (PlanError names the field), JSON round trip, files, versions."""

import copy
import dataclasses
import json
import math
import os

import pytest

import iwp_widgets as iwp
from iwp_widgets import Plan, PlanError
from iwp_widgets import plan as plan_module


def document(**changes) -> dict:
    """A complete, valid schema-1 plan document with some fields changed."""
    base = {
        "schema_version": 1,
        "start": "2026-01",
        "earnings": [0.0, 800.0, 1300.0, 1300.0],
        "hours": None,
        "work_expenses": {"irwe": 0.0, "bwe": 0.0, "subsidy": 0.0, "pass": 0.0},
        "profile": {
            "benefits": "ssdi", "name": "", "ssdi_monthly": 1400.0, "ssi_unit": "individual",
            "state": "CA", "state_supplement": 0.0, "unearned_income": 0.0, "blind": False,
            "student": False, "birth_month": None, "self_employed": False,
            "twp_months_used": [], "twp_completed": None, "ssdi_cessation_month": None,
            "ssi_eligible_before": True, "ticket_assigned": None,
        },
        "options": {"ssi_accounting": "retrospective", "en_payment_system": "milestone_outcome",
                    "p1m1_rule": "en_guidance", "p1m4_rule": "regulation",
                    "phase2_blind_rule": "regulation"},
        "iwp": {},
    }
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if key in ("profile", "work_expenses", "options"):
            data[key].update(value)
        else:
            data[key] = value
    return data


def error_for(data) -> PlanError:
    with pytest.raises(PlanError) as caught:
        Plan.from_dict(data)
    return caught.value


# --- round trip and files ---------------------------------------------------------------------

def test_round_trip_is_exact():
    data = document(work_expenses={"irwe": [0, 50.5, 50.5, 50.5]})
    plan = Plan.from_dict(data)
    saved = plan.to_dict()
    assert saved["schema_version"] == plan_module.SCHEMA_VERSION
    expected = copy.deepcopy(data)  # plus schema 4's months before the plan, at their defaults
    expected["profile"].update(ssi_since=None, earnings_before=[0.0, 0.0], unearned_before=None)
    del expected["profile"]["name"]  # the name is the IWP's now (tests/test_beneficiary_name.py)
    for key in ("start", "earnings", "hours", "work_expenses", "profile", "options"):
        assert saved[key] == expected[key], key  # the engine's fields come back unchanged
    assert Plan.from_dict(saved) == plan
    assert Plan.from_dict(saved).to_dict() == saved
    assert json.loads(plan.to_json()) == saved


def test_save_and_load(tmp_path):
    plan = Plan.from_dict(document())
    path = plan.save(tmp_path / "plan.json")
    assert Plan.load(path) == plan
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temp file left


def test_save_replaces_atomically_and_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    Plan.from_dict(document()).save(path)
    old = path.read_text()

    def broken_replace(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        Plan.from_dict(document(earnings=[1.0])).save(path)
    assert path.read_text() == old
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_plans_are_immutable_and_changes_validate():
    plan = Plan.from_dict(document())
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.start = "2027-01"
    assert plan.with_earnings([5.0]).earnings == (5.0,)
    with pytest.raises(PlanError, match=r"^earnings\[1\]"):
        plan.with_earnings([5.0, -1.0])
    with pytest.raises(PlanError, match=r"^start"):
        dataclasses.replace(plan, start="2026-13")
    changed = plan.replace(profile={"state": "NY"})
    assert changed.profile.state == "NY" and plan.profile.state == "CA"


def test_examples_load_and_round_trip():
    names = Plan.examples()
    assert {"ssdi_ramp_to_sga", "ssi_student", "concurrent_irwe"} <= set(names)
    for name in names:
        plan = Plan.example(name)
        assert 24 <= plan.months <= 36
        with open(plan_module.EXAMPLES_DIR / f"{name}.json") as handle:
            stored = json.load(handle)
        assert plan.to_dict() == stored  # shipped in the current schema, exact round trip
        assert Plan.from_dict(plan.to_dict()) == plan
    with pytest.raises(PlanError, match="^name"):
        Plan.example("no_such_plan")


# --- versions -------------------------------------------------------------------------------------

def test_newer_schema_version_is_refused():
    newer = plan_module.SCHEMA_VERSION + 1
    assert error_for(document(schema_version=newer)).field == "schema_version"
    assert "newer" in str(error_for(document(schema_version=newer)))


def test_missing_or_bad_schema_version():
    data = document()
    del data["schema_version"]
    assert error_for(data).field == "schema_version"
    assert error_for(document(schema_version="1")).field == "schema_version"


def test_migration_hook_upgrades_older_files(monkeypatch):
    """When version 2 exists, MIGRATIONS[1] turns a version-1 document into version 2."""
    current = plan_module.SCHEMA_VERSION
    latest = Plan.from_dict(document()).to_dict()  # a document of the current version
    monkeypatch.setattr(plan_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(plan_module.MIGRATIONS, current,
                        lambda d: dict(d, schema_version=current + 1, migrated=True))
    upgraded = plan_module.migrate(latest)
    assert upgraded["schema_version"] == current + 1 and upgraded["migrated"]
    monkeypatch.setitem(plan_module.MIGRATIONS, current, lambda d: dict(d))
    with pytest.raises(PlanError, match="^schema_version"):
        plan_module.migrate(latest)


# --- the earnings path (schema 3) -----------------------------------------------------------------

LINEAR_PATH = {"months": 4, "start_month": 1, "start_hours": 10, "start_wage": 15.5, "target_month": 3,
               "target_hours": 30, "target_wage": 16.0, "ramp": "linear", "step_ups": [],
               "breaks": [], "edits": {"2": 700.0}}


def test_schema_5_is_current_and_every_older_version_still_opens():
    assert plan_module.SCHEMA_VERSION == 5
    assert set(plan_module.MIGRATIONS) == {1, 2, 3, 4}
    for version in (1, 2, 3):
        plan = Plan.from_dict(document(schema_version=version))
        assert plan.earnings_path is None  # older files have no path: the editor refits
        assert plan.to_dict()["schema_version"] == 5
        assert plan.to_dict()["earnings_path"] is None
        # No months before the plan in older files: no earnings, the plan's unearned income.
        assert plan.profile.earnings_before == (0.0, 0.0)
        assert plan.profile.unearned_before is None and plan.profile.ssi_since is None


def test_migration_3_to_4_adds_nothing_and_refuses_the_new_fields_in_older_files():
    v3 = Plan.from_dict(document()).to_dict()
    v3["schema_version"] = 3
    for key in plan_module.BEFORE_PLAN_FIELDS:
        del v3["profile"][key]
    assert plan_module.MIGRATIONS[3](v3) == {**v3, "schema_version": 4}
    for version in (1, 2, 3):
        error = error_for(document(schema_version=version, profile={"earnings_before": [0, 0]}))
        assert error.field == "profile.earnings_before"
        assert "schema version 4" in str(error)


def test_schema_5_names_the_people_and_older_files_open_with_the_names_empty():
    """Issue #15 item 2: the beneficiary, the EN with its contact, the counselor."""
    v4 = Plan.from_dict(document(schema_version=4, iwp={"version": 2, "en_name": "Acme EN"}))
    assert (v4.iwp.beneficiary_name, v4.iwp.en_name, v4.iwp.counselor_name) == ("", "Acme EN", "")
    people = {"version": 3, "beneficiary_name": "Alex Rivera", "en_name": "Acme EN",
              "en_contact": "(555) 010-0100", "counselor_name": "Sam Lee"}
    plan = Plan.from_dict(document(iwp=people))
    again = Plan.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert {key: again.iwp.to_dict()[key] for key in people} == people
    # A version-2 IWP cannot carry version 3's fields: the file says which one.
    error = error_for(document(iwp={"version": 2, "counselor_name": "Sam Lee"}))
    assert error.field == "iwp.counselor_name" and "version 3" in str(error)
    assert plan_module.MIGRATIONS[4]({"schema_version": 4, "start": "2026-01"}) == \
        {"schema_version": 5, "start": "2026-01"}


def test_months_before_the_plan_are_checked():
    """Schema 4: two amounts each; getting SSI since a month before the start, only while
    getting SSI (20 CFR 416.420 looks back two months)."""
    ssi = {"benefits": "ssi", "ssdi_monthly": 0.0}
    v4 = {"schema_version": 4}
    assert error_for(document(**v4, profile={**ssi, "earnings_before": [100]})).field == \
        "profile.earnings_before"
    assert error_for(document(**v4, profile={**ssi, "earnings_before": [100, -1]})).field == \
        "profile.earnings_before[1]"
    assert error_for(document(**v4, profile={**ssi, "unearned_before": [1, 2, 3]})).field == \
        "profile.unearned_before"
    assert error_for(document(**v4, profile={**ssi, "ssi_since": "2026-01"})).field == \
        "profile.ssi_since"  # not before start
    not_now = {**ssi, "ssi_since": "2025-11", "ssi_eligible_before": False}
    assert error_for(document(**v4, profile=not_now)).field == "profile.ssi_since"
    assert error_for(document(**v4, profile={"ssi_since": "2025-11"})).field == \
        "profile.ssi_since"  # SSDI only
    plan = Plan.from_dict(document(**v4, profile={**ssi, "ssi_since": "2025-12",
                                                  "earnings_before": [0, 250.5],
                                                  "unearned_before": [20, 20]}))
    assert plan.profile.earnings_before == (0.0, 250.5)
    assert Plan.from_dict(plan.to_dict()) == plan


def test_migration_2_to_3_adds_nothing():
    v2 = Plan.from_dict(document()).to_dict()
    v2["schema_version"] = 2
    del v2["earnings_path"]
    v3 = plan_module.MIGRATIONS[2](v2)
    assert v3 == {**v2, "schema_version": 3}


def test_an_older_file_cannot_carry_an_earnings_path():
    """The field came with version 3: in a version 1 or 2 file it is unknown, not dropped."""
    for version in (1, 2):
        error = error_for(document(schema_version=version, earnings_path=LINEAR_PATH))
        assert error.field == "earnings_path"
        assert "schema version 3" in str(error)


def test_earnings_path_round_trips_exactly(tmp_path):
    plan = Plan.from_dict(document(schema_version=3, earnings_path=LINEAR_PATH))
    assert plan.to_dict()["earnings_path"] == LINEAR_PATH
    assert plan.earnings_path.ramp == "linear" and plan.earnings_path.edits == {2: 700.0}
    assert Plan.from_dict(plan.to_dict()) == plan
    assert Plan.load(plan.save(tmp_path / "plan.json")).to_dict()["earnings_path"] == LINEAR_PATH
    assert Plan.from_dict(document(schema_version=3, earnings_path=None)).earnings_path is None


@pytest.mark.parametrize("change, field", [
    ({"start_hours": -5}, "earnings_path.start_hours"),
    ({"start_wage": "15"}, "earnings_path.start_wage"),
    ({"months": 24}, "earnings_path.months"),
    ({"ramp": "curvy"}, "earnings_path.ramp"),
    ({"target_month": 0}, "earnings_path.target_month"),
    ({"step_ups": [[2, 20]]}, "earnings_path.step_ups[0]"),
    ({"step_ups": [[9, 20, 15]]}, "earnings_path.step_ups[0].month"),
    ({"breaks": [[3, 1]]}, "earnings_path.breaks[0].last"),
    ({"breaks": "2-3"}, "earnings_path.breaks"),
    ({"edits": {"two": 5.0}}, "earnings_path.edits"),
    ({"edits": {"2": -1}}, "earnings_path.edits[2]"),
    ({"edits": [1]}, "earnings_path.edits"),
    ({"shift": "nights"}, "earnings_path.shift"),
])
def test_a_bad_earnings_path_names_its_field(change, field):
    error = error_for(document(schema_version=3, earnings_path={**LINEAR_PATH, **change}))
    assert error.field == field
    assert str(error).startswith(field + ": ")


def test_earnings_path_months_must_match_the_plan():
    error = error_for(document(schema_version=3, earnings_path={**LINEAR_PATH, "months": 24}))
    assert str(error) == "earnings_path.months: must equal the plan's months (4), got 24"
    path = {key: value for key, value in LINEAR_PATH.items() if key != "months"}
    assert error_for(document(schema_version=3, earnings_path=path)).field == "earnings_path.months"
    assert error_for(document(schema_version=3, earnings_path=[1])).field == "earnings_path"


def test_a_path_that_no_longer_draws_the_earnings_keeps_the_plan_valid():
    """Earnings are the truth, the path only the editor's memory: a hand-edited file opens as it
    is (the editor then refits; tests/test_widgets.py)."""
    plan = Plan.from_dict(document(schema_version=3, earnings_path=LINEAR_PATH))
    assert plan.earnings_path.earnings() != list(plan.earnings)
    assert plan.earnings == (0.0, 800.0, 1300.0, 1300.0)


def test_with_earnings_stores_the_path_that_drew_them_or_none():
    from iwp_widgets.earnings_path import EarningsPath

    plan = Plan.from_dict(document())
    path = EarningsPath.from_dict(LINEAR_PATH)
    drawn = plan.with_earnings(path.earnings(), path=path)
    assert drawn.earnings == tuple(path.earnings()) and drawn.earnings_path is path
    assert drawn.with_earnings([5.0]).earnings_path is None  # the old path described other earnings
    assert drawn.replace(profile={"state": "NY"}).earnings_path is path
    with pytest.raises(PlanError, match=r"^earnings_path\.months"):
        drawn.with_earnings([5.0], path=path)


# --- corrupt files ------------------------------------------------------------------------------

def test_truncated_file(tmp_path):
    path = tmp_path / "plan.json"
    text = Plan.from_dict(document()).to_json()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(PlanError) as caught:
        Plan.load(path)
    assert caught.value.field == "file"


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", "\x00\x01"])
def test_corrupt_file(tmp_path, content):
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(PlanError) as caught:
        Plan.load(path)
    assert caught.value.field == "file"


def test_missing_file(tmp_path):
    with pytest.raises(PlanError, match="^file"):
        Plan.load(tmp_path / "nope.json")


# --- field validation ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [-5, math.nan, math.inf, "12", True, None])
def test_bad_earnings_name_the_month(bad):
    earnings = [0.0, 1.0, 2.0, bad]
    error = error_for(document(earnings=earnings))
    assert str(error).startswith("earnings[3]:")
    assert error.field == "earnings[3]"


def test_earnings_length_limits():
    assert error_for(document(earnings=[])).field == "earnings"
    assert error_for(document(earnings=[0.0] * 241)).field == "earnings"
    assert error_for(document(earnings="100")).field == "earnings"


def test_hours_and_expense_lists_must_match_months():
    assert error_for(document(hours=[10, 20])).field == "hours"
    assert error_for(document(work_expenses={"irwe": [1, 2]})).field == "work_expenses.irwe"
    assert error_for(document(work_expenses={"irwe": -3})).field == "work_expenses.irwe"
    assert error_for(document(work_expenses={"subsidy": [0, 0, 0, "x"]})).field == \
        "work_expenses.subsidy[3]"


@pytest.mark.parametrize("profile, field", [
    ({"benefits": "ssdx"}, "profile.benefits"),
    ({"state": "ZZ"}, "profile.state"),
    ({"ssi_unit": "trio"}, "profile.ssi_unit"),
    ({"blind": "yes"}, "profile.blind"),
    ({"birth_month": "2006-5"}, "profile.birth_month"),
    ({"twp_completed": "2025-00"}, "profile.twp_completed"),
    ({"twp_months_used": ["2024-01", "24-02"]}, "profile.twp_months_used[1]"),
    ({"twp_months_used": "2024-01"}, "profile.twp_months_used"),
    ({"ssdi_monthly": -1}, "profile.ssdi_monthly"),
    ({"unearned_income": math.nan}, "profile.unearned_income"),
])
def test_bad_profile_fields(profile, field):
    assert error_for(document(profile=profile)).field == field


@pytest.mark.parametrize("start", ["2026-1", "2026-13", "202601", 202601, None])
def test_bad_start(start):
    assert error_for(document(start=start)).field == "start"


def test_start_outside_threshold_tables():
    """The SSDI figures start in 1990 and SSI's in 2000 (thresholds/*.csv)."""
    assert error_for(document(start="1985-01")).field == "start"
    ssi = {"benefits": "ssi", "ssdi_monthly": 0.0}
    assert error_for(document(start="1995-01", profile=ssi)).field == "start"
    Plan.from_dict(document(start="1995-01"))  # SSDI figures exist for 1995


def test_unknown_fields_are_errors_not_dropped():
    assert error_for(document(colour="red")).field == "colour"
    assert error_for(document(profile={"nickname": "x"})).field == "profile.nickname"
    assert error_for(document(options={"speed": 1})).field == "options.speed"
    assert error_for(document(options={"ssi_accounting": "annual"})).field == \
        "options.ssi_accounting"


def test_contradictions():
    ssi = {"benefits": "ssi"}
    assert error_for(document(profile=ssi)).field == "profile.ssdi_monthly"  # 1400 with ssi
    assert error_for(document(profile={"ssdi_monthly": 0})).field == "profile.ssdi_monthly"
    assert error_for(document(profile={"student": True})).field == "profile.birth_month"
    assert error_for(document(profile={**ssi, "ssdi_monthly": 0,
                                       "twp_months_used": ["2025-01"]})).field == \
        "profile.twp_months_used"
    assert error_for(document(work_expenses={"bwe": 10})).field == "work_expenses.bwe"
    assert error_for(document(profile={"ssdi_cessation_month": "2025-01"})).field == \
        "profile.ssdi_cessation_month"
    assert error_for(document(profile={"twp_completed": "2026-02"})).field == \
        "profile.twp_completed"  # history must be before start
    assert error_for(document(profile={"twp_months_used": ["2026-01"]})).field == \
        "profile.twp_months_used[0]"


def test_more_than_nine_twp_months_in_a_window():
    """20 CFR 404.1592(e): the TWP ends with the 9th month in 60, so a 10th cannot exist."""
    ten = [f"2024-{m:02d}" for m in range(1, 11)]
    error = error_for(document(profile={"twp_months_used": ten}))
    assert error.field == "profile.twp_months_used"
    # 10 months spread over more than 60 months are fine (no window holds more than 9).
    spread = [f"2019-{m:02d}" for m in range(1, 6)] + [f"2025-{m:02d}" for m in range(1, 6)]
    Plan.from_dict(document(profile={"twp_months_used": spread}))


def test_twp_completed_with_fewer_months_is_accepted():
    """An SSA finding of TWP completion is taken as given (documented decision)."""
    plan = Plan.from_dict(document(profile={"twp_months_used": ["2024-01", "2024-02"],
                                            "twp_completed": "2024-09"}))
    assert plan.twp_history() == ("2024-09", ("2024-01", "2024-02"))
    error = error_for(document(profile={"twp_months_used": ["2024-01", "2024-10"],
                                        "twp_completed": "2024-09"}))
    assert error.field == "profile.twp_months_used"


def test_nine_listed_months_end_the_twp():
    nine = [f"2025-{m:02d}" for m in range(1, 10)]
    plan = Plan.from_dict(document(profile={"twp_months_used": nine}))
    assert plan.twp_history()[0] == "2025-09"


def test_public_api_exports():
    assert iwp.Plan is Plan
    assert issubclass(PlanError, ValueError)


def test_unknown_field_with_odd_characters_is_named_exactly():
    """A damaged key such as "star " (a flipped byte in "start") is named, quoted."""
    data = document()
    data["star "] = data.pop("start")
    error = error_for(data)
    assert error.field == "'star '" and str(error).startswith("'star ': is an unknown field")
    data = document(profile={"a: b": 1})
    assert error_for(data).field == "profile.a: b"


def test_hours_above_a_month_are_refused():
    """A month has at most 744 hours (31 × 24)."""
    assert error_for(document(hours=[0, 745, 0, 0])).field == "hours[1]"
    Plan.from_dict(document(hours=[0, 744, 0, 0]))


def test_blank_unknown_field_names_are_quoted():
    data = document()
    data[""] = 1
    assert error_for(data).field == "''"
    data = document()
    data[" padded"] = 1
    assert error_for(data).field == "' padded'"


# --- hostile and absurd files (issue 13, item 9): every failure is a PlanError naming the field ----

from iwp_widgets import limits  # noqa: E402

HOSTILE_KEY = "<img src=x onerror=window.__iwp_xss=1>"


def schema3(**changes) -> dict:
    """The shipped example as written today (schema 3, with an IWP), with some fields changed."""
    data = Plan.example("concurrent_irwe").to_dict()
    data["iwp"]["services"] = [{"kind": "other", "description": "Job coach", "provider": "Acme",
                                "start": None, "end": None}]
    data["iwp"]["signatures"]["beneficiary"] = {"name": "Ana Diaz", "date": "2026-01-15"}
    data["iwp"]["revisions"] = [{"date": "2026-01-20", "reason": "New job", "previous": {"version": 2}}]
    data["iwp"]["ticket"]["earnings_before_assignment"] = [0.0, 100.0]
    data["iwp"]["ticket"]["education"] = [{"period": 1, "academic_year_percent": 40.0, "completed": None}]
    data["earnings_path"] = {"months": len(data["earnings"]), "start_hours": 10.0, "start_wage": 15.0,
                             "step_ups": [[2, 20.0, 16.0]], "edits": {"0": 100.0}}
    data.update(changes)
    return data


def set_at(data: dict, path: str, value) -> dict:
    """``data`` with the value at ``profile.name`` / ``iwp.short_term_goals[0]``-style path set."""
    import re as _re

    parts = [int(p) if p.isdigit() else p for p in _re.findall(r"[^.\[\]]+", path)]
    node = data
    for key in parts[:-1]:
        node = node[key]
    node[parts[-1]] = value
    return data


def assert_plain(error: PlanError, field: str) -> None:
    """Names ``field`` (or a part inside it), is short, and can be written as UTF-8 and HTML."""
    message = str(error)
    assert error.field == field or error.field.startswith((field + ".", field + "[")), (field, message)
    assert message.startswith(error.field + ": ")
    assert len(message) < 400, message
    message.encode("utf-8")  # no lone surrogate echoed back


def load_text(tmp_path, text: str | bytes) -> Plan:
    path = tmp_path / "plan.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return Plan.load(path)


def test_json_nested_thousands_deep_is_a_plan_error(tmp_path):
    """Today: RecursionError from the JSON parser."""
    text = '{"schema_version": 3, "iwp": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(PlanError) as caught:
        load_text(tmp_path, text)
    assert_plain(caught.value, "file")
    assert "deep" in str(caught.value)


@pytest.mark.parametrize("depth", [40, 900])
def test_json_nested_deeper_than_a_plan_names_the_field(tmp_path, depth):
    """Depths the parser takes but no plan has are refused before any field is read."""
    data = schema3()
    data["iwp"]["notes"] = json.loads("[" * depth + "]" * depth)
    with pytest.raises(PlanError) as caught:
        load_text(tmp_path, json.dumps(data))
    assert_plain(caught.value, "iwp")
    assert "deep" in str(caught.value)


def test_deep_python_objects_are_refused_without_recursion():
    data = schema3()
    nested: list = []
    for _ in range(200_000):
        nested = [nested]
    data["profile"]["name"] = nested
    assert_plain(error_for(data), "profile")


MONEY_FIELDS = ["earnings[0]", "hours[1]", "work_expenses.irwe", "work_expenses.subsidy",
                "profile.ssdi_monthly", "profile.state_supplement", "profile.unearned_income",
                "iwp.earnings_at_start", "iwp.earnings_expected_at_end",
                "iwp.ticket.earnings_before_assignment[1]", "iwp.ticket.education[0].academic_year_percent",
                "earnings_path.start_wage", "earnings_path.step_ups[0][2]", "earnings_path.edits.0"]


@pytest.mark.parametrize("field", MONEY_FIELDS)
@pytest.mark.parametrize("huge", ["1" + "0" * 400, "9" * 5000, "1e400", "1e308", "Infinity", "-Infinity", "NaN"])
def test_huge_and_non_finite_numbers_are_plan_errors_naming_the_field(tmp_path, field, huge):
    """Today 10**400 raised OverflowError and 1e308 loaded (the summary read "$inf")."""
    data = set_at(schema3(hours=[0.0] * len(schema3()["earnings"])), field, 12345)
    text = json.dumps(data).replace("12345", huge)
    with pytest.raises(PlanError) as caught:
        load_text(tmp_path, text)
    expected = field.split("[")[0] if field.startswith(("work_expenses", "earnings_path.step_ups")) else field
    if huge == "9" * 5000:  # longer than Python reads a number: the file is refused as a whole
        expected = "file"
    expected = expected.replace("edits.0", "edits")
    assert_plain(caught.value, expected)
    assert "0" * 30 not in str(caught.value) and "9" * 30 not in str(caught.value)


@pytest.mark.parametrize("field, bound", [
    ("earnings[0]", limits.MAX_MONEY), ("profile.ssdi_monthly", limits.MAX_MONEY),
    ("work_expenses.pass", limits.MAX_MONEY), ("hours[0]", limits.MAX_HOURS),
    ("iwp.earnings_expected_at_end", limits.MAX_MONEY),
    ("iwp.ticket.earnings_before_assignment[0]", limits.MAX_MONEY),
    ("earnings_path.target_wage", limits.MAX_HOURLY_WAGE), ("earnings_path.edits.1", limits.MAX_MONEY),
])
def test_amounts_up_to_the_limit_load_and_above_it_are_refused(field, bound):
    data = schema3(hours=[0.0] * len(schema3()["earnings"]))
    Plan.from_dict(set_at(copy.deepcopy(data), field, bound))
    error = error_for(set_at(copy.deepcopy(data), field, bound + 1))
    assert_plain(error, field.replace("edits.1", "edits"))
    assert "at most" in str(error)


def test_limits_are_far_above_every_program_figure():
    """The limits only stop absurd input: every figure in thresholds/ (dollars a month, the yearly
    1619(b) thresholds, counts and shares) is at least ten times smaller than the money limit."""
    from iwp_widgets.thresholds import ThresholdError, Thresholds

    th = Thresholds.default()
    figures = {}
    for name in th.names():
        for key in th.keys(name) or [""]:
            try:
                figures[(name, key)] = th.value(name, "2026-01", key=key)
            except ThresholdError:
                continue
    assert len(figures) > 100 and figures[("medicaid_1619b_threshold", "CA")] > 10_000
    assert max(figures.values()) * 10 < limits.MAX_MONEY
    assert limits.MAX_HOURLY_WAGE * 168 * 52 / 12 <= limits.MAX_MONEY  # a path cannot draw more


TEXT_FIELDS = ["profile.name", "iwp.employment_goal", "iwp.short_term_goals[0]", "iwp.long_term_goals[0]",
               "iwp.services[0].provider", "iwp.services[0].description", "iwp.responsibilities[0]",
               "iwp.signatures.beneficiary.name", "iwp.en_name", "iwp.notes", "iwp.revisions[0].reason"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_lone_surrogates_are_refused_at_load(tmp_path, field):
    """Today "\\ud800" loaded, then broke save, autosave and print (UnicodeEncodeError)."""
    data = schema3()
    data["iwp"]["short_term_goals"], data["iwp"]["long_term_goals"] = ["x"], ["y"]
    set_at(data, field, "Ana \ud800 Diaz")
    text = json.dumps(data)  # ensure_ascii: the file holds the escape \\ud800, as an attacker writes it
    with pytest.raises(PlanError) as caught:
        load_text(tmp_path, text)
    assert_plain(caught.value, field)


def test_lone_surrogates_in_field_names_and_typed_text_are_refused():
    data = schema3()
    data["profile"]["\udc80name"] = "x"
    assert_plain(error_for(data), "profile")
    plan = Plan.example("concurrent_irwe")
    with pytest.raises(PlanError) as caught:  # typed into the app: no JSON round trip
        plan.replace(iwp={**plan.iwp.to_dict(), "beneficiary_name": "\ud83d"})
    assert_plain(caught.value, "iwp.beneficiary_name")
    with pytest.raises(PlanError) as caught:
        plan.replace(iwp={"version": 2, "employment_goal": "Cook \udfff"})
    assert_plain(caught.value, "iwp.employment_goal")


def test_paired_surrogates_and_other_scripts_still_load(tmp_path):
    data = schema3()
    data["iwp"]["beneficiary_name"] = "Nguyễn 😀 María"
    assert load_text(tmp_path, json.dumps(data)).iwp.beneficiary_name == "Nguyễn 😀 María"


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    """Notepad writes one; today the file was refused with 'Unexpected UTF-8 BOM'."""
    plan = Plan.example("ssi_student")
    assert load_text(tmp_path, b"\xef\xbb\xbf" + plan.to_json().encode("utf-8")) == plan


def test_a_hostile_unknown_key_is_cut_short_in_the_message():
    """The key is quoted (never whole) so a message cannot carry a long payload."""
    data = schema3()
    data[HOSTILE_KEY * 50] = 1
    error = error_for(data)
    assert len(error.field) <= 40 and error.field.startswith("<img src=x")
    assert str(error).startswith(error.field + ": is an unknown field")
    assert str(error).count("<img") == 1
    for where in ("profile", "options", "work_expenses", "earnings_path"):
        data = schema3()
        data[where][HOSTILE_KEY * 50] = 1
        error = error_for(data)
        assert str(error).count("<img") == 1 and len(str(error)) < 400, str(error)
    data = schema3()
    data["iwp"]["a" * 10_000] = 1
    assert len(str(error_for(data))) < 400


@pytest.mark.parametrize("field", ["profile.state", "profile.benefits", "start", "iwp.services[0].kind",
                                   "options.ssi_accounting", "earnings_path.ramp", "iwp.signatures.beneficiary.date"])
def test_long_values_are_quoted_short(field):
    error = error_for(set_at(schema3(), field, HOSTILE_KEY * 100))
    assert_plain(error, field)
    assert str(error).count("<img") <= 1


def test_load_messages_name_the_file_not_its_folder(tmp_path):
    """The apps show these messages on the page: the server's folders stay out of them."""
    (tmp_path / "bad.json").write_bytes(b'{"schema_version": "\xff"}')
    for path in (tmp_path / "nope.json", tmp_path / "bad.json", tmp_path):
        with pytest.raises(PlanError) as caught:
            Plan.load(path)
        assert caught.value.field == "file" and str(tmp_path.parent) not in str(caught.value)


def test_a_field_name_holding_a_colon_keeps_its_path():
    """Found by the plan fuzz: a key ":" typed in a file made the path end at the colon."""
    for document_ in ({"schema_version": 1, "start": {":": 10**15}},
                      {"schema_version": 1, "start": {"a:b": "\udfff"}}):
        error = error_for(document_)
        assert str(error).startswith(error.field + ": ") and error.field.startswith("start.")

"""Widgets without a browser: set a control's ``.value`` and check the plan, the table and the views."""

import json

import pytest

from iwp_widgets import Plan, simulate
from iwp_widgets.apps import earnings_projection, goal_setting
from iwp_widgets.apps.base import choose_plan
from iwp_widgets.widgets import PlanState


def chart_pay(chart):
    """The pay bars the browser was last told to draw."""
    spec = chart._redraw.figure or chart.spec
    return spec["data"][0]["y"]


def test_plan_state_matches_simulate():
    plan = Plan.example("ssdi_ramp_to_sga")
    state = PlanState(plan)
    assert state.table.equals(simulate(plan))
    assert state.set(["earnings"], [2000.0] * plan.months)
    assert list(state.table["gross_earnings"]) == [2000.0] * plan.months
    assert state.changes == 1


def test_hours_slider_changes_plan_table_and_chart(projection):
    editor = projection.a.editor
    before = projection.a.state.table["ssdi_paid"].copy()
    editor.fields["path.preset"].control.value = "Full-time from the start"
    editor.fields["path.start_wage"].control.value = 20.0
    editor.fields["path.start_hours"].control.value = 38
    expected = round(38 * 20.0 * 52 / 12, 2)
    assert projection.a.state.plan.earnings[0] == expected
    assert projection.a.state.table["gross_earnings"].iloc[0] == expected
    assert chart_pay(projection.a.earnings_chart)[0] == expected
    assert projection.a.earnings_chart._redraw.revision >= 3
    # Earning well above SGA for three years ends the SSDI checks at some point.
    assert (projection.a.state.table["ssdi_paid"] < before).any()


def test_goal_checklist_follows_the_earnings(goals):
    def twl_goal():
        return 'data-goal="twl_by_month_10" data-passed="True"' in goals.checklist.goals.value

    assert twl_goal()
    goals.path.fields["path.preset"].control.value = "Part-time, steady"
    goals.path.fields["path.start_wage"].control.value = 8.0  # 20 h × $8 stays under the TWL
    assert not twl_goal()
    assert 'data-passed="False"' in goals.checklist.goals.value


def test_invalid_entry_shows_its_message_and_keeps_other_inputs(goals):
    profile = goals.profile.fields
    profile["profile.state"].control.value = "NY"
    profile["profile.ssdi_monthly"].control.value = -5.0
    error = profile["profile.ssdi_monthly"].error
    assert "The SSDI check must be $0.00 or more; you typed -5." in error
    assert goals.state.draft["profile"]["ssdi_monthly"] == -5.0   # what was typed is kept
    assert goals.state.draft["profile"]["state"] == "NY"          # and so is everything else
    assert profile["profile.state"].control.value == "NY"
    assert all(not f.error for name, f in profile.items() if name != "profile.ssdi_monthly")
    assert goals.state.plan.profile.state == "NY"                 # the last valid plan had it
    profile["profile.ssdi_monthly"].control.value = 1500.0
    assert profile["profile.ssdi_monthly"].error == ""
    assert goals.state.plan.profile.ssdi_monthly == 1500.0
    assert goals.state.plan.profile.state == "NY"


def test_bad_path_entry_names_its_field(projection):
    editor = projection.a.editor
    earnings = projection.a.state.plan.earnings
    editor.fields["path.step_ups"].control.value = "six: thirty"
    assert editor.fields["path.step_ups"].error.startswith('<span role="alert">The step-ups: write month')
    assert projection.a.state.plan.earnings == earnings
    assert editor.fields["path.start_hours"].control.value > 0        # other entries untouched
    editor.fields["path.step_ups"].control.value = "6: 30"
    assert editor.fields["path.step_ups"].error == ""
    earnings = projection.a.state.plan.earnings
    editor.fields["path.start_wage"].control.value = -1.0
    assert "Pay an hour at the start must be $0.00 an hour or more; you typed -1." in \
        editor.fields["path.start_wage"].error
    assert editor.fields["path.step_ups"].control.value == "6: 30"
    assert projection.a.state.plan.earnings == earnings


def test_hand_edit_of_one_month(projection):
    editor = projection.a.editor
    editor.edit_month.value = 5
    editor.fields["path.edits"].control.value = 999.0
    editor.set_edit.click()
    assert projection.a.state.plan.earnings[5] == 999.0
    assert "Months changed by hand" in editor.edits_table.value
    editor.clear_edit.click()
    assert 5 not in editor.path.edits


def test_expenses_write_the_plan(projection):
    projection.expenses.fields["work_expenses.irwe"].control.value = 150.0
    assert projection.a.state.plan.work_expenses.irwe == 150.0


def test_scenario_b_is_a_copy_that_changes_alone(projection):
    b = projection.start_scenario_b()
    assert b.state.plan == projection.a.state.plan
    b.editor.fields["path.preset"].control.value = "Part-time, steady"
    assert b.state.plan != projection.a.state.plan
    assert chart_pay(b.earnings_chart) != chart_pay(projection.a.earnings_chart)
    assert len(projection.side_by_side.children) == 2


def test_counters_and_month_explanation(projection):
    projection.month.value = str(projection.a.state.table.index[-1])
    used = int(projection.a.state.table["twp_months_used"].iloc[-1])
    assert f"{used} of 9" in projection.counters.twp.value
    why = str(projection.a.state.table["why"].iloc[-1])
    from html import escape
    assert escape(why) in projection.explainer.text.value
    assert "Raw numbers" not in projection.explainer.text.value
    projection.counselor.value = True
    assert "Raw numbers" in projection.explainer.text.value


def test_epe_counter_counts_from_the_twp_before_the_plan(store):
    """The counter shows the engine's EPE month number, also when the BPQY says the TWP ended
    before the plan starts (July 2025 was month 1, so January 2026 is month 7)."""
    data = Plan.example("ssdi_ramp_to_sga").to_dict()
    data["profile"].update(twp_months_used=[], twp_completed="2025-06")
    data["start"] = "2026-01"
    app = earnings_projection.App(Plan.from_dict(data), name="history", store=store)
    app.month.value = "2026-01"
    assert "month 7 of 36" in app.counters.epe.value


def test_table_alternative_shows_the_chart_numbers(projection):
    chart = projection.a.earnings_chart
    assert chart.table.value == ""
    chart.show_table.value = True
    assert "<caption>" in chart.table.value
    assert f"${projection.a.state.table['gross_earnings'].iloc[-1]:,.2f}" in chart.table.value


def test_save_open_autosave_and_revise(goals, store):
    goals.iwp.fields["iwp.employment_goal"].control.value = "Line cook"
    goals.files.flush_autosave()
    # autosaved after the change, as this page's draft (the plan is not saved yet)
    assert store.recover(None, goals.files.session).plan.iwp.employment_goal == "Line cook"
    goals.files.save_button.click()
    assert Plan.load(store.path("ramp")).iwp.employment_goal == "Line cook"
    goals.iwp.fields["iwp.employment_goal"].control.value = "Head cook"
    goals.files.reason.control.value = "Promotion offered"
    goals.files.revise_button.click()
    saved = Plan.load(store.path("ramp"))
    assert saved.iwp.employment_goal == "Head cook"
    assert saved.iwp.revisions[-1].reason == "Promotion offered"
    assert saved.iwp.revisions[-1].previous.employment_goal == "Line cook"
    # Open an example, then the saved plan again: the form follows.
    goals.files.open_choice.value = "example:ssi_student"
    goals.files.open_button.click()
    assert goals.state.plan.profile.benefits == Plan.example("ssi_student").profile.benefits
    goals.files.open_choice.value = "saved:ramp"
    goals.files.open_button.click()
    assert goals.iwp.fields["iwp.employment_goal"].control.value == "Head cook"


def test_revise_needs_a_change_and_a_reason(goals):
    goals.files.reason.control.value = "New job"
    goals.files.revise_button.click()
    assert "Nothing in the IWP changed" in goals.files.reason.error
    goals.iwp.fields["iwp.employment_goal"].control.value = "Cook"
    goals.files.reason.control.value = ""
    goals.files.revise_button.click()
    assert "reason" in goals.files.reason.error
    assert not goals.state.plan.iwp.revisions


def test_exports_write_files(projection, store):
    for kind, magic in (("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("pdf", b"%PDF"), ("html", b"<!")):
        path = projection.files.export(kind)
        assert path.parent.parent == store.folder / "exports"
        assert path.read_bytes()[:len(magic)].upper() == magic.upper()
    assert 'download="' in projection.files.links.value


def test_the_en_worksheet_prints_apart_from_the_beneficiarys_copy(projection):
    """Issue #15 item 4: the EN's projected payments are a print of their own, from the app."""
    from pypdf import PdfReader

    projection.files.worksheet_button.click()
    path = next(projection.files._session_export_folder().iterdir())
    assert path.name.endswith(".en-worksheet.pdf") and path.read_bytes()[:4] == b"%PDF"
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Employment Network" in text and "$" in text


def test_query_string_opens_only_whitelisted_names(store):
    plan, name, note = choose_plan("plan=ssi_student", store)
    assert name == "ssi_student" and note == ""
    for bad in ("plan=../../etc/passwd", "plan=/tmp/x", "plan=nope"):
        plan, name, note = choose_plan(bad, store)
        assert name == "ssdi_ramp_to_sga" and "No plan called" in note
    store.save(Plan.example("ssi_student"), "Jones 2026")
    plan, name, note = choose_plan("plan=Jones%202026", store)
    assert name == "Jones 2026"


def test_every_control_has_a_label_and_a_stable_class(goals, projection):
    import ipywidgets as w

    for app in (goals, projection):
        for widget in _walk(app.root):
            if isinstance(widget, (w.ValueWidget, w.Button)) and not isinstance(widget, (w.HTML, w.Label)):
                label = getattr(widget, "description", "") or getattr(widget, "tooltip", "")
                assert label, f"unlabelled {type(widget).__name__}"
                assert any(c.startswith("iwp-") for c in widget._dom_classes), widget.description


def test_app_root_is_marked_ready(goals):
    assert "iwp-app-ready" in goals.root._dom_classes


def test_example_plans_round_trip_through_the_draft():
    for name in Plan.examples():
        state = PlanState(Plan.example(name))
        assert Plan.from_dict(json.loads(json.dumps(state.draft))) == state.plan


def test_glossary_citations_sit_behind_the_counselor_toggle(projection):
    citations = next(w for w in _walk(projection.root) if "iwp-glossary-citations" in w._dom_classes)
    assert citations.value == ""
    projection.counselor.value = True
    assert "20 CFR §404.1592" in citations.value


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.mark.parametrize("name", Plan.examples())
def test_both_apps_open_every_example(name, store):
    for module in (goal_setting, earnings_projection):
        app = module.App.from_query(f"plan={name}", store=store)
        assert app.plan_name == name
        assert "iwp-app-ready" in app.root._dom_classes


def test_self_employed_plans_get_hours_from_the_path(goals):
    goals.profile.fields["profile.self_employed"].control.value = True
    assert goals.state.plan.profile.self_employed
    goals.path.fields["path.preset"].control.value = "Part-time, steady"
    assert goals.state.plan.hours is not None
    assert goals.state.plan.hours[0] == round(20 * 52 / 12, 2)


def test_ssi_before_the_plan_is_asked_and_reaches_the_engine(store):
    """Issue 12 §2: getting SSI now, since when, and the pay of the two months before the plan
    are controls of the profile; SSI for the plan's first two months follows them (20 CFR
    416.420: month 1 is paid on the income of two months before, month 2 on the month before)."""
    app = goal_setting.App(Plan.example("ssi_student"), name="student", store=store)
    fields = app.profile.fields
    table = app.state.table
    first_two = list(table["ssi_paid"].iloc[:2])
    fields["profile.earnings_before[1]"].control.value = 3000.0   # over the student exclusion
    assert app.state.plan.profile.earnings_before == (0.0, 3000.0)
    after = app.state.table["ssi_paid"]
    assert after.iloc[0] == first_two[0]          # month 1 still uses two months before
    assert after.iloc[1] < first_two[1]           # month 2 now uses that pay
    # A start month for SSI on or after the plan's start is refused next to its field, and the
    # last valid plan stays.
    fields["profile.ssi_since"].control.value = app.state.plan.start
    assert "The month SSI payments began must be before the plan starts" in fields["profile.ssi_since"].error
    assert app.state.plan.profile.earnings_before == (0.0, 3000.0)
    fields["profile.ssi_eligible_before"].control.value = False
    fields["profile.ssi_since"].control.value = ""
    assert not app.state.plan.profile.ssi_eligible_before


# --- the files bar: no plan replaced unseen, autosave per session, bad files (issue 13) -----------

def _shown(widget) -> bool:
    return widget.layout.display != "none"


def _set_goal(app, goal: str) -> None:
    app.iwp.fields["iwp.employment_goal"].control.value = goal
    app.files.flush_autosave()


def test_saving_over_another_plan_asks_first_and_keeps_a_backup(goals, store):
    other = Plan.example("ssi_student")
    store.save(other, "Jones 2026")
    goals.files.name_field.control.value = "jones 2026"   # same plan, other case
    goals.files.save_button.click()
    assert store.open("Jones 2026") == other               # nothing replaced without asking
    assert _shown(goals.files.question)
    assert "A saved plan called “Jones 2026” already exists" in goals.files.question_text.value
    goals.files.save_anyway.click()
    assert store.open("Jones 2026") == goals.state.plan
    assert [Plan.load(p) for p in store.backups("Jones 2026")] == [other]
    assert not _shown(goals.files.question)
    assert store.names() == ["Jones 2026"]


def test_two_sessions_on_one_plan_never_overwrite_each_other(store):
    store.save(Plan.example("ssdi_ramp_to_sga"), "Jones 2026")
    a = goal_setting.App.from_query("plan=Jones%202026", store=store)
    b = goal_setting.App.from_query("plan=Jones%202026", store=store)
    _set_goal(a, "Line cook")
    _set_goal(b, "Baker")
    third = goal_setting.App.from_query("plan=Jones%202026", store=store)
    assert not _shown(third.files.recover_button)           # nobody else's unsaved edits
    # A's tab reloaded (its browser sends its session key): A's edits, not B's.
    a_again = goal_setting.App.from_query("plan=Jones%202026", store=store)
    a_again.files.session_key.value = a.files.session
    assert _shown(a_again.files.recover_button)
    a_again.files.recover_button.click()
    assert a_again.state.plan.iwp.employment_goal == "Line cook"

    a.files.save_button.click()
    assert store.open("Jones 2026").iwp.employment_goal == "Line cook"
    b.files.save_button.click()                              # B opened it before A saved
    assert store.open("Jones 2026").iwp.employment_goal == "Line cook"
    assert "was changed and saved from another page since you opened it" in b.files.question_text.value
    b.files.cancel_save.click()
    assert not _shown(b.files.question) and "Not saved" in b.files.status.value
    b.files.save_button.click()
    b.files.save_as_other.click()                            # keep both
    assert b.files.name_field.control.value == "Jones 2026 (2)"
    b.files.save_button.click()
    assert store.open("Jones 2026 (2)").iwp.employment_goal == "Baker"
    assert store.open("Jones 2026").iwp.employment_goal == "Line cook"
    # A saves again after its own save: no question.
    _set_goal(a, "Head cook")
    a.files.save_button.click()
    assert not _shown(a.files.question)
    assert store.open("Jones 2026").iwp.employment_goal == "Head cook"


def test_unsaved_edits_are_never_offered_to_the_next_counselor(store):
    first = goal_setting.App.from_query("", store=store)
    first.iwp.fields["iwp.signatures.beneficiary"].control.value = "Ana Jones, 2026-03-01"
    _set_goal(first, "Secret goal")
    assert list(store.folder.glob("*.json")) == []           # nothing under the example's name
    nxt = goal_setting.App.from_query("", store=store)
    nxt.files.session_key.value = "0123456789abcdef" * 2     # another browser tab
    assert not _shown(nxt.files.recover_button)
    assert nxt.state.plan.iwp.employment_goal != "Secret goal"
    # The first counselor's own tab, reloaded, gets the draft back.
    same = goal_setting.App.from_query("", store=store)
    same.files.session_key.value = first.files.session
    assert _shown(same.files.recover_button)
    same.files.recover_button.click()
    assert same.state.plan.iwp.employment_goal == "Secret goal"
    assert not _shown(same.files.recover_button)


def test_plans_are_not_saved_under_an_example_name(goals, store):
    goals.files.name_field.control.value = "ssi_student"
    goals.files.save_button.click()
    assert store.names() == []
    assert "example" in goals.files.name_field.error


@pytest.mark.parametrize("damage", ['{"name": "x", "plan": {"schema_version": 99', "schema 99"])
def test_a_bad_recovery_file_is_set_aside_and_the_app_opens(store, damage):
    first = goal_setting.App.from_query("", store=store)
    _set_goal(first, "Line cook")
    path = store.autosave_path(None, first.files.session)
    if damage == "schema 99":
        document = json.loads(path.read_text())
        document["plan"]["schema_version"] = 99
        damage = json.dumps(document)
    path.write_text(damage)
    again = goal_setting.App.from_query("", store=store)
    again.files.session_key.value = first.files.session      # the same tab, reloaded
    assert not _shown(again.files.recover_button)
    status = again.files.status.value
    assert "could not be read" in status and "put aside" in status
    assert "schema" not in status and "{" not in status       # plain words, no codes
    assert not path.exists() and list(path.parent.glob("*.unreadable"))


def test_open_on_a_bad_saved_file_says_so(store):
    saved = store.save(Plan.example("ssi_student"), "Broken")
    saved.path.write_bytes(saved.path.read_bytes()[:80])
    app = goal_setting.App.from_query("", store=store)
    before = app.state.plan
    app.files.open_choice.value = "saved:Broken"
    app.files.open_button.click()
    assert "Could not open “Broken”" in app.files.status.value
    assert app.state.plan == before and app.files.name_field.control.value == "ssdi_ramp_to_sga"


def test_exports_stay_in_a_private_folder_of_this_session_and_go_with_it(projection, store):
    first = projection.files.export("csv")
    last = projection.files.export("pdf")
    folder = last.parent
    assert folder.parent == store.folder / "exports" and first.parent == folder
    assert list(folder.iterdir()) == [last]                  # earlier exports do not pile up
    assert folder.stat().st_mode & 0o777 == 0o700 and last.stat().st_mode & 0o777 == 0o600
    projection.files.end_session()                           # the kernel shuts down
    assert not folder.exists()


# --- Switching benefits (issue 14 items 5 and 6) ---------------------------------------------------

CHOICES = ("ssdi", "ssi", "concurrent")


def _switch(app, benefits, amount=900.0):
    """Choose ``benefits`` as a counselor does; type an SSDI amount if the app asks for one."""
    app.profile.fields["profile.benefits"].control.value = benefits
    if "type the SSDI check amount" in app.profile.benefits_note.value:
        app.profile.fields["profile.ssdi_monthly"].control.value = amount
    from html import unescape

    return unescape(app.profile.benefits_note.value)  # the words as the page shows them


def _shown(box) -> bool:
    return box.layout.display != "none"


@pytest.mark.parametrize("name", Plan.examples())
@pytest.mark.parametrize("benefits", CHOICES)
def test_switching_benefits_keeps_the_plan_valid_and_switching_back_restores_it(name, benefits, store):
    """Item 5: switching to SSI only used to stop at `profile.ssdi_monthly: must be 0 …`, then the
    next field, while the charts kept the old plan."""
    app = goal_setting.App(Plan.example(name), name=name, store=store)
    original = app.state.plan.to_dict()
    before = app.state.plan.profile.benefits
    revision = app.chart._redraw.revision
    note = _switch(app, benefits)
    assert app.state.error is None
    assert app.state.plan.profile.benefits == benefits
    assert all(field.error == "" for field in app.profile.fields.values())
    if benefits != before:
        assert "Switched to" in note and "profile." not in note
        assert app.chart._redraw.revision > revision          # the charts show the new plan
    profile = app.profile
    assert all(_shown(box) == (benefits != "ssi") for box in profile.ssdi_only)
    assert all(_shown(box) == (benefits != "ssdi") for box in profile.ssi_only)
    _switch(app, before)
    assert app.state.error is None
    assert app.state.plan.to_dict() == original


def test_switch_to_ssi_only_names_what_was_cleared(goals):
    note = _switch(goals, "ssi")
    assert ("Switched to SSI only: the SSDI check amount and the trial work history were cleared, "
            "because they are about SSDI.") in note
    profile = goals.state.plan.profile
    assert profile.ssdi_monthly == 0 and profile.twp_months_used == () and profile.benefits == "ssi"
    assert goals.profile.fields["profile.ssdi_monthly"].layout.display == "none"
    assert goals.profile.twp_row.layout.display == "none"
    note = _switch(goals, "concurrent")
    assert "the SSDI check amount and the trial work history typed earlier were brought back" in note
    assert goals.state.plan.profile.ssdi_monthly == 1450.0
    assert goals.state.plan.profile.twp_months_used == ("2024-11", "2024-12")


def test_every_program_fact_is_cleared_and_restored(store):
    """A blind person getting both, with a state supplement, SSI since December, IRWE, a subsidy
    and a PASS: each switch clears only what the new choice cannot hold."""
    data = Plan.example("concurrent_irwe").to_dict()
    data["profile"].update(blind=True, state_supplement=50.0, ssi_since="2025-12",
                           twp_months_used=["2025-10"])
    data["work_expenses"].update(subsidy=100.0, **{"pass": 75.0})
    app = goal_setting.App(Plan.from_dict(data), name="both", store=store)
    original = app.state.plan.to_dict()
    note = _switch(app, "ssi")
    assert app.state.error is None
    assert ("the SSDI check amount, the trial work history and the job supports (subsidy) were "
            "cleared, because they are about SSDI") in note
    assert "the disability work costs (IRWE) was cleared, because SSI counts a blind person's" in note
    expenses = app.state.plan.work_expenses
    assert (expenses.irwe, expenses.subsidy, expenses.pass_) == (0.0, 0.0, 75.0)
    note = _switch(app, "ssdi")
    assert app.state.error is None
    assert ("the state supplement, the month SSI began and the PASS amount were cleared, because "
            "they are about SSI") in note
    assert "typed earlier were brought back" in note
    plan = app.state.plan
    assert (plan.profile.ssdi_monthly, plan.work_expenses.irwe, plan.work_expenses.subsidy) == (620.0, 120.0, 100.0)
    _switch(app, "concurrent")
    assert app.state.plan.to_dict() == original


def test_switching_to_ssdi_without_an_amount_asks_and_keeps_the_plan(store):
    app = goal_setting.App(Plan.example("ssi_student"), name="student", store=store)
    table = app.state.table
    app.profile.fields["profile.benefits"].control.value = "ssdi"
    note = app.profile.benefits_note.value
    assert "To switch to SSDI only, type the SSDI check amount" in note
    assert "the plan stays SSI only" in note
    assert app.state.error is None and app.state.plan.profile.benefits == "ssi"
    assert app.state.table is table                                   # the last picture stays
    assert app.profile.fields["profile.ssdi_monthly"].layout.display == ""   # asked, so shown
    app.profile.fields["profile.state"].control.value = "NY"          # another edit meanwhile
    assert app.state.plan.profile.state == "NY"
    assert app.profile.fields["profile.benefits"].control.value == "ssdi"  # still asking
    app.profile.fields["profile.ssdi_monthly"].control.value = -5.0
    assert "more than $0" in app.profile.fields["profile.ssdi_monthly"].error
    assert app.state.plan.profile.benefits == "ssi"
    app.profile.fields["profile.ssdi_monthly"].control.value = 812.5
    assert app.state.plan.profile.benefits == "ssdi" and app.state.plan.profile.ssdi_monthly == 812.5
    assert "with an SSDI check of $812.50 a month" in app.profile.benefits_note.value
    assert app.profile.fields["profile.ssdi_monthly"].error == ""


def test_another_plan_never_gets_the_last_ones_cleared_values(goals):
    _switch(goals, "ssi")
    goals.state.load(Plan.example("ssi_student"))
    assert goals.profile.benefits_note.value == ""
    goals.profile.fields["profile.benefits"].control.value = "concurrent"
    assert "type the SSDI check amount" in goals.profile.benefits_note.value  # not the $1,450
    assert goals.state.plan.profile.twp_months_used == ()


def test_ssi_only_plans_show_no_ssdi_counters_and_ssdi_only_plans_no_ssi_rows(store):
    ssi = earnings_projection.App(Plan.example("ssi_student"), name="student", store=store)
    assert ssi.counters.layout.display == "none"
    assert "SSDI" not in ssi.explainer.text.value and "SSI check" in ssi.explainer.text.value
    assert "SSDI check" not in ssi.a.summary.value and "SSI check" in ssi.a.summary.value
    ssi.counselor.value = True
    assert "ssdi_" not in ssi.explainer.text.value and "ssi_paid" in ssi.explainer.text.value
    ssdi = earnings_projection.App(Plan.example("ssdi_ramp_to_sga"), name="ramp", store=store)
    assert ssdi.counters.layout.display == ""
    assert "SSI" not in ssdi.explainer.text.value and "SSDI check" in ssdi.explainer.text.value
    assert "SSI check" not in ssdi.a.summary.value
    # Opening another plan redraws them for its programs.
    ssdi.a.state.load(Plan.example("ssi_student"))
    assert ssdi.counters.layout.display == "none"
    assert "SSDI check" not in ssdi.a.summary.value


def goal_setting_scenario(path_editor) -> None:
    """Issue 14, item 1: pay $16, work starts 2026-03, 20 h/week, goal 2027-01 at 35 h × $18,
    typed into goal setting's short earnings editor (plan starts 2026-01: March is month 2)."""
    controls = {name: path_editor.fields[f"path.{name}"].control for name in
                ("start_wage", "start_month", "start_hours", "target_month", "target_hours", "target_wage")}
    controls["start_wage"].value = 16.0
    controls["start_month"].value = 2
    controls["start_hours"].value = 20
    controls["target_month"].value = 12
    controls["target_hours"].value = 35
    controls["target_wage"].value = 18.0


def test_goal_setting_draws_only_the_earnings_its_controls_show(goals):
    """Issue 14, item 1: the example's fitted step-ups, hidden by the short editor, kept drawing
    $650, $700 … from April and $1,400 in January 2027."""
    goal_setting_scenario(goals.path)
    earnings = goals.state.plan.earnings
    assert earnings[:2] == (0.0, 0.0)
    assert earnings[2:12] == (1386.67,) * 10           # 20 × $16 × 52/12, March to December 2026
    assert earnings[12:] == (2730.0,) * 24             # 35 × $18 × 52/12 from January 2027
    assert list(goals.state.table["gross_earnings"]) == list(earnings)
    assert chart_pay(goals.chart) == list(earnings)
    # The checklist judges that plan: work above the TWL from the first month of work on.
    assert 'data-goal="twl_by_month_10" data-passed="True"' in goals.checklist.goals.value
    lines = goals.path.summary.value
    assert "From March 2026: 20 hours a week at $16.00 = $1,386.67 a month" in lines
    assert "From January 2027: 35 hours a week at $18.00 = $2,730.00 a month" in lines
    assert lines.count("<li>") == 3                    # no work yet, March 2026, January 2027
    assert "iwp-earnings-hidden" not in lines          # nothing hidden is left


def test_goal_setting_says_what_its_controls_will_replace(goals):
    """Before a change, the opened plan's step-ups are listed and the note says a change replaces them."""
    lines = goals.path.summary.value
    assert "From April 2026: 10 hours a week at $15.00 = $650.00 a month" in lines
    assert "This plan also has step-ups" in lines
    assert goals.state.plan == Plan.example("ssdi_ramp_to_sga")  # opening changed nothing


def test_full_editor_keeps_step_ups_and_lists_them(projection):
    editor = projection.a.editor
    editor.fields["path.step_ups"].control.value = "6: 30 @ 16"
    editor.fields["path.breaks"].control.value = "9"
    lines = editor.summary.value
    assert "From July 2026: 30 hours a week at $16.00 = $2,080.00 a month" in lines
    assert "From October 2026: off work, $0.00 a month" in lines
    assert "iwp-earnings-hidden" not in lines
    assert projection.a.state.plan.earnings[6] == 2080.0


# --- the counselor session (issue 14: a new plan, every input in sight) ------------------------

@pytest.fixture
def session(store):
    from iwp_widgets.apps import session

    return session.App(Plan.example("concurrent_irwe"), name="irwe", store=store)


def _displayed(widget, root) -> bool:
    """True if ``widget`` is in ``root``'s tree and nothing on the way hides it."""
    def path_to(node):
        if node is widget:
            return [node]
        for child in getattr(node, "children", ()):
            found = path_to(child)
            if found:
                return [node] + found
        return []

    chain = path_to(root)
    return bool(chain) and all(getattr(getattr(n, "layout", None), "display", "") != "none" for n in chain)


def _session_fields(app) -> dict:
    """The session's fields, with the IWP opened the way a counselor opens it (its button)."""
    assert app.iwp.form is None and app.iwp.toggle.label.strip() and _displayed(app.iwp.toggle, app.root)
    app.iwp.toggle.expanded = True
    fields = {}
    for editor in (app.profile, app.expenses, app.options, app.a.editor, app.iwp.form):
        fields.update(editor.fields)
    fields["start"], fields["months"] = app.frame.start, app.frame.length
    return fields


from iwp_widgets.widgets.iwp_form import AMENDMENT_BENEFICIARY, AMENDMENT_EN  # noqa: E402

from iwp_widgets.widgets.editors import ExpensesEditor  # noqa: E402

AMENDMENT_ONLY = {AMENDMENT_BENEFICIARY, AMENDMENT_EN}


def test_every_plan_input_has_a_labelled_control_in_the_session(session):
    """Walks the Plan model's own fields (not a hand list): a field the engine reads and the
    session cannot show would change a result nobody sees."""
    import dataclasses

    import ipywidgets as w

    from iwp_widgets.plan import Options, Profile, WorkExpenses

    fields = _session_fields(session)
    # Fields made of several controls: the earnings path draws earnings, hours and the path.
    composite = {"earnings": "path.", "earnings_path": "path.", "hours": "path.", "iwp": "iwp."}
    wanted = []
    for field in dataclasses.fields(Plan):
        part = {"profile": Profile, "work_expenses": WorkExpenses, "options": Options}.get(field.name)
        if part is None:
            wanted.append(composite.get(field.name, field.name))
        else:
            wanted += [f"{field.name}.{f.name.rstrip('_')}" for f in dataclasses.fields(part)]
    assert "profile.ssi_eligible_before" in wanted and "options.ssi_accounting" in wanted
    # A concurrent, blind-less plan shows every program's controls.
    for source in wanted:
        matches = [(key, f) for key, f in fields.items()
                   if key == source or key.startswith(source + "[") or (source.endswith(".") and key.startswith(source))]
        assert matches, f"no control for {source}"
        for key, field in matches:
            if isinstance(field.control, w.HTML):   # a list shown under its own controls
                continue
            if key in AMENDMENT_ONLY:   # an amendment's signatures: shown once the IWP is amended
                assert not session.a.state.plan.iwp.revisions
                continue
            plan = session.a.state.plan
            kind = key.rpartition(".")[2]
            if key.startswith("work_expenses.") and not ExpensesEditor.applies(kind, plan.profile):
                # An expense the plan's programs do not use (blind work costs, not blind): hidden,
                # and at $0, so nothing hidden counts.
                assert not any(plan.work_expenses.monthly(kind, plan.months))
                assert not _displayed(field.control, session.root)
                continue
            label = getattr(field.control, "description", "")
            assert label.strip(), f"{source}: unlabelled"
            assert "_" not in label and "." not in label.rstrip(".)"), f"{source}: label {label!r} is not plain words"
            assert _displayed(field.control, session.root), f"{source}: not on the page"


def test_session_asks_in_the_counselors_order(session):
    order = [w for w in _walk(session.root) if isinstance(w, type(session.profile.fields["profile.state"]))]
    position = {id(f): i for i, f in enumerate(order)}
    p = session.profile.fields
    asked = [session.frame.start, p["profile.benefits"], p["profile.ssdi_monthly"], p["profile.ssi_eligible_before"],
             p["profile.earnings_before[0]"], p["profile.state"], p["profile.state_supplement"],
             p["profile.unearned_income"], p["profile.student"], p["profile.birth_month"], p["profile.blind"],
             p["profile.twp_months_used"], p["profile.twp_completed"], p["profile.ssdi_cessation_month"],
             p["profile.ticket_assigned"], session.a.editor.fields["path.start_hours"]]
    assert [position[id(f)] for f in asked] == sorted(position[id(f)] for f in asked)
    # The IWP (who the plan is for, its goals) comes after the frame, before the profile: its
    # button, and once opened its fields.
    everything = [id(w) for w in _walk(session.root)]
    assert everything.index(id(session.frame.length)) < everything.index(id(session.iwp.toggle)) \
        < everything.index(id(p["profile.benefits"]))
    form = session.iwp.open_form()
    order = [w for w in _walk(session.root) if isinstance(w, type(p["profile.state"]))]
    position = {id(f): i for i, f in enumerate(order)}
    assert position[id(session.frame.length)] < position[id(next(iter(form.fields.values())))] \
        < position[id(p["profile.benefits"])]


def test_blank_plan_starts_next_month_for_36_months():
    import datetime as dt

    from iwp_widgets.widgets.frame import new_plan, next_month

    assert next_month(dt.date(2026, 11, 26)) == "2026-12"
    assert next_month(dt.date(2026, 12, 31)) == "2027-01"
    plan = new_plan(dt.date(2026, 11, 26))
    assert (plan.start, plan.months, plan.profile.benefits) == ("2026-12", 36, "ssi")
    assert set(plan.earnings) == {0.0} and plan.profile.ssdi_monthly == 0 and plan.profile.twp_months_used == ()
    assert Plan.from_dict(plan.to_dict()) == plan
    assert Plan.blank("2027-03", 12).months == 12


def test_new_plan_button_starts_blank_and_every_control_follows(session):
    import datetime as dt

    session.files.name_field.control.value = "Ana"
    session.files.new_plan(today=dt.date(2026, 11, 26))
    plan = session.a.state.plan
    assert (plan.start, plan.months, plan.profile.benefits, set(plan.earnings)) == ("2026-12", 36, "ssi", {0.0})
    assert session.files.name_field.control.value == ""
    assert "December 2026" in session.files.status.value and "36 months" in session.files.status.value
    assert (session.frame.start.control.value, session.frame.length.control.value) == ("2026-12", 36)
    assert session.profile.fields["profile.benefits"].control.value == "ssi"
    assert session.expenses.fields["work_expenses.irwe"].control.value == 0.0     # the last plan's $120 is gone
    assert session.a.editor.month_labels[0] == "December 2026" and len(session.a.editor.month_labels) == 36
    assert list(session.month.options)[0] == ("December 2026", "2026-12")
    # The blank plan takes hours at once.
    session.a.editor.fields["path.start_hours"].control.value = 20
    assert session.a.state.plan.earnings[0] > 0 and session.a.state.error is None


def test_changing_the_frame_keeps_what_was_typed_and_redraws_the_earnings(session):
    state, editor = session.a.state, session.a.editor
    session.profile.fields["profile.state"].control.value = "NY"
    editor.fields["path.preset"].control.value = "Full-time from the start"
    before = list(state.plan.earnings)
    session.frame.length.control.value = 18
    assert state.plan.months == 18 and state.plan.earnings == tuple(before[:18])
    assert state.plan.profile.state == "NY" and state.plan.work_expenses.irwe == 120.0
    assert len(editor.month_labels) == 18 and len(session.month.options) == 18
    session.frame.length.control.value = 48
    assert state.plan.months == 48 and state.plan.earnings == tuple(before[:1] * 48)  # drawn for the new months
    session.frame.start.control.value = "2026-06"
    assert state.plan.start == "2026-06" and state.plan.months == 48 and editor.month_labels[0] == "June 2026"
    assert session.frame.start.error == "" and state.error is None
    assert state.table.index[0].strftime("%Y-%m") == "2026-06"


def test_a_frame_the_plan_cannot_take_is_not_written(store):
    from iwp_widgets.apps import session

    app = session.App(Plan.example("ssdi_ramp_to_sga"), name="ramp", store=store)
    before = app.a.state.plan
    app.frame.start.control.value = "2024-06"          # before the trial work months of 2024-11
    assert app.frame.start.error                        # said next to the control
    assert app.a.state.plan is before and app.a.state.draft["start"] == "2026-01"
    assert app.frame.start.control.value == "2024-06"   # what was chosen stays shown
    app.frame.start.control.value = "2026-03"
    assert app.frame.start.error == "" and app.a.state.plan.start == "2026-03"


def test_per_month_lists_follow_the_plan_length():
    from iwp_widgets import earnings_path as ep
    from iwp_widgets.widgets.frame import reframe_draft, resized_path

    path = ep.EarningsPath(months=24, start_hours=10, step_ups=(ep.StepUp(6, 20, 15.0), ep.StepUp(16, 30, 15.0)),
                           breaks=(ep.Break(10, 22),), edits={23: 5.0}, target_month=18, target_hours=40)
    short = resized_path(path, 12)
    assert short.earnings() == path.earnings()[:12]
    assert (short.step_ups, short.target_month, short.edits) == ((ep.StepUp(6, 20, 15.0),), None, {})
    assert short.breaks == (ep.Break(10, 11),)
    draft = Plan.example("concurrent_irwe").to_dict()
    draft["work_expenses"]["irwe"] = [float(i) for i in range(30)]
    new = reframe_draft(draft, "2026-05", short)
    assert new["work_expenses"]["irwe"] == [float(i) for i in range(12)]
    longer = reframe_draft(draft, "2026-05", resized_path(path, 36))
    assert longer["work_expenses"]["irwe"] == [float(i) for i in range(30)] + [29.0] * 6
    assert Plan.from_dict(longer).months == 36


def test_ticking_student_waits_for_the_birth_month(session):
    fields, state = session.profile.fields, session.a.state
    fields["profile.student"].control.value = True
    assert not state.plan.profile.student and state.error is None     # still a valid plan
    assert "birth month" in session.profile.student_note.value
    assert fields["profile.student"].control.value is True            # what was ticked stays ticked
    fields["profile.birth_month"].control.value = "2005-04"
    assert state.plan.profile.student and state.plan.profile.birth_month == "2005-04"
    assert session.profile.student_note.value == ""
    fields["profile.student"].control.value = False
    assert not state.plan.profile.student and state.plan.profile.birth_month == "2005-04"


def test_not_getting_ssi_now_clears_the_month_ssi_began_and_says_so(session):
    fields, state = session.profile.fields, session.a.state
    fields["profile.ssi_since"].control.value = "2025-12"
    assert state.plan.profile.ssi_since == "2025-12"
    fields["profile.ssi_eligible_before"].control.value = False
    plan = state.plan
    assert not plan.profile.ssi_eligible_before and plan.profile.ssi_since is None and state.error is None
    note = session.profile.benefits_note.value
    assert "Not getting SSI now: the month SSI began was cleared" in note and "profile." not in note
    assert fields["profile.ssi_since"].control.value == ""
    fields["profile.ssi_eligible_before"].control.value = True
    assert state.plan.profile.ssi_since == "2025-12" and "brought back" in session.profile.benefits_note.value


def test_blind_off_clears_blind_work_expenses_and_back_on_restores(session):
    fields, state = session.profile.fields, session.a.state
    fields["profile.blind"].control.value = True
    session.expenses.fields["work_expenses.bwe"].control.value = 40.0
    assert state.plan.work_expenses.bwe == 40.0
    fields["profile.blind"].control.value = False
    assert state.plan.work_expenses.bwe == 0.0 and not state.plan.profile.blind and state.error is None
    assert "blind work costs (BWE) was cleared" in session.profile.benefits_note.value
    assert session.expenses.fields["work_expenses.bwe"].control.value == 0.0
    fields["profile.blind"].control.value = True
    assert state.plan.work_expenses.bwe == 40.0


def test_other_income_before_the_plan(session):
    fields, state = session.profile.fields, session.a.state
    fields["profile.unearned_income"].control.value = 100.0
    fields["profile.unearned_before[0]"].control.value = "250"
    assert state.plan.profile.unearned_before == (250.0, 100.0)
    fields["profile.unearned_before[0]"].control.value = "lots"
    assert "amount in dollars" in fields["profile.unearned_before[0]"].error
    assert state.plan.profile.unearned_before == (250.0, 100.0)
    fields["profile.unearned_before[0]"].control.value = ""
    assert state.plan.profile.unearned_before is None


def test_state_supplement_and_options_reach_the_engine(session):
    state = session.a.state
    before = state.table["ssi_paid"].sum()
    session.profile.fields["profile.state_supplement"].control.value = 50.0
    assert state.plan.profile.state_supplement == 50.0 and state.table["ssi_paid"].sum() > before
    session.options.fields["options.ssi_accounting"].control.value = "same_month"
    assert state.plan.options.ssi_accounting == "same_month"
    session.profile.fields["iwp.beneficiary_name"].control.value = "Ana Diaz"
    assert state.plan.iwp.beneficiary_name == "Ana Diaz"


@pytest.mark.parametrize("query", ["plan=concurrent_irwe", "plan=nobody%3Cb%3E", ""])
def test_a_preheated_kernel_builds_first_and_opens_the_pages_plan_after(query, store, monkeypatch):
    """With a preheated kernel the app is built on the default example before the page asks; a page
    naming another plan (or a name that is no plan) gets an app built for it, and the first one's
    widgets are closed. Either way it equals an app built for that page directly."""
    import ipywidgets as w

    from iwp_widgets.apps import base, session
    from iwp_widgets.widgets.controls import shared_model_ids

    monkeypatch.setattr(base, "preheated", lambda: True)
    monkeypatch.setattr(base, "query_string", lambda: query)
    for module in (goal_setting, earnings_projection, session):
        before = set(w.Widget.widgets)
        app = module.App.from_query(store=store)
        middle = set(w.Widget.widgets)
        direct = module.App.from_query(query, store=store)
        # No model of a first build is left open: the page loads as many as for a direct build.
        assert len(middle - before - shared_model_ids()) == len(set(w.Widget.widgets) - middle)
        state = app.state if module is goal_setting else app.a.state
        direct_state = direct.state if module is goal_setting else direct.a.state
        assert state.plan == direct_state.plan and app.plan_name == direct.plan_name
        assert app.note.value == direct.note.value
        assert app.files.name_field.control.value == direct.files.name_field.control.value
        assert app.files.open_choice.value == direct.files.open_choice.value
        if module is not earnings_projection:
            assert app.profile.fields["profile.benefits"].control.value == state.plan.profile.benefits
        editor = app.path if module is goal_setting else app.a.editor
        assert editor.path.earnings() == list(state.plan.earnings)



def test_work_expenses_show_only_what_the_programs_use():
    """Issue #14: a PASS is SSI's, a subsidy counts for SSDI, blind work costs need Blind; an
    expense with an amount stays on screen whatever the programs."""
    from iwp_widgets.widgets.editors import ExpensesEditor
    from iwp_widgets.widgets.state import PlanState

    def shown(plan):
        editor = ExpensesEditor(PlanState(plan))
        return {source.rpartition(".")[2] for source, field in editor.fields.items()
                if field.layout.display != "none"}

    ssdi = Plan.example("ssdi_ramp_to_sga")
    assert shown(ssdi) == {"irwe", "subsidy"}
    ssi = Plan.example("ssi_student")
    assert shown(ssi) == {"irwe", "pass"}
    assert shown(ssi.replace(profile={**ssi.profile.to_dict(), "blind": True})) == {"bwe", "pass"}
    concurrent = Plan.example("concurrent_irwe")
    assert shown(concurrent) == {"irwe", "subsidy", "pass"}
    # The editor follows the plan: switching to SSI only hides the subsidy.
    state = PlanState(concurrent)
    editor = ExpensesEditor(state)
    state.load(concurrent.replace(profile={**concurrent.profile.to_dict(), "benefits": "ssi",
                                           "ssdi_monthly": 0.0, "twp_months_used": [], "twp_completed": None,
                                           "ssdi_cessation_month": None}))
    assert editor.fields["work_expenses.subsidy"].layout.display == "none"
    assert editor.fields["work_expenses.pass"].layout.display == ""


def test_scenario_b_copies_all_of_a_and_shows_b_minus_a():
    """Issue #14: B copies A's earnings and work expenses, has its own income chart and expenses,
    and a difference view follows both."""
    from iwp_widgets.apps import earnings_projection

    app = earnings_projection.App(Plan.example("concurrent_irwe"))
    app.a.state.set(["work_expenses", "irwe"], 55.0)
    b = app.start_scenario_b()
    assert b.state.plan == app.a.state.plan
    assert app.b_expenses.fields["work_expenses.irwe"].control.value == 55.0
    assert "iwp-chart-income-b" in b.income_chart.output._dom_classes
    assert "the same total income" in app.difference.value
    app.b_expenses.fields["work_expenses.irwe"].control.value = 155.0
    assert app.b.state.plan.work_expenses.irwe == 155.0 and app.a.state.plan.work_expenses.irwe == 55.0
    assert "more total income" in app.difference.value   # a bigger IRWE lowers countable income
    app.start_scenario_b()   # copy A into B again: B's expense control follows
    assert app.b_expenses.fields["work_expenses.irwe"].control.value == 55.0


def test_a_new_plan_shows_no_fitted_goal_pay_from_the_plan_before(session):
    """Seen in the session's screenshot (2026-11-26): after New plan, "Goal: pay per hour" still
    read the example's fitted 15.384615 (issue 14 item 3). With no goal set, the goal's pay is the
    start's, and follows it."""
    import datetime as dt

    editor = session.a.editor
    session.files.new_plan(today=dt.date(2026, 11, 26))
    goal_wage = editor.fields["path.target_wage"].control
    assert goal_wage.value == editor.fields["path.start_wage"].control.value
    editor.fields["path.start_wage"].control.value = 16.0
    assert goal_wage.value == 16.0
    assert session.a.state.plan.earnings_path.target_wage is None   # shown, not a goal of the plan


def test_a_new_plan_shows_the_start_hours_as_goal_hours_until_a_goal_is_set(session):
    """Noticed in the session's screenshots (2026-11-26, left in that session's note): with no goal
    set, "Goal: hours a week" read 40 whatever the start, while the goal's pay already showed the
    start's. The goal's hours now show the start's and follow them, shown but not applied."""
    import datetime as dt

    editor = session.a.editor
    session.files.new_plan(today=dt.date(2026, 11, 26))
    goal_hours = editor.fields["path.target_hours"].control
    start_hours = editor.fields["path.start_hours"].control
    assert editor.fields["path.target_month"].control.value == -1  # no goal
    assert goal_hours.value == start_hours.value
    start_hours.value = 12.0
    assert goal_hours.value == 12.0
    assert session.a.state.plan.earnings_path.target_hours is None   # shown, not a goal of the plan


def test_the_open_list_names_the_example_plans_in_words(session):
    """Noticed in the session's screenshots (2026-11-26): the Open list showed "Example: ssdi ramp
    to sga", a file name. Each shipped example has a plain title; an example without one (a file
    added later) still shows its name."""
    from iwp_widgets.plan import Plan
    from iwp_widgets.widgets.files_bar import EXAMPLE_TITLES

    assert set(EXAMPLE_TITLES) == set(Plan.examples())
    labels = [label for label, value in session.files.open_choice.options if value.startswith("example:")]
    assert len(labels) == len(Plan.examples())
    for label in labels:
        assert "_" not in label and not any(name.replace("_", " ") in label for name in Plan.examples()), label
    assert "Example: SSDI and SSI, with disability work costs (IRWE)" in labels

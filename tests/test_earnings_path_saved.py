"""Save, reopen, same plan, same controls: the plan file keeps the earnings-path editor's settings.

In-process like tests/test_widgets.py: set a control's ``.value``, save through the files bar, open
the file in a new app (a new session) or the same one, and compare the editor's path and controls.
"""

import json

from iwp_widgets import Plan
from iwp_widgets import plan as plan_module
from iwp_widgets import earnings_path as ep
from iwp_widgets.apps import earnings_projection, goal_setting
from iwp_widgets.widgets.editors import format_breaks, format_step_ups


def controls(editor) -> dict:
    """What the counselor sees in the path editor."""
    shown = {name: field.control.value for name, field in editor.fields.items() if name != "path.edits"}
    shown["edits table"] = editor.edits_table.value
    return shown


def sketch(editor) -> None:
    """A linear ramp with a step-up at its own pay, a break and a hand-typed month."""
    f = editor.fields
    f["path.start_wage"].control.value = 16.5
    f["path.start_month"].control.value = 1
    f["path.start_hours"].control.value = 12
    f["path.step_ups"].control.value = "4: 22 @ 17.25"
    f["path.target_month"].control.value = 10
    f["path.target_hours"].control.value = 35
    f["path.target_wage"].control.value = 18.0
    f["path.ramp"].control.value = "linear"
    f["path.breaks"].control.value = "14-15"
    editor.edit_month.value = 20
    f["path.edits"].control.value = 1234.56
    editor.set_edit.click()
    assert editor.state.error is None


def reopen(store, name: str = "ramp"):
    """A new session opening the saved plan, as ``?plan=<name>`` does."""
    app = earnings_projection.App.from_query(f"plan={name}", store=store)
    assert app.plan_name == name
    return app


def test_save_and_reopen_keeps_a_linear_ramp_step_ups_breaks_and_edits(projection, store):
    editor = projection.a.editor
    sketch(editor)
    drawn = editor.path
    assert drawn.ramp == "linear" and drawn.step_ups == (ep.StepUp(4, 22.0, 17.25),)
    assert drawn.breaks == (ep.Break(14, 15),) and drawn.edits == {20: 1234.56}
    assert projection.a.state.plan.earnings_path == drawn   # written with the earnings
    projection.files.save_button.click()
    assert Plan.load(store.path("ramp")).earnings_path == drawn

    again = reopen(store)
    assert again.a.state.plan == projection.a.state.plan
    assert again.a.editor.path == drawn                                 # not a fit: same settings
    assert controls(again.a.editor) == controls(editor)
    assert again.a.state.changes == 0                                   # opening changed nothing

    # The same slider move after reopening does what it did before saving.
    for app in (projection, again):
        app.a.editor.fields["path.start_hours"].control.value = 15
    assert again.a.state.plan.earnings == projection.a.state.plan.earnings
    assert again.a.editor.path == projection.a.editor.path
    assert again.a.editor.path.ramp == "linear" and again.a.editor.path.start_wage == 16.5


def test_opening_a_saved_plan_in_the_same_app_shows_its_path(projection, store):
    editor = projection.a.editor
    sketch(editor)
    drawn, shown = editor.path, controls(editor)
    projection.files.save_button.click()
    projection.files.open_choice.value = "example:ssi_student"
    projection.files.open_button.click()
    assert editor.path == ep.fit(Plan.example("ssi_student").earnings, 16.5)   # no stored path
    projection.files.open_choice.value = "saved:ramp"
    projection.files.open_button.click()
    assert editor.path == drawn
    assert controls(editor) == shown


def test_a_preset_reopens_with_its_settings_and_its_name(store):
    app = goal_setting.App(Plan.example("ssdi_ramp_to_sga"), name="slow", store=store)
    preset = "Slow ramp: 10 → 40 hours over 9 months"
    app.path.fields["path.preset"].control.value = preset
    chosen = app.path.path
    assert chosen == ep.preset(preset, months=36, wage=chosen.start_wage)   # at the pay shown
    app.files.save_button.click()
    again = goal_setting.App.from_query("plan=slow", store=store)
    path = again.path.path
    assert path == chosen
    assert (path.start_hours, path.target_month, path.target_hours) == (10, 9, 40)
    assert again.path.fields["path.preset"].control.value == preset
    # Goal setting's compact editor has no step-up control: the step-ups come back in the path
    # and in the lines that say what the chart draws.
    assert "path.step_ups" not in again.path.fields
    assert format_step_ups(path.step_ups, path.start_wage) == "3: 20, 6: 30"
    assert "20 hours a week" in again.path.summary.value and "30 hours a week" in again.path.summary.value
    # Changed after the preset: the settings come back, the dropdown says "as in the plan".
    app.path.fields["path.start_hours"].control.value = 12
    app.files.save_button.click()
    again = goal_setting.App.from_query("plan=slow", store=store)
    assert again.path.path.start_hours == 12 and again.path.path.target_month == 9
    assert again.path.fields["path.preset"].control.value == again.path.AS_IN_PLAN


def test_a_version_2_file_without_a_path_opens_and_refits(store):
    plan = Plan.example("ssdi_ramp_to_sga")
    old = plan.to_dict()
    old["schema_version"] = 2
    del old["earnings_path"]
    for key in ("ssi_since", "earnings_before", "unearned_before"):  # came with schema 4
        del old["profile"][key]
    store.folder.mkdir(parents=True, exist_ok=True)
    store.path("old").write_text(json.dumps(old), encoding="utf-8")
    app = reopen(store, "old")
    assert app.a.state.plan == plan and app.a.state.plan.earnings_path is None
    assert app.a.editor.path == ep.fit(plan.earnings, 15.0)
    assert app.a.editor.path.earnings() == list(plan.earnings)
    app.a.editor.fields["path.start_hours"].control.value = 25   # the first change stores a path
    assert app.a.state.plan.earnings_path == app.a.editor.path
    app.files.save_button.click()
    assert json.loads(store.path("old").read_text())["schema_version"] == plan_module.SCHEMA_VERSION


def test_a_stored_path_that_does_not_give_the_earnings_is_refitted(store):
    """A hand-edited file: the earnings win, the plan opens unchanged and the editor refits."""
    plan = Plan.example("ssdi_ramp_to_sga")
    doc = plan.to_dict()
    doc["earnings_path"] = ep.EarningsPath(months=plan.months, start_hours=40, start_wage=30,
                                           ramp="linear").to_dict()
    store.folder.mkdir(parents=True, exist_ok=True)
    store.path("edited").write_text(json.dumps(doc), encoding="utf-8")
    app = reopen(store, "edited")
    assert app.a.state.plan.earnings == plan.earnings
    assert app.a.editor.path == ep.fit(plan.earnings, 15.0)
    assert app.a.state.changes == 0
    app.a.editor.fields["path.breaks"].control.value = "30"
    assert app.a.state.plan.earnings_path == app.a.editor.path
    assert app.a.state.plan.earnings[30] == 0.0


def test_autosave_and_recovery_carry_the_path(projection, store):
    projection.files.save_button.click()
    sketch(projection.a.editor)
    drawn = projection.a.editor.path
    projection.files.flush_autosave()
    session = projection.files.session
    assert store.recover("ramp", session).plan.earnings_path == drawn
    # The kernel died; the page, reloaded in the same tab (which sends its session key), offers
    # the unsaved changes and brings the path back.
    again = reopen(store)
    assert again.a.editor.path != drawn
    again.files.session_key.value = session
    assert again.files.recover_button.layout.display == ""
    again.files.recover_button.click()
    assert again.a.state.plan.earnings == projection.a.state.plan.earnings
    assert again.a.editor.path == drawn
    assert controls(again.a.editor) == controls(projection.a.editor)


def test_scenario_b_copies_the_path_of_a(projection):
    sketch(projection.a.editor)
    b = projection.start_scenario_b()
    assert b.editor.path == projection.a.editor.path
    assert controls(b.editor) == controls(projection.a.editor)
    b.editor.fields["path.start_hours"].control.value = 30
    assert projection.a.editor.path.start_hours == 12          # A is untouched
    projection.start_scenario_b()                              # copy A into B again
    assert b.editor.path == projection.a.editor.path


def test_self_employed_plans_store_hours_earnings_and_path_together(store):
    app = goal_setting.App(Plan.example("ssdi_ramp_to_sga"), name="self", store=store)
    app.profile.fields["profile.self_employed"].control.value = True
    app.path.fields["path.preset"].control.value = "Part-time 6 months, then full-time"
    app.path.fields["path.target_month"].control.value = 9   # goal setting's short editor has no ramp control
    assert app.state.error is None and app.path.path.target_month == 9
    plan = app.state.plan
    assert plan.earnings_path == app.path.path
    assert list(plan.hours) == app.path.path.hours()
    app.files.save_button.click()
    assert goal_setting.App.from_query("plan=self", store=store).path.path == app.path.path


def test_other_earnings_writers_drop_the_stale_path(projection):
    sketch(projection.a.editor)
    state = projection.a.state
    assert state.set(["earnings"], [900.0] * state.plan.months)
    assert state.plan.earnings_path is None and state.draft["earnings_path"] is None
    assert projection.a.editor.path == ep.fit(state.plan.earnings, 16.5)   # the editor followed


def test_format_helpers_show_what_the_path_holds():
    assert format_step_ups((ep.StepUp(4, 22, 17.25), ep.StepUp(6, 30, 15)), 15) == "4: 22 @ 17.25, 6: 30"
    assert format_breaks((ep.Break(14, 15), ep.Break(20, 20))) == "14-15, 20"

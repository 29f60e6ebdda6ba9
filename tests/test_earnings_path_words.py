"""The earnings path's month controls name months in words ("February 2026"), never as codes
("2026-02"), while their value stays the month (issue 14: months as words)."""

import re

import pytest

from iwp_widgets import Plan
from iwp_widgets.words import month_words

CODE = re.compile(r"\d{4}-\d{2}")


@pytest.fixture
def session(store):
    from iwp_widgets.apps import session

    return session.App(Plan.example("concurrent_irwe"), name="irwe", store=store)


def month_controls(editor):
    controls = [editor.fields["path.start_month"].control, editor.fields["path.target_month"].control]
    if not editor.compact:
        controls.append(editor.edit_month)
    return controls


def assert_months_in_words(editor, start_words: str, months: int):
    for control in month_controls(editor):
        options = [(label, value) for label, value in control.options if value != -1]
        assert [value for _label, value in options] == list(range(months))
        assert not [label for label, _value in control.options if CODE.search(label)], control.description
        assert options[0][0].startswith(start_words), options[0]
    assert editor.month_labels[0].startswith(start_words)


def test_the_month_sliders_and_the_month_to_change_read_as_words(projection):
    editor = projection.a.editor
    plan = projection.a.state.plan
    assert_months_in_words(editor, month_words(plan.start), plan.months)
    labels = dict((value, label) for label, value in editor.fields["path.start_month"].control.options)
    assert labels[1].startswith("February 2026")


def test_the_value_stays_the_month(projection):
    editor = projection.a.editor
    editor.fields["path.start_month"].control.value = 2
    assert editor.path.start_month == 2 and projection.a.state.plan.earnings[:2] == (0.0, 0.0)


def test_months_changed_by_hand_are_listed_in_words(projection):
    editor = projection.a.editor
    editor.edit_month.value = 5
    editor.fields["path.edits"].control.value = 999.0
    editor.set_edit.click()
    table = editor.edits_table.value
    assert "June 2026" in table and "$999.00" in table and not CODE.search(table)


def test_the_compact_editor_of_goal_setting_reads_as_words(goals):
    plan = goals.state.plan
    assert_months_in_words(goals.path, month_words(plan.start), plan.months)


def test_a_new_frame_is_offered_in_words(session):
    session.frame.start.control.value = "2026-06"
    session.frame.length.control.value = 18
    assert_months_in_words(session.a.editor, "June 2026", 18)


def test_the_charts_hover_names_the_month_not_a_day():
    """Plotly's hover said "May 1, 2026" for the month May 2026."""
    from iwp_widgets import charts, simulate

    table = simulate(Plan.example("concurrent_irwe"))
    for spec in (charts.earnings_figure(table), charts.income_figure(table)):
        assert spec["layout"]["xaxis"]["hoverformat"] == "%B %Y"


def test_the_earnings_path_editor_says_everything_through_the_catalogue(monkeypatch, store):
    """A stand-in translation in capitals: every word the editor shows must change with it."""
    import gettext

    from iwp_widgets import words
    from iwp_widgets.apps import earnings_projection

    class Shouting(gettext.NullTranslations):
        def gettext(self, message):
            return re.sub(r"[^{}]+(?=\{|$)", lambda text: text.group().upper(), message)

    monkeypatch.setattr(words._reader(), "catalogue", Shouting())
    app = earnings_projection.App(Plan.example("ssdi_ramp_to_sga"), name="ramp", store=store)
    editor = app.a.editor
    heading = editor.children[0].value
    assert "EARNINGS PATH" in heading
    assert [label for label, _value in editor.fields["path.ramp"].control.options] == \
        ["JUMP AT EACH STEP", "CLIMB A LITTLE EACH MONTH"]
    presets = editor.fields["path.preset"].control
    assert all(label == label.upper() for label, _value in presets.options)
    presets.value = "Full-time from the start"  # the value stays the preset's name
    assert "MONTH NUMBER" in editor.fields["path.step_ups"].children[1].value
    summary = editor.summary.value
    assert "THE EARNINGS DRAWN" in summary

    goals = __import__("iwp_widgets.apps.goal_setting", fromlist=["App"]).App(
        Plan.example("ssdi_ramp_to_sga"), name="ramp", store=store)
    goals.path._summary_later.flush()
    assert "THIS PLAN ALSO HAS" in goals.path.summary.value and "STEP-UPS" in goals.path.summary.value

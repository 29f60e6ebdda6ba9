"""Trainer lessons: widget trees build without a kernel, and the exercises are graded by the engine.

Right answers are the engine's (``simulate`` / Ticket layer / thresholds) results for worked examples
from shared/rules.md §7 where one applies; wrong answers must be marked wrong.
"""

from __future__ import annotations

import pytest

from iwp_widgets.lessons import common, exercise
from iwp_widgets.lessons import twl_sga
from iwp_widgets.lessons.exercise import Grade
from iwp_widgets.thresholds import Thresholds


def all_classes(widget) -> set[str]:
    """CSS classes of a widget and everything under it."""
    found = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        found |= all_classes(child)
    return found


# --- shared pieces -------------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("391.50", 391.5), ("$1,210", 1210.0), (" 20 ", 20.0), (391.5, 391.5), ("abc", None), ("", None),
    ("1.2.3", None), (True, None)])
def test_parse_money(typed, expected):
    assert exercise.parse_money(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("2013-10", "2013-10"), ("Oct 2013", "2013-10"), ("October 2013", "2013-10"), ("soon", None), ("", None)])
def test_parse_month(typed, expected):
    got = exercise.parse_month(typed)
    assert (str(got) if got is not None else None) == expected


def test_exercise_widget_shows_the_grade_and_survives_bad_input():
    from ipywidgets import Text

    from iwp_widgets import PlanError

    def grade(answer):
        if answer == "boom":
            raise PlanError("answer: not understood")
        return Grade(answer == "42", "Because the engine says 42.")

    question = exercise.Exercise("demo", "What is it?", Text(description="Answer"), grade)
    question.answer.value = "42"
    assert question.check() == Grade(True, "Because the engine says 42.")
    assert "Right" in question.feedback.value and "engine says 42" in question.feedback.value
    question.answer.value = "41"
    question.check_button.click()
    assert question.last_grade.correct is False and "Not quite" in question.feedback.value
    question.answer.value = "boom"
    assert question.check() == Grade(False, "answer: not understood")
    question.clear()
    assert question.feedback.value == "" and question.last_grade is None


def test_check_year_before_first_row_projected_and_known():
    labels = {"twl": "the Trial Work Level"}
    early = common.check_year(1989, labels)
    assert not early.usable and "before 1990" in early.message
    first = common.check_year(1990, labels)
    assert first.usable and not first.projected and first.figures == {"twl": 200.0}
    last = common.last_year("twl", Thresholds.default())
    latest = common.check_year(last, labels)
    assert latest.usable and not latest.projected
    future = common.check_year(last + 3, labels)
    assert future.usable and future.projected and "estimate" in future.message
    assert not common.check_year("next year", labels).usable


# --- Lesson 1: TWL and SGA ----------------------------------------------------------------
def test_twl_sga_lesson_builds_with_classes_and_labels():
    lesson = twl_sga.build()
    classes = all_classes(lesson.widget)
    assert {"iwp-lesson-twl-sga", "iwp-app-ready"} <= set(lesson.widget._dom_classes)
    assert "iwp-lesson-twl-sga-year" in classes and "iwp-exercise-twl-amount-check" in classes
    # Every control has a label a screen reader can read.
    for control in (lesson.year_picker.box, lesson.twl_exercise.answer, lesson.twp_earnings,
                    lesson.twp_exercise.answer, lesson.sga_earnings, lesson.sga_exercise.answer):
        assert control.description


def test_twl_sga_history_covers_1990_to_latest_and_marks_july_1999():
    """Non-blind SGA was $500 through June 1999 and $700 from July 1999 (20 CFR §404.1574 Table 1)."""
    frame = twl_sga.history()
    assert str(frame.index[0]) == "1990-01"
    assert frame.loc["1999-06", "sga_non_blind"] == 500 and frame.loc["1999-07", "sga_non_blind"] == 700
    assert frame.loc["1990-01", "twl"] == 200 and frame.loc["1990-01", "sga_blind"] == 780
    lesson = twl_sga.build(1999)
    rows = [r for r in twl_sga.figure_rows(1999) if r["figure"] == "sga_non_blind"]
    assert [(str(r["from"]), r["value"]) for r in rows] == [("1999-01", 500.0), ("1999-07", 700.0)]
    assert "from July" in lesson.figures_table.value
    assert any("July 1999" in a.text for a in lesson.figure.layout.annotations)


def test_twl_sga_year_picker_across_years():
    lesson = twl_sga.build(1990)
    assert "$200" in lesson.figures_table.value and lesson.year_picker.message.value == ""
    lesson.year_picker.box.value = 1989
    assert "before 1990" in lesson.year_picker.message.value
    assert lesson.exercises.layout.display == "none" and lesson.figures_table.value == ""
    latest = common.last_year("twl", Thresholds.default())
    lesson.year_picker.box.value = latest
    assert lesson.exercises.layout.display is None and lesson.year_picker.message.value == ""
    lesson.year_picker.box.value = latest + 2
    assert "estimate" in lesson.year_picker.message.value and "(estimate)" in lesson.figures_table.value


def test_grade_twl_amount_right_and_wrong():
    """2026 TWL $1,210 (rules.md §1.3; thresholds/twl.csv)."""
    assert twl_sga.grade_twl_amount("$1,210", 2026).correct
    wrong = twl_sga.grade_twl_amount("1160", 2026)
    assert not wrong.correct and "$1,210" in wrong.explanation
    assert not twl_sga.grade_twl_amount("lots", 2026).correct

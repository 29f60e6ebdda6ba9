""""Check yourself" questions: the learner answers, the engine grades.

A lesson supplies a plain grading function (answer -> :class:`Grade`) that compares the
learner's answer with what ``simulate``, the Ticket layer or the thresholds say. This
module only draws the question, the answer box, a Check button and the feedback; it
knows no program rule.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

import ipywidgets as widgets
import pandas as pd

from ..errors import PlanError
from ..words import N_, _, month_words


@dataclass(frozen=True)
class Grade:
    """The result of checking one answer: right or not, and why (plain language).

    ``graded`` is False when the engine cannot tell the right answer (for example no 1619(b)
    threshold is on file for the year and state): the answer is then neither right nor wrong.
    """

    correct: bool
    explanation: str
    graded: bool = True


def not_graded(explanation: str) -> Grade:
    """A question the engine cannot answer for these settings: say why, grade nothing."""
    return Grade(False, explanation, graded=False)


def parse_money(answer) -> float | None:
    """A dollar amount typed by a learner ("$391.50", "1,000", 391.5), or None if it is not one."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (int, float)):
        return float(answer)
    text = str(answer).strip().replace(",", "").replace("$", "").strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?|-?\.\d+", text):
        return None
    return float(text)


def parse_month(answer) -> pd.Period | None:
    """A month typed or picked by a learner ("2013-10", "Oct 2013", a Period), or None."""
    if isinstance(answer, pd.Period):
        return answer.asfreq("M")
    text = str(answer).strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-\d{1,2}|[A-Za-z]+\.? \d{4}", text):
        return None
    try:
        return pd.Period(text, freq="M")
    except (ValueError, TypeError):
        return None


YES_NO = ((N_("Yes"), "Yes"), (N_("No"), "No"))


def yes_no_options() -> list[tuple[str, str]]:
    """Yes/No choices with labels in the reader's language; the values stay "Yes"/"No" for
    ``parse_yes_no``."""
    return [(_(label), value) for label, value in YES_NO]


def parse_yes_no(answer) -> bool | None:
    """Yes/No answers (also True/False), or None."""
    if isinstance(answer, bool):
        return answer
    text = str(answer).strip().lower()
    if text in ("yes", "y", "true"):
        return True
    if text in ("no", "n", "false"):
        return False
    return None


def month_label(month) -> str:
    """'October 2013' for a month (a Period, a date or "YYYY-MM")."""
    return month_words(pd.Period(month, freq="M"))


def _question_html(question: str) -> str:
    heading = _("Check yourself:")
    return f"<p><b>{html.escape(heading)}</b> {question}</p>"


class Exercise:
    """One question with an answer box, a Check button and feedback.

    ``grade`` receives the answer widget's value and returns a :class:`Grade`;
    a :class:`PlanError` it raises (bad input) is shown as the feedback. ``inputs`` are the
    question's own settings (an amount, a month), shown between the question and the answer.
    """

    def __init__(self, name: str, question: str, answer: widgets.ValueWidget,
                 grade: Callable[[object], Grade], inputs: tuple[widgets.Widget, ...] = ()):
        self.name = name
        self._grade = grade
        self.question = widgets.HTML(_question_html(question))
        self.answer = answer
        self.answer.add_class(f"iwp-exercise-{name}-answer")
        self.check_button = widgets.Button(description=_("Check my answer"), button_style="primary",
                                           tooltip=_("Check my answer"))
        self.check_button.add_class(f"iwp-exercise-{name}-check")
        self.feedback = widgets.HTML("")
        self.feedback.add_class(f"iwp-exercise-{name}-feedback")
        self.last_grade: Grade | None = None
        self.check_button.on_click(lambda _button: self.check())
        for setting in inputs:
            setting.observe(lambda _change: self.clear(), names="value")
        self.widget = widgets.VBox([self.question, *inputs,
                                    widgets.HBox([self.answer, self.check_button]), self.feedback])
        self.widget.add_class("iwp-exercise")
        self.widget.add_class(f"iwp-exercise-{name}")

    def set_question(self, question: str) -> None:
        """Reword the question (e.g. when the year changes) and clear old feedback."""
        self.question.value = _question_html(question)
        self.clear()

    def clear(self) -> None:
        self.feedback.value = ""
        self.last_grade = None

    def reset(self) -> None:
        """Empty the answer and the feedback (the year changed, so the old answer no longer applies)."""
        if isinstance(self.answer, widgets.Text):
            self.answer.value = ""
        elif isinstance(self.answer, widgets.RadioButtons):
            self.answer.value = None
        elif isinstance(self.answer, widgets.Dropdown) and self.answer.options:
            self.answer.index = 0
        self.clear()

    def check(self) -> Grade:
        try:
            grade = self._grade(self.answer.value)
        except PlanError as error:
            grade = Grade(False, error.plain)
        self.last_grade = grade
        if not grade.graded:
            verdict, colour = _("Can't check this one."), "#8a5300"
        elif grade.correct:
            verdict, colour = _("✔ Right."), "#1b5e20"
        else:
            verdict, colour = _("✘ Not quite."), "#b71c1c"
        self.feedback.value = (f'<p role="status"><b style="color:{colour}">{verdict}</b> '
                               f"{html.escape(grade.explanation)}</p>")
        return grade

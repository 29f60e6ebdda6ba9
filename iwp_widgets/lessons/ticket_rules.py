"""Lesson 6 — the Individual Work Plan's expectations, timely progress reviews and EN payments.

An example person on SSDI assigns their ticket and signs an IWP in December of the year
before the one picked. The learner sets work for each of three years (and school progress
in the first year); ``simulate`` runs the months and the Ticket layer (``check_goals``,
``progress_reviews``, ``en_payments``) decides and explains. The lesson only shows that.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from .. import ticket
from ..thresholds import Thresholds
from . import common, engine
from .exercise import Exercise, Grade, month_label, money, parse_yes_no

NAME = "ticket"
FIGURES = {"twl": "the Trial Work Level", "sga_non_blind": "SGA",
           "progress_period_months": "the progress review period",
           "iwp_twl_goal_months_after_signing": "the IWP earnings goals"}
YEARS = 3
NO_PAYMENT = "none"
PAYMENT_KINDS = ["Phase 1 milestone", "Phase 2 milestone", "Outcome payment"]
SYSTEM_LABELS = {"milestone_outcome": "Milestone-Outcome", "outcome_only": "Outcome only"}


@dataclass(frozen=True)
class Work:
    """Work in each of the lesson's years: months worked (from January) and pay in each."""

    months_worked: tuple[int, ...]
    pay: tuple[float, ...]

    def earnings(self) -> list[float]:
        path: list[float] = []
        for worked, pay in zip(self.months_worked, self.pay):
            path += [float(pay)] * int(worked) + [0.0] * (12 - int(worked))
        return path


@dataclass(frozen=True)
class Outcome:
    """The engine's table and the Ticket layer's verdicts for one scenario."""

    table: pd.DataFrame
    goals: list
    reviews: pd.DataFrame
    payments: pd.DataFrame


def assigned_month(year: int) -> pd.Period:
    return pd.Period(f"{int(year) - 1}-12", freq="M")


def example_iwp(year: int, school_percent: float = 0.0) -> ticket.IWP:
    """The example IWP: signed when the ticket was assigned; school progress in period 1."""
    signed = f"{assigned_month(year)}-01"
    education = [{"period": 1, "academic_year_percent": float(school_percent)}] if school_percent else []
    return ticket.IWP.from_dict({
        "version": ticket.IWP_VERSION, "employment_goal": "Office assistant",
        "signatures": {"beneficiary": {"name": "Example", "date": signed},
                       "en_representative": {"name": "Example EN", "date": signed}},
        "ticket": {"education": education}})


def run(year: int, work: Work, school_percent: float = 0.0, system: str = "milestone_outcome",
        thresholds: Thresholds | None = None) -> Outcome:
    """Simulate the scenario, then ask the Ticket layer about goals, reviews and payments."""
    assigned = assigned_month(year)
    table = engine.simulate_example(f"{int(year)}-01", work.earnings(), "ssdi", thresholds,
                                    ticket_assigned=str(assigned), options={"en_payment_system": system})
    iwp = example_iwp(year, school_percent)
    return Outcome(table,
                   ticket.check_goals(table, iwp, thresholds),
                   ticket.progress_reviews(table, iwp, assigned, thresholds),
                   ticket.en_payments(table, "ssdi", assigned, iwp, system=system, thresholds=thresholds))


# EN amounts of years whose rates were not found are carried forward (thresholds/en_*.csv).
ESTIMATE = " (estimate: Social Security's rate for this year was not found)"


def first_payment(payments: pd.DataFrame) -> tuple[pd.Period, str, float] | None:
    """(month, kind, dollars) of the first EN payment; re-labels the Ticket layer's types."""
    paid = payments[payments["en_payment"] > 0]
    if paid.empty:
        return None
    month = paid.index[0]
    label = str(paid["en_payment_type"].iloc[0]).split("; ")[0]
    return month, label, float(paid["en_payment"].iloc[0])


def _kind(label: str) -> str:
    return next((k for k in PAYMENT_KINDS if label.startswith(k)), label)


# --- exercises -----------------------------------------------------------------------------
def grade_first_review(answer, year: int, work: Work, school_percent: float = 0.0,
                       thresholds: Thresholds | None = None) -> Grade:
    """"Does the first timely progress review pass?" — ``progress_reviews`` period 1."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    review = run(year, work, school_percent, thresholds=thresholds).reviews.iloc[0]
    return Grade(typed == bool(review["passed"]), f"{review['reason']} Source: {review['citation']}.")


def grade_first_payment(answer, year: int, work: Work, system: str = "milestone_outcome",
                        thresholds: Thresholds | None = None) -> Grade:
    """"What is the first payment the EN earns?" — ``en_payments``' first payment."""
    if str(answer) not in (*PAYMENT_KINDS, NO_PAYMENT):
        return Grade(False, "Pick a kind of payment from the list.")
    payments = run(year, work, system=system, thresholds=thresholds).payments
    first = first_payment(payments)
    if first is None:
        return Grade(str(answer) == NO_PAYMENT,
                     "The EN earns no payment in these months: no month meets a milestone or outcome "
                     "test (20 CFR §411.500–§411.550).")
    month, label, dollars = first
    amount = money(round(dollars, 2)) + (ESTIMATE if payments.loc[month, "en_payment_projected"] else "")
    why = (f"The first payment is '{label}' for {month_label(month)}: {amount}. "
           "Milestones are paid in order, so the first qualifying month pays Phase 1 milestone 1 even "
           "if pay is already above SGA (20 CFR §411.525(a)(2)(iii)); outcome payments are for months "
           "when work stops the benefit check (20 CFR §411.500(b)).")
    if system == "outcome_only":
        why = (f"The first payment is '{label}' for {month_label(month)}: {amount}. "
               "Under the outcome-only system the EN is paid only for months when work stops the "
               "benefit check (20 CFR §411.525(a)(1); §411.550).")
    return Grade(str(answer) == _kind(label), why)


def grade_twl_goal(answer, year: int, work: Work, thresholds: Thresholds | None = None) -> Grade:
    """"Does the plan meet the IWP goal of TWL pay by the 10th month?" — ``check_goals``."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    goal = next(g for g in run(year, work, thresholds=thresholds).goals if g.name == "twl_by_month_10")
    return Grade(typed == bool(goal.passed), f"{goal.sentence} Source: {goal.citation}.")


# --- the lesson widget ---------------------------------------------------------------------
def default_work(year: int, thresholds: Thresholds | None = None) -> Work:
    """A first example: half a year at TWL pay, a year at it, then a year over SGA.

    Pay is rounded up to the next $100 over the figure (a presentation choice).
    """
    thresholds = thresholds or Thresholds.default()
    twl = thresholds.value("twl", f"{year}-01")
    sga = thresholds.value("sga_non_blind", f"{year + 2}-01")
    over = lambda amount: float(math.floor(amount / 100) * 100 + 100)  # noqa: E731
    return Work((6, 12, 12), (over(twl), over(twl), over(sga)))


class TicketLesson:
    """Lesson 6 as a widget tree: ``TicketLesson().widget``."""

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds.default()
        year = year or common.default_year(["twl", "sga_non_blind"], self.thresholds)
        self.outcome: Outcome | None = None
        self._holding = False
        self.months_worked, self.pay_sliders, rows = [], [], []
        for index in range(YEARS):
            worked = widgets.IntSlider(value=0, min=0, max=12, description=f"Year {index + 1}: months worked",
                                       continuous_update=False, style={"description_width": "14em"},
                                       layout=widgets.Layout(width="30em"))
            worked.add_class(f"iwp-lesson-{NAME}-months-{index + 1}")
            pay = widgets.IntSlider(value=0, min=0, max=5000, step=50, description="pay in each ($)",
                                    continuous_update=False, style={"description_width": "8em"},
                                    layout=widgets.Layout(width="28em"))
            pay.add_class(f"iwp-lesson-{NAME}-pay-{index + 1}")
            for slider in (worked, pay):
                slider.observe(lambda _c: self._redraw(), names="value")
            self.months_worked.append(worked)
            self.pay_sliders.append(pay)
            rows.append(widgets.HBox([worked, pay]))
        self.school = widgets.BoundedFloatText(value=0, min=0, max=100, step=5,
                                               description="School in year 1 (% of a full-time year)",
                                               style={"description_width": "initial"})
        self.school.add_class(f"iwp-lesson-{NAME}-school")
        self.system = widgets.Dropdown(options=[(v, k) for k, v in SYSTEM_LABELS.items()],
                                       value="milestone_outcome", description="EN payment system",
                                       style={"description_width": "initial"})
        self.system.add_class(f"iwp-lesson-{NAME}-system")
        for control in (self.school, self.system):
            control.observe(lambda _c: self._redraw(), names="value")
        self.results = widgets.HTML("")
        self.results.add_class(f"iwp-lesson-{NAME}-results")
        self.goal_exercise = Exercise(
            "twl-goal", "Does this plan meet the IWP goal of earning at least the TWL in time?", widgets.RadioButtons(options=["Yes", "No"], value=None, description="Goal met?"),
            lambda answer: grade_twl_goal(answer, self.year_picker.year, self.work, self.thresholds))
        self.review_exercise = Exercise(
            "first-review", "Does the first timely progress review (the first year) pass?",
            widgets.RadioButtons(options=["Yes", "No"], value=None, description="Review passes?"),
            lambda answer: grade_first_review(answer, self.year_picker.year, self.work, self.school.value,
                                              self.thresholds))
        self.payment_exercise = Exercise(
            "first-payment", "What kind of payment does the EN earn first?",
            widgets.Dropdown(options=[("Pick one…", "")] + [(k, k) for k in PAYMENT_KINDS]
                             + [("No payment in these months", NO_PAYMENT)], description="First payment",
                             style={"description_width": "initial"}),
            lambda answer: grade_first_payment(answer, self.year_picker.year, self.work, self.system.value,
                                               self.thresholds))
        self.reveal = common.Reveal(NAME, "the engine's results", [self.results])
        self.rules = widgets.VBox()
        self.controls = widgets.VBox(rows + [
            self.school, self.system, self.goal_exercise.widget, self.review_exercise.widget,
            self.payment_exercise.widget, self.reveal.button, self.results])
        self.year_picker = common.YearPicker(NAME, year, FIGURES, self._year_changed, self.thresholds)
        self.widget = common.lesson_root(NAME, [
            common.heading("Lesson 6: The IWP, timely progress and EN payments", 2),
            self.rules,
            common.heading("Try it", 3),
            common.paragraph("The ticket is assigned and the IWP signed in December of the year before "
                             "the year you pick. Set the person's work in each year."),
            self.year_picker.widget,
            self.controls,
        ])
        self.year_picker.refresh()

    @property
    def work(self) -> Work:
        return Work(tuple(s.value for s in self.months_worked), tuple(float(s.value) for s in self.pay_sliders))

    def set_work(self, work: Work) -> None:
        """Set every slider at once and redraw once (tests and presets)."""
        self._holding = True
        try:
            for slider, value in zip(self.months_worked, work.months_worked):
                slider.value = int(value)
            for slider, value in zip(self.pay_sliders, work.pay):
                slider.value = int(value)
        finally:
            self._holding = False
        self._redraw()

    def _rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        period = f.count("progress_period_months")
        work = {n: f.count("progress_work_months", key=str(n)) for n in range(1, 6)}
        school = {n: f.percent("progress_education_share_of_year", key=str(n)) for n in (1, 2)}
        later = (f"{work[3]} months each" if work[3] == work[4]
                 else f"{work[3]} and {work[4]} months")
        return [
            common.paragraph(
                "With a Ticket to Work, a person works with an Employment Network (EN). They write an "
                f"Individual Work Plan (IWP) together. SSA checks progress every {period} months, and "
                "pays the EN when the person reaches earnings milestones."),
            common.rule_box(
                "What the IWP should aim for",
                "Earn at least the Trial Work Level by the "
                f"<b>{f.nth('iwp_twl_goal_months_after_signing')} month</b> after signing the IWP. Aim "
                "to earn at least the SGA amount a month after the first "
                f"<b>{f.count('iwp_sga_goal_after_work_months')} months</b> of work. "
                f"{f.count('iwp_first_success_work_months')} months of work is a first success; "
                "part-time work is fine early on.",
                "Your Ticket to Work (SSA), 'Individual Work Plan'"),
            common.rule_box(
                "Timely progress reviews",
                f"Review 1 (first {period} months): {work[1]} months with pay of at least the TWL, or "
                f"{school[1]} of a full-time school year. Review 2: {work[2]} months at least the TWL, or "
                f"{school[2]} more of a school year. Reviews 3 and 4: {later} with "
                f"pay over SGA (or school goals). Later: {work[5]} months with pay that stops the SSDI "
                "and SSI checks. Work and school can be added together as shares of their goals: the "
                "regulation's example is 1 of 3 work months plus 40% of a school year, which passes "
                "review 1.",
                "20 CFR §411.180; POMS DI 55025.025"),
            common.rule_box(
                "How the EN is paid",
                "Milestone-Outcome: Phase 1 milestones for months with pay of at least the TWL, "
                "Phase 2 milestones for months with pay over SGA, then outcome payments for months "
                "when work stops the benefit check. Milestones are paid in order. Outcome only: "
                "larger payments, but only for outcome months.",
                "20 CFR §411.500; §411.525; §411.540; §411.545; §411.550"),
        ]

    def _year_changed(self, check: common.YearCheck) -> None:
        self.controls.layout.display = None if check.usable else "none"
        if not check.usable:
            return
        self.rules.children = self._rule_boxes(check.year)
        if not any(self.work.months_worked):
            self.set_work(default_work(check.year, self.thresholds))
        else:
            self._redraw()

    def _redraw(self) -> None:
        if self._holding or not self.year_picker.check.usable:
            return
        for question in (self.goal_exercise, self.review_exercise, self.payment_exercise):
            question.clear()
        self.outcome = run(self.year_picker.year, self.work, self.school.value, self.system.value,
                           self.thresholds)
        goals = "".join(f"<li><b>{html.escape(g.label)}:</b> {html.escape(g.sentence)}</li>"
                        for g in self.outcome.goals)
        reviews = "".join(f"<li>{html.escape(str(r['reason']))} <small>({html.escape(str(r['citation']))})"
                          "</small></li>" for _, r in self.outcome.reviews.iterrows())
        paid = self.outcome.payments[self.outcome.payments["en_payment"] > 0]
        payments = "".join(f"<li>{html.escape(month_label(m))}: {html.escape(str(r['en_payment_type']))} "
                           f"{money(round(float(r['en_payment']), 2))}"
                           f"{ESTIMATE if r['en_payment_projected'] else ''}"
                           "</li>" for m, r in paid.iterrows())
        total = money(round(float(paid["en_payment"].sum()), 2)) + (
            ESTIMATE if paid["en_payment_projected"].any() else "")
        self.results.value = (
            f"<h4>IWP goals</h4><ul>{goals}</ul><h4>Timely progress reviews</h4><ul>{reviews}</ul>"
            f"<h4>EN payments ({html.escape(SYSTEM_LABELS[self.system.value])}), total {total}</h4>"
            f"<ul>{payments or '<li>None in these months.</li>'}</ul>")


def build(year: int | None = None, thresholds: Thresholds | None = None) -> TicketLesson:
    return TicketLesson(year, thresholds)

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
from .exercise import Exercise, Grade, month_label, parse_yes_no
from ..words import money

NAME = "ticket"
FIGURES = ("twl", "sga_non_blind", "progress_period_months", "iwp_twl_goal_months_after_signing")
YEARS = 3
NO_PAYMENT = "none"
PAYMENT_KINDS = ["Phase 1 milestone", "Phase 2 milestone", "Outcome payment"]
SYSTEM_LABELS = {"milestone_outcome": "Milestone-Outcome", "outcome_only": "Outcome only"}
# The yearly figure behind each kind of payment, to say where its dollars come from.
RATE_FIGURES = {("milestone_outcome", "Phase 1 milestone"): "en_phase1_milestone",
                ("milestone_outcome", "Phase 2 milestone"): "en_phase2_milestone_title2",
                ("milestone_outcome", "Outcome payment"): "en_mo_outcome_title2",
                ("outcome_only", "Outcome payment"): "en_oo_outcome_title2"}


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


def first_payment(payments: pd.DataFrame) -> tuple[pd.Period, str, float] | None:
    """(month, kind, dollars) of the first EN payment; re-labels the Ticket layer's types."""
    paid = payments[payments["en_payment"] > 0]
    if paid.empty:
        return None
    month = paid.index[0]
    label = str(paid["en_payment_type"].iloc[0]).split("; ")[0]
    return month, label, float(paid["en_payment"].iloc[0])


def _months_within(months: int, window: int) -> str:
    if months == window:
        return f"{months} month" + ("s" if months != 1 else "")
    return f"{months} months within {window}"


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
    first = first_payment(run(year, work, system=system, thresholds=thresholds).payments)
    if first is None:
        return Grade(str(answer) == NO_PAYMENT,
                     "The EN earns no payment in these months: no month meets a milestone or outcome "
                     "test (20 CFR §411.500–§411.550).")
    month, label, dollars = first
    amount = money(round(dollars, 2)) + rate_note(month, label, system, thresholds)
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

    Each year's pay is set from that year's own TWL or SGA (year 2 from its own TWL, which is
    often higher than year 1's), rounded up to the next $100 over the figure (a presentation
    choice).
    """
    thresholds = thresholds or Thresholds.default()
    twl = [thresholds.value("twl", f"{year + k}-01") for k in (0, 1)]
    sga = thresholds.value("sga_non_blind", f"{year + 2}-01")
    over = lambda amount: float(math.floor(amount / 100) * 100 + 100)  # noqa: E731
    return Work((6, 12, 12), (over(twl[0]), over(twl[1]), over(sga)))


def rate_note(month: pd.Period, label: str, system: str, thresholds: Thresholds | None = None) -> str:
    """Where a payment's dollar rate comes from, when it is not a published figure for that year."""
    thresholds = thresholds or Thresholds.default()
    name = RATE_FIGURES.get((system, _kind(label)))
    if name is None:
        return ""
    figure = thresholds.lookup(name, month)
    table = thresholds.table(name)
    known = table[(table["effective"] <= month) & (table["status"] != "carried_forward")]
    if figure.status == "carried_forward" or figure.projected:
        since = (f"the {known['effective'].max().year} rate, carried forward" if not known.empty
                 else "an earlier year's rate, carried forward")
        return (f" (an estimate: we have no published rate for {month.year}, so this is {since})")
    if figure.status == "derived":
        return " (an estimate: worked out from the payment formula, not published)"
    return ""


class TicketLesson(common.Lesson):
    """Lesson 6 as a widget tree: ``TicketLesson().widget``."""

    NAME = NAME
    FIGURES = FIGURES

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        super().__init__(year, thresholds)
        self.outcome: Outcome | None = None
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
                slider.observe(lambda _c: self.redraw(), names="value")
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
            control.observe(lambda _c: self.redraw(), names="value")
        self.results = widgets.HTML("")
        self.results.add_class(f"iwp-lesson-{NAME}-results")
        self.goal_exercise = Exercise(
            "twl-goal", "Does this plan meet the IWP goal of earning at least the TWL in time?",
            widgets.RadioButtons(options=["Yes", "No"], value=None, description="Goal met?"),
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
        self.exercises = [self.goal_exercise, self.review_exercise, self.payment_exercise]
        self.reveal = common.Reveal(NAME, "the engine's results", [self.results])
        self.controls.children = rows + [
            self.school, self.system, self.goal_exercise.widget, self.review_exercise.widget,
            self.payment_exercise.widget, self.reveal.button, self.results]
        self.finish("Lesson 6: The IWP, timely progress and EN payments", [],
                    [common.paragraph("The ticket is assigned and the IWP signed in December of the year "
                                      "before the year you pick. Set the person's work in each year.")])

    @property
    def work(self) -> Work:
        return Work(tuple(s.value for s in self.months_worked), tuple(float(s.value) for s in self.pay_sliders))

    def set_work(self, work: Work) -> None:
        """Set every slider at once and redraw once (tests and presets)."""
        with self.holding():
            for slider, value in zip(self.months_worked, work.months_worked):
                slider.value = int(value)
            for slider, value in zip(self.pay_sliders, work.pay):
                slider.value = int(value)

    def rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        period = f.count("progress_period_months")
        work = {n: f.count("progress_work_months", key=str(n)) for n in range(1, 6)}
        school = {n: f.percent("progress_education_share_of_year", key=str(n)) for n in (1, 2)}
        tolerance = f.value("progress_variance_tolerance")
        school_low = f"{f.value('progress_education_share_of_year', key='1') * (1 - tolerance) * 100:g}%"
        later = (f"{work[3]} months each" if work[3] == work[4]
                 else f"{work[3]} and {work[4]} months")
        milestones = "; ".join(
            f"milestone {n}: {_months_within(f.count('en_phase1_required_months', key=str(n)), f.count('en_phase1_window_months', key=str(n)))}"
            for n in range(1, f.count("en_phase1_milestone_count") + 1))
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
                "Why timely progress matters",
                "While your ticket is assigned and you make timely progress, Social Security does not "
                "start a medical review of your disability (a continuing disability review). If a "
                "progress review fails, that protection ends; the EN can still be paid for your work.",
                "20 CFR §411.166(a); §411.171; §411.210; POMS DI 55025.025"),
            common.rule_box(
                "Timely progress reviews",
                f"Review 1 (first {period} months): {work[1]} months with pay of at least the TWL, or "
                f"{school[1]} of a full-time school year. Review 2: {work[2]} months at least the TWL, or "
                f"{school[2]} more of a school year. Reviews 3 and 4: {later} with "
                f"pay over SGA (or school goals). Later: {work[5]} months with pay that stops the SSDI "
                "and SSI checks. Work and school can be added together as shares of their goals: the "
                "regulation's example is 1 of 3 work months plus 40% of a school year, which passes "
                f"review 1. School goals and work-plus-school count as met when within "
                f"{f.percent('progress_variance_tolerance')} of the goal: {school_low} of a school year "
                f"meets the {school[1]} goal of review 1. Work months alone get no such margin.",
                "20 CFR §411.166(h); §411.180; POMS DI 55025.025"),
            common.rule_box(
                "How the EN is paid",
                "Milestone-Outcome: Phase 1 milestones for months with pay of at least the TWL, "
                "Phase 2 milestones for months with pay over SGA, then outcome payments for months "
                "when work stops the benefit check. Milestones are paid in order. Outcome only: "
                "larger payments, but only for outcome months.",
                "20 CFR §411.500; §411.525; §411.540; §411.545; §411.550"),
            common.rule_box(
                "The Phase 1 milestones",
                f"Phase 1 {milestones}; each month with pay of at least the TWL. The last one also "
                "needs the EN to have mostly delivered the services in the IWP. (The regulation says "
                f"{f.percent('en_p1m1_regulation_share_of_twl')} of the TWL for the first milestone; "
                "SSA's current guidance to ENs, used here, says the full TWL.)",
                "20 CFR §411.525(a)(2)(i); §411.540(a); Your Ticket to Work (SSA), 'The "
                "Milestone/Outcome Payment System'"),
        ]

    def year_changed(self, check: common.YearCheck) -> None:
        if not check.usable:
            return
        if not any(self.work.months_worked):
            self.set_work(default_work(check.year, self.thresholds))

    def draw(self) -> None:
        self.outcome = run(self.year_picker.year, self.work, self.school.value, self.system.value,
                           self.thresholds)
        goals = "".join(f"<li><b>{html.escape(g.label)}:</b> {html.escape(g.sentence)}</li>"
                        for g in self.outcome.goals)
        reviews = "".join(f"<li>{html.escape(str(r['reason']))} <small>({html.escape(str(r['citation']))})"
                          "</small></li>" for _, r in self.outcome.reviews.iterrows())
        paid = self.outcome.payments[self.outcome.payments["en_payment"] > 0]
        system = self.system.value
        payments = "".join(
            f"<li>{html.escape(month_label(m))}: {html.escape(str(r['en_payment_type']))} "
            f"{money(round(float(r['en_payment']), 2))}"
            f"{html.escape(rate_note(m, str(r['en_payment_type']), system, self.thresholds))}</li>"
            for m, r in paid.iterrows())
        total = money(round(float(paid["en_payment"].sum()), 2))
        self.results.value = (
            f"<h4>IWP goals</h4><ul>{goals}</ul><h4>Timely progress reviews</h4><ul>{reviews}</ul>"
            f"<h4>EN payments ({html.escape(SYSTEM_LABELS[self.system.value])}), total {total}</h4>"
            f"<ul>{payments or '<li>None in these months.</li>'}</ul>")


def build(year: int | None = None, thresholds: Thresholds | None = None) -> TicketLesson:
    return TicketLesson(year, thresholds)

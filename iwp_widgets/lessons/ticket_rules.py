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
from .exercise import Exercise, Grade, month_label, parse_yes_no, yes_no_options
from ..words import N_, _, money, ngettext

NAME = "ticket"
FIGURES = ("twl", "sga_non_blind", "progress_period_months", "iwp_twl_goal_months_after_signing")
YEARS = 3
NO_PAYMENT = "none"
PAYMENT_KINDS = ["Phase 1 milestone", "Phase 2 milestone", "Outcome payment"]
SYSTEM_LABELS = {"milestone_outcome": N_("Milestone-Outcome"), "outcome_only": N_("Outcome only")}
# The kinds above in the reader's words (the values stay the Ticket layer's English labels).
KIND_WORDS = {"Phase 1 milestone": N_("Phase 1 milestone"), "Phase 2 milestone": N_("Phase 2 milestone"),
              "Outcome payment": N_("Outcome payment")}
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
        return ngettext("{months} month", "{months} months", months).format(months=months)
    return _("{months} months within {window}").format(months=months, window=window)


def _kind(label: str) -> str:
    return next((k for k in PAYMENT_KINDS if label.startswith(k)), label)


# --- exercises -----------------------------------------------------------------------------
def grade_first_review(answer, year: int, work: Work, school_percent: float = 0.0,
                       thresholds: Thresholds | None = None) -> Grade:
    """"Does the first timely progress review pass?" — ``progress_reviews`` period 1."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, _("Answer Yes or No."))
    review = run(year, work, school_percent, thresholds=thresholds).reviews.iloc[0]
    return Grade(typed == bool(review["passed"]), _("{reason} Source: {citation}.").format(
        reason=review["reason"], citation=review["citation"]))


def grade_first_payment(answer, year: int, work: Work, system: str = "milestone_outcome",
                        thresholds: Thresholds | None = None) -> Grade:
    """"What is the first payment the EN earns?" — ``en_payments``' first payment."""
    if str(answer) not in (*PAYMENT_KINDS, NO_PAYMENT):
        return Grade(False, _("Pick a kind of payment from the list."))
    first = first_payment(run(year, work, system=system, thresholds=thresholds).payments)
    if first is None:
        return Grade(str(answer) == NO_PAYMENT,
                     _("The EN earns no payment in these months: no month meets a milestone or outcome "
                       "test (20 CFR §411.500–§411.550)."))
    month, label, dollars = first
    say = dict(label=label, month=month_label(month),
               amount=money(round(dollars, 2)) + rate_note(month, label, system, thresholds))
    why = _("The first payment is “{label}” for {month}: {amount}. Milestones are paid in order, so the "
            "first qualifying month pays Phase 1 milestone 1 even if pay is already above SGA "
            "(20 CFR §411.525(a)(2)(iii)); outcome payments are for months when work stops the benefit "
            "check (20 CFR §411.500(b)).").format(**say)
    if system == "outcome_only":
        why = _("The first payment is “{label}” for {month}: {amount}. Under the outcome-only system the "
                "EN is paid only for months when work stops the benefit check (20 CFR §411.525(a)(1); "
                "§411.550).").format(**say)
    return Grade(str(answer) == _kind(label), why)


def grade_twl_goal(answer, year: int, work: Work, thresholds: Thresholds | None = None) -> Grade:
    """"Does the plan meet the IWP goal of TWL pay by the 10th month?" — ``check_goals``."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, _("Answer Yes or No."))
    goal = next(g for g in run(year, work, thresholds=thresholds).goals if g.name == "twl_by_month_10")
    return Grade(typed == bool(goal.passed), _("{reason} Source: {citation}.").format(
        reason=goal.sentence, citation=goal.citation))


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
        since = (_("the {year} rate, carried forward").format(year=known["effective"].max().year)
                 if not known.empty else _("an earlier year's rate, carried forward"))
        return " " + _("(an estimate: we have no published rate for {year}, so this is {since})").format(
            year=month.year, since=since)
    if figure.status == "derived":
        return " " + _("(an estimate: worked out from the payment formula, not published)")
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
            worked = widgets.IntSlider(value=0, min=0, max=12,
                                       description=_("Year {n}: months worked").format(n=index + 1),
                                       continuous_update=False, style={"description_width": "14em"},
                                       layout=widgets.Layout(width="30em"))
            worked.add_class(f"iwp-lesson-{NAME}-months-{index + 1}")
            pay = widgets.IntSlider(value=0, min=0, max=5000, step=50, description=_("pay in each ($)"),
                                    continuous_update=False, style={"description_width": "8em"},
                                    layout=widgets.Layout(width="28em"))
            pay.add_class(f"iwp-lesson-{NAME}-pay-{index + 1}")
            for slider in (worked, pay):
                slider.observe(lambda _c: self.redraw(), names="value")
            self.months_worked.append(worked)
            self.pay_sliders.append(pay)
            rows.append(widgets.HBox([worked, pay]))
        self.school = widgets.BoundedFloatText(value=0, min=0, max=100, step=5,
                                               description=_("School in year 1 (% of a full-time year)"),
                                               style={"description_width": "initial"})
        self.school.add_class(f"iwp-lesson-{NAME}-school")
        self.system = widgets.Dropdown(options=[(_(v), k) for k, v in SYSTEM_LABELS.items()],
                                       value="milestone_outcome", description=_("EN payment system"),
                                       style={"description_width": "initial"})
        self.system.add_class(f"iwp-lesson-{NAME}-system")
        for control in (self.school, self.system):
            control.observe(lambda _c: self.redraw(), names="value")
        self.results = widgets.HTML("")
        self.results.add_class(f"iwp-lesson-{NAME}-results")
        self.goal_exercise = Exercise(
            "twl-goal", _("Does this plan meet the IWP goal of earning at least the TWL in time?"),
            widgets.RadioButtons(options=yes_no_options(), value=None, description=_("Goal met?")),
            lambda answer: grade_twl_goal(answer, self.year_picker.year, self.work, self.thresholds))
        self.review_exercise = Exercise(
            "first-review", _("Does the first timely progress review (the first year) pass?"),
            widgets.RadioButtons(options=yes_no_options(), value=None, description=_("Review passes?")),
            lambda answer: grade_first_review(answer, self.year_picker.year, self.work, self.school.value,
                                              self.thresholds))
        self.payment_exercise = Exercise(
            "first-payment", _("What kind of payment does the EN earn first?"),
            widgets.Dropdown(options=[(_("Pick one…"), "")] + [(_(KIND_WORDS[k]), k) for k in PAYMENT_KINDS]
                             + [(_("No payment in these months"), NO_PAYMENT)], description=_("First payment"),
                             style={"description_width": "initial"}),
            lambda answer: grade_first_payment(answer, self.year_picker.year, self.work, self.system.value,
                                               self.thresholds))
        self.exercises = [self.goal_exercise, self.review_exercise, self.payment_exercise]
        self.reveal = common.Reveal(NAME, _("the engine's results"), [self.results])
        self.controls.children = rows + [
            self.school, self.system, self.goal_exercise.widget, self.review_exercise.widget,
            self.payment_exercise.widget, self.reveal.button, self.results]
        self.finish(_("Lesson 6: The IWP, timely progress and EN payments"), [],
                    [common.paragraph(_("The ticket is assigned and the IWP signed in December of the year "
                                        "before the year you pick. Set the person's work in each year."))])

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
        later = (_("{months} months each").format(months=work[3]) if work[3] == work[4]
                 else _("{first} and {second} months").format(first=work[3], second=work[4]))
        milestones = "; ".join(
            _("milestone {n}: {months}").format(n=n, months=_months_within(
                f.count("en_phase1_required_months", key=str(n)), f.count("en_phase1_window_months", key=str(n))))
            for n in range(1, f.count("en_phase1_milestone_count") + 1))
        say = dict(period=period, work1=work[1], work2=work[2], work5=work[5], school1=school[1],
                   school2=school[2], later=later, school_low=school_low, milestones=milestones,
                   tolerance=f.percent("progress_variance_tolerance"),
                   nth=f.nth("iwp_twl_goal_months_after_signing"),
                   sga_after=f.count("iwp_sga_goal_after_work_months"),
                   first_success=f.count("iwp_first_success_work_months"),
                   p1m1=f.percent("en_p1m1_regulation_share_of_twl"))
        return [
            common.paragraph(_(
                "With a Ticket to Work, a person works with an Employment Network (EN). They write an "
                "Individual Work Plan (IWP) together. SSA checks progress every {period} months, and "
                "pays the EN when the person reaches earnings milestones.").format(**say)),
            common.rule_box(
                _("What the IWP should aim for"),
                _("Earn at least the Trial Work Level by the <b>{nth} month</b> after signing the IWP. Aim "
                  "to earn at least the SGA amount a month after the first <b>{sga_after} months</b> of "
                  "work. {first_success} months of work is a first success; part-time work is fine early "
                  "on.").format(**say),
                "Your Ticket to Work (SSA), 'Individual Work Plan'"),
            common.rule_box(
                _("Why timely progress matters"),
                _("While your ticket is assigned and you make timely progress, Social Security does not "
                  "start a medical review of your disability (a continuing disability review). If a "
                  "progress review fails, that protection ends; the EN can still be paid for your work."),
                "20 CFR §411.166(a); §411.171; §411.210; POMS DI 55025.025"),
            common.rule_box(
                _("Timely progress reviews"),
                _("Review 1 (first {period} months): {work1} months with pay of at least the TWL, or "
                  "{school1} of a full-time school year. Review 2: {work2} months at least the TWL, or "
                  "{school2} more of a school year. Reviews 3 and 4: {later} with pay over SGA (or school "
                  "goals). Later: {work5} months with pay that stops the SSDI and SSI checks. Work and "
                  "school can be added together as shares of their goals: the regulation's example is 1 of "
                  "3 work months plus 40% of a school year, which passes review 1. School goals and "
                  "work-plus-school count as met when within {tolerance} of the goal: {school_low} of a "
                  "school year meets the {school1} goal of review 1. Work months alone get no such "
                  "margin.").format(**say),
                "20 CFR §411.166(h); §411.180; POMS DI 55025.025"),
            common.rule_box(
                _("How the EN is paid"),
                _("Milestone-Outcome: Phase 1 milestones for months with pay of at least the TWL, "
                  "Phase 2 milestones for months with pay over SGA, then outcome payments for months "
                  "when work stops the benefit check. Milestones are paid in order. Outcome only: "
                  "larger payments, but only for outcome months."),
                "20 CFR §411.500; §411.525; §411.540; §411.545; §411.550"),
            common.rule_box(
                _("The Phase 1 milestones"),
                _("Phase 1 {milestones}; each month with pay of at least the TWL. The last one also needs "
                  "the EN to have mostly delivered the services in the IWP. (The regulation says {p1m1} of "
                  "the TWL for the first milestone; SSA's current guidance to ENs, used here, says the "
                  "full TWL.)").format(**say),
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
                          "</small></li>" for _month, r in self.outcome.reviews.iterrows())
        paid = self.outcome.payments[self.outcome.payments["en_payment"] > 0]
        system = self.system.value
        payments = "".join(
            f"<li>{html.escape(month_label(m))}: {html.escape(str(r['en_payment_type']))} "
            f"{money(round(float(r['en_payment']), 2))}"
            f"{html.escape(rate_note(m, str(r['en_payment_type']), system, self.thresholds))}</li>"
            for m, r in paid.iterrows())
        total = money(round(float(paid["en_payment"].sum()), 2))
        titles = [html.escape(t) for t in (
            _("IWP goals"), _("Timely progress reviews"),
            _("EN payments ({system}), total {total}").format(system=_(SYSTEM_LABELS[system]), total=total))]
        none = html.escape(_("None in these months."))
        self.results.value = (
            f"<h4>{titles[0]}</h4><ul>{goals}</ul><h4>{titles[1]}</h4><ul>{reviews}</ul>"
            f"<h4>{titles[2]}</h4><ul>{payments or f'<li>{none}</li>'}</ul>")


def build(year: int | None = None, thresholds: Thresholds | None = None) -> TicketLesson:
    return TicketLesson(year, thresholds)

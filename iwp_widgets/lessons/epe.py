"""Lesson 3 — after the trial work period: EPE, cessation, grace months, suspension and
restart, termination and Expedited Reinstatement.

A person whose trial work period ended the month before the lesson's first month moves
a few pay sliders; ``simulate``'s ``ssdi_status`` and ``ssdi_paid`` columns draw the
timeline. The lesson only groups and names what the engine returned.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from .. import charts
from ..thresholds import Thresholds
from . import common, engine
from .exercise import Exercise, Grade, month_label, money, parse_month, parse_yes_no

NAME = "epe"
FIGURES = {"twl": "the Trial Work Level", "sga_non_blind": "SGA",
           "epe_reentitlement_months": "the extended period of eligibility",
           "ssdi_grace_months": "the grace months", "exr_window_months": "Expedited Reinstatement"}
NO_CESSATION = "none"
# Slider blocks: (label, first month index, number of months). Six years cover the 36-month
# re-entitlement period and what follows it.
BLOCKS = (("Year 1: pay a month ($)", 0, 12), ("Year 2: pay a month ($)", 12, 12),
          ("Year 3: pay a month ($)", 24, 12), ("Years 4–6: pay a month ($)", 36, 36))
PAID_STATUSES_LABEL = {"cessation": "cessation month", "grace": "grace month"}


def earnings_path(block_pay) -> list[float]:
    """Monthly pay for the whole timeline from one amount per slider block."""
    path: list[float] = []
    for (_label, _first, count), pay in zip(BLOCKS, block_pay):
        path += [float(pay)] * count
    return path


def simulate_path(year: int, block_pay, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The engine's table for a person whose trial work period ended in December of ``year`` − 1."""
    start = pd.Period(f"{int(year)}-01", freq="M")
    return engine.simulate_example(start, earnings_path(block_pay), "ssdi", thresholds,
                                   twp_completed=str(start - 1))


def phases(table: pd.DataFrame) -> list[tuple[pd.Period, pd.Period, str]]:
    """(first month, last month, status) for each run of the engine's ``ssdi_status``."""
    statuses = table["ssdi_status"].astype(str).tolist()
    runs, first = [], 0
    for i in range(1, len(statuses) + 1):
        if i == len(statuses) or statuses[i] != statuses[first]:
            runs.append((table.index[first], table.index[i - 1], statuses[first]))
            first = i
    return runs


def cessation_month(table: pd.DataFrame) -> pd.Period | None:
    months = table.index[table["ssdi_status"].astype(str) == "cessation"]
    return months[0] if len(months) else None


def grade_cessation(answer, year: int, block_pay, thresholds: Thresholds | None = None) -> Grade:
    """"Which month is the cessation month?" — the engine's first ``cessation`` month."""
    table = simulate_path(year, block_pay, thresholds)
    month = cessation_month(table)
    typed = None if str(answer) == NO_CESSATION else parse_month(answer)
    if typed is None and str(answer) != NO_CESSATION:
        return Grade(False, "Pick a month from the list, or 'No cessation month'.")
    if month is None:
        return Grade(typed is None,
                     "No month has countable pay over SGA, so SSDI does not cease "
                     "(20 CFR §404.1592a(a)(1)).")
    row = table.loc[month]
    why = (f"The cessation month is {month_label(month)}: the first month after the trial work period "
           f"with pay ({money(row['countable_earnings'])}) over SGA ({money(row['sga'])}). "
           "Source: 20 CFR §404.1592a(a)(1).")
    return Grade(typed == month, why)


def grade_paid(answer, year: int, block_pay, month, thresholds: Thresholds | None = None) -> Grade:
    """"Is SSDI paid in ``month``?" — the engine's ``ssdi_paid`` for that month."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    table = simulate_path(year, block_pay, thresholds)
    month = pd.Period(month, freq="M")
    row = table.loc[month]
    paid = float(row["ssdi_paid"]) > 0
    status = charts.phase_label(str(row["ssdi_status"]))
    why = (f"In {month_label(month)} the person earns {money(row['gross_earnings'])} and is in: "
           f"{status}. SSDI paid: {money(row['ssdi_paid'])}. "
           + status_reason(str(row["ssdi_status"]), month.year, thresholds))
    return Grade(typed == paid, why.strip())


def grade_exr(answer, year: int, block_pay, month, thresholds: Thresholds | None = None) -> Grade:
    """"Could the person ask for Expedited Reinstatement in ``month``?" — the engine's ``exr_window``."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    table = simulate_path(year, block_pay, thresholds)
    month = pd.Period(month, freq="M")
    inside = bool(table.loc[month, "exr_window"])
    window = common.YearFigures(thresholds or Thresholds.default(), month.year).count("exr_window_months")
    ended = table.index[table["ssdi_status"].astype(str) == "terminated"]
    if inside:
        why = (f"Yes: SSDI ended because of work in {month_label(ended[0])}, and {month_label(month)} is "
               f"within the {window} months after that (20 CFR §404.1592c(a)).")
    elif len(ended) and month < ended[0]:
        why = (f"No: in {month_label(month)} SSDI has not ended yet (it ends in {month_label(ended[0])}). "
               "Expedited Reinstatement is for after SSDI ends because of work (20 CFR §404.1592c(a)).")
    elif len(ended):
        why = (f"No: {month_label(month)} is more than {window} months after SSDI ended "
               "(20 CFR §404.1592c(a)).")
    else:
        why = ("No: in these months SSDI never ends because of work, so there is nothing to reinstate "
               "(20 CFR §404.1592c(a)).")
    return Grade(typed == inside, why)


def status_reason(status: str, year: int, thresholds: Thresholds | None = None) -> str:
    """Why a status pays or not, in plain words with the rule (the engine decided the status)."""
    f = common.YearFigures(thresholds or Thresholds.default(), year)
    epe, grace = f.count("epe_reentitlement_months"), f.count("ssdi_grace_months")
    reasons = {
        "epe": "In the extended period of eligibility SSDI is paid in months with pay at or under SGA "
               "(20 CFR §404.1592a(a)(2)).",
        "cessation": "The cessation month is always paid (20 CFR §404.1592a(a)(2)(i)).",
        "grace": f"The {grace} months after the cessation month are grace months and are paid "
                 "(20 CFR §404.1592a(a)(2)(i)).",
        "suspended": f"After the grace months, inside the {epe}-month re-entitlement period, SSDI is not "
                     "paid for a month with pay over SGA; it restarts in any month with pay at or under "
                     "SGA, with no new application (20 CFR §404.1592a(a)(2)(i)).",
        "terminated": f"After the {epe}-month re-entitlement period, the first month with pay over SGA "
                      "ends SSDI (20 CFR §404.1592a(a)(3)(i)). Within "
                      f"{f.count('exr_window_months')} months the person can ask for Expedited "
                      "Reinstatement (20 CFR §404.1592b–e).",
    }
    return reasons.get(status, "")


class EpeLesson:
    """Lesson 3 as a widget tree: ``EpeLesson().widget``."""

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds.default()
        year = year or common.default_year(["twl", "sga_non_blind"], self.thresholds)
        self.table: pd.DataFrame | None = None
        self.figure = None
        self.sliders = []
        for index, (label, _first, _count) in enumerate(BLOCKS):
            slider = widgets.IntSlider(value=0, min=0, max=5000, step=50, description=label,
                                       continuous_update=False, style={"description_width": "15em"},
                                       layout=widgets.Layout(width="40em"))
            slider.add_class(f"iwp-lesson-{NAME}-pay-{index + 1}")
            slider.observe(lambda _c: self._redraw(), names="value")
            self.sliders.append(slider)
        self.chart = widgets.Output()
        self.chart.add_class(f"iwp-lesson-{NAME}-chart")
        self.timeline = widgets.HTML("")
        self.timeline.add_class(f"iwp-lesson-{NAME}-timeline")
        self.cessation_answer = widgets.Dropdown(description="Cessation month", options=[("", "")],
                                                 style={"description_width": "initial"})
        self.cessation_exercise = Exercise(
            "cessation", "Which month is the cessation month?", self.cessation_answer,
            lambda answer: grade_cessation(answer, self.year_picker.year, self.pay, self.thresholds))
        self.paid_month = widgets.Dropdown(description="Month", options=[("", "")])
        self.paid_month.add_class(f"iwp-lesson-{NAME}-paid-month")
        self.paid_exercise = Exercise(
            "paid", "Is SSDI paid in the month picked here?",
            widgets.RadioButtons(options=["Yes", "No"], value=None, description="SSDI paid?"),
            lambda answer: grade_paid(answer, self.year_picker.year, self.pay, self.paid_month.value,
                                      self.thresholds),
            inputs=(self.paid_month,))
        self.exr_month = widgets.Dropdown(description="Month", options=[("", "")])
        self.exr_month.add_class(f"iwp-lesson-{NAME}-exr-month")
        self.exr_exercise = Exercise(
            "exr", "Could the person ask for Expedited Reinstatement in the month picked here?",
            widgets.RadioButtons(options=["Yes", "No"], value=None, description="Can ask?"),
            lambda answer: grade_exr(answer, self.year_picker.year, self.pay, self.exr_month.value,
                                     self.thresholds),
            inputs=(self.exr_month,))
        self.reveal = common.Reveal(NAME, "the engine's timeline", [self.chart, self.timeline])
        self.rules = widgets.VBox()
        self.controls = widgets.VBox(self.sliders + [
            self.cessation_exercise.widget, self.paid_exercise.widget, self.exr_exercise.widget,
            self.reveal.button, self.chart, self.timeline])
        self.year_picker = common.YearPicker(NAME, year, FIGURES, self._year_changed, self.thresholds)
        self.widget = common.lesson_root(NAME, [
            common.heading("Lesson 3: After the trial work period", 2),
            common.paragraph(
                "When the trial work period ends, SSDI does not stop by itself. What happens next "
                "depends on whether pay is over the SGA amount, month by month."),
            self.rules,
            common.heading("Try it", 3),
            common.paragraph(
                "The example person's trial work period ended in December of the year before the one "
                "you pick. Move the sliders (or use the arrow keys on them) to change their pay."),
            self.year_picker.widget,
            self.controls,
        ])
        self.year_picker.refresh()

    @property
    def pay(self) -> list[int]:
        return [slider.value for slider in self.sliders]

    def set_pay(self, block_pay) -> None:
        """Set every slider at once and redraw once (tests and presets)."""
        self._holding = True
        try:
            for slider, pay in zip(self.sliders, block_pay):
                slider.value = int(pay)
        finally:
            self._holding = False
        self._redraw()

    def _rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        epe = f.count("epe_reentitlement_months")
        return [
            common.rule_box(
                "Extended period of eligibility (EPE)",
                f"Starts the month after the trial work period ends. For <b>{epe} months</b> (the "
                "re-entitlement period) SSDI is paid for any month your countable pay is at or under "
                f"SGA ({f.usd('sga_non_blind')} in {year}; more if you are blind), with no new application.",
                "20 CFR §404.1592a(b)(2)(ii); POMS DI 13010.210"),
            common.rule_box(
                "Cessation month and grace months",
                "The first month after the trial work period with countable pay over SGA is the "
                "<b>cessation month</b>. SSDI is still paid for it and for the "
                f"<b>next {f.count('ssdi_grace_months')} months</b> (grace months), whatever you earn.",
                "20 CFR §404.1592a(a)(1)–(2)(i)"),
            common.rule_box(
                "Suspension and restart",
                f"After the grace months and inside the {epe} months, the check stops (is suspended) in "
                "any month with pay over SGA and restarts in any month with pay at or under SGA.",
                "20 CFR §404.1592a(a)(2)(i)"),
            common.rule_box(
                "Termination",
                f"After the {epe} months, the first month with pay over SGA ends SSDI (termination).",
                "20 CFR §404.1592a(a)(3)"),
            common.rule_box(
                "Expedited Reinstatement (EXR)",
                f"For <b>{f.count('exr_window_months')} months</b> after SSDI ends because of work, you "
                "can ask to get it back without a new application if your condition stops you from "
                f"working at SGA. You can get up to {f.count('exr_provisional_months')} months of "
                "provisional benefits while SSA decides.",
                "20 CFR §404.1592b–§404.1592e; POMS DI 13050.066"),
        ]

    def _year_changed(self, check: common.YearCheck) -> None:
        self.controls.layout.display = None if check.usable else "none"
        if not check.usable:
            return
        self.rules.children = self._rule_boxes(check.year)
        start = pd.Period(f"{check.year}-01", freq="M")
        months = common.month_options(start, sum(count for _l, _f, count in BLOCKS))
        self.cessation_answer.options = ([("Pick a month…", "")] + months
                                         + [("No cessation month", NO_CESSATION)])
        self.paid_month.options = months
        self.exr_month.options = months
        self.exr_month.value = months[-1][1]
        if not any(self.pay):
            # A path that shows every phase: a year over SGA, a year under it, then over again.
            sga = check.figures["sga_non_blind"]
            self.set_pay([round(sga * 1.5, -2), round(sga * 0.5, -2), round(sga * 1.5, -2),
                          round(sga * 1.5, -2)])
        else:
            self._redraw()

    def _redraw(self) -> None:
        if getattr(self, "_holding", False) or not self.year_picker.check.usable:
            return
        for question in (self.cessation_exercise, self.paid_exercise, self.exr_exercise):
            question.clear()
        self.table = simulate_path(self.year_picker.year, self.pay, self.thresholds)
        self.figure = charts.as_figure(charts.earnings_figure(
            self.table, title="Pay, TWL and SGA each month (shaded: SSDI status)"))
        common.show_figure(self.chart, self.figure)
        items = []
        for first, last, status in phases(self.table):
            paid = self.table.loc[first:last, "ssdi_paid"].sum()
            span = (month_label(first) if first == last
                    else f"{month_label(first)} to {month_label(last)}")
            items.append(f"<li>{html.escape(span)}: <b>{html.escape(charts.phase_label(status))}</b> "
                         f"(SSDI paid in total: {money(round(float(paid), 2))})</li>")
        window = self.table.index[self.table["exr_window"].astype(bool).to_numpy()]
        if len(window):
            more = " (and after the months shown)" if window[-1] == self.table.index[-1] else ""
            items.append(f"<li>{html.escape(month_label(window[0]))} to {html.escape(month_label(window[-1]))}"
                         f"{more}: <b>Expedited Reinstatement can be asked for</b></li>")
        self.timeline.value = ("<p>What the engine found, month by month:</p><ul role='list'>"
                               + "".join(items) + "</ul>")


def build(year: int | None = None, thresholds: Thresholds | None = None) -> EpeLesson:
    return EpeLesson(year, thresholds)

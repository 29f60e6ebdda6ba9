"""Lesson 5 — Section 1619(a) and 1619(b), and getting SSDI and SSI together (concurrent).

The learner picks pay, the state and whether the person also gets SSDI; ``simulate``
returns the SSI payment, whether it is a 1619(a) payment and whether Medicaid continues
under 1619(b). The lesson shows and grades only those columns.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from .. import charts
from ..thresholds import Thresholds
from . import common, engine
from .exercise import Exercise, Grade, money, parse_money, parse_yes_no

NAME = "ssi-1619"
FIGURES = {"ssi_fbr_individual": "the SSI federal benefit rate", "sga_non_blind": "SGA",
           "ssi_general_exclusion": "the general income exclusion",
           "ssi_earned_exclusion": "the earned income exclusion"}
MONTHS = 12
# The example concurrent person's SSDI check: small, so some SSI is still paid. Not a program figure.
EXAMPLE_CONCURRENT_SSDI = 600.0


def simulate_case(year: int, pay: float, state: str = "CA", concurrent: bool = False,
                  ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, unearned: float = 0.0,
                  thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The engine's table: ``pay`` every month of ``year`` for someone already on SSI."""
    benefits = "concurrent" if concurrent else "ssi"
    return engine.simulate_example(f"{int(year)}-01", [float(pay)] * MONTHS, benefits, thresholds,
                                   ssdi_monthly=ssdi_monthly if concurrent else 0.0, state=state,
                                   unearned_income=float(unearned), ssi_eligible_before=True)


def _first(table: pd.DataFrame) -> pd.Series:
    return table.iloc[0]


def _why(row: pd.Series) -> str:
    return str(row.get("why", "")).strip()


def grade_1619a(answer, year: int, pay: float, state: str = "CA", concurrent: bool = False,
                ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, thresholds: Thresholds | None = None) -> Grade:
    """"Is January's SSI check a 1619(a) payment?" — the engine's ``ssi_1619a`` flag."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    row = _first(simulate_case(year, pay, state, concurrent, ssdi_monthly, thresholds=thresholds))
    is_1619a = bool(row["ssi_1619a"])
    if is_1619a:
        why = (f"Pay of {money(pay)} is over SGA ({money(row['sga'])}) and SSI is still paid "
               f"({money(row['ssi_paid'])}): that is a 1619(a) special cash payment (20 CFR §416.261).")
    elif row["ssi_paid"] > 0:
        why = (f"SSI of {money(row['ssi_paid'])} is paid, but pay of {money(pay)} is not over SGA "
               f"({money(row['sga'])}), so it is a regular SSI payment, not 1619(a) (20 CFR §416.261).")
    else:
        why = ("No SSI cash is paid this month, so there is no 1619(a) payment. "
               f"Countable income ({money(row['ssi_countable_income'])}) uses up the whole SSI amount.")
    return Grade(typed == is_1619a, why)


def grade_1619b(answer, year: int, pay: float, state: str = "CA", concurrent: bool = False,
                ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, thresholds: Thresholds | None = None) -> Grade:
    """"Does Medicaid continue under 1619(b) in January?" — the engine's ``medicaid_1619b`` flag."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    row = _first(simulate_case(year, pay, state, concurrent, ssdi_monthly, thresholds=thresholds))
    protected = bool(row["medicaid_1619b"])
    if protected:
        why = ("Pay stops the SSI check, but yearly pay stays under the state's 1619(b) threshold, so "
               "Medicaid continues (20 CFR §416.264–§416.269).")
    elif row["ssi_paid"] > 0:
        why = (f"SSI cash is still paid ({money(row['ssi_paid'])}), so Medicaid comes with SSI itself; "
               "1619(b) is for months with no SSI check (20 CFR §416.264).")
    else:
        why = ("Pay is above what 1619(b) protects in this state (or another condition is not met), "
               "so 1619(b) Medicaid does not continue (20 CFR §416.269).")
    engine_note = _why(row)
    return Grade(typed == protected, why + (f" Engine: {engine_note}" if engine_note else ""))


def grade_ssi_payment(answer, year: int, pay: float, state: str = "CA", concurrent: bool = False,
                      ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, unearned: float = 0.0,
                      thresholds: Thresholds | None = None) -> Grade:
    """"What is January's SSI payment?" — the engine's ``ssi_paid``."""
    typed = parse_money(answer)
    if typed is None:
        return Grade(False, "Type a dollar amount, like 391.50.")
    row = _first(simulate_case(year, pay, state, concurrent, ssdi_monthly, unearned, thresholds))
    paid = float(row["ssi_paid"])
    who = (f"SSDI of {money(ssdi_monthly)} counts as unearned income, and the general income "
           "exclusion is used on unearned income first. " if concurrent else "")
    why = (f"The engine's SSI payment is {money(round(paid, 2))}: the SSI amount minus countable income "
           f"of {money(round(float(row['ssi_countable_income']), 2))}. {who}"
           "Source: 20 CFR §416.1112, §416.1124, §416.420.")
    return Grade(abs(typed - paid) < 0.005, why)


class Ssi1619Lesson:
    """Lesson 5 as a widget tree: ``Ssi1619Lesson().widget``."""

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds.default()
        year = year or common.default_year(["ssi_fbr_individual"], self.thresholds)
        self.table: pd.DataFrame | None = None
        self.figure = None
        self.pay = widgets.IntSlider(value=0, min=0, max=6000, step=50, description="Monthly pay ($)",
                                     continuous_update=False, style={"description_width": "initial"},
                                     layout=widgets.Layout(width="36em"))
        self.pay.add_class(f"iwp-lesson-{NAME}-pay")
        self.benefits = widgets.ToggleButtons(options=[("SSI only", "ssi"), ("SSDI and SSI", "concurrent")],
                                              value="ssi", description="Benefits",
                                              tooltips=["Gets SSI only", "Gets SSDI and SSI together"])
        self.benefits.add_class(f"iwp-lesson-{NAME}-benefits")
        self.ssdi = widgets.BoundedFloatText(value=EXAMPLE_CONCURRENT_SSDI, min=1, max=10_000, step=10,
                                             description="SSDI check ($)",
                                             style={"description_width": "initial"})
        self.ssdi.add_class(f"iwp-lesson-{NAME}-ssdi")
        states = self.thresholds.keys("medicaid_1619b_threshold")
        self.state = widgets.Dropdown(options=[s for s in states if "_" not in s], value="CA",
                                      description="State")
        self.state.add_class(f"iwp-lesson-{NAME}-state")
        self.results = widgets.HTML("")
        self.results.add_class(f"iwp-lesson-{NAME}-results")

        self.chart = widgets.Output()
        self.chart.add_class(f"iwp-lesson-{NAME}-chart")
        args = lambda: (self.year_picker.year, self.pay.value, self.state.value,  # noqa: E731
                        self.benefits.value == "concurrent", self.ssdi.value)
        self.payment_exercise = Exercise(
            "ssi-payment", "What is the SSI payment in January?",
            widgets.Text(description="SSI ($)", placeholder="e.g. 391.50"),
            lambda answer: grade_ssi_payment(answer, *args(), thresholds=self.thresholds))
        self.a_exercise = Exercise(
            "1619a", "Is January's SSI check a 1619(a) special payment?",
            widgets.RadioButtons(options=["Yes", "No"], value=None, description="1619(a)?"),
            lambda answer: grade_1619a(answer, *args(), thresholds=self.thresholds))
        self.b_exercise = Exercise(
            "1619b", "Does Medicaid continue under 1619(b) in January?",
            widgets.RadioButtons(options=["Yes", "No"], value=None, description="1619(b)?"),
            lambda answer: grade_1619b(answer, *args(), thresholds=self.thresholds))
        self.reveal = common.Reveal(NAME, "the engine's numbers", [self.results, self.chart])
        self.rules = widgets.VBox()
        for control in (self.pay, self.benefits, self.ssdi, self.state):
            control.observe(lambda _c: self._redraw(), names="value")
        self.controls = widgets.VBox([
            widgets.HBox([self.benefits, self.ssdi]), self.state, self.pay,
            self.payment_exercise.widget, self.a_exercise.widget, self.b_exercise.widget,
            self.reveal.button, self.results, self.chart])
        self.year_picker = common.YearPicker(NAME, year, FIGURES, self._year_changed, self.thresholds)
        self.widget = common.lesson_root(NAME, [
            common.heading("Lesson 5: 1619(a), 1619(b), and SSDI with SSI", 2),
            common.paragraph(
                "Section 1619 of the Social Security Act helps people on SSI keep working. Work above "
                "SGA does not end SSI for someone already on it."),
            self.rules,
            common.heading("Try it", 3),
            self.year_picker.widget,
            self.controls,
        ])
        self.year_picker.refresh()

    def _rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        return [
            common.rule_box(
                "1619(a): SSI cash above SGA",
                "If you already got SSI in an earlier month and your gross pay goes over SGA "
                f"({f.usd('sga_non_blind')} in {year}), SSI keeps being paid, figured the usual way. It "
                "shrinks as pay grows and stops only when countable income uses up the whole SSI amount.",
                "20 CFR §416.260–§416.262"),
            common.rule_box(
                "1619(b): Medicaid without an SSI check",
                "When pay is high enough that no SSI check is paid, Medicaid can continue if you "
                "still have your disability, need Medicaid to work, and your yearly gross pay is under "
                "your state's threshold (higher if you have work expenses or a PASS).",
                "20 CFR §416.264–§416.269; SSA 'Continued Medicaid Eligibility (Section 1619(B))'"),
            common.rule_box(
                "SSDI and SSI together (concurrent)",
                f"SSDI counts as unearned income for SSI. The {f.usd('ssi_general_exclusion')} general "
                f"exclusion is taken from it first; the {f.usd('ssi_earned_exclusion')} and "
                f"{f.percent('ssi_earned_share_excluded')} exclusions apply only to pay. The SSDI part "
                "follows the SSDI rules (trial work period, EPE); 1619 applies to the SSI part only.",
                "20 CFR §416.1112; §416.1124; §416.260"),
            common.rule_box(
                "Which month's pay counts",
                "SSA normally figures SSI from pay two months earlier. This lesson uses the same "
                "month's pay so the numbers are easy to follow.",
                "20 CFR §416.420"),
        ]

    def _year_changed(self, check: common.YearCheck) -> None:
        self.controls.layout.display = None if check.usable else "none"
        if check.usable:
            self.rules.children = self._rule_boxes(check.year)
            if not self.pay.value:
                self.pay.value = int(round(check.figures["sga_non_blind"], -2))  # redraws
            else:
                self._redraw()

    def _redraw(self) -> None:
        if not self.year_picker.check.usable:
            return
        for question in (self.payment_exercise, self.a_exercise, self.b_exercise):
            question.clear()
        concurrent = self.benefits.value == "concurrent"
        self.ssdi.layout.display = None if concurrent else "none"
        self.table = simulate_case(self.year_picker.year, self.pay.value, self.state.value, concurrent,
                                   self.ssdi.value, thresholds=self.thresholds)
        row = self.table.iloc[0]
        threshold = float(row["medicaid_1619b_threshold"])  # NaN: none on file for the state/year
        threshold_text = (f"not in our data for {self.year_picker.year}" if threshold != threshold
                          else money(threshold) + (" (estimate)" if row["projected"] else ""))
        lines = [
            ("Pay before taxes", money(row["gross_earnings"])),
            ("SGA", money(row["sga"])),
            ("SSDI check", money(round(float(row["ssdi_paid"]), 2))),
            ("Countable income for SSI", money(round(float(row["ssi_countable_income"]), 2))),
            ("SSI check", money(round(float(row["ssi_paid"]), 2))),
            ("Total income", money(round(float(row["total_income"]), 2))),
            (f"{self.state.value} 1619(b) threshold (yearly gross pay)",
             threshold_text),
        ]
        cells = "".join(f"<tr><th scope='row'>{html.escape(a)}</th><td>{b}</td></tr>" for a, b in lines)
        self.results.value = (f"<table><caption>January {self.year_picker.year}, as the engine "
                              f"figured it</caption>{cells}</table>")
        self.figure = charts.as_figure(charts.income_figure(self.table))
        common.show_figure(self.chart, self.figure)


def build(year: int | None = None, thresholds: Thresholds | None = None) -> Ssi1619Lesson:
    return Ssi1619Lesson(year, thresholds)

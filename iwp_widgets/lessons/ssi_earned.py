"""Lesson 4 — SSI and earned income: the worksheet, step by step, in legal order.

The order is the law's (20 CFR §416.1112(c)): SEIE, the unused part of the $20 general
exclusion, $65, IRWE, one half, blind work expenses, PASS. Every line's number comes from
the engine: :func:`engine.ssi_worksheet` reads what each step took off from the engine's
own breakdown (``simulate.ssi_earned_income_steps``) and the lesson only lays the lines out.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..errors import PlanError
from ..thresholds import Thresholds
from . import common, engine
from .engine import SsiCase
from .exercise import Exercise, Grade, month_label, parse_money
from ..words import N_, _, money, month_name

NAME = "ssi-earned"
FIGURES = ("ssi_fbr_individual", "ssi_general_exclusion", "ssi_earned_exclusion",
           "ssi_earned_share_excluded", "seie_monthly_limit", "seie_annual_limit")
STEP_TEXT = {
    "seie": (N_("Student earned income exclusion (SEIE)"), "20 CFR §416.1112(c)(3)"),
    "general": (N_("Unused part of the {general} general income exclusion"), "20 CFR §416.1112(c)(4)"),
    "earned": (N_("{earned} earned income exclusion"), "20 CFR §416.1112(c)(5)"),
    "irwe": (N_("Impairment-related work expenses (IRWE)"), "20 CFR §416.1112(c)(6)"),
    "half": (N_("{share} of what is left"), "20 CFR §416.1112(c)(7)"),
    "bwe": (N_("Blind work expenses (BWE)"), "20 CFR §416.1112(c)(8)"),
    "pass": (N_("Plan to Achieve Self-Support (PASS)"), "20 CFR §416.1112(c)(9)"),
}


def step_label(step: str, year: int, thresholds: Thresholds | None = None) -> str:
    """A worksheet line's name, with the year's figure in it ("$65 earned income exclusion")."""
    f = common.YearFigures(thresholds or Thresholds.default(), year)
    return _(STEP_TEXT[step][0]).format(general=f.usd("ssi_general_exclusion"),
                                     earned=f.usd("ssi_earned_exclusion"),
                                     share=f.percent("ssi_earned_share_excluded"))


def _cents(value: float) -> str:
    return money(round(float(value), 2))


def worksheet_rows(case: SsiCase, thresholds: Thresholds | None = None) -> list[tuple[str, str, str, str]]:
    """(line, taken off, left, source) for every worksheet line, all from the engine."""
    sheet = engine.ssi_worksheet(case, thresholds)
    rows = [(_("Gross earned income (pay before taxes)"), "", _cents(case.gross), "20 CFR §416.1110")]
    before = case.gross
    for step, left in sheet.earned_after.items():
        label = step_label(step, case.year, thresholds)
        rows.append((label, _cents(before - left), _cents(left), STEP_TEXT[step][1]))
        before = left
    row = sheet.row
    rows += [
        (_("Countable earned income"), "", _cents(sheet.countable_earned), "20 CFR §416.1112"),
        (_("Unearned income (other income, and SSDI if any)"), "", _cents(case.unearned),
         "20 CFR §416.1121"),
        (_("Countable unearned income (after the general exclusion)"), "",
         _cents(sheet.countable_unearned), "20 CFR §416.1124(c)(12)"),
        (_("Total countable income"), "", _cents(row["ssi_countable_income"]), "20 CFR §416.1100"),
        (_("SSI amount for the month (federal benefit rate)"), "", _cents(sheet.limit), "20 CFR §416.410"),
        (_("SSI payment (SSI amount − countable income, not below $0)"), "", _cents(row["ssi_paid"]),
         "20 CFR §416.420"),
    ]
    return rows


def grade_ssi_payment(answer, case: SsiCase, thresholds: Thresholds | None = None) -> Grade:
    """"What is the SSI payment?" — the engine's ``ssi_paid``."""
    typed = parse_money(answer)
    if typed is None:
        return Grade(False, _("Type a dollar amount, like 391.50."))
    sheet = engine.ssi_worksheet(case, thresholds)
    paid = float(sheet.row["ssi_paid"])
    why = _("Countable income is {countable} (countable earned {earned} + countable unearned {unearned}). "
            "The SSI amount is {limit}, so the payment is {paid} (20 CFR §416.420, §416.1112).").format(
                countable=_cents(sheet.row["ssi_countable_income"]), earned=_cents(sheet.countable_earned),
                unearned=_cents(sheet.countable_unearned), limit=_cents(sheet.limit), paid=_cents(paid))
    return Grade(abs(typed - round(paid, 2)) < 0.005, why)  # graded to the cent shown


def grade_countable_earned(answer, case: SsiCase, thresholds: Thresholds | None = None) -> Grade:
    """"What is the countable earned income?" — the engine's last worksheet line."""
    typed = parse_money(answer)
    if typed is None:
        return Grade(False, _("Type a dollar amount, like 282.50."))
    sheet = engine.ssi_worksheet(case, thresholds)
    steps = "; ".join(_("{step}: {amount} left").format(step=step_label(s, case.year, thresholds),
                                                        amount=_cents(v))
                      for s, v in sheet.earned_after.items())
    why = _("Countable earned income is {countable}. Starting from {gross}, in legal order — {steps} "
            "(20 CFR §416.1112(c)).").format(countable=_cents(sheet.countable_earned),
                                             gross=_cents(case.gross), steps=steps)
    return Grade(abs(typed - round(sheet.countable_earned, 2)) < 0.005, why)


class SsiEarnedLesson(common.Lesson):
    """Lesson 4 as a widget tree: ``SsiEarnedLesson().widget``."""

    NAME = NAME
    FIGURES = FIGURES
    START_FIGURES = ("ssi_fbr_individual",)

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        super().__init__(year, thresholds)
        self.rows: list = []

        def amount(description: str, css: str, value: float = 0.0) -> widgets.BoundedFloatText:
            box = widgets.BoundedFloatText(value=value, min=0, max=100_000, step=10, description=description,
                                           style={"description_width": "16em"},
                                           layout=widgets.Layout(width="26em"))
            box.add_class(f"iwp-lesson-{NAME}-{css}")
            return box

        # An example month to start from (not a program figure); the learner changes it.
        self.gross = amount(_("Gross pay this month ($)"), "gross", 1000.0)
        self.unearned = amount(_("Other unearned income ($)"), "unearned")
        self.irwe = amount(_("IRWE paid this month ($)"), "irwe")
        self.bwe = amount(_("Blind work expenses ($)"), "bwe")
        self.pass_ = amount(_("Set aside under a PASS ($)"), "pass")
        self.blind = widgets.Checkbox(value=False, description=_("The person is blind"))
        self.blind.add_class(f"iwp-lesson-{NAME}-blind")
        self.student = widgets.Checkbox(value=False, description=_("Student (19 years old)"))
        self.student.add_class(f"iwp-lesson-{NAME}-student")
        self.month = widgets.Dropdown(options=[(month_name(f"2000-{m:02d}"), m)
                                               for m in range(1, 13)], value=1,
                                      description=_("Month of the year"), style={"description_width": "16em"})
        self.month.add_class(f"iwp-lesson-{NAME}-month")
        self.earlier = amount(_("Pay in each earlier month this year ($)"), "earlier")
        self.message = widgets.HTML("")
        self.worksheet = widgets.HTML("")
        self.worksheet.add_class(f"iwp-lesson-{NAME}-worksheet")
        self.payment_exercise = Exercise(
            "ssi-payment", _("What is the SSI payment for this month?"),
            widgets.Text(description=_("SSI ($)"), placeholder=_("e.g. 391.50")),
            lambda answer: grade_ssi_payment(answer, self.case, self.thresholds))
        self.earned_exercise = Exercise(
            "countable-earned", _("What is the countable earned income?"),
            widgets.Text(description=_("Countable earned ($)"), placeholder=_("e.g. 282.50"),
                         style={"description_width": "initial"}),
            lambda answer: grade_countable_earned(answer, self.case, self.thresholds))
        self.exercises = [self.payment_exercise, self.earned_exercise]
        self.reveal = common.Reveal(NAME, _("the engine's worksheet"), [self.worksheet])
        for control in (self.gross, self.unearned, self.irwe, self.bwe, self.pass_, self.blind,
                        self.student, self.month, self.earlier):
            control.observe(lambda _c: self.redraw(), names="value")
        self.controls.children = [
            self.gross, self.unearned, self.blind, self.student, self.month, self.earlier, self.irwe,
            self.bwe, self.pass_, self.message, self.payment_exercise.widget,
            self.earned_exercise.widget, self.reveal.button, self.worksheet]
        self.finish(_("Lesson 4: SSI and earned income, step by step"), [], [])

    @property
    def case(self) -> SsiCase:
        earlier = (float(self.earlier.value),) * (int(self.month.value) - 1)
        return SsiCase(self.year_picker.year, self.gross.value, unearned=self.unearned.value,
                       irwe=0.0 if self.blind.value else self.irwe.value,
                       bwe=self.bwe.value if self.blind.value else 0.0, pass_=self.pass_.value,
                       blind=self.blind.value, student=self.student.value, earlier=earlier)

    def rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        general, earned = f.usd("ssi_general_exclusion"), f.usd("ssi_earned_exclusion")
        share = f.percent("ssi_earned_share_excluded")
        say = dict(general=general, earned=earned, share=share, year=year, zero=money(0),
                   kept=round((1 - f.value("ssi_earned_share_excluded")) * 100), age=f.count("seie_age_limit"),
                   monthly=common.amount_in_year(self.thresholds, "seie_monthly_limit", year),
                   yearly=f.usd("seie_annual_limit"), fbr=f.usd("ssi_fbr_individual"))
        return [
            common.paragraph(_(
                "SSI does not count all of your pay. Social Security takes off exclusions in a set order, "
                "then takes the rest off your SSI amount. Because {share} of what is left is not counted, "
                "each extra dollar of pay lowers SSI by only about {kept} cents.").format(**say)),
            common.rule_box(
                _("The order is the law"),
                _("1) Student earned income exclusion (under {age} and in school), 2) whatever is left of "
                  "the {general} general exclusion after unearned income, 3) {earned}, 4) impairment-related "
                  "work expenses (IRWE), 5) {share} of the rest, 6) blind work expenses (BWE), 7) income set "
                  "aside under a PASS. Pay never goes below {zero}, and unused earned-income exclusions do "
                  "not carry over to unearned income or to next month.").format(**say),
                "20 CFR §416.1112(a), (c); POMS SI 00820.500"),
            common.rule_box(
                _("The student earned income exclusion"),
                _("A student under {age} who regularly goes to school can have up to {monthly} of pay left "
                  "out in {year}, but no more than {yearly} in the whole year. The yearly limit is used up "
                  "month by month from January: set the month and the pay of the earlier months to see it "
                  "run out.").format(**say),
                "20 CFR §416.1112(c)(3); POMS SI 00820.510"),
            common.rule_box(
                _("Unearned income"),
                _("Unearned income (such as SSDI) gets only the {general} general exclusion. It is used on "
                  "unearned income first.").format(**say),
                "20 CFR §416.1124(c)(12)"),
            common.rule_box(
                _("The payment, and which month's income counts"),
                _("SSI payment = the SSI amount for the month (the federal benefit rate, {fbr} for one "
                  "person in {year}, plus any state supplement) − countable income, and never below "
                  "{zero}. Whether any SSI is due for a month is decided on that month's own countable "
                  "income. The amount then uses the month's own income in the first month of eligibility "
                  "(or the first month after a month without SSI), the previous month's income in the "
                  "second month, and the income of two months before from the third month on. This "
                  "worksheet figures the month on its own income, as in a first month of "
                  "eligibility.").format(**say),
                "20 CFR §416.410; §416.420"),
            common.rule_box(
                _("When SSI is paid, and reporting pay"),
                _("SSI for a month is paid on the <b>1st</b> of that month (the working day before, if "
                  "the 1st is a weekend or holiday). Report each month's gross pay to Social Security: "
                  "it asks for the report in the first 6 days of the next month, and the rule allows no "
                  "later than 10 days after the month ends. Pay reported late means SSI keeps being "
                  "paid on old income: Social Security later asks back what was not due (an "
                  "<b>overpayment</b>) or pays what it owes you."),
                "20 CFR §416.502; §416.708; §416.714; §416.537; POMS SI 00820.143"),
        ]

    def draw(self) -> None:
        # IRWE is for people who are not blind; BWE only for people who are (20 CFR §416.1112(c)(6), (8)).
        self.irwe.disabled = self.blind.value
        self.bwe.disabled = not self.blind.value
        self.earlier.disabled = self.month.value == 1
        try:
            self.rows = worksheet_rows(self.case, self.thresholds)
        except PlanError as error:
            self.rows = []
            self.message.value = f"<p role='status' style='color:#b71c1c'>{html.escape(error.plain)}</p>"
            self.worksheet.value = ""
            return
        self.message.value = ""
        body = "".join(
            f"<tr><th scope='row'>{html.escape(line)}</th><td>{html.escape(off)}</td><td>{html.escape(left)}</td>"
            f"<td><small>{html.escape(source)}</small></td></tr>" for line, off, left, source in self.rows)
        caption = _("SSI worksheet, {month} (from the engine)").format(month=month_label(self.case.month))
        heads = "".join(f"<th scope='col'>{html.escape(h)}</th>"
                        for h in (_("Line"), _("Taken off"), _("Amount"), _("Rule")))
        self.worksheet.value = f"<table><caption>{html.escape(caption)}</caption><tr>{heads}</tr>{body}</table>"


def build(year: int | None = None, thresholds: Thresholds | None = None) -> SsiEarnedLesson:
    return SsiEarnedLesson(year, thresholds)

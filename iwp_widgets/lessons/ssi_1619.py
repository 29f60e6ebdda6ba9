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
from ..thresholds import ThresholdError, Thresholds
from . import common, engine
from .exercise import Exercise, Grade, not_graded, parse_money, parse_yes_no, yes_no_options
from ..vocabulary import benefits_words
from ..words import _, money, month_words

NAME = "ssi-1619"
FIGURES = ("ssi_fbr_individual", "sga_non_blind", "ssi_general_exclusion", "ssi_earned_exclusion")
MONTHS = 12
# The example concurrent person's SSDI check: small, so some SSI is still paid. Not a program figure.
EXAMPLE_CONCURRENT_SSDI = 600.0


def simulate_case(year: int, pay: float, state: str = "CA", concurrent: bool = False,
                  ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, unearned: float = 0.0,
                  thresholds: Thresholds | None = None, supplement: float = 0.0) -> pd.DataFrame:
    """The engine's table: ``pay`` every month of ``year`` for someone already on SSI.

    ``supplement`` is a state supplement Social Security pays with SSI (added to the SSI amount).
    """
    benefits = "concurrent" if concurrent else "ssi"
    return engine.simulate_example(f"{int(year)}-01", [float(pay)] * MONTHS, benefits, thresholds,
                                   ssdi_monthly=ssdi_monthly if concurrent else 0.0, state=state,
                                   unearned_income=float(unearned), ssi_eligible_before=True,
                                   state_supplement=float(supplement))


def _first(table: pd.DataFrame) -> pd.Series:
    return table.iloc[0]


def _why(row: pd.Series) -> str:
    return str(row.get("why", "")).strip()


def states_with_threshold(year: int, thresholds: Thresholds | None = None) -> list[str]:
    """States (not the blind rows) with a 1619(b) threshold on file for January of ``year``."""
    thresholds = thresholds or Thresholds.default()
    found = []
    for state in thresholds.keys("medicaid_1619b_threshold"):
        if "_" in state:
            continue
        try:
            thresholds.lookup("medicaid_1619b_threshold", f"{int(year)}-01", key=state)
        except ThresholdError:
            continue
        found.append(state)
    return found


def threshold_coverage(thresholds: Thresholds | None = None) -> str:
    """Which years and states have a 1619(b) threshold on file, in words."""
    thresholds = thresholds or Thresholds.default()
    table = thresholds.table("medicaid_1619b_threshold")
    states = sorted({k for k in table["key"] if "_" not in k})
    first = int(table["effective"].min().year)
    last = max(int(table["effective"].max().year), first)
    parts = []
    for year in range(first, last + 1):
        have = states_with_threshold(year, thresholds)
        if len(have) == len(states):
            parts.append(_("{year}: every state").format(year=year))
        elif have:
            parts.append(f"{year}: {', '.join(have)}")
    return "; ".join(parts)


def grade_1619a(answer, year: int, pay: float, state: str = "CA", concurrent: bool = False,
                ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, thresholds: Thresholds | None = None,
                supplement: float = 0.0) -> Grade:
    """"Is January's SSI check a 1619(a) payment?" — the engine's ``ssi_1619a`` flag."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, _("Answer Yes or No."))
    row = _first(simulate_case(year, pay, state, concurrent, ssdi_monthly, thresholds=thresholds,
                               supplement=supplement))
    is_1619a = bool(row["ssi_1619a"])
    say = dict(pay=money(pay), sga=money(row["sga"]), paid=money(row["ssi_paid"]),
               countable=money(round(float(row["ssi_countable_income"]), 2)))
    if is_1619a:
        why = _("Pay of {pay} is over SGA ({sga}) and SSI is still paid ({paid}): that is a 1619(a) "
                "special cash payment (20 CFR §416.261).").format(**say)
    elif row["ssi_paid"] > 0:
        why = _("SSI of {paid} is paid, but pay of {pay} is not over SGA ({sga}), so it is a regular SSI "
                "payment, not 1619(a) (20 CFR §416.261).").format(**say)
    else:
        why = _("No SSI cash is paid this month, so there is no 1619(a) payment. Countable income "
                "({countable}) uses up the whole SSI amount.").format(**say)
    return Grade(typed == is_1619a, why)


def grade_1619b(answer, year: int, pay: float, state: str = "CA", concurrent: bool = False,
                ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, thresholds: Thresholds | None = None,
                supplement: float = 0.0) -> Grade:
    """"Does Medicaid continue under 1619(b) in January?" — the engine's ``medicaid_1619b`` flag.

    Where no threshold is on file for the state and year the engine cannot tell, so the answer
    is not graded (the explanation says which years and states have one).
    """
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, _("Answer Yes or No."))
    case = dict(state=state, concurrent=concurrent, ssdi_monthly=ssdi_monthly, thresholds=thresholds,
                supplement=supplement)
    row = _first(simulate_case(year, pay, **case))
    protected = bool(row["medicaid_1619b"])
    threshold = float(row["medicaid_1619b_threshold"])
    yearly = money(round(12 * float(pay), 2))
    say = dict(yearly=yearly, state=state, year=year, paid=money(round(float(row["ssi_paid"]), 2)),
               zero=money(0), breakeven=money(round(float(row["ssi_breakeven"]), 2)),
               breakeven_yearly=money(round(12 * float(row["ssi_breakeven"]), 2)))
    if row["ssi_paid"] > 0:
        return Grade(typed == protected,
                     _("SSI cash is still paid ({paid}), so Medicaid comes with SSI itself; 1619(b) is "
                       "for months with no SSI check (20 CFR §416.264).").format(**say))
    if float(_first(simulate_case(year, 0.0, **case))["ssi_paid"]) <= 0:
        other = (_("the SSDI check of {amount}").format(amount=money(ssdi_monthly)) if concurrent
                 else _("other income"))
        return Grade(typed == protected,
                     _("SSI is {zero} because of {other}, not because of pay: even with no pay there "
                       "would be no SSI check. 1619(b) keeps Medicaid only for someone whose SSI cash "
                       "stops because of earnings, so it does not apply (20 CFR §416.264).").format(
                           other=other, **say))
    if threshold != threshold:  # NaN: no threshold on file
        return not_graded(
            _("Pay stops the SSI check, so 1619(b) could apply, but we have no 1619(b) threshold for "
              "{state} in {year}, so the engine cannot check it. The state's threshold is 12 times the "
              "monthly pay at which SSI stops (about {breakeven} here, so {breakeven_yearly} a year) plus "
              "the state's yearly Medicaid spending per person; yearly pay here is {yearly}. Thresholds "
              "we have: {coverage} (20 CFR §416.269; POMS SI 02302.200).").format(
                  coverage=threshold_coverage(thresholds), **say))
    say["threshold"] = money(threshold)
    if bool(row["projected"]):
        say["threshold"] += " " + _("(an estimate: carried forward)")
    if protected:
        why = _("Pay stops the SSI check, but yearly pay ({yearly}) is not over {state}'s 1619(b) "
                "threshold for {year} ({threshold}), so Medicaid continues "
                "(20 CFR §416.264–§416.269).").format(**say)
    else:
        why = _("Pay stops the SSI check, and yearly pay ({yearly}) is over {state}'s 1619(b) threshold "
                "for {year} ({threshold}), so 1619(b) Medicaid does not continue. Work expenses, blind "
                "work expenses or a PASS would raise the person's own threshold "
                "(20 CFR §416.269).").format(**say)
    return Grade(typed == protected, why)


def grade_ssi_payment(answer, year: int, pay: float, state: str = "CA", concurrent: bool = False,
                      ssdi_monthly: float = EXAMPLE_CONCURRENT_SSDI, unearned: float = 0.0,
                      thresholds: Thresholds | None = None, supplement: float = 0.0) -> Grade:
    """"What is January's SSI payment?" — the engine's ``ssi_paid``."""
    typed = parse_money(answer)
    if typed is None:
        return Grade(False, _("Type a dollar amount, like 391.50."))
    row = _first(simulate_case(year, pay, state, concurrent, ssdi_monthly, unearned, thresholds,
                               supplement))
    paid = float(row["ssi_paid"])
    who = (_("SSDI of {amount} counts as unearned income, and the general income exclusion is used on "
             "unearned income first.").format(amount=money(ssdi_monthly)) + " " if concurrent else "")
    amount = _("the SSI amount plus the state supplement") if supplement else _("the SSI amount")
    why = _("The engine's SSI payment is {paid}: {amount} minus countable income of {countable}. "
            "{who}Source: 20 CFR §416.1112, §416.1124, §416.420.").format(
                paid=money(round(paid, 2)), amount=amount, who=who,
                countable=money(round(float(row["ssi_countable_income"]), 2)))
    return Grade(abs(typed - round(paid, 2)) < 0.005, why)  # graded to the cent shown


class Ssi1619Lesson(common.Lesson):
    """Lesson 5 as a widget tree: ``Ssi1619Lesson().widget``."""

    NAME = NAME
    FIGURES = FIGURES
    START_FIGURES = ("ssi_fbr_individual",)

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        super().__init__(year, thresholds)
        self.table: pd.DataFrame | None = None
        self.figure = None
        self.pay = widgets.IntSlider(value=0, min=0, max=6000, step=50, description=_("Monthly pay ($)"),
                                     continuous_update=False, style={"description_width": "initial"},
                                     layout=widgets.Layout(width="36em"))
        self.pay.add_class(f"iwp-lesson-{NAME}-pay")
        self.benefits = widgets.ToggleButtons(options=[(benefits_words("ssi"), "ssi"),
                                                       (benefits_words("concurrent"), "concurrent")],
                                              value="ssi", description=_("Benefits"),
                                              tooltips=[_("Gets SSI only"), _("Gets SSDI and SSI together")])
        self.benefits.add_class(f"iwp-lesson-{NAME}-benefits")
        self.ssdi = widgets.BoundedFloatText(value=EXAMPLE_CONCURRENT_SSDI, min=1, max=10_000, step=10,
                                             description=_("SSDI check ($)"),
                                             style={"description_width": "initial"})
        self.ssdi.add_class(f"iwp-lesson-{NAME}-ssdi")
        states = self.thresholds.keys("medicaid_1619b_threshold")
        self.state = widgets.Dropdown(options=[s for s in states if "_" not in s], value="CA",
                                      description=_("State (for 1619(b))"),
                                      style={"description_width": "initial"})
        self.state.add_class(f"iwp-lesson-{NAME}-state")
        self.supplement = widgets.BoundedFloatText(value=0.0, min=0, max=5_000, step=10,
                                                   description=_("State supplement paid with SSI ($)"),
                                                   style={"description_width": "initial"})
        self.supplement.add_class(f"iwp-lesson-{NAME}-supplement")
        self.results = widgets.HTML("")
        self.results.add_class(f"iwp-lesson-{NAME}-results")

        self.chart = widgets.Output()
        self.chart.add_class(f"iwp-lesson-{NAME}-chart")
        args = lambda: (self.year_picker.year, self.pay.value, self.state.value,  # noqa: E731
                        self.benefits.value == "concurrent", self.ssdi.value)
        self.payment_exercise = Exercise(
            "ssi-payment", _("What is the SSI payment in January?"),
            widgets.Text(description=_("SSI ($)"), placeholder=_("e.g. 391.50")),
            lambda answer: grade_ssi_payment(answer, *args(), thresholds=self.thresholds,
                                             supplement=self.supplement.value))
        self.a_exercise = Exercise(
            "1619a", _("Is January's SSI check a 1619(a) special payment?"),
            widgets.RadioButtons(options=yes_no_options(), value=None, description=_("1619(a)?")),
            lambda answer: grade_1619a(answer, *args(), thresholds=self.thresholds,
                                       supplement=self.supplement.value))
        self.b_exercise = Exercise(
            "1619b", _("Does Medicaid continue under 1619(b) in January?"),
            widgets.RadioButtons(options=yes_no_options(), value=None, description=_("1619(b)?")),
            lambda answer: grade_1619b(answer, *args(), thresholds=self.thresholds,
                                       supplement=self.supplement.value))
        self.exercises = [self.payment_exercise, self.a_exercise, self.b_exercise]
        self.reveal = common.Reveal(NAME, _("the engine's numbers"), [self.results, self.chart])
        for control in (self.pay, self.benefits, self.ssdi, self.state, self.supplement):
            control.observe(lambda _c: self.redraw(), names="value")
        self.controls.children = [
            widgets.HBox([self.benefits, self.ssdi]), widgets.HBox([self.state, self.supplement]),
            self.pay, self.payment_exercise.widget, self.a_exercise.widget, self.b_exercise.widget,
            self.reveal.button, self.results, self.chart]
        self.finish(_("Lesson 5: 1619(a), 1619(b), and SSDI with SSI"),
                    [common.paragraph(_(
                        "Section 1619 of the Social Security Act helps people on SSI keep working. Work "
                        "above SGA does not end SSI for someone already on it."))], [])

    def rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        say = dict(sga=common.amount_in_year(self.thresholds, "sga_non_blind", year), year=year,
                   coverage=html.escape(threshold_coverage(self.thresholds)),
                   general=f.usd("ssi_general_exclusion"), earned=f.usd("ssi_earned_exclusion"),
                   share=f.percent("ssi_earned_share_excluded"))
        return [
            common.rule_box(
                _("1619(a): SSI cash above SGA"),
                _("If you already got SSI in an earlier month and your gross pay goes over SGA ({sga} in "
                  "{year}), SSI keeps being paid, figured the usual way. It shrinks as pay grows and stops "
                  "only when countable income uses up the whole SSI amount.").format(**say),
                "20 CFR §416.260–§416.262"),
            common.rule_box(
                _("1619(b): Medicaid without an SSI check"),
                _("When your <b>pay</b> is high enough that no SSI check is paid, Medicaid can continue if "
                  "you still have your disability, need Medicaid to work, and your yearly gross pay is "
                  "under your state's threshold (higher if you have work expenses or a PASS). If other "
                  "income, such as an SSDI check, is enough by itself to stop SSI, 1619(b) does not "
                  "apply. We have state thresholds for: {coverage}.").format(**say),
                "20 CFR §416.264–§416.269; SSA 'Continued Medicaid Eligibility (Section 1619(B))'; "
                "POMS SI 02302.200"),
            common.rule_box(
                _("SSDI and SSI together (concurrent)"),
                _("SSDI counts as unearned income for SSI. The {general} general exclusion is taken from "
                  "it first; the {earned} and {share} exclusions apply only to pay. The SSDI part follows "
                  "the SSDI rules (trial work period, EPE); 1619 applies to the SSI part only.").format(**say),
                "20 CFR §416.1112; §416.1124; §416.260"),
            common.rule_box(
                _("State supplements"),
                _("Many states add money to SSI. When Social Security pays the state's supplement along "
                  "with SSI, it is added to the SSI amount: SSI is paid up to higher pay, and the "
                  "1619(b) threshold is higher too. This lesson does not hold each state's supplement: "
                  "type it in the box (the state picker changes only the 1619(b) threshold)."),
                "20 CFR §416.2001–§416.2025; POMS SI 00810.350; 20 CFR §416.269(b)"),
            common.rule_box(
                _("Which month's pay counts"),
                _("Whether any SSI is due for a month is decided on that month's own countable income. "
                  "The amount then uses the month's own income in the first month of eligibility (or "
                  "the first month after a month without SSI), the previous month's income in the "
                  "second month, and the income of two months before from the third month on. This "
                  "lesson's person earns the same every month, so January's own pay is used."),
                "20 CFR §416.420"),
        ]

    def year_changed(self, check: common.YearCheck) -> None:
        if not check.usable:
            return
        if not self.pay.value:
            self.pay.value = int(round(check.figures["sga_non_blind"], -2))

    def draw(self) -> None:
        concurrent = self.benefits.value == "concurrent"
        self.ssdi.layout.display = None if concurrent else "none"
        self.table = simulate_case(self.year_picker.year, self.pay.value, self.state.value, concurrent,
                                   self.ssdi.value, thresholds=self.thresholds,
                                   supplement=self.supplement.value)
        row = self.table.iloc[0]
        threshold = float(row["medicaid_1619b_threshold"])  # NaN: none on file for the state/year
        threshold_text = (_("not in our data for {year}").format(year=self.year_picker.year)
                          if threshold != threshold
                          else money(threshold) + (" " + _("(estimate)") if row["projected"] else ""))
        lines = [
            (_("Pay before taxes"), money(row["gross_earnings"])),
            (_("SGA"), money(row["sga"])),
            (_("SSDI check"), money(round(float(row["ssdi_paid"]), 2))),
            (_("Countable income for SSI"), money(round(float(row["ssi_countable_income"]), 2))),
            (_("SSI amount used (federal benefit rate plus state supplement)"),
             money(round(float(self.thresholds.value("ssi_fbr_individual", row.name))
                         + float(self.supplement.value), 2))),
            (_("SSI check"), money(round(float(row["ssi_paid"]), 2))),
            (_("SSI stops at monthly pay of about"), money(round(float(row["ssi_breakeven"]), 2))),
            (_("Total income"), money(round(float(row["total_income"]), 2))),
            (_("{state} 1619(b) threshold (yearly gross pay)").format(state=self.state.value),
             threshold_text),
        ]
        cells = "".join(f"<tr><th scope='row'>{html.escape(a)}</th><td>{html.escape(b)}</td></tr>"
                        for a, b in lines)
        caption = _("{month}, as the engine figured it").format(month=month_words(row.name))
        self.results.value = f"<table><caption>{html.escape(caption)}</caption>{cells}</table>"
        self.figure = charts.as_figure(charts.income_figure(self.table))
        common.show_figure(self.chart, self.figure)


def build(year: int | None = None, thresholds: Thresholds | None = None) -> Ssi1619Lesson:
    return Ssi1619Lesson(year, thresholds)

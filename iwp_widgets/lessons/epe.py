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
from . import common, engine, twl_sga
from .exercise import Exercise, Grade, month_label, parse_month, parse_yes_no, yes_no_options
from ..vocabulary import ssdi_status_words
from ..words import N_, _, money

NAME = "epe"
FIGURES = ("twl", "sga_non_blind", "epe_reentitlement_months", "ssdi_grace_months",
           "exr_window_months")
NO_CESSATION = "none"
# Slider blocks: (label, first month index, number of months). Six years cover the 36-month
# re-entitlement period and the Expedited Reinstatement window after it.
BLOCKS = ((N_("Year 1: pay a month ($)"), 0, 12), (N_("Year 2: pay a month ($)"), 12, 12),
          (N_("Year 3: pay a month ($)"), 24, 12), (N_("Year 4: pay a month ($)"), 36, 12),
          (N_("Years 5–6: pay a month ($)"), 48, 24))
status_words = ssdi_status_words  # the one vocabulary: the chart, print and export say the same


def earnings_path(block_pay) -> list[float]:
    """Monthly pay for the whole timeline from one amount per slider block (missing blocks: $0)."""
    path: list[float] = []
    pays = list(block_pay) + [0.0] * (len(BLOCKS) - len(block_pay))
    for (_label, _first, count), pay in zip(BLOCKS, pays):
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


def termination_month(table: pd.DataFrame) -> pd.Period | None:
    months = table.index[table["ssdi_status"].astype(str) == "terminated"]
    return months[0] if len(months) else None


def exr_first_month(thresholds: Thresholds | None = None) -> pd.Period:
    """The first month Expedited Reinstatement could be asked for (thresholds ``exr_request_allowed``)."""
    table = (thresholds or Thresholds.default()).table("exr_request_allowed")
    return table.loc[table["value"] >= 1, "effective"].min()


def default_pay(sga: float) -> list[float]:
    """A path that shows every phase: a year over SGA, a year under it, two years over again
    (suspension, then termination after the re-entitlement period), then no pay, when
    Expedited Reinstatement can be asked for. Multiples of SGA, rounded to $100 (a presentation
    choice)."""
    over, under = round(sga * 1.5, -2), round(sga * 0.5, -2)
    return [over, under, over, over, 0.0]


def grade_cessation(answer, year: int, block_pay, thresholds: Thresholds | None = None) -> Grade:
    """"Which month is the cessation month?" — the engine's first ``cessation`` month."""
    table = simulate_path(year, block_pay, thresholds)
    month = cessation_month(table)
    typed = None if str(answer) == NO_CESSATION else parse_month(answer)
    if typed is None and str(answer) != NO_CESSATION:
        return Grade(False, _("Pick a month from the list, or “No cessation month”."))
    if month is None:
        return Grade(typed is None,
                     _("No month has countable pay over SGA, so SSDI does not cease "
                       "(20 CFR §404.1592a(a)(1))."))
    row = table.loc[month]
    why = _("The cessation month is {month}: the first month after the trial work period with pay "
            "({pay}) over SGA ({sga}). SSDI is still paid for it. Source: 20 CFR §404.1592a(a)(1).").format(
                month=month_label(month), pay=money(row["countable_earnings"]), sga=money(row["sga"]))
    return Grade(typed == month, why)


def grade_paid(answer, year: int, block_pay, month, thresholds: Thresholds | None = None) -> Grade:
    """"Is SSDI paid in ``month``?" — the engine's ``ssdi_paid`` for that month."""
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, _("Answer Yes or No."))
    table = simulate_path(year, block_pay, thresholds)
    month = pd.Period(month, freq="M")
    row = table.loc[month]
    paid = float(row["ssdi_paid"]) > 0
    status = str(row["ssdi_status"])
    why = _("In {month} the person earns {pay} and is in: {status}. SSDI paid: {paid}. ").format(
        month=month_label(month), pay=money(row["gross_earnings"]), status=status_words(status),
        paid=money(row["ssdi_paid"])) + status_reason(status, month.year, thresholds, table)
    return Grade(typed == paid, why.strip())


def grade_exr(answer, year: int, block_pay, month, thresholds: Thresholds | None = None) -> Grade:
    """"Could the person ask for Expedited Reinstatement in ``month``?"

    Yes when the month is in the engine's ``exr_window`` (within the window after SSDI ended
    because of work, and requests exist) and the person is not working at SGA that month: the
    request needs someone unable to do SGA when asking (20 CFR §404.1592c(a)(3)). Both come from
    the engine's row for the month (``exr_window``, ``countable_earnings``, ``sga``).
    """
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, _("Answer Yes or No."))
    thresholds = thresholds or Thresholds.default()
    table = simulate_path(year, block_pay, thresholds)
    month = pd.Period(month, freq="M")
    row = table.loc[month]
    window = common.YearFigures(thresholds, month.year).count("exr_window_months")
    ended = termination_month(table)
    above_sga = float(row["countable_earnings"]) > float(row["sga"])
    can_ask = bool(row["exr_window"]) and not above_sga
    since = None if ended is None else (month - ended).n
    say = dict(month=month_label(month), ended="" if ended is None else month_label(ended), since=since,
               window=window, pay=money(row["countable_earnings"]), sga=money(row["sga"]))
    if ended is None:
        why = _("No: in these months SSDI never ends because of work, so there is nothing to reinstate "
                "(20 CFR §404.1592c(a)).")
    elif month < ended:
        why = _("No: in {month} SSDI has not ended yet (it ends in {ended}). Expedited Reinstatement is "
                "for after SSDI ends because of work (20 CFR §404.1592c(a)).").format(**say)
    elif since >= window:
        why = _("No: {month} is {since} months after SSDI ended in {ended}; a request must come within "
                "the {window} months starting with that month (20 CFR §404.1592c(a)).").format(**say)
    elif month < exr_first_month(thresholds):
        why = _("No: SSDI ended in {ended}, but in {month} Expedited Reinstatement did not exist yet. "
                "Requests can be made from {first} (20 CFR §404.1592b, §404.1592d(b)).").format(
                    first=month_label(exr_first_month(thresholds)), **say)
    elif above_sga:
        why = _("No: in {month} the person's countable pay ({pay}) is over SGA ({sga}). Expedited "
                "Reinstatement is for someone whose condition keeps them from working at SGA in the "
                "month they ask (20 CFR §404.1592c(a)(3)).").format(**say)
    else:
        why = _("Yes: SSDI ended because of work in {ended}, {month} is within the {window} months "
                "starting then, and pay that month ({pay}) is not over SGA ({sga}) "
                "(20 CFR §404.1592c(a)).").format(**say)
    return Grade(typed == can_ask, why)


def status_reason(status: str, year: int, thresholds: Thresholds | None = None,
                  table: pd.DataFrame | None = None) -> str:
    """Why a status pays or not, in plain words with the rule (the engine decided the status)."""
    f = common.YearFigures(thresholds or Thresholds.default(), year)
    epe, grace = f.count("epe_reentitlement_months"), f.count("ssdi_grace_months")
    cessation = None if table is None else cessation_month(table)
    if cessation is not None and not bool(table.loc[cessation, "epe_month"]):
        ended = _("After the {epe}-month re-entitlement period, the first month with pay over SGA "
                  "({month}) was the cessation month, paid with the {grace} grace months after it; "
                  "then SSDI ended (20 CFR §404.1592a(a)(3)(ii)).").format(
                      epe=epe, month=month_label(cessation), grace=grace)
    else:
        ended = _("After the {epe}-month re-entitlement period, SSDI had already had a cessation month, "
                  "so the first month with pay over SGA ends SSDI, with no grace months "
                  "(20 CFR §404.1592a(a)(3)(i)).").format(epe=epe)
    reasons = {
        "epe": lambda: _("In the extended period of eligibility SSDI is paid in months with pay at or "
                         "under SGA (20 CFR §404.1592a(a)(2))."),
        "cessation": lambda: _("The cessation month is always paid (20 CFR §404.1592a(a)(2)(i))."),
        "grace": lambda: _("The {grace} months after the cessation month are grace months and are paid "
                           "(20 CFR §404.1592a(a)(2)(i)).").format(grace=grace),
        "suspended": lambda: _("After the grace months, inside the {epe}-month re-entitlement period, "
                               "SSDI is not paid for a month with pay over SGA; it restarts in any month "
                               "with pay at or under SGA, with no new application "
                               "(20 CFR §404.1592a(a)(2)(i)).").format(epe=epe),
        "terminated": lambda: ended + " " + _("Within {months} months the person can ask for Expedited "
                                              "Reinstatement (20 CFR §404.1592b–e).").format(
                                                  months=f.count("exr_window_months")),
    }
    return reasons[status]() if status in reasons else ""


class EpeLesson(common.Lesson):
    """Lesson 3 as a widget tree: ``EpeLesson().widget``."""

    NAME = NAME
    FIGURES = FIGURES

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        super().__init__(year, thresholds)
        self.table: pd.DataFrame | None = None
        self.figure = None
        self.sliders = []
        for index, (label, _first, _count) in enumerate(BLOCKS):
            slider = widgets.IntSlider(value=0, min=0, max=5000, step=50, description=_(label),
                                       continuous_update=False, style={"description_width": "15em"},
                                       layout=widgets.Layout(width="40em"))
            slider.add_class(f"iwp-lesson-{NAME}-pay-{index + 1}")
            slider.observe(lambda _c: self.redraw(), names="value")
            self.sliders.append(slider)
        self.chart = widgets.Output()
        self.chart.add_class(f"iwp-lesson-{NAME}-chart")
        self.timeline = widgets.HTML("")
        self.timeline.add_class(f"iwp-lesson-{NAME}-timeline")
        self.cessation_answer = widgets.Dropdown(description=_("Cessation month"), options=[("", "")],
                                                 style={"description_width": "initial"})
        self.cessation_exercise = Exercise(
            "cessation", _("Which month is the cessation month?"), self.cessation_answer,
            lambda answer: grade_cessation(answer, self.year_picker.year, self.pay, self.thresholds))
        self.paid_month = widgets.Dropdown(description=_("Month"), options=[("", "")])
        self.paid_month.add_class(f"iwp-lesson-{NAME}-paid-month")
        self.paid_exercise = Exercise(
            "paid", _("Is SSDI paid for the month picked here?"),
            widgets.RadioButtons(options=yes_no_options(), value=None, description=_("SSDI paid?")),
            lambda answer: grade_paid(answer, self.year_picker.year, self.pay, self.paid_month.value,
                                      self.thresholds),
            inputs=(self.paid_month,))
        self.exr_month = widgets.Dropdown(description=_("Month"), options=[("", "")])
        self.exr_month.add_class(f"iwp-lesson-{NAME}-exr-month")
        self.exr_exercise = Exercise(
            "exr", _("Could the person ask for Expedited Reinstatement in the month picked here?"),
            widgets.RadioButtons(options=yes_no_options(), value=None, description=_("Can ask?")),
            lambda answer: grade_exr(answer, self.year_picker.year, self.pay, self.exr_month.value,
                                     self.thresholds),
            inputs=(self.exr_month,))
        self.exercises = [self.cessation_exercise, self.paid_exercise, self.exr_exercise]
        self.reveal = common.Reveal(NAME, _("the engine's timeline"), [self.chart, self.timeline])
        self.controls.children = self.sliders + [
            self.cessation_exercise.widget, self.paid_exercise.widget, self.exr_exercise.widget,
            self.reveal.button, self.chart, self.timeline]
        self.finish(_("Lesson 3: After the trial work period"),
                    [common.paragraph(_(
                        "When the trial work period ends, SSDI does not stop by itself. What happens "
                        "next depends on whether pay is over the SGA amount, month by month."))],
                    [common.paragraph(_(
                        "The example person's trial work period ended in December of the year before "
                        "the one you pick. Move the sliders (or use the arrow keys on them) to change "
                        "their pay."))])

    @property
    def pay(self) -> list[int]:
        return [slider.value for slider in self.sliders]

    def set_pay(self, block_pay) -> None:
        """Set every slider at once and redraw once (tests and presets)."""
        with self.holding():
            for slider, pay in zip(self.sliders, block_pay):
                slider.value = int(pay)

    def rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        say = dict(epe=f.count("epe_reentitlement_months"), grace=f.count("ssdi_grace_months"),
                   sga=common.amount_in_year(self.thresholds, "sga_non_blind", year), year=year,
                   window=f.count("exr_window_months"), provisional=f.count("exr_provisional_months"),
                   medicare=f.count("medicare_extended_months"))
        exr_from = exr_first_month(self.thresholds)
        exr_not_yet = (" " + _("In {year} Expedited Reinstatement did not exist yet: requests can be made "
                               "from {month}.").format(year=year, month=month_label(exr_from))
                       if year < exr_from.year else "")
        return [
            common.rule_box(
                _("Extended period of eligibility (EPE)"),
                _("Starts the month after the trial work period ends. For <b>{epe} months</b> (the "
                  "re-entitlement period) SSDI is paid for any month your countable pay is at or under "
                  "SGA ({sga} in {year}; more if you are blind), with no new application.").format(**say),
                "20 CFR §404.1592a(b)(2)(ii); POMS DI 13010.210"),
            common.rule_box(
                _("Cessation month and grace months"),
                _("The first month after the trial work period with countable pay over SGA is the "
                  "<b>cessation month</b>. SSDI is still paid for it and for the <b>next {grace} "
                  "months</b> (grace months), whatever you earn.").format(**say),
                "20 CFR §404.1592a(a)(1)–(2)(i)"),
            twl_sga.first_sga_decision_box(),
            common.rule_box(
                _("Suspension and restart"),
                _("After the grace months and inside the {epe} months, the check stops (is suspended) in "
                  "any month with pay over SGA and restarts in any month with pay at or under "
                  "SGA.").format(**say),
                "20 CFR §404.1592a(a)(2)(i)"),
            common.rule_box(
                _("Termination"),
                _("After the {epe} months it depends on whether a cessation month has already happened. "
                  "If it has, the first later month with pay over SGA ends SSDI (termination), with no "
                  "grace months. If it has not, the first month with pay over SGA is the cessation "
                  "month: SSDI is paid for it and the {grace} grace months after it, and then "
                  "ends.").format(**say),
                "20 CFR §404.1592a(a)(3)(i)–(ii)"),
            common.rule_box(
                _("Expedited Reinstatement (EXR)"),
                _("For <b>{window} months</b> after SSDI ends because of work, you can ask to get it back "
                  "without a new application, if your condition keeps you from working at SGA in the "
                  "month you ask. While Social Security decides, you can get up to {provisional} months "
                  "of provisional benefits. Once reinstated, SSDI is paid for each month your pay is not "
                  "over SGA until you have had 24 such months (the initial reinstatement period); after "
                  "those you get a new trial work period and a new extended period of "
                  "eligibility.").format(**say) + exr_not_yet,
                "20 CFR §404.1592b–§404.1592f; POMS DI 13050.066"),
            common.rule_box(
                _("Medicare"),
                _("Medicare goes on while you are entitled to SSDI, including months the check is "
                  "suspended. After SSDI ends because of work, premium-free Medicare can continue for at "
                  "least {medicare} months counted from the month after the trial work period ended (the "
                  "extended period of Medicare coverage), as long as your condition "
                  "continues.").format(**say),
                "Ticket to Work and Work Incentives Improvement Act of 1999 §202, as summarised by "
                "Virginia Commonwealth University RRTC, 'Extended Medicare Provisions'"),
            common.rule_box(
                _("When SSDI is paid, and reporting work"),
                _("SSDI for a month is paid the <b>next</b> month: the check for March comes in April. "
                  "Tell Social Security when you start or stop work and when your pay, hours or work "
                  "expenses change. If work is reported late, checks can keep coming for months in which "
                  "no SSDI was due; Social Security later asks for that money back (an "
                  "<b>overpayment</b>)."),
                "20 CFR §404.1807; §404.1588; §404.501; SSA 'Schedule of Social Security Benefit "
                "Payments'"),
        ]

    def year_changed(self, check: common.YearCheck) -> None:
        if not check.usable:
            return
        start = pd.Period(f"{check.year}-01", freq="M")
        months = common.month_options(start, sum(count for _l, _f, count in BLOCKS))
        self.cessation_answer.options = ([(_("Pick a month…"), "")] + months
                                         + [(_("No cessation month"), NO_CESSATION)])
        self.paid_month.options = months
        self.exr_month.options = months
        self.exr_month.value = months[-1][1]
        if not any(self.pay):
            self.set_pay(default_pay(check.figures["sga_non_blind"]))

    def draw(self) -> None:
        self.table = simulate_path(self.year_picker.year, self.pay, self.thresholds)
        self.figure = charts.as_figure(charts.earnings_figure(
            self.table, title=_("Pay, TWL and SGA each month (shaded: SSDI status)")))
        common.show_figure(self.chart, self.figure)
        items = []
        for first, last, status in phases(self.table):
            paid = self.table.loc[first:last, "ssdi_paid"].sum()
            span = (month_label(first) if first == last
                    else _("{first} to {last}").format(first=month_label(first), last=month_label(last)))
            paid_words = _("SSDI paid in total: {amount}").format(amount=money(round(float(paid), 2)))
            items.append(f"<li>{html.escape(span)}: <b>{html.escape(status_words(status))}</b> "
                         f"({html.escape(paid_words)})</li>")
        window = self.table.index[self.table["exr_window"].astype(bool).to_numpy()]
        if len(window):
            span = _("{first} to {last}").format(first=month_label(window[0]), last=month_label(window[-1]))
            if window[-1] == self.table.index[-1]:
                span += " " + _("(and after the months shown)")
            open_ = _("the Expedited Reinstatement window is open")
            needs = _("a request also needs pay not over SGA in the month asked")
            items.append(f"<li>{html.escape(span)}: <b>{html.escape(open_)}</b> ({html.escape(needs)})</li>")
        found = _("What the engine found, month by month:")
        self.timeline.value = f"<p>{html.escape(found)}</p><ul role='list'>" + "".join(items) + "</ul>"


def build(year: int | None = None, thresholds: Thresholds | None = None) -> EpeLesson:
    return EpeLesson(year, thresholds)

"""Lesson 1 — the Trial Work Level (TWL) and Substantial Gainful Activity (SGA).

Shows what the two amounts are, their history from 1990 to now (blind and non-blind
SGA, TWL, with July 1999's change marked), the figures for any year, and two exercises
graded by the thresholds and by ``simulate``.
"""

from __future__ import annotations

import datetime as _dt
import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from ..thresholds import Thresholds
from . import common
from . import engine
from .exercise import Exercise, Grade, money, parse_money, parse_yes_no

NAME = "twl-sga"
HISTORY_START = pd.Period("1990-01", freq="M")
# The month the non-blind SGA amount changed in the middle of a year (20 CFR §404.1574 Table 1).
MID_YEAR_CHANGE = pd.Period("1999-07", freq="M")
FIGURES = ("twl", "sga_non_blind", "sga_blind")
# The first years the amounts followed the national average wage index (20 CFR §404.1574(b)(2)(ii),
# §404.1592(b)(1)(ii)(B); rules.md §1.2, §2.2). Before them the regulation fixed each amount.
SGA_INDEXED_FROM, TWL_INDEXED_FROM = 2001, 2002
CITATIONS = {
    "twl": "20 CFR §404.1592(b); SSA OCACT 'Trial Work Period'",
    "sga_non_blind": "20 CFR §404.1574(b); SSA OCACT 'Substantial Gainful Activity'",
    "sga_blind": "20 CFR §404.1584(d); SSA OCACT 'Substantial Gainful Activity'",
}


# --- figures for a year (read from thresholds; no rule here) -------------------------------
def figure_rows(year: int, thresholds: Thresholds | None = None) -> list[dict]:
    """Every value each figure takes during ``year`` (1999 has two SGA rows), with its source."""
    thresholds = thresholds or Thresholds.default()
    rows = []
    for name in FIGURES:
        label = common.figure_label(name)
        january = thresholds.lookup(name, f"{year}-01")
        rows.append({"figure": name, "label": label, "from": january.month, "value": january.value,
                     "source": january.source, "status": january.status,
                     "projected": january.projected})
        table = thresholds.table(name)
        later = table[(table["key"] == "") & (table["effective"].dt.year == year)
                      & (table["effective"].dt.month > 1)]
        for _, row in later.iterrows():
            figure = thresholds.lookup(name, row["effective"])
            rows.append({"figure": name, "label": label, "from": figure.month, "value": figure.value,
                         "source": figure.source, "status": figure.status,
                         "projected": figure.projected})
    return rows


def history(thresholds: Thresholds | None = None, end_year: int | None = None) -> pd.DataFrame:
    """Monthly values of each figure from January 1990 (or its first row) to December of ``end_year``."""
    thresholds = thresholds or Thresholds.default()
    if end_year is None:
        end_year = max(_dt.date.today().year,
                       max(common.last_year(n, thresholds) for n in FIGURES))
    months = pd.period_range(HISTORY_START, pd.Period(f"{end_year}-12", freq="M"), freq="M")
    frame = pd.DataFrame(index=months)
    for name in FIGURES:
        start = max(HISTORY_START, thresholds.table(name)["effective"].min())
        values, projected = thresholds.series(name, months[months >= start])
        frame.loc[months >= start, name] = values
        frame.loc[months >= start, f"{name}_projected"] = projected
    return frame


def history_figure(frame: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Step lines for each figure; dashed where a value is projected past the data."""
    figure = go.Figure()
    x = frame.index.to_timestamp()
    for name in FIGURES:
        known = frame[name].where(~frame[f"{name}_projected"].astype(bool))
        figure.add_trace(go.Scatter(x=x, y=known, name=common.figure_label(name),
                                    mode="lines", line_shape="hv"))
        carried = frame[name].where(frame[f"{name}_projected"].astype(bool))
        if carried.notna().any():
            figure.add_trace(go.Scatter(x=x, y=carried, mode="lines", line_shape="hv",
                                        line_dash="dash", name=f"{common.figure_label(name)} (estimate)"))
    change = MID_YEAR_CHANGE.to_timestamp()
    figure.add_vline(x=change, line_dash="dot", line_color="gray")
    figure.add_annotation(x=change, y=1, yref="paper", showarrow=False, xanchor="left",
                          text="July 1999: non-blind SGA rises mid-year")
    if year is not None:
        figure.add_vrect(x0=pd.Timestamp(f"{year}-01-01"), x1=pd.Timestamp(f"{year}-12-31"),
                         fillcolor="gold", opacity=0.25, line_width=0)
    figure.update_layout(title="Monthly amounts, 1990 to now", yaxis_title="Dollars per month",
                         yaxis_tickprefix="$", height=380, margin=dict(l=60, r=20, t=50, b=40),
                         legend=dict(orientation="h", y=-0.15))
    return figure


# --- exercises (plain functions; the answer comes from thresholds or simulate) -------------
def grade_twl_amount(answer, year: int, thresholds: Thresholds | None = None) -> Grade:
    """"What is the TWL in January of ``year``?" graded against the thresholds data."""
    thresholds = thresholds or Thresholds.default()
    figure = thresholds.lookup("twl", f"{year}-01")
    typed = parse_money(answer)
    if typed is None:
        return Grade(False, "Type a dollar amount, like 1000.")
    estimate = " (an estimate: not published yet)" if figure.projected else ""
    why = (f"In {year} the Trial Work Level is {money(figure.value)} a month{estimate}. "
           f"Source: {CITATIONS['twl']}.")
    return Grade(abs(typed - figure.value) < 0.005, why)


def grade_twp_month(answer, year: int, earnings: float, thresholds: Thresholds | None = None) -> Grade:
    """"Is a month with ``earnings`` (gross) in January of ``year`` a trial work month?"

    Graded by ``simulate``: the month's ``twp_month`` flag for a person on SSDI.
    """
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    row = engine.one_ssdi_month(f"{year}-01", earnings, thresholds)
    counted = bool(row["twp_month"])
    verdict = "is" if counted else "is not"
    why = (f"{money(earnings)} {verdict} more than the {year} TWL of {money(row['twl'])}, so the month "
           f"{verdict} a trial work month. It must be MORE than the TWL: equal does not count "
           "(20 CFR §404.1592(b)).")
    return Grade(typed == counted, why)


def grade_sga_month(answer, year: int, earnings: float, blind: bool = False,
                    thresholds: Thresholds | None = None) -> Grade:
    """"After the trial work period, is a month with ``earnings`` (no work expenses) SGA?"

    Graded by ``simulate``: whether the engine treats that month as substantial work for a
    person whose trial work period already ended.
    """
    typed = parse_yes_no(answer)
    if typed is None:
        return Grade(False, "Answer Yes or No.")
    row = engine.one_month_after_twp(f"{year}-01", earnings, blind, thresholds)
    substantial = engine.is_sga_month(row)
    verdict = "is" if substantial else "is not"
    who = "a person who is blind" if blind else "a person who is not blind"
    why = (f"For {who} in {year}, SGA is {money(row['sga'])} a month. Countable earnings of "
           f"{money(row['countable_earnings'])} {verdict} more than that, so this {verdict} "
           "substantial work (20 CFR §404.1574(b), §404.1584(d)).")
    return Grade(typed == substantial, why)


def first_sga_decision_box() -> widgets.HTML:
    """SGA is not only a one-month test: what SSA does at the first decision (rules.md §2.3)."""
    return common.rule_box(
        "How Social Security decides SGA the first time",
        "When it first decides whether your work is SGA (the cessation decision), Social Security "
        "can <b>average</b> your earnings over a period of steady work, and work that stopped or "
        "fell below SGA within 6 months because of your condition can count as an <b>unsuccessful "
        "work attempt</b>, which is not SGA. Subsidies and IRWE are taken off. After that decision "
        "each month is judged on its own, with no averaging. The exercises here, like the planner, "
        "look at one month at a time.",
        "20 CFR §404.1574(c), §404.1574a; §404.1592a(a)(1)–(2)")


# --- the lesson widget ---------------------------------------------------------------------
class TwlSgaLesson(common.Lesson):
    """Lesson 1 as a widget tree: ``TwlSgaLesson().widget``."""

    NAME = NAME
    FIGURES = FIGURES
    START_FIGURES = FIGURES

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        super().__init__(year, thresholds)
        self.history = history(self.thresholds)
        self.figure = history_figure(self.history, self.start_year)
        self.chart = widgets.Output()
        self.chart.add_class(f"iwp-lesson-{NAME}-chart")
        self.figures_table = widgets.HTML("")
        self.figures_table.add_class(f"iwp-lesson-{NAME}-figures")

        self.twl_exercise = Exercise(
            "twl-amount", "", widgets.Text(description="TWL ($)", placeholder="dollars, e.g. 1000"),
            lambda answer: grade_twl_amount(answer, self.year_picker.year, self.thresholds))
        self.twp_earnings = widgets.BoundedFloatText(value=0.0, min=0, max=100_000, step=10,
                                                     description="Earnings ($)")
        self.twp_earnings.add_class(f"iwp-lesson-{NAME}-twp-earnings")
        self.twp_exercise = Exercise(
            "twp-month", "", widgets.RadioButtons(options=["Yes", "No"], value=None,
                                                  description="Trial work month?"),
            lambda answer: grade_twp_month(answer, self.year_picker.year, self.twp_earnings.value,
                                           self.thresholds),
            inputs=(self.twp_earnings,))
        self.sga_earnings = widgets.BoundedFloatText(value=0.0, min=0, max=100_000, step=10,
                                                     description="Earnings ($)")
        self.sga_earnings.add_class(f"iwp-lesson-{NAME}-sga-earnings")
        self.sga_blind = widgets.Checkbox(value=False, description="The person is blind")
        self.sga_exercise = Exercise(
            "sga-month", "", widgets.RadioButtons(options=["Yes", "No"], value=None,
                                                  description="Substantial work?"),
            lambda answer: grade_sga_month(answer, self.year_picker.year, self.sga_earnings.value,
                                           self.sga_blind.value, self.thresholds),
            inputs=(self.sga_earnings, self.sga_blind))
        self.exercises = [self.twl_exercise, self.twp_exercise, self.sga_exercise]
        self.controls.children = [self.figures_table, common.heading("Check yourself", 3),
                                  *(exercise.widget for exercise in self.exercises)]
        self.finish("Lesson 1: The Trial Work Level (TWL) and Substantial Gainful Activity (SGA)",
                    [common.paragraph(
                        "Social Security uses two monthly amounts to decide what work does to disability "
                        "benefits. The Trial Work Level is compared with <b>gross</b> pay: pay before "
                        "taxes and other deductions. SGA is compared with <b>countable</b> earnings: "
                        "gross pay minus the value of job supports and work expenses.")],
                    [self.chart, common.heading("Pick a year", 3)])

    def rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        twl = common.amount_in_year(self.thresholds, "twl", year)
        sga = common.amount_in_year(self.thresholds, "sga_non_blind", year)
        blind = common.amount_in_year(self.thresholds, "sga_blind", year)
        return [
            common.rule_box(
                f"{common.figure_label('twl')} (TWL)",
                f"If you get SSDI and earn <b>more than</b> the TWL in a month ({twl} in {year}), "
                "that month is a <b>trial work month</b>. You keep your full SSDI check during trial "
                "work months. Earning exactly the TWL does not count. The test uses gross pay; if you "
                "are self-employed, a month counts when your <b>net</b> earnings from the business are "
                f"more than the TWL or you work more than {f.count('twp_self_employed_hours')} hours "
                "in it.",
                CITATIONS["twl"] + "; 20 CFR §404.1592(b)(2)"),
            common.rule_box(
                f"{common.figure_label('sga_non_blind')} (SGA)",
                f"SGA ({sga} in {year}) is the amount Social Security treats as 'substantial' "
                "work. After the trial work period, SSDI stops (after a grace period) when your "
                "<b>countable</b> earnings are more than SGA. Countable earnings are gross pay minus "
                "the value of a job subsidy and minus impairment-related work expenses (IRWE).",
                "20 CFR §404.1574(a)–(b); 20 CFR §404.1576"),
            first_sga_decision_box(),
            common.rule_box(
                "SGA if you are blind",
                f"People who are blind have a higher SGA amount for SSDI ({blind} in {year}). "
                "SSI does not use SGA for people who are blind.",
                "20 CFR §404.1584(d); POMS DI 10501.015"),
            common.rule_box("How the amounts change", self._change_text(year),
                            "20 CFR §404.1592(b)(1)(ii); 20 CFR §404.1574(b)(2); "
                            "64 FR 18570 (April 15, 1999)"),
        ]

    def _change_text(self, year: int) -> str:
        before = money(self.thresholds.value("sga_non_blind", MID_YEAR_CHANGE - 1))
        after = money(self.thresholds.value("sga_non_blind", MID_YEAR_CHANGE))
        fixed = (f"Until {SGA_INDEXED_FROM - 1} the non-blind SGA amount and until "
                 f"{TWL_INDEXED_FROM - 1} the TWL were fixed amounts written in the regulation. "
                 f"The non-blind SGA amount changed once in the middle of a year: from {before} to "
                 f"{after} in {MID_YEAR_CHANGE.strftime('%B %Y')}.")
        indexed = (f"Since {SGA_INDEXED_FROM} (SGA) and {TWL_INDEXED_FROM} (TWL) the amounts follow "
                   "the national average wage index each January. They can stay the same but never go "
                   "down.")
        if year < TWL_INDEXED_FROM:
            return (f"In {year} the amounts did not follow wages yet. {fixed} {indexed}")
        return f"{indexed} {fixed}"

    def year_changed(self, check: common.YearCheck) -> None:
        if not check.usable:
            self.figures_table.value = ""
            self.figure = history_figure(self.history)
            common.show_figure(self.chart, self.figure)
            return
        year = check.year
        self.figures_table.value = self._table_html(year)
        self.figure = history_figure(self.history, year if year <= self.history.index[-1].year else None)
        common.show_figure(self.chart, self.figure)
        self.twl_exercise.set_question(f"What is the Trial Work Level in {year}? Type the dollar amount.")
        self.twp_exercise.set_question(
            f"Someone on SSDI earns this amount (gross) in January {year}. "
            "Is that month a trial work month?")
        self.sga_exercise.set_question(
            f"Someone's trial work period has ended. In January {year} they earn this amount "
            "(gross, no subsidy or work expenses). Looking at this one month, is it substantial "
            "gainful activity?")
        if not self.twp_earnings.value:
            self.twp_earnings.value = check.figures["twl"]
        if not self.sga_earnings.value:
            self.sga_earnings.value = check.figures["sga_non_blind"]

    def _table_html(self, year: int) -> str:
        lines = []
        rows = figure_rows(year, self.thresholds)
        changes = {row["figure"] for row in rows if row["from"].month > 1}
        for row in rows:
            if row["figure"] in changes:
                when = f"from {row['from'].strftime('%B')}"
            else:
                when = "all year"
            estimate = " (estimate)" if row["projected"] else ""
            lines.append(
                f"<tr><th scope='row'>{html.escape(common.figure_label(row['figure']))}</th>"
                f"<td>{money(row['value'])}{estimate}</td><td>{when}</td>"
                f"<td><small>{html.escape(CITATIONS[row['figure']])}</small><details><summary>"
                f"<small>Where this figure comes from ({html.escape(row['status'].replace('_', ' '))})"
                f"</small></summary><small>{html.escape(row['source'])}</small></details></td></tr>")
        return (f"<table><caption>Monthly amounts in {year}</caption><tr><th scope='col'>Amount</th>"
                "<th scope='col'>Per month</th><th scope='col'>When</th><th scope='col'>Source</th></tr>"
                + "".join(lines) + "</table>")


def build(year: int | None = None, thresholds: Thresholds | None = None) -> TwlSgaLesson:
    return TwlSgaLesson(year, thresholds)

"""Lesson 2 — the Trial Work Period (TWP): 9 service months inside a rolling 60-month window.

The learner marks months with earnings on a 60-month grid; ``simulate`` decides which
marked months are trial work months, keeps the rolling count and ends the TWP. The
grid only shows what the engine returned.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from ..thresholds import Thresholds
from . import common, engine
from .exercise import Exercise, Grade, month_label, money, parse_month

NAME = "twp"
FIGURES = {"twl": "the Trial Work Level", "twp_service_months": "the number of trial work months",
           "twp_window_months": "the trial work window"}
NOT_ENDED = "not_ended"
# Worked examples from Hire Abilities Hawaii (rules.md §7 W5): (grid start, marked months).
EXAMPLES = {
    "Dana (9 months in a row)": ("2012-01", [f"2013-{m:02d}" for m in range(2, 11)]),
    "Phil (months in two years)": ("2012-01", [f"2012-{m:02d}" for m in range(2, 7)]
                                   + [f"2013-{m:02d}" for m in range(7, 11)]),
}


def window_months(start, thresholds: Thresholds | None = None) -> int:
    thresholds = thresholds or Thresholds.default()
    return int(thresholds.value("twp_window_months", pd.Period(start, freq="M")))


def default_earnings(start, thresholds: Thresholds | None = None) -> float:
    """Pay for a marked month: the next $100 above the highest TWL shown on the grid.

    A presentation choice, so every marked month is clearly over the line; the learner can
    lower it to see a month stop counting.
    """
    thresholds = thresholds or Thresholds.default()
    months = pd.period_range(pd.Period(start, freq="M"), periods=window_months(start, thresholds),
                             freq="M")
    values, _ = thresholds.series("twl", months)
    return float(math.floor(values.max() / 100) * 100 + 100)


def simulate_grid(start, marked, earnings: float | None = None,
                  thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The engine's table for the grid: ``earnings`` in each marked month, nothing otherwise."""
    if earnings is None:
        earnings = default_earnings(start, thresholds)
    return engine.twp_table(start, marked, earnings, window_months(start, thresholds), thresholds)


def grade_twp_end(answer, year: int, marked_months, earnings: float | None = None,
                  thresholds: Thresholds | None = None) -> Grade:
    """"In which month does the trial work period end?" for a grid starting January ``year``.

    ``answer`` is a month ('YYYY-MM', 'Oct 2013') or ``"not_ended"``; the right answer is
    the engine's: the month its rolling count reaches the 9th trial work month.
    """
    start = pd.Period(f"{int(year)}-01", freq="M")
    table = simulate_grid(start, marked_months, earnings, thresholds)
    end = engine.twp_end_month(table, thresholds)
    counted = [m for m in table.index[table["twp_month"].astype(bool)]]
    nine = int((thresholds or Thresholds.default()).value("twp_service_months", start))
    if str(answer) == NOT_ENDED:
        typed = None
    else:
        typed = parse_month(answer)
        if typed is None:
            return Grade(False, "Pick a month from the list, or 'It does not end'.")
    window = window_months(start, thresholds)
    if end is None:
        why = (f"The grid has {len(counted)} trial work month(s); the trial work period ends only "
               f"with the {common.ordinal(nine)} inside a rolling {window}-month window, so it has "
               "not ended (20 CFR §404.1592(e)).")
        return Grade(typed is None, why)
    inside = [m for m in counted if m <= end]
    why = (f"The trial work period ends in {month_label(end)}: that is the {common.ordinal(nine)} "
           f"month with earnings over the TWL inside a rolling {window}-month window "
           f"(counted: {', '.join(m.strftime('%b %Y') for m in inside[-nine:])}). "
           "Source: 20 CFR §404.1592(e).")
    return Grade(typed == end, why)


def count_figure(table: pd.DataFrame, nine: int) -> go.Figure:
    """The engine's rolling count of trial work months, month by month (axis up to ``nine``)."""
    x = table.index.to_timestamp()
    figure = go.Figure(go.Scatter(x=x, y=table["twp_months_used"], mode="lines+markers",
                                  line_shape="hv", name="Trial work months in the window"))
    figure.update_layout(title="Trial work months counted in the rolling window", height=260,
                         yaxis_title="Months", yaxis_range=[0, nine + 0.5], yaxis_dtick=1,
                         margin=dict(l=60, r=20, t=50, b=40))
    return figure


class TwpLesson:
    """Lesson 2 as a widget tree: ``TwpLesson().widget``."""

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds.default()
        year = year or common.default_year(["twl"], self.thresholds)
        self.marked: set[pd.Period] = set()
        self.table: pd.DataFrame | None = None
        self.buttons: list[widgets.ToggleButton] = []
        self.grid = widgets.VBox()
        self.grid.add_class(f"iwp-lesson-{NAME}-grid")
        self.summary = widgets.HTML("")
        self.summary.add_class(f"iwp-lesson-{NAME}-summary")
        self.chart = widgets.Output()
        self.chart.add_class(f"iwp-lesson-{NAME}-chart")
        self.figure: go.Figure | None = None
        self.earnings = widgets.BoundedFloatText(value=0.0, min=0, max=100_000, step=50,
                                                 description="Pay in a marked month ($)",
                                                 style={"description_width": "initial"})
        self.earnings.add_class(f"iwp-lesson-{NAME}-earnings")
        self.example = widgets.Dropdown(options=[("Choose an example…", "")]
                                        + [(k, k) for k in EXAMPLES], value="",
                                        description="Worked example",
                                        style={"description_width": "initial"})
        self.example.add_class(f"iwp-lesson-{NAME}-example")
        self.clear_button = widgets.Button(description="Clear all months", tooltip="Clear all months")
        self.clear_button.add_class(f"iwp-lesson-{NAME}-clear")
        self.answer = widgets.Dropdown(description="TWP ends in", options=[("", "")])
        self.end_exercise = Exercise(
            "twp-end", "In which month does the trial work period end?", self.answer,
            lambda answer: grade_twp_end(answer, self.year_picker.year, sorted(self.marked),
                                         self.earnings.value, self.thresholds))
        self.reveal = common.Reveal(NAME, "the engine's count", [self.summary, self.chart],
                                    on_change=self._style_buttons)
        self.rules = widgets.VBox()
        self.controls = widgets.VBox([
            widgets.HBox([self.earnings, self.example, self.clear_button]), self.grid,
            self.end_exercise.widget, self.reveal.button, self.summary, self.chart])
        self.year_picker = common.YearPicker(NAME, year, FIGURES, self._year_changed, self.thresholds)
        self.earnings.observe(lambda _c: self._redraw(), names="value")
        self.example.observe(self._example_chosen, names="value")
        self.clear_button.on_click(lambda _b: self.set_marked([]))
        self.widget = common.lesson_root(NAME, [
            common.heading("Lesson 2: The Trial Work Period (TWP)", 2),
            common.paragraph(
                "The trial work period lets a person on SSDI test their ability to work and still get "
                "the full SSDI check. It does not apply to SSI."),
            self.rules,
            common.heading("Try it", 3),
            common.paragraph(
                "Pick the first year of the grid. Then press a month to mark that you worked in it. "
                "Use Tab to move between months and Space or Enter to mark one. Answer the question, "
                "then show the engine's count: a ✔ shows a month the engine counted as a trial work "
                "month; ■ marks the month the trial work period ended."),
            self.year_picker.widget,
            self.controls,
        ])
        self.year_picker.refresh()

    # --- grid ------------------------------------------------------------------------------
    @property
    def start(self) -> pd.Period:
        return pd.Period(f"{self.year_picker.year}-01", freq="M")

    def _rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        return [
            common.rule_box(
                "A trial work month",
                "A month counts when your <b>gross</b> earnings (before taxes) are <b>more than</b> the "
                f"Trial Work Level (TWL) for that year ({f.usd('twl')} in {year}). Work expenses and job "
                "supports are not taken off for this test. If you are self-employed, working more than "
                f"{f.count('twp_self_employed_hours')} hours in your business in a month also counts.",
                "20 CFR §404.1592(b); 20 CFR §404.1576(f)(2); POMS DI 13010.060"),
            common.rule_box(
                "When it ends",
                f"The trial work period ends with the <b>{f.nth('twp_service_months')}</b> trial work "
                f"month inside any <b>{f.count('twp_window_months')}</b> months in a row. The months do "
                f"not have to be next to each other. Months more than {f.count('twp_window_months')} "
                "months back drop out of the count.",
                "20 CFR §404.1592(e); SSA OCACT 'Trial Work Period'"),
            common.rule_box(
                "Your check during the trial work period",
                "SSDI is paid in full in every month of the trial work period, whatever you earn.",
                "20 CFR §404.1592(a)"),
        ]

    def _year_changed(self, check: common.YearCheck) -> None:
        self.controls.layout.display = None if check.usable else "none"
        if not check.usable:
            return
        self.rules.children = self._rule_boxes(check.year)
        months = pd.period_range(self.start, periods=window_months(self.start, self.thresholds),
                                 freq="M")
        self.marked = {m for m in self.marked if m in set(months)}
        self.buttons = []
        rows = []
        for first in range(0, len(months), 12):
            row = []
            for month in months[first:first + 12]:
                button = widgets.ToggleButton(value=month in self.marked,
                                              description=month.strftime("%b"),
                                              tooltip=f"Worked in {month.strftime('%B %Y')}",
                                              layout=widgets.Layout(width="4.6em"))
                button.add_class(f"iwp-twp-month-{month}")
                button.month = month
                button.observe(self._toggled, names="value")
                self.buttons.append(button)
                row.append(button)
            rows.append(widgets.HBox([widgets.Label(str(months[first].year),
                                                    layout=widgets.Layout(width="3.5em"))] + row))
        self.grid.children = rows
        self.answer.options = ([("Pick a month…", "")] + common.month_options(self.start, len(months))
                               + [("It does not end in these months", NOT_ENDED)])
        self.answer.value = ""
        pay = default_earnings(self.start, self.thresholds)
        if self.earnings.value != pay:
            self.earnings.value = pay  # redraws through its observer
        else:
            self._redraw()

    def _toggled(self, change) -> None:
        month = change["owner"].month
        if change["new"]:
            self.marked.add(month)
        else:
            self.marked.discard(month)
        self._redraw()

    def set_marked(self, months) -> None:
        """Mark exactly these months (the worked examples and tests use it)."""
        wanted = {pd.Period(m, freq="M") for m in months}
        self.marked = wanted
        for button in self.buttons:
            button.unobserve(self._toggled, names="value")
            button.value = button.month in wanted
            button.observe(self._toggled, names="value")
        self._redraw()

    def _example_chosen(self, change) -> None:
        if not change["new"]:
            return
        start, months = EXAMPLES[change["new"]]
        self.year_picker.box.value = pd.Period(start, freq="M").year
        self.set_marked(months)

    def _redraw(self) -> None:
        self.end_exercise.clear()
        if not self.buttons:
            return
        self.table = simulate_grid(self.start, sorted(self.marked), self.earnings.value,
                                   self.thresholds)
        end = engine.twp_end_month(self.table, self.thresholds)
        counted = set(self.table.index[self.table["twp_month"].astype(bool)])
        self._style_buttons()
        not_counted = sorted(self.marked - counted)
        nine = int(self.thresholds.value("twp_service_months", self.start))
        lines = [f"Trial work months counted: <b>{len(counted)}</b>. "]
        window = window_months(self.start, self.thresholds)
        lines.append(f"The trial work period ended in <b>{month_label(end)}</b>." if end is not None
                     else f"The trial work period has not ended (it needs {nine} inside {window} months).")
        if not_counted:
            lines.append(" Marked months that did not count (pay not over that year's TWL, or after "
                         f"the trial work period ended): {', '.join(m.strftime('%b %Y') for m in not_counted)}.")
        lines.append(f" Pay used in each marked month: {money(self.earnings.value)}.")
        self.summary.value = "<p role='status'>" + "".join(lines) + "</p>"
        self.figure = count_figure(self.table, nine)
        common.show_figure(self.chart, self.figure)


    def _style_buttons(self) -> None:
        """Show the engine's verdict on each month, once the learner asks for it."""
        if self.table is None:
            return
        end = engine.twp_end_month(self.table, self.thresholds)
        counted = set(self.table.index[self.table["twp_month"].astype(bool)])
        for button in self.buttons:
            month = button.month
            worked = "worked" if month in self.marked else "not worked"
            if not self.reveal.shown:
                button.icon, button.button_style = "", ""
                button.tooltip = f"{month.strftime('%B %Y')}: {worked}"
                continue
            if month == end:
                button.icon, button.button_style = "square", "danger"
            elif month in counted:
                button.icon, button.button_style = "check", "success"
            else:
                button.icon, button.button_style = "", ""
            state = ("the trial work period ended" if month == end else
                     "a trial work month" if month in counted else
                     "worked, not a trial work month" if month in self.marked else "not worked")
            button.tooltip = f"{month.strftime('%B %Y')}: {state}"


def build(year: int | None = None, thresholds: Thresholds | None = None) -> TwpLesson:
    return TwpLesson(year, thresholds)

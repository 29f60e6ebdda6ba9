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
from .exercise import Exercise, Grade, month_label, parse_month
from ..words import N_, _, money, month_name, month_words, ngettext, short_month_words

NAME = "twp"
FIGURES = ("twl", "twp_service_months", "twp_window_months", "twp_self_employed_hours")
NOT_ENDED = "not_ended"
# Grid lengths offered, in years: the window itself, and a longer grid on which a month can
# drop out of the rolling window. A presentation choice.
GRID_YEARS = (5, 8)
# The rolling window applies when the 9th service month is after December 1991
# (20 CFR §404.1592(e)(2)–(3); rules.md §1.1).
WINDOW_RULE_FROM = pd.Period("1992-01", freq="M")
# Worked examples: (grid start, grid years, marked months). Dana and Phil are from Hire Abilities
# Hawaii (rules.md §7 W5(a), (b)); Lee is built from the rule (20 CFR §404.1592(e)), not an
# official example: the first of nine marked months is exactly 60 months back when the last is
# worked, so it has dropped out and the trial work period does not end.
EXAMPLES = {
    N_("Dana (9 months in a row)"): ("2012-01", 5, [f"2013-{m:02d}" for m in range(2, 11)]),
    N_("Phil (months in two years)"): ("2012-01", 5, [f"2012-{m:02d}" for m in range(2, 7)]
                                   + [f"2013-{m:02d}" for m in range(7, 11)]),
    N_("Lee (a month drops out of the window)"): ("2012-01", 8, [f"2012-{m:02d}" for m in range(2, 10)]
                                              + ["2017-02"]),
}


def window_months(start, thresholds: Thresholds | None = None) -> int:
    thresholds = thresholds or Thresholds.default()
    return int(thresholds.value("twp_window_months", pd.Period(start, freq="M")))


def grid_months(years: int | None, start, thresholds: Thresholds | None = None) -> int:
    """Months on the grid: ``years`` × 12, or the rolling window's length when not given."""
    return int(years) * 12 if years else window_months(start, thresholds)


def default_earnings(start, thresholds: Thresholds | None = None, years: int | None = None) -> float:
    """Pay for a marked month: the next $100 above the highest TWL shown on the grid.

    A presentation choice, so every marked month is clearly over the line; the learner can
    lower it to see a month stop counting.
    """
    thresholds = thresholds or Thresholds.default()
    months = pd.period_range(pd.Period(start, freq="M"), periods=grid_months(years, start, thresholds),
                             freq="M")
    values, _projected = thresholds.series("twl", months)
    return float(math.floor(values.max() / 100) * 100 + 100)


def simulate_grid(start, marked, earnings: float | None = None,
                  thresholds: Thresholds | None = None, years: int | None = None) -> pd.DataFrame:
    """The engine's table for the grid: ``earnings`` in each marked month, nothing otherwise."""
    if earnings is None:
        earnings = default_earnings(start, thresholds, years)
    return engine.twp_table(start, marked, earnings, grid_months(years, start, thresholds), thresholds)


def grade_twp_end(answer, year: int, marked_months, earnings: float | None = None,
                  thresholds: Thresholds | None = None, years: int | None = None) -> Grade:
    """"In which month does the trial work period end?" for a grid starting January ``year``.

    ``answer`` is a month ('YYYY-MM', 'Oct 2013') or ``"not_ended"``; the right answer is
    the engine's: the month its rolling count reaches the 9th trial work month.
    """
    start = pd.Period(f"{int(year)}-01", freq="M")
    table = simulate_grid(start, marked_months, earnings, thresholds, years)
    end = engine.twp_end_month(table, thresholds)
    counted = [m for m in table.index[table["twp_month"].astype(bool)]]
    nine = int((thresholds or Thresholds.default()).value("twp_service_months", start))
    if str(answer) == NOT_ENDED:
        typed = None
    else:
        typed = parse_month(answer)
        if typed is None:
            return Grade(False, _("Pick a month from the list, or “It does not end in these months”."))
    window = window_months(start, thresholds)
    if end is None:
        why = ngettext("The grid has {count} trial work month, but never {nine} inside one rolling "
                       "{window}-month window (the {window} months ending with the month being counted; a "
                       "month {window} or more months earlier has dropped out), so the trial work period "
                       "has not ended (20 CFR §404.1592(e)).",
                       "The grid has {count} trial work months, but never {nine} inside one rolling "
                       "{window}-month window (the {window} months ending with the month being counted; a "
                       "month {window} or more months earlier has dropped out), so the trial work period "
                       "has not ended (20 CFR §404.1592(e)).", len(counted)).format(
                           count=len(counted), nine=nine, window=window)
        return Grade(typed is None, why)
    inside = [m for m in counted if end - window < m <= end]
    why = _("The trial work period ends in {month}: that is the {nth} month with earnings over the TWL "
            "inside the {window} months ending then (counted: {counted}). Source: 20 CFR "
            "§404.1592(e).").format(month=month_label(end), nth=common.ordinal(nine), window=window,
                                    counted=", ".join(short_month_words(m) for m in inside[-nine:]))
    return Grade(typed == end, why)


def count_figure(table: pd.DataFrame, nine: int) -> go.Figure:
    """The engine's rolling count of trial work months, month by month (axis up to ``nine``)."""
    x = table.index.to_timestamp()
    figure = go.Figure(go.Scatter(x=x, y=table["twp_months_used"], mode="lines+markers",
                                  line_shape="hv", name=_("Trial work months in the window")))
    figure.update_layout(title=_("Trial work months counted in the rolling window"), height=260,
                         yaxis_title=_("Months"), yaxis_range=[0, nine + 0.5], yaxis_dtick=1,
                         margin=dict(l=60, r=20, t=50, b=40))
    return figure


class TwpLesson(common.Lesson):
    """Lesson 2 as a widget tree: ``TwpLesson().widget``."""

    NAME = NAME
    FIGURES = FIGURES
    START_FIGURES = ("twl",)

    def __init__(self, year: int | None = None, thresholds: Thresholds | None = None):
        super().__init__(year, thresholds)
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
                                                 description=_("Pay in a marked month ($)"),
                                                 style={"description_width": "initial"})
        self.earnings.add_class(f"iwp-lesson-{NAME}-earnings")
        self.grid_years = widgets.Dropdown(options=[(ngettext("{n} year", "{n} years", n).format(n=n), n)
                                                    for n in GRID_YEARS],
                                           value=GRID_YEARS[0], description=_("Grid length"),
                                           style={"description_width": "initial"})
        self.grid_years.add_class(f"iwp-lesson-{NAME}-grid-years")
        self.example = widgets.Dropdown(options=[(_("Choose an example…"), "")]
                                        + [(_(k), k) for k in EXAMPLES], value="",
                                        description=_("Worked example"),
                                        style={"description_width": "initial"})
        self.example.add_class(f"iwp-lesson-{NAME}-example")
        self.clear_button = widgets.Button(description=_("Clear all months"), tooltip=_("Clear all months"))
        self.clear_button.add_class(f"iwp-lesson-{NAME}-clear")
        self.answer = widgets.Dropdown(description=_("TWP ends in"), options=[("", "")])
        self.end_exercise = Exercise(
            "twp-end", _("In which month does the trial work period end?"), self.answer,
            lambda answer: grade_twp_end(answer, self.year_picker.year, sorted(self.marked),
                                         self.earnings.value, self.thresholds, self.grid_years.value))
        self.exercises = [self.end_exercise]
        self.reveal = common.Reveal(NAME, _("the engine's count"), [self.summary, self.chart],
                                    on_change=self._style_buttons)
        self.controls.children = [
            widgets.HBox([self.earnings, self.grid_years]),
            widgets.HBox([self.example, self.clear_button]), self.grid,
            self.end_exercise.widget, self.reveal.button, self.summary, self.chart]
        self.earnings.observe(lambda _c: self.redraw(), names="value")
        self.grid_years.observe(lambda _c: self._rebuild_grid(), names="value")
        self.example.observe(self._example_chosen, names="value")
        self.clear_button.on_click(lambda _b: self.set_marked([]))
        self.finish(_("Lesson 2: The Trial Work Period (TWP)"),
                    [common.paragraph(_(
                        "The trial work period lets a person on SSDI test their ability to work and "
                        "still get the full SSDI check. It does not apply to SSI."))],
                    [common.paragraph(_(
                        "Pick the first year of the grid. Then press a month to mark that you worked in "
                        "it. Use Tab to move between months and Space or Enter to mark one. Answer the "
                        "question, then show the engine's count: a ✔ shows a month the engine counted "
                        "as a trial work month; ■ marks the month the trial work period ended. Pick the "
                        "longer grid to watch old months drop out of the window."))])

    # --- grid ------------------------------------------------------------------------------
    @property
    def start(self) -> pd.Period:
        return pd.Period(f"{self.year_picker.year}-01", freq="M")

    def rule_boxes(self, year: int) -> list[widgets.HTML]:
        f = common.YearFigures(self.thresholds, year)
        window = f.count("twp_window_months")
        say = dict(nth=f.nth("twp_service_months"), window=window, year=year, rule_from=WINDOW_RULE_FROM.year,
                   later=year + window // 12, twl=common.amount_in_year(self.thresholds, "twl", year),
                   hours=f.count("twp_self_employed_hours"))
        ends = _("The trial work period ends with the <b>{nth}</b> trial work month inside a rolling window "
                 "of <b>{window}</b> months in a row. The months do not have to be next to each other. The "
                 "window is the {window} months ending with the month being counted: a month {window} or "
                 "more months earlier has dropped out and no longer counts.").format(**say)
        if year < WINDOW_RULE_FROM.year:
            ends += " " + _("Before {rule_from} there was no window; it applies when the {nth} month is in "
                            "{rule_from} or later. For months worked from {year} on this changes nothing: a "
                            "month can only drop out {window} months after it, in {later} or "
                            "later.").format(**say)
        return [
            common.rule_box(
                _("A trial work month"),
                _("A month counts when your <b>gross</b> earnings (before taxes) are <b>more than</b> the "
                  "Trial Work Level (TWL) for that year ({twl} in {year}). Work expenses and job supports "
                  "are not taken off for this test. If you are self-employed, a month counts when your "
                  "<b>net</b> earnings from the business are more than the TWL, or you work more than "
                  "{hours} hours in the business.").format(**say),
                "20 CFR §404.1592(b); 20 CFR §404.1576(f)(2); POMS DI 13010.060"),
            common.rule_box(_("When it ends"), ends,
                            "20 CFR §404.1592(e); SSA OCACT 'Trial Work Period'"),
            common.rule_box(
                _("Your check during the trial work period"),
                _("SSDI is paid in full in every month of the trial work period, whatever you earn."),
                "20 CFR §404.1592(a)"),
        ]

    def year_changed(self, check: common.YearCheck) -> None:
        if check.usable:
            self._rebuild_grid()

    def _rebuild_grid(self) -> None:
        if not self.usable:
            return
        self.end_exercise.reset()  # the months to answer with change
        months = pd.period_range(self.start, periods=grid_months(self.grid_years.value, self.start,
                                                                 self.thresholds), freq="M")
        self.marked = {m for m in self.marked if m in set(months)}
        self.buttons = []
        rows = []
        for first in range(0, len(months), 12):
            row = []
            for month in months[first:first + 12]:
                button = widgets.ToggleButton(value=month in self.marked,
                                              description=month_name(month, short=True),
                                              tooltip=_("Worked in {month}").format(month=month_words(month)),
                                              layout=widgets.Layout(width="4.6em"))
                button.add_class(f"iwp-twp-month-{month}")
                button.month = month
                button.observe(self._toggled, names="value")
                self.buttons.append(button)
                row.append(button)
            rows.append(widgets.HBox([widgets.Label(str(months[first].year),
                                                    layout=widgets.Layout(width="3.5em"))] + row))
        self.grid.children = rows
        self.answer.options = ([(_("Pick a month…"), "")] + common.month_options(self.start, len(months))
                               + [(_("It does not end in these months"), NOT_ENDED)])
        self.answer.value = ""
        with self.holding():
            self.earnings.value = default_earnings(self.start, self.thresholds, self.grid_years.value)

    def _toggled(self, change) -> None:
        month = change["owner"].month
        if change["new"]:
            self.marked.add(month)
        else:
            self.marked.discard(month)
        self.redraw()

    def set_marked(self, months) -> None:
        """Mark exactly these months (the worked examples and tests use it)."""
        wanted = {pd.Period(m, freq="M") for m in months}
        self.marked = wanted
        for button in self.buttons:
            button.unobserve(self._toggled, names="value")
            button.value = button.month in wanted
            button.observe(self._toggled, names="value")
        self.redraw()

    def _example_chosen(self, change) -> None:
        if not change["new"]:
            return
        start, years, months = EXAMPLES[change["new"]]
        with self.holding():
            self.grid_years.value = years
            self.year_picker.box.value = pd.Period(start, freq="M").year
            self.set_marked(months)

    def draw(self) -> None:
        if not self.buttons:
            return
        self.table = simulate_grid(self.start, sorted(self.marked), self.earnings.value,
                                   self.thresholds, self.grid_years.value)
        end = engine.twp_end_month(self.table, self.thresholds)
        counted = set(self.table.index[self.table["twp_month"].astype(bool)])
        self._style_buttons()
        not_counted = sorted(self.marked - counted)
        nine = int(self.thresholds.value("twp_service_months", self.start))
        window = window_months(self.start, self.thresholds)
        lines = [_("Trial work months counted: <b>{count}</b>.").format(count=len(counted)) + " "]
        lines.append(_("The trial work period ended in <b>{month}</b>.").format(month=month_label(end))
                     if end is not None else
                     _("The trial work period has not ended (it needs {nine} inside {window} months).").format(
                         nine=nine, window=window))
        if not_counted:
            lines.append(" " + _("Marked months that did not count (pay not over that year's TWL, or after "
                                 "the trial work period ended): {months}.").format(
                                     months=", ".join(short_month_words(m) for m in not_counted)))
        dropped = self.table["twp_months_used"].diff().fillna(0) < 0
        if dropped.any():
            lines.append(" " + _("The count went down in {months}: a month {window} months back dropped "
                                 "out of the window.").format(
                months=", ".join(short_month_words(m) for m in self.table.index[dropped.to_numpy()]),
                window=window))
        lines.append(" " + _("Pay used in each marked month: {amount}.").format(amount=money(self.earnings.value)))
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
            worked = _("worked") if month in self.marked else _("not worked")
            if not self.reveal.shown:
                button.icon, button.button_style = "", ""
                button.tooltip = f"{month_words(month)}: {worked}"
                continue
            if month == end:
                button.icon, button.button_style = "square", "danger"
            elif month in counted:
                button.icon, button.button_style = "check", "success"
            else:
                button.icon, button.button_style = "", ""
            state = (_("the trial work period ended") if month == end else
                     _("a trial work month") if month in counted else
                     _("worked, not a trial work month") if month in self.marked else _("not worked"))
            button.tooltip = f"{month_words(month)}: {state}"


def build(year: int | None = None, thresholds: Thresholds | None = None) -> TwpLesson:
    return TwpLesson(year, thresholds)

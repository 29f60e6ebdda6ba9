"""Earnings projection: sketch a path of earnings and see, month by month, what it does to benefits.

Scenario A is the plan; scenario B (on request) starts as a copy the counselor can change, drawn
side by side. Charts redraw in place from the simulated table; each has a table alternative.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from .. import charts
from ..widgets.chart import PlotlyChart
from ..widgets.controls import glossary_panel, html
from ..widgets.editors import EarningsPathEditor, ExpensesEditor
from ..widgets.panels import Counters, FilesBar, MonthExplainer, month_picker
from ..widgets.quiet import WhenQuiet
from ..widgets.state import PlanState
from ..widgets.summary_view import summary_view
from .base import BaseApp

GLOSSARY = ["TWL", "TWP", "SGA", "EPE", "Grace period", "IRWE", "BWE", "Subsidy", "PASS", "SEIE", "1619(b)"]


def summary_html(table, label: str, benefits: str = "concurrent") -> str:
    """Totals over the plan's months, read straight from the table (``label`` is text); only
    the programs of the plan's ``benefits`` get a line."""
    months = len(table)
    lines = [f"<li>Pay before taxes: ${table['gross_earnings'].sum():,.0f}</li>",
             f"<li>Total income: ${table['total_income'].sum():,.0f}</li>"]
    if benefits != "ssi":
        lines.append(f"<li>Months with an SSDI check: {int((table['ssdi_paid'] > 0).sum())}</li>")
    if benefits != "ssdi":
        lines.append(f"<li>Months with an SSI check: {int((table['ssi_paid'] > 0).sum())}</li>")
    return (f'<div class="iwp-summary"><h4>{escape(label)}: over {months} months</h4>'
            f"<ul>{''.join(lines)}</ul></div>")


class Scenario:
    """One scenario's state and views."""

    def __init__(self, plan, key: str, label: str, compact: bool = False):
        self.key = key
        self.label = label
        self.state = PlanState(plan)
        self.editor = EarningsPathEditor(self.state, compact=compact, name=f"path-{key}")
        table = self.state.table
        self.earnings_chart = PlotlyChart(f"earnings-{key}", charts.earnings_figure(table, self._title("Pay")),
                                          lambda: self._rows(charts.earnings_rows), f"{label} pay chart")
        self.summary = html(summary_html(table, label, self.state.plan.profile.benefits))
        self.summary.add_class(f"iwp-summary-{key}")
        # The chart redraws on every change: it is what the counselor watches while dragging a
        # slider. The totals below it can wait until the slider stops (widgets/quiet.py).
        self.state.observe(self._redraw, "table")
        self.state.observe(WhenQuiet(self._redraw_summary), "plan")  # set after its table

    def _title(self, what: str) -> str:
        return f"{self.label}: monthly pay compared with the TWL and SGA" if what == "Pay" else \
            f"{self.label}: total income each month"

    def _rows(self, rows_of) -> str:
        return charts.rows_html(rows_of(self.state.table), f"{self.label}, month by month")

    def _redraw(self, change) -> None:
        table = change["new"]
        self.earnings_chart.update(charts.earnings_figure(table, self._title("Pay")),
                                   lambda: self._rows(charts.earnings_rows))

    def _redraw_summary(self, change) -> None:
        self.summary.value = summary_html(self.state.table, self.label, change["new"].profile.benefits)


class App(BaseApp):
    title = "Earnings projection"
    css_name = "earnings-projection"

    def build(self, plan) -> None:
        self.a = Scenario(plan, "a", "Scenario A")
        state = self.a.state
        self.income_chart = PlotlyChart("income-a", charts.income_figure(state.table, "Scenario A: total income"),
                                        lambda: charts.rows_html(charts.income_rows(self.a.state.table),
                                                                 "Scenario A income, month by month"),
                                        "Income chart")
        state.observe(WhenQuiet(self._redraw_income), "table")
        state.observe(self._reload_path, "plan")
        self.expenses = ExpensesEditor(state)
        self.month = month_picker(state)
        self.counters = Counters(state, self.month)
        self.explainer = MonthExplainer(state, self.month, self.counselor)
        self.summary_view = summary_view(state)
        self.files = FilesBar(state, self.store, self.plan_name, self._examples())
        self.b: Scenario | None = None
        self.compare = w.Button(description="Compare with scenario B", icon="clone",
                                tooltip="Copy scenario A into a scenario B you can change")
        self.compare.add_class("iwp-compare")
        self.compare.on_click(self.start_scenario_b)
        self.column_a = self._column(self.a)
        self.side_by_side = w.HBox([self.column_a])
        self.side_by_side.add_class("iwp-scenarios")

    def _examples(self) -> list[str]:
        from ..plan import Plan

        return Plan.examples()

    def _column(self, scenario: Scenario) -> w.VBox:
        column = w.VBox([scenario.earnings_chart, scenario.summary], layout=w.Layout(flex="1 1 0", min_width="0"))
        column.add_class(f"iwp-column-{scenario.key}")
        return column

    def _redraw_income(self, change) -> None:
        self.income_chart.update(charts.income_figure(change["new"], "Scenario A: total income"),
                                 lambda: charts.rows_html(charts.income_rows(self.a.state.table),
                                                          "Scenario A income, month by month"))

    def _reload_path(self, change) -> None:
        # A plan opened or recovered (not drawn by the path editor): show its stored path or a fit.
        if change["old"] is not None and not self.a.editor.shows(change["new"]):
            self.a.editor.load_plan()

    def start_scenario_b(self, _button=None) -> Scenario:
        """Scenario B: a copy of A as it is now, with its own earnings controls."""
        if self.b is None:
            self.b = Scenario(self.a.state.plan, "b", "Scenario B")
            column_b = self._column(self.b)
            column_b.children = column_b.children + (self.b.editor,)
            self.side_by_side.children = (self.column_a, column_b)
            self.compare.description = "Copy A into B again"
        else:
            self.b.state.load(self.a.state.plan)
            self.b.editor.load_plan()
        return self.b

    def body(self) -> list[w.Widget]:
        return [
            self.files,
            glossary_panel(GLOSSARY, self.counselor),
            self.a.editor,
            self.expenses,
            w.HBox([self.compare]),
            self.side_by_side,
            self.counters,
            self.month,
            self.explainer,
            self.income_chart,
            self.summary_view,
        ]

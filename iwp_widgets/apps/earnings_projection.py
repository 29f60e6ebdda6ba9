"""Earnings projection: sketch a path of earnings and see, month by month, what it does to benefits.

Scenario A is the plan; scenario B (on request) starts as a copy the counselor can change, drawn
side by side. Charts redraw in place from the simulated table; each has a table alternative.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from .. import charts
from ..widgets.chart import PlotlyChart
from ..widgets.compare import Difference
from ..widgets.controls import glossary_panel, html
from ..widgets.editors import EarningsPathEditor, ExpensesEditor
from ..widgets.files_bar import FilesBar
from ..widgets.outlook import Outlook
from ..widgets.views import Counters, MonthExplainer, month_picker
from ..widgets.quiet import WhenQuiet
from ..widgets.state import PlanState
from ..widgets.summary_view import summary_view
from ..words import N_, _, money
from .base import BaseApp

GLOSSARY = ["TWL", "TWP", "SGA", "EPE", "Grace period", "IRWE", "BWE", "Subsidy", "PASS", "SEIE", "1619(b)"]


def summary_html(table, label: str, benefits: str = "concurrent") -> str:
    """Totals over the plan's months, read straight from the table (``label`` is text); only
    the programs of the plan's ``benefits`` get a line."""
    lines = [_("Pay before taxes: {amount}").format(amount=money(table["gross_earnings"].sum())),
             _("Total income: {amount}").format(amount=money(table["total_income"].sum()))]
    if benefits != "ssi":
        lines.append(_("Months with an SSDI check: {count}").format(count=int((table["ssdi_paid"] > 0).sum())))
    if benefits != "ssdi":
        lines.append(_("Months with an SSI check: {count}").format(count=int((table["ssi_paid"] > 0).sum())))
    heading = _("{label}: over {months} months").format(label=label, months=len(table))
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<div class="iwp-summary"><h4>{escape(heading)}</h4><ul>{items}</ul></div>'


class Scenario:
    """One scenario's state and views: its pay chart, its income chart and its totals."""

    def __init__(self, plan, key: str, label: str, compact: bool = False):
        self.key = key
        self.label = label
        self.state = PlanState(plan)
        self.editor = EarningsPathEditor(self.state, compact=compact, name=f"path-{key}")
        table = self.state.table
        self.earnings_chart = PlotlyChart(f"earnings-{key}", charts.earnings_figure(table, self._title("Pay")),
                                          lambda: self._rows(charts.earnings_rows), f"{label} pay chart")
        self.income_chart = PlotlyChart(f"income-{key}", charts.income_figure(table, self._title("Income")),
                                        lambda: self._rows(charts.income_rows, _("income")),
                                        f"{label} income chart")
        self.summary = html(summary_html(table, label, self.state.plan.profile.benefits))
        self.summary.add_class(f"iwp-summary-{key}")
        # The pay chart redraws on every change: it is what the counselor watches while dragging a
        # slider. The income chart and the totals can wait until the slider stops (widgets/quiet.py).
        self.state.observe(self._redraw, "table")
        self.state.observe(WhenQuiet(self._redraw_income), "table")
        self.state.observe(WhenQuiet(self._redraw_summary), "plan")  # set after its table

    def _title(self, what: str) -> str:
        if what == "Pay":
            return _("{label}: monthly pay compared with the TWL and SGA").format(label=self.label)
        return _("{label}: total income each month").format(label=self.label)

    def _rows(self, rows_of, what: str = "") -> str:
        caption = (_("{label} {what}, month by month").format(label=self.label, what=what) if what
                   else _("{label}, month by month").format(label=self.label))
        return charts.rows_html(rows_of(self.state.table), caption)

    def _redraw(self, change) -> None:
        table = change["new"]
        self.earnings_chart.update(charts.earnings_figure(table, self._title("Pay")),
                                   lambda: self._rows(charts.earnings_rows))

    def _redraw_income(self, change) -> None:
        self.income_chart.update(charts.income_figure(self.state.table, self._title("Income")),
                                 lambda: self._rows(charts.income_rows, _("income")))

    def _redraw_summary(self, change) -> None:
        self.summary.value = summary_html(self.state.table, self.label, change["new"].profile.benefits)


class App(BaseApp):
    title = N_("Earnings projection")
    css_name = "earnings-projection"
    glossary = GLOSSARY

    def build(self, plan) -> None:
        self.a = Scenario(plan, "a", _("Scenario A"))
        state = self.a.state
        self.income_chart = self.a.income_chart
        state.observe(self._reload_path, "plan")
        self.outlook = Outlook(state)
        self.expenses = ExpensesEditor(state)
        self.month = month_picker(state)
        self.counters = Counters(state, self.month)
        self.explainer = MonthExplainer(state, self.month, self.counselor)
        self.summary_view = summary_view(state)
        self.files = FilesBar(state, self.store, self.plan_name, self._examples())
        self.b: Scenario | None = None
        self.b_expenses: ExpensesEditor | None = None
        self.difference: Difference | None = None
        self.compare = w.Button(description=_("Compare with scenario B"), icon="clone",
                                tooltip=_("Copy scenario A into a scenario B you can change"))
        self.compare.add_class("iwp-compare")
        self.compare.on_click(self.start_scenario_b)
        self.column_a = self._column(self.a)
        self.side_by_side = w.HBox([self.column_a])
        self.side_by_side.add_class("iwp-scenarios")
        self.comparison = w.VBox([])   # B − A, once there is a B
        self.comparison.add_class("iwp-comparison")

    def _examples(self) -> list[str]:
        from ..plan import Plan

        return Plan.examples()

    def _column(self, scenario: Scenario) -> w.VBox:
        column = w.VBox([scenario.earnings_chart, scenario.summary], layout=w.Layout(flex="1 1 0", min_width="0"))
        column.add_class(f"iwp-column-{scenario.key}")
        return column

    def _reload_path(self, change) -> None:
        # A plan opened or recovered (not drawn by the path editor): show its stored path or a fit.
        if change["old"] is not None and not self.a.editor.shows(change["new"]):
            self.a.editor.load_plan()

    def start_scenario_b(self, _button=None) -> Scenario:
        """Scenario B: a copy of all of A as it is now (earnings, work expenses, profile), with its
        own earnings and work-expense controls, its income chart and B − A."""
        if self.b is None:
            self.b = Scenario(self.a.state.plan, "b", _("Scenario B"))
            self.b_expenses = ExpensesEditor(self.b.state, scenario="b")
            column_b = self._column(self.b)
            column_b.children = column_b.children + (self.b.editor, self.b_expenses, self.b.income_chart)
            self.side_by_side.children = (self.column_a, column_b)
            self.difference = Difference(self.a.state, self.b.state)
            self.comparison.children = (self.difference,)
            self.compare.description = _("Copy A into B again")
        else:
            self.b.state.load(self.a.state.plan)
            self.b.editor.load_plan()
            self.b_expenses.reload()
        return self.b

    def inputs(self) -> list[w.Widget]:
        """What the counselor fills in, in the order it is asked."""
        return [self.a.editor, self.expenses]

    def body(self) -> list[w.Widget]:
        return [
            self.files,
            self.outlook,      # the answer first: what happens when, and the money
            glossary_panel(self.glossary, self.counselor),
            *self.inputs(),
            w.HBox([self.compare]),
            self.side_by_side,
            self.comparison,
            self.counters,
            self.month,
            self.explainer,
            self.income_chart,
            self.summary_view,
        ]

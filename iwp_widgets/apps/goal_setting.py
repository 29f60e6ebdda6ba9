"""Goal setting: the beneficiary's profile, the IWP and a live goal checklist.

The checklist (TWL by the 10th month, SGA after a year of work, timely progress by period, EN
payments for counselors) comes from the Ticket layer and redraws whenever an input changes.
"""

from __future__ import annotations

import ipywidgets as w

from .. import charts
from ..widgets.chart import PlotlyChart
from ..widgets.controls import glossary_panel, html
from ..widgets.editors import EarningsPathEditor, ProfileEditor
from ..widgets.iwp_form import IWPForm
from ..widgets.files_bar import FilesBar
from ..widgets.views import GoalChecklist
from ..widgets.state import PlanState
from ..words import N_
from .base import BaseApp

GLOSSARY = ["IWP", "EN", "TWL", "TWP", "SGA", "EPE", "Timely progress", "Milestone", "BPQY", "1619(b)"]


class App(BaseApp):
    title = N_("Goal setting")
    css_name = "goal-setting"

    def build(self, plan) -> None:
        from ..plan import Plan

        self.state = PlanState(plan)
        state = self.state
        self.chart = PlotlyChart("earnings-a", charts.earnings_figure(state.table),
                                 lambda: charts.rows_html(charts.earnings_rows(self.state.table),
                                                          "Pay, month by month"), "Pay chart")
        state.observe(self._redraw, "table")
        self.profile = ProfileEditor(state)
        self.path = EarningsPathEditor(state, compact=True)
        self.iwp = IWPForm(state)
        self.checklist = GoalChecklist(state, self.counselor)
        self.files = FilesBar(state, self.store, self.plan_name, Plan.examples())
        state.observe(self._reload_path, "plan")

    def _redraw(self, change) -> None:
        self.chart.update(charts.earnings_figure(change["new"]),
                          lambda: charts.rows_html(charts.earnings_rows(self.state.table), "Pay, month by month"))

    def _reload_path(self, change) -> None:
        # A plan opened, recovered or revised (not drawn by the path editor): show its path.
        if change["old"] is not None and not self.path.shows(change["new"]):
            self.path.load_plan()

    def body(self) -> list[w.Widget]:
        left = w.VBox([self.profile, self.iwp], layout=w.Layout(flex="3 1 0", min_width="0"))
        right = w.VBox([self.checklist, self.path, self.chart], layout=w.Layout(flex="2 1 0", min_width="0"))
        right.add_class("iwp-live-column")
        return [self.files, glossary_panel(GLOSSARY, self.counselor), w.HBox([left, right])]

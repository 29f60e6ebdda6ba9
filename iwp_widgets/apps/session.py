"""The counselor session: one page for the person in the chair, from a new plan to the answer.

Everything the engine uses is asked here, in the order a counselor asks it: the plan's start and
length, who the plan is for (the IWP), benefits and amounts, SSI now and the months before the
plan, state and supplement, other income, student, blind, the BPQY's work history, the Ticket,
then the earnings path and work expenses, and the choices of how SSI counts income and how the
EN is paid. The views (charts, counters, a month's explanation, the goal checklist) redraw from
the plan these controls build. It is the earnings projection app with the profile, the IWP and
the goal checklist added, so both stay one code path.
"""

from __future__ import annotations

import ipywidgets as w

from ..widgets.editors import OptionsEditor, ProfileEditor
from ..widgets.frame import PlanFrame
from ..widgets.iwp_form import IWPSection
from ..widgets.views import GoalChecklist
from ..words import _
from . import earnings_projection, goal_setting


class App(earnings_projection.App):
    title = _("Counselor session")
    css_name = "session"
    glossary = list(dict.fromkeys(goal_setting.GLOSSARY + earnings_projection.GLOSSARY))

    def build(self, plan) -> None:
        super().build(plan)
        state = self.a.state
        self.frame = PlanFrame(state, lambda: self.a.editor.path)
        self.iwp = IWPSection(state)   # the form is built when first opened
        self.profile = ProfileEditor(state)
        self.options = OptionsEditor(state)
        self.checklist = GoalChecklist(state, self.counselor)

    def inputs(self) -> list[w.Widget]:
        # When the plan runs, who it is for and its goals (the IWP), the beneficiary and the costs
        # of working, the engine's choices; last the earnings, right above the chart they draw.
        controls = w.VBox([self.frame, self.iwp, self.profile, self.expenses, self.options, self.a.editor])
        # The page template's skip link lands on the first control in here (the plan's start).
        controls.add_class("iwp-controls")
        return [controls]

    def body(self) -> list[w.Widget]:
        return super().body() + [self.checklist]   # the checklist judges the goals against the chart

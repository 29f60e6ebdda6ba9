"""Small ipywidgets classes bound to a plan (state in traitlets, data through observe).

They read and write the plan and redraw from the simulated table; they never compute a rule.
"""

from .chart import PlotlyChart
from .controls import ErrorRouter, Field, GlossaryLive, glossary_panel
from .editors import EarningsPathEditor, ExpensesEditor, OptionsEditor, ProfileEditor
from .frame import PlanFrame
from .iwp_form import IWPForm
from .files_bar import FilesBar
from .views import Counters, GoalChecklist, MonthExplainer, month_picker
from .state import PlanState

__all__ = ["Counters", "EarningsPathEditor", "ErrorRouter", "ExpensesEditor", "Field", "FilesBar",
           "GlossaryLive", "GoalChecklist", "IWPForm", "MonthExplainer", "OptionsEditor", "PlanFrame", "PlanState",
           "PlotlyChart",
           "ProfileEditor", "glossary_panel", "month_picker"]

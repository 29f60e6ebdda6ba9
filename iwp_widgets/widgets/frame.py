"""The plan's frame: the month it starts and how many months it runs, and a new blank plan.

Changing the frame keeps everything typed: the profile, the IWP and the work expenses stay, and the
earnings are drawn again from the earnings controls for the new months (``resized_path``). A frame
the plan cannot take (a start before the BPQY history, or outside the program figures) is not
written: the message goes under the control and the last valid plan stays on screen.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from html import escape
from typing import Callable

import ipywidgets as w
import pandas as pd

from .. import earnings_path as ep
from ..errors import PlanError
from ..words import _, month_words
from .controls import Field, html, shared
from .state import PlanState

DEFAULT_MONTHS = 36
SHORTEST, LONGEST = 12, 60
# The start months offered: plans are made ahead, or catch up on a job already begun.
MONTHS_BACK, MONTHS_AHEAD = 36, 24


def next_month(today: dt.date | None = None) -> str:
    """The month after ``today`` (default: the machine's date), as YYYY-MM."""
    today = today or dt.date.today()
    return str(pd.Period(today, freq="M") + 1)


def new_plan(today: dt.date | None = None):
    """A blank plan starting next month, for :data:`DEFAULT_MONTHS` months."""
    from ..plan import Plan

    return Plan.blank(next_month(today), DEFAULT_MONTHS)


def resized_path(path: ep.EarningsPath, months: int) -> ep.EarningsPath:
    """``path`` over ``months`` months: the same months keep the same earnings; step-ups, months
    off, hand-typed months and a goal past the new end are dropped (the plan ends before them)."""
    last = months - 1
    target = path.target_month if path.target_month is not None and path.target_month <= last else None
    return dataclasses.replace(
        path, months=months, start_month=min(path.start_month, last),
        target_month=target,
        target_hours=path.target_hours if target is not None else None,
        target_wage=path.target_wage if target is not None else None,
        step_ups=tuple(s for s in path.step_ups if s.month <= last),
        breaks=tuple(dataclasses.replace(b, last=min(b.last, last)) for b in path.breaks if b.first <= last),
        edits={m: v for m, v in path.edits.items() if m <= last})


def _resized(values, months: int):
    """A per-month list cut or carried on (its last value) to ``months``; a single amount stays."""
    if not isinstance(values, list):
        return values
    return (values + values[-1:] * months)[:months] if values else [0.0] * months


def reframe_draft(draft: dict, start: str, path: ep.EarningsPath) -> dict:
    """A copy of the plan JSON ``draft`` starting ``start`` with the earnings ``path`` draws."""
    months = path.months
    new = copy.deepcopy(draft)
    new["start"] = start
    new["earnings"] = path.earnings()
    new["earnings_path"] = path.to_dict()
    if new.get("hours") is not None:
        new["hours"] = path.hours()
    expenses = new.get("work_expenses") or {}
    for key, value in expenses.items():
        expenses[key] = _resized(value, months)
    return new


def _start_options(start: str, today: dt.date | None = None) -> list[tuple[str, str]]:
    first = pd.Period(today or dt.date.today(), freq="M") - MONTHS_BACK
    months = [str(first + i) for i in range(MONTHS_BACK + MONTHS_AHEAD + 1)]
    if start not in months:  # an older or later plan keeps its own start on the list
        months = sorted(months + [start])
    return [(month_words(m), m) for m in months]


class PlanFrame(w.VBox):
    """"Plan starts in" and "Plan length" for one scenario.

    ``current_path`` gives the earnings path the earnings controls show now; the frame draws it
    again over the new months.
    """

    def __init__(self, state: PlanState, current_path: Callable[[], ep.EarningsPath]):
        self.state = state
        self.current_path = current_path
        self._syncing = False
        plan = state.plan
        self.start = Field(shared(w.Dropdown, options=_start_options(plan.start), value=plan.start,
                                      description=_("Plan starts in")), "plan-start")
        self.length = Field(w.IntSlider(value=max(plan.months, SHORTEST), min=SHORTEST,
                                        max=max(LONGEST, plan.months), step=1, continuous_update=False,
                                        description=_("Plan length (months)")), "plan-length",
                            _("From {shortest} to {longest} months.").format(shortest=SHORTEST, longest=LONGEST))
        self.length.control.layout.width = "420px"  # room for a month a step on the track
        super().__init__([html("<h3>" + escape(_("When the plan runs")) + "</h3>"), w.HBox([self.start, self.length])])
        self.add_class("iwp-plan-frame")
        self.start.control.observe(self._changed, "value")
        self.length.control.observe(self._changed, "value")
        state.observe(self._show_plan, "plan")

    def _changed(self, change) -> None:
        if self._syncing:
            return
        start, months = self.start.control.value, int(self.length.control.value)
        plan = self.state.plan
        if start == plan.start and months == plan.months:
            self._clear_errors()
            return
        from ..plan import Plan

        draft = reframe_draft(self.state.draft, start, resized_path(self.current_path(), months))
        try:
            Plan.from_dict(draft)
        except PlanError as exc:
            # Not written: the plan and the charts stay as they were, the choice stays shown.
            (self.start if "start" in str(getattr(exc, "field", "")) or months == plan.months
             else self.length).show_error(exc.plain)
            return
        self._clear_errors()
        self.state.edit(lambda d: d.update(reframe_draft(d, start, resized_path(self.current_path(), months))),
                        "start")

    def _clear_errors(self) -> None:
        self.start.show_error("")
        self.length.show_error("")

    def _show_plan(self, change) -> None:
        """Another plan (opened, new, recovered) or a new frame: show its start and length."""
        plan = change["new"]
        self._syncing = True
        try:
            if plan.start not in [value for _words, value in self.start.control.options]:
                self.start.control.options = _start_options(plan.start)
            self.start.control.value = plan.start
            self.length.control.max = max(LONGEST, plan.months)  # an older, longer plan shows its length
            self.length.control.value = max(plan.months, SHORTEST)
        finally:
            self._syncing = False
        self._clear_errors()

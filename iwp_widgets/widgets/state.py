"""The plan an app edits, as traitlets: widgets write the draft, views redraw from ``table``.

``draft`` is everything the user has typed, valid or not, as plan JSON. Each change is checked by
``Plan.from_dict``; if it passes, ``plan`` and ``table`` (from ``simulate``) follow. If it fails,
``error`` holds the PlanError and ``error_source`` the control that caused it, so the app can show
the message next to that control while keeping every other entry.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Sequence

import traitlets

from ..errors import PlanError


def _plan_api():
    # Imported late: the engine's modules are the heaviest part of start-up after the widgets.
    from ..plan import Plan
    from ..simulate import simulate

    return Plan, simulate


class _Table(traitlets.Any):
    """A simulated table, told apart from the last by identity: traitlets' ``old == new`` on two
    DataFrames compares every cell (about 12 ms a slider step) only to fail to be a bool."""

    def set(self, obj, value) -> None:
        new = self._validate(obj, value)
        old = obj._trait_values.get(self.name, self.default_value)
        obj._trait_values[self.name] = new
        if new is not old:
            obj._notify_trait(self.name, old, new)


class PlanState(traitlets.HasTraits):
    """One scenario: a draft, the last valid plan and its simulated table."""

    draft = traitlets.Dict()
    plan = traitlets.Any(allow_none=True)
    table = _Table(allow_none=True)
    error = traitlets.Any(None, allow_none=True)
    error_source = traitlets.Unicode("")
    changes = traitlets.Int(0)  # counts accepted changes; apps autosave on it
    opened = traitlets.Int(0)   # counts plans loaded (opened, recovered, copied): a new start

    def __init__(self, plan=None, **kwargs):
        super().__init__(**kwargs)
        if plan is not None:
            self.load(plan)

    def load(self, plan) -> None:
        """Start over from a Plan (opened file, example, or another scenario)."""
        Plan, simulate = _plan_api()
        if isinstance(plan, dict):
            plan = Plan.from_dict(plan)
        self.error = None
        self.error_source = ""
        self.draft = plan.to_dict()
        self._accept(plan, simulate)
        self.opened += 1

    def _accept(self, plan, simulate) -> None:
        table = simulate(plan)
        # table before plan: observers of ``plan`` can rely on the matching table.
        self.table = table
        self.plan = plan

    def get(self, path: Sequence[str | int], default: Any = None) -> Any:
        node: Any = self.draft
        for key in path:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return default
        return node

    def set(self, path: Sequence[str | int], value: Any, source: str = "") -> bool:
        """Put ``value`` at ``path`` in the draft and re-check the plan. True if it is valid."""
        if list(path) == ["earnings"]:
            return self.set_earnings(value, source=source or "earnings")
        return self.edit(lambda draft: _assign(draft, path, value), source or ".".join(map(str, path)))

    def set_earnings(self, earnings, path=None, source: str = "earnings") -> bool:
        """New monthly earnings and the earnings path that drew them (an ``EarningsPath``, or
        None: the plan then keeps no path, since the old one drew other earnings)."""
        if self.error is None and self.plan is not None:
            return self._set_earnings(earnings, path, source)
        stored = None if path is None else path.to_dict()
        return self.edit(lambda draft: draft.update(earnings=list(earnings), earnings_path=stored), source)

    def _set_earnings(self, earnings, path, source: str) -> bool:
        """The slider path: only the earnings (and their path) change, so validate them on the
        current plan (``Plan.with_earnings``) instead of rebuilding the whole plan from its JSON."""
        Plan, simulate = _plan_api()
        draft = dict(self.draft)
        draft["earnings"] = list(earnings)
        draft["earnings_path"] = None if path is None else path.to_dict()
        self.draft = draft
        try:
            plan = self.plan.with_earnings(earnings, path=path)
        except PlanError as exc:
            self.error_source = source
            self.error = exc
            return False
        self._accept(plan, simulate)
        self.changes += 1
        return True

    def edit(self, change: Callable[[dict], None], source: str) -> bool:
        """Apply ``change`` to a copy of the draft (several fields at once) and re-check."""
        Plan, simulate = _plan_api()
        draft = copy.deepcopy(self.draft)
        change(draft)
        self.draft = draft
        try:
            plan = Plan.from_dict(draft)
        except PlanError as exc:
            self.error_source = source
            self.error = exc
            return False
        self.error = None
        self.error_source = ""
        self._accept(plan, simulate)
        self.changes += 1
        return True


def _assign(draft: dict, path: Sequence[str | int], value: Any) -> None:
    node = draft
    for key in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(key, {})
        else:
            node = node[key]
    node[path[-1]] = value

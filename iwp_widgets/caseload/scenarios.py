"""Scenarios: earnings assumptions and policy reforms, as data.

A scenario is a JSON file in ``scenarios/`` (or anywhere: pass its path)::

    {
      "name": "higher_sga",
      "title": "Non-blind SGA raised to the blind SGA level",
      "description": "...why and where the figures come from...",
      "figures": {                                   # policy reform -> Thresholds.with_overrides
        "sga_non_blind": {"same_as": "sga_blind"},   # copy another figure's whole history
        "twp_service_months": 12,                    # one number for every month
        "ssi_earned_exclusion": {"2027-01": 400},    # from a month on
        "twl": {"times": 1.1}                        # scale the whole history
      },
      "earnings": {                                  # assumptions applied to each beneficiary's earnings
        "wage_growth": 0.03,                         # extra yearly raise, months 12, 24, …
        "hours_scale": 1.0,                          # every month's earnings × this
        "job_loss": {"month": 12, "months_out": 6}   # no earnings in months 12..17, then back
      },
      "unpublished_years": {                         # figures for years SSA has not published yet
        "method": "indexed",                         # or "carry_forward" (the last figure repeated)
        "wage_index_growth": 0.04,                   # optional; default: the AWI's last published change
        "cola": 0.025                                # optional; default: the last published COLA
      }
    }

Without ``unpublished_years`` a scenario keeps the base figures' projection (indexed, with the
defaults derived from ``thresholds/``; see :mod:`iwp_widgets.projection`).

Reforms reach the engine only as figures: :meth:`Scenario.thresholds` returns
``Thresholds.default().with_overrides(...)``; no rule code changes. Figure names must exist in
``thresholds/`` or be one of :data:`REFORM_FIGURES` (figures the engine reads only when a reform
supplies them), so a misspelt name is an error rather than a reform that silently does nothing.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import PlanError, shown
from ..projection import Projection
from ..thresholds import Thresholds
from .format import MONTH_PATTERN, earnings_columns

SCENARIO_DIR = Path(__file__).resolve().parent.parent.parent / "scenarios"

# Figures that exist only in reforms: the engine applies the rule when the figure is present.
REFORM_FIGURES = {
    "ssdi_offset_threshold": "SSDI is reduced $1 for every $2 of countable earnings above this amount "
                             "(instead of stopping) after the TWP and grace period, as in the BOND "
                             "demonstration",
}
FIGURE_FORMS = "a number, {\"YYYY-MM\": number, ...}, {\"same_as\": figure} or {\"times\": factor}"


@dataclass(frozen=True)
class JobLoss:
    """No earnings for ``months_out`` months from ``month`` (None: for the rest of the projection)."""

    month: int
    months_out: int | None = None


@dataclass(frozen=True)
class EarningsAssumptions:
    wage_growth: float = 0.0       # extra yearly raise (0.03 = 3%) from months 12, 24, 36, …
    hours_scale: float = 1.0       # every month's earnings multiplied by this (more or fewer hours)
    job_loss: JobLoss | None = None

    @property
    def changes_nothing(self) -> bool:
        return self.wage_growth == 0 and self.hours_scale == 1 and self.job_loss is None

    def apply(self, caseload: pd.DataFrame) -> pd.DataFrame:
        """The caseload with these assumptions applied to its ``earnings_t`` columns (a new frame)."""
        if self.changes_nothing:
            return caseload
        columns = earnings_columns(caseload)
        if not columns:
            raise PlanError("earnings: the caseload has no earnings_0.. columns (validate it first)")
        out = caseload.copy()
        out[columns] = self.applied_to(caseload[columns].to_numpy(dtype=float))
        return out

    def applied_to(self, earnings: np.ndarray) -> np.ndarray:
        """(beneficiaries × months) earnings with these assumptions applied (a new array, in the
        same memory order)."""
        if self.changes_nothing:
            return earnings
        months = np.arange(earnings.shape[1])
        factor = self.hours_scale * (1.0 + self.wage_growth) ** (months // 12)
        if self.job_loss is not None:
            last = len(months) if self.job_loss.months_out is None else self.job_loss.month + self.job_loss.months_out
            factor = np.where((months >= self.job_loss.month) & (months < last), 0.0, factor)
        return np.round(earnings * factor[None, :], 2)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str = ""
    description: str = ""
    figures: Mapping[str, object] = field(default_factory=dict)
    earnings: EarningsAssumptions = EarningsAssumptions()
    projection: Projection | None = None  # None: the base figures' own (indexed by default)

    @classmethod
    def from_dict(cls, data: Mapping, base: Thresholds | None = None) -> "Scenario":
        if not isinstance(data, Mapping):
            raise PlanError(f"scenario: must be a JSON object, got {type(data).__name__}")
        unknown = set(data) - {"name", "title", "description", "figures", "earnings",
                               "unpublished_years"}
        if unknown:
            raise PlanError(f"scenario: unknown keys {sorted(unknown)}; use name, title, description, "
                            f"figures, earnings, unpublished_years")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise PlanError(f"name: a scenario needs a name, got {shown(name)}")
        figures = data.get("figures", {})
        if not isinstance(figures, Mapping):
            raise PlanError(f"figures: must be an object mapping figure names to {FIGURE_FORMS}")
        scenario = cls(name=name, title=str(data.get("title", "")), description=str(data.get("description", "")),
                       figures=dict(figures), earnings=_earnings(data.get("earnings", {})),
                       projection=(Projection.from_dict(data["unpublished_years"])
                                   if "unpublished_years" in data else None))
        scenario.overrides(base)  # check the figures now, not when the run starts
        return scenario

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Scenario":
        where = repr(os.fspath(path))
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise PlanError(f"scenario: no scenario file at {where}") from None
        except UnicodeDecodeError:
            raise PlanError(f"scenario: {where} is not UTF-8 text") from None
        except OSError as exc:  # a folder, no permission, ...
            raise PlanError(f"scenario: cannot read {where} ({exc.strerror or exc})") from None
        except json.JSONDecodeError as exc:
            raise PlanError(f"scenario: {where} is not valid JSON ({exc})") from None
        except ValueError as exc:  # a number of more than 4,300 digits
            raise PlanError(f"scenario: {where} holds a value that cannot be read ({exc})") from None
        except RecursionError:
            raise PlanError(f"scenario: {where} is nested too deeply to be a scenario") from None
        return cls.from_dict(data)

    def overrides(self, base: Thresholds | None = None) -> dict[str, float | dict[str, float]]:
        """The figures as ``Thresholds.with_overrides`` takes them (``same_as``/``times`` resolved)."""
        base = base or Thresholds.default()
        known = set(base.names()) | set(REFORM_FIGURES)
        out = {}
        for name, change in self.figures.items():
            where = f"figures.{name}"
            if name not in known:
                raise PlanError(f"{where}: unknown figure; known figures are those in thresholds/ and "
                                f"{', '.join(REFORM_FIGURES)}")
            out[name] = _resolve(where, name, change, base)
        return out

    def thresholds(self, base: Thresholds | None = None) -> Thresholds:
        """The program figures under this scenario (the base figures when it changes none)."""
        base = base or Thresholds.default()
        if self.projection is not None and self.projection != base.projection:
            base = base.with_projection(self.projection)
        if not self.figures:
            return base
        # A copy of another figure ("same_as") is also projected like it in later years.
        like = {name: change["same_as"] for name, change in self.figures.items()
                if isinstance(change, Mapping) and set(change) == {"same_as"}}
        return base.with_overrides(self.overrides(base), source=f"scenario {self.name}",
                                   projected_like=like)

    def apply_earnings(self, caseload: pd.DataFrame) -> pd.DataFrame:
        return self.earnings.apply(caseload)


def _number(where: str, value) -> float:
    try:
        number = math.nan if isinstance(value, bool) or not isinstance(value, (int, float)) else float(value)
    except OverflowError:  # a whole number too big for a float
        number = math.inf
    if not math.isfinite(number) or number < 0:
        raise PlanError(f"{where}: must be a number ≥ 0, got {shown(value)}")
    return number


def _history(base: Thresholds, name: str) -> pd.DataFrame:
    table = base.table(name)
    return table[table["key"] == ""]


def _resolve(where: str, name: str, change, base: Thresholds):
    if not isinstance(change, Mapping):
        return _number(where, change)
    if set(change) == {"same_as"}:
        other = change["same_as"]
        if other not in base.names():
            raise PlanError(f"{where}.same_as: unknown figure {shown(other)}")
        # Every month either history changes, from the other figure's first row on: the result is
        # exactly the other figure there (earlier rows of this figure, if any, stay).
        first = _history(base, other)["effective"].min()
        months = set(_history(base, other)["effective"])
        if name in base.names():
            months |= {p for p in _history(base, name)["effective"] if p >= first}
        return {str(p): base.value(other, p) for p in sorted(months)}
    if set(change) == {"times"}:
        if name not in base.names():
            raise PlanError(f"{where}.times: {name} has no history to scale")
        factor = _number(f"{where}.times", change["times"])
        rows = _history(base, name)
        return {str(p): round(float(v) * factor, 2) for p, v in zip(rows["effective"], rows["value"])}
    out = {}
    for month, value in change.items():
        if not isinstance(month, str) or not MONTH_PATTERN.match(month):
            raise PlanError(f"{where}: keys must be months written YYYY-MM (or use {FIGURE_FORMS}), "
                            f"got {shown(month)}")
        out[month] = _number(f"{where}[{month}]", value)
    if not out:
        raise PlanError(f"{where}: must be {FIGURE_FORMS}")
    return out


def _earnings(data) -> EarningsAssumptions:
    if not isinstance(data, Mapping):
        raise PlanError("earnings: must be an object with wage_growth, hours_scale and/or job_loss")
    unknown = set(data) - {"wage_growth", "hours_scale", "job_loss"}
    if unknown:
        raise PlanError(f"earnings: unknown keys {sorted(unknown)}; use wage_growth, hours_scale, job_loss")
    growth = data.get("wage_growth", 0.0)
    if isinstance(growth, bool) or not isinstance(growth, (int, float)) or not -1 < growth <= 1:
        raise PlanError(f"earnings.wage_growth: must be a yearly fraction above -1 and at most 1, got {shown(growth)}")
    scale = _number("earnings.hours_scale", data.get("hours_scale", 1.0))
    loss = data.get("job_loss")
    job_loss = None
    if loss is not None:
        if not isinstance(loss, Mapping) or set(loss) - {"month", "months_out"} or "month" not in loss:
            raise PlanError("earnings.job_loss: must be {\"month\": m, \"months_out\": k} (months_out optional)")
        month, out = loss["month"], loss.get("months_out")
        if isinstance(month, bool) or not isinstance(month, int) or month < 0:
            raise PlanError(f"earnings.job_loss.month: must be a month number ≥ 0, got {shown(month)}")
        if out is not None and (isinstance(out, bool) or not isinstance(out, int) or out < 1):
            raise PlanError(f"earnings.job_loss.months_out: must be a whole number ≥ 1 or null, got {shown(out)}")
        job_loss = JobLoss(month, out)
    return EarningsAssumptions(float(growth), scale, job_loss)


def available_scenarios(directory: Path = SCENARIO_DIR) -> list[str]:
    """Names of the shipped scenarios (the JSON files in ``scenarios/``)."""
    return sorted(p.stem for p in directory.glob("*.json"))


def load_scenario(name_or_path: str | os.PathLike | Scenario, directory: Path = SCENARIO_DIR) -> Scenario:
    """A shipped scenario by name (``"higher_sga"``) or any scenario file by path."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text = os.fspath(name_or_path)
    if text.endswith(".json") or os.sep in text:
        return Scenario.load(text)
    path = directory / f"{text}.json"
    if not path.is_file():
        raise PlanError(f"scenario: unknown scenario {text!r}; shipped: {', '.join(available_scenarios(directory))} "
                        f"(or give the path of a .json file)")
    scenario = Scenario.load(path)
    if scenario.name != text:
        raise PlanError(f"name: {path.name} calls itself {scenario.name!r}; rename one to match")
    return scenario


__all__ = ["Scenario", "EarningsAssumptions", "JobLoss", "REFORM_FIGURES", "SCENARIO_DIR",
           "available_scenarios", "load_scenario"]

"""Figures for years Social Security has not published yet, each projected by its own rule.

Plans made now run into years whose amounts are announced only each October. Carrying the
last published amount forward is systematically low, because the law raises these figures
every year. So each indexed figure is projected the way the law raises it
(../shared/rules.md §1.2, §2.2, §4.1, §4.3):

- Trial Work Level: the 2001 amount times the national average wage index (AWI) of two years
  before over the 1999 AWI, rounded to $10 (an amount ending in exactly $5 goes up), never
  below the year before (20 CFR 404.1592(b)(1)(ii)(B)).
- SGA, not blind: the same with the 2000 amount and the 1998 AWI (20 CFR 404.1574(b)(2)(ii)).
- SGA, blind: the same with the 1994 amount and the 1992 AWI, raised only in a year after a
  December with a cost-of-living adjustment (COLA) (20 CFR 404.1584(d); OACT "Determinations
  of Substantial Gainful Activity").
- SSI federal benefit rate: the unrounded annual amount of the year before times 1 + the COLA,
  to the cent; the monthly rate is that divided by 12, rounded down to a dollar
  (20 CFR 416.405; OACT "SSI payment standards").
- Student earned income exclusion limits: the 2001 amounts times the COLAs since, rounded to
  $10 (ending in $5 goes up), never below the year before (20 CFR 416.1112(c)(3)).

Every base amount, index value and COLA is read from ``thresholds/`` (the AWI series is
``national_average_wage_index``, the COLAs ``cola``, the unrounded SSI amounts
``ssi_fbr_*_unrounded_annual``); this module holds only the rules and their base years. The
assumptions for years after the published index values are a :class:`Projection`: by default
the AWI keeps rising at its last published yearly change and the COLA repeats the last one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Mapping

import pandas as pd

from .errors import PlanError

WAGE_INDEX = "national_average_wage_index"
COLA = "cola"
METHODS = ("indexed", "carry_forward")
PROJECTED_STATUS = "projected"
HORIZON_YEARS = 100  # projected years after the last published one (later months repeat the last)


@dataclass(frozen=True)
class Projection:
    """How months after the published figures get their figures (one choice per scenario).

    ``method``: ``"indexed"`` (each figure by its own rule, the default) or ``"carry_forward"``
    (the last published figure repeated). ``wage_index_growth`` and ``cola`` are yearly
    fractions (0.04 = 4%) for the years after the published AWI values and COLAs; ``None``
    means the default derived from ``thresholds/``: the last published yearly change of the AWI,
    and the last published COLA.
    """

    method: str = "indexed"
    wage_index_growth: float | None = None
    cola: float | None = None

    def __post_init__(self):
        if self.method not in METHODS:
            raise PlanError(f"unpublished_years.method: must be one of {', '.join(METHODS)}, "
                            f"got {self.method!r}")
        growth = self.wage_index_growth
        if growth is not None and (isinstance(growth, bool) or not isinstance(growth, (int, float))
                                   or not math.isfinite(growth) or not -0.5 < growth <= 1):
            raise PlanError("unpublished_years.wage_index_growth: must be a yearly fraction above "
                            f"-0.5 and at most 1 (0.04 = 4%), got {growth!r}")
        cola = self.cola
        if cola is not None and (isinstance(cola, bool) or not isinstance(cola, (int, float))
                                 or not math.isfinite(cola) or not 0 <= cola <= 1):
            raise PlanError("unpublished_years.cola: must be a yearly fraction from 0 to 1 "
                            f"(0.025 = 2.5%; benefits never fall), got {cola!r}")

    @classmethod
    def from_dict(cls, data) -> "Projection":
        if not isinstance(data, Mapping):
            raise PlanError("unpublished_years: must be an object with method, wage_index_growth "
                            "and/or cola")
        unknown = set(data) - {"method", "wage_index_growth", "cola"}
        if unknown:
            raise PlanError(f"unpublished_years: unknown keys {sorted(unknown)}; use method, "
                            f"wage_index_growth, cola")
        return cls(data.get("method", "indexed"), data.get("wage_index_growth"), data.get("cola"))


# --- rounding (each as its regulation states it) ---------------------------------------------

def _cents(amount: float) -> Decimal:
    return Decimal(repr(float(amount))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def round_to_ten(amount: float) -> float:
    """To the nearest $10, an amount ending in exactly $5 going up (the TWL, SGA and SEIE rule).

    The unrounded amount is first taken to the cent, as SSA publishes it, then to the nearest $10.
    """
    return float((_cents(amount) / 10).quantize(Decimal(1), ROUND_HALF_UP) * 10)


def to_cents(amount: float) -> float:
    return float(_cents(amount))


def monthly_benefit_rate(unrounded_annual: float) -> float:
    """The SSI monthly rate: the unrounded annual amount / 12, rounded down to a dollar (416.405)."""
    return float((_cents(unrounded_annual) / 12).to_integral_value(ROUND_FLOOR))


# --- one year's step of each rule (also what the back-tests call) ----------------------------

def wage_indexed(previous: float, base_amount: float, base_index: float, index: float,
                 *, cola_last_december: float | None = None) -> float:
    """A TWL or SGA amount for year Y from the year before and AWI(Y-2).

    ``base_amount`` is the figure in its base year and ``base_index`` the AWI two years before
    that. ``cola_last_december`` is given only for the blind SGA amount, which rises only when
    a COLA is effective for the December before.
    """
    if cola_last_december is not None and cola_last_december <= 0:
        return previous
    return max(previous, round_to_ten(base_amount * index / base_index))


def price_indexed(previous: float, base_amount: float, growth_since_base: float) -> float:
    """A student exclusion limit: the base-year amount times the COLAs since, rounded to $10."""
    return max(previous, round_to_ten(base_amount * growth_since_base))


def next_unrounded_annual(previous_unrounded: float, cola: float) -> float:
    """SSI's unrounded annual amount for the next year: this year's times 1 + the COLA, to the cent."""
    return to_cents(previous_unrounded * (1 + cola))


@dataclass(frozen=True)
class _Rule:
    kind: str          # "wage", "price" or "benefit_rate"
    base_year: int = 0
    needs_cola: bool = False
    unrounded: str = ""
    what: str = ""     # plain words for the source text
    citation: str = ""


RULES = {
    "twl": _Rule("wage", 2001, what="average wages", citation="20 CFR 404.1592(b)(1)(ii)(B)"),
    "sga_non_blind": _Rule("wage", 2000, what="average wages", citation="20 CFR 404.1574(b)(2)(ii)"),
    "sga_blind": _Rule("wage", 1994, needs_cola=True, what="average wages",
                       citation="20 CFR 404.1584(d)"),
    "ssi_fbr_individual": _Rule("benefit_rate", unrounded="ssi_fbr_individual_unrounded_annual",
                                what="the cost-of-living adjustment", citation="20 CFR 416.405"),
    "ssi_fbr_couple": _Rule("benefit_rate", unrounded="ssi_fbr_couple_unrounded_annual",
                            what="the cost-of-living adjustment", citation="20 CFR 416.405"),
    "seie_monthly_limit": _Rule("price", 2001, what="the cost-of-living adjustment",
                                citation="20 CFR 416.1112(c)(3)"),
    "seie_annual_limit": _Rule("price", 2001, what="the cost-of-living adjustment",
                               citation="20 CFR 416.1112(c)(3)"),
}


def _by_year(table: pd.DataFrame) -> dict[int, float]:
    rows = table[table["key"] == ""]
    return {p.year: float(v) for p, v in zip(rows["effective"], rows["value"])}


class Indices:
    """The AWI by calendar year and the COLA by December, published then assumed."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], projection: Projection):
        self.awi = _by_year(tables[WAGE_INDEX])
        self.awi_last = max(self.awi)
        published_growth = self.awi[self.awi_last] / self.awi[self.awi_last - 1] - 1
        self.growth = (published_growth if projection.wage_index_growth is None
                       else float(projection.wage_index_growth))
        self.growth_is_default = projection.wage_index_growth is None
        self.colas = _by_year(tables[COLA])
        self.cola_last = max(self.colas)
        self.cola = self.colas[self.cola_last] if projection.cola is None else float(projection.cola)
        self.cola_is_default = projection.cola is None
        self._awi = dict(self.awi)

    def wage_index(self, year: int) -> float:
        if year not in self._awi:
            if year < min(self.awi):
                raise PlanError(f"{WAGE_INDEX}: no index for {year}")
            for y in range(self.awi_last + 1, year + 1):
                if y not in self._awi:
                    self._awi[y] = to_cents(self._awi[y - 1] * (1 + self.growth))
        return self._awi[year]

    def cola_for_december(self, year: int) -> float:
        if year in self.colas:
            return self.colas[year]
        if year > self.cola_last:
            return self.cola
        raise PlanError(f"{COLA}: no cost-of-living adjustment on file for December {year}")

    def describe(self, rule: _Rule) -> str:
        """The assumption behind a projected figure, in words (for sources and the "why" text)."""
        if rule.kind == "wage":
            return (f"average wages (the national average wage index) assumed to rise "
                    f"{percent(self.growth)} a year after {self.awi_last}"
                    + (", its last published yearly change" if self.growth_is_default else ""))
        return (f"a cost-of-living adjustment of {percent(self.cola)} a year after December "
                f"{self.cola_last}" + (", the last one announced" if self.cola_is_default else ""))


def percent(fraction: float) -> str:
    text = f"{100 * fraction:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def project(name: str, rows: pd.DataFrame, tables: Mapping[str, pd.DataFrame], indices: Indices,
            rule_name: str | None = None) -> list[tuple[int, float]]:
    """(year, value) for the HORIZON_YEARS years after the last row of one figure's ``rows``.

    ``rule_name`` is the figure whose rule applies (a scenario's copy of another figure is
    projected like the original). Base amounts come from ``rows`` themselves, so a scenario
    that scales a figure's history scales its projection too.
    """
    rule = RULES[rule_name or name]
    years = [p.year for p in rows["effective"]]
    values = [float(v) for v in rows["value"]]
    last_year, previous = years[-1], values[-1]
    starts = [p.ordinal for p in rows["effective"]]

    def amount_in(year: int) -> float | None:
        ordinal = pd.Period(f"{year}-01", "M").ordinal
        position = max((i for i, s in enumerate(starts) if s <= ordinal), default=None)
        return None if position is None else values[position]

    out: list[tuple[int, float]] = []
    if rule.kind == "wage":
        base_year = rule.base_year
        base_amount = amount_in(base_year)
        if base_amount is None:  # a history that starts after the base year: scale from its end
            base_year, base_amount = last_year, previous
        base_index = indices.wage_index(base_year - 2)
        for year in range(last_year + 1, last_year + HORIZON_YEARS + 1):
            cola = indices.cola_for_december(year - 1) if rule.needs_cola else None
            previous = wage_indexed(previous, base_amount, base_index,
                                    indices.wage_index(year - 2), cola_last_december=cola)
            out.append((year, previous))
    elif rule.kind == "price":
        base_year = rule.base_year
        base_amount = amount_in(base_year)
        if base_amount is None:
            base_year, base_amount = last_year, previous
        growth = 1.0
        for year in range(base_year + 1, last_year + 1):
            growth *= 1 + indices.cola_for_december(year - 1)
        for year in range(last_year + 1, last_year + HORIZON_YEARS + 1):
            growth *= 1 + indices.cola_for_december(year - 1)
            previous = price_indexed(previous, base_amount, growth)
            out.append((year, previous))
    else:
        unrounded = _by_year(tables[rule.unrounded]).get(last_year) if rule.unrounded in tables \
            else None
        if unrounded is None or monthly_benefit_rate(unrounded) != previous:
            unrounded = 12 * previous  # a monthly amount a scenario set: take it as exact
        for year in range(last_year + 1, last_year + HORIZON_YEARS + 1):
            unrounded = next_unrounded_annual(unrounded, indices.cola_for_december(year - 1))
            out.append((year, monthly_benefit_rate(unrounded)))
    return out


def source_text(name: str, last_year: int, indices: Indices, rule_name: str | None = None) -> str:
    rule = RULES[rule_name or name]
    return (f"projected from the {last_year} figure by {rule.citation}, with "
            f"{indices.describe(rule)}")


__all__ = ["Projection", "Indices", "RULES", "METHODS", "WAGE_INDEX", "COLA", "PROJECTED_STATUS",
           "round_to_ten", "monthly_benefit_rate", "wage_indexed", "price_indexed",
           "next_unrounded_annual", "project", "source_text", "percent"]

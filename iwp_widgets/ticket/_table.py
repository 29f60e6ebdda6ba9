"""Reading the columns the Ticket rules need from a simulated monthly table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PlanError


def months_of(table: pd.DataFrame) -> pd.PeriodIndex:
    """The table's months (its index, or a ``month`` column) as a monthly PeriodIndex."""
    months = table.index if isinstance(table.index, pd.PeriodIndex) else table.get("month")
    if months is None:
        raise PlanError("table: needs a monthly PeriodIndex or a 'month' column")
    months = pd.PeriodIndex(months, freq="M")
    if len(months) and (np.diff(months.asi8) != 1).any():
        raise PlanError("table: months must be consecutive, one row per month")
    return months


def column(table: pd.DataFrame, name: str, default: float | None = None) -> np.ndarray:
    """A numeric column as float; ``default`` fills a missing column when one is given."""
    if name not in table.columns:
        if default is None:
            raise PlanError(f"table.{name}: the simulated table has no {name!r} column")
        return np.full(len(table), float(default))
    return table[name].to_numpy(dtype=float)


def federal_ssi_paid(table: pd.DataFrame) -> np.ndarray:
    """Federal SSI cash (the Ticket rules ignore state supplements) when the table has it, else ssi_paid."""
    if "ssi_federal_paid" in table.columns:
        return column(table, "ssi_federal_paid")
    return column(table, "ssi_paid", default=0.0)


def to_month(value, field: str) -> pd.Period:
    try:
        return pd.Period(value, freq="M")
    except (TypeError, ValueError):
        raise PlanError(f"{field}: must be a month written YYYY-MM, got {value!r}") from None


def money(value: float) -> str:
    return f"${value:,.0f}" if float(value).is_integer() else f"${value:,.2f}"


def memo(thresholds, key: tuple, compute):
    """Looked up once per set of figures (an app re-simulates one plan on every edit)."""
    return thresholds.cached(("ticket",) + key, compute)


def figure(thresholds, name: str, month, key: str = "") -> float:
    """``thresholds.value`` for one month, cached."""
    month = pd.Period(month, freq="M")
    return memo(thresholds, ("value", name, month.ordinal, key),
                lambda: thresholds.value(name, month, key=key))


def first_row(thresholds, name: str) -> pd.Period:
    """The month a figure's data starts (for rules modelled from a given date)."""
    return memo(thresholds, ("first_row", name), lambda: thresholds.table(name)["effective"].min())

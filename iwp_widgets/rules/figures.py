"""The program figures one run needs, one value per projection month.

Everything the rules use comes from :class:`~iwp_widgets.thresholds.Thresholds` here, looked
up once per run with ``series()`` so the month loop only indexes small numpy arrays. Months in
years not published yet get projected figures (indexed by default, see
:mod:`iwp_widgets.projection`) and are flagged; :func:`projection_note` says which assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..projection import percent
from ..thresholds import ThresholdError, Thresholds

SSDI_NAMES = ("twl", "twp_self_employed_hours", "twp_service_months", "twp_window_months",
              "epe_reentitlement_months", "ssdi_grace_months", "exr_window_months",
              "exr_request_allowed",
              "medicare_extended_months", "sga_non_blind", "sga_blind")
SSI_NAMES = ("ssi_fbr_individual", "ssi_fbr_couple", "ssi_general_exclusion",
             "ssi_earned_exclusion", "ssi_earned_share_excluded", "sga_non_blind")
SEIE_NAMES = ("seie_monthly_limit", "seie_annual_limit", "seie_age_limit")
OFFSET_THRESHOLD = "ssdi_offset_threshold"  # reform figure (not shipped): BOND-style offset
OFFSET_SHARE = "ssdi_offset_share"          # $1 of benefit per $2 of earnings above it
MEDICAID_1619B = "medicaid_1619b_threshold"


@dataclass
class MonthFigures:
    """Per-month figure values (arrays of length T) and which months used projected figures."""

    months: pd.PeriodIndex
    values: dict[str, np.ndarray]
    projected_ssdi: np.ndarray
    projected_ssi: np.ndarray
    offset_threshold: np.ndarray   # NaN in months without the reform figure
    offset_share: np.ndarray

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[name]


def optional_series(thresholds: Thresholds, name: str, months: pd.PeriodIndex, key: str = ""
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Like ``series`` but NaN (not an error) for months before the figure's first row."""
    first = thresholds.first_month(name, key)
    if first is None:
        return np.full(len(months), np.nan), np.zeros(len(months), bool)
    covered = months >= first
    values = np.full(len(months), np.nan)
    projected = np.zeros(len(months), bool)
    if covered.any():
        v, p = thresholds.series(name, months[covered], key=key)
        values[covered], projected[covered] = v, p
    return values, projected


def _cached(thresholds: Thresholds, key: tuple, compute):
    """Looked up once per set of figures (a live app re-simulates one plan on every edit)."""
    return thresholds.cached(("rules",) + key, compute)


def month_figures(thresholds: Thresholds, months: pd.PeriodIndex, *, ssdi: bool, ssi: bool,
                  seie: bool) -> MonthFigures:
    """Look up every figure the run needs; a missing month is a PlanError naming ``start``."""
    key = ("month_figures", months[0].ordinal if len(months) else 0, len(months), ssdi, ssi, seie)
    return _cached(thresholds, key, lambda: _month_figures(thresholds, months, ssdi=ssdi,
                                                           ssi=ssi, seie=seie))


def _month_figures(thresholds: Thresholds, months: pd.PeriodIndex, *, ssdi: bool, ssi: bool,
                   seie: bool) -> MonthFigures:
    values: dict[str, np.ndarray] = {}
    projected_ssdi = np.zeros(len(months), bool)
    projected_ssi = np.zeros(len(months), bool)
    wanted = [(n, "ssdi") for n in SSDI_NAMES if ssdi] + [(n, "ssi") for n in SSI_NAMES if ssi]
    wanted += [(n, "ssi") for n in SEIE_NAMES if ssi and seie]
    for name, program in wanted:
        try:
            value, projected = thresholds.series(name, months)
        except ThresholdError as exc:
            raise ThresholdError(f"start: the months {months[0]}..{months[-1]} are outside the "
                                 f"program figures ({exc})", field="start") from None
        values[name] = value
        if program == "ssdi":
            projected_ssdi |= projected
        else:
            projected_ssi |= projected
    offset = np.full(len(months), np.nan)
    share = np.full(len(months), np.nan)
    if ssdi and OFFSET_THRESHOLD in thresholds.names():
        offset, offset_projected = optional_series(thresholds, OFFSET_THRESHOLD, months)
        on = ~np.isnan(offset)
        if on.any():
            try:
                share[on], share_projected = thresholds.series(OFFSET_SHARE, months[on])
            except ThresholdError as exc:
                raise ThresholdError(f"start: the benefit offset needs {OFFSET_SHARE} for "
                                     f"{months[on][0]} on ({exc})", field="start") from None
            projected_ssdi |= offset_projected
            projected_ssdi[on] |= share_projected
    return MonthFigures(months, values, projected_ssdi, projected_ssi, offset, share)


def medicaid_thresholds(thresholds: Thresholds, months: pd.PeriodIndex, keys: list[str]
                        ) -> tuple[np.ndarray, np.ndarray]:
    """1619(b) charted thresholds, shape (T, len(keys)); NaN where no figure exists."""
    key = ("medicaid", months[0].ordinal if len(months) else 0, len(months), tuple(keys))
    return _cached(thresholds, key, lambda: _medicaid_thresholds(thresholds, months, keys))


def _medicaid_thresholds(thresholds: Thresholds, months: pd.PeriodIndex, keys: list[str]
                         ) -> tuple[np.ndarray, np.ndarray]:
    values = np.full((len(months), len(keys)), np.nan)
    projected = np.zeros((len(months), len(keys)), bool)
    known = set(thresholds.keys(MEDICAID_1619B)) if MEDICAID_1619B in thresholds.names() else set()
    for j, key in enumerate(keys):
        if key in known:
            values[:, j], projected[:, j] = optional_series(thresholds, MEDICAID_1619B, months, key)
    return values, projected


CARRIED_NOTE = "This month uses figures carried forward from the last published year, so it is an estimate."


def projection_note(thresholds: Thresholds, *, ssdi: bool, ssi: bool) -> str:
    """The sentence a projected month's "why" ends with: which assumption made its figures."""
    if thresholds.projection.method == "carry_forward":
        return CARRIED_NOTE
    indices = thresholds.indices()
    parts = []
    if ssdi:
        source = "the last published yearly rise; " if indices.growth_is_default else ""
        parts.append(f"the Trial Work Level and SGA with average wages, assumed to rise "
                     f"{percent(indices.growth)} a year ({source}20 CFR 404.1592(b), "
                     f"404.1574(b)(2))")
    if ssi:
        source = "the last one announced; " if indices.cola_is_default else ""
        parts.append(f"SSI amounts with a cost-of-living increase of {percent(indices.cola)} a "
                     f"year ({source}20 CFR 416.405), and the 1619(b) Medicaid thresholds at "
                     f"their last published amounts")
    return ("This month uses figures Social Security has not published yet, estimated the way "
            f"the law raises them each year: {'; '.join(parts)}. Real amounts may differ.")

"""Distributions over a caseload: per-beneficiary outcomes, then summaries that add up.

Two steps:

1. :func:`beneficiary_outcomes` turns the engine's long table (one row per beneficiary-month,
   the plan contract's columns) into one row per beneficiary: months until earnings first pass the
   TWL and SGA, the month the Extended Period of Eligibility starts, and totals over the projection
   (SSDI and SSI paid, earnings, total income, EN payments).
2. :class:`CaseloadSummary` counts those outcomes in bins: months exactly (1-month bins), dollars
   in ``dollar_bin`` bins ($10 by default). Summaries of separate parts of a caseload *merge* by
   adding counts, so a Dask run summarises each partition where it is and only the small counts
   travel; the result is the same as summarising the whole caseload at once.

Quantiles are read from the bins: exact for months, rounded down to the bin for dollars (a median
total of $41,236.50 shows as $41,230 with $10 bins). Means and shares are exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import PlanError

# Months from the projection start until the first month with ... (NaN: never in the projection).
MONTH_METRICS = {
    "months_to_twl": "earnings above the trial work level (a TWP month for SSDI)",
    "months_to_sga": "countable earnings above the SGA amount",
    "months_to_epe": "the Extended Period of Eligibility began (the TWP was over)",
}
# Totals over the projection, in dollars.
DOLLAR_METRICS = {
    "ssdi_paid": "SSDI paid",
    "ssi_paid": "SSI paid",
    "benefits_paid": "SSDI and SSI paid",
    "gross_earnings": "gross earnings",
    "total_income": "total income (earnings, benefits, other income)",
    "en_payment": "payments to the Employment Network",
}
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
NEEDED_COLUMNS = ("id", "gross_earnings", "countable_earnings", "twl", "sga", "epe_month", "ssdi_paid",
                  "ssi_paid", "total_income", "en_payment")


def beneficiary_outcomes(results: pd.DataFrame) -> pd.DataFrame:
    """One row per beneficiary (index ``id``, in table order) from the engine's long table.

    ``results`` must hold each beneficiary's months together and in calendar order, the same
    number for everyone (as ``simulate_caseload`` returns them); month numbers count from 0 at
    the beneficiary's first row.
    """
    missing = [c for c in NEEDED_COLUMNS if c not in results.columns]
    if missing:
        raise PlanError(f"{missing[0]}: the results table lacks this column (needed for summaries)")
    first_rows = _first_rows(results["id"])
    n, size = len(first_rows), len(results)
    months = size // n if n else 0
    ids = results["id"].iloc[first_rows].to_numpy()
    if n and (n * months != size or not (first_rows == np.arange(n) * months).all()
              or len(set(ids)) != n):
        raise PlanError("id: each beneficiary's months must be together, the same number for everyone")

    def grid(column: str, dtype=float) -> np.ndarray:
        return results[column].to_numpy(dtype=dtype).reshape(n, months)

    return outcomes_from_grids(ids, {c: grid(c, bool if c == "epe_month" else float)
                                     for c in NEEDED_COLUMNS if c != "id"})


def _first_rows(ids: pd.Series) -> np.ndarray:
    """Positions where a new id starts. Text ids are compared by Arrow, without a Python string
    per beneficiary-month (the slowest step here for a month-level table)."""
    if len(ids) == 0:
        return np.zeros(0, int)
    if isinstance(ids.dtype, pd.StringDtype) and ids.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(ids)
        changed = pc.not_equal(text[1:], text[:-1]).fill_null(True).to_numpy(zero_copy_only=False)
        return np.flatnonzero(np.r_[True, changed])
    values = ids.to_numpy()
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]])


def outcomes_from_grids(ids, grids: dict[str, np.ndarray]) -> pd.DataFrame:
    """Per-beneficiary outcomes from (beneficiaries × months) arrays of the table's columns."""
    return outcomes_frame(ids, outcome_values(grids), grids["ssdi_paid"].shape[1])


def outcome_values(grids: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The outcome columns (but ``months``), one value per beneficiary, from (beneficiaries ×
    months) arrays of the table's columns."""

    def first(condition: np.ndarray) -> np.ndarray:
        found = condition.any(axis=1)
        return np.where(found, condition.argmax(axis=1), np.nan)

    def total(values: np.ndarray) -> np.ndarray:
        return np.round(values.sum(axis=1), 2)  # dollars and cents, without float dust

    ssdi, ssi = grids["ssdi_paid"], grids["ssi_paid"]
    return {
        "months_to_twl": first(grids["gross_earnings"] > grids["twl"]),
        "months_to_sga": first(grids["countable_earnings"] > grids["sga"]),
        "months_to_epe": first(grids["epe_month"]),
        "ssdi_paid": total(ssdi),
        "ssi_paid": total(ssi),
        "benefits_paid": total(ssdi + ssi),
        "gross_earnings": total(grids["gross_earnings"]),
        "total_income": total(grids["total_income"]),
        "en_payment": total(grids["en_payment"]),
    }


def outcomes_frame(ids, values: dict[str, np.ndarray], months: int) -> pd.DataFrame:
    """The outcomes table: ``values`` (:func:`outcome_values`) and the months projected, by id."""
    return pd.DataFrame({**values, "months": np.full(len(ids), months)}, index=pd.Index(ids, name="id"))


@dataclass(frozen=True)
class CaseloadSummary:
    """Binned counts of beneficiary outcomes; ``a.merge(b)`` summarises both caseloads together."""

    beneficiaries: int
    counts: pd.DataFrame       # columns metric, bin, count (bin: month number, or dollars // dollar_bin)
    sums: pd.Series            # exact sum of each metric over beneficiaries that have a value
    positive: pd.Series        # how many beneficiaries have a dollar total above $0
    dollar_bin: float = 10.0

    @classmethod
    def from_outcomes(cls, outcomes: pd.DataFrame, dollar_bin: float = 10.0) -> "CaseloadSummary":
        if not dollar_bin > 0:
            raise PlanError(f"dollar_bin: must be more than 0, got {dollar_bin!r}")
        pieces, sums, positive = [], {}, {}
        for metric in (*MONTH_METRICS, *DOLLAR_METRICS):
            values = outcomes[metric].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            width = 1.0 if metric in MONTH_METRICS else dollar_bin
            bins, count = _bin_counts(np.floor(values / width).astype(np.int64))
            pieces.append(pd.DataFrame({"metric": metric, "bin": bins, "count": count.astype(np.int64)}))
            sums[metric] = float(values.sum())
            if metric in DOLLAR_METRICS:
                positive[metric] = int((values > 0).sum())
        return cls(len(outcomes), pd.concat(pieces, ignore_index=True), pd.Series(sums),
                   pd.Series(positive, dtype=np.int64), dollar_bin)

    def merge(self, *others: "CaseloadSummary") -> "CaseloadSummary":
        parts = (self, *others)
        if len({p.dollar_bin for p in parts}) != 1:
            raise PlanError("dollar_bin: summaries with different bins cannot be merged")
        counts = (pd.concat([p.counts for p in parts], ignore_index=True)
                  .groupby(["metric", "bin"], as_index=False, sort=True)["count"].sum())
        sums = sum((p.sums for p in parts[1:]), parts[0].sums)
        positive = sum((p.positive for p in parts[1:]), parts[0].positive)
        return CaseloadSummary(sum(p.beneficiaries for p in parts), counts, sums, positive, self.dollar_bin)

    def width(self, metric: str) -> float:
        return 1.0 if metric in MONTH_METRICS else self.dollar_bin

    def histogram(self, metric: str, rows: pd.DataFrame | None = None) -> pd.DataFrame:
        """``value`` (bin start: month number or dollars) and ``count``, in order (``rows``: this
        metric's rows of ``counts``, when the caller has them already)."""
        if metric not in MONTH_METRICS and metric not in DOLLAR_METRICS:
            raise PlanError(f"metric: unknown metric {metric!r}; known: "
                            f"{', '.join([*MONTH_METRICS, *DOLLAR_METRICS])}")
        if rows is None:
            rows = self.counts[self.counts["metric"] == metric]
        rows = rows.sort_values("bin")
        return pd.DataFrame({"value": rows["bin"].to_numpy() * self.width(metric),
                             "count": rows["count"].to_numpy()})

    def quantile(self, metric: str, q: float) -> float:
        """The smallest value with at least ``q`` of those that have one at or below it
        (NaN when nobody has a value, e.g. nobody reached SGA)."""
        return float(_quantiles(self.histogram(metric), [q])[0])

    def table(self) -> pd.DataFrame:
        """One row per metric: how many have a value, their share of the caseload, the mean among
        them and quantiles. For months, "having a value" is reaching that point at all; for dollar
        totals it is a total above $0 (the mean and quantiles still cover everyone)."""
        rows = []
        by_metric = dict(tuple(self.counts.groupby("metric", sort=False)))  # one pass over the text column
        empty = self.counts.iloc[:0]
        for metric, meaning in {**MONTH_METRICS, **DOLLAR_METRICS}.items():
            hist = self.histogram(metric, by_metric.get(metric, empty))  # every quantile reads it
            n = int(hist["count"].sum())
            having = int(self.positive[metric]) if metric in DOLLAR_METRICS else n
            row = {"metric": metric, "meaning": meaning, "beneficiaries": having,
                   "share": having / self.beneficiaries if self.beneficiaries else float("nan"),
                   "mean": self.sums[metric] / n if n else float("nan")}
            for q, value in zip(QUANTILES, _quantiles(hist, QUANTILES)):
                row[f"p{round(q * 100)}"] = float(value)
            rows.append(row)
        return pd.DataFrame(rows).set_index("metric")


def _bin_counts(bins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(bins, return_counts=True)``, by counting rather than sorting when the bins span
    a range not much longer than the list (months, and dollars in $10 bins, do)."""
    if len(bins) and bins.max() - bins.min() < 4 * len(bins) + 1024:
        low = bins.min()
        count = np.bincount(bins - low)
        present = np.flatnonzero(count)
        return present + low, count[present]
    return np.unique(bins, return_counts=True)


def _quantiles(hist: pd.DataFrame, qs) -> np.ndarray:
    """``CaseloadSummary.quantile`` for several ``qs`` from one histogram."""
    counts = hist["count"].to_numpy()
    total = int(counts.sum())
    if total == 0:
        return np.full(len(qs), np.nan)
    position = np.searchsorted(np.cumsum(counts), np.asarray(qs) * total, side="left")
    return hist["value"].to_numpy()[np.minimum(position, len(hist) - 1)].astype(float)


def compare(baseline: CaseloadSummary, reform: CaseloadSummary) -> pd.DataFrame:
    """Baseline against reform, metric by metric: share, mean and median, and the differences."""
    a, b = baseline.table(), reform.table()
    out = pd.DataFrame({"meaning": a["meaning"]})
    for column in ("share", "mean", "p50"):
        out[f"{column}_baseline"] = a[column]
        out[f"{column}_reform"] = b[column]
        out[f"{column}_change"] = b[column] - a[column]
    return out


__all__ = ["MONTH_METRICS", "DOLLAR_METRICS", "QUANTILES", "beneficiary_outcomes", "outcomes_from_grids", "outcome_values",
           "outcomes_frame", "CaseloadSummary", "compare"]

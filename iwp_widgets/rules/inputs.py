"""The engine's one front door: :class:`Inputs`, what :func:`~iwp_widgets.rules.run` reads.

A plan is a caseload of one. The same value is built from a plan (:meth:`Inputs.from_plan`) or from
a caseload in the checked form ``caseload.format.validate_caseload`` returns
(:meth:`Inputs.from_caseload`), so both reach the rules through the same fields:

    inputs = Inputs.from_plan(plan, figures)          # one beneficiary
    result = run(inputs, figures)                     # (1, T) arrays

Checking is not done here. A ``Plan`` checks itself when it is built and a caseload frame is checked
by ``validate_caseload``; both apply the one table of cross-field rules in
``iwp_widgets.profile_rules``. What is left here is turning checked fields into arrays, plus the
shape checks ``run`` makes on any value an analyst builds by hand.

Months are pandas monthly ordinals (months since 1970-01). Months of history are stored relative to
``start`` (negative = before it) or :data:`NO_MONTH`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from ..thresholds import Thresholds
from .ssdi import NO_MONTH, twp_months_in_window

BENEFIT_CODES = {"ssdi": 0, "ssi": 1, "concurrent": 2}
# Sort key by benefit code: SSDI-only rows first, then concurrent, then SSI-only. Rows in this
# order let run() apply each program's rules to a contiguous slice of rows.
PROGRAM_RANK = np.array([0, 2, 1], np.int8)
EXPENSES = ("irwe", "bwe", "subsidy", "pass")
# Caseload columns for the two months before the plan, oldest first (like the plan's lists).
EARNED_BEFORE = ("earned_2_months_before", "earned_1_month_before")
UNEARNED_BEFORE = ("unearned_2_months_before", "unearned_1_month_before")


@dataclass(frozen=True, eq=False)
class Inputs:
    """n beneficiaries over T months from one ``start`` month ("per row": a scalar or shape (n,)).

    - ``earnings``: (n, T) gross earnings (net earnings for the self-employed), ≥ 0.
    - ``benefits``: per row, "ssdi" | "ssi" | "concurrent" (or codes 0 | 1 | 2).
    - ``ssdi_monthly``, ``state_supplement``, ``unearned_income``: per row dollars.
    - ``state``: per row 2-letter codes (1619(b) thresholds); ``couple``, ``blind``, ``student``,
      ``self_employed``, ``ssi_eligible_before`` (getting SSI in the months just before ``start``),
      ``same_month``: per row bools.
    - ``birth_month``: per row month ordinals (``NO_MONTH`` if unknown).
    - ``hours``: None or (n, T) hours worked; ``irwe``, ``bwe``, ``subsidy``, ``pass_``: scalar,
      per row, or (n, T).
    - ``twp_history``: None or (n, H) bools, the TWP service months of the H months just before
      ``start`` (column H−1 is the month before start).
    - ``twp_end``, ``cessation``, ``ssi_since``: per row months relative to ``start`` of the last
      TWP month, the cessation month and the first month of the SSI payments going on before
      ``start``, or ``NO_MONTH``.
    - ``earnings_before``, ``unearned_before``: None or (n, 2) gross earnings and other unearned
      income of the two months before ``start`` (column 1 is the month before). Default: no
      earnings, and ``unearned_income``.
    """

    start: pd.Period
    earnings: np.ndarray
    benefits: object
    ssdi_monthly: object = 0.0
    state: object = "CA"
    couple: object = False
    state_supplement: object = 0.0
    unearned_income: object = 0.0
    blind: object = False
    student: object = False
    birth_month: object = NO_MONTH
    self_employed: object = False
    hours: np.ndarray | None = None
    irwe: object = 0.0
    bwe: object = 0.0
    subsidy: object = 0.0
    pass_: object = 0.0
    twp_history: np.ndarray | None = None
    twp_end: object = NO_MONTH
    cessation: object = NO_MONTH
    ssi_eligible_before: object = True
    ssi_since: object = NO_MONTH
    earnings_before: np.ndarray | None = None
    unearned_before: np.ndarray | None = None
    same_month: object = False

    def __post_init__(self):
        if not isinstance(self.start, pd.Period):
            object.__setattr__(self, "start", pd.Period(self.start, freq="M"))

    @property
    def shape(self) -> tuple[int, int]:
        """(beneficiaries, months)."""
        return np.shape(self.earnings)

    def select(self, rows: np.ndarray) -> "Inputs":
        """These rows only; month-major (Fortran-order) arrays stay month-major (one copy)."""
        picked = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, np.ndarray) or value.ndim == 0:
                continue
            if value.ndim == 2 and value.flags.f_contiguous and not value.flags.c_contiguous:
                picked[item.name] = np.take(value.T, rows, axis=1).T  # (take: 8× faster than [:, rows] here)
            else:
                picked[item.name] = value[rows]
        return replace(self, **picked)

    # --- from a plan ---------------------------------------------------------------------------
    @classmethod
    def from_plan(cls, plan, figures: Thresholds) -> "Inputs":
        """One beneficiary from a (checked) ``Plan``; ``figures`` give the TWP's 9 and 60."""
        profile, months = plan.profile, plan.months
        start = pd.Period(ordinal=_ordinal(plan.start), freq="M")
        history = end = cessation = None
        if profile.benefits != "ssi":
            used = np.array([_ordinal(m) for m in profile.twp_months_used], np.int64)
            completed = _ordinal(profile.twp_completed)
            nine = figures.value("twp_service_months", start)
            window = figures.value("twp_window_months", start)
            history, end = twp_history(np.zeros(len(used), np.int64), used, np.array([completed]),
                                       np.array([start.ordinal]), np.array([nine], np.int64),
                                       np.array([window], np.int64))
            cessation = _relative(_ordinal(profile.ssdi_cessation_month), start.ordinal)
        return cls(
            start, np.array([plan.earnings]), benefits=profile.benefits,
            ssdi_monthly=profile.ssdi_monthly, state=profile.state,
            couple=profile.ssi_unit == "couple", state_supplement=profile.state_supplement,
            unearned_income=profile.unearned_income, blind=profile.blind, student=profile.student,
            birth_month=_ordinal(profile.birth_month), self_employed=profile.self_employed,
            hours=None if plan.hours is None else np.array([plan.hours]),
            **{_attr(key): np.array([plan.work_expenses.monthly(key, months)]) for key in EXPENSES},
            twp_history=history, twp_end=NO_MONTH if end is None else end[0],
            cessation=NO_MONTH if cessation is None else cessation,
            ssi_eligible_before=profile.ssi_eligible_before,
            ssi_since=_relative(_ordinal(profile.ssi_since), start.ordinal),
            earnings_before=np.array([profile.earnings_before]),
            unearned_before=(None if profile.unearned_before is None
                             else np.array([profile.unearned_before])),
            same_month=plan.options.ssi_accounting == "same_month")

    # --- from a caseload -----------------------------------------------------------------------
    @classmethod
    def from_caseload(cls, frame: pd.DataFrame, figures: Thresholds, grouped: bool = True
                      ) -> list[tuple[np.ndarray, "Inputs"]]:
        """A checked caseload (``validate_caseload``'s form) as one ``Inputs`` per start month:
        [(input row positions, inputs)], rows grouped by program (SSDI, concurrent, SSI), which
        lets ``run`` apply each program's rules to a slice of rows; ``grouped=False`` keeps the
        input order (no copy; for callers that want the arrays in that order)."""
        n = len(frame)
        earnings = _monthly(frame, "earnings")  # month-major: the engine's layout, no copy later
        months = earnings.shape[1]
        starts = _ordinals(frame["start"])
        codes = word_codes(frame["benefits"], tuple(BENEFIT_CODES))
        unearned = frame["unearned_income"].to_numpy(float)
        before = frame[list(UNEARNED_BEFORE)].to_numpy(float)
        columns = dict(
            earnings=earnings, benefits=codes, ssdi_monthly=frame["ssdi_monthly"].to_numpy(float),
            state=_text(frame["state"]), couple=(frame["ssi_unit"] == "couple").to_numpy(bool),
            state_supplement=frame["state_supplement"].to_numpy(float), unearned_income=unearned,
            blind=frame["blind"].to_numpy(bool), student=frame["student"].to_numpy(bool),
            birth_month=_ordinals(frame["birth_month"]),
            self_employed=frame["self_employed"].to_numpy(bool),
            hours=_monthly(frame, "hours", months),
            **{_attr(key): (_monthly(frame, key, months) if f"{key}_0" in frame.columns
                            else frame[key].to_numpy(float)) for key in EXPENSES},
            ssi_eligible_before=frame["ssi_eligible_before"].to_numpy(bool),
            ssi_since=_relative(_ordinals(frame["ssi_since"]), starts),
            earnings_before=frame[list(EARNED_BEFORE)].to_numpy(float),
            unearned_before=np.where(np.isnan(before), unearned[:, None], before),
            same_month=(frame["ssi_accounting"] == "same_month").to_numpy(bool))
        takes_ssdi = codes != BENEFIT_CODES["ssi"]
        if "twp_months_used" in frame.columns:
            rows, used = listed_months(frame["twp_months_used"].to_numpy(object))
        else:  # absent: none used (validate_caseload leaves the column out then)
            rows, used = np.zeros(0, np.int64), np.zeros(0, np.int64)
        keep = takes_ssdi[rows]
        history, end = twp_history(rows[keep], used[keep], _ordinals(frame["twp_completed"]),
                                   starts, *twp_figures(starts, figures), takes_ssdi)
        cessation = _ordinals(frame["ssdi_cessation_month"])
        columns.update(twp_history=history, twp_end=end,
                       cessation=np.where(takes_ssdi, _relative(cessation, starts), NO_MONTH))
        groups = []
        unique_starts = np.unique(starts)
        for start in unique_starts:
            group = np.flatnonzero(starts == start)
            order = (np.argsort(PROGRAM_RANK[codes[group]], kind="stable") if grouped
                     else np.arange(len(group)))
            inputs = cls(pd.Period(ordinal=int(start), freq="M"), **columns)
            unchanged = len(unique_starts) == 1 and bool((order == np.arange(len(order))).all())
            groups.append((group[order], inputs if unchanged else inputs.select(group[order])))
        return groups


def twp_history(rows: np.ndarray, used: np.ndarray, completed: np.ndarray, starts: np.ndarray,
                nine: np.ndarray, window: np.ndarray, takes_ssdi: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """(TWP service flags of the window − 1 months before each start, (n, H); the month the TWP
    ended, relative to start, or NO_MONTH).

    ``rows``/``used`` are the listed service months (sorted by row, then month) and whose they are;
    ``nine``/``window`` the TWP's service and window months at each start (:func:`twp_figures`).
    With no ``completed`` month, the 9th listed month inside the window ends the TWP
    (20 CFR 404.1592(e); :func:`~iwp_widgets.rules.ssdi.twp_months_in_window`).
    """
    n = len(starts)
    ends = np.where(completed != NO_MONTH, completed - starts, NO_MONTH)
    needs = np.zeros(n, bool)
    needs[rows] = True
    if takes_ssdi is not None:
        needs |= takes_ssdi & (completed != NO_MONTH)
    if not needs.any():
        return np.zeros((n, 0), np.int8), ends.astype(np.int64)
    width = int(window[needs].max()) - 1
    history = np.zeros((n, width), np.int8)
    offset = used - starts[rows]
    inside = offset >= -(window[rows] - 1)
    history[rows[inside], width + offset[inside]] = 1
    count = twp_months_in_window(rows, used, window[rows])
    ninth = (count >= nine[rows]) & (completed[rows] == NO_MONTH)
    ninth = np.flatnonzero(ninth)
    if len(ninth):  # the first such month of each row (rows are sorted) ends its TWP
        whose = rows[ninth]
        first = ninth[np.concatenate(([True], whose[1:] != whose[:-1]))]
        ends[rows[first]] = used[first] - starts[rows[first]]
    return history, ends.astype(np.int64)


def twp_figures(starts: np.ndarray, figures: Thresholds) -> tuple[np.ndarray, np.ndarray]:
    """(TWP service months, TWP window months) in force at each start; one look-up per start."""
    unique, where = np.unique(starts, return_inverse=True)
    nine, window = np.empty(len(unique), np.int64), np.empty(len(unique), np.int64)
    for k, start in enumerate(unique):
        month = pd.Period(ordinal=int(start), freq="M")
        nine[k] = figures.value("twp_service_months", month)
        window[k] = figures.value("twp_window_months", month)
    return nine[where.reshape(-1)], window[where.reshape(-1)]


def listed_months(text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Checked month lists ("YYYY-MM YYYY-MM …" or "", one per row) flattened: (row of each
    month, its ordinal), sorted by row then month."""
    text = np.asarray([t if isinstance(t, str) else "" for t in text], dtype=object)
    counts = (np.fromiter(map(len, text), np.int64, len(text)) + 1) // 8
    if not counts.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows = np.repeat(np.arange(len(text)), counts)
    used = month_ordinals(np.array(" ".join(text[counts > 0]).split(), dtype=object))
    order = np.lexsort((used, rows))
    return rows[order], used[order]


def month_ordinals(text) -> np.ndarray:
    """Monthly ordinals of checked 'YYYY-MM' texts (None gives NO_MONTH), without pandas'
    per-string date parsing. A column repeats few months (one start for all), so each distinct
    text is read once."""
    text = np.asarray(text, dtype=object)
    out = np.full(len(text), NO_MONTH, np.int64)
    codes, distinct = pd.factorize(text)  # None and NaN: code -1
    distinct = np.asarray(distinct, dtype=object)
    given = distinct != ""
    if given.any():
        parsed = np.full(len(distinct), NO_MONTH, np.int64)
        digits = np.asarray(distinct[given], dtype="U7").view(np.uint32).reshape(-1, 7).astype(np.int64) - ord("0")
        year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
        parsed[given] = (year - 1970) * 12 + digits[:, 5] * 10 + digits[:, 6] - 1
        known = codes >= 0
        out[known] = parsed[codes[known]]
    return out


def _ordinals(column: pd.Series) -> np.ndarray:
    return month_ordinals(column.to_numpy(object))


def _ordinal(month: str | None) -> int:
    """A checked 'YYYY-MM' as a month ordinal (pd.Period is slow to build for one month)."""
    return int(NO_MONTH) if month is None else (int(month[:4]) - 1970) * 12 + int(month[5:7]) - 1


def _relative(months, starts):
    """Months relative to start, NO_MONTH kept."""
    if np.ndim(months) == 0:
        return int(NO_MONTH) if months == NO_MONTH else int(months - starts)
    return np.where(months != NO_MONTH, months - starts, NO_MONTH)


def _monthly(frame: pd.DataFrame, prefix: str, months: int | None = None) -> np.ndarray | None:
    """The ``{prefix}_0 …`` columns as (n, T), month-major in memory; None when absent. A checked
    caseload keeps its earnings as one month-major block, and this is then a view of it."""
    months = months if months is not None else sum(
        1 for c in frame.columns if isinstance(c, str) and c.startswith(prefix + "_")
        and c[len(prefix) + 1:].isdigit())
    names = [f"{prefix}_{t}" for t in range(months)]
    if not months or names[0] not in frame.columns:
        return None
    return np.asfortranarray(frame[names].to_numpy(float))


def word_codes(column: pd.Series, words: tuple[str, ...]) -> np.ndarray:
    """Each checked word's position in ``words`` (−1 for any other), as int8; Arrow text is
    looked up by Arrow, without a Python string per row."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc
        found = pc.index_in(pa.array(column), value_set=pa.array(words, pa.string()))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int8)
    return column.map(dict(zip(words, range(len(words))))).fillna(-1).to_numpy(np.int8)


def _text(column: pd.Series) -> np.ndarray:
    """Short checked text (state codes) as a numpy str array: Arrow text through its few distinct
    values, not a Python string per row."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow" and not column.hasnans:
        import pyarrow as pa
        import pyarrow.compute as pc
        encoded = pc.dictionary_encode(pa.array(column))
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        return np.asarray(encoded.dictionary.to_pylist(), dtype=str)[encoded.indices.to_numpy(zero_copy_only=False)]
    return column.to_numpy(object)


def _attr(key: str) -> str:
    return "pass_" if key == "pass" else key


__all__ = ["Inputs", "BENEFIT_CODES", "PROGRAM_RANK", "EARNED_BEFORE", "UNEARNED_BEFORE",
           "twp_history", "twp_figures", "listed_months", "month_ordinals"]

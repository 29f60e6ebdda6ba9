"""The caseload file: one row per beneficiary, as CSV or Parquet.

A caseload holds each beneficiary's profile (the plan contract's ``profile`` fields, flattened
into columns) and their earnings, given in one of two ways:

- **monthly earnings**: columns ``earnings_0``, ``earnings_1``, … ``earnings_{T-1}`` (gross
  earnings in each month from ``start``; every row has the same number of months), or
- **an earnings path**: the columns of :data:`PATH_COLUMNS` (start wage, hours, a ramp to target
  hours and wage, a yearly raise and one break in work), turned into monthly earnings by
  :func:`expand_earnings_paths` with the same arithmetic as :mod:`iwp_widgets.earnings_path`.

Every column is listed in :data:`PROFILE_COLUMNS` and :data:`PATH_COLUMNS` with its meaning;
``docs/analysts.md`` prints the same table. Optional columns that are absent take the default
shown there; a value that is present but wrong is never replaced: :func:`validate_caseload` raises
:class:`~iwp_widgets.PlanError` naming the column, the row (counted from 0, as in pandas) and the id::

    ssdi_monthly: row 12 (id 'B000012'): must be a number ≥ 0, got -5.0
"""

from __future__ import annotations

import collections
import contextlib
import difflib
import io
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic_file import atomic_writer
from ..earnings_path import HOURS_A_WEEK_LIMIT, MAX_HOURS_PER_WEEK, MAX_MONTHS, RAMPS, WEEKS_PER_MONTH
from ..errors import PlanError, shown, shown_key
from ..limits import HOURS_LIMIT, MAX_HOURLY_WAGE, MAX_HOURS, MAX_MONEY, MONEY_LIMIT, RAISE_LIMIT, WAGE_LIMIT
from ..plan import (BENEFITS, EN_PAYMENT_SYSTEMS, EXPENSE_FIELDS, P1M1_RULES, P1M4_RULES, PHASE2_BLIND_RULES,
                    SSI_ACCOUNTING, SSI_UNITS, STATES)
from ..profile_rules import Facts, broken_rules
from ..rules.inputs import listed_months, month_ordinals, word_codes
from ..rules.ssdi import NO_MONTH
from ..words import _
from .memory import PIECES_WAITING

EARNINGS_PREFIX = "earnings_"
_MONTH = r"(?!0000)\d{4}-(?:0[1-9]|1[0-2])"  # YYYY-MM (there is no year 0)
MONTH_PATTERN = re.compile(f"^{_MONTH}\\Z")  # \Z: no line break after the month either
MONTH_LIST = re.compile(f"(?:{_MONTH}(?: {_MONTH})*)?")  # months separated by one space, or none
TRUE_WORDS = {"true", "yes", "y", "1", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "f", ""}


@dataclass(frozen=True)
class Column:
    """One caseload column: its kind, whether it must be present, its default and meaning."""

    kind: str  # "text", "choice", "number", "count", "share", "flag", "month", "months"
    required: bool
    default: object
    meaning: str
    choices: tuple[str, ...] = ()


PROFILE_COLUMNS: dict[str, Column] = {
    "id": Column("text", True, None, "beneficiary identifier, unique in the file"),
    "start": Column("month", True, None, "first month of the projection (YYYY-MM); earnings_0 is this month"),
    "benefits": Column("choice", True, None, "which benefits: ssdi, ssi or concurrent (both)", BENEFITS),
    "ssdi_monthly": Column("number", False, 0.0, "SSDI check amount per month (0 for SSI only)"),
    "ssi_unit": Column("choice", False, "individual", "SSI paid to an individual or a couple", SSI_UNITS),
    "state": Column("text", False, "CA", "2-letter state code (DC included), for 1619(b) thresholds; "
                    "required when a row gets SSI"),
    "state_supplement": Column("number", False, 0.0, "federally administered state supplement per month"),
    "unearned_income": Column("number", False, 0.0, "other unearned income per month (not SSDI)"),
    "blind": Column("flag", False, False, "statutorily blind (higher SGA level, blind work expenses)"),
    "student": Column("flag", False, False, "regularly attending school (student earned income exclusion)"),
    "birth_month": Column("month", False, None, "YYYY-MM; required when student is true"),
    "self_employed": Column("flag", False, False, "self-employed (net earnings; 80-hour TWP test)"),
    "twp_months_used": Column("months", False, "",
                              "TWP service months already used, YYYY-MM separated by spaces or ';'"),
    "twp_completed": Column("month", False, None, "month the TWP already ended, if it has"),
    "ssdi_cessation_month": Column("month", False, None, "cessation month SSA already found, if any"),
    "ssi_eligible_before": Column("flag", False, True,
                                  "had a regular SSI payment in an earlier month (for 1619(a)/(b))"),
    "ssi_since": Column("month", False, None,
                        "getting SSI since this month, before start (empty: two months or more)"),
    "earned_2_months_before": Column("number", False, 0.0,
                                     "gross earnings two months before start"),
    "earned_1_month_before": Column("number", False, 0.0, "gross earnings the month before start"),
    "unearned_2_months_before": Column("number", False, None,
                                       "other unearned income two months before start "
                                       "(empty: unearned_income)"),
    "unearned_1_month_before": Column("number", False, None,
                                      "other unearned income the month before start "
                                      "(empty: unearned_income)"),
    "ssi_accounting": Column("choice", False, "retrospective",
                             "retrospective: SSI for month M is decided on M's income and paid from "
                             "the income of M, M-1 or M-2 (20 CFR 416.420); same_month: of M",
                             SSI_ACCOUNTING),
    "ticket_assigned": Column("month", False, None, "month the ticket was assigned to an EN or VR, if any"),
    "en_payment_system": Column("choice", False, "milestone_outcome", "the EN's payment system",
                                EN_PAYMENT_SYSTEMS),
    "p1m1_rule": Column("choice", False, "en_guidance",
                        "first-milestone test: en_guidance (earnings ≥ TWL) or regulation (≥ half the TWL)",
                        P1M1_RULES),
    "p1m4_rule": Column("choice", False, "regulation",
                        "fourth-milestone test: regulation (9 months within any 18-month period) or "
                        "common_window (the window must still hold them when services are complete)",
                        P1M4_RULES),
    "phase2_blind_rule": Column("choice", False, "regulation",
                                "Phase 2 SGA amount for blind people: regulation (non-blind amount) or "
                                "en_guidance (blind amount)", PHASE2_BLIND_RULES),
    "irwe": Column("number", False, 0.0, "impairment-related work expenses per month"),
    "bwe": Column("number", False, 0.0, "blind work expenses per month"),
    "subsidy": Column("number", False, 0.0, "value of an employer subsidy per month"),
    "pass": Column("number", False, 0.0, "earnings set aside under a PASS per month"),
}
# Optional per-month columns (``irwe_0`` … ``irwe_{T-1}``, like the earnings): a month-by-month
# amount instead of one amount for every month; ``hours_t`` is hours worked (self-employed test).
MONTHLY_PREFIXES = ("hours", *EXPENSE_FIELDS)

# An earnings path (instead of earnings_0..): same meaning as iwp_widgets.earnings_path.EarningsPath,
# with at most one break and a yearly raise. Months are counted from the projection start (0).
PATH_COLUMNS: dict[str, Column] = {
    "start_month": Column("count", False, 0, "month work begins (0 = the projection start)"),
    "start_hours": Column("number", True, None, "hours a week when work begins"),
    "start_wage": Column("number", True, None, "hourly wage when work begins ($)"),
    "target_month": Column("count", False, None, "month the target hours and wage are reached (empty: none)"),
    "target_hours": Column("number", False, None, "hours a week from the target month (empty: start_hours)"),
    "target_wage": Column("number", False, None, "hourly wage from the target month (empty: start_wage)"),
    "ramp": Column("choice", False, "steps", "steps: jump at the target month; linear: climb evenly to it",
                   RAMPS),
    "wage_growth": Column("share", False, 0.0,
                          "yearly raise as a fraction (0.03 = 3%), applied in months 12, 24, 36, …"),
    "break_first": Column("count", False, None, "first month of a break in work (empty: no break)"),
    "break_last": Column("count", False, None, "last month of that break (included)"),
}


def earnings_columns(frame: pd.DataFrame) -> list[str]:
    """The ``earnings_t`` columns in month order; PlanError if they are not 0..T-1 without gaps."""
    return monthly_columns(frame, "earnings")


def monthly_columns(frame: pd.DataFrame, prefix: str) -> list[str]:
    """The ``{prefix}_t`` columns in month order; PlanError if they are not 0..T-1 without gaps."""
    found = {}
    for column in frame.columns:
        if isinstance(column, str) and column.startswith(prefix + "_"):
            suffix = column[len(prefix) + 1:]
            if not suffix.isdigit():
                raise PlanError(f"{column}: " + _("monthly columns are named {prefix}_0, {prefix}_1, …").format(prefix=prefix))
            found[int(suffix)] = column
    if not found:
        return []
    expected = list(range(len(found)))
    if sorted(found) != expected:
        missing = sorted(set(range(max(found) + 1)) - set(found))
        raise PlanError(f"{prefix}_{missing[0]}: " + _("missing (columns must run from {prefix}_0 to {prefix}_{last} "
                                                       "without gaps)").format(prefix=prefix, last=max(found)))
    if len(found) > MAX_MONTHS:
        raise PlanError(f"{prefix}_{MAX_MONTHS}: " + _("at most {most} months, got {count}").format(
            most=MAX_MONTHS, count=len(found)))
    return [found[i] for i in expected]


def _where(frame: pd.DataFrame, position: int) -> str:
    ident = frame["id"].iloc[position] if "id" in frame.columns else None
    row = _("row {position}").format(position=position)
    return row if ident is None else _("{row} (id {ident})").format(row=row, ident=shown(ident))


def _fail(frame: pd.DataFrame, column: str, bad: np.ndarray, what: str, values) -> None:
    """Raise for the first True in ``bad``, naming the column, row and offending value."""
    position = int(np.argmax(bad))
    raise PlanError(_("{where}: {what}, got {value}").format(where=_where(frame, position), what=what,
                                                             value=shown(values[position])), field=column)


def _limit(column: str) -> tuple[float, str]:
    """The largest value a number column may hold, and how a message says it: the limits of a plan
    (``iwp_widgets/limits.py``) — money a month, hours a week or a month, an hourly wage, a raise."""
    prefix = column.rpartition("_")[0] if column.rpartition("_")[2].isdigit() else None
    if prefix == "hours":
        return MAX_HOURS, HOURS_LIMIT
    if column.endswith("_hours"):
        return MAX_HOURS_PER_WEEK, HOURS_A_WEEK_LIMIT
    if column.endswith("_wage"):
        return MAX_HOURLY_WAGE, WAGE_LIMIT
    if column == "wage_growth":
        return 1.0, RAISE_LIMIT
    return MAX_MONEY, MONEY_LIMIT


def _numbers(frame: pd.DataFrame, column: str, nullable: bool, whole: bool = False) -> pd.Series:
    raw = frame[column]
    if raw.dtype == np.float64:  # numbers already (a generated caseload, Parquet): one look when all is well
        array = raw.to_numpy()
        if whole:
            fine = (array >= 0) & (array == np.floor(array)) & (array < np.inf)
        else:
            fine = (array >= 0) & (array <= _limit(column)[0])
        if nullable:
            fine |= np.isnan(array)
        if fine.all():
            return raw
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    missing = raw.isna().to_numpy()
    array = values.to_numpy()
    bad = ~np.isfinite(array) & ~(missing & nullable)
    bad |= np.isfinite(array) & (array < 0)
    if bad.any():
        _fail(frame, column, bad, _("must be a whole number ≥ 0") if whole else _("must be a number ≥ 0"),
              raw.to_numpy())
    if whole:
        fractional = np.isfinite(array) & (array != np.floor(array))
        if fractional.any():
            _fail(frame, column, fractional, _("must be a whole number ≥ 0"), raw.to_numpy())
    else:
        upper, words = _limit(column)
        over = np.isfinite(array) & (array > upper)
        if over.any():
            _fail(frame, column, over, _("must be at most {limit}").format(limit=words), raw.to_numpy())
    return values


def _flags(frame: pd.DataFrame, column: str) -> pd.Series:
    raw = frame[column]
    if raw.dtype == bool:
        return raw
    words = raw.astype(str).str.strip().str.lower()
    words = words.where(raw.notna(), "")
    known = words.isin(TRUE_WORDS | FALSE_WORDS).to_numpy()
    if not known.all():
        _fail(frame, column, ~known, _("must be true or false"), raw.to_numpy())
    return words.isin(TRUE_WORDS)


def _months(frame: pd.DataFrame, column: str, nullable: bool, ordinals: dict | None = None) -> pd.Series:
    raw = frame[column]
    # A month column repeats few months (one start for all): each distinct value is read once.
    codes, distinct = pd.factorize(raw)
    values = np.asarray(distinct, dtype=object)
    # Values that are already months as written (nearly all) are found by Arrow at once; only the
    # others (padded, wrong) go through Python one by one.
    text = values.copy()
    rest = np.flatnonzero(~_written_months(values))
    text[rest] = [str(value).strip() for value in values[rest]]
    empty = np.zeros(len(text), dtype=bool)
    empty[rest] = text[rest] == ""
    ok = np.ones(len(text), dtype=bool)
    ok[rest] = is_month(text[rest]) | (empty[rest] & nullable)
    ok = np.append(ok, nullable)[codes]  # code −1: an empty cell
    if not ok.all():
        _fail(frame, column, ~ok, _("must be a month written YYYY-MM"), raw.to_numpy())
    months = np.append(np.where(empty, None, text), None)
    if ordinals is not None:  # the months as ordinals too, for the rules (read from the few distinct ones)
        ordinals[column] = month_ordinals(months)[np.where(codes < 0, len(months) - 1, codes)]
    return _repeated(months, codes, frame.index, text=False)


def _repeated(values: np.ndarray, codes: np.ndarray, index: pd.Index, text: bool) -> pd.Series:
    """``values[codes]`` as a Series (code −1 takes the last value): the distinct values of a
    column put back in its rows; ``text``: as pandas' text type (``str``), else Python objects."""
    codes = np.where(codes < 0, len(values) - 1, codes)
    if text:
        import pyarrow as pa
        picked = pa.array(list(values), pa.large_string()).take(pa.array(codes))
        return pd.Series(pd.array(picked, dtype="str"), index=index, copy=False)
    return pd.Series(values[codes], index=index, dtype=object)


def _written_months(values: np.ndarray) -> np.ndarray:
    """Which cells are text holding exactly a month YYYY-MM (what ``is_month`` accepts, with nothing
    around it); all False when the cells are not all text (then Python looks at each)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(values, type=pa.string(), from_pandas=True) if isinstance(values, np.ndarray) else pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, UnicodeError):
        return np.zeros(len(values), dtype=bool)
    found = pc.and_(pc.match_substring_regex(text, "^[0-9]{4}-(0[1-9]|1[0-2])$"),
                    pc.invert(pc.starts_with(text, "0000")))
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def is_month(text: np.ndarray) -> np.ndarray:
    """Which texts (str) are months written YYYY-MM (ASCII digits, month 01-12, no year 0000):
    the pattern MONTH_PATTERN, checked for a whole column at once."""
    text = np.asarray(text, dtype=object)
    ok = np.fromiter(map(len, text), np.int64, len(text)) == 7  # texts only
    if ok.any():
        codes = np.asarray(text[ok], dtype="U7").view(np.uint32).reshape(-1, 7).astype(np.int64)
        digits = codes[:, [0, 1, 2, 3, 5, 6]] - ord("0")
        good = ((digits >= 0) & (digits <= 9)).all(axis=1) & (codes[:, 4] == ord("-"))
        month = digits[:, 4] * 10 + digits[:, 5]
        year = digits[:, :4] @ np.array([1000, 100, 10, 1])
        ok[ok] = good & (month >= 1) & (month <= 12) & (year > 0)
    return ok


def _money_block(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """(rows × columns) amounts ≥ 0 and within the money limit; checked all at once when every
    column is numeric and fine, else column by column (the message names the first bad one)."""
    block = frame[columns]
    if all(kind.kind in "fiu" for kind in block.dtypes):
        values = block.to_numpy(dtype=float)
        if (np.isfinite(values) & (values >= 0) & (values <= MAX_MONEY)).all():
            return values
    return np.column_stack([_numbers(frame, c, nullable=False).to_numpy() for c in columns])


def _month_lists(frame: pd.DataFrame, column: str) -> pd.Series:
    raw = frame[column]
    # One space between months, whatever the file used (spaces, ';', both), then one pattern for all.
    text = raw.astype(str).where(raw.notna(), "").str.replace(r"[\s;]+", " ", regex=True).str.strip()
    ok = text.str.fullmatch(MONTH_LIST).to_numpy(dtype=bool)
    if not ok.all():
        _fail(frame, column, ~ok, _("must be months written YYYY-MM separated by spaces or ';'"),
              raw.to_numpy())
    return text.astype(object)


def _check_column(frame: pd.DataFrame, name: str, spec: Column, ordinals: dict | None = None) -> pd.Series:
    if spec.kind == "text":
        raw = frame[name]
        text = raw.astype(str).str.strip()  # once: millions of ids are slow to convert twice
        empty = (raw.isna() | (text == "")).to_numpy()
        if empty.any():
            _fail(frame, name, empty, _("must not be empty"), raw.to_numpy())
        return text
    if spec.kind == "choice":
        raw = frame[name]
        # A column of choices repeats a few words: each distinct value is read once.
        codes, distinct = pd.factorize(raw)
        words = pd.Series(distinct).astype(str).str.strip().str.lower()
        if spec.default is not None:
            words = words.where(words != "", spec.default)
        ok = words.isin(spec.choices).to_numpy(dtype=bool)
        ok = np.append(ok, spec.default is not None)[codes]  # code −1: an empty cell
        if not ok.all():
            _fail(frame, name, ~ok, _("must be one of {choices}").format(choices=", ".join(spec.choices)),
                  raw.to_numpy())
        fill = spec.default if spec.default is not None else ""  # no default: an empty cell failed above
        return _repeated(np.append(words.to_numpy(dtype=object), fill), codes, frame.index, text=True)
    if spec.kind == "number":
        return _numbers(frame, name, nullable=not spec.required and spec.default is None)
    if spec.kind == "count":
        return _numbers(frame, name, nullable=spec.default is None, whole=True)
    if spec.kind == "share":
        return _numbers(frame, name, nullable=False)
    if spec.kind == "flag":
        return _flags(frame, name)
    if spec.kind == "month":
        return _months(frame, name, nullable=not spec.required, ordinals=ordinals)
    if spec.kind == "months":
        return _month_lists(frame, name)
    raise AssertionError(f"unknown column kind {spec.kind}")


def _checked(frame: pd.DataFrame, columns: dict[str, Column], ordinals: dict | None = None) -> dict[str, pd.Series]:
    """The columns in checked form (defaults for those absent); ``ordinals`` gets the month columns
    as monthly ordinals (NO_MONTH for none)."""
    out = {}
    for name, spec in columns.items():
        if name not in frame.columns:
            if spec.required:
                raise PlanError(f"{name}: " + _("required column is missing (columns found: {found})").format(
                    found=", ".join(map(str, frame.columns[:12])) + (" …" if frame.shape[1] > 12 else "")))
            if spec.default is None:
                out[name] = pd.Series(np.full(len(frame), None, dtype=object), index=frame.index, copy=False)
                if spec.kind == "month" and ordinals is not None:
                    ordinals[name] = np.full(len(frame), NO_MONTH, np.int64)
            else:
                out[name] = pd.Series(spec.default, index=frame.index)
            continue
        out[name] = _check_column(frame, name, spec, ordinals)
    return out


def _known_column(column) -> bool:
    if column in PROFILE_COLUMNS or column in PATH_COLUMNS:
        return True
    prefix, _, suffix = str(column).rpartition("_")
    return suffix.isdigit() and prefix in ("earnings", *MONTHLY_PREFIXES)


def validate_caseload(frame: pd.DataFrame, months: int | None = None, *,
                      allow_extra: bool = False) -> pd.DataFrame:
    """Check a caseload and return it in the engine's form.

    The result has every profile column (defaults filled in for absent optional ones) and monthly
    ``earnings_0..`` columns; a caseload given as earnings paths is expanded to ``months`` months
    (required then). Raises PlanError naming the first bad column and row. A column this format
    does not know is an error (a misspelt ``blnd`` must not silently become "not blind") unless
    ``allow_extra``, which keeps such columns as they are (the engine ignores them).
    """
    if not isinstance(frame, pd.DataFrame):
        raise PlanError("caseload: " + _("must be a pandas DataFrame, got {kind}").format(kind=type(frame).__name__))
    if len(frame) == 0:
        raise PlanError("caseload: " + _("has no rows"))
    frame = frame.reset_index(drop=True)
    twice = frame.columns[frame.columns.duplicated()]
    if len(twice):
        raise PlanError(f"{shown_key(twice[0])}: " + _("the column appears more than once; keep one"))
    extra = [c for c in frame.columns if not _known_column(c)]
    if extra and not allow_extra:
        known = [*PROFILE_COLUMNS, *PATH_COLUMNS, "earnings_0"]
        close = difflib.get_close_matches(str(extra[0]), known, n=1)
        hint = _(" (did you mean {name}?)").format(name=repr(close[0])) if close else ""
        raise PlanError(f"{shown_key(extra[0])}: " + _(
            "unknown column{hint}; the caseload columns are in docs/analysts.md (allow_extra=True keeps "
            "other columns)").format(hint=hint))
    ordinals: dict[str, np.ndarray] = {}
    profile = _checked(frame, PROFILE_COLUMNS, ordinals)
    if "state" not in frame.columns and (profile["benefits"] != "ssdi").any():
        raise PlanError("state: " + _("required column is missing (rows that get SSI need a state, "
                                      "for the 1619(b) thresholds)"))
    if not _unique(profile["id"]):
        duplicated = profile["id"].duplicated().to_numpy()
        _fail(frame, "id", duplicated, _("must be unique; this id appears earlier"), profile["id"].to_numpy())
    states = profile["state"].str.upper()
    bad_state = ~states.isin(STATES).to_numpy(dtype=bool)
    if bad_state.any():
        _fail(frame, "state", bad_state, _("must be a 2-letter state code (50 states and DC)"), profile["state"].to_numpy())
    profile["state"] = states

    earnings = earnings_columns(frame)
    path_given = [c for c in PATH_COLUMNS if c in frame.columns]
    if earnings and path_given:
        raise PlanError(f"{path_given[0]}: " + _("give monthly earnings_0.. columns or an earnings path, not both"))
    if earnings:
        if months is not None and months != len(earnings):
            raise PlanError("months: " + _("the file has {count} months of earnings, asked for {months}").format(
                count=len(earnings), months=months))
        values = _money_block(frame, earnings)
    elif path_given:
        if months is None:
            raise PlanError("months: " + _("an earnings-path caseload needs the number of months to project"))
        values = expand_earnings_paths(frame, months)
    else:
        raise PlanError(f"{EARNINGS_PREFIX}0: " + _("no earnings given: add earnings_0.. columns or the "
                                                    "earnings-path columns ({columns})").format(
            columns=", ".join(PATH_COLUMNS)))
    per_month = {}  # prefix -> (beneficiaries × months) amounts, for the per-month columns given
    for prefix in MONTHLY_PREFIXES:
        columns = monthly_columns(frame, prefix)
        if not columns:
            continue
        if len(columns) < values.shape[1]:  # name the first month missing
            raise PlanError(f"{prefix}_{len(columns)}: " + _("missing ({count} months of {prefix}, but {months} of "
                                                             "earnings)").format(
                count=len(columns), prefix=prefix, months=values.shape[1]))
        if len(columns) > values.shape[1]:
            raise PlanError(f"{prefix}_{values.shape[1]}: " + _("{count} months of {prefix}, but {months} of "
                                                                "earnings").format(
                count=len(columns), prefix=prefix, months=values.shape[1]))
        if prefix in frame.columns:
            raise PlanError(f"{prefix}: " + _("give one amount ({prefix}) or one per month ({prefix}_0 …), not "
                                               "both").format(prefix=prefix))
        per_month[prefix] = pd.DataFrame({c: _numbers(frame, c, nullable=False) for c in columns})
    _check_rules(frame, profile, per_month, ordinals)

    out = pd.DataFrame(profile)
    if "twp_months_used" not in frame.columns:
        # Absent means none used; leaving the column out spares the engine a per-row loop over it.
        out = out.drop(columns="twp_months_used")
    out = out.drop(columns=[p for p in per_month if p in out.columns])
    # Expanded earnings are this function's own array: the frame holds it as it is (month-major, the
    # engine's layout), not a copy. Earnings read from the frame are copied, never shared with it.
    monthly = [pd.DataFrame(values, columns=[f"{EARNINGS_PREFIX}{t}" for t in range(values.shape[1])],
                            copy=bool(earnings)),
               *per_month.values()]
    return pd.concat([out, *monthly, frame[extra]], axis=1)


def _unique(values: pd.Series) -> bool:
    """Whether no value repeats (Arrow counts text ids without a Python string each)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        import pyarrow as pa
        return len(pa.array(values).unique()) == len(values)
    return values.is_unique


def _twp_months(profile: dict[str, pd.Series], given: bool) -> tuple[np.ndarray, np.ndarray]:
    """The listed TWP months flattened: (row of each, its month ordinal), sorted by row then month."""
    if not given:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return listed_months(profile["twp_months_used"].to_numpy())  # checked: "YYYY-MM YYYY-MM …" or ""


def _check_rules(frame: pd.DataFrame, profile: dict[str, pd.Series], per_month: dict[str, pd.DataFrame],
                 ordinals: dict[str, np.ndarray] | None = None) -> None:
    """The plan model's cross-field rules (``iwp_widgets.profile_rules``), for every row at once
    (``ordinals``: month columns already read as ordinals)."""
    ordinals = ordinals or {}

    def months(name: str) -> np.ndarray:
        return ordinals[name] if name in ordinals else month_ordinals(profile[name].to_numpy())

    expenses, first_month = {}, {}
    for key in EXPENSE_FIELDS:
        if key in per_month:
            above = per_month[key].to_numpy() > 0
            expenses[key], first_month[key] = above.any(axis=1), above.argmax(axis=1)
        else:
            expenses[key] = profile[key].to_numpy(dtype=float) > 0
    twp_rows, twp_used = _twp_months(profile, "twp_months_used" in frame.columns)
    facts = Facts(
        benefits=np.asarray(BENEFITS, dtype="U10")[word_codes(profile["benefits"], BENEFITS)],
        start=months("start"),
        ssdi_monthly=profile["ssdi_monthly"].to_numpy(dtype=float),
        state_supplement=profile["state_supplement"].to_numpy(dtype=float),
        blind=profile["blind"].to_numpy(dtype=bool), student=profile["student"].to_numpy(dtype=bool),
        birth_month=months("birth_month"), twp_completed=months("twp_completed"),
        ssdi_cessation_month=months("ssdi_cessation_month"),
        ssi_eligible_before=profile["ssi_eligible_before"].to_numpy(dtype=bool),
        ssi_since=months("ssi_since"),
        expenses=expenses, twp_rows=twp_rows, twp_used=twp_used)
    for rule, bad in broken_rules(facts):
        row = int(np.argmax(bad))
        reason = _(rule.reason).format(**facts.context(row, rule.reason))
        column, values = rule.field, profile[rule.field].to_numpy()
        if rule.field in first_month:  # a per-month amount: name the first month above $0
            column = f"{rule.field}_{first_month[rule.field][row]}"
            values = per_month[rule.field][column].to_numpy()
        _fail(frame, column, bad, reason, values)


def expand_earnings_paths(frame: pd.DataFrame, months: int) -> np.ndarray:
    """Monthly gross earnings (beneficiaries × months) from the earnings-path columns.

    Vectorised version of :class:`iwp_widgets.earnings_path.EarningsPath` (start, optional target
    with a step or linear ramp, one break) plus a yearly raise: in month t the wage is multiplied by
    ``(1 + wage_growth) ** (t // 12)``. Rounded to cents like ``EarningsPath.earnings()``.
    """
    if not isinstance(months, (int, np.integer)) or isinstance(months, bool) or not 1 <= months <= MAX_MONTHS:
        raise PlanError("months: " + _("must be a whole number from 1 to {most}, got {value}").format(
            most=MAX_MONTHS, value=shown(months)))
    frame = frame.reset_index(drop=True)
    p = _checked(frame, PATH_COLUMNS)
    start = p["start_month"].to_numpy(dtype=float)
    target = p["target_month"].to_numpy(dtype=float)
    has_target = np.isfinite(target)
    start_hours = p["start_hours"].to_numpy(dtype=float)
    start_wage = p["start_wage"].to_numpy(dtype=float)
    target_hours = np.where(np.isnan(p["target_hours"].to_numpy(dtype=float)), start_hours,
                            p["target_hours"].to_numpy(dtype=float))
    target_wage = np.where(np.isnan(p["target_wage"].to_numpy(dtype=float)), start_wage,
                           p["target_wage"].to_numpy(dtype=float))
    break_first = p["break_first"].to_numpy(dtype=float)
    break_last = p["break_last"].to_numpy(dtype=float)

    for name, values in (("start_month", start), ("target_month", np.where(has_target, target, 0)),
                         ("break_first", np.nan_to_num(break_first)), ("break_last", np.nan_to_num(break_last))):
        beyond = values >= months
        if beyond.any():
            _fail(frame, name, beyond, _("must be a month number from 0 to {last}").format(last=months - 1), values)
    early_target = has_target & (target <= start)
    if early_target.any():
        _fail(frame, "target_month", early_target, _("must come after start_month"), target)
    half_break = np.isnan(break_first) != np.isnan(break_last)
    if half_break.any():
        _fail(frame, "break_last", half_break, _("break_first and break_last must be given together"), break_last)
    backwards = break_last < break_first
    if backwards.any():
        _fail(frame, "break_last", backwards, _("must not come before break_first"), break_last)

    # Month-major (months × beneficiaries in memory, Fortran order as (beneficiaries × months)):
    # the engine's layout, and a DataFrame built from it holds this very block. Worked out a block
    # of rows at a time so the temporaries stay in the processor's cache; the operations and their
    # order are those of EarningsPath, so every cent comes out the same.
    earnings = np.empty((len(frame), months), order="F")
    columns = dict(start=start, target=target, has_target=has_target, start_hours=start_hours,
                   start_wage=start_wage, target_hours=target_hours, target_wage=target_wage,
                   break_first=break_first, break_last=break_last,
                   linear=(p["ramp"] == "linear").to_numpy(dtype=bool), growth=1.0 + p["wage_growth"].to_numpy(dtype=float))
    for first in range(0, len(frame), _EXPAND_ROWS):
        rows = slice(first, first + _EXPAND_ROWS)
        block = earnings.T[:, rows]
        _expand_block(block, **{name: values[rows] for name, values in columns.items()})
        over = block > MAX_MONEY  # a yearly raise compounds past any hourly limit
        if over.any():
            row = first + int(np.argmax(over.any(axis=0)))
            month = int(np.argmax(earnings[row] > MAX_MONEY))
            _fail(frame, f"{EARNINGS_PREFIX}{month}", np.arange(len(frame)) == row,
                  _("the earnings path reaches more than {limit} in month {month}").format(
                      limit=MONEY_LIMIT, month=month), earnings[:, month])
    return earnings


_EXPAND_ROWS = 16384  # beneficiaries per block: a year's (12 × block) temporary of 1.5 MiB at most


def _expand_block(out: np.ndarray, *, start, target, has_target, start_hours, start_wage, target_hours,
                  target_wage, break_first, break_last, linear, growth) -> None:
    """Monthly earnings of a block of rows into ``out`` (months × rows), as EarningsPath works them out.

    Hours and wage move from their start to their target values by a share of the way: 0 before
    the target month, 1 from it on, and in between a fraction only on a linear ramp. So each
    beneficiary has just two amounts a year (at share 0 and share 1), worked out once with the very
    operations of EarningsPath, and only the months inside a linear ramp are worked out one by one.
    """
    months = out.shape[0]
    t = np.arange(months, dtype=float)[:, None]
    raises = [growth ** float(year) for year in range(-(-months // 12))]  # (1 + growth) ** year

    span = np.where(has_target, target - start, 1.0)
    switch = np.where(has_target, target, np.inf)  # share 1 from this month on
    base = {share: _hours_times_wage(np.full(len(start), share), start_hours, start_wage, target_hours,
                                     target_wage) for share in (0.0, 1.0)}
    for year, first in enumerate(range(0, months, 12)):
        block = slice(first, first + 12)
        low, high = (np.round(base[share] * raises[year] * WEEKS_PER_MONTH, 2) for share in (0.0, 1.0))
        _choose(t[block] >= switch, high, low, out[block])
    # Months inside a linear ramp (after its start, before its target): a share between 0 and 1.
    ramped = linear & has_target
    row, month = _month_runs(start[ramped] + 1, target[ramped] - start[ramped] - 1)
    if len(row):
        row = np.flatnonzero(ramped)[row]
        share = np.subtract(month.astype(float), start[row])
        share /= span[row]
        np.clip(share, 0.0, 1.0, out=share)
        values = _hours_times_wage(share, start_hours[row], start_wage[row], target_hours[row], target_wage[row])
        values *= np.stack(raises)[month // 12, row]
        values *= WEEKS_PER_MONTH
        out[month, row] = np.round(values, 2)
    # No work before the start month nor during the break.
    broke = np.flatnonzero(~np.isnan(break_first))
    for rows, (first, count) in ((slice(None), (np.zeros(len(start)), start)),
                                 (broke, (break_first[broke], break_last[broke] - break_first[broke] + 1))):
        row, month = _month_runs(first, count)
        out[month, np.arange(len(start))[rows][row]] = 0.0


def _month_runs(first: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, month) of ``count[r]`` months from month ``first[r]``, for every row r (whole numbers
    held as floats)."""
    count = count.astype(np.int64)
    row = np.repeat(np.arange(len(count)), count)
    month = np.repeat(first.astype(np.int64) - (np.cumsum(count) - count), count)
    month += np.arange(len(row))
    return row, month


def _choose(condition: np.ndarray, yes: np.ndarray, no: np.ndarray, out: np.ndarray) -> None:
    """``out[...] = np.where(condition, yes, no)`` for float rows ``yes``/``no`` broadcast down
    the months, by bits (numpy's ``where`` with broadcast rows is twice as slow): the same numbers."""
    mask = condition.view(np.int8).astype(np.int64)
    np.negative(mask, out=mask)  # all ones where chosen
    mask &= yes.view(np.int64) ^ no.view(np.int64)
    mask ^= no.view(np.int64)
    out[...] = mask.view(np.float64)


def _hours_times_wage(share, start_hours, start_wage, target_hours, target_wage) -> np.ndarray:
    """Hours a week times the hourly wage at ``share`` of the way from start to target."""
    hours = share * (target_hours - start_hours)
    hours += start_hours
    wage = share * (target_wage - start_wage)
    wage += start_wage
    hours *= wage
    return hours


# --- files ----------------------------------------------------------------------------------

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def file_format(path: str | os.PathLike) -> str:
    """'csv' or 'parquet' from the file name (``.csv``, ``.csv.gz``, ``.parquet``, ``.pq``)."""
    name = Path(path).name.lower()
    for suffix, kind in FORMATS.items():
        if name.endswith(suffix) or name.endswith(suffix + ".gz"):
            return kind
    raise PlanError("path: " + _("{path} must end in .csv, .csv.gz, .parquet or .pq").format(
        path=repr(os.fspath(path))))


def _arrow_errors() -> type[Exception]:
    from pyarrow import ArrowException
    return ArrowException


def read_caseload(path: str | os.PathLike, months: int | None = None, *, allow_extra: bool = False) -> pd.DataFrame:
    """Read and validate a caseload file (CSV or Parquet)."""
    kind = file_format(path)
    if not Path(path).is_file():
        raise PlanError("path: " + _("no caseload file at {path}").format(path=repr(os.fspath(path))))
    try:
        if kind == "csv":
            # Keep text as text: ids like 007 and months like 2026-01 must not turn into numbers.
            frame = pd.read_csv(path, dtype={c: str for c, s in PROFILE_COLUMNS.items()
                                             if s.kind in ("text", "month", "months", "choice")})
        else:
            frame = pd.read_parquet(path)
    # A damaged file fails in many ways: OSError, ValueError (bad text, a parser error, bad Parquet),
    # EOFError and zlib.error (cut or damaged .gz), an Arrow error (a Parquet type pandas cannot hold).
    except (OSError, ValueError, EOFError, zlib.error, MemoryError, _arrow_errors()) as exc:
        reason = " ".join(str(exc).split())
        reason = reason if len(reason) <= 200 else reason[:199] + "…"
        raise PlanError("path: " + _("cannot read {path} as {kind}: {reason}").format(
            path=repr(os.fspath(path)), kind=kind, reason=reason or type(exc).__name__)) from None
    return validate_caseload(frame, months=months, allow_extra=allow_extra)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Periods as YYYY-MM text and a named index as a column, for files and spreadsheets."""
    out = frame
    periods = [c for c in out.columns if isinstance(out[c].dtype, pd.PeriodDtype)]
    if periods:
        out = out.assign(**{c: _period_text(out[c]) for c in periods})
    if isinstance(out.index, pd.PeriodIndex) or out.index.name is not None:
        out = out.reset_index()
    return out


def _period_text(periods: pd.Series) -> pd.Series:
    """``periods.astype(str)``, formatting each distinct month once: a monthly table repeats its few
    months over millions of rows, and formatting every row was the slowest step of writing it."""
    import pyarrow as pa

    ordinals = periods.array.asi8
    first = ordinals.min(initial=0)
    if len(ordinals) and not periods.isna().any() and ordinals.max() - first < 100_000:
        codes, ordinals = ordinals - first, np.arange(first, ordinals.max() + 1)  # months in a range
    else:
        codes, ordinals = pd.factorize(ordinals)  # a missing month is one more ordinal (NaT)
    months = pd.PeriodIndex.from_ordinals(ordinals, freq=periods.dtype.freq)
    text = pa.array(months.astype(str).to_numpy(dtype=object, na_value=None), pa.large_string())
    return pd.Series(pd.array(text.take(pa.array(codes)), dtype="str"), index=periods.index,
                     name=periods.name)


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): an id or a label such as =HYPERLINK(...) from a caseload file must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = re.compile(r"[=+\-@\t\r]")
# ... but a plain number written as text (-5, +2.5, 1e3) is read as that number, never run.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _neutral(text: pd.Series) -> pd.Series:
    """Text cells a spreadsheet would run as formulas, with an apostrophe in front (the spreadsheet
    convention for "this is text"; it shows the cell as written). Other cells and non-text values
    (numbers, empty cells) are left as they are."""
    risky = text.str.match(_FORMULA_START).fillna(False).astype(bool)
    if risky.any():
        risky &= ~text[risky].str.fullmatch(_PLAIN_NUMBER).fillna(False).astype(bool).reindex(
            text.index, fill_value=False)
        text = text.where(~risky, "'" + text.astype(object))
    return text


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` ready for a CSV a spreadsheet may open: every text cell and column name that
    starts with ``= + - @``, a tab or a carriage return gets an apostrophe in front. Number, true/false
    and date columns are untouched, so a negative amount stays a number."""
    changed = {}
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            categories = values.cat.categories
            if categories.dtype == object or pd.api.types.is_string_dtype(categories.dtype):
                safe = _neutral(pd.Series(categories, dtype=object))
                if not safe.equals(pd.Series(categories, dtype=object)):
                    changed[position] = values.cat.rename_categories(list(safe))
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            safe = _neutral(values)
            if safe is not values:
                changed[position] = safe
    names = [_neutral(pd.Series([c], dtype=object)).iloc[0] if isinstance(c, str) else c for c in frame.columns]
    if not changed and names == list(frame.columns):
        return frame
    out = frame.copy(deep=False)
    for position, values in changed.items():
        out.isetitem(position, values)
    out.columns = names
    return out


class TableWriter:
    """Write a table in pieces to one CSV or Parquet file (chosen by the file name).

    Rows go to a temporary file next to the final name, synced to the disk and renamed into place
    only when the ``with`` block ends without an error (:func:`~iwp_widgets.atomic_file.atomic_writer`):
    a failed run or a crash leaves no half-written file. Every piece must have the same columns.
    A new file is readable by its owner only (results hold benefit details; a replaced file keeps
    its permissions, as plan files do). CSV cells that a spreadsheet would run as formulas are
    written as text (:func:`formula_safe`).

        with TableWriter("results.parquet") as out:
            for piece in pieces:
                out.write(piece)
    """

    def __init__(self, path: str | os.PathLike):
        self.kind = file_format(path)
        self.path = Path(path)
        self._replacing = contextlib.ExitStack()  # holds the atomic writer once the first piece comes
        self.rows = 0
        self._parquet = None
        self._sink = None  # the Parquet writer's buffer in front of the file: few, large writes
        self._thread = None  # the thread writing Parquet pieces
        self._pending = collections.deque()  # the pieces it has to write (futures), oldest first
        self._csv = None

    def _open(self):
        return self._replacing.enter_context(atomic_writer(self.path))

    def write(self, frame) -> None:
        """Add a piece: a pandas frame, or an Arrow table (``simulation.monthly_table``) of the
        columns the frame would have after ``_plain``; for Parquet also a function that makes
        such a table, which the writer's thread calls when it has nothing else to do (the
        caller calls it otherwise). ``rows`` counts the rows written: all of them once the
        ``with`` block has ended."""
        if callable(frame) and self.kind != "parquet":
            frame = frame()
        if callable(frame) or type(frame).__module__.startswith("pyarrow"):
            if self.kind == "parquet":
                self._write_parquet(frame)
                return
            frame = frame.to_pandas()
        out = _plain(frame)
        if self.kind == "csv":
            first = self._csv is None
            if first:
                import gzip
                raw = self._open()
                self._csv = (gzip.open(raw, "wt", newline="", encoding="utf-8") if self.path.name.endswith(".gz")
                             else io.TextIOWrapper(raw, newline="", encoding="utf-8"))
            # Lines end in CRLF (RFC 4180), so a cell holding a carriage return is quoted: a bare CR
            # inside a cell would start a new row, one a spreadsheet could read as a formula.
            formula_safe(out).to_csv(self._csv, index=False, header=first, lineterminator="\r\n")
        else:
            import pyarrow as pa
            self._write_parquet(pa.Table.from_pandas(out, preserve_index=False, nthreads=1))
            return
        self.rows += len(out)

    def _write_parquet(self, piece) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq
        # A piece still to be made is made here unless the writer's thread would otherwise wait
        # (the file's first piece sets its schema, so it is made here too).
        if callable(piece) and (self._parquet is None or not all(job.done() for job in self._pending)):
            piece = piece()
        if self._parquet is None:
            table = piece
            # Dictionaries for the text and whole-number columns that repeat (months, statuses, the
            # ids of a monthly table), judged on the first piece; statistics for the whole-number
            # and status columns. For dollar columns both took a third of the writing time, and
            # text statistics (every row group holds every month, and a run of ids) were the
            # slowest part of writing what is left.
            keyed = [f.name for f in table.schema
                     if not (pa.types.is_floating(f.type) or pa.types.is_boolean(f.type))]
            text = [name for name in keyed if pa.types.is_string(table.schema.field(name).type)
                    or pa.types.is_large_string(table.schema.field(name).type)]
            self._sink = pa.BufferedOutputStream(pa.PythonFile(self._open(), mode="w"), buffer_size=1 << 22)
            self._parquet = pq.ParquetWriter(
                self._sink, table.schema, use_dictionary=[name for name in keyed if name not in text
                                                          or _repeats(table.column(name))],
                write_statistics=[name for name in keyed if name not in text],
                write_batch_size=1 << 16)  # values encoded at a time: 1,024 by default, 5 % slower
        # Arrow encodes and compresses a piece without holding Python's lock, so it writes the
        # pieces, in order, on a thread of its own while the caller makes the next ones; a few may
        # wait (the caller's work comes in bursts: an engine run, then its pieces). Each waiting
        # piece holds memory, and an error is raised by the next piece that has to wait.
        if self._thread is None:
            from concurrent.futures import ThreadPoolExecutor
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")
        while len(self._pending) >= PIECES_WAITING:
            self._pending.popleft().result()
        self._pending.append(self._thread.submit(self._write_piece, piece))

    def _write_piece(self, piece) -> None:
        """On the writer's thread (``rows`` is counted only there): one piece into the file."""
        table = piece() if callable(piece) else piece
        if not table.schema.equals(self._parquet.schema):
            table = table.cast(self._parquet.schema)
        self._parquet.write_table(table)
        self.rows += table.num_rows

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        try:
            if self._thread is not None:
                try:
                    while self._pending:
                        self._pending.popleft().result()  # the last piece written (or its error raised)
                finally:
                    self._thread.shutdown(cancel_futures=True)  # (after an error: pieces not begun)
            for handle in (self._csv, self._parquet, self._sink):  # they write their last bytes as they close
                if handle is not None:
                    handle.close()
        except BaseException as exc:  # the old file stays; the temporary file goes
            if self._sink is not None:  # (its buffer goes unwritten, not later to a closed file)
                with contextlib.suppress(Exception):
                    self._sink.close()
            self._replacing.__exit__(type(exc), exc, exc.__traceback__)
            raise
        # No piece written: no file. Otherwise the file replaces the old one, or on an error is dropped.
        self._replacing.__exit__(error_type, error, traceback)


def _repeats(column) -> bool:
    """Whether a text column's values repeat (so a Parquet dictionary makes it smaller), judged
    on its first 10,000 cells."""
    import pyarrow.compute as pc
    head = column.slice(0, 10_000)
    return pc.count_distinct(head).as_py() * 2 <= len(head)


def write_table(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a caseload or a results table as CSV or Parquet (chosen by the file name), all at once
    (:class:`TableWriter` writes a table in pieces, with the same safeguards). Monthly periods are
    written as YYYY-MM text."""
    with TableWriter(path) as writer:
        writer.write(frame)
    return writer.path


__all__ = ["PROFILE_COLUMNS", "PATH_COLUMNS", "MONTHLY_PREFIXES", "EARNINGS_PREFIX", "earnings_columns",
           "monthly_columns", "validate_caseload", "formula_safe",
           "expand_earnings_paths", "read_caseload", "write_table", "TableWriter", "file_format"]

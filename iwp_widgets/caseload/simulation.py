"""A caseload through the engine: ``simulate_caseload(frame)``, the caseload half of simulate.

Caseload frame: one row per beneficiary in the analyst's file format (``caseload.format``;
``docs/analysts.md`` lists the columns):

- ``id`` (unique), ``start`` (YYYY-MM), ``benefits`` (ssdi | ssi | concurrent),
  ``earnings_0`` … ``earnings_{T-1}`` (gross earnings from ``start``; required);
- optional, with defaults: ``ssdi_monthly`` (0), ``ssi_unit`` (individual), ``state`` (required
  when a row gets SSI, default CA otherwise), ``state_supplement`` (0),
  ``unearned_income`` (0), ``blind``, ``student``, ``self_employed`` (False),
  ``birth_month`` (needed for students), ``twp_months_used`` (months YYYY-MM separated by
  spaces or ';'), ``twp_completed``, ``ssdi_cessation_month`` (YYYY-MM or empty),
  ``ssi_eligible_before`` (True), ``ssi_since``, the two months before the plan
  (``earned_2_months_before`` …), ``ssi_accounting`` (retrospective | same_month),
  ``irwe``, ``bwe``, ``subsidy``, ``pass`` (one amount per month) or per-month columns
  ``irwe_0`` … (and ``hours_0`` … for the self-employed hours test); ``ticket_assigned``
  (YYYY-MM or empty), ``en_payment_system``, ``p1m1_rule``, ``p1m4_rule`` and
  ``phase2_blind_rule`` for EN payments (a caseload has no IWP: the look-back sees only the
  caseload's own months before assignment, and milestone 4 has no services condition).

The frame is checked once, by ``caseload.format.validate_caseload`` (the same words and the same
cross-field rules as a plan), and becomes the engine's one input value
(:class:`iwp_widgets.rules.Inputs`). The output has one row per beneficiary-month: ``id``,
``month`` and the numeric columns of ``simulate``'s table (``ssdi_status`` as a categorical;
``epe_month_number``, ``ssi_federal_paid``, ``ssi_limit``, ``seie_excluded``, ``seie_left``,
``medicaid`` (from ``ssi_eligible`` and ``medicaid_1619b``, which are there),
``en_payment_projected`` and ``en_reconciliation`` are single-plan only), ordered by input row
then month. A Dask DataFrame in gives a Dask DataFrame out (``map_partitions`` over this function).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import PlanError
from ..plan import EXPENSE_FIELDS
from ..rules import MAY_BE_MISSING, NO_MONTH, STATUS_NAMES, Inputs, run
from ..rules.inputs import BENEFIT_CODES, EARNED_BEFORE, UNEARNED_BEFORE, month_ordinals
from ..simulate import TABLE_COLUMNS
from ..thresholds import Thresholds
from ..ticket.outcome import federal_ssi, outcome_months, programs
from ..ticket.payments import (months_before_assignment, phase1_available, phase1_figures,
                               phase2_sga, rules_start, schedule, sga_amounts)
from .format import validate_caseload

CASELOAD_NUMERIC = tuple(c for c in TABLE_COLUMNS if c not in ("en_payment_type", "medicaid"))


def simulate_caseload(frame, thresholds: Thresholds | None = None):
    """Simulate every beneficiary of a caseload frame (format in the module docstring).

    pandas in → pandas out (one row per beneficiary-month, no ``why``). A Dask DataFrame in →
    a Dask DataFrame out, computed partition by partition. ``thresholds``: the program figures
    (default: the shipped ones).
    """
    if type(frame).__module__.startswith("dask"):
        return frame.map_partitions(simulate_caseload, thresholds=thresholds, meta=_empty_output())
    if not isinstance(frame, pd.DataFrame):
        raise PlanError(f"frame: must be a pandas or Dask DataFrame, got {type(frame).__name__}")
    if len(frame) == 0:
        return _empty_output()
    checked = validate_caseload(frame, allow_extra=True)
    return simulate_checked(checked, thresholds or Thresholds.default(), ids=_id_values(frame["id"]))


def simulate_checked(checked: pd.DataFrame, figures: Thresholds, ids: np.ndarray | None = None
                     ) -> pd.DataFrame:
    """``simulate_caseload`` for a caseload already checked by ``validate_caseload`` (the runner's
    batches): the same table, without checking again. ``ids``: the ids as given (a checked id is
    text), else the checked ones."""
    checked = checked.reset_index(drop=True)
    ids = _id_values(checked["id"]) if ids is None else ids
    months = sum(1 for c in checked.columns if isinstance(c, str) and c.startswith("earnings_"))
    groups = Inputs.from_caseload(checked, figures)
    tickets = TicketColumns.of(checked)
    pieces = []
    for rows, inputs in groups:
        result = run(inputs, figures)
        result["en_payment"] = en_payment_grid(tickets.select(rows), inputs, result, figures)
        # One start: rows back in input order as the frame is built; several: blocks, put in order below.
        back = np.argsort(rows) if len(groups) == 1 and (rows != np.arange(len(rows))).any() else None
        start = inputs.start.ordinal
        if back is None:
            pieces.append((rows, _long_frame(ids[rows], start, months, result, inputs.unearned_income)))
        else:
            pieces.append((rows[back], _long_frame(ids, start, months, result, inputs.unearned_income, back)))
    if len(pieces) == 1:
        return pieces[0][1]
    # Back to input order: row i's months are together, rows in input order.
    order = np.concatenate([rows for rows, _ in pieces])  # input row of each block
    combined = pd.concat([piece for _, piece in pieces], ignore_index=True)
    take = (np.argsort(order)[:, None] * months + np.arange(months)).ravel()
    return combined.iloc[take].reset_index(drop=True)


def _id_values(ids: pd.Series):
    """The ids as given: pandas' own text column kept as it is (repeating it is then one Arrow
    take, not millions of Python strings converted again), anything else as a numpy array."""
    return ids.array if ids.dtype == "str" else ids.to_numpy()


def _long_frame(ids: np.ndarray, start: int, months: int, result: dict,
                unearned: np.ndarray, back: np.ndarray | None = None) -> pd.DataFrame:
    """One row per beneficiary-month; ``back`` puts result rows back in the order of ``ids``."""
    n = len(ids)

    def beneficiary_major(array):  # (n, T) rows in ids order, flattened month by month
        array = np.asarray(array)
        return (array[back] if back is not None else np.ascontiguousarray(array)).ravel()

    ordinals = np.tile(np.arange(start, start + months, dtype=np.int64), n)
    columns = {"id": (np.repeat(ids, months) if isinstance(ids, np.ndarray)
                      else ids.take(np.repeat(np.arange(n), months))),
               "month": pd.PeriodIndex.from_ordinals(ordinals, freq="M").array}
    unearned = np.broadcast_to(np.asarray(unearned, float), (n,))
    dollars = [name for name in CASELOAD_NUMERIC
               if name == "unearned_income" or np.asarray(result[name]).dtype == np.float64]
    # The dollar columns are written straight into one block, as pandas keeps them: building the
    # frame from separate columns copied every one of them a second time.
    block = np.empty((len(dollars), n * months))
    for row, name in zip(block, dollars):
        if name == "unearned_income":
            row[:] = np.repeat(unearned if back is None else unearned[back], months)
        else:
            array = np.asarray(result[name])
            np.copyto(row.reshape(n, months), array[back] if back is not None else array)
    for name in CASELOAD_NUMERIC:
        if name == "ssdi_status":
            columns[name] = pd.Categorical.from_codes(beneficiary_major(result[name]),
                                                      categories=list(STATUS_NAMES))
        elif name not in dollars:
            columns[name] = beneficiary_major(result[name])
    frame = pd.DataFrame(block.T, columns=dollars, copy=False)
    order = ["id", "month", *CASELOAD_NUMERIC]
    for name in order:  # the other columns at their places, in order
        if name not in dollars:
            frame.insert(order.index(name), name, columns[name])
    return frame


def monthly_table(ids, start: int, months: int, result: dict, unearned: np.ndarray, schema, rows: np.ndarray):
    """``_long_frame``'s rows as the Arrow table a Parquet file takes, built from the engine's
    arrays without a pandas frame in between; ``rows``: the result's rows of ``ids``, in order.

    ``schema`` is the file's: that of :func:`monthly_schema`, so the types and the pandas metadata
    are those the frame would have given. Missing numbers (NaN) are empty cells, as from pandas.
    """
    import pyarrow as pa

    n = len(ids)
    arrays = [pa.array(ids, pa.large_string()).take(pa.array(np.repeat(np.arange(n, dtype=np.int32), months))),
              _month_column(start, months, n)]
    for name in CASELOAD_NUMERIC:
        if name == "unearned_income":
            values = np.repeat(np.broadcast_to(np.asarray(unearned, float), (n,)), months)
        else:  # beneficiary-major: these rows, each one's months in a run
            values = np.asarray(result[name])[rows].reshape(-1)
        if name == "ssdi_status":
            arrays.append(pa.DictionaryArray.from_arrays(pa.array(values, pa.int8()),
                                                         pa.array(list(STATUS_NAMES), pa.string())))
        elif values.dtype == bool:  # Arrow's bits, packed by numpy (a tenth of Arrow's own time)
            bits = pa.py_buffer(np.packbits(values, bitorder="little"))
            arrays.append(pa.BooleanArray.from_buffers(pa.bool_(), len(values), [None, bits]))
        else:  # NaN is an empty cell where the file allows one, as pandas writes it
            arrays.append(pa.array(values, from_pandas=schema.field(name).nullable))
    return pa.Table.from_arrays(arrays, schema=schema)


def monthly_schema(ids, start: int, result: dict):
    """The Arrow schema (with pandas metadata) of the monthly table's file: that of the frame of
    one beneficiary-month, as ``TableWriter`` would convert it, with every column but the
    engine's ``MAY_BE_MISSING`` marked as never empty."""
    one = {name: np.asarray(values)[:1, :1] for name, values in result.items() if name in CASELOAD_NUMERIC}
    return monthly_arrow(_long_frame(ids[:1], start, 1, one, np.zeros(1))).schema


def monthly_arrow(frame: pd.DataFrame):
    """A monthly table (``simulate_caseload``'s frame) as the Arrow table its Parquet file takes.

    Columns that always have a value are marked so (Parquet then keeps no record of empty cells:
    a tenth of the writing time); an empty cell in one of them is an error here, not a file that
    says otherwise."""
    import pyarrow as pa

    from .format import _plain

    table = pa.Table.from_pandas(_plain(frame), preserve_index=False)
    schema = pa.schema([field.with_nullable(field.name in MAY_BE_MISSING) for field in table.schema],
                       metadata=table.schema.metadata)
    return table.cast(schema)


@functools.lru_cache(maxsize=2)
def _month_column(start: int, months: int, beneficiaries: int):
    """The month column of ``beneficiaries`` beneficiaries' months. Arrow arrays do not change, so
    a run's full pieces share one (and its last piece another): 4.5 MB for 5,000 × 60 months."""
    return _repeated_texts(_month_texts(start, months), beneficiaries)


def _repeated_texts(texts, times: int):
    """An Arrow text column of ``texts`` one after another, ``times`` over, built from bytes (the
    months of every beneficiary: repeating their few bytes is faster than picking each)."""
    import pyarrow as pa

    encoded = [text.encode() for text in texts]
    lengths = np.tile(np.array([len(b) for b in encoded], np.int64), times)
    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = np.tile(np.frombuffer(b"".join(encoded), np.uint8), times)
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))


def _month_texts(start: int, months: int) -> np.ndarray:
    """YYYY-MM of the months from ``start`` (a monthly ordinal), as ``write_table`` writes them."""
    return pd.PeriodIndex.from_ordinals(np.arange(start, start + months), freq="M").astype(str).to_numpy(object)


def _empty_output() -> pd.DataFrame:
    frame = _long_frame(np.array([], dtype=object), 0, 0,
                        {name: np.zeros((0, 0)) for name in CASELOAD_NUMERIC}, np.zeros(0))
    for name in ("twp_month", "epe_month", "exr_window", "medicare", "ssi_1619a",
                 "medicaid_1619b", "projected"):
        frame[name] = frame[name].astype(bool)
    frame["twp_months_used"] = frame["twp_months_used"].astype(np.int16)
    return frame


def _rows(values: np.ndarray, pick) -> np.ndarray:
    """``values[pick]``; the same months for everyone (``np.broadcast_to``) stay a broadcast."""
    if values.strides[0] == 0 and not isinstance(pick, slice):
        return np.broadcast_to(values[0], (len(pick), values.shape[1]))
    return values[pick]


def caseload_en_payments(frame: pd.DataFrame, rows: np.ndarray, inputs: Inputs, result: dict,
                         thresholds: Thresholds) -> np.ndarray:
    """(n, T) EN payments from the Ticket layer's vectorised schedule (docs/ticket.md), for the rows
    ``rows`` of a checked caseload ``frame`` (``validate_caseload``'s form), which the engine ran
    as ``inputs`` with ``result``.

    ``ticket_assigned`` empty = no ticket, no payments; the plan options of the EN columns
    (``en_payment_system`` …) as in a plan. Outcome months follow the Ticket layer's one rule
    (``ticket.outcome``). A caseload carries no IWP, so the look-back sees only the caseload's own
    months before assignment and milestone 4 has no services condition.
    """
    return en_payment_grid(TicketColumns.of(frame).select(rows), inputs, result, thresholds)


EN_OPTIONS = ("en_payment_system", "p1m1_rule", "p1m4_rule", "phase2_blind_rule")


@dataclass(frozen=True)
class TicketColumns:
    """The Ticket columns of a checked caseload, read once: each row's ticket assignment (a month
    ordinal or NO_MONTH) and EN options (``EN_OPTIONS``) as an index into ``options``."""

    assigned: np.ndarray
    options: tuple[tuple[str, ...], ...]
    codes: np.ndarray | None  # None: every row has options[0] (as usual)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> "TicketColumns":
        assigned = month_ordinals(frame["ticket_assigned"].to_numpy(object))
        factors = [pd.factorize(frame[name]) for name in EN_OPTIONS]
        if all(len(words) == 1 for _, words in factors):
            return cls(assigned, (tuple(str(words[0]) for _, words in factors),), None)
        key = np.zeros(len(frame), np.int64)
        for codes, words in factors:  # one whole number per combination of options
            key = key * len(words) + codes
        combinations, codes = np.unique(key, return_inverse=True)
        options = []
        for combination in combinations:
            chosen = []
            for _, words in reversed(factors):
                combination, code = divmod(int(combination), len(words))
                chosen.append(str(words[code]))
            options.append(tuple(reversed(chosen)))
        return cls(assigned, tuple(options), codes.reshape(-1))

    def select(self, rows) -> "TicketColumns":
        return TicketColumns(self.assigned[rows], self.options, None if self.codes is None else self.codes[rows])

    def groups(self) -> list[tuple[tuple[str, ...], np.ndarray | slice]]:
        """[(EN options, the rows that have them)]; one slice when every row has the same options,
        which spares copying the arrays."""
        if self.codes is None:
            return [(self.options[0], slice(None))]
        present = np.unique(self.codes)
        if len(present) == 1:
            return [(self.options[present[0]], slice(None))]
        return [(self.options[code], np.flatnonzero(self.codes == code)) for code in present]


def en_payment_grid(tickets: TicketColumns, inputs: Inputs, result: dict, thresholds: Thresholds) -> np.ndarray:
    """:func:`caseload_en_payments` for rows whose Ticket columns are read already."""
    gross = np.asarray(result["gross_earnings"], dtype=float)
    n, months = gross.shape
    amount = np.zeros((n, months))
    assigned = tickets.assigned
    if n == 0 or (assigned == NO_MONTH).all():
        return amount
    start = inputs.start
    per_row = {name: np.broadcast_to(getattr(inputs, name), (n,))
               for name in ("benefits", "state_supplement", "blind")}
    supplement = per_row["state_supplement"]
    # Federal SSI is SSI less the state supplement; without one it is SSI paid itself (never below $0).
    federal = federal_ssi(result["ssi_paid"], supplement) if supplement.any() else result["ssi_paid"]
    codes = per_row["benefits"]
    if codes.dtype.kind in "iu":  # the engine's codes (what from_caseload makes)
        takes_ssdi, takes_ssi = codes != BENEFIT_CODES["ssi"], codes != BENEFIT_CODES["ssdi"]
    else:
        takes_ssdi, takes_ssi = programs(codes)
    title16 = ~takes_ssdi
    twl = np.asarray(result["twl"], dtype=float)
    sga = np.asarray(result["sga"], dtype=float)
    outcome = outcome_months(gross, sga, np.asarray(result["ssdi_paid"], dtype=float), federal,
                             np.asarray(result["ssi_breakeven"], dtype=float) > 0,
                             takes_ssdi, takes_ssi)
    # No ticket: "assigned" after the last month, so nothing is paid.
    assigned_index = np.where(assigned == NO_MONTH, months, assigned - start.ordinal)
    required, windows = phase1_figures(thresholds, max(start, rules_start(thresholds)))
    # Without a ticket nothing is paid, so there is nothing to look back on either.
    looked_back = np.where(assigned == NO_MONTH, 0, assigned_index)
    available = phase1_available(months_before_assignment(gross, twl, looked_back, max(windows)),
                                 np.zeros(n, dtype=bool), required, windows)
    index = pd.period_range(start, periods=months, freq="M")
    blind = per_row["blind"].astype(bool)
    groups = tickets.groups()
    # Phase 2 measures against the non-blind SGA amount (the engine's for anyone not blind), or a
    # blind person's by the rule (phase2_sga).
    non_blind = np.broadcast_to(sga_amounts(thresholds, "sga_non_blind", index), (n, months))
    for (system, p1m1_rule, p1m4_rule, blind_rule), pick in groups:
        paid = schedule(index, gross[pick], _rows(twl, pick),
                        phase2_sga(_rows(non_blind, pick), index, blind[pick], blind_rule, thresholds), outcome[pick],
                        title16[pick], assigned_index[pick], available[pick], system=system,
                        p1m1_rule=p1m1_rule, p1m4_rule=p1m4_rule, thresholds=thresholds, columns=("amount",))
        if len(groups) == 1:  # every row: the schedule's own array, not a copy
            return paid["amount"]
        amount[pick] = paid["amount"]
    return amount


def plans_to_caseload(plans, ids=None) -> pd.DataFrame:
    """A caseload frame (one row per plan) in the format ``simulate_caseload`` reads.

    All plans must have the same number of months. Per-month expense lists become
    ``irwe_0`` … columns; hours become ``hours_0`` ….
    """
    plans = list(plans)
    if not plans:
        raise PlanError("plans: no plans given")
    months = plans[0].months
    rows = []
    for i, plan in enumerate(plans):
        if plan.months != months:
            raise PlanError(f"plans[{i}]: has {plan.months} months, the first plan {months}")
        p = plan.profile
        row = {"id": ids[i] if ids is not None else i, "start": plan.start,
               "benefits": p.benefits, "ssdi_monthly": p.ssdi_monthly, "ssi_unit": p.ssi_unit,
               "state": p.state, "state_supplement": p.state_supplement,
               "unearned_income": p.unearned_income, "blind": p.blind, "student": p.student,
               "birth_month": p.birth_month or "", "self_employed": p.self_employed,
               "twp_months_used": " ".join(p.twp_months_used),
               "twp_completed": p.twp_completed or "",
               "ssdi_cessation_month": p.ssdi_cessation_month or "",
               "ssi_eligible_before": p.ssi_eligible_before,
               "ssi_since": p.ssi_since or "",
               **dict(zip(EARNED_BEFORE, p.earnings_before)),
               **dict(zip(UNEARNED_BEFORE, p.unearned_before or (np.nan, np.nan))),
               "ssi_accounting": plan.options.ssi_accounting,
               "ticket_assigned": p.ticket_assigned or "",
               "en_payment_system": plan.options.en_payment_system,
               "p1m1_rule": plan.options.p1m1_rule, "p1m4_rule": plan.options.p1m4_rule,
               "phase2_blind_rule": plan.options.phase2_blind_rule}
        row.update({f"earnings_{t}": v for t, v in enumerate(plan.earnings)})
        for key in EXPENSE_FIELDS:
            value = getattr(plan.work_expenses, "pass_" if key == "pass" else key)
            if isinstance(value, tuple):
                row.update({f"{key}_{t}": v for t, v in enumerate(value)})
            else:
                row[key] = value
        if plan.hours is not None:
            row.update({f"hours_{t}": v for t, v in enumerate(plan.hours)})
        rows.append(row)
    frame = pd.DataFrame(rows)
    for key in EXPENSE_FIELDS:  # a plan with a list and one with a number: fill the other form
        monthly = [f"{key}_{t}" for t in range(months)]
        if monthly[0] in frame.columns and key in frame.columns:
            scalar = frame.pop(key)
            for column in monthly:
                frame[column] = frame[column].fillna(scalar)
    hours = [f"hours_{t}" for t in range(months)]
    if hours[0] in frame.columns:
        frame[hours] = frame[hours].fillna(0.0)
    return frame

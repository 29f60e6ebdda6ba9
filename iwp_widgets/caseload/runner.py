"""Run scenarios over a pandas caseload, in batches, with an optional progress bar.

    from iwp_widgets.caseload import generate_caseload, run_scenarios, compare
    caseload = generate_caseload(2_000, seed=1)
    runs = run_scenarios(caseload, ["baseline", "higher_sga"], progress=True)
    compare(runs["baseline"].summary, runs["higher_sga"].summary)

Each scenario applies its earnings assumptions to the caseload, builds its program figures with
``Thresholds.with_overrides`` and calls the engine's ``simulate_caseload`` (which also fills the
Ticket layer's EN payments) batch by batch (so the
monthly table of a large caseload never has to exist all at once unless ``keep_monthly`` asks
for it). Without ``keep_monthly``, batches the array path can run (no TWP history, one start: see
:mod:`iwp_widgets.caseload.arrays`) skip the monthly table altogether. For more than one machine, see :mod:`iwp_widgets.caseload.distributed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from ..errors import PlanError
from ..thresholds import Thresholds
from .arrays import outcomes_by_arrays, unsupported
from .memory import BATCH
from .scenarios import Scenario, load_scenario
from .summary import CaseloadSummary, beneficiary_outcomes


@dataclass(frozen=True)
class ScenarioRun:
    scenario: Scenario
    outcomes: pd.DataFrame            # one row per beneficiary (see summary.beneficiary_outcomes)
    summary: CaseloadSummary
    monthly: pd.DataFrame | None      # the engine's long table, when keep_monthly=True


def simulate_with_figures(caseload: pd.DataFrame, scenario: Scenario, figures: Thresholds) -> pd.DataFrame:
    """The table path every runner takes (pandas batches, Dask partitions): the scenario's
    earnings assumptions, then the engine (EN payments included) with the scenario's figures.
    ``caseload`` is checked (``validate_caseload``'s form), so it is not checked again."""
    # Imported when first used: the engine modules are heavier than the caseload tools.
    from .simulation import simulate_checked
    return simulate_checked(scenario.apply_earnings(caseload), figures)


def simulate_scenario(caseload: pd.DataFrame, scenario: Scenario | str,
                      thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The monthly table for a (validated) caseload under one scenario."""
    scenario = load_scenario(scenario)
    return simulate_with_figures(caseload, scenario, scenario.thresholds(thresholds))


def run_scenario(caseload: pd.DataFrame, scenario: Scenario | str = "baseline", *,
                 thresholds: Thresholds | None = None, batch_size: int = BATCH, keep_monthly: bool = False,
                 on_monthly=None, writer=None, dollar_bin: float = 10.0, progress=None) -> ScenarioRun:
    """Simulate one scenario.

    ``keep_monthly`` keeps the whole monthly table in the result; ``on_monthly`` (a function) is
    given each batch's monthly table instead; ``writer`` (a :class:`~iwp_widgets.caseload.format.TableWriter`)
    streams it to a file, from the engine's arrays when the array path can run the caseload and
    the file is Parquet (no pandas table in between). ``progress`` is anything with ``update(n)``
    (a tqdm bar) or None.
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise PlanError(f"batch_size: must be a whole number ≥ 1, got {batch_size!r}")
    scenario = load_scenario(scenario)
    figures = scenario.thresholds(thresholds)
    outcomes, monthly = [], []
    if (not keep_monthly and on_monthly is None and (writer is None or writer.kind == "parquet")
            and unsupported(caseload) is None):
        # Same numbers as the table path (tests/test_caseload_arrays.py), several times faster.
        outcomes = outcomes_by_arrays(caseload, scenario, figures, check=False, batch_size=batch_size,
                                      progress=progress, writer=writer)
        return ScenarioRun(scenario, outcomes, CaseloadSummary.from_outcomes(outcomes, dollar_bin), None)
    if writer is not None:
        on_monthly = _written(writer) if on_monthly is None else _both(on_monthly, _written(writer))
    for first in range(0, len(caseload), batch_size):
        batch = caseload.iloc[first:first + batch_size]
        if not keep_monthly and on_monthly is None and unsupported(batch) is None:
            outcomes.append(outcomes_by_arrays(batch, scenario, figures, check=False, batch_size=batch_size))
        else:
            table = simulate_with_figures(batch, scenario, figures)
            outcomes.append(beneficiary_outcomes(table))
            if keep_monthly:
                monthly.append(table)
            if on_monthly is not None:
                on_monthly(table)
        if progress is not None:
            progress.update(len(batch))
    outcomes = pd.concat(outcomes)
    return ScenarioRun(scenario, outcomes, CaseloadSummary.from_outcomes(outcomes, dollar_bin),
                       pd.concat(monthly, ignore_index=True) if keep_monthly else None)


def _written(writer):
    """What writes a monthly table to ``writer``: a Parquet file takes it as the array path
    writes it (``monthly_arrow``), so both paths give the same file."""
    if writer.kind != "parquet":
        return writer.write
    from .simulation import monthly_arrow
    return lambda table: writer.write(monthly_arrow(table))


def _both(first, second):
    def call(table):
        first(table)
        second(table)
    return call


def run_scenarios(caseload: pd.DataFrame, scenarios: Iterable[Scenario | str], *,
                  thresholds: Thresholds | None = None, batch_size: int = BATCH, keep_monthly: bool = False,
                  dollar_bin: float = 10.0, progress=False) -> dict[str, ScenarioRun]:
    """Several scenarios over the same caseload, keyed by scenario name.

    ``progress=True`` shows one bar (tqdm: a widget in Jupyter, text in a terminal) counting
    beneficiaries simulated across all scenarios; an object with ``update(n)`` is used as given.
    """
    chosen = [load_scenario(s) for s in scenarios]
    if not chosen:
        raise PlanError("scenarios: choose at least one scenario")
    names = [s.name for s in chosen]
    if len(set(names)) != len(names):
        raise PlanError(f"scenarios: each scenario once, got {names}")
    bar, own_bar = (progress, False) if hasattr(progress, "update") else (None, bool(progress))
    if own_bar:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(caseload) * len(chosen), desc="Simulating", unit="beneficiary")
    try:
        return {s.name: run_scenario(caseload, s, thresholds=thresholds, batch_size=batch_size,
                                     keep_monthly=keep_monthly, dollar_bin=dollar_bin, progress=bar)
                for s in chosen}
    finally:
        if own_bar:
            bar.close()


__all__ = ["ScenarioRun", "simulate_with_figures", "simulate_scenario", "run_scenario", "run_scenarios"]

"""Analyst what-ifs over caseloads: file format, synthetic caseloads, scenarios, summaries, Dask.

    from iwp_widgets.caseload import generate_caseload, run_scenarios, compare
    caseload = generate_caseload(1_000, seed=1)
    runs = run_scenarios(caseload, ["baseline", "higher_sga"])
    compare(runs["baseline"].summary, runs["higher_sga"].summary)

The Dask path (``iwp_widgets.caseload.distributed``) is imported on its own so that pandas users
do not pay for importing Dask.
"""

from .format import (EARNINGS_PREFIX, PATH_COLUMNS, PROFILE_COLUMNS, expand_earnings_paths, read_caseload,
                     validate_caseload, write_table)
from .runner import ScenarioRun, run_scenario, run_scenarios, simulate_scenario
from .scenarios import REFORM_FIGURES, Scenario, available_scenarios, load_scenario
from .summary import CaseloadSummary, beneficiary_outcomes, compare
from .synthetic import SyntheticSpec, generate_caseload

__all__ = ["EARNINGS_PREFIX", "PATH_COLUMNS", "PROFILE_COLUMNS", "expand_earnings_paths", "read_caseload",
           "validate_caseload", "write_table", "ScenarioRun", "run_scenario", "run_scenarios",
           "simulate_scenario", "REFORM_FIGURES", "Scenario", "available_scenarios", "load_scenario",
           "CaseloadSummary", "beneficiary_outcomes", "compare", "SyntheticSpec", "generate_caseload"]

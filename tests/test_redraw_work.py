"""The work a slider step leaves for the views that wait for it to settle (the outlook, the
benefits summary): the income with no work is simulated again only when something other than
the work changed (iwp_widgets/key_dates.py)."""

import dataclasses
import importlib

import pandas as pd
import pytest

from iwp_widgets import Plan, income_by_year, simulate

# The modules (the package's names ``simulate`` and ``key_dates`` are its functions).
SIMULATE_MODULE = importlib.import_module("iwp_widgets.simulate")
KEY_DATES_MODULE = importlib.import_module("iwp_widgets.key_dates")


@pytest.fixture
def counted(monkeypatch):
    """Count the simulations income_by_year runs (it imports ``simulate`` from its module)."""
    calls = []
    real = SIMULATE_MODULE.simulate

    def counting(plan, thresholds=None):
        calls.append(plan)
        return real(plan, thresholds)

    monkeypatch.setattr(SIMULATE_MODULE, "simulate", counting)
    return calls


def _fresh(plan):
    """income_by_year with nothing remembered: the no-work plan simulated here."""
    KEY_DATES_MODULE._last_without_work = None
    return income_by_year(plan, table=simulate(plan))


def test_moving_the_work_reuses_the_no_work_income_and_gives_the_same_answer(counted):
    plan = Plan.example("ssdi_ramp_to_sga")
    income_by_year(plan, table=simulate(plan))
    counted.clear()
    for extra in (100.0, 250.0, 0.0):
        moved = plan.replace(earnings=tuple(e + extra for e in plan.earnings))
        table = simulate(moved)
        counted.clear()
        answer = income_by_year(moved, table=table)
        assert counted == []                      # the no-work income is read back, not simulated
        pd.testing.assert_frame_equal(answer, _fresh(moved))


def test_another_person_or_other_figures_simulate_the_no_work_income_again(counted):
    plan = Plan.example("ssdi_ramp_to_sga")
    income_by_year(plan, table=simulate(plan))
    richer = plan.replace(profile=dataclasses.replace(plan.profile, ssdi_monthly=plan.profile.ssdi_monthly + 100))
    table = simulate(richer)
    counted.clear()
    answer = income_by_year(richer, table=table)
    assert len(counted) == 1                      # the person changed: simulated again
    pd.testing.assert_frame_equal(answer, _fresh(richer))
    before = answer["without_work"].copy()
    assert (before > income_by_year(plan, table=simulate(plan))["without_work"]).all()

"""Scenarios as data: every shipped file loads, figures resolve, earnings assumptions apply."""

import json

import numpy as np
import pandas as pd
import pytest

from iwp_widgets import PlanError
from iwp_widgets.caseload.scenarios import Scenario, available_scenarios, load_scenario
from iwp_widgets.thresholds import Thresholds

REQUIRED = {"baseline", "higher_sga", "longer_twp", "bond_offset", "ssi_bigger_earned_exclusion",
            "wage_growth_3pct", "job_loss_year2"}


def test_required_scenarios_ship_and_load():
    assert REQUIRED <= set(available_scenarios())
    for name in available_scenarios():
        scenario = load_scenario(name)
        assert scenario.name == name and scenario.title and scenario.description
        scenario.thresholds()  # every figure resolves against the shipped thresholds


def test_baseline_changes_nothing():
    base = Thresholds.default()
    scenario = load_scenario("baseline")
    assert scenario.thresholds(base) is base
    frame = pd.DataFrame({"earnings_0": [1.0], "earnings_1": [2.0]})
    assert scenario.apply_earnings(frame) is frame


def test_reforms_change_exactly_their_figures():
    base = Thresholds.default()
    higher = load_scenario("higher_sga").thresholds(base)
    for month in ("2024-06", "2026-03", "2030-01"):
        assert higher.value("sga_non_blind", month) == base.value("sga_blind", month)
        assert higher.value("twl", month) == base.value("twl", month)
    assert load_scenario("longer_twp").thresholds(base).value("twp_service_months", "2026-01") == 12
    assert load_scenario("ssi_bigger_earned_exclusion").thresholds(base).value(
        "ssi_earned_exclusion", "2026-01") == 400
    bond = load_scenario("bond_offset").thresholds(base)
    assert bond.value("ssdi_offset_threshold", "2026-01") == base.value("sga_non_blind", "2026-01")
    assert "ssdi_offset_threshold" not in base.names()


def test_earnings_assumptions_wage_growth_and_job_loss():
    frame = pd.DataFrame({f"earnings_{t}": [1000.0, 0.0] for t in range(30)})
    grown = load_scenario("wage_growth_3pct").apply_earnings(frame)
    assert grown["earnings_11"].tolist() == [1000.0, 0.0]
    assert grown["earnings_12"].tolist() == [1030.0, 0.0]
    assert grown["earnings_24"].tolist() == [1060.9, 0.0]
    lost = load_scenario("job_loss_year2").apply_earnings(frame)
    row = lost.iloc[0].to_numpy()
    assert (row[:12] == 1000).all() and (row[12:18] == 0).all() and (row[18:] == 1000).all()
    assert frame["earnings_12"].tolist() == [1000.0, 0.0]  # the input is not modified


def test_figure_forms_times_and_months(tmp_path):
    data = {"name": "mine", "figures": {"twl": {"times": 2}, "ssi_general_exclusion": {"2027-01": 50}},
            "earnings": {"hours_scale": 0.5, "job_loss": {"month": 3}}}
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data))
    scenario = load_scenario(str(path))
    figures = scenario.thresholds()
    base = Thresholds.default()
    assert figures.value("twl", "2026-05") == 2 * base.value("twl", "2026-05")
    assert figures.value("ssi_general_exclusion", "2026-12") == base.value("ssi_general_exclusion", "2026-12")
    assert figures.value("ssi_general_exclusion", "2027-01") == 50
    frame = pd.DataFrame({f"earnings_{t}": [100.0] for t in range(6)})
    np.testing.assert_array_equal(scenario.apply_earnings(frame).to_numpy()[0], [50, 50, 50, 0, 0, 0])


@pytest.mark.parametrize("data, field", [
    ({"name": "x", "figures": {"sga_nonblind": 2000}}, "figures.sga_nonblind"),
    ({"name": "x", "figures": {"twl": -1}}, "figures.twl"),
    ({"name": "x", "figures": {"twl": {"January": 1}}}, "figures.twl"),
    ({"name": "x", "figures": {"twl": {"same_as": "nothing"}}}, "figures.twl.same_as"),
    ({"name": "x", "earnings": {"wage_growth": "3%"}}, "earnings.wage_growth"),
    ({"name": "x", "earnings": {"job_loss": {"month": -2}}}, "earnings.job_loss.month"),
    ({"name": "x", "earnings": {"raise": 1}}, "earnings"),
    ({"figures": {}}, "name"),
    ({"name": "x", "reform": {}}, "scenario"),
])
def test_bad_scenarios_name_the_field(data, field):
    with pytest.raises(PlanError) as info:
        Scenario.from_dict(data)
    assert info.value.field == field


def test_unknown_scenario_lists_the_shipped_ones():
    with pytest.raises(PlanError, match="^scenario: unknown scenario 'nope'; shipped: baseline"):
        load_scenario("nope")


"""Scenarios as data: every shipped file loads, figures resolve, earnings assumptions apply."""

import json
from pathlib import Path

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



# --- years not published yet: carry forward or indexed, per scenario ---------------------------

def test_indexed_is_the_default_and_carry_forward_a_scenario():
    base = Thresholds.default()
    assert base.projection.method == "indexed"
    assert load_scenario("baseline").thresholds(base) is base
    carried = load_scenario("carry_forward").thresholds(base)
    assert carried.projection.method == "carry_forward"
    for name in ("twl", "sga_non_blind", "sga_blind", "ssi_fbr_individual", "seie_monthly_limit"):
        assert carried.value(name, "2028-05") == base.value(name, "2026-12"), name
        assert base.value(name, "2028-05") > base.value(name, "2026-12"), name
        assert carried.lookup(name, "2028-05").projected and base.lookup(name, "2028-05").projected
    assert carried.value("sga_non_blind", "2026-05") == base.value("sga_non_blind", "2026-05")


def test_a_scenario_names_its_assumptions(tmp_path):
    data = {"name": "slow", "unpublished_years": {"wage_index_growth": 0.02, "cola": 0.01}}
    slow = Scenario.from_dict(data).thresholds()
    base = Thresholds.default()
    assert slow.projection.method == "indexed"
    assert slow.indices().growth == 0.02 and slow.indices().cola == 0.01
    assert slow.value("sga_non_blind", "2029-01") < base.value("sga_non_blind", "2029-01")
    assert slow.value("ssi_fbr_individual", "2029-01") < base.value("ssi_fbr_individual", "2029-01")
    # Reforms and assumptions combine: the reform's figure is projected under the assumptions.
    both = Scenario.from_dict({**data, "figures": {"twl": {"times": 2}}}).thresholds()
    assert both.value("twl", "2026-05") == 2 * base.value("twl", "2026-05")
    assert both.value("twl", "2029-01") >= 2 * slow.value("twl", "2029-01") - 10


def test_copied_figures_are_projected_like_the_original():
    base = Thresholds.default()
    higher = load_scenario("higher_sga").thresholds(base)
    bond = load_scenario("bond_offset").thresholds(base)
    for year in range(2027, 2040):
        month = f"{year}-03"
        assert higher.value("sga_non_blind", month) == base.value("sga_blind", month), year
        assert bond.value("ssdi_offset_threshold", month) == base.value("sga_non_blind", month), year
        assert higher.lookup("sga_non_blind", month).projected


@pytest.mark.parametrize("block, field", [
    ({"method": "guess"}, "unpublished_years.method"),
    ({"wage_index_growth": "4%"}, "unpublished_years.wage_index_growth"),
    ({"cola": -0.02}, "unpublished_years.cola"),
    ({"growth": 0.02}, "unpublished_years"),
    ("indexed", "unpublished_years"),
])
def test_bad_unpublished_years_are_clear_errors(block, field):
    with pytest.raises(PlanError, match=f"^{field}:"):
        Scenario.from_dict({"name": "x", "unpublished_years": block})


def test_example_plan_no_longer_meets_sga_in_august_2027_when_indexed():
    # Issue 12 §3: examples/ssdi_ramp_to_sga.json earns $1,750 in August 2027. With 2026's SGA of
    # $1,690 carried forward that is the cessation month; with SGA projected by the wage index
    # (20 CFR 404.1574(b)(2)) it is not more than SGA, so SSDI is paid as an EPE month.
    from iwp_widgets import Plan, simulate

    plan = Plan.load(Path(__file__).resolve().parent.parent / "examples" / "ssdi_ramp_to_sga.json")
    carried = simulate(plan, load_scenario("carry_forward").thresholds())
    indexed = simulate(plan, load_scenario("baseline").thresholds())
    august = "2027-08"
    assert carried.loc[august, "gross_earnings"] == 1750
    assert carried.loc[august, "sga"] == 1690 and carried.loc[august, "ssdi_status"] == "cessation"
    assert indexed.loc[august, "sga"] == Thresholds.default().value("sga_non_blind", august) > 1750
    assert indexed.loc[august, "ssdi_status"] == "epe" and indexed.loc[august, "ssdi_paid"] > 0
    assert indexed.loc[august, "projected"] and carried.loc[august, "projected"]
    # The "why" of a projected month names the assumption; carried-forward months say so.
    assert "average wages, assumed to rise 4.84% a year" in indexed.loc[august, "why"]
    assert "carried forward from the last published year" in carried.loc[august, "why"]
    assert not indexed.loc["2026-12", "projected"]
    assert "not published yet" not in indexed.loc["2026-12", "why"]


def test_ssi_months_name_the_cola_assumption():
    from iwp_widgets import Plan, simulate

    table = simulate(Plan.example("ssi_student"))
    cola = Thresholds.default().indices().cola
    why = table.loc["2027-03", "why"]
    assert table.loc["2027-03", "projected"]
    assert f"cost-of-living increase of {cola * 100:g}% a year" in why
    assert "average wages" not in why  # an SSI-only plan: the SSDI figures are not its concern
    fbr = Thresholds.default().value("ssi_fbr_individual", "2027-03")
    assert fbr > Thresholds.default().value("ssi_fbr_individual", "2026-12")

"""A plan holds its IWP and its earnings path as models, parsed once when the plan is built, and
writes the same JSON as when it kept them as dicts."""

import ast
import dataclasses
import json
from pathlib import Path

import pytest

from iwp_widgets import Plan, PlanError
from iwp_widgets import plan as plan_module
from iwp_widgets.earnings_path import EarningsPath, fit
from iwp_widgets.simulate import simulate
from iwp_widgets.ticket.iwp import IWP

EXAMPLES = sorted(plan_module.EXAMPLES_DIR.glob("*.json"))
PACKAGE = Path(plan_module.__file__).parent


@pytest.fixture
def ramp() -> Plan:
    return Plan.example("ssdi_ramp_to_sga")


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Records every parse of an IWP or an earnings path from here on."""
    seen: list[str] = []
    iwp_from_dict, path_from_dict = IWP.from_dict.__func__, EarningsPath.from_dict.__func__

    def iwp_parse(cls, data, where="iwp"):
        seen.append("iwp")
        return iwp_from_dict(cls, data, where)

    def path_parse(cls, data):
        seen.append("earnings_path")
        return path_from_dict(cls, data)

    monkeypatch.setattr(IWP, "from_dict", classmethod(iwp_parse))
    monkeypatch.setattr(EarningsPath, "from_dict", classmethod(path_parse))
    return seen


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_each_example_file_saves_as_the_json_it_was_read_from(path, tmp_path):
    plan = Plan.load(path)
    saved = plan.save(tmp_path / path.name)
    assert json.loads(saved.read_text(encoding="utf-8")) == json.loads(path.read_text(encoding="utf-8"))
    assert Plan.load(saved).to_json() == plan.to_json()


def test_the_plan_holds_models_and_writes_their_json(ramp):
    path = fit(ramp.earnings)
    drawn = ramp.with_earnings(path.earnings(), path=path)
    assert isinstance(drawn.iwp, IWP) and drawn.earnings_path is path
    document = drawn.to_dict()
    assert document["iwp"] == drawn.iwp.to_dict()
    assert document["earnings_path"] == path.to_dict()
    assert Plan.from_dict(json.loads(drawn.to_json())) == drawn


def test_a_slider_step_parses_neither_the_iwp_nor_the_path(ramp, parses):
    paths = [fit(ramp.earnings).with_changes(start_hours=hours) for hours in (10.0, 12.5)]
    plan = ramp
    for path in paths:
        plan = plan.with_earnings(path.earnings(), path=path)
        simulate(plan)
    assert parses == []
    assert plan.iwp is ramp.iwp


def test_loading_parses_each_once(parses):
    plan = Plan.example("ssdi_ramp_to_sga")
    with_path = Plan.from_dict({**plan.to_dict(), "earnings_path": fit(plan.earnings).to_dict()})
    assert parses == ["iwp", "iwp", "earnings_path"]
    assert isinstance(with_path.earnings_path, EarningsPath)


def test_replace_takes_a_model_or_its_dict(ramp):
    model = IWP.from_dict({"version": 2, "employment_goal": "Baker"})
    by_model = dataclasses.replace(ramp, iwp=model)
    by_dict = dataclasses.replace(ramp, iwp=model.to_dict())
    assert by_model.iwp == by_dict.iwp == model and by_model == by_dict
    assert ramp.replace(iwp={"goal": "Baker"}).iwp.employment_goal == "Baker"  # a version-1 dict migrates
    path = fit(ramp.earnings)
    assert dataclasses.replace(ramp, earnings_path=path.to_dict()).earnings_path == path
    with pytest.raises(PlanError, match=r"^earnings_path\.ramp: "):
        dataclasses.replace(ramp, earnings_path={**path.to_dict(), "ramp": "curvy"})
    with pytest.raises(PlanError, match=r"^iwp: must be an object, got list"):
        dataclasses.replace(ramp, iwp=["Baker"])


@pytest.mark.parametrize("change, field", [
    ({"employment_goal": 5}, "iwp.employment_goal"),
    ({"earnings_at_start": -1.0}, "iwp.earnings_at_start"),
    ({"notes": "broken \udfff"}, "iwp.notes"),
    ({"short_term_goals": ["Finish the course", 7]}, "iwp.short_term_goals[1]"),
])
def test_an_iwp_built_in_code_is_checked_like_one_read_from_a_file(ramp, change, field):
    """The IWP's own constructor checks nothing, so the plan does: a plan can always be saved."""
    bad = dataclasses.replace(IWP(), **change)
    with pytest.raises(PlanError) as caught:
        dataclasses.replace(ramp, iwp=bad)
    assert caught.value.field == field


def test_an_iwp_built_in_code_is_normalised(ramp):
    plan = dataclasses.replace(ramp, iwp=IWP(employment_goal="Cook", short_term_goals=["Get a job"],
                                             earnings_at_start=100))
    assert plan.iwp.short_term_goals == ("Get a job",) and plan.iwp.earnings_at_start == 100.0
    assert isinstance(plan.iwp.earnings_at_start, float)


def test_the_plan_does_not_import_the_plan_store():
    """Storage sits above the plan (it opens and saves plans); the plan writes its file with the
    ground module, so the two never import each other."""
    tree = ast.parse((PACKAGE / "plan.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "storage" not in imported and "atomic_file" in imported

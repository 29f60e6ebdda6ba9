"""simulate(plan) and simulate_caseload(frame): the table contract, caseload format and errors."""

import numpy as np
import pandas as pd
import pytest

import iwp_widgets as iwp
from iwp_widgets import Plan, PlanError, simulate, simulate_caseload
from iwp_widgets.rules import Inputs, run
from iwp_widgets.caseload.simulation import plans_to_caseload
from iwp_widgets.thresholds import Thresholds
from caseload_checks import assert_rows_match_simulate

FIGURES = Thresholds.default()

CONTRACT_COLUMNS = ["gross_earnings", "countable_earnings", "twl", "sga", "twp_month",
                    "twp_months_used", "ssdi_status", "ssdi_paid", "ssi_countable_income",
                    "ssi_paid", "medicaid_1619b", "total_income", "en_payment",
                    "en_payment_type", "why", "projected", "epe_month", "ssi_1619a",
                    "ssi_breakeven", "exr_window", "medicare"]


@pytest.fixture(scope="module")
def examples():
    return {name: Plan.example(name) for name in Plan.examples()}


def test_table_has_the_contract_columns(examples):
    for plan in examples.values():
        table = simulate(plan)
        assert set(CONTRACT_COLUMNS) <= set(table.columns)
        assert isinstance(table.index, pd.PeriodIndex) and table.index.freqstr == "M"
        assert table.index.name == "month" and len(table) == plan.months
        assert str(table.index[0]) == plan.start
        assert table["twp_month"].dtype == bool and table["medicaid_1619b"].dtype == bool
        assert set(table["ssdi_status"]) <= {"none", "twp", "epe", "cessation", "grace",
                                             "suspended", "terminated", "offset"}


def test_total_income_adds_up(examples):
    for plan in examples.values():
        t = simulate(plan)
        expected = t["gross_earnings"] + t["ssdi_paid"] + t["ssi_paid"] + t["unearned_income"]
        assert np.allclose(t["total_income"], expected)


def test_every_month_has_a_reason_with_a_citation(examples):
    for plan in examples.values():
        why = simulate(plan)["why"]
        assert (why.str.len() > 40).all()
        assert why.str.contains(r"CFR|POMS").all()


def test_ssi_only_plan_has_no_ssdi_columns_set(examples):
    table = simulate(examples["ssi_student"])
    assert (table["ssdi_status"] == "none").all()
    assert not table["twp_month"].any() and not table["medicare"].any()
    assert (table["ssdi_paid"] == 0).all()


def test_plan_argument_is_checked():
    with pytest.raises(PlanError, match="^plan"):
        simulate({"start": "2026-01"})


# --- caseload ----------------------------------------------------------------------------------

def test_caseload_matches_single_plans_with_different_starts(examples):
    plans = [examples["ssdi_ramp_to_sga"],
             examples["concurrent_irwe"].with_earnings(
                 list(examples["concurrent_irwe"].earnings) + [2000] * 6),
             examples["ssi_student"].with_earnings(
                 list(examples["ssi_student"].earnings) + [700] * 12).replace(start="2025-06")]
    frame = plans_to_caseload(plans, ids=["a", "b", "c"])
    out = simulate_caseload(frame)
    assert list(out["id"].unique()) == ["a", "b", "c"]  # input order kept
    assert len(out) == 3 * 36
    assert "why" not in out.columns
    for ident, plan in zip("abc", plans):
        table = simulate(plan)
        assert_rows_match_simulate(out[out["id"] == ident].set_index("month"), table)


def test_caseload_accepts_the_analyst_file_layout():
    """Flags as words, months lists as text, per-month expense columns."""
    frame = pd.DataFrame({
        "id": ["x1", "x2"], "start": ["2026-01", "2026-01"], "benefits": ["SSDI", "ssi"],
        "ssdi_monthly": [1200.0, 0.0], "state": ["ca", "NY"], "blind": ["no", "false"],
        "twp_months_used": ["2025-01;2025-02", ""], "earnings_0": [1300.0, 900.0],
        "earnings_1": [1300.0, 900.0], "irwe_0": [0.0, 50.0], "irwe_1": [0.0, 50.0],
    })
    out = simulate_caseload(frame)
    first = out[out["id"] == "x1"]
    assert list(first["twp_months_used"]) == [3, 4]
    second = out[out["id"] == "x2"]
    assert list(second["ssi_countable_income"]) == [(900 - 20 - 65 - 50) / 2] * 2


def test_empty_caseload_gives_an_empty_table():
    out = simulate_caseload(pd.DataFrame({"id": [], "start": [], "benefits": [],
                                          "earnings_0": []}))
    assert len(out) == 0 and "ssi_paid" in out.columns


def test_dask_in_dask_out(examples):
    dd = pytest.importorskip("dask.dataframe")
    plans = [examples["ssdi_ramp_to_sga"], examples["ssdi_ramp_to_sga"].with_earnings(
        [2000.0] * 36)]
    frame = plans_to_caseload(plans * 3, ids=list("abcdef"))
    lazy = simulate_caseload(dd.from_pandas(frame, npartitions=3))
    assert type(lazy).__module__.startswith("dask")
    assert lazy.compute().reset_index(drop=True).equals(simulate_caseload(frame))


def base_frame(**columns):
    frame = pd.DataFrame({"id": ["a", "b"], "start": ["2026-01", "2026-01"],
                          "benefits": ["ssdi", "ssi"], "ssdi_monthly": [900.0, 0.0],
                          "state": ["CA", "CA"], "earnings_0": [0.0, 100.0],
                          "earnings_1": [0.0, 100.0]})
    for name, values in columns.items():
        if values is None:
            frame = frame.drop(columns=name)
        else:
            frame[name] = values
    return frame


@pytest.mark.parametrize("change, field", [
    ({"id": None}, "id"),
    ({"id": ["a", "a"]}, "id"),
    ({"start": ["2026-01", "2026-13"]}, "start"),
    ({"benefits": ["ssdi", "ssx"]}, "benefits"),
    ({"earnings_1": [0.0, -5.0]}, "earnings_1"),
    ({"earnings_1": [0.0, np.nan]}, "earnings_1"),
    ({"earnings_1": [0.0, "lots"]}, "earnings_1"),
    ({"earnings_0": None}, "earnings_0"),
    ({"ssdi_monthly": [0.0, 0.0]}, "ssdi_monthly"),
    ({"ssdi_monthly": [900.0, 5.0]}, "ssdi_monthly"),
    ({"state": ["CA", "XX"]}, "state"),
    ({"state": None}, "state"),
    ({"blind": ["no", "maybe"]}, "blind"),
    ({"student": [False, True]}, "birth_month"),
    ({"ssi_accounting": ["annual", "same_month"]}, "ssi_accounting"),
    ({"twp_months_used": ["2025-01 2025-1x", ""]}, "twp_months_used"),
    ({"twp_months_used": [" ".join(f"2025-{m:02d}" for m in range(1, 11)), ""]},
     "twp_months_used"),
    ({"twp_completed": ["2026-03", ""]}, "twp_completed"),
    ({"ssdi_cessation_month": ["2025-05", ""]}, "ssdi_cessation_month"),
    ({"bwe": [10.0, 0.0]}, "bwe"),
    ({"hours_0": [10.0, 0.0]}, "hours_1"),
])
def test_caseload_errors_name_the_column(change, field):
    with pytest.raises(PlanError) as caught:
        simulate_caseload(base_frame(**change))
    assert caught.value.field == field, str(caught.value)


def test_caseload_rejects_non_frames():
    with pytest.raises(PlanError, match="^frame"):
        simulate_caseload([{"id": 1}])


# --- the array core ------------------------------------------------------------------------------

def test_run_is_callable_with_plain_arrays():
    earnings = np.array([[1300.0] * 12, [0.0] * 12, [500.0] * 12])
    result = run(Inputs("2026-01", earnings, benefits=["ssdi", "ssi", "concurrent"],
                        ssdi_monthly=[1000.0, 0.0, 400.0], state=["CA", "TX", "NY"]), FIGURES)
    assert set(iwp.rules.NUMERIC_COLUMNS) <= set(result)
    assert result["ssdi_paid"].shape == (3, 12)
    assert result["twp_month"][0].sum() == 9
    assert result["ssi_paid"][1, 0] == 994
    assert (result["ssdi_paid"][1] == 0).all()


def test_run_rejects_bad_shapes():
    with pytest.raises(PlanError, match="^earnings"):
        run(Inputs("2026-01", np.zeros(5), benefits="ssdi", ssdi_monthly=1.0), FIGURES)
    with pytest.raises(PlanError, match="^ssdi_monthly"):
        run(Inputs("2026-01", np.zeros((2, 3)), benefits="ssdi", ssdi_monthly=[1.0, 2.0, 3.0]),
            FIGURES)
    with pytest.raises(PlanError, match="^benefits"):
        run(Inputs("2026-01", np.zeros((1, 3)), benefits="disability", ssdi_monthly=1.0), FIGURES)
    with pytest.raises(PlanError, match="^figures"):  # the engine has no default figures
        run(Inputs("2026-01", np.zeros((1, 3)), benefits="ssdi", ssdi_monthly=1.0), None)
    with pytest.raises(PlanError, match="^inputs"):
        run({"earnings": np.zeros((1, 3))}, FIGURES)


def test_public_api():
    assert iwp.simulate is simulate and iwp.simulate_caseload is simulate_caseload


def test_run_gives_the_same_answer_for_rows_in_any_order():
    """Rows grouped by program take the sliced path of run(); shuffled rows the masked path."""
    rng = np.random.default_rng(3)
    n, months = 60, 30
    codes = np.sort(rng.integers(0, 3, n))  # ssdi 0, ssi 1, concurrent 2
    grouped = np.argsort(iwp.rules.PROGRAM_RANK[codes], kind="stable")
    inputs = dict(
        earnings=rng.uniform(0, 3000, (n, months)).round(2), benefits=codes,
        ssdi_monthly=np.where(codes != 1, 900.0, 0.0), state=rng.choice(["CA", "TX", "AK"], n),
        blind=rng.random(n) < 0.3, student=rng.random(n) < 0.3,
        birth_month=np.full(n, pd.Period("2008-01", "M").ordinal), irwe=40.0,
        ssi_eligible_before=rng.random(n) < 0.7)
    results = {}
    for name, order in (("grouped", grouped), ("shuffled", rng.permutation(n))):
        picked = {k: (v[order] if isinstance(v, np.ndarray) else v) for k, v in inputs.items()}
        result = run(Inputs("2026-01", **picked), FIGURES)
        back = np.argsort(order)
        results[name] = {k: np.asarray(v)[back] for k, v in result.items()}
    for column, values in results["grouped"].items():
        assert np.allclose(values.astype(float), results["shuffled"][column].astype(float),
                           equal_nan=True), column


def test_huge_amounts_simulate_without_crashing():
    """Nothing is clipped: the largest amount a plan takes simulates and its text still reads;
    an absurd one (1.7e308) is refused by the plan (issue 13), never shown as $inf."""
    from iwp_widgets.errors import PlanError
    from iwp_widgets.limits import MAX_MONEY

    plan = Plan.example("concurrent_irwe")
    table = simulate(plan.with_earnings([MAX_MONEY] * plan.months))
    assert (table["gross_earnings"] == MAX_MONEY).all()
    assert table["why"].str.len().min() > 0
    with pytest.raises(PlanError, match=r"^earnings\[0\]: must be at most"):
        plan.with_earnings([1.7e308] + list(plan.earnings[1:]))


def test_ssi_earned_income_steps_follow_the_legal_order():
    """W8 (VCU RRTC, 2010 FBR $674): $750 − $20 − $65 − $100 IRWE = $565, half excluded →
    $282.50 countable; the steps are what ``simulate`` itself subtracts (20 CFR 416.1112(c))."""
    from iwp_widgets.simulate import ssi_earned_income_steps

    plan = Plan.from_dict({
        "schema_version": 1, "start": "2010-01", "earnings": [750.0],
        "work_expenses": {"irwe": 100.0},
        "profile": {"benefits": "ssi", "state": "CA"},
        "options": {"ssi_accounting": "same_month"}})
    steps = ssi_earned_income_steps(plan).iloc[0]
    assert list(steps.index) == ["seie", "general", "earned", "irwe", "half", "bwe", "pass",
                                 "countable_earned"]
    assert steps.to_dict() == {"seie": 0.0, "general": 20.0, "earned": 65.0, "irwe": 100.0,
                               "half": 282.5, "bwe": 0.0, "pass": 0.0, "countable_earned": 282.5}
    assert simulate(plan).iloc[0]["ssi_countable_income"] == 282.5

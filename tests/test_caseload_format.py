"""Caseload files: columns, validation messages, earnings paths, CSV/Parquet round trips, generator."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from iwp_widgets import PlanError
from iwp_widgets.caseload.format import (PATH_COLUMNS, PROFILE_COLUMNS, expand_earnings_paths, read_caseload,
                                         validate_caseload, write_table)
from iwp_widgets.caseload.synthetic import SyntheticSpec, generate_caseload
from iwp_widgets.earnings_path import Break, EarningsPath


def small_caseload(**changes) -> pd.DataFrame:
    frame = pd.DataFrame({
        "id": ["a", "b", "c"],
        "start": ["2026-01"] * 3,
        "benefits": ["ssdi", "ssi", "concurrent"],
        "ssdi_monthly": [1400.0, 0.0, 500.0],
        "state": ["CA", "ny", "TX"],
        "earnings_0": [0.0, 100.0, 200.0],
        "earnings_1": [1300.0, 100.0, 200.0],
    })
    for column, value in changes.items():
        frame[column] = value
    return frame


def test_minimal_caseload_gets_documented_defaults():
    out = validate_caseload(small_caseload())
    assert list(out.columns[:len(PROFILE_COLUMNS) - 1]) == [c for c in PROFILE_COLUMNS if c != "twp_months_used"]
    assert out["ssi_unit"].tolist() == ["individual"] * 3
    assert out["blind"].tolist() == [False] * 3
    assert out["ssi_eligible_before"].tolist() == [True] * 3
    assert out["state"].tolist() == ["CA", "NY", "TX"]
    assert out[["earnings_0", "earnings_1"]].to_numpy().tolist() == [[0, 1300], [100, 100], [200, 200]]


@pytest.mark.parametrize("column, values, message", [
    ("ssdi_monthly", [1400.0, 0.0, -5.0], "ssdi_monthly: row 2 (id 'c'): must be a number ≥ 0, got -5.0"),
    ("earnings_1", [1.0, "lots", 2.0], "earnings_1: row 1 (id 'b'): must be a number ≥ 0, got 'lots'"),
    ("benefits", ["ssdi", "ssi", "both"], "benefits: row 2 (id 'c'): must be one of ssdi, ssi, concurrent"),
    ("blind", [True, "maybe", False], "blind: row 1 (id 'b'): must be true or false"),
    ("start", ["2026-01", "2026-13", "2026-01"], "start: row 1 (id 'b'): must be a month written YYYY-MM"),
    ("id", ["a", "b", "a"], "id: row 2 (id 'a'): must be unique"),
    ("ssdi_monthly", [0.0, 0.0, 500.0], "ssdi_monthly: row 0 (id 'a'): must be more than zero for someone who gets SSDI"),
    ("ssdi_monthly", [1400.0, 10.0, 500.0], "ssdi_monthly: row 1 (id 'b'): must be zero for someone who gets SSI only"),
    ("state", ["CA", "New York", "TX"], "state: row 1 (id 'b'): must be a 2-letter state code"),
    ("twp_months_used", ["", "2025-01;2025-02", "March"], "twp_months_used: row 2 (id 'c'): must be months"),
])
def test_bad_values_name_column_row_and_id(column, values, message):
    with pytest.raises(PlanError) as info:
        validate_caseload(small_caseload(**{column: values}))
    assert str(info.value).startswith(message)
    assert info.value.field == column


def test_missing_required_column_and_gaps_in_earnings_are_named():
    with pytest.raises(PlanError, match="^state: required column is missing"):
        validate_caseload(small_caseload().drop(columns="state"))
    gap = small_caseload().rename(columns={"earnings_1": "earnings_2"})
    with pytest.raises(PlanError, match="^earnings_1: missing"):
        validate_caseload(gap)
    with pytest.raises(PlanError, match="^earnings_0: no earnings given"):
        validate_caseload(small_caseload().drop(columns=["earnings_0", "earnings_1"]))


def test_student_needs_a_birth_month():
    with pytest.raises(PlanError, match=r"^birth_month: row 0 \(id 'a'\): is needed for a student"):
        validate_caseload(small_caseload(student=["yes", "no", "no"]))
    ok = validate_caseload(small_caseload(student=["yes", "no", "no"], birth_month=["2007-04", None, None]))
    assert ok["student"].tolist() == [True, False, False]


def test_earnings_path_columns_match_the_counselor_earnings_path():
    """The vectorised expansion gives the same months as iwp_widgets.earnings_path for each ramp."""
    paths = [
        EarningsPath(months=14, start_month=2, start_hours=10, start_wage=12, target_month=8, target_hours=30,
                     target_wage=14, ramp="linear", breaks=(Break(10, 11),)),
        EarningsPath(months=14, start_month=0, start_hours=20, start_wage=15, target_month=5, target_hours=40,
                     ramp="steps"),
        EarningsPath(months=14, start_month=3, start_hours=25, start_wage=16.5),
    ]
    rows = []
    for i, p in enumerate(paths):
        rows.append({"start_month": p.start_month, "start_hours": p.start_hours, "start_wage": p.start_wage,
                     "target_month": p.target_month, "target_hours": p.target_hours,
                     "target_wage": p.target_wage, "ramp": p.ramp,
                     "break_first": p.breaks[0].first if p.breaks else None,
                     "break_last": p.breaks[0].last if p.breaks else None})
    expanded = expand_earnings_paths(pd.DataFrame(rows), months=14)
    for row, path in zip(expanded, paths):
        assert row.tolist() == pytest.approx(path.earnings(), abs=0.006)


def test_yearly_raise_applies_in_months_12_24_36():
    frame = pd.DataFrame({"start_hours": [10.0], "start_wage": [12.0], "wage_growth": [0.1]})
    row = expand_earnings_paths(frame, months=37)[0]
    base = 10 * 12 * 52 / 12
    assert row[0] == row[11] == pytest.approx(base)
    assert row[12] == pytest.approx(base * 1.1, abs=0.01)
    assert row[36] == pytest.approx(base * 1.1 ** 3, abs=0.01)


def test_earnings_path_errors_name_the_column():
    frame = pd.DataFrame({"start_hours": [10.0, 20.0], "start_wage": [12.0, 12.0], "target_month": [5, 0],
                          "start_month": [0, 2]})
    with pytest.raises(PlanError, match="^target_month: row 1: must come after start_month"):
        expand_earnings_paths(frame, months=12)
    frame = pd.DataFrame({"start_hours": [200.0], "start_wage": [12.0]})
    with pytest.raises(PlanError, match="^start_hours: row 0: must be at most 168"):
        expand_earnings_paths(frame, months=12)
    with pytest.raises(PlanError, match="^months:"):
        validate_caseload(small_caseload().drop(columns=["earnings_0", "earnings_1"]).assign(
            start_hours=10.0, start_wage=10.0))


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet"])
def test_file_round_trip_keeps_every_value(tmp_path, suffix):
    caseload = generate_caseload(40, SyntheticSpec(months=18), seed=3)
    path = write_table(caseload, tmp_path / f"caseload{suffix}")
    back = read_caseload(path)
    pd.testing.assert_frame_equal(back.astype(str), caseload.astype(str), check_dtype=False)


def test_earnings_path_file_expands_on_reading(tmp_path):
    paths = generate_caseload(25, SyntheticSpec(months=24), seed=4, expand=False)
    assert set(PATH_COLUMNS) <= set(paths.columns)
    file = write_table(paths, tmp_path / "paths.csv")
    expanded = read_caseload(file, months=24)
    direct = generate_caseload(25, SyntheticSpec(months=24), seed=4)
    np.testing.assert_allclose(expanded.filter(like="earnings_").to_numpy(),
                               direct.filter(like="earnings_").to_numpy())


def test_file_errors(tmp_path):
    with pytest.raises(PlanError, match="^path: .* must end in .csv"):
        read_caseload(tmp_path / "caseload.xlsx")
    with pytest.raises(PlanError, match="^path: no caseload file"):
        read_caseload(tmp_path / "missing.csv")


def test_generator_is_seeded_and_partitions_differ():
    a = generate_caseload(200, seed=11)
    pd.testing.assert_frame_equal(a, generate_caseload(200, seed=11))
    other = generate_caseload(200, seed=11, partition=1)
    assert not np.allclose(a.filter(like="earnings_").to_numpy(), other.filter(like="earnings_").to_numpy())
    assert set(a["id"]).isdisjoint(other["id"])


def test_generator_follows_its_assumptions():
    spec = SyntheticSpec(months=36, benefit_mix={"ssi": 1.0}, working_share=0.0, student_share=1.0,
                         states=("VT",))
    caseload = generate_caseload(300, spec, seed=2)
    assert (caseload["benefits"] == "ssi").all() and (caseload["ssdi_monthly"] == 0).all()
    assert (caseload.filter(like="earnings_").to_numpy() == 0).all()
    assert caseload["student"].all() and caseload["birth_month"].notna().all()
    assert (caseload["state"] == "VT").all()
    assert caseload.filter(like="earnings_").shape[1] == 36

    mixed = generate_caseload(4000, seed=5)
    shares = mixed["benefits"].value_counts(normalize=True)
    assert shares["ssdi"] == pytest.approx(0.55, abs=0.03)
    ssdi_only = mixed.loc[mixed["benefits"] == "ssdi", "ssdi_monthly"]
    assert ssdi_only.median() == pytest.approx(1500, rel=0.05)
    working = (mixed.filter(like="earnings_").to_numpy() > 0).any(axis=1).mean()
    assert working == pytest.approx(0.75, abs=0.03)


@pytest.mark.parametrize("changes, field", [
    ({"benefit_mix": {"ssdi": 0.5, "ssi": 0.4}}, "benefit_mix"),
    ({"benefit_mix": {"ssdi": 0.5, "dib": 0.5}}, "benefit_mix"),
    ({"working_share": 1.5}, "working_share"),
    ({"wage_median": -1}, "wage_median"),
    ({"target_hours": (30, 20)}, "target_hours"),
    ({"months": 0}, "months"),
    ({"start": "January"}, "start"),
])
def test_generator_rejects_impossible_assumptions(changes, field):
    with pytest.raises(PlanError) as info:
        SyntheticSpec(**changes)
    assert info.value.field == field


def test_per_month_expenses_and_hours_pass_through():
    frame = small_caseload(irwe_0=[10.0, 0.0, 0.0], irwe_1=[20.0, 0.0, 0.0])
    out = validate_caseload(frame)
    assert out[["irwe_0", "irwe_1"]].to_numpy().tolist() == [[10, 20], [0, 0], [0, 0]]
    assert "irwe" not in out.columns
    with pytest.raises(PlanError, match="^irwe: give one amount"):
        validate_caseload(frame.assign(irwe=5.0))
    with pytest.raises(PlanError, match=r"^hours_1: missing \(1 months of hours, but 2 of earnings\)"):
        validate_caseload(small_caseload(hours_0=[1.0, 2.0, 3.0]))
    with pytest.raises(PlanError, match=r"^irwe_1: row 0 \(id 'a'\): must be a number ≥ 0"):
        validate_caseload(small_caseload(irwe_0=[1.0, 0.0, 0.0], irwe_1=[-1.0, 0.0, 0.0]))


def test_unknown_columns_are_errors_unless_allowed():
    with pytest.raises(PlanError, match=r"^blnd: unknown column \(did you mean 'blind'\?\)"):
        validate_caseload(small_caseload(blnd=[True, False, False]))
    kept = validate_caseload(small_caseload(region=["N", "S", "E"]), allow_extra=True)
    assert kept["region"].tolist() == ["N", "S", "E"]


@pytest.mark.parametrize("name", ["out.csv", "out.csv.gz", "out.parquet"])
def test_table_writer_streams_pieces_into_one_file(tmp_path, name):
    from iwp_widgets.caseload.format import TableWriter

    whole = pd.DataFrame({"id": [f"b{i}" for i in range(10)], "month": pd.period_range("2026-01", periods=10, freq="M"),
                          "paid": np.arange(10) * 1.5})
    with TableWriter(tmp_path / name) as writer:
        for first in range(0, 10, 4):
            writer.write(whole.iloc[first:first + 4])
    back = pd.read_parquet(tmp_path / name) if name.endswith(".parquet") else pd.read_csv(tmp_path / name)
    assert writer.rows == 10 and back["id"].tolist() == whole["id"].tolist()
    assert back["month"].astype(str).tolist() == whole["month"].astype(str).tolist()
    assert back["paid"].tolist() == whole["paid"].tolist()


def test_table_writer_leaves_nothing_when_the_run_fails(tmp_path):
    from iwp_widgets.caseload.format import TableWriter

    with pytest.raises(PlanError):
        with TableWriter(tmp_path / "out.parquet") as writer:
            writer.write(pd.DataFrame({"a": [1.0]}))
            raise PlanError("earnings_0: boom")
    assert list(tmp_path.iterdir()) == []


# --- the plan model's cross-field rules apply to caseload rows too (issue 13, item 10) -------------
# Each case breaks one rule on row 1 (id 'b', SSI only) or row 0 (id 'a', SSDI), starting 2026-01.
# The same profile as a plan is refused by Plan for the same field (plan_of_row below).

RULE_CASES = [
    ("ssi-only with a TWP end", 1, {"twp_completed": "2025-01"}, "twp_completed", "is SSDI history"),
    ("ssi-only with TWP months", 1, {"twp_months_used": "2025-01"}, "twp_months_used", "is SSDI history"),
    ("ssi-only with a cessation", 1, {"ssdi_cessation_month": "2025-06", "twp_completed": None},
     "ssdi_cessation_month", "is SSDI history"),
    ("state supplement for ssdi", 0, {"state_supplement": 50.0}, "state_supplement", "is paid with SSI"),
    ("birth month after start", 1, {"student": True, "birth_month": "2026-05"}, "birth_month",
     "must be before the plan's first month"),
    ("TWP end after start", 0, {"twp_completed": "2026-03"}, "twp_completed", "must be before the plan's first month"),
    ("TWP end in the start month", 0, {"twp_completed": "2026-01"}, "twp_completed", "must be before the plan's first month"),
    ("cessation without a TWP end", 0, {"ssdi_cessation_month": "2025-06"}, "ssdi_cessation_month",
     "needs the month the trial work period ended"),
    ("cessation before the TWP end", 0, {"twp_completed": "2025-06", "ssdi_cessation_month": "2025-06"},
     "ssdi_cessation_month", "must be after the month the trial work period ended"),
    ("cessation after start", 0, {"twp_completed": "2025-06", "ssdi_cessation_month": "2026-02"},
     "ssdi_cessation_month", "must be before the plan's first month"),
    ("TWP month after the TWP end", 0, {"twp_completed": "2025-03", "twp_months_used": "2025-01 2025-05"},
     "twp_months_used", "after the trial work period ended"),
    ("TWP month listed twice", 0, {"twp_months_used": "2025-01;2025-01"}, "twp_months_used", "twice"),
    ("TWP month from start on", 0, {"twp_months_used": "2025-01 2026-01"}, "twp_months_used",
     "must be before the plan's first month; months from then on are projected"),
    ("ten TWP months in 60", 0, {"twp_months_used": " ".join(f"2024-{m:02d}" for m in range(1, 11))},
     "twp_months_used", "lists more than 9 months within 60 months in a row"),
    ("TWP month after the 9th", 0,
     {"twp_months_used": " ".join([f"2019-{m:02d}" for m in range(1, 10)] + ["2025-03"])},
     "twp_months_used", "lists a month after the 9th, which ended the trial work period"),
    ("blind work expenses, not blind", 0, {"bwe": 40.0}, "bwe", "count only for someone who is blind"),
    ("blind work expenses by month, not blind", 0, {"bwe_0": 0.0, "bwe_1": 40.0}, "bwe_1",
     "count only for someone who is blind"),
    ("IRWE for a blind SSI recipient", 1, {"blind": True, "irwe": 30.0}, "irwe", "are entered as blind work expenses"),
    ("subsidy for SSI only", 1, {"subsidy": 100.0}, "subsidy", "matters only for the SSDI earnings test"),
    ("PASS for SSDI only", 0, {"pass": 100.0}, "pass", "is an SSI exclusion, and this person gets SSDI only"),
    ("start before the SSI figures", 1, {"start": "1990-01"}, "start", "outside the program figures"),
    ("more hours than a month has", 0, {"hours_0": 10.0, "hours_1": 745.0}, "hours_1", "at most 744"),
    ("SSI since, for SSDI only", 0, {"ssi_since": "2025-12"}, "ssi_since", "this person gets SSDI only"),
    ("SSI since, not getting SSI", 1, {"ssi_since": "2025-12", "ssi_eligible_before": False}, "ssi_since",
     "“Getting SSI now” is not checked"),
    ("SSI since the start", 2, {"ssi_since": "2026-01"}, "ssi_since", "must be before the plan's first month"),
    ("a million-dollar check", 0, {"ssdi_monthly": 1_000_000.01}, "ssdi_monthly",
     "must be at most $1,000,000.00 a month"),
    ("earnings of 1e308", 2, {"earnings_1": 1e308}, "earnings_1", "must be at most $1,000,000.00 a month"),
    ("earnings before the plan", 1, {"earned_1_month_before": 2e6}, "earned_1_month_before",
     "must be at most $1,000,000.00 a month"),
    ("year 0", 1, {"student": True, "birth_month": "0000-01"}, "birth_month", "YYYY-MM"),
]


def one_change(row: int, changes: dict) -> pd.DataFrame:
    frame = small_caseload()
    for column, value in changes.items():
        if column not in frame:
            frame[column] = (False if isinstance(value, bool) else
                             None if value is None or isinstance(value, str) else 0.0)
        frame.loc[row, column] = value
    return frame


PLAN_FIELDS = {"start": "start", "hours": "hours", **{k: f"work_expenses.{k}" for k in ("irwe", "bwe", "subsidy", "pass")}}


def plan_of_row(row: dict) -> dict:
    """A caseload row (after reading, before validation) as a plan document."""
    from iwp_widgets.plan import PROFILE_DEFAULTS, SCHEMA_VERSION

    months = len([c for c in row if c.startswith("earnings_")])
    profile = {k: row[k] for k in PROFILE_DEFAULTS if k in row and not pd.isna(row[k])}
    profile["twp_months_used"] = str(row.get("twp_months_used") or "").replace(";", " ").split()
    for flag in ("blind", "student", "ssi_eligible_before"):
        profile[flag] = bool(profile.get(flag, PROFILE_DEFAULTS[flag]))
    per_month = lambda prefix: [row[f"{prefix}_{t}"] for t in range(months)] if f"{prefix}_0" in row else None
    expenses = {k: per_month(k) or float(row.get(k) or 0.0) for k in ("irwe", "bwe", "subsidy", "pass")}
    before = lambda kind: [row.get(f"{kind}_2_months_before"), row.get(f"{kind}_1_month_before")]
    profile["earnings_before"] = [v if v is not None and not pd.isna(v) else 0.0 for v in before("earned")]
    if any(v is not None and not pd.isna(v) for v in before("unearned")):
        profile["unearned_before"] = before("unearned")
    return {"schema_version": SCHEMA_VERSION, "start": row["start"], "earnings": per_month("earnings"),
            "hours": per_month("hours"), "work_expenses": expenses, "profile": profile}


BEFORE_COLUMNS = {"earnings_before[0]": "earned_2_months_before", "earnings_before[1]": "earned_1_month_before",
                  "unearned_before[0]": "unearned_2_months_before", "unearned_before[1]": "unearned_1_month_before"}


def plan_field(error: PlanError) -> str:
    """The caseload column for the field a plan's error names."""
    field = error.field.removeprefix("profile.").removeprefix("work_expenses.")
    return BEFORE_COLUMNS.get(field, field.split("[")[0])


@pytest.mark.parametrize("row, changes, column, words", [c[1:] for c in RULE_CASES], ids=[c[0] for c in RULE_CASES])
def test_caseload_rows_follow_the_plan_rules(row, changes, column, words):
    from iwp_widgets.plan import Plan

    frame = one_change(row, changes)
    with pytest.raises(PlanError) as info:
        validate_caseload(frame)
    ident = frame.loc[row, "id"]
    assert str(info.value).startswith(f"{column}: row {row} (id {ident!r}): "), info.value
    assert words in str(info.value) and info.value.field == column
    with pytest.raises(PlanError) as plan_info:
        Plan.from_dict(plan_of_row(frame.iloc[row].to_dict()))
    assert plan_field(plan_info.value) == (column.rpartition("_")[0] if column[-1].isdigit() else column)
    # The rows that break no rule stay valid.
    validate_caseload(frame.drop(index=row))


def test_plan_rules_allow_what_plans_allow():
    """History that fits together, expenses that fit the benefits: accepted by both."""
    from iwp_widgets.plan import Plan

    frame = small_caseload(twp_months_used=["2024-01 2024-03", "", "2025-01"], twp_completed=[None, None, "2025-04"],
                           ssdi_cessation_month=[None, None, "2025-07"], blind=[True, True, False],
                           bwe=[10.0, 20.0, 0.0], irwe=[5.0, 0.0, 7.0], subsidy=[1.0, 0.0, 0.0],
                           **{"pass": [0.0, 9.0, 3.0]}, state_supplement=[0.0, 30.0, 10.0],
                           student=[False, True, False], birth_month=[None, "2007-05", "1990-01"])
    out = validate_caseload(frame)
    assert out["twp_months_used"].tolist() == ["2024-01 2024-03", "", "2025-01"]
    for row in range(3):
        Plan.from_dict(plan_of_row(frame.iloc[row].to_dict()))


MONTHS_AROUND_START = st.one_of(st.none(), st.sampled_from(["2019-12", "2023-02", "2024-06", "2025-06", "2025-12",
                                                             "2026-01", "2026-04"]))
TWP_MONTHS = st.sampled_from([f"2021-{m:02d}" for m in range(1, 13)] + ["2024-05", "2025-09", "2026-01"])


@st.composite
def profile_rows(draw) -> dict:
    """One caseload row whose values are each fine on their own; together they may not be."""
    benefits = draw(st.sampled_from(["ssdi", "ssi", "concurrent"]))
    amount = lambda: draw(st.sampled_from([0.0, 0.0, 0.0, 25.0]))
    return {
        "id": "x", "start": draw(st.sampled_from(["2026-01", "2026-01", "1999-06"])), "benefits": benefits,
        "ssdi_monthly": draw(st.sampled_from([0.0, 800.0] if draw(st.booleans()) else
                                             [800.0 if benefits != "ssi" else 0.0])),
        "state": "OH", "state_supplement": amount(), "blind": draw(st.booleans()), "student": draw(st.booleans()),
        "birth_month": draw(st.sampled_from([None, "2005-03", "2026-02"])),
        "twp_completed": draw(MONTHS_AROUND_START), "ssdi_cessation_month": draw(MONTHS_AROUND_START),
        "twp_months_used": " ".join(draw(st.one_of(st.just([]), st.lists(TWP_MONTHS, max_size=11, unique=True),
                                                   st.lists(TWP_MONTHS, max_size=3)))),
        "irwe": amount(), "bwe": amount(), "subsidy": amount(), "pass": amount(),
        "ssi_eligible_before": draw(st.sampled_from([True, True, False])),
        "ssi_since": draw(st.sampled_from([None, None, "2025-12", "2026-01"])),
        "earned_1_month_before": draw(st.sampled_from([0.0, 500.0, 2e6])),
        "earnings_0": 100.0, "earnings_1": 900.0,
    }


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(profile_rows())
def test_caseload_and_plan_refuse_the_same_rows_for_the_same_field(row):
    """Whatever combination of fields, the caseload validator and the plan model agree: both accept,
    or both refuse and name the same field first (the table follows the plan model's order)."""
    from iwp_widgets.plan import Plan

    try:
        validate_caseload(pd.DataFrame([row]))
        caseload = None
    except PlanError as error:
        caseload = error.field
    try:
        Plan.from_dict(plan_of_row(row))
        plan = None
    except PlanError as error:
        plan = plan_field(error)
    event(f"refused for {plan}")
    assert caseload == plan, (caseload, plan, row)

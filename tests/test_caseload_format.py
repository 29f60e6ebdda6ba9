"""Caseload files: columns, validation messages, earnings paths, CSV/Parquet round trips, generator."""

import numpy as np
import pandas as pd
import pytest

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
    ("ssdi_monthly", [0.0, 0.0, 500.0], "ssdi_monthly: row 0 (id 'a'): must be more than 0 for SSDI"),
    ("ssdi_monthly", [1400.0, 10.0, 500.0], "ssdi_monthly: row 1 (id 'b'): must be 0 when benefits is ssi"),
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
    with pytest.raises(PlanError, match=r"^birth_month: row 0 \(id 'a'\): is required when student is true"):
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
    with pytest.raises(PlanError, match="^hours_0: 1 months of hours, but 2 of earnings"):
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

"""Summaries: per-beneficiary outcomes from a monthly table, binned counts that merge exactly."""

import numpy as np
import pandas as pd
import pytest

from iwp_widgets import PlanError
from iwp_widgets.caseload.summary import CaseloadSummary, beneficiary_outcomes, compare


def monthly_table(ids=("a", "b"), months=4) -> pd.DataFrame:
    """A hand-made table with the plan contract's columns (numbers chosen to be easy to check)."""
    rows = []
    earnings = {"a": [0, 1300, 1800, 1800], "b": [500, 500, 500, 500], "c": [2000, 0, 0, 0]}
    status = {"a": ["none", "twp", "epe", "epe"], "b": ["none"] * 4, "c": ["twp", "none", "none", "none"]}
    for ident in ids:
        for t in range(months):
            gross = earnings[ident][t]
            rows.append({"id": ident, "month": pd.Period("2026-01", "M") + t, "gross_earnings": gross,
                         "countable_earnings": gross, "twl": 1210.0, "sga": 1690.0,
                         "epe_month": status[ident][t] == "epe", "ssdi_paid": 1000.0, "ssi_paid": 10.0 * t,
                         "total_income": gross + 1000.0 + 10.0 * t, "en_payment": 100.0 if t == 3 else 0.0})
    return pd.DataFrame(rows)


def test_outcomes_per_beneficiary():
    out = beneficiary_outcomes(monthly_table())
    assert out.index.tolist() == ["a", "b"]
    assert out.loc["a", "months_to_twl"] == 1 and out.loc["a", "months_to_sga"] == 2
    assert out.loc["a", "months_to_epe"] == 2
    assert np.isnan(out.loc["b", "months_to_twl"]) and np.isnan(out.loc["b", "months_to_sga"])
    assert out.loc["a", "ssdi_paid"] == 4000 and out.loc["a", "ssi_paid"] == 60
    assert out.loc["a", "benefits_paid"] == 4060
    assert out.loc["b", "total_income"] == 2000 + 4000 + 60
    assert out.loc["b", "en_payment"] == 100 and out.loc["b", "months"] == 4


def test_missing_column_is_named():
    with pytest.raises(PlanError, match="^ssdi_paid: the results table lacks this column"):
        beneficiary_outcomes(monthly_table().drop(columns="ssdi_paid"))


def test_table_shares_means_and_quantiles():
    summary = CaseloadSummary.from_outcomes(beneficiary_outcomes(monthly_table(("a", "b", "c"))))
    table = summary.table()
    assert summary.beneficiaries == 3
    assert table.loc["months_to_sga", "share"] == pytest.approx(2 / 3)   # a (month 2) and c (month 0)
    assert table.loc["months_to_sga", "mean"] == pytest.approx(1.0)
    assert table.loc["months_to_sga", "p50"] == 0 and table.loc["months_to_sga", "p90"] == 2
    assert table.loc["ssi_paid", "share"] == 1.0
    assert table.loc["gross_earnings", "mean"] == pytest.approx((4900 + 2000 + 2000) / 3)


def test_quantiles_of_dollars_are_rounded_down_to_the_bin_and_match_numpy():
    rng = np.random.default_rng(0)
    outcomes = beneficiary_outcomes(monthly_table(("a",)))
    many = pd.concat([outcomes] * 500, ignore_index=True)
    many["total_income"] = rng.uniform(0, 50_000, len(many))
    summary = CaseloadSummary.from_outcomes(many, dollar_bin=10)
    binned = np.floor(many["total_income"].to_numpy() / 10) * 10
    for q in (0.1, 0.5, 0.9):
        assert summary.quantile("total_income", q) == np.quantile(binned, q, method="inverted_cdf")
    assert summary.table().loc["total_income", "mean"] == pytest.approx(many["total_income"].mean())


def test_merged_parts_equal_the_whole():
    rng = np.random.default_rng(1)
    outcomes = beneficiary_outcomes(monthly_table(("a", "b", "c")))
    many = pd.concat([outcomes] * 300, ignore_index=True)
    many["ssdi_paid"] = rng.uniform(0, 90_000, len(many)).round(2)
    many["months_to_twl"] = np.where(rng.random(len(many)) < 0.3, np.nan, rng.integers(0, 60, len(many)))
    whole = CaseloadSummary.from_outcomes(many)
    parts = [CaseloadSummary.from_outcomes(many.iloc[i:i + 97]) for i in range(0, len(many), 97)]
    merged = parts[0].merge(*parts[1:])
    pd.testing.assert_frame_equal(merged.table(), whole.table())
    pd.testing.assert_frame_equal(merged.histogram("ssdi_paid"), whole.histogram("ssdi_paid"))


def test_compare_reports_changes():
    base = CaseloadSummary.from_outcomes(beneficiary_outcomes(monthly_table(("a", "b"))))
    table = monthly_table(("a", "b"))
    table["ssdi_paid"] += 100
    reform = CaseloadSummary.from_outcomes(beneficiary_outcomes(table))
    out = compare(base, reform)
    assert out.loc["ssdi_paid", "mean_change"] == pytest.approx(400)
    assert out.loc["months_to_twl", "share_change"] == 0

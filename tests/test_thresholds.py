"""The shipped figure files in thresholds/ and the loader that reads them.

Spot values come from /work/shared/rules.md, which gives each figure's sources:
SGA and TWL tables §1.3 and §2.4 (20 CFR §404.1574 Table 1, §404.1592, SSA OACT),
FBR §4.1 (SSA Annual Statistical Supplement Table 2.B1), EN payments §6.4
(20 CFR §411.545 Chart I; Your Ticket to Work milestone-outcome page, 2025), 1619(b)
§4.7 (POMS SI 02302.200 TN 38).
"""

import csv
import math
import re

import numpy as np
import pandas as pd
import pytest

from iwp_widgets import PlanError
from iwp_widgets.thresholds import DATA_DIR, STATUSES, ThresholdError, Thresholds

FILES = sorted(DATA_DIR.glob("*.csv"))
BASE_COLUMNS = ["effective", "value", "status", "source", "note"]
KEYED = {"medicaid_1619b_threshold"}


def raw_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def th():
    return Thresholds.from_directory(DATA_DIR)


def test_every_figure_the_common_brief_names_is_shipped(th):
    expected = {
        "twl", "twp_self_employed_hours", "twp_service_months", "twp_window_months",
        "epe_reentitlement_months", "ssdi_grace_months", "exr_window_months",
        "exr_provisional_months", "sga_non_blind", "sga_blind", "ssi_fbr_individual",
        "ssi_fbr_couple", "ssi_general_exclusion", "ssi_earned_exclusion",
        "ssi_earned_share_excluded", "seie_monthly_limit", "seie_annual_limit", "seie_age_limit",
        "medicaid_1619b_threshold", "en_pcb_title2", "en_pcb_title16", "en_phase1_milestone",
        "en_phase2_milestone_title2", "en_phase2_milestone_title16", "en_mo_outcome_title2",
        "en_mo_outcome_title16", "en_oo_outcome_title2", "en_oo_outcome_title16",
        "en_phase2_count_title2", "en_phase2_count_title16", "en_outcome_count_title2",
        "en_outcome_count_title16", "progress_period_months", "en_phase1_milestone_count",
        "en_p1_share_of_pcb", "en_p2_share_of_pcb", "en_mo_outcome_share_of_pcb",
        "en_oo_outcome_share_of_pcb", "en_p1m1_regulation_share_of_twl",
    }
    assert expected <= set(th.names())


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_file_is_well_formed(path, th):
    columns, rows = raw_rows(path)
    # The loader's contract: the five base columns plus an optional ``key`` (required where
    # the figure differs by state).
    assert [c for c in columns if c != "key"] == BASE_COLUMNS
    if path.stem in KEYED:
        assert "key" in columns
    assert rows, "a figure file needs at least one row"
    order = [(r.get("key", ""), r["effective"]) for r in rows]
    assert order == sorted(order), "rows must be sorted by (key, effective)"
    assert len(set(order)) == len(order), "duplicate (key, effective)"
    for r in rows:
        where = f"{path.name} {r.get('key', '')} {r['effective']}"
        assert re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", r["effective"]), where
        assert r["status"] in STATUSES, where
        assert r["source"].strip(), f"{where}: no source"
        assert math.isfinite(float(r["value"])), where
        if r["status"] == "carried_forward":
            assert r["note"].startswith("not found; previous year's value carried forward"), where
    # Loads through the public loader, with the same row count.
    assert len(th.table(path.stem)) == len(rows)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_carried_forward_rows_repeat_the_previous_value(path):
    _, rows = raw_rows(path)
    for before, row in zip(rows, rows[1:]):
        if row["status"] == "carried_forward" and before.get("key") == row.get("key"):
            assert float(row["value"]) == float(before["value"]), row["effective"]


@pytest.mark.parametrize("name, first, yearly_from", [
    ("twl", "1990-01", 1990), ("sga_non_blind", "1990-01", 1990), ("sga_blind", "1990-01", 1990),
    ("ssi_fbr_individual", "2000-01", 2000), ("ssi_fbr_couple", "2000-01", 2000),
    ("seie_monthly_limit", "1990-01", 2001), ("seie_annual_limit", "1990-01", 2001),
    ("en_pcb_title2", "2008-07", 2009), ("en_pcb_title16", "2008-07", 2009),
    ("en_phase1_milestone", "2008-07", 2009), ("en_oo_outcome_title16", "2008-07", 2009),
])
def test_yearly_figures_have_a_january_row_every_year(th, name, first, yearly_from):
    starts = th.table(name)["effective"]
    assert str(starts.iloc[0]) == first and str(starts.iloc[-1]) == "2026-01"
    januaries = {p.year for p in starts if p.month == 1}
    assert januaries >= set(range(yearly_from, 2027))


# --- spot values (rules.md sections named in each case) ---------------------------

@pytest.mark.parametrize("name, month, expected", [
    ("twl", "2026-03", 1210),             # §1.3: LEBRON, LEAHY, VET, AWI formula
    ("twl", "2025-06", 1160),             # §1.3: OACT-TWP 2025 edition
    ("twl", "1995-05", 200),              # §1.3: CFR §404.1592 Table 1; W1 uses $200 for 1995
    ("sga_non_blind", "2026-01", 1690),   # §2.4
    ("sga_blind", "2026-12", 2830),       # §2.4
    ("sga_non_blind", "1997-03", 500),    # §2.4; W1/W2 (CFR §404.1574a examples) use $500
    ("sga_non_blind", "1999-03", 500),    # §2.4: CFR Table 1 "January 1990-June 1999 $500"
    ("sga_non_blind", "1999-08", 700),    # §2.4: "July 1999-December 2000 $700"
    ("sga_non_blind", "2008-07", 940),    # §2.4 and CFR §411.550 note
    ("ssi_fbr_individual", "2026-02", 994),  # §4.1
    ("ssi_fbr_couple", "2026-02", 1491),     # §4.1
    ("ssi_fbr_individual", "2010-06", 674),  # §4.1; W8 uses $674 (2009-2011)
    ("seie_monthly_limit", "2005-04", 1410),  # §4.3; W6 (POMS SI 00820.510 Jim Thayer)
    ("seie_annual_limit", "2005-04", 5670),   # §4.3; W6
    ("seie_monthly_limit", "1995-01", 400),   # §4.3: CFR §416.1112 Table 1, before 2001
    ("en_phase1_milestone", "2025-05", 1850),  # §6.4: YTTW-MO
    ("en_phase1_milestone", "2008-09", 1177),  # §6.4 / W16: CFR §411.545 Chart I
    ("en_mo_outcome_title2", "2025-01", 555),  # §6.4: YTTW-OUT
    ("en_mo_outcome_title16", "2025-01", 310),  # §6.4: YTTW-OUT
    ("en_oo_outcome_title2", "2008-07", 657),  # W16: CFR §411.550 Chart II
    ("en_pcb_title16", "2008-07", 563.35),     # W16: CFR §411.545 Chart I note
    ("twp_service_months", "2026-01", 9),      # §1.1: CFR §404.1592(e)
    ("ssdi_grace_months", "1997-04", 2),       # §3.1: §404.1592a(a)(2)(i); W1 pays Apr-Jun 1997
    ("ssi_earned_share_excluded", "2026-01", 0.5),  # §4.2: CFR §416.1112(c)(7)
    ("en_p1m1_regulation_share_of_twl", "2008-07", 0.5),  # §6.3: CFR §411.525(a)(2)(i)
])
def test_spot_values(th, name, month, expected):
    assert th.value(name, month) == pytest.approx(expected)


def test_twp_self_employed_hours_from_cfr_table_2(th):
    # 20 CFR §404.1592(b)(2) Table 2: 1990-2000 more than 40 h, calendar year 2001 80 h.
    assert th.value("twp_self_employed_hours", "2000-12") == 40
    assert th.value("twp_self_employed_hours", "2001-01") == 80
    assert th.value("twp_self_employed_hours", "2026-01") == 80


def test_en_2008_chart_is_the_cfr_shares_of_the_pcb(th):
    # W16 (CFR §411.545 Chart I, §411.550): each payment = share x PCB, rounded to a dollar.
    month = "2008-07"
    pcb2, pcb16 = th.value("en_pcb_title2", month), th.value("en_pcb_title16", month)
    cases = [  # (share, base, payment)
        ("en_p1_share_of_pcb", pcb2, "en_phase1_milestone"),
        ("en_p2_share_of_pcb", pcb2, "en_phase2_milestone_title2"),
        ("en_p2_share_of_pcb", pcb16, "en_phase2_milestone_title16"),
        ("en_mo_outcome_share_of_pcb", pcb2, "en_mo_outcome_title2"),
        ("en_mo_outcome_share_of_pcb", pcb16, "en_mo_outcome_title16"),
        ("en_oo_outcome_share_of_pcb", pcb2, "en_oo_outcome_title2"),
        ("en_oo_outcome_share_of_pcb", pcb16, "en_oo_outcome_title16"),
    ]
    for share, base, payment in cases:
        assert round(th.value(share, month) * base) == th.value(payment, month), payment


def test_1619b_thresholds(th):
    # rules.md §4.7: POMS SI 02302.200 TN 38 (2026) confirms CA, CA blind, NY, TX.
    assert th.value("medicaid_1619b_threshold", "2026-01", key="CA") == 66078
    assert th.value("medicaid_1619b_threshold", "2026-05", key="CA_blind") == 68103
    assert th.value("medicaid_1619b_threshold", "2026-01", key="NY") == 68654
    assert th.value("medicaid_1619b_threshold", "2025-01", key="AK") == 91034
    ca = th.lookup("medicaid_1619b_threshold", "2026-01", key="CA")
    assert ca.status == "official" and "02302.200" in ca.source
    assert th.lookup("medicaid_1619b_threshold", "2026-01", key="OH").status == "single_source"
    states = {k for k in th.keys("medicaid_1619b_threshold") if not k.endswith("_blind")}
    assert len(states) == 51  # 50 states and DC
    blind = {"CA_blind", "IA_blind", "MA_blind", "NV_blind"}
    assert blind <= set(th.keys("medicaid_1619b_threshold"))
    # 2024 for California was not found: the 2023 figure is carried forward and flagged.
    ca_2024 = th.lookup("medicaid_1619b_threshold", "2024-06", key="CA")
    assert ca_2024.value == 57251 and ca_2024.status == "carried_forward" and ca_2024.projected


# --- projected flag ------------------------------------------------------------------

def test_months_after_the_last_year_are_projected(th):
    assert th.lookup("twl", "2030-04").projected
    assert th.lookup("twl", "2030-04").value == 1210
    assert not th.lookup("twl", "2026-12").projected
    values, projected = th.series("sga_non_blind", pd.period_range("2026-11", "2027-02", freq="M"))
    np.testing.assert_array_equal(values, [1690, 1690, 1690, 1690])
    np.testing.assert_array_equal(projected, [False, False, True, True])


def test_carried_forward_rows_are_projected(th):
    figure = th.lookup("en_pcb_title2", "2015-03")
    assert figure.status == "carried_forward" and figure.projected
    assert not th.lookup("en_pcb_title2", "2008-07").projected
    _, projected = th.series("en_phase1_milestone", ["2008-08", "2012-01", "2025-01", "2026-01"])
    np.testing.assert_array_equal(projected, [False, True, False, True])


def test_rule_constants_are_never_projected(th):
    # A regulation constant holds until the rule changes; it is not a stale yearly figure.
    for name in ("twp_service_months", "ssi_earned_exclusion", "twp_self_employed_hours",
                 "en_outcome_count_title2"):
        assert not th.lookup(name, "2030-01").projected, name
        _, projected = th.series(name, ["2009-01", "2030-01"])
        assert not projected.any(), name


def test_series_matches_lookup(th):
    months = pd.period_range("1998-01", "2027-12", freq="M")
    values, projected = th.series("sga_non_blind", months)
    for i in (0, 17, 18, 100, len(months) - 1):
        figure = th.lookup("sga_non_blind", months[i])
        assert (values[i], projected[i]) == (figure.value, figure.projected)


# --- errors ----------------------------------------------------------------------------

def test_unknown_figure_is_a_clear_error(th):
    with pytest.raises(ThresholdError, match="unknown figure 'sga_nonblind'") as info:
        th.value("sga_nonblind", "2026-01")
    assert isinstance(info.value, PlanError)


def test_month_before_first_row_names_the_figure(th):
    with pytest.raises(ThresholdError, match=r"^ssi_fbr_individual: no figure for 1999-12"):
        th.value("ssi_fbr_individual", "1999-12")
    with pytest.raises(ThresholdError, match=r"^en_pcb_title2: no figure for 2008-06"):
        th.series("en_pcb_title2", ["2010-01", "2008-06"])


def test_unknown_state_key_is_a_clear_error(th):
    with pytest.raises(ThresholdError, match="medicaid_1619b_threshold: no figures for 'ZZ'"):
        th.value("medicaid_1619b_threshold", "2026-01", key="ZZ")


# --- what-ifs --------------------------------------------------------------------------

def test_override_with_one_number_replaces_the_whole_history(th):
    reform = th.with_overrides({"ssi_earned_exclusion": 100})
    assert reform.value("ssi_earned_exclusion", "1995-01") == 100
    assert reform.value("ssi_earned_exclusion", "2026-01") == 100
    assert reform.lookup("ssi_earned_exclusion", "2026-01").source == "scenario override"
    assert th.value("ssi_earned_exclusion", "2026-01") == 65  # the original is untouched


def test_override_with_dated_values_changes_only_those_months_on(th):
    reform = th.with_overrides({"sga_non_blind": {"2026-07": 2000}})
    assert reform.value("sga_non_blind", "2026-06") == 1690
    assert reform.value("sga_non_blind", "2026-07") == 2000
    assert reform.value("sga_non_blind", "2027-03") == 2000
    assert reform.value("sga_non_blind", "1999-03") == 500
    assert th.value("sga_non_blind", "2026-07") == 1690

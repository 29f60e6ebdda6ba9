"""The shipped figure files in thresholds/ and the loader that reads them.

Spot values come from ../shared/rules.md, which gives each figure's sources:
SGA and TWL tables §1.3 and §2.4 (20 CFR §404.1574 Table 1, §404.1592, SSA OACT),
FBR §4.1 (SSA Annual Statistical Supplement Table 2.B1), EN payments §6.4
(20 CFR §411.545 Chart I; Your Ticket to Work milestone-outcome page, 2025), 1619(b)
§4.7 (POMS SI 02302.200 TN 38).
"""

import collections
import csv
import math
import re

import numpy as np
import pandas as pd
import pytest

from iwp_widgets import PlanError
from iwp_widgets import projection
from iwp_widgets.projection import Projection
from iwp_widgets.thresholds import (ABOUT_FILE, DATA_DIR, STATUSES, UNITS, ThresholdError,
                                    Thresholds)

ABOUT_PATH = DATA_DIR / ABOUT_FILE
FILES = sorted(p for p in DATA_DIR.glob("*.csv") if p != ABOUT_PATH)
BASE_COLUMNS = ["effective", "value", "status", "source", "note"]
KEYED = {"medicaid_1619b_threshold"}


def raw_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def th():
    return Thresholds.from_directory(DATA_DIR)


@pytest.fixture(scope="module")
def about():
    columns, rows = raw_rows(ABOUT_PATH)
    assert columns == ["figure", "label", "unit", "description", "source"]
    return {row["figure"]: row for row in rows}


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
def test_file_is_well_formed(path, th, about):
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
        # A row's own source, or (left empty) the figure's usual one in figures.csv.
        assert (r["source"] or about[path.stem]["source"]).strip(), f"{where}: no source"
        assert math.isfinite(float(r["value"])), where
        if r["status"] == "carried_forward":
            assert r["note"].startswith("not found; previous year's value carried forward"), where
    # Loads through the public loader, with the same row count and every row's source filled.
    table = th.table(path.stem)
    assert len(table) == len(rows) and (table["source"].str.strip() != "").all()


def test_every_figure_is_described_once_in_plain_words(th, about):
    _, rows = raw_rows(ABOUT_PATH)
    assert len(rows) == len(about), "a figure described twice"
    assert set(about) == {p.stem for p in FILES}
    for name, row in about.items():
        assert row["label"].strip() and row["description"].strip(), name
        assert row["unit"] in UNITS, name
        assert row["source"].strip(), f"{name}: no usual source"
        # Plain words: no file or column names, no code.
        assert "_" not in row["label"] + row["description"] and "`" not in row["description"], name
        info = th.about(name)
        assert (info.label, info.unit, info.description) == (row["label"], row["unit"],
                                                              row["description"])
    labels = [row["label"] for row in rows]
    assert len(set(labels)) == len(labels), "two figures with one label"
    assert th.label("twl") == "Trial Work Level"
    assert th.unit("medicaid_1619b_threshold") == "dollars a year"
    assert "trial work month" in th.description("twl")


def test_sources_are_written_once_per_figure_unless_a_row_differs(about):
    for path in FILES:
        _, rows = raw_rows(path)
        usual = about[path.stem]["source"]
        assert all(r["source"] != usual for r in rows), f"{path.name} repeats its usual source"
        # The usual source is the one most rows share: no other source is written out more often.
        own = collections.Counter(r["source"] for r in rows if r["source"])
        assert max(own.values(), default=0) <= len(rows) - sum(own.values()), path.name


def test_a_row_takes_the_figures_usual_source(th, about):
    figure = th.lookup("twl", "1995-05")
    assert figure.source == about["twl"]["source"] and "404.1592" in figure.source
    own = th.lookup("sga_non_blind", "1999-08")  # the mid-1999 change cites its own rule
    assert own.source != about["sga_non_blind"]["source"] and "64 FR 18570" in own.source


def test_a_figure_without_any_source_is_refused(tmp_path):
    for path in FILES + [ABOUT_PATH]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "twl.csv").write_text("effective,value,status,source,note\n1990-01,200,official,,\n",
                                      encoding="utf-8")
    text = ABOUT_PATH.read_text(encoding="utf-8").splitlines()
    text = [line for line in text if not line.startswith("twl,")]
    (tmp_path / ABOUT_FILE).write_text("\n".join(text + ['twl,Trial Work Level,dollars a month,'
                                                          'Pay above it.,']) + "\n", encoding="utf-8")
    with pytest.raises(ThresholdError, match="twl.csv: a row has no source"):
        Thresholds.from_directory(tmp_path)
    (tmp_path / ABOUT_FILE).write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(ThresholdError, match="figures.csv: no row for twl.csv"):
        Thresholds.from_directory(tmp_path)
    # A folder without figures.csv: each row must name its own source.
    (tmp_path / ABOUT_FILE).unlink()
    with pytest.raises(ThresholdError, match=r"^cola\.csv: a row has no source"):
        Thresholds.from_directory(tmp_path)
    (tmp_path / "twl.csv").write_text("effective,value,status,source,note\n"
                                      "1990-01,200,official,a test source,\n", encoding="utf-8")
    for path in FILES:
        if path.stem != "twl":
            (tmp_path / path.name).unlink()
    own = Thresholds.from_directory(tmp_path)
    assert own.lookup("twl", "1995-01").source == "a test source"
    assert own.label("twl") == "Trial Work Level"


def test_words_follow_the_figures_through_what_ifs(th):
    reform = th.with_overrides({"sga_non_blind": {"2027-01": 2000}, "ssdi_offset_threshold": 1690},
                               projected_like={"ssdi_offset_threshold": "sga_non_blind"})
    assert reform.label("sga_non_blind") == th.label("sga_non_blind")
    assert reform.with_projection(Projection("carry_forward")).label("twl") == "Trial Work Level"
    assert reform.label("ssdi_offset_threshold") == th.label("sga_non_blind")
    plain = th.with_overrides({"ssdi_offset_threshold": 1690})
    assert plain.label("ssdi_offset_threshold") == "ssdi offset threshold"
    with pytest.raises(ThresholdError, match="unknown figure"):
        th.label("sga_nonblind")
    assert Thresholds({"twl": th.table("twl")}).label("twl") == "Trial Work Level"


def test_derived_lookups_are_cached_per_set_of_figures(th):
    calls = []

    def compute():
        calls.append(1)
        return np.arange(3.0), {"inner": np.ones(2)}

    first = th.cached(("test", "a"), compute)
    assert th.cached(("test", "a"), compute) is first and len(calls) == 1
    # Shared results are read-only, nested ones too.
    assert not first[0].flags.writeable and not first[1]["inner"].flags.writeable
    # A what-if is a new set of figures with its own cache.
    reform = th.with_overrides({"twl": 100})
    assert reform.cached(("test", "a"), compute) is not first and len(calls) == 2


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
    assert th.lookup("twl", "2030-04").status == "projected"
    assert not th.lookup("twl", "2026-12").projected
    values, projected = th.series("sga_non_blind", pd.period_range("2026-11", "2027-02", freq="M"))
    np.testing.assert_array_equal(values[:2], [1690, 1690])
    assert values[2] == values[3] > 1690  # indexed by default: 2027 is projected, not 2026 again
    np.testing.assert_array_equal(projected, [False, False, True, True])


def test_carry_forward_repeats_the_last_published_figure(th):
    carried = th.with_projection(Projection("carry_forward"))
    assert carried.lookup("twl", "2030-04").value == 1210
    assert carried.lookup("twl", "2030-04").projected
    values, projected = carried.series("sga_non_blind",
                                       pd.period_range("2026-11", "2027-02", freq="M"))
    np.testing.assert_array_equal(values, [1690, 1690, 1690, 1690])
    np.testing.assert_array_equal(projected, [False, False, True, True])
    assert th.projection.method == "indexed"  # the default for the apps


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


# --- years not published yet: each indexed figure by its own rule -----------------------------
# Back-tests: fed the figure of the year before and that year's actual index, each rule must
# give the published figure. Figures: ../shared/rules.md §1.3 (TWL), §2.4 (SGA), §4.1 (FBR),
# §4.3 (SEIE), as stored in thresholds/; rules §1.2, §2.2, §4.1, §4.3. The AWI series
# (national_average_wage_index.csv, SSA OACT) and the COLAs (cola.csv, SSA OACT) are the indices.

def _january(th, name, year):
    return th.value(name, f"{year}-01")


@pytest.mark.parametrize("name, first", [
    ("twl", 2002),            # §1.2: $530 x AWI(Y-2) / AWI(1999), 20 CFR 404.1592(b)(1)(ii)(B)
    ("sga_non_blind", 2002),  # §2.2: $700 x AWI(Y-2) / AWI(1998), 20 CFR 404.1574(b)(2)(ii)
    ("sga_blind", 1996),      # §2.2: $930 x AWI(Y-2) / AWI(1992), only after a December COLA
])
def test_wage_indexed_rule_reproduces_every_published_year(th, name, first):
    indices = th.indices()
    rule = projection.RULES[name]
    base_amount = _january(th, name, rule.base_year)
    base_index = th.value(projection.WAGE_INDEX, f"{rule.base_year - 2}-01")
    for year in range(first, 2027):
        cola = th.value(projection.COLA, f"{year - 1}-12") if rule.needs_cola else None
        got = projection.wage_indexed(_january(th, name, year - 1), base_amount, base_index,
                                      th.value(projection.WAGE_INDEX, f"{year - 2}-01"),
                                      cola_last_december=cola)
        assert got == _january(th, name, year), year
    assert indices.awi_last == 2024


def test_blind_sga_stays_frozen_after_a_december_without_cola(th):
    # §2.2: no COLA for December 2009, 2010 and 2015, so blind SGA stayed at $1,640 in 2010 and
    # 2011 and at $1,820 in 2016 although the AWI formula gives more.
    for year, frozen in ((2010, 1640), (2011, 1640), (2016, 1820)):
        assert th.value(projection.COLA, f"{year - 1}-12") == 0
        assert _january(th, "sga_blind", year) == frozen


@pytest.mark.parametrize("name", ["seie_monthly_limit", "seie_annual_limit"])
def test_student_exclusion_rule_reproduces_every_published_year(th, name):
    # §4.3: the 2001 amounts ($1,290 / $5,200) times the COLAs since, rounded to $10, never lower.
    growth = 1.0
    for year in range(2002, 2027):
        growth *= 1 + th.value(projection.COLA, f"{year - 1}-12")
        got = projection.price_indexed(_january(th, name, year - 1), _january(th, name, 2001), growth)
        assert got == _january(th, name, year), year


@pytest.mark.parametrize("who", ["individual", "couple"])
def test_benefit_rate_rule_reproduces_published_years(th, who):
    # §4.1 and OACT "SSI payment standards": unrounded annual x (1 + COLA), monthly = / 12
    # rounded down. OACT's own pairs: 2012 -> 2013, 2014 -> 2015, 2025 -> 2026.
    unrounded = f"ssi_fbr_{who}_unrounded_annual"
    for year in (2013, 2015, 2026):
        got = projection.next_unrounded_annual(_january(th, unrounded, year - 1),
                                               th.value(projection.COLA, f"{year - 1}-12"))
        assert got == _january(th, unrounded, year), year
        assert th.lookup(unrounded, f"{year}-01").status == "official"
    for year in range(2012, 2027):
        assert projection.monthly_benefit_rate(_january(th, unrounded, year)) == \
            _january(th, f"ssi_fbr_{who}", year), year
    # Rounding the monthly figure first would miss 2025: $943 x 1.025 = $966.58, but SSA pays $967.
    assert math.floor(943 * 1.025) == 966 and _january(th, "ssi_fbr_individual", 2025) == 967


@pytest.mark.parametrize("amount, rounded", [
    (1158.84, 1160), (1109.67, 1110), (1214.93, 1210), (1694.05, 1690), (2832.18, 2830),  # §1.2, §2.2
    (1215.00, 1220),   # exactly $5 over a multiple of $10 goes up
    (1214.99, 1210), (1205.00, 1210), (1204.994, 1200),
    (1204.995, 1210),  # taken to the cent first ($1,205.00), then up
])
def test_round_to_ten(amount, rounded):
    assert projection.round_to_ten(amount) == rounded


def test_rounding_edges_of_the_benefit_rate_and_never_lower():
    assert projection.monthly_benefit_rate(11929.46) == 994   # OACT 2026: $994
    assert projection.monthly_benefit_rate(11928.00) == 994   # exactly $994 a month
    assert projection.monthly_benefit_rate(11927.99) == 993   # a cent short: rounded down
    assert projection.next_unrounded_annual(100.00, 0.0125) == 101.25
    assert projection.next_unrounded_annual(100.01, 0.005) == 100.51  # 100.51005 to the cent
    # A formula amount below last year's never lowers the figure (TWL 2010-2012 stayed $720).
    assert projection.wage_indexed(720, 530, 30469.84, 40711.61) == 720
    assert projection.price_indexed(2410, 1290, 1.0) == 2410
    assert projection.wage_indexed(1640, 930, 22935.42, 41334.97, cola_last_december=0.0) == 1640


def test_default_assumptions_come_from_the_thresholds_data(th):
    indices = th.indices()
    awi = th.table(projection.WAGE_INDEX)
    assert indices.growth == pytest.approx(awi["value"].iloc[-1] / awi["value"].iloc[-2] - 1)
    assert indices.growth == pytest.approx(69846.57 / 66621.80 - 1)  # §1.2: AWI 2024 / 2023
    assert indices.cola == th.table(projection.COLA)["value"].iloc[-1]
    # One more published year of the index changes the default: nothing is typed into code.
    tables = {name: th.table(name) for name in th.names()}
    extra = tables[projection.WAGE_INDEX].iloc[[-1]].assign(
        effective=pd.Period("2025-01", "M"), value=69846.57 * 1.03)
    tables[projection.WAGE_INDEX] = pd.concat([tables[projection.WAGE_INDEX], extra])
    assert Thresholds(tables).indices().growth == pytest.approx(0.03)


def test_projected_2027_follows_each_rule(th):
    indices = th.indices()
    awi_2025 = indices.wage_index(2025)
    assert awi_2025 == pytest.approx(69846.57 * (1 + indices.growth), abs=0.01)
    assert th.value("twl", "2027-03") == projection.round_to_ten(530 * awi_2025 / 30469.84)
    assert th.value("sga_non_blind", "2027-03") == projection.round_to_ten(700 * awi_2025 / 28861.44)
    assert th.value("sga_blind", "2027-03") == projection.round_to_ten(930 * awi_2025 / 22935.42)
    cola = th.value(projection.COLA, "2026-12")
    assert th.value("ssi_fbr_individual", "2027-03") == \
        projection.monthly_benefit_rate(projection.next_unrounded_annual(11929.46, cola))
    assert th.value("ssi_fbr_couple", "2027-03") == \
        projection.monthly_benefit_rate(projection.next_unrounded_annual(17892.21, cola))
    # Each later year builds on the projected one and never falls.
    values, projected = th.series("twl", [f"{y}-01" for y in range(2026, 2036)])
    assert projected[1:].all() and not projected[0]
    assert (np.diff(values) >= 0).all() and values[-1] > values[1]
    figure = th.lookup("sga_non_blind", "2027-08")
    assert figure.status == "projected" and "404.1574(b)(2)" in figure.source
    assert "4.84%" in figure.source


def test_the_2027_cola_is_stored_as_single_source(th):
    cola = th.lookup(projection.COLA, "2026-12")
    assert cola.value == 0.036 and cola.status == "single_source" and cola.source


def test_chosen_assumptions_change_the_projection(th):
    flat = th.with_projection(Projection("indexed", wage_index_growth=0.0, cola=0.0))
    # AWI(2025) = AWI(2024): the formula gives $1,214.93 -> $1,210, so TWL stays $1,210.
    assert flat.value("twl", "2027-01") == 1210 and flat.value("twl", "2029-01") == 1210
    assert flat.value("ssi_fbr_individual", "2028-01") == th.value("ssi_fbr_individual", "2027-01")
    assert flat.value("sga_blind", "2028-01") == flat.value("sga_blind", "2027-01")
    fast = th.with_projection(Projection(wage_index_growth=0.10, cola=0.05))
    assert fast.value("sga_non_blind", "2028-01") > th.value("sga_non_blind", "2028-01")
    assert fast.value("ssi_fbr_individual", "2028-01") > th.value("ssi_fbr_individual", "2028-01")


@pytest.mark.parametrize("kwargs, field", [
    ({"method": "guess"}, "unpublished_years.method"),
    ({"wage_index_growth": "4%"}, "unpublished_years.wage_index_growth"),
    ({"wage_index_growth": 2.0}, "unpublished_years.wage_index_growth"),
    ({"cola": -0.01}, "unpublished_years.cola"),
])
def test_bad_assumptions_are_clear_errors(kwargs, field):
    with pytest.raises(PlanError, match=f"^{field}:"):
        Projection(**kwargs)


def _copy_with_row(tmp_path, name, row):
    for path in FILES + [ABOUT_PATH]:
        text = path.read_text(encoding="utf-8")
        if path.stem == name:
            text = text.rstrip("\n") + "\n" + row + "\n"
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    return Thresholds.from_directory(tmp_path)


def test_an_official_figure_always_wins(tmp_path, th):
    # Adding next year's published figure (thresholds/README.md) replaces the projection.
    added = _copy_with_row(tmp_path, "sga_non_blind", '2027-01,1700,official,"a test source",')
    figure = added.lookup("sga_non_blind", "2027-05")
    assert (figure.value, figure.status, figure.projected) == (1700, "official", False)
    # 2028 is projected from the official 2027 figure (never lower than it).
    assert added.lookup("sga_non_blind", "2028-01").projected
    assert added.value("sga_non_blind", "2028-01") >= 1700
    # Overrides (reforms) are data too: a dated override beats the projection.
    reform = th.with_overrides({"sga_non_blind": {"2027-01": 2500}})
    assert reform.value("sga_non_blind", "2027-06") == 2500
    assert reform.value("sga_non_blind", "2028-06") == 2500  # the formula is still below it


def test_a_carried_forward_row_of_an_indexed_figure_is_projected(tmp_path, th):
    note = "not found; previous year's value carried forward"
    added = _copy_with_row(tmp_path, "twl", f'2027-01,1210,carried_forward,"a test source","{note}"')
    assert added.value("twl", "2027-01") == th.value("twl", "2027-01") > 1210
    assert added.with_projection(Projection("carry_forward")).value("twl", "2027-01") == 1210


def test_figures_without_the_index_files_are_carried_forward(th):
    # A set of figures built without national_average_wage_index / cola cannot index: it
    # repeats the last value (still flagged projected) instead of failing.
    bare = Thresholds({"twl": th.table("twl")})
    figure = bare.lookup("twl", "2028-01")
    assert (figure.value, figure.projected) == (1210, True)


def test_first_month_of_a_keyed_figure_and_of_a_missing_key(th):
    table = th.table("medicaid_1619b_threshold")
    for state in ("CA", "NY"):
        assert th.first_month("medicaid_1619b_threshold", state) == table.loc[table["key"] == state,
                                                                                "effective"].min()
    assert th.first_month("medicaid_1619b_threshold", "ZZ") is None
    assert th.first_month("twl") == th.table("twl")["effective"].min()
    with pytest.raises(ThresholdError, match="unknown figure 'nope'"):
        th.first_month("nope")


def test_pickled_figures_come_back_as_one_shared_set(th):
    # A Dask worker unpickles the figures with every graph: it gets the same set back, with the
    # lookups it derived from them, and the set is the one that was pickled (overrides included).
    import pickle

    reform = th.with_overrides({"sga_non_blind": 2000.0})
    blob = pickle.dumps(reform)
    first, again = pickle.loads(blob), pickle.loads(pickle.dumps(reform))
    assert first is again and first is not reform
    assert first.value("sga_non_blind", "2026-01") == 2000.0
    assert first.value("twl", "2030-01") == reform.value("twl", "2030-01") == th.value("twl", "2030-01")
    assert first.lookup("twl", "2030-01").projected
    derived = first.cached(("test", "pickled"), lambda: np.arange(3))
    assert pickle.loads(blob).cached(("test", "pickled"), lambda: np.zeros(3)) is derived
    assert pickle.loads(pickle.dumps(th)).value("sga_non_blind", "2026-01") == th.value("sga_non_blind", "2026-01")


def test_dask_key_of_figures_is_their_content():
    from dask.base import tokenize

    fresh = Thresholds.from_directory(DATA_DIR)
    key = tokenize(fresh)
    fresh.value("twl", "2031-05")  # lookups fill caches; the key stays
    assert tokenize(fresh) == key == tokenize(Thresholds.from_directory(DATA_DIR))
    assert tokenize(fresh.with_overrides({"twl": 1.0})) != key
    assert tokenize(fresh.with_projection(Projection("carry_forward"))) != key

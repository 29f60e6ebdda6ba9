"""iwp.key_dates: what happens when, read from the monthly table; the Medicaid column.

Hand-built plans get expected months from the rules (../shared/rules.md sections cited per test);
a property test checks every event of generated plans against the table it came from.
"""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import iwp_widgets as iwp
from iwp_widgets import Plan, PlanError, income_by_year, key_dates, simulate
from iwp_widgets.exports import plain_table, table_to_csv
from iwp_widgets.key_dates import EVENTS, PROGRAMS
from iwp_widgets.thresholds import Thresholds

from plan_strategies import plans

FIGURES = Thresholds.default()


def ssdi_plan(earnings, start="2026-01", **profile):
    return Plan.from_dict({
        "schema_version": 4, "start": start, "earnings": list(earnings),
        "profile": {"benefits": "ssdi", "ssdi_monthly": 1000.0, **profile}})


def events_of(table):
    dates = key_dates(table)
    return {(str(row.month), row.event) for row in dates.itertuples()}, dates


def test_public_api_exports_key_dates():
    assert iwp.key_dates is key_dates and "key_dates" in iwp.__all__
    assert iwp.income_by_year is income_by_year


def test_w2_shape_twp_cessation_grace_and_suspension():
    """rules.md §7 W2 ("Mrs. H", 20 CFR 404.1574a(d) Ex. 1) in 2026 figures: nine consecutive
    months above the TWL make the TWP (Jan–Sep), re-entitlement starts the month after (Oct);
    the first month above SGA after the TWP is the cessation month (Mar 2027), paid with the two
    grace months after it (Apr, May; rules.md §3.1 steps 3–5); after the grace, months above
    SGA in the re-entitlement period are not paid and a month at or below SGA is (§3.1 step 6)."""
    twl, sga = FIGURES.value("twl", "2026-01"), FIGURES.value("sga_non_blind", "2027-01")
    ninth_earn = twl + 90  # above the TWL, below the 2026 SGA
    earnings = [ninth_earn] * 14 + [sga + 1000] * 7 + [500.0] + [sga + 1000] * 2
    table = simulate(ssdi_plan(earnings))  # January 2026 – December 2027
    got, dates = events_of(table)
    assert got == {
        ("2026-01", "twp_first"), ("2026-09", "twp_ninth"), ("2026-10", "epe_start"),
        ("2027-03", "cessation"), ("2027-05", "grace_last"),
        ("2027-05", "last_ssdi_check"), ("2027-06", "suspended"),
        ("2027-10", "last_ssdi_check"), ("2027-11", "suspended"),
    }
    text = dict(zip(dates["event"] + dates["month"].astype(str), dates["text"]))
    assert "runs through September 2029" in text["epe_start2026-10"]  # 36th month after Sep 2026
    assert "grace months are April 2027 through May 2027" in text["grace_last2027-05"]
    assert "for May 2027 ($1,000.00)" in text["last_ssdi_check2027-05"]
    assert "arrives in June 2027" in text["last_ssdi_check2027-05"]  # paid the month after
    assert "June 2027 through September 2027 (4 months)" in text["suspended2027-06"]
    assert "paid again for October 2027" in text["suspended2027-06"]
    assert list(dates["month"]) == sorted(dates["month"])
    assert (dates["program"] == "SSDI").all()


def test_termination_expedited_reinstatement_and_medicare():
    """TWP ended December 2022, so the re-entitlement period ran January 2023 – December 2025.
    With no cessation in it, the first SGA month after it (January 2026) is the cessation
    month, paid with two grace months, then entitlement terminates (April 2026; rules.md §3.1
    step 7, 20 CFR 404.1592a(a)(3)(ii)). Expedited Reinstatement can be asked for in the 60
    months from termination (§3.4: through March 2031); Medicare continues 93 months after the
    TWP (thresholds/medicare_extended_months.csv: through September 2030)."""
    plan = ssdi_plan([4000.0] * 66, twp_completed="2022-12")  # January 2026 – June 2031
    table = simulate(plan)
    got, dates = events_of(table)
    assert got == {("2026-01", "cessation"), ("2026-03", "grace_last"),
                   ("2026-03", "last_ssdi_check"), ("2026-04", "terminated"),
                   ("2030-09", "medicare_end"), ("2031-03", "exr_window_end")}
    terminated = dates.loc[dates["event"] == "terminated", "text"].item()
    assert "Expedited Reinstatement until March 2031" in terminated
    assert "Medicare continues through September 2030" in terminated
    assert dates.loc[dates["event"] == "medicare_end", "program"].item() == "Medicare"


def test_ssi_reduced_1619a_1619b_zero_and_medicaid_end():
    """Same-month accounting (so each month's amount is its own income, rules.md §4.2):
    $500 earnings → ($500 − $20 − $65) ÷ 2 = $207.50 countable, SSI $994 − $207.50 = $786.50;
    $2,000 (above SGA) → $957.50 countable, $36.50 paid under 1619(a) (§4.6); $3,000 → $1,457.50
    countable ≥ $994: no SSI, and 12 × $3,000 within the California 1619(b) threshold
    ($66,078, §4.7) keeps Medicaid; $7,000 (12 × = $84,000 above it) ends Medicaid."""
    plan = Plan.from_dict({
        "schema_version": 4, "start": "2026-01",
        "earnings": [0, 0, 500, 500, 2000, 3000, 3000, 3000, 7000, 0, 0, 0],
        "profile": {"benefits": "ssi", "ssdi_monthly": 0.0, "state": "CA"},
        "options": {"ssi_accounting": "same_month"}})
    table = simulate(plan)
    assert table.loc["2026-03", "ssi_paid"] == 786.50 and table.loc["2026-05", "ssi_paid"] == 36.50
    got, dates = events_of(table)
    assert got == {("2026-03", "ssi_reduced"), ("2026-05", "ssi_1619a"), ("2026-06", "ssi_1619b"),
                   ("2026-09", "ssi_zero"), ("2026-09", "medicaid_end")}
    text = dict(zip(dates["event"], dates["text"]))
    assert "March 2026 through May 2026 (3 months)" in text["ssi_reduced"]
    assert "between $36.50 and $786.50 a month" in text["ssi_reduced"]
    assert "June 2026 through August 2026 (3 months)" in text["ssi_1619b"]
    assert "ends after August 2026" in text["medicaid_end"]
    assert list(table["medicaid"]) == ["ssi"] * 5 + ["1619b"] * 3 + ["none"] + ["ssi"] * 3


def test_examples_have_their_key_dates():
    """The three example plans, against their own tables (docs/engine.md describes them)."""
    got, dates = events_of(simulate(Plan.example("ssdi_ramp_to_sga")))
    # Two TWP months were used before the plan, so July 2026 is month 3 and January 2027 the 9th.
    assert got == {("2026-07", "twp_first"), ("2027-01", "twp_ninth"), ("2027-02", "epe_start"),
                   ("2027-09", "cessation"), ("2027-11", "grace_last"),
                   ("2027-11", "last_ssdi_check"), ("2027-12", "suspended")}
    assert "month 3 of 9" in dates["text"].iloc[0]
    assert "December 2027 through December 2028 (13 months)" in dates["text"].iloc[-1]

    got, dates = events_of(simulate(Plan.example("ssi_student")))
    assert got == {("2026-07", "ssi_1619a"), ("2027-06", "ssi_1619a"), ("2027-10", "seie_used_up"),
                   ("2027-12", "ssi_reduced")}
    used_up = dates.loc[dates["event"] == "seie_used_up", "text"].item()
    assert money_text(FIGURES.value("seie_annual_limit", "2027-10")) in used_up

    got, dates = events_of(simulate(Plan.example("concurrent_irwe")))
    assert got == {("2026-01", "ssi_reduced"), ("2026-06", "ssi_1619b"), ("2026-09", "twp_first"),
                   ("2027-05", "twp_ninth"), ("2027-06", "epe_start"), ("2028-05", "cessation")}
    assert set(dates["program"]) == {"SSDI", "SSI", "Medicaid"}


def money_text(value):
    from iwp_widgets.rules.why import money
    return money(value)


def test_an_empty_table_has_no_events_and_a_wrong_table_is_refused():
    table = simulate(Plan.example("ssi_student"))
    assert list(key_dates(table.iloc[:0]).columns) == ["month", "program", "event", "text"]
    with pytest.raises(PlanError, match="^table"):
        key_dates(table.drop(columns="medicaid"))


def test_medicaid_in_the_export_in_words():
    frame = plain_table(simulate(Plan.example("concurrent_irwe")))
    assert frame["Medicaid"].iloc[0] == "yes, as an SSI recipient"
    assert frame["Medicaid"].iloc[5] == "yes, under Section 1619(b)"
    assert frame.loc[frame["Month"] == "2026-06", "Medicaid under 1619(b)"].item() == "yes"
    csv = table_to_csv(simulate(Plan.example("ssi_student"))).decode("utf-8-sig")
    assert ",Medicaid," in csv.splitlines()[0] and "yes, as an SSI recipient" in csv


def test_income_by_year_adds_up():
    plan = Plan.example("concurrent_irwe")
    table = simulate(plan)
    years = income_by_year(plan)
    assert list(years.index) == [2026, 2027, 2028] and list(years["months"]) == [12, 12, 6]
    first = table.loc["2026-01":"2026-12"]
    irwe = np.mean(plan.work_expenses.monthly("irwe", plan.months)[:12])
    assert years.loc[2026, "with_work"] == pytest.approx(first["total_income"].mean() - irwe)
    # Without work: SSDI $620 and full SSI less the SSDI above $20: $994 − $600 (rules.md §4.2).
    assert years.loc[2026, "without_work"] == pytest.approx(620 + 994 - 600)
    assert np.allclose(years["difference"], years["with_work"] - years["without_work"])


CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\d+\.\d{3}|\d\.0\b|nan|\$-")
MONTH_WORD = re.compile(r"(January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{4}")


def check_event(table, row):
    """The table shows what the event says, in the event's month."""
    t = table.index.get_loc(row.month)
    at = table.iloc[t]
    after = table.iloc[t + 1] if t + 1 < len(table) else None
    before = table.iloc[t - 1] if t > 0 else None
    event = row.event
    if event == "twp_first":
        assert at["twp_month"] and not table["twp_month"].iloc[:t].any()
    elif event == "twp_ninth":
        assert at["twp_month"] and at["twp_months_used"] == 9
    elif event == "epe_start":
        assert at["epe_month_number"] == 1
        assert f"runs through {(row.month + 35).strftime('%B %Y')}" in row.text
    elif event == "epe_end":
        assert at["epe_month_number"] == 36
    elif event in ("cessation", "suspended", "terminated"):
        assert at["ssdi_status"] == event
        if event != "cessation":
            assert before is None or before["ssdi_status"] != event
    elif event == "grace_last":
        assert at["ssdi_status"] == "grace" and after["ssdi_status"] != "grace"
    elif event == "last_ssdi_check":
        assert at["ssdi_paid"] > 0 and after["ssdi_paid"] == 0
    elif event == "exr_window_end":
        assert at["exr_window"] and not after["exr_window"]
    elif event == "medicare_end":
        assert at["medicare"] and not after["medicare"]
    elif event == "ssi_reduced":
        assert at["ssi_eligible"] and 0 < at["ssi_paid"] < at["ssi_limit"]
    elif event == "ssi_zero":
        assert at["ssi_paid"] == 0 and not at["medicaid_1619b"]
    elif event == "ssi_1619a":
        assert at["ssi_1619a"] and (before is None or not before["ssi_1619a"])
    elif event == "ssi_1619b":
        assert at["medicaid_1619b"] and at["medicaid"] == "1619b"
    elif event == "medicaid_end":
        assert at["medicaid"] == "none" and before["medicaid"] != "none"
    elif event == "seie_used_up":
        assert at["seie_excluded"] > 0 and at["seie_left"] == pytest.approx(0, abs=0.005)
    else:
        raise AssertionError(f"unknown event {event}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_event_matches_the_table(plan):
    check_key_dates(plan)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(months=100, benefits="ssdi"))
def test_every_event_matches_the_table_over_long_ssdi_plans(plan):
    """Long enough for the re-entitlement period to end, termination, the end of the Expedited
    Reinstatement window and of Medicare."""
    check_key_dates(plan)


def check_key_dates(plan):
    table = simulate(plan)
    dates = key_dates(table)
    assert list(dates.columns) == ["month", "program", "event", "text"]
    assert set(dates["event"]) <= set(EVENTS) and set(dates["program"]) <= set(PROGRAMS)
    assert dates["month"].isin(table.index).all()
    assert list(dates["month"]) == sorted(dates["month"])
    for row in dates.itertuples():
        check_event(table, row)
        assert not CODE.search(row.text), row.text
        assert MONTH_WORD.search(row.text), row.text
    # Nothing is left out: each event is listed as often as the table shows it.
    counts = dates["event"].value_counts()
    status = table["ssdi_status"]

    def starts(flags):  # first months of runs
        return int((flags & ~flags.shift(fill_value=False)).sum())

    def ends(flags):  # last months of runs that end inside the table
        return int((flags & ~flags.shift(-1, fill_value=True)).sum())

    has_ssi = (table["ssi_limit"] > 0).any()
    expected = {
        "cessation": int((status == "cessation").sum()),
        "suspended": starts(status == "suspended"),
        "terminated": starts(status == "terminated"),
        "grace_last": ends(status == "grace"),
        "twp_ninth": int((table["twp_month"] & (table["twp_months_used"] == 9)).sum()),
        "exr_window_end": ends(table["exr_window"]),
        "medicare_end": ends(table["medicare"]),
        "last_ssdi_check": ends(table["ssdi_paid"] > 0),
        "ssi_1619a": starts(table["ssi_1619a"]),
        "ssi_1619b": starts(table["medicaid_1619b"]),
        "ssi_zero": starts((table["ssi_paid"] == 0) & ~table["medicaid_1619b"]) if has_ssi else 0,
        "medicaid_end": ends(table["medicaid"] != "none") if has_ssi else 0,
    }
    assert {e: int(counts.get(e, 0)) for e in expected} == expected
    if plan.profile.benefits == "ssi":
        assert not dates["program"].isin(["SSDI", "Medicare"]).any()
    if plan.profile.benefits == "ssdi":
        assert not dates["program"].isin(["SSI", "Medicaid"]).any()
    # The Medicaid column: an SSI month, a 1619(b) month, or none, never two at once.
    expected = np.where(table["ssi_eligible"], "ssi",
                        np.where(table["medicaid_1619b"], "1619b", "none"))
    assert list(table["medicaid"]) == list(expected)
    assert not (table["ssi_eligible"] & table["medicaid_1619b"]).any()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_income_by_year_of_generated_plans(plan):
    table = simulate(plan)
    years = income_by_year(plan)
    assert years["months"].sum() == plan.months
    assert list(years.index) == sorted(set(table.index.year))
    expenses = (np.array(plan.work_expenses.monthly("irwe", plan.months))
                + np.array(plan.work_expenses.monthly("bwe", plan.months)))
    with_work = (table["total_income"] - expenses).groupby(table.index.year).mean()
    assert np.allclose(years["with_work"], with_work)
    assert np.allclose(years["difference"], years["with_work"] - years["without_work"])
    assert (years["without_work"] >= 0).all()



def test_a_trial_work_month_from_hours_says_so():
    """Self-employed: more than the TWP hours in the business make a service month even with
    low net earnings (rules.md §1, 20 CFR 404.1592(b)(2))."""
    hours = FIGURES.value("twp_self_employed_hours", "2026-01") + 1
    plan = Plan.from_dict({
        "schema_version": 4, "start": "2026-01", "earnings": [100.0] * 3, "hours": [hours] * 3,
        "profile": {"benefits": "ssdi", "ssdi_monthly": 1000.0, "self_employed": True}})
    dates = key_dates(simulate(plan))
    first = dates.loc[dates["event"] == "twp_first"]
    assert list(first["month"].astype(str)) == ["2026-01"]
    assert "more hours in your business" in first["text"].item()

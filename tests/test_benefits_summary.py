"""The benefits summary and reporting calendar (issue #15 item 6).

Reporting duties: SSI wages each month with pay, reported in the first 6 days of the next month
(20 CFR 416.708(c), 416.714(a); SSA "Reporting Wages for SSI"); SSDI work starting, stopping
or changing (20 CFR 404.1588(a)). Overpayment warnings: a check for a month the plan says pays $0
(20 CFR 404.1592a(a)(2)(i); 416.420), SSI's two-month lag after a job ends (20 CFR 416.420(a),
../shared/rules.md §4.4), the last grace month (rules.md §3.1 step 5). Each warning is checked in
a case built for it and in cases where it must not appear.
"""

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import iwp_widgets as iwp
from iwp_widgets import Plan, key_dates, simulate
from iwp_widgets.__main__ import main
from iwp_widgets.benefits_summary import benefits_summary, overpayment_warnings
from iwp_widgets.printout.summary import render_html, summary_html, summary_pdf

from plan_strategies import plans

TODAY = dt.date(2026, 1, 5)


def plan_of(benefits, earnings, start="2026-01", work_expenses=None, iwp_fields=None, **profile):
    amounts = {"ssdi": {"ssdi_monthly": 1000.0}, "ssi": {}, "concurrent": {"ssdi_monthly": 600.0}}
    data = {"schema_version": 4, "start": start, "earnings": list(earnings),
            "profile": {"benefits": benefits, **amounts[benefits], **profile}}
    if work_expenses:
        data["work_expenses"] = work_expenses
    plan = Plan.from_dict(data)
    if iwp_fields:
        document = plan.to_dict()
        document["iwp"] = {**document["iwp"], **iwp_fields}
        plan = Plan.from_dict(document)
    return plan


def duties(summary, code):
    return [month.month for month in summary.calendar for d in month.duties if d.code == code]


def warning_codes(summary):
    return {(str(w.month), w.code) for w in summary.warnings}


def test_public_api():
    assert iwp.benefits_summary is benefits_summary and "benefits_summary" in iwp.__all__


# --- the reporting calendar ----------------------------------------------------------------------

def test_ssi_wage_report_every_month_with_pay_and_none_without():
    earnings = [0, 0, 400, 450, 0, 0, 700, 700, 700, 0, 300, 0]
    plan = plan_of("ssi", earnings)
    summary = benefits_summary(plan, today=TODAY)
    months = plan.month_index
    assert duties(summary, "ssi_wages") == [m for m, e in zip(months, earnings) if e > 0]
    # Each due by the 6th of the next month (SSA's wage-reporting page; 20 CFR 416.714(a)).
    for month in summary.calendar:
        for duty in month.duties:
            if duty.code == "ssi_wages":
                following = month.month + 1
                assert duty.due == dt.date(following.year, following.month, 6)
                assert "416.714" in duty.source.cite and "416.708" in duty.source.cite
                assert "before taxes" in duty.what
    # Work starting and stopping are reported too; pay slips kept for every month with pay.
    assert [str(m) for m in duties(summary, "ssi_work_started")] == ["2026-03", "2026-07", "2026-11"]
    assert [str(m) for m in duties(summary, "ssi_work_stopped")] == ["2026-05", "2026-10", "2026-12"]
    assert duties(summary, "pay_slips") == duties(summary, "ssi_wages")
    assert not duties(summary, "ssdi_pay_changed") and not duties(summary, "ssdi_work_started")


def test_ssi_wage_reports_in_the_shipped_ssi_and_concurrent_examples():
    for name in ("ssi_student", "concurrent_irwe"):
        plan = Plan.example(name)
        table = simulate(plan)
        summary = benefits_summary(plan, table, today=TODAY)
        assert duties(summary, "ssi_wages") == list(table.index[table["gross_earnings"] > 0])


def test_ssdi_only_plan_has_no_ssi_report_but_reports_work_changes():
    earnings = [0, 500, 500, 800, 800, 0]
    summary = benefits_summary(plan_of("ssdi", earnings), today=TODAY)
    assert not duties(summary, "ssi_wages") and not duties(summary, "ssi_work_started")
    assert [str(m) for m in duties(summary, "ssdi_work_started")] == ["2026-02"]
    assert [str(m) for m in duties(summary, "ssdi_pay_changed")] == ["2026-04"]
    assert [str(m) for m in duties(summary, "ssdi_work_stopped")] == ["2026-06"]
    for month in summary.calendar:
        for duty in month.duties:
            if duty.program == "SSDI":
                assert duty.source.cite.startswith("20 CFR 404.1588")
                assert duty.due is None and duty.when  # promptly: no fixed day in the rule


def test_work_expenses_starting_or_changing_are_reported():
    summary = benefits_summary(plan_of("ssdi", [800] * 6, work_expenses={"irwe": [0, 0, 90, 90, 120, 120]}),
                               today=TODAY)
    assert [str(m) for m in duties(summary, "work_expenses_changed")] == ["2026-03", "2026-05"]


# --- overpayment warnings ------------------------------------------------------------------------

def test_no_warning_when_nothing_stops():
    assert warning_codes(benefits_summary(plan_of("ssdi", [500] * 24), today=TODAY)) == set()
    # SSI reduced by steady pay but never $0, and the job never ends.
    assert warning_codes(benefits_summary(plan_of("ssi", [600] * 12), today=TODAY)) == set()


def test_ssdi_last_grace_month_and_check_after_zero():
    plan = Plan.example("ssdi_ramp_to_sga")
    table = simulate(plan)
    events = key_dates(table)
    grace_last = events.loc[events["event"] == "grace_last", "month"].iloc[0]
    first_zero = table.index[(table["ssdi_paid"] == 0)][0]
    assert grace_last == pd.Period("2027-11", "M") and first_zero == pd.Period("2027-12", "M")
    summary = benefits_summary(plan, table, today=TODAY)
    assert warning_codes(summary) == {("2027-11", "last_grace"), ("2027-12", "ssdi_check_after_zero")}
    texts = {w.code: w.text for w in summary.warnings}
    assert "December 2027" in texts["ssdi_check_after_zero"] and "January 2028" in texts["ssdi_check_after_zero"]
    assert "November 2027" in texts["last_grace"]
    # The warnings sit in their months of the calendar.
    by_month = {str(m.month): {w.code for w in m.warnings} for m in summary.calendar}
    assert by_month["2027-11"] == {"last_grace"} and by_month["2027-12"] == {"ssdi_check_after_zero"}
    assert sum(len(v) for v in by_month.values()) == 2


def test_ssi_check_after_zero_without_a_job_ending():
    # $2,600 a month from March makes countable income above the SSI rate: SSI $0.
    earnings = [0, 0] + [2600] * 10
    plan = plan_of("ssi", earnings)
    table = simulate(plan)
    zero = table.index[(table["ssi_paid"] == 0)]
    assert len(zero)
    summary = benefits_summary(plan, table, today=TODAY)
    assert warning_codes(summary) == {(str(zero[0]), "ssi_check_after_zero")}


def test_ssi_lag_after_a_job_ends():
    earnings = [600] * 6 + [0] * 6
    plan = plan_of("ssi", earnings)
    table = simulate(plan)
    assert (table["ssi_paid"] > 0).all()  # no $0 month: only the lag warning
    summary = benefits_summary(plan, table, today=TODAY)
    assert warning_codes(summary) == {("2026-07", "ssi_lag_after_job")}
    text = summary.warnings[0].text
    assert "June 2026" in text and "July 2026" in text and "August 2026" in text
    # SSI for July and August is still figured from May's and June's pay (20 CFR 416.420(a)).
    assert table.loc["2026-07", "ssi_paid"] < table.loc["2026-09", "ssi_paid"]
    # Same-month accounting has no lag: no warning.
    current = Plan.from_dict({**plan.to_dict(), "options": {**plan.to_dict()["options"],
                                                             "ssi_accounting": "same_month"}})
    assert "ssi_lag_after_job" not in {w.code for w in overpayment_warnings(current, simulate(current))}


def test_ssdi_warnings_never_in_an_ssi_plan_and_ssi_warnings_never_in_an_ssdi_plan():
    ssdi = benefits_summary(Plan.example("ssdi_ramp_to_sga"), today=TODAY)
    assert not {c for _, c in warning_codes(ssdi)} & {"ssi_check_after_zero", "ssi_lag_after_job"}
    ssi = benefits_summary(plan_of("ssi", [600] * 6 + [0] * 6), today=TODAY)
    assert not {c for _, c in warning_codes(ssi)} & {"ssdi_check_after_zero", "last_grace"}


# --- content -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", Plan.examples())
def test_key_dates_are_iwp_key_dates(name):
    plan = Plan.example(name)
    table = simulate(plan)
    summary = benefits_summary(plan, table, today=TODAY)
    pd.testing.assert_frame_equal(summary.key_dates, iwp.key_dates(table))
    # Each program's dates are those rows, in order.
    for effect in summary.effects:
        rows = summary.key_dates[summary.key_dates["program"] == effect.program]
        assert [text for _, text in effect.dates] == list(rows["text"])


def incentive_codes(plan):
    return [i.code for i in benefits_summary(plan, today=TODAY).incentives]


def test_only_the_work_incentives_the_plan_uses():
    assert incentive_codes(Plan.example("ssdi_ramp_to_sga")) == []
    assert incentive_codes(Plan.example("concurrent_irwe")) == ["irwe", "1619b"]
    assert incentive_codes(Plan.example("ssi_student")) == ["seie", "1619a"]
    # Each expense, alone, is the only incentive listed; an expense is listed only for a program
    # it counts in (rules.md §3.2, §4.2): BWE for SSI (blind), PASS for SSI, subsidy for SSDI.
    assert incentive_codes(plan_of("ssdi", [500] * 6, work_expenses={"subsidy": 100})) == ["subsidy"]
    assert incentive_codes(plan_of("concurrent", [500] * 6, work_expenses={"subsidy": 100})) == ["subsidy"]
    assert incentive_codes(plan_of("ssi", [500] * 6, work_expenses={"pass": 100})) == ["pass"]
    assert incentive_codes(plan_of("ssi", [500] * 6, blind=True, work_expenses={"bwe": 100})) == ["bwe"]
    assert incentive_codes(plan_of("ssdi", [500] * 6, work_expenses={"irwe": 50})) == ["irwe"]
    assert incentive_codes(plan_of("ssi", [500] * 6, work_expenses={"irwe": 50})) == ["irwe"]


def test_programs_shown_are_the_plans():
    ssi = benefits_summary(Plan.example("ssi_student"), today=TODAY)
    assert [e.program for e in ssi.effects] == ["SSI", "Medicaid"]
    assert "SSDI" not in ssi.month_header and "Medicaid" in ssi.month_header
    ssdi = benefits_summary(Plan.example("ssdi_ramp_to_sga"), today=TODAY)
    assert [e.program for e in ssdi.effects] == ["SSDI", "Medicare"]
    assert "SSI" not in ssdi.month_header
    assert len(ssdi.month_rows) == Plan.example("ssdi_ramp_to_sga").months


# --- the page ------------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def test_html_escapes_a_hostile_name_and_is_structured():
    plan = plan_of("ssi", [400] * 3, iwp_fields={"beneficiary_name": HOSTILE, "en_name": HOSTILE,
                                                 "counselor_name": HOSTILE, "employment_goal": HOSTILE})
    page = summary_html(plan, today=TODAY)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page
    assert re.search(r'<html lang="en(-US)?">', page)
    assert page.count("<h1>") == 1 and "<h2>" in page and "<caption>" in page
    # Every header cell has a scope.
    assert len(re.findall(r"<th(?=[ >])", page)) == len(re.findall(r'<th scope="(col|row)">', page))
    assert "by February 6, 2026" in page and "by April 6, 2026" in page


def test_page_font_sizes():
    content = benefits_summary(Plan.example("ssi_student"), today=TODAY)
    assert "font-size: 24px" in render_html(content, "largest")
    with pytest.raises(iwp.PlanError, match="font_size"):
        render_html(content, "tiny")


def test_pdf_text_contains_the_calendar():
    pypdf = pytest.importorskip("pypdf")
    import io

    plan = plan_of("concurrent", [0, 500, 700, 0], iwp_fields={"beneficiary_name": "Alex Rivera"})
    reader = pypdf.PdfReader(io.BytesIO(summary_pdf(plan, today=TODAY)))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert reader.metadata.title == "Benefits summary for Alex Rivera"
    assert "Reporting calendar" in text and "Alex Rivera" in text
    for words in ("by March 6, 2026", "by April 6, 2026", "by May 6, 2026",
                  "20 CFR 416.708(c), 416.714(a)", "20 CFR 404.1588(a)", "Overpayment warning"):
        assert words in text


def test_cli_writes_the_summary(tmp_path, capsys):
    out = tmp_path / "summary.html"
    assert main(["summary", "ssi_student", str(out)]) == 0
    assert "Reporting calendar" in out.read_text(encoding="utf-8")
    assert main(["summary", "ssi_student", str(tmp_path / "summary.txt")]) == 2
    assert "OUT: must end in .html or .pdf" in capsys.readouterr().err


# --- any plan ------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_generated_plan(plan):
    """For any valid plan: one calendar month per plan month; an SSI wage report exactly in the
    months with pay of an SSI plan; the key dates are iwp.key_dates; each warning sits in a month
    the table backs (a $0 month after a paid one, a month without pay after one with, the last
    grace month)."""
    table = simulate(plan)
    summary = benefits_summary(plan, table, today=TODAY)
    assert [m.month for m in summary.calendar] == list(table.index)
    with_pay = [m for m, e in zip(table.index, table["gross_earnings"]) if e > 0.005]
    has_ssi = plan.profile.benefits in ("ssi", "concurrent")
    assert duties(summary, "ssi_wages") == (with_pay if has_ssi else [])
    pd.testing.assert_frame_equal(summary.key_dates, key_dates(table))
    status = table["ssdi_status"].astype(str)
    for warning in summary.warnings:
        t = table.index.get_loc(warning.month)
        column = {"ssdi_check_after_zero": "ssdi_paid", "ssi_check_after_zero": "ssi_paid",
                  "ssi_lag_after_job": "gross_earnings"}.get(warning.code)
        if column:
            assert t > 0 and table[column].iat[t - 1] > 0.005 >= table[column].iat[t]
        else:
            assert warning.code == "last_grace" and status.iat[t] == "grace" and status.iat[t + 1] != "grace"

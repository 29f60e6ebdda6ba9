"""The printable IWP, in HTML and PDF (issue 5; issue 15: the statements 20 CFR 411.465(a) and
411.470 require, the people, amendments, no EN amounts on the beneficiary's copy, accessible formats)."""

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from iwp_widgets import PlanError
from iwp_widgets import report as report_module
from iwp_widgets.plan import Plan
from iwp_widgets.vocabulary import SSDI_STATUS, ssdi_status_words
from iwp_widgets.report import build_chart, build_content, report_html, report_pdf

TODAY = dt.date(2026, 1, 20)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'

IWP = {
    "version": 3,
    "beneficiary_name": "Ana Núñez",
    "counselor_name": "Sam Lee",
    "en_contact": "Acme Careers, 100 Main Street, (555) 010-0100",
    "employment_goal": "Pharmacy technician",
    "short_term_goals": ["Finish the certificate course"],
    "long_term_goals": ["Work full time at a hospital pharmacy"],
    "earnings_at_start": 0.0,
    "earnings_expected_at_end": 2400.0,
    "services": [
        {"kind": "job_placement", "description": "", "provider": "Acme Careers", "start": "2026-02",
         "end": "2026-08"},
        {"kind": "transportation", "description": "", "provider": "City Bus Pass Program", "start": None,
         "end": None},
    ],
    "responsibilities": ["I will go to every class.", "I will report my pay each month."],
    "signatures": {"beneficiary": {"name": "Ana Núñez", "date": "2026-01-15"},
                   "en_representative": None},
    "en_name": "Acme Careers",
    "en_conditions": "We may end our work with you if we cannot reach you for 90 days.",
    "protection_advocacy_contact": "Disability Rights Example, (555) 010-0199",
}


def plan_with(iwp=IWP, name="Ana Núñez") -> Plan:
    plan = Plan.example("ssdi_ramp_to_sga")
    return plan.replace(iwp=dict(iwp, beneficiary_name=name))


def table_like_simulate(months: int = 30, projected_from: int = 12) -> pd.DataFrame:
    """A monthly table with simulate()'s columns (values made up but consistent)."""
    index = pd.period_range("2026-01", periods=months, freq="M", name="month")
    gross = np.linspace(0.0, 2400.0, months)
    ssdi = np.where(gross > 1690.0, 0.0, 1400.0)
    return pd.DataFrame(
        {
            "gross_earnings": gross,
            "countable_earnings": gross,
            "twl": 1210.0,
            "sga": 1690.0,
            "twp_month": gross > 1210.0,
            "twp_months_used": np.cumsum(gross > 1210.0),
            "ssdi_status": np.where(gross > 1690.0, "suspended", "twp"),
            "ssdi_paid": ssdi,
            "ssi_countable_income": 0.0,
            "ssi_paid": 0.0,
            "medicaid_1619b": False,
            "total_income": gross + ssdi,
            "en_payment": np.where(np.arange(months) == 5, 1500.0, 0.0),
            "en_payment_type": np.where(np.arange(months) == 5, "Phase 1 milestone 1", ""),
            "why": "made up",
            "projected": np.arange(months) >= projected_from,
        },
        index=index,
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- what both formats show --------------------------------------------------------------------

MUST_SHOW = [
    "Individual Work Plan", "Ana Núñez", "Pharmacy technician", "Finish the certificate course",
    "Work full time at a hospital pharmacy", "Job placement", "Acme Careers", "Transportation",
    "City Bus Pass Program", "I will go to every class.", "I will report my pay each month.",
    "Earnings when the plan starts", "$0.00 a month", "Earnings expected at plan end", "$2,400.00 a month",
    "Goal checks", "Trial Work Level by the 10th month", "Beneficiary", "Employment Network representative",
    "January 15, 2026", "February 2026 to August 2026", "Projected", "Sam Lee",
    "Acme Careers, 100 Main Street, (555) 010-0100",
    "We may end our work with you if we cannot reach you for 90 days.",
    "Disability Rights Example, (555) 010-0199",
]


def test_html_shows_the_whole_plan():
    page = squash(report_html(plan_with(), table_like_simulate(), today=TODAY))
    for words in MUST_SHOW:
        assert words in page, words
    assert "January 2026" in page and "June 2028 *" in page  # every month, projected ones marked


def test_pdf_shows_the_same_content():
    data = report_pdf(plan_with(), table_like_simulate(), today=TODAY)
    assert data.startswith(b"%PDF-")
    text = squash(pdf_text(data))
    for words in MUST_SHOW:
        assert words in text, words
    assert "January 2026" in text and "June 2028 *" in text


def test_projected_note_only_when_a_figure_is_projected():
    assert "projected" in report_html(plan_with(), table_like_simulate(projected_from=12), today=TODAY)
    page = report_html(plan_with(), table_like_simulate(projected_from=999), today=TODAY)
    assert report_module.PROJECTED_NOTE not in page
    assert "Projected figures" not in page


# --- HTML safety and self-containment ----------------------------------------------------------

def test_user_text_is_escaped_in_html():
    hostile_iwp = dict(IWP, employment_goal=HOSTILE, short_term_goals=[HOSTILE], notes=HOSTILE,
                       services=[{"kind": "other", "description": HOSTILE, "provider": HOSTILE}])
    page = report_html(plan_with(hostile_iwp, name=HOSTILE), table_like_simulate(), today=TODAY)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page


def test_html_is_self_contained_and_prints():
    page = report_html(plan_with(), table_like_simulate(), today=TODAY)
    urls = set(re.findall(r"""(?:src|href|url)\s*[=(]\s*["']?([^"') >]+)""", page))
    assert urls == set(), urls  # no stylesheet, script, font or image fetched from anywhere
    assert "http://www.w3.org/2000/svg" in page  # the SVG namespace, an identifier not a download
    assert "<svg" in page and "<polyline" in page
    assert "@media print" in page and "@page" in page


def test_report_written_to_paths(tmp_path):
    html_path = report_html(plan_with(), table_like_simulate(), path=tmp_path / "iwp.html", today=TODAY)
    pdf_path = report_pdf(plan_with(), table_like_simulate(), path=tmp_path / "iwp.pdf", today=TODAY)
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert pdf_path.read_bytes().startswith(b"%PDF-")


# --- PDF fonts ---------------------------------------------------------------------------------

def test_pdf_shows_names_with_any_accents():
    text = squash(pdf_text(report_pdf(plan_with(name="Nguyễn Văn An"), table_like_simulate(), today=TODAY)))
    assert "Nguyễn Văn An" in text


# --- the chart ---------------------------------------------------------------------------------

def test_chart_scales_to_the_largest_value_and_marks_projected_months():
    table = table_like_simulate(months=24, projected_from=12)
    chart = build_chart(table)
    earnings = next(s for s in chart.series if s.label == "Earnings")
    assert len(earnings.points) == 24
    assert earnings.points[0][1] == pytest.approx(chart.bottom)  # $0 sits on the axis
    top_label = chart.y_ticks[-1][1]
    assert top_label == "$5,000"  # whole dollars on the axis  # total income peaks near $3,000+; the axis rounds up to a nice number
    assert chart.projected_spans and chart.projected_spans[0][0] > chart.left
    assert chart.projected_spans[-1][1] == pytest.approx(chart.right)


def test_a_one_month_plan_still_draws():
    table = table_like_simulate(months=1, projected_from=5)
    assert "<polyline" in report_html(plan_with(), table, today=TODAY)
    assert report_pdf(plan_with(), table, today=TODAY).startswith(b"%PDF-")


# --- small pieces ------------------------------------------------------------------------------

def test_a_table_that_is_not_monthly_is_a_plan_error():
    with pytest.raises(PlanError, match=r"^table: "):
        build_content(plan_with(), pd.DataFrame({"gross_earnings": [1.0]}))


# --- with the real engine ----------------------------------------------------------------------

@pytest.mark.parametrize("example", Plan.examples())
def test_reports_for_every_example_plan(example):
    from iwp_widgets.simulate import simulate

    plan = Plan.example(example)
    table = simulate(plan)
    content = build_content(plan, table, today=TODAY)
    assert len(content.summary_rows) == plan.months
    statuses = {row[content.summary_header.index("SSDI status")] for row in content.summary_rows
                } if "SSDI status" in content.summary_header else set()
    assert statuses <= {ssdi_status_words(code) for code in SSDI_STATUS}, statuses
    page = report_html(plan, today=TODAY)  # simulates by itself
    assert page.count("<tr>") >= plan.months
    assert "Example:" not in page  # the example's title is not a person
    assert pdf_text(report_pdf(plan, table, today=TODAY)).count("\n") > plan.months


def test_every_ssdi_status_the_engine_knows_has_plain_words():
    from iwp_widgets.rules import STATUS_NAMES

    assert set(STATUS_NAMES) <= set(SSDI_STATUS)


@pytest.mark.parametrize("months", [1, 5, 12, 30, 61, 240])
def test_month_labels_never_crowd_the_chart(months):
    chart = build_chart(table_like_simulate(months=months))
    assert 1 <= len(chart.x_ticks) <= report_module.MAX_X_LABELS
    positions = [x for x, _ in chart.x_ticks]
    assert positions == sorted(positions)


@pytest.mark.parametrize("huge", [1e15, 1e300, 1.7e308])
def test_absurd_amounts_still_print(huge):
    table = table_like_simulate(months=6)
    table["gross_earnings"] = huge
    table["total_income"] = huge
    page = report_html(plan_with(), table, today=TODAY)
    assert "<polyline" in page
    assert report_pdf(plan_with(), table, today=TODAY).startswith(b"%PDF-")


def test_health_coverage_prints_for_every_month():
    """Issue 14 item 6: the print said "–" for Medicaid in months SSI is paid. Medicaid comes with
    an eligible SSI month (20 CFR 416.420; the table's medicaid column), under 1619(b) after it,
    and Medicare is printed for SSDI plans."""
    from iwp_widgets.simulate import simulate

    ssi = Plan.example("ssi_student")
    table = simulate(ssi)
    content = build_content(ssi, table, today=TODAY)
    column = content.summary_header.index("Medicaid")
    words = {"ssi": "Yes, as an SSI recipient", "1619b": "Yes, under Section 1619(b)", "none": "No"}
    assert [row[column] for row in content.summary_rows] == [words[m] for m in table["medicaid"]]
    assert "Medicare" not in content.summary_header  # SSI only
    ssdi = Plan.example("ssdi_ramp_to_sga")
    ssdi_table = simulate(ssdi)
    ssdi_content = build_content(ssdi, ssdi_table, today=TODAY)
    medicare = ssdi_content.summary_header.index("Medicare")
    assert [row[medicare] for row in ssdi_content.summary_rows] == \
        ["Yes" if m else "No" for m in ssdi_table["medicare"]]

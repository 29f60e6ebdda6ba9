"""Issue 15 items 1–5: the IWP a beneficiary signs.

Every statement 20 CFR 411.465(a) and 411.470 require is printed with its citation (the text is
``ticket/statements.py``); the print names the people; an amended plan prints the amendment's own
signature block and its history; the beneficiary's copy has no EN payment amounts (the EN
worksheet has them); a draft says so; the PDF is tagged (PDF/UA-1: structure tree, language,
title) and the HTML works with a screen reader and in large print.
"""

import datetime as dt
import html
import io
import re

import pytest
from pypdf import PdfReader

from iwp_widgets.plan import Plan
from iwp_widgets.report import en_worksheet_html, en_worksheet_pdf, report_html, report_pdf
from iwp_widgets.ticket import IWP
from iwp_widgets.ticket.statements import STATEMENTS
from iwp_widgets.simulate import simulate

TODAY = dt.date(2026, 7, 1)
SIGNED = {"beneficiary": {"name": "Ana Núñez", "date": "2026-01-15"},
          "en_representative": {"name": "Lee Park", "date": "2026-01-16"}}
FILLED = {
    "version": 3, "beneficiary_name": "Ana Núñez", "en_name": "Acme Careers", "counselor_name": "Sam Lee",
    "en_contact": "(555) 010-0100", "employment_goal": "Pharmacy technician, 35 hours a week",
    "earnings_at_start": 0.0, "earnings_expected_at_end": 2400.0,
    "services": [{"kind": "job_placement", "description": "", "provider": "Acme Careers",
                  "start": "2026-02", "end": "2026-08"}],
    "en_conditions": "We may end our work with you if we cannot reach you for 90 days.",
    "protection_advocacy_contact": "Disability Rights Example, (555) 010-0199",
    "signatures": SIGNED,
}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def page_text(page: str) -> str:
    """What a reader sees of an HTML page: tags out, entities decoded, spaces squashed."""
    body = page.split("<body>", 1)[1]
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def pdf_text(data: bytes) -> str:
    return squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture(scope="module")
def plan():
    return Plan.example("ssdi_ramp_to_sga").replace(iwp=FILLED)


@pytest.fixture(scope="module")
def table(plan):
    return simulate(plan)


@pytest.fixture(scope="module")
def pdf(plan, table):
    return report_pdf(plan, table, today=TODAY)


def test_html_and_pdf_name_the_person_and_hold_every_required_statement(plan, table, pdf):
    page = page_text(report_html(plan, table, today=TODAY))
    text = pdf_text(pdf)
    for shown in (page, text):
        assert "Ana Núñez" in shown and "Example:" not in shown
        for statement in STATEMENTS:
            assert statement.heading in shown, statement.key
            assert statement.text in shown, statement.key
            assert statement.citation in shown, statement.key
        for own in (FILLED["en_conditions"], FILLED["protection_advocacy_contact"], "Sam Lee", "(555) 010-0100"):
            assert own in shown


def test_the_pdf_is_tagged_with_title_and_language(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-US"
    assert reader.metadata.title == "Individual Work Plan – Ana Núñez"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    tags = structure_tags(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/L", "/Table", "/TH", "/TD", "/Figure"} <= set(tags)
    assert tags.count("/H1") == 1 and "/Figure+Alt" in tags  # the chart has a text alternative


def structure_tags(node) -> list[str]:
    """The structure types in a PDF's tag tree, depth first; a figure with alternate text as /Figure+Alt."""
    node = node.get_object() if hasattr(node, "get_object") else node
    found = []
    if isinstance(node, dict):
        if "/S" in node:
            found.append(str(node["/S"]))
            if node["/S"] == "/Figure" and "/Alt" in node:
                found.append("/Figure+Alt")
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            found += structure_tags(kid)
    return found


def test_the_text_layer_is_in_reading_order(pdf):
    text = pdf_text(pdf)
    order = ["Individual Work Plan", "The work goal", "Services and supports", "Terms and conditions",
             "No cost to you", "Your rights under the Ticket to Work program", "Your privacy",
             "When this plan takes effect", "Earnings and benefits, month by month", "Signatures"]
    positions = [text.index(words) for words in order]
    assert positions == sorted(positions)


def test_the_html_works_with_a_screen_reader(plan, table):
    page = report_html(plan, table, today=TODAY)
    assert '<html lang="en-US"' in page
    assert page.count("<h1>") == 1 and page.count("<h2") >= 12
    assert '<th scope="col">Month</th>' in page and '<th scope="row">January 2026</th>' in page
    assert "<th>" not in page  # every header cell says what it heads
    assert page.count("<caption>") >= 2
    assert 'role="img" aria-labelledby="chart-title"' in page


def test_large_print_is_a_choice_on_the_page_and_for_the_print(plan, table):
    page = report_html(plan, table, today=TODAY)
    assert '<label for="text-size-large">Large print</label>' in page
    assert 'class="large-print"' not in page
    large = report_html(plan, table, today=TODAY, large_print=True)
    assert '<html lang="en-US" class="large-print">' in large and 'id="text-size-large" checked' in large
    assert "html.large-print { font-size: 18pt; }" in large


def test_the_beneficiarys_copy_has_no_en_payment_amount(plan, table, pdf):
    from iwp_widgets.ticket import en_summary_by_year

    # Odd cents, so no earnings or benefit figure can match an EN amount by chance.
    table = table.assign(en_payment=table["en_payment"].where(table["en_payment"] == 0, 1234.57))
    amounts = {f"${d:,.2f}" for d in en_summary_by_year(table)["dollars"] if d > 0}
    assert amounts, "the example plan should earn the EN payments"
    pdf = report_pdf(plan, table, today=TODAY)
    for shown in (page_text(report_html(plan, table, today=TODAY)), pdf_text(pdf)):
        assert "milestone" not in shown.lower() and "outcome payment" not in shown.lower()
        assert not [a for a in amounts if a in shown]
    worksheet = page_text(en_worksheet_html(plan, table, today=TODAY))
    assert all(a in worksheet for a in amounts) and "Phase 1 milestone" in worksheet
    assert "not part of the plan the beneficiary signs" in worksheet
    worksheet_pdf = en_worksheet_pdf(plan, table, today=TODAY)
    assert all(a in pdf_text(worksheet_pdf) for a in amounts)
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(worksheet_pdf)).trailer["/Root"]


def test_a_revised_plan_prints_a_new_signature_block_dated_on_or_after_the_amendment(plan, table):
    amended = plan.revise({"employment_goal": "Pharmacy technician, 30 hours a week"},
                          "Fewer hours after surgery", "2026-06-01")
    signed = amended.replace(iwp=IWP.from_dict(amended.iwp).sign_amendment(
        beneficiary={"name": "Ana Núñez", "date": "2026-06-02"},
        en_representative={"name": "Lee Park", "date": "2026-06-03"}).to_dict())
    for data, text in ((page := report_html(signed, table, today=TODAY), page_text(page)),
                       (None, pdf_text(report_pdf(signed, table, today=TODAY)))):
        block = text[text.index("Signatures for the amendment effective June 1, 2026"):text.index("History of this plan")]
        assert "June 2, 2026" in block and "June 3, 2026" in block
        assert "January 15, 2026" not in block and "January 16, 2026" not in block  # not the old signatures
        history = text[text.index("History of this plan"):]
        assert "Fewer hours after surgery" in history
        assert ("Work goal Pharmacy technician, 35 hours a week Pharmacy technician, 30 hours a week"
                in history)
        assert "signed by Ana Núñez on January 15, 2026" in history  # the first signing is kept
        assert text.index("Signatures for the amendment") > text.index("Earnings and benefits, month by month")
        assert "not signed" not in text[:text.index("The work goal")]


def test_an_unsigned_amendment_says_so_at_the_top_with_empty_lines_to_sign(plan, table):
    amended = plan.revise({"employment_goal": "Cook"}, "New job offer", "2026-06-01")
    text = page_text(report_html(amended, table, today=TODAY))
    top = text[:text.index("The work goal")]
    assert "amended, effective June 1, 2026, and the amendment is not signed yet" in top
    block = text[text.index("Signatures for the amendment"):text.index("History of this plan")]
    assert "January 15, 2026" not in block and "Ana Núñez" not in block


@pytest.mark.parametrize("change", [
    {"signatures": {"beneficiary": SIGNED["beneficiary"], "en_representative": None}},  # half signed
    {"signatures": {"beneficiary": None, "en_representative": None}},  # not signed
    {"beneficiary_name": ""},  # signed but half filled
])
def test_a_draft_prints_marked_as_a_draft(plan, table, change):
    draft = plan.replace(iwp={**FILLED, **change})
    page = report_html(draft, table, today=TODAY)
    assert "Draft — not signed" in page_text(page)[:200]
    assert "<title>Draft — not signed:" in page
    text = pdf_text(report_pdf(draft, table, today=TODAY))
    assert text.count("Draft — not signed") >= len(PdfReader(io.BytesIO(report_pdf(draft, table, today=TODAY))).pages)


def test_a_signed_complete_plan_is_not_a_draft(plan, table, pdf):
    assert "Draft" not in page_text(report_html(plan, table, today=TODAY))
    assert "Draft" not in pdf_text(pdf)


def test_the_print_command_writes_the_iwp_and_the_en_worksheet(tmp_path, capsys):
    from iwp_widgets.__main__ import main

    saved = Plan.example("ssdi_ramp_to_sga").replace(iwp=FILLED).save(tmp_path / "ana.json")
    assert main(["print", str(saved), str(tmp_path / "iwp.pdf"), "--large-print"]) == 0
    text = pdf_text((tmp_path / "iwp.pdf").read_bytes())
    assert "Ana Núñez" in text and "milestone" not in text.lower()
    assert main(["print", "ssdi_ramp_to_sga", str(tmp_path / "en.html"), "--en-worksheet"]) == 0
    assert "Phase 1 milestone" in (tmp_path / "en.html").read_text(encoding="utf-8")
    assert main(["print", str(saved), str(tmp_path / "iwp.txt")]) == 2
    assert "OUT: must end in .pdf or .html" in capsys.readouterr().err

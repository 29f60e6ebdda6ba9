"""What the printed IWP says, and what the EN worksheet says, as plain data.

Built from the plan and its monthly table (``simulate``), nothing else. The beneficiary's copy is
the plan they sign: who it is for and with whom, the goal, the services, both sides'
responsibilities, every statement 20 CFR 411.465(a) and 411.470 require (``ticket/statements.py``),
the month-by-month estimate, the signature block of the current version (the latest amendment's
when there is one), then the history of amendments. It holds no EN payment amounts: those are on
the EN worksheet (``build_worksheet``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import PlanError
from ..ticket import check_goals, en_summary_by_year
from ..ticket import statements
from ..ticket.statements import BY_KEY, NO_EN_CONDITIONS, NO_PA_CONTACT
from ..words import _, date_words, money, month_words
from ..vocabulary import medicaid_words, ssdi_status_words, yes_no
from .chart import Chart, build_chart, column

# Module-level words are marked with ``_`` for the translators' template (read at import, in
# English) and passed through ``_`` again where they are shown, in the reader's language.
PROJECTED_MARK = "*"
PROJECTED_NOTE = _("* Figures for these months are projected: Social Security has not published them "
                   "yet, so they are estimated from the last published ones. Real amounts may differ.")
ESTIMATE_NOTE = _("These are estimates from the earnings you plan to make. Social Security decides your "
                  "benefits. Report your earnings every month you work.")
EN_PAYMENTS_NOTE = _("Social Security pays the Employment Network when the beneficiary's work reaches "
                     "these steps. These payments do not come out of the beneficiary's benefits, and "
                     "the beneficiary never pays the Employment Network.")
EN_ESTIMATE = _(" (estimate)")
EN_ESTIMATE_NOTE = _("Amounts marked \"estimate\" use an earlier year's rate: Social Security's rate for "
                     "that year was not found.")
DRAFT_MARK = _("Draft — not signed")

# The statements shown as sections of their own, in order (the goal, services and terms lead
# the sections that hold the plan's own words).
STANDALONE_STATEMENTS = ("no_charge", "amend_or_end", "ticket_rights", "remedies", "privacy",
                         "amend_right", "accessible_copy", "effective")


def _benefit_names() -> dict[str, str]:
    return {"ssdi": "SSDI", "ssi": "SSI", "concurrent": _("SSDI and SSI")}


def _check_words(met: bool | None) -> str:
    return {True: _("met"), False: _("not met"), None: _("not known yet")}[met]


@dataclass(frozen=True)
class Statement(statements.Statement):
    """One required statement as printed (in the reader's language), with the EN's own words."""

    details: tuple[tuple[str, str], ...] = ()  # (label, the EN's text)


@dataclass(frozen=True)
class Signer:
    who: str
    name: str  # empty until signed
    date: str  # in words; empty until signed


@dataclass(frozen=True)
class AmendmentView:
    title: str  # "Amendment effective June 1, 2026"
    reason: str
    changes: tuple[tuple[str, str, str], ...]  # what, before, after
    signers: tuple[Signer, ...]
    signed: bool


@dataclass(frozen=True)
class ReportContent:
    title: str
    person: str
    en_name: str
    made_on: str
    draft: bool
    warnings: tuple[str, ...]  # said at the top: a draft, an unsigned amendment
    facts: tuple[tuple[str, str], ...]
    goal_statement: Statement
    employment_goal: str
    short_term_goals: tuple[str, ...]
    long_term_goals: tuple[str, ...]
    earnings: tuple[tuple[str, str], ...]
    goal_checks: tuple[tuple[bool | None, str, str], ...]  # met (None: not known yet), label, sentence
    services_statement: Statement
    services: tuple[tuple[str, str, str], ...]  # service, provider, when
    terms_statement: Statement
    en_responsibilities: tuple[str, ...]
    responsibilities: tuple[str, ...]
    statements: tuple[Statement, ...]
    summary_header: tuple[str, ...]
    summary_rows: tuple[tuple[str, ...], ...]
    any_projected: bool
    chart: Chart
    signature_heading: str
    signature_lead: str
    signatures: tuple[Signer, ...]
    amendments: tuple[AmendmentView, ...]
    first_signatures: tuple[Signer, ...]
    notes: str
    large_print: bool = False


@dataclass(frozen=True)
class WorksheetContent:
    """The EN's own worksheet: projected milestone and outcome payments. Not the beneficiary's copy."""

    title: str
    person: str
    en_name: str
    made_on: str
    facts: tuple[tuple[str, str], ...]
    payments: tuple[tuple[str, str, str, str], ...]  # year, payment, how many, dollars
    any_estimate: bool
    large_print: bool = False


def _statement(key: str, details: tuple[tuple[str, str], ...] = ()) -> Statement:
    s = BY_KEY[key]
    return Statement(key, _(s.heading), _(s.text), s.citation, details)


def _signers(beneficiary, en) -> tuple[Signer, ...]:
    def parts(signature):
        return ("", "") if signature is None else (signature.name, date_words(signature.date))
    return (Signer(_("Beneficiary"), *parts(beneficiary)),
            Signer(_("Employment Network representative"), *parts(en)))


def build_content(plan, table: pd.DataFrame, today: dt.date | None = None,
                  large_print: bool = False) -> ReportContent:
    """Gather what the beneficiary's printed IWP shows from a plan and its monthly table."""
    _check_table(table)
    iwp = plan.iwp
    profile = plan.profile
    months = table.index
    first, last = months[0], months[-1]
    projected = column(table, "projected", False).astype(bool)
    benefits = _field(profile, "benefits", "")
    facts = [(_("Beneficiary"), iwp.beneficiary_name or _("Not written yet")),
             (_("Employment Network"), iwp.en_name or _("Not written yet"))]
    if iwp.en_contact:
        facts.append((_("How to reach the Employment Network"), iwp.en_contact))
    if iwp.counselor_name:
        facts.append((_("Counselor"), iwp.counselor_name))
    facts += [
        (_("Benefits"), _benefit_names().get(benefits, str(benefits))),
        (_("Plan covers"), _("{first} to {last} ({count} months)").format(
            first=month_words(first), last=month_words(last), count=len(months))),
    ]
    ssdi_monthly = _field(profile, "ssdi_monthly", None)
    if benefits in ("ssdi", "concurrent") and ssdi_monthly:
        facts.append((_("SSDI check before work"), money(ssdi_monthly)))
    if iwp.signed_date:
        facts.append((_("Plan signed"), date_words(iwp.signed_date)))
    if iwp.revisions:
        facts.append((_("Last amended"), _("effective {date}").format(date=date_words(iwp.revisions[-1].date))))

    warnings = []
    if iwp.is_draft:
        missing = iwp.missing_for_signing()
        if iwp.signed_date is None:
            warnings.append(_("Both the beneficiary and the Employment Network must sign before this "
                              "plan takes effect."))
        if missing:
            warnings.append(_("Still to fill in: {items}.").format(items=", ".join(missing)))
    if iwp.latest_amendment_unsigned:
        warnings.append(_("This plan was amended, effective {date}, and the amendment is not signed yet: "
                          "it takes effect when both have signed it.").format(
                              date=date_words(iwp.revisions[-1].date)))

    gross = column(table, "gross_earnings", 0.0)
    total = column(table, "total_income", 0.0)
    a_month = _("{amount} a month")
    earnings = [
        (_("Earnings when the plan starts"), a_month.format(amount=money(iwp.earnings_at_start))),
        (_("Earnings expected at plan end"), a_month.format(amount=money(iwp.earnings_expected_at_end))),
        (_("Planned earnings in {month}").format(month=month_words(last)),
         a_month.format(amount=money(gross.iloc[-1]))),
        (_("Estimated total income in {month}").format(month=month_words(last)),
         a_month.format(amount=money(total.iloc[-1]))),
    ]
    services = tuple(
        (s.label, s.provider or iwp.en_name or _("Not named yet"), _span_words(s.start, s.end))
        for s in iwp.services)
    header, rows = _summary(table, projected, benefits)
    checks = tuple((c.passed, c.label, c.sentence) for c in check_goals(table, iwp))

    statements = []
    for key in STANDALONE_STATEMENTS:
        details: tuple[tuple[str, str], ...] = ()
        if key == "amend_or_end":
            details = ((_("The Employment Network's conditions"), iwp.en_conditions or _(NO_EN_CONDITIONS)),)
        elif key == "remedies":
            details = ((_("Protection and Advocacy (P&A) contact"),
                        iwp.protection_advocacy_contact or _(NO_PA_CONTACT)),)
        statements.append(_statement(key, details))

    amendments = tuple(
        AmendmentView(_("Amendment effective {date}").format(date=date_words(a.date)), a.reason, a.changes,
                      _signers(a.beneficiary_signature, a.en_signature), a.signed_date is not None)
        for a in iwp.amendments())
    first_signatures = _signers(iwp.beneficiary_signature, iwp.en_signature)
    if amendments:
        latest = amendments[-1]
        signature_heading = _("Signatures for the amendment effective {date}").format(
            date=date_words(iwp.revisions[-1].date))
        signature_lead = _("By signing, we agree to this plan as amended.")
        signatures = latest.signers
    else:
        signature_heading = _("Signatures")
        signature_lead = _("By signing, we agree to this plan.")
        signatures = first_signatures

    return ReportContent(
        title=_("Individual Work Plan"),
        person=iwp.beneficiary_name,
        en_name=iwp.en_name,
        made_on=date_words(today or dt.date.today()),
        draft=iwp.is_draft,
        warnings=tuple(warnings),
        facts=tuple(facts),
        goal_statement=_statement("vocational_goal"),
        employment_goal=iwp.employment_goal,
        short_term_goals=tuple(iwp.short_term_goals),
        long_term_goals=tuple(iwp.long_term_goals),
        earnings=tuple(earnings),
        goal_checks=checks,
        services_statement=_statement("services"),
        services=services,
        terms_statement=_statement("terms"),
        en_responsibilities=tuple(iwp.en_responsibilities),
        responsibilities=tuple(iwp.responsibilities),
        statements=tuple(statements),
        summary_header=header,
        summary_rows=rows,
        any_projected=bool(projected.any()),
        chart=build_chart(table),
        signature_heading=signature_heading,
        signature_lead=signature_lead,
        signatures=signatures,
        amendments=amendments,
        first_signatures=first_signatures,
        notes=iwp.notes,
        large_print=large_print,
    )


def build_worksheet(plan, table: pd.DataFrame, today: dt.date | None = None,
                    large_print: bool = False) -> WorksheetContent:
    """The EN worksheet: the milestone and outcome payments the plan's earnings would bring."""
    _check_table(table)
    iwp = plan.iwp
    months = table.index
    payments = _en_payment_rows(table)
    facts = ((_("Beneficiary"), iwp.beneficiary_name or _("Not written yet")),
             (_("Plan covers"), _("{first} to {last} ({count} months)").format(
                 first=month_words(months[0]), last=month_words(months[-1]), count=len(months))))
    return WorksheetContent(
        title=_("Employment Network worksheet: projected payments"),
        person=iwp.beneficiary_name, en_name=iwp.en_name,
        made_on=date_words(today or dt.date.today()), facts=facts, payments=payments,
        any_estimate=any(d.endswith(_(EN_ESTIMATE)) for *_rest, d in payments),
        large_print=large_print)


def _en_payment_rows(table: pd.DataFrame) -> tuple[tuple[str, str, str, str], ...]:
    if "en_payment_type" not in table.columns or "en_payment" not in table.columns:
        return ()
    summary = en_summary_by_year(table)
    return tuple(
        (str(row.year), str(row.payment), str(int(row.count)),
         money(row.dollars) + (_(EN_ESTIMATE) if row.projected else ""))  # rate not found
        for row in summary.itertuples(index=False)
    )


def _check_table(table) -> None:
    if not isinstance(table, pd.DataFrame) or not isinstance(table.index, pd.PeriodIndex):
        raise PlanError("table: must be the monthly table from simulate() (indexed by month)")
    if len(table) == 0:
        raise PlanError("table: has no months")


def _field(obj, name: str, default) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _span_words(start: str | None, end: str | None) -> str:
    if start and end:
        return _("{start} to {end}").format(start=month_words(start), end=month_words(end))
    if start:
        return _("From {start}").format(start=month_words(start))
    if end:
        return _("Until {end}").format(end=month_words(end))
    return _("Dates to be set")


def _summary(table: pd.DataFrame, projected: pd.Series, benefits: str
             ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The month-by-month rows; only the columns of the plan's programs."""
    has_ssdi = benefits != "ssi" and "ssdi_paid" in table
    has_ssi = benefits != "ssdi" and "ssi_paid" in table
    header = [_("Month"), _("Earnings")]
    if has_ssdi:
        header += ["SSDI", _("SSDI status")]
    if has_ssi:
        header += ["SSI"]
    header += [_("Total income"), "Medicaid"]
    if has_ssdi and "medicare" in table:
        header += ["Medicare"]
    rows = []
    for month, row in table.iterrows():
        mark = f" {PROJECTED_MARK}" if bool(projected.loc[month]) else ""
        cells = [month_words(month) + mark, money(row.get("gross_earnings", 0.0))]
        if has_ssdi:
            status = str(row.get("ssdi_status", ""))
            cells += [money(row.get("ssdi_paid", 0.0)),
                      ssdi_status_words(status)]
        if has_ssi:
            cells += [money(row.get("ssi_paid", 0.0))]
        cells += [money(row.get("total_income", 0.0)), _medicaid_words(row)]
        if has_ssdi and "medicare" in table:
            cells += [yes_no(row["medicare"]).capitalize()]
        rows.append(tuple(cells))
    return tuple(header), tuple(rows)


def _medicaid_words(row) -> str:
    """Health coverage through SSI or 1619(b) in words (the table's ``medicaid`` column)."""
    if "medicaid" in row:
        words = medicaid_words(row["medicaid"])
    else:  # a table from before the medicaid column: 1619(b) only
        words = medicaid_words("1619b" if bool(row.get("medicaid_1619b", False)) else "none")
    return words[:1].upper() + words[1:]

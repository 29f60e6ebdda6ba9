"""A printable Individual Work Plan: one self-contained HTML page or a PDF, with the same content.

Both are made from the plan and its monthly table (``simulate``), nothing else: the goals, the
services and supports with who gives them, the responsibilities, earnings now and expected at the
end, the goal checks, a month-by-month summary, a projection chart, and lines to sign and date.

    >>> from iwp_widgets.report import report_html, report_pdf
    >>> report_html(plan, path="iwp.html")   # doctest: +SKIP
    >>> report_pdf(plan, path="iwp.pdf")     # doctest: +SKIP

The HTML page needs nothing from the internet: the CSS is inline and the chart is inline SVG. The
PDF is drawn with fpdf2 (pure Python). Every piece of user text is escaped in the HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from .atomic_file import atomic_write
from .errors import PlanError
from .simulate import MEDICAID_WORDS
from .thresholds import label as figure_label
from .ticket import IWP, check_goals, en_summary_by_year

# --- the content, shared by the HTML and the PDF ------------------------------------------------

BENEFIT_NAMES = {"ssdi": "SSDI", "ssi": "SSI", "concurrent": "SSDI and SSI"}
# Plain words for the SSDI status codes simulate() writes; an unknown code is shown as words.
SSDI_STATUS_WORDS = {
    "none": "No SSDI",
    "twp": "Trial work period",
    "epe": "Extended eligibility",
    "cessation": "Cessation month (paid)",
    "grace": "Grace month (paid)",
    "suspended": "Not paid (over SGA)",
    "terminated": "Ended",
    "offset": "Reduced (benefit offset)",
}
PROJECTED_MARK = "*"
PROJECTED_NOTE = (f"{PROJECTED_MARK} Figures for these months are projected: Social Security has not "
                  "published them yet, so they are estimated from the last published ones. "
                  "Real amounts may differ.")
CHECK_WORDS = {True: "met", False: "not met", None: "not known yet"}
EN_PAYMENTS_NOTE = ("Social Security pays the Employment Network when your work reaches these steps. "
                    "These payments do not come out of your benefits.")
EN_ESTIMATE = " (estimate)"
EN_ESTIMATE_NOTE = ("Amounts marked \"estimate\" use an earlier year's rate: Social Security's rate for that "
                    "year was not found.")
ESTIMATE_NOTE = ("These are estimates from the earnings you plan to make. Social Security decides your "
                 "benefits. Report your earnings every month you work.")


@dataclass(frozen=True)
class ChartSeries:
    label: str
    color: str  # "#rrggbb"
    dash: tuple[float, float] | None  # (dash, gap) in chart units, or None for a solid line
    width: float
    points: tuple[tuple[float, float], ...]  # (x, y) in chart units, y growing downward


@dataclass(frozen=True)
class Chart:
    """A line chart laid out in abstract units; the HTML and PDF renderers only scale it."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    series: tuple[ChartSeries, ...]
    projected_spans: tuple[tuple[float, float], ...]  # x ranges drawn with a grey band


@dataclass(frozen=True)
class ReportContent:
    title: str
    person: str
    en_name: str
    made_on: str
    facts: tuple[tuple[str, str], ...]
    employment_goal: str
    short_term_goals: tuple[str, ...]
    long_term_goals: tuple[str, ...]
    earnings: tuple[tuple[str, str], ...]
    goal_checks: tuple[tuple[bool | None, str, str], ...]  # met (None: not known yet), label, sentence
    services: tuple[tuple[str, str, str], ...]  # service, provider, when
    responsibilities: tuple[str, ...]
    summary_header: tuple[str, ...]
    summary_rows: tuple[tuple[str, ...], ...]
    any_projected: bool
    chart: Chart
    signatures: tuple[tuple[str, str, str], ...]  # who signs, name (if signed), date (if signed)
    revisions: tuple[tuple[str, str], ...]  # date, reason
    notes: str
    en_payments: tuple[tuple[str, str, str, str], ...] = ()  # year, payment, how many, dollars


def money(value: float) -> str:
    """Dollars as people write them: $1,300 or $1,300.50."""
    value = float(value)
    if not math.isfinite(value):
        return "–"
    if abs(value) >= 1e15:  # beyond cents arithmetic in floats; no real plan gets here
        return f"${value:,.0f}" if value >= 0 else f"−${-value:,.0f}"
    cents = round(value * 100)
    if cents % 100 == 0:
        return f"${cents // 100:,}" if cents >= 0 else f"−${-cents // 100:,}"
    return f"${value:,.2f}" if value >= 0 else f"−${-value:,.2f}"


def month_words(month: Any) -> str:
    """'2026-03' -> 'March 2026'."""
    return pd.Period(month, freq="M").strftime("%B %Y")


def date_words(date: str) -> str:
    """'2026-01-15' -> 'January 15, 2026'."""
    day = dt.date.fromisoformat(date)
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def build_content(plan, table: pd.DataFrame, today: dt.date | None = None) -> ReportContent:
    """Gather what the printable IWP shows from a plan and its monthly table."""
    _check_table(table)
    iwp = plan.iwp
    profile = plan.profile
    months = table.index
    first, last = months[0], months[-1]
    projected = _column(table, "projected", False).astype(bool)
    person = _field(profile, "name", "") or ""
    benefits = _field(profile, "benefits", "")
    facts = [
        ("Benefits", BENEFIT_NAMES.get(benefits, str(benefits))),
        ("Plan covers", f"{month_words(first)} to {month_words(last)} ({len(months)} months)"),
    ]
    ssdi_monthly = _field(profile, "ssdi_monthly", None)
    if benefits in ("ssdi", "concurrent") and ssdi_monthly:
        facts.append(("SSDI check before work", money(ssdi_monthly)))
    if iwp.signed_date:
        facts.append(("Plan signed", date_words(iwp.signed_date)))

    gross = _column(table, "gross_earnings", 0.0)
    total = _column(table, "total_income", 0.0)
    earnings = [
        ("Earnings when the plan starts", f"{money(iwp.earnings_at_start)} a month"),
        ("Earnings expected at plan end", f"{money(iwp.earnings_expected_at_end)} a month"),
        (f"Planned earnings in {month_words(last)}", f"{money(gross.iloc[-1])} a month"),
        (f"Estimated total income in {month_words(last)}", f"{money(total.iloc[-1])} a month"),
    ]

    services = tuple(
        (s.label, s.provider or iwp.en_name or "Not named yet", _span_words(s.start, s.end))
        for s in iwp.services
    )
    header, rows = _summary(table, projected, profile.benefits)
    checks = tuple((c.passed, c.label, c.sentence) for c in check_goals(table, iwp))
    signatures = (
        ("Beneficiary", *_signature_parts(iwp.beneficiary_signature)),
        ("Employment Network representative", *_signature_parts(iwp.en_signature)),
    )
    return ReportContent(
        title="Individual Work Plan",
        person=person,
        en_name=iwp.en_name,
        made_on=date_words((today or dt.date.today()).isoformat()),
        facts=tuple(facts),
        employment_goal=iwp.employment_goal,
        short_term_goals=tuple(iwp.short_term_goals),
        long_term_goals=tuple(iwp.long_term_goals),
        earnings=tuple(earnings),
        goal_checks=checks,
        services=services,
        responsibilities=tuple(iwp.responsibilities),
        summary_header=header,
        summary_rows=rows,
        any_projected=bool(projected.any()),
        chart=build_chart(table),
        signatures=signatures,
        revisions=tuple((date_words(r.date), r.reason) for r in iwp.revisions),
        notes=iwp.notes,
        en_payments=_en_payment_rows(table),
    )


def _en_payment_rows(table: pd.DataFrame) -> tuple[tuple[str, str, str, str], ...]:
    if "en_payment_type" not in table.columns or "en_payment" not in table.columns:
        return ()
    summary = en_summary_by_year(table)
    return tuple(
        (str(row.year), str(row.payment), str(int(row.count)),
         money(row.dollars) + (EN_ESTIMATE if row.projected else ""))  # rate not found
        for row in summary.itertuples(index=False)
    )


def _check_table(table) -> None:
    if not isinstance(table, pd.DataFrame) or not isinstance(table.index, pd.PeriodIndex):
        raise PlanError("table: must be the monthly table from simulate() (indexed by month)")
    if len(table) == 0:
        raise PlanError("table: has no months")


def _field(obj, name: str, default):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _column(table: pd.DataFrame, name: str, default) -> pd.Series:
    if name in table.columns:
        return table[name]
    return pd.Series(default, index=table.index)


def _span_words(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{month_words(start)} to {month_words(end)}"
    if start:
        return f"From {month_words(start)}"
    if end:
        return f"Until {month_words(end)}"
    return "Dates to be set"


def _signature_parts(signature) -> tuple[str, str]:
    if signature is None:
        return "", ""
    return signature.name, date_words(signature.date)


def _summary(table: pd.DataFrame, projected: pd.Series, benefits: str
             ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The month-by-month rows; only the columns of the plan's programs."""
    has_ssdi = benefits != "ssi" and "ssdi_paid" in table
    has_ssi = benefits != "ssdi" and "ssi_paid" in table
    header = ["Month", "Earnings"]
    if has_ssdi:
        header += ["SSDI", "SSDI status"]
    if has_ssi:
        header += ["SSI"]
    header += ["Total income", "Medicaid"]
    if has_ssdi and "medicare" in table:
        header += ["Medicare"]
    rows = []
    for month, row in table.iterrows():
        mark = f" {PROJECTED_MARK}" if bool(projected.loc[month]) else ""
        cells = [month.strftime("%b %Y") + mark, money(row.get("gross_earnings", 0.0))]
        if has_ssdi:
            status = str(row.get("ssdi_status", ""))
            cells += [money(row.get("ssdi_paid", 0.0)),
                      SSDI_STATUS_WORDS.get(status, status.replace("_", " ").capitalize())]
        if has_ssi:
            cells += [money(row.get("ssi_paid", 0.0))]
        cells += [money(row.get("total_income", 0.0)), _medicaid_words(row)]
        if has_ssdi and "medicare" in table:
            cells += ["Yes" if bool(row["medicare"]) else "No"]
        rows.append(tuple(cells))
    return tuple(header), tuple(rows)


def _medicaid_words(row) -> str:
    """Health coverage through SSI or 1619(b) in words (the table's ``medicaid`` column)."""
    if "medicaid" in row:
        words = MEDICAID_WORDS.get(str(row["medicaid"]), str(row["medicaid"]))
    else:  # a table from before the medicaid column: 1619(b) only
        words = MEDICAID_WORDS["1619b" if bool(row.get("medicaid_1619b", False)) else "none"]
    return words[:1].upper() + words[1:]


# --- the projection chart, laid out once --------------------------------------------------------

def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (at least 100)."""
    value = max(float(value), 100.0)
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5):
        if step * power >= value:
            return step * power
    return min(10 * power, sys.float_info.max)


def build_chart(table: pd.DataFrame, width: float = 720, height: float = 300) -> Chart:
    """Lay out the projection chart: earnings, benefits and total income by month, with the trial
    work level and SGA level as reference lines, and projected months shaded."""
    left, right, top, bottom = 64.0, width - 150.0, 16.0, height - 36.0
    n = len(table)
    zero = pd.Series(0.0, index=table.index)
    benefits = _column(table, "ssdi_paid", 0.0) + _column(table, "ssi_paid", 0.0)
    lines = [
        ("Earnings", "#1f5fa8", None, 2.5, _column(table, "gross_earnings", 0.0)),
        ("Benefits (SSDI + SSI)", "#b3541e", (6.0, 4.0), 2.5, benefits),
        ("Total income", "#2e7d32", (2.0, 3.0), 2.5, _column(table, "total_income", 0.0)),
    ]
    if "twl" in table:
        lines.append((figure_label("twl"), "#6a6a6a", (1.5, 2.5), 1.2, table["twl"]))
    if "sga" in table:
        lines.append(("SGA level", "#000000", (8.0, 3.0), 1.2, table["sga"]))
    values = pd.concat([series for *_, series in lines] + [zero]).astype(float)
    finite = values[values.map(math.isfinite)]
    y_max = nice_ceiling(finite.max() if len(finite) else 0.0)

    def x_of(i: float) -> float:
        return left + (right - left) * (i / (n - 1) if n > 1 else 0.5)

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * (min(max(float(v), 0.0), y_max) / y_max)

    series = tuple(
        ChartSeries(label, color, dash, line_width,
                    tuple((x_of(i), y_of(v)) for i, v in enumerate(values_)))
        for label, color, dash, line_width, values_ in lines
    )
    y_ticks = tuple((y_of(y_max * k / 5), money(y_max * k / 5)) for k in range(6))
    x_ticks = _month_ticks(table.index, x_of)
    projected = _column(table, "projected", False).astype(bool).to_numpy()
    half = (right - left) / (2 * max(n - 1, 1))
    spans = []
    i = 0
    while i < n:
        if projected[i]:
            j = i
            while j + 1 < n and projected[j + 1]:
                j += 1
            spans.append((max(left, x_of(i) - half), min(right, x_of(j) + half)))
            i = j + 1
        else:
            i += 1
    return Chart(width, height, left, top, right, bottom, y_ticks, x_ticks, series, tuple(spans))


MAX_X_LABELS = 8  # more would overlap at the chart's width
TICK_STEPS = (1, 2, 3, 6, 12, 24, 36, 60, 120)  # months between labels


def _month_ticks(months: pd.PeriodIndex, x_of) -> tuple[tuple[float, str], ...]:
    """Labels on calendar boundaries (every n months, or every n years), at most MAX_X_LABELS."""
    n = len(months)
    step = next((s for s in TICK_STEPS if math.ceil(n / s) <= MAX_X_LABELS), TICK_STEPS[-1])
    ticks = []
    for i, month in enumerate(months):
        if step < 12 and (month.month - 1) % step == 0:
            ticks.append((x_of(i), month.strftime("%b %Y")))
        elif step >= 12 and month.month == 1 and (month.year % (step // 12)) == 0:
            ticks.append((x_of(i), str(month.year)))
    return tuple(ticks) or ((x_of(0), months[0].strftime("%b %Y")),)


# --- HTML ---------------------------------------------------------------------------------------

CSS = """
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 12pt; color: #111;
       line-height: 1.4; max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #1f5fa8; padding-bottom: .15rem; margin-top: 1.6rem; }
.lead { margin-top: 0; color: #333; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #999; padding: .2rem .4rem; text-align: left; vertical-align: top; }
th { background: #e8eef6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.check-met::before { content: "✔ "; color: #2e7d32; }
.check-not-met::before { content: "✘ "; color: #b3261e; }
.check-unknown::before { content: "? "; color: #6a6a6a; }
.note { font-size: 10pt; color: #333; }
.signatures { display: grid; grid-template-columns: 2fr 1fr; gap: 2.2rem 2rem; margin-top: 1.5rem; }
.sign-line { border-top: 1px solid #111; padding-top: .2rem; font-size: 10pt; }
.signed { font-family: cursive; font-size: 13pt; min-height: 1.3rem; }
figure { margin: 0; }
svg { width: 100%; height: auto; }
@page { size: letter; margin: 1.6cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  tr, figure, .signatures, dl.facts { break-inside: avoid; }
  thead { display: table-header-group; }
  .signatures { break-before: auto; }
}
"""


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def chart_svg(chart: Chart) -> str:
    """The chart as an inline SVG element (text escaped; no scripts, no external files)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:g} {chart.height:g}" '
        f'role="img" aria-labelledby="chart-title">',
        '<title id="chart-title">Planned earnings, benefits and total income by month</title>',
    ]
    for x0, x1 in chart.projected_spans:
        parts.append(f'<rect x="{x0:.1f}" y="{chart.top:.1f}" width="{x1 - x0:.1f}" '
                     f'height="{chart.bottom - chart.top:.1f}" fill="#ececec"/>')
    for y, label in chart.y_ticks:
        parts.append(f'<line x1="{chart.left:.1f}" y1="{y:.1f}" x2="{chart.right:.1f}" y2="{y:.1f}" '
                     'stroke="#d0d0d0" stroke-width="0.8"/>')
        parts.append(f'<text x="{chart.left - 6:.1f}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="end">{_esc(label)}</text>')
    for x, label in chart.x_ticks:
        parts.append(f'<line x1="{x:.1f}" y1="{chart.bottom:.1f}" x2="{x:.1f}" y2="{chart.bottom + 4:.1f}" '
                     'stroke="#111"/>')
        parts.append(f'<text x="{x:.1f}" y="{chart.bottom + 18:.1f}" font-size="11" '
                     f'text-anchor="middle">{_esc(label)}</text>')
    parts.append(f'<line x1="{chart.left:.1f}" y1="{chart.bottom:.1f}" x2="{chart.right:.1f}" '
                 f'y2="{chart.bottom:.1f}" stroke="#111"/>')
    legend_y = chart.top + 8
    for s in chart.series:
        dash = f' stroke-dasharray="{s.dash[0]:g} {s.dash[1]:g}"' if s.dash else ""
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
        if len(s.points) == 1:  # one month: draw a short level mark so the value is visible
            (x, y), = s.points
            points = f"{x - 6:.1f},{y:.1f} {x + 6:.1f},{y:.1f}"
        parts.append(f'<polyline points="{points}" fill="none" stroke="{s.color}" '
                     f'stroke-width="{s.width:g}"{dash} stroke-linejoin="round"/>')
        lx = chart.right + 12
        parts.append(f'<line x1="{lx:.1f}" y1="{legend_y:.1f}" x2="{lx + 24:.1f}" y2="{legend_y:.1f}" '
                     f'stroke="{s.color}" stroke-width="{s.width:g}"{dash}/>')
        parts.append(f'<text x="{lx + 30:.1f}" y="{legend_y + 4:.1f}" font-size="11">{_esc(s.label)}</text>')
        legend_y += 20
    if chart.projected_spans:
        lx = chart.right + 12
        parts.append(f'<rect x="{lx:.1f}" y="{legend_y - 6:.1f}" width="24" height="12" fill="#ececec"/>')
        parts.append(f'<text x="{lx + 30:.1f}" y="{legend_y + 4:.1f}" font-size="11">Projected figures</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(content: ReportContent) -> str:
    """The printable IWP as one HTML document with inline CSS and SVG."""
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{_esc(content.title)}{' – ' + _esc(content.person) if content.person else ''}</title>",
           f"<style>{CSS}</style>", "</head>", "<body>", f"<h1>{_esc(content.title)}</h1>"]
    lead = []
    if content.person:
        lead.append(f"For <strong>{_esc(content.person)}</strong>")
    if content.en_name:
        lead.append(f"with <strong>{_esc(content.en_name)}</strong>")
    lead.append(f"Printed {_esc(content.made_on)}")
    out.append(f'<p class="lead">{" · ".join(lead)}</p>')
    out.append('<dl class="facts">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>"
                                              for k, v in content.facts) + "</dl>")

    out.append("<h2>My goals</h2>")
    out.append(f"<p><strong>Job I want:</strong> {_esc(content.employment_goal) or 'Not written yet'}</p>")
    for heading, goals in (("Short-term goals", content.short_term_goals),
                           ("Long-term goals", content.long_term_goals)):
        out.append(f"<h3>{heading}</h3>")
        out.append(_html_list(goals, "None written yet."))

    out.append("<h2>Earnings</h2>")
    out.append('<dl class="facts">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>"
                                              for k, v in content.earnings) + "</dl>")
    if content.goal_checks:
        out.append("<h3>Goal checks</h3><ul>")
        for met, label, sentence in content.goal_checks:
            css = {True: "check-met", False: "check-not-met", None: "check-unknown"}[met]
            out.append(f'<li class="{css}"><strong>{_esc(label)}: {CHECK_WORDS[met]}.</strong> '
                       f'{_esc(sentence)}</li>')
        out.append("</ul>")

    out.append("<h2>Services and supports</h2>")
    if content.services:
        out.append("<table><thead><tr><th>Service or support</th><th>Who gives it</th><th>When</th></tr>"
                   "</thead><tbody>")
        out += [f"<tr><td>{_esc(a)}</td><td>{_esc(b)}</td><td>{_esc(c)}</td></tr>" for a, b, c in content.services]
        out.append("</tbody></table>")
    else:
        out.append("<p>No services listed yet.</p>")

    out.append("<h2>My responsibilities</h2>")
    out.append(_html_list(content.responsibilities, "None written yet."))

    out.append("<h2>Earnings and benefits, month by month</h2>")
    out.append(f"<p class=\"note\">{_esc(ESTIMATE_NOTE)}</p>")
    out.append(f"<figure>{chart_svg(content.chart)}</figure>")
    out.append("<table><thead><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in content.summary_header)
               + "</tr></thead><tbody>")
    for row in content.summary_rows:
        cells = []
        for header, cell in zip(content.summary_header, row):
            css = ' class="num"' if cell.startswith(("$", "−$")) else ""
            cells.append(f"<td{css}>{_esc(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if content.any_projected:
        out.append(f'<p class="note">{_esc(PROJECTED_NOTE)}</p>')

    if content.en_payments:
        out.append("<h2>Payments to the Employment Network</h2>")
        out.append(f'<p class="note">{_esc(EN_PAYMENTS_NOTE)}</p>')
        out.append("<table><thead><tr><th>Year</th><th>Payment</th><th>How many</th><th>Dollars</th></tr>"
                   "</thead><tbody>")
        out += [f'<tr><td>{_esc(y)}</td><td>{_esc(p)}</td><td class="num">{_esc(c)}</td>'
                f'<td class="num">{_esc(d)}</td></tr>' for y, p, c, d in content.en_payments]
        out.append("</tbody></table>")
        if any(d.endswith(EN_ESTIMATE) for *_, d in content.en_payments):
            out.append(f'<p class="note">{_esc(EN_ESTIMATE_NOTE)}</p>')
    if content.revisions:
        out.append("<h2>Changes to this plan</h2><table><thead><tr><th>Date</th><th>Why it changed</th></tr>"
                   "</thead><tbody>")
        out += [f"<tr><td>{_esc(d)}</td><td>{_esc(r)}</td></tr>" for d, r in content.revisions]
        out.append("</tbody></table>")
    if content.notes:
        out.append("<h2>Notes</h2>")
        out += [f"<p>{_esc(line)}</p>" for line in content.notes.splitlines() if line.strip()]

    out.append("<h2>Signatures</h2>")
    out.append("<p>By signing, we agree to this plan.</p>")
    out.append('<div class="signatures">')
    for who, name, date in content.signatures:
        out.append(f'<div><div class="signed">{_esc(name)}</div><div class="sign-line">{_esc(who)}</div></div>')
        out.append(f'<div><div class="signed">{_esc(date)}</div><div class="sign-line">Date</div></div>')
    out.append("</div>")
    out += ["</body>", "</html>"]
    return "\n".join(out)


def _html_list(items: Sequence[str], empty: str) -> str:
    if not items:
        return f"<p>{_esc(empty)}</p>"
    return "<ul>" + "".join(f"<li>{_esc(item)}</li>" for item in items) + "</ul>"


# --- PDF ----------------------------------------------------------------------------------------

# A Unicode font gives names like "Nguyễn" their accents; Debian, Ubuntu and Fedora ship DejaVu.
UNICODE_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)
MISSING_GLYPHS_NOTE = ("Some characters could not be shown in this PDF and appear as '?'. "
                       "The HTML version shows them.")


class _PdfWriter:
    """Draws ReportContent with fpdf2; keeps track of characters the font cannot show."""

    def __init__(self):
        from fpdf import FPDF

        self.pdf = FPDF(orientation="portrait", unit="mm", format="letter")
        self.pdf.set_auto_page_break(auto=True, margin=16)
        self.pdf.set_margins(16, 16, 16)
        self.replaced_characters = False
        self.family, self.glyphs = self._choose_font()
        self.pdf.add_page()

    def _choose_font(self):
        for regular, bold in UNICODE_FONT_CANDIDATES:
            if os.path.isfile(regular) and os.path.isfile(bold):
                self.pdf.add_font("Body", "", regular)
                self.pdf.add_font("Body", "B", bold)
                cmap = self.pdf.fonts["body"].cmap
                return "Body", set(cmap)
        # The built-in Helvetica knows Latin-1 only.
        return "Helvetica", set(range(32, 127)) | set(range(160, 256))

    def text(self, value: Any) -> str:
        """``value`` with characters the font lacks replaced by '?' (and noted at the end)."""
        value = str(value).replace("−", "-") if 0x2212 not in self.glyphs else str(value)
        out = []
        for ch in value:
            if ord(ch) in self.glyphs or ch in "\n":
                out.append(ch)
            elif ch in "–—‘’“”•✔✘" and self.family == "Helvetica":
                out.append({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "•": "-",
                            "✔": "+", "✘": "x"}[ch])
            else:
                out.append("?")
                self.replaced_characters = True
        return "".join(out)

    def font(self, size: float, bold: bool = False):
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def heading(self, words: str, level: int = 1):
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.ln(3 if level == 1 else 1)
        self.font(14 if level == 1 else 11.5, bold=True)
        pdf.cell(0, 8 if level == 1 else 6, self.text(words), new_x="LMARGIN", new_y="NEXT")
        if level == 1:
            pdf.set_draw_color(31, 95, 168)
            pdf.set_line_width(0.5)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.2)
            pdf.ln(2)

    def paragraph(self, words: str, size: float = 11, bold: bool = False):
        self.font(size, bold)
        self.pdf.multi_cell(0, size * 0.5, self.text(words), new_x="LMARGIN", new_y="NEXT")

    def bullets(self, items: Sequence[str], empty: str):
        if not items:
            self.paragraph(empty)
            return
        for item in items:
            self.paragraph(("• " if ord("•") in self.glyphs else "- ") + item)

    def pairs(self, pairs: Sequence[tuple[str, str]]):
        pdf = self.pdf
        self.font(11, bold=True)
        key_width = max(pdf.get_string_width(self.text(key)) for key, _ in pairs) + 4 if pairs else 0
        key_width = min(key_width, (pdf.w - pdf.l_margin - pdf.r_margin) * 0.6)
        for key, value in pairs:
            self.font(11, bold=True)
            pdf.cell(key_width, 6, self.text(key))
            self.font(11)
            pdf.multi_cell(0, 6, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              size: float = 9):
        from fpdf.fonts import FontFace

        pdf = self.pdf
        self.font(size)
        pdf.set_fill_color(255, 255, 255)
        # Dollar columns line up on the right, as on paper.
        money_columns = {i for i in range(len(header))
                         if rows and all(str(r[i]).startswith(("$", "−$", "-$")) for r in rows)}
        align = tuple("RIGHT" if i in money_columns else "LEFT" for i in range(len(header)))
        heading_style = FontFace(emphasis="BOLD", fill_color=(232, 238, 246))
        with pdf.table(col_widths=tuple(widths), text_align=align, line_height=size * 0.5,
                       headings_style=heading_style, first_row_as_headings=True,
                       repeat_headings=1) as table:
            table.row([self.text(h) for h in header])
            for row in rows:
                table.row([self.text(c) for c in row])
        pdf.ln(2)

    def chart(self, chart: Chart):
        pdf = self.pdf
        width_mm = pdf.w - pdf.l_margin - pdf.r_margin
        scale = width_mm / chart.width
        height_mm = chart.height * scale
        if pdf.get_y() + height_mm > pdf.h - pdf.b_margin:
            pdf.add_page()
        x0, y0 = pdf.l_margin, pdf.get_y()

        def at(x: float, y: float) -> tuple[float, float]:
            return x0 + x * scale, y0 + y * scale

        pdf.set_fill_color(236, 236, 236)
        for a, b in chart.projected_spans:
            (ax, ay), (bx, by) = at(a, chart.top), at(b, chart.bottom)
            pdf.rect(ax, ay, bx - ax, by - ay, style="F")
        self.font(7)
        pdf.set_line_width(0.15)
        pdf.set_draw_color(208, 208, 208)
        for y, label in chart.y_ticks:
            (lx, ly), (rx, _) = at(chart.left, y), at(chart.right, y)
            pdf.line(lx, ly, rx, ly)
            pdf.text(lx - pdf.get_string_width(self.text(label)) - 1.5, ly + 1, self.text(label))
        pdf.set_draw_color(0, 0, 0)
        for x, label in chart.x_ticks:
            tx, ty = at(x, chart.bottom)
            pdf.line(tx, ty, tx, ty + 1.2)
            pdf.text(tx - pdf.get_string_width(self.text(label)) / 2, ty + 4.5, self.text(label))
        (lx, ly), (rx, _) = at(chart.left, chart.bottom), at(chart.right, chart.bottom)
        pdf.line(lx, ly, rx, ly)
        legend_y = chart.top + 8
        for s in chart.series:
            pdf.set_draw_color(*_rgb(s.color))
            pdf.set_line_width(s.width * scale)
            if s.dash:
                pdf.set_dash_pattern(dash=s.dash[0] * scale, gap=s.dash[1] * scale)
            points = [at(x, y) for x, y in s.points]
            if len(points) == 1:
                (px, py), = points
                points = [(px - 6 * scale, py), (px + 6 * scale, py)]
            pdf.polyline(points)
            (ax, ay), (bx, _) = at(chart.right + 12, legend_y), at(chart.right + 36, legend_y)
            pdf.line(ax, ay, bx, ay)
            pdf.set_dash_pattern()
            pdf.text(bx + 1.5, ay + 1, self.text(s.label))
            legend_y += 20
        if chart.projected_spans:
            (ax, ay), (bx, by) = at(chart.right + 12, legend_y - 6), at(chart.right + 36, legend_y + 6)
            pdf.rect(ax, ay, bx - ax, by - ay, style="F")
            pdf.text(bx + 1.5, ay + (by - ay) / 2 + 1, self.text("Projected figures"))
        pdf.set_draw_color(0, 0, 0)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_line_width(0.2)
        pdf.set_y(y0 + height_mm + 2)

    def signature_lines(self, signatures: Sequence[tuple[str, str, str]]):
        pdf = self.pdf
        if pdf.get_y() > pdf.h - pdf.b_margin - 22 * len(signatures):
            pdf.add_page()
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        name_width, gap = usable * 0.62, usable * 0.06
        for who, name, date in signatures:
            pdf.ln(6)
            self.font(12)
            y = pdf.get_y()
            pdf.set_x(pdf.l_margin)
            pdf.cell(name_width, 7, self.text(name))
            pdf.set_x(pdf.l_margin + name_width + gap)
            pdf.cell(0, 7, self.text(date), new_x="LMARGIN", new_y="NEXT")
            line_y = y + 8
            pdf.line(pdf.l_margin, line_y, pdf.l_margin + name_width, line_y)
            pdf.line(pdf.l_margin + name_width + gap, line_y, pdf.w - pdf.r_margin, line_y)
            self.font(9)
            pdf.set_xy(pdf.l_margin, line_y + 0.5)
            pdf.cell(name_width, 5, self.text(who))
            pdf.set_x(pdf.l_margin + name_width + gap)
            pdf.cell(0, 5, self.text("Date"), new_x="LMARGIN", new_y="NEXT")


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def render_pdf(content: ReportContent) -> bytes:
    """The printable IWP as PDF bytes (letter size)."""
    w = _PdfWriter()
    pdf = w.pdf
    pdf.set_title(w.text(content.title + (f" - {content.person}" if content.person else "")))
    w.font(18, bold=True)
    pdf.cell(0, 10, w.text(content.title), new_x="LMARGIN", new_y="NEXT")
    lead = []
    if content.person:
        lead.append(f"For {content.person}")
    if content.en_name:
        lead.append(f"with {content.en_name}")
    lead.append(f"Printed {content.made_on}")
    w.paragraph(" · ".join(lead) if ord("·") in w.glyphs else " - ".join(lead), size=10)
    pdf.ln(2)
    w.pairs(content.facts)

    w.heading("My goals")
    w.paragraph(f"Job I want: {content.employment_goal or 'Not written yet'}", bold=True)
    w.heading("Short-term goals", level=2)
    w.bullets(content.short_term_goals, "None written yet.")
    w.heading("Long-term goals", level=2)
    w.bullets(content.long_term_goals, "None written yet.")

    w.heading("Earnings")
    w.pairs(content.earnings)
    if content.goal_checks:
        w.heading("Goal checks", level=2)
        for met, label, sentence in content.goal_checks:
            w.paragraph(f"{label}: {CHECK_WORDS[met]}.", size=10.5, bold=True)
            w.paragraph(sentence, size=10.5)

    w.heading("Services and supports")
    if content.services:
        w.table(("Service or support", "Who gives it", "When"), content.services, (3, 3, 3), size=10)
    else:
        w.paragraph("No services listed yet.")

    w.heading("My responsibilities")
    w.bullets(content.responsibilities, "None written yet.")

    w.heading("Earnings and benefits, month by month")
    w.paragraph(ESTIMATE_NOTE, size=9)
    w.chart(content.chart)
    widths = [2.2 if h == "SSDI status" else 1.6 if h.startswith("Medicaid") else 1.4
              for h in content.summary_header]
    w.table(content.summary_header, content.summary_rows, widths, size=8.5)
    if content.any_projected:
        w.paragraph(PROJECTED_NOTE, size=9)

    if content.en_payments:
        w.heading("Payments to the Employment Network")
        w.paragraph(EN_PAYMENTS_NOTE, size=9)
        w.table(("Year", "Payment", "How many", "Dollars"), content.en_payments, (1, 2.4, 1, 2), size=10)
        if any(d.endswith(EN_ESTIMATE) for *_, d in content.en_payments):
            w.paragraph(EN_ESTIMATE_NOTE, size=9)
    if content.revisions:
        w.heading("Changes to this plan")
        w.table(("Date", "Why it changed"), content.revisions, (1, 3), size=10)
    if content.notes:
        w.heading("Notes")
        w.paragraph(content.notes)

    w.heading("Signatures")
    w.paragraph("By signing, we agree to this plan.")
    w.signature_lines(content.signatures)
    if w.replaced_characters:
        pdf.ln(4)
        w.paragraph(MISSING_GLYPHS_NOTE, size=9)
    return bytes(pdf.output())


# --- entry points -------------------------------------------------------------------------------

def report_html(plan, table: pd.DataFrame | None = None, path: str | os.PathLike | None = None,
                today: dt.date | None = None) -> str | Path:
    """The printable IWP as HTML text, or written to ``path`` (atomically) and the path returned.

    ``table`` is the plan's monthly table (``simulate(plan)`` when not given); ``today`` is the
    printed date (today when not given)."""
    content = build_content(plan, _table_for(plan, table), today)
    page = render_html(content)
    if path is None:
        return page
    atomic_write(path, page.encode("utf-8"))
    return Path(path)


def report_pdf(plan, table: pd.DataFrame | None = None, path: str | os.PathLike | None = None,
               today: dt.date | None = None) -> bytes | Path:
    """The printable IWP as PDF bytes, or written to ``path`` (atomically) and the path returned.

    Same arguments and content as :func:`report_html`."""
    content = build_content(plan, _table_for(plan, table), today)
    data = render_pdf(content)
    if path is None:
        return data
    atomic_write(path, data)
    return Path(path)


def _table_for(plan, table: pd.DataFrame | None) -> pd.DataFrame:
    if table is not None:
        return table
    from .simulate import simulate

    return simulate(plan)

"""The printed IWP and the EN worksheet as HTML pages: one self-contained document each.

The CSS is inline (``print.css``) and the chart is inline SVG, so the page needs nothing from
outside. Every text from the plan is escaped. For a screen reader: the page's language is set,
sections have headings, tables have captions and header cells with ``scope``, the chart has a
title and the month-by-month table after it. For large print: a text-size choice on screen
(no script: a radio button the stylesheet reads), or ``large_print=True`` for the print and PDF.
A draft says so at the top and on every printed page.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Sequence

from ..words import _, current_locale
from .chart import chart_svg
from .content import (DRAFT_MARK, EN_ESTIMATE_NOTE, EN_PAYMENTS_NOTE, ESTIMATE_NOTE, PROJECTED_NOTE,
                      ReportContent, Signer, Statement, WorksheetContent, _check_words)

CSS = (Path(__file__).with_name("print.css")).read_text(encoding="utf-8")


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal that cannot end the string or the style element."""
    return '"' + "".join(ch if ch.isalnum() or ch in " —-,.:" else f"\\{ord(ch):x} " for ch in text) + '"'


def _language() -> str:
    """The reader's locale as an HTML language tag: en_US -> en-US."""
    return current_locale().replace("_", "-")


def _head(title: str, large_print: bool, draft: bool) -> list[str]:
    style = CSS
    if draft:  # on every printed page, in the PDF too
        style += ("\n@page { @top-center { content: " + _css_string(_(DRAFT_MARK))
                  + "; color: #b3261e; font-weight: bold; font-size: 12pt;"
                  " font-family: \"Liberation Sans\", \"DejaVu Sans\", sans-serif; } }\n")
    size = ' class="large-print"' if large_print else ""
    return ["<!DOCTYPE html>", f'<html lang="{_esc(_language())}"{size}>', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_esc(title)}</title>", f"<style>{style}</style>", "</head>", "<body>"]


def _text_size_choice(large_print: bool) -> str:
    normal, large = ("", " checked") if large_print else (" checked", "")
    return ('<fieldset class="text-size no-print"><legend>' + _esc(_("Text size")) + "</legend>"
            f'<input type="radio" name="text-size" id="text-size-normal"{normal}>'
            f'<label for="text-size-normal">{_esc(_("Normal"))}</label>'
            f'<input type="radio" name="text-size" id="text-size-large"{large}>'
            f'<label for="text-size-large">{_esc(_("Large print"))}</label></fieldset>')


def _facts(pairs: Sequence[tuple[str, str]]) -> str:
    return '<dl class="facts">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in pairs) + "</dl>"


def _list(items: Sequence[str], empty: str) -> str:
    if not items:
        return f"<p>{_esc(empty)}</p>"
    return "<ul>" + "".join(f"<li>{_esc(item)}</li>" for item in items) + "</ul>"


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]], row_headers: bool = False) -> str:
    """A table with a caption and column headers; with ``row_headers`` each row's first cell heads it."""
    out = [f"<table><caption>{_esc(caption)}</caption><thead><tr>"
           + "".join(f'<th scope="col">{_esc(h)}</th>' for h in header) + "</tr></thead><tbody>"]
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0 and row_headers:
                cells.append(f'<th scope="row">{_esc(cell)}</th>')
            else:
                css = ' class="num"' if str(cell).startswith(("$", "-$", "−$")) else ""
                cells.append(f"<td{css}>{_esc(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _statement_lead(statement: Statement) -> str:
    return (f'<p class="statement-text">{_esc(statement.text)} '
            f'<span class="cite">({_esc(statement.citation)})</span></p>')


def _statement_section(statement: Statement) -> list[str]:
    out = [f'<section class="statement" id="{_esc(statement.key)}">', f"<h2>{_esc(statement.heading)}</h2>",
           _statement_lead(statement)]
    for label, words in statement.details:
        out.append(f'<div class="en-own"><h3>{_esc(label)}</h3>')
        out += [f"<p>{_esc(line)}</p>" for line in words.splitlines() if line.strip()]
        out.append("</div>")
    out.append("</section>")
    return out


def _signature_block(signers: Sequence[Signer]) -> str:
    out = ['<div class="signatures">']
    for signer in signers:
        out.append(f'<div><div class="signed">{_esc(signer.name)}</div>'
                   f'<div class="sign-line">{_esc(signer.who)}</div></div>')
        out.append(f'<div><div class="signed">{_esc(signer.date)}</div>'
                   f'<div class="sign-line">{_esc(_("Date"))}</div></div>')
    out.append("</div>")
    return "".join(out)


def _signed_words(signer: Signer) -> str:
    if signer.name:
        return _("{who}: signed by {name} on {date}").format(who=signer.who, name=signer.name, date=signer.date)
    return _("{who}: not signed yet").format(who=signer.who)


def render_html(content: ReportContent) -> str:
    """The beneficiary's printed IWP as one HTML document."""
    title = content.title + (f" – {content.person}" if content.person else "")
    if content.draft:
        title = f"{_(DRAFT_MARK)}: {title}"
    out = _head(title, content.large_print, content.draft)
    out.append(_text_size_choice(content.large_print))
    out.append(f"<h1>{_esc(content.title)}</h1>")
    if content.draft:
        out.append(f'<div class="draft" role="note"><strong>{_esc(_(DRAFT_MARK))}</strong>')
        out += [f"<p>{_esc(w)}</p>" for w in content.warnings]
        out.append("</div>")
    else:
        out += [f'<p class="warning" role="note">{_esc(w)}</p>' for w in content.warnings]
    lead = []
    if content.person:
        lead.append(_("For {name}").format(name=f"<strong>{_esc(content.person)}</strong>"))
    if content.en_name:
        lead.append(_("with {en}").format(en=f"<strong>{_esc(content.en_name)}</strong>"))
    lead.append(_esc(_("Printed {date}").format(date=content.made_on)))
    out.append(f'<p class="lead">{" · ".join(lead)}</p>')
    out.append(_facts(content.facts))

    out.append(f"<h2>{_esc(content.goal_statement.heading)}</h2>")
    out.append(_statement_lead(content.goal_statement))
    goal = _esc(content.employment_goal) or _esc(_("Not written yet"))
    out.append(f"<p><strong>{_esc(_('Job I want:'))}</strong> {goal}</p>")
    out.append(f"<h3>{_esc(_('Short-term goals'))}</h3>" + _list(content.short_term_goals, _("None written yet.")))
    out.append(f"<h3>{_esc(_('Long-term goals'))}</h3>" + _list(content.long_term_goals, _("None written yet.")))
    out.append(f"<h3>{_esc(_('Earnings'))}</h3>" + _facts(content.earnings))
    if content.goal_checks:
        out.append(f"<h3>{_esc(_('Goal checks'))}</h3><ul>")
        for met, label, sentence in content.goal_checks:
            css = {True: "check-met", False: "check-not-met", None: "check-unknown"}[met]
            out.append(f'<li class="{css}"><strong>{_esc(label)}: {_esc(_check_words(met))}.</strong> '
                       f"{_esc(sentence)}</li>")
        out.append("</ul>")

    out.append(f"<h2>{_esc(content.services_statement.heading)}</h2>")
    out.append(_statement_lead(content.services_statement))
    if content.services:
        out.append(_table(_("Services and supports"), (_("Service or support"), _("Who gives it"), _("When")),
                          content.services, row_headers=True))
    else:
        out.append(f"<p>{_esc(_('No services listed yet.'))}</p>")

    out.append(f"<h2>{_esc(content.terms_statement.heading)}</h2>")
    out.append(_statement_lead(content.terms_statement))
    out.append(f"<h3>{_esc(_('What the Employment Network will do'))}</h3>"
               + _list(content.en_responsibilities, _("None written yet.")))
    out.append(f"<h3>{_esc(_('What I will do'))}</h3>" + _list(content.responsibilities, _("None written yet.")))

    for statement in content.statements:
        out += _statement_section(statement)

    out.append(f"<h2>{_esc(_('Earnings and benefits, month by month'))}</h2>")
    out.append(f'<p class="note">{_esc(_(ESTIMATE_NOTE))}</p>')
    out.append(f"<figure>{chart_svg(content.chart)}</figure>")
    out.append(_table(_("Earnings, benefits and health coverage by month"), content.summary_header,
                      content.summary_rows, row_headers=True))
    if content.any_projected:
        out.append(f'<p class="note">{_esc(_(PROJECTED_NOTE))}</p>')
    if content.notes:
        out.append(f"<h2>{_esc(_('Notes'))}</h2>")
        out += [f"<p>{_esc(line)}</p>" for line in content.notes.splitlines() if line.strip()]

    out.append(f'<section class="signing"><h2>{_esc(content.signature_heading)}</h2>')
    out.append(f"<p>{_esc(content.signature_lead)}</p>")
    out.append(_signature_block(content.signatures))
    out.append("</section>")

    if content.amendments:
        out.append(f"<h2>{_esc(_('History of this plan'))}</h2>")
        out.append(f"<h3>{_esc(_('First signed'))}</h3>")
        out.append(_list([_signed_words(s) for s in content.first_signatures], ""))
        for amendment in content.amendments:
            out.append(f"<h3>{_esc(amendment.title)}</h3>")
            out.append(f"<p><strong>{_esc(_('Why it changed:'))}</strong> {_esc(amendment.reason)}</p>")
            if amendment.changes:
                out.append(_table(_("What changed"), (_("What"), _("Before"), _("After")), amendment.changes,
                                  row_headers=True))
            out.append(_list([_signed_words(s) for s in amendment.signers], ""))
    out += ["</body>", "</html>"]
    return "\n".join(out)


def render_worksheet_html(content: WorksheetContent) -> str:
    """The EN worksheet (projected payments) as one HTML document."""
    title = content.title + (f" – {content.person}" if content.person else "")
    out = _head(title, content.large_print, draft=False)
    out.append(_text_size_choice(content.large_print))
    out.append(f"<h1>{_esc(content.title)}</h1>")
    out.append(f'<p class="lead">{_esc(_("For the Employment Network only: not part of the plan the beneficiary signs."))} '
               f'{_esc(_("Printed {date}").format(date=content.made_on))}</p>')
    out.append(_facts(content.facts + (((_("Employment Network"), content.en_name),) if content.en_name else ())))
    out.append(f"<h2>{_esc(_('Projected milestone and outcome payments'))}</h2>")
    out.append(f'<p class="note">{_esc(_(EN_PAYMENTS_NOTE))}</p>')
    if content.payments:
        out.append(_table(_("Payments by year"), (_("Year"), _("Payment"), _("How many"), _("Dollars")),
                          content.payments, row_headers=True))
        if content.any_estimate:
            out.append(f'<p class="note">{_esc(_(EN_ESTIMATE_NOTE))}</p>')
    else:
        out.append(f"<p>{_esc(_('No payments are projected from these earnings.'))}</p>")
    out += ["</body>", "</html>"]
    return "\n".join(out)

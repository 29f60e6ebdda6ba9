"""The benefits summary as a page to take home: one self-contained HTML page, and a PDF of it.

    >>> from iwp_widgets.printout.summary import summary_html, summary_pdf, write_summary
    >>> write_summary(plan, "summary.pdf")   # doctest: +SKIP

The page is made from :func:`iwp_widgets.benefits_summary.benefits_summary` only. It is built for
reading: large type (``font_size``), headings in order, every table with a caption and header
cells with ``scope``, the page language set, and every piece of text escaped. The PDF is that
same page printed by WeasyPrint as tagged PDF/UA-1 (title, language, structure, text layer).
"""

from __future__ import annotations

import datetime as dt
import os
from html import escape
from pathlib import Path
from typing import Sequence

from ..benefits_summary import BenefitsSummary, benefits_summary
from ..errors import PlanError
from .pdf import print_pdf
from ..atomic_file import atomic_write
from ..words import _, current_locale, month_words

FONT_SIZES = {"regular": 16, "large": 20, "largest": 24}

PAGE_CSS = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: %(size)dpx; line-height: 1.5;
       color: #111; background: #fff; margin: 1.5em auto; max-width: 52em; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.3em; margin: 1.6em 0 .4em; border-bottom: 2px solid #333; }
h3 { font-size: 1.1em; margin: 1.2em 0 .3em; }
@page { size: letter; margin: 18mm 16mm; }
@media print { body { margin: 0; max-width: none; } .warning { break-inside: avoid; } }
"""
# The content's own look; every rule starts with the scope ("" on the page, the view's class in
# the app), so the app can show the same content without its page.
CONTENT_CSS = """
%(scope)stable { border-collapse: collapse; width: 100%%; margin: .5em 0 1em; }
%(scope)scaption { text-align: left; font-weight: bold; padding: .3em 0; }
%(scope)sth, %(scope)std { border: 1px solid #555; padding: .25em .45em; text-align: left;
  vertical-align: top; }
%(scope)sthead th { background: #e8e8e8; }
%(scope)std ul { margin: 0; padding-left: 1.1em; }
%(scope)stable.calendar { table-layout: fixed; }
%(scope)stable.calendar thead th:nth-child(1) { width: 20%%; }
%(scope)stable.calendar thead th:nth-child(2) { width: 58%%; }
%(scope)stable.calendar td:last-child { font-size: .8em; overflow-wrap: anywhere; }
%(scope)std.num { text-align: right; white-space: nowrap; }
%(scope)sdl.facts { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
%(scope)sdl.facts dt { font-weight: bold; float: none; width: auto; text-align: left; }
%(scope)sdl.facts dd { margin: 0; }
%(scope)s.warning { border: 3px solid #8a1c00; background: #fff4ef; padding: .5em .8em; margin: .6em 0; }
%(scope)s.warning strong { color: #8a1c00; }
%(scope)s.source { font-size: .85em; color: #333; }
%(scope)s.note { font-style: italic; }
"""


def content_css(scope: str = "") -> str:
    """The content's CSS, each rule under ``scope`` (a selector and a space, or "")."""
    return CONTENT_CSS % {"scope": scope}


def _e(text) -> str:
    return escape(str(text), quote=True)


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]],
           numeric: Sequence[int] = (), markup: bool = False, css: str = "") -> str:
    """A table with a caption, column headers and the first cell of each row as its row header.
    With ``markup`` the cells after the first are HTML the caller has already escaped."""
    cell = (lambda c: c) if markup else _e
    attribute = f' class="{_e(css)}"' if css else ""
    out = [f"<table{attribute}><caption>{_e(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = [f'<th scope="row">{_e(row[0])}</th>']
        cells += [f'<td class="num">{cell(c)}</td>' if i + 1 in numeric else f"<td>{cell(c)}</td>"
                  for i, c in enumerate(row[1:])]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _facts(rows: Sequence[tuple[str, str]]) -> str:
    return '<dl class="facts">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def _list(items: Sequence[str]) -> str:
    """An escaped bullet list."""
    return "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>"


def title(content: BenefitsSummary) -> str:
    return (_("Benefits summary for {person}").format(person=content.person) if content.person
            else _("Benefits summary"))


def summary_body(content: BenefitsSummary, level: int = 1) -> str:
    """The summary's content as HTML (no page around it), headings starting at ``h{level}``:
    the page uses 1, the app shows it under its own heading."""
    h1, h2, h3 = (f"h{min(level + i, 6)}" for i in range(3))
    out = [f"<{h1}>{_e(title(content))}</{h1}>"]
    lead = []
    if content.en_name:
        lead.append(_("Employment Network or agency: {name}").format(name=content.en_name))
    if content.counselor:
        lead.append(_("Counselor: {name}").format(name=content.counselor))
    lead.append(_("Made on {date}").format(date=content.made_on))
    out.append("<p>" + " · ".join(_e(part) for part in lead) + "</p>")
    out.append(f'<p class="note">{_e(_("This is a planning aid made from estimates, not a decision by Social Security."))}</p>')

    out.append(f"<{h2}>{_e(_('Your benefits now'))}</{h2}>")
    out.append(_facts(content.current))

    out.append(f"<{h2}>{_e(_('Your work now and planned'))}</{h2}>")
    out.append(_list(content.work_now + content.work_planned))

    out.append(f"<{h2}>{_e(_('What the plan does to your benefits'))}</{h2}>")
    for effect in content.effects:
        out.append(f"<{h3}>{_e(effect.program)}</{h3}>")
        out.append(f"<p>{_e(effect.headline)}</p>")
        if effect.dates:
            out.append(_table(_("Key dates for {program}").format(program=effect.program),
                              (_("Month"), _("What happens")), effect.dates))
    out.append(f"<{h3}>{_e(_('Month by month'))}</{h3}>")
    numeric = [i for i, h in enumerate(content.month_header) if i and h not in (_("Medicare"), _("Medicaid"))]
    out.append(_table(_("Pay and benefits for each month of the plan"), content.month_header,
                      content.month_rows, numeric))
    out.append(f"<{h3}>{_e(_('Your income with and without work'))}</{h3}>")
    out.append(_table(_("Average income a month: pay, benefits and other income, less work expenses"),
                      content.income_header, content.income_rows, (1, 2, 3)))

    out.append(f"<{h2}>{_e(_('Work incentives this plan uses'))}</{h2}>")
    if content.incentives:
            out.append("<ul>" + "".join(
            f"<li><strong>{_e(i.name)}.</strong> {_e(i.text)} "
            f'<span class="source">({_e(_("Source"))}: {_e(i.source.cite)})</span></li>'
            for i in content.incentives) + "</ul>")
    else:
        out.append(f"<p>{_e(_('This plan uses none of the work incentives that need a report or a receipt (IRWE, blind work expenses, subsidy, PASS, the student exclusion, Section 1619).'))}</p>")

    out.append(f"<{h2}>{_e(_('Things to watch'))}</{h2}>")
    out.append(_list(content.watch))
    for warning in content.warnings:
        out.append(f'<div class="warning"><p><strong>{_e(_("Overpayment warning"))}</strong> '
                   f"{_e(warning.text)}</p><p class=\"source\">{_e(_('Source'))}: "
                   f"{_e(warning.source.cite)}</p></div>")

    out.append(f"<{h2}>{_e(_('Reporting calendar'))}</{h2}>")
    out.append(f"<p>{_e(_('What to report each month, to whom and by when.'))}</p>")
    out.append(_list(content.how_to_report))
    rows = []
    for month in content.calendar:
        items = [d.sentence for d in month.duties]
        items += [_("Overpayment warning: {text}").format(text=w.text) for w in month.warnings]
        cites = dict.fromkeys(x.source.cite for x in month.duties + month.warnings)
        rows.append((month_words(month.month),
                     _list(items) if items else _e(_("Nothing to report if nothing changes.")),
                     _e("; ".join(cites))))
    out.append(_table(_("Reporting calendar, month by month"),
                      (_("Month"), _("What to report, to whom and by when"), _("Rules")), rows,
                      markup=True, css="calendar"))
    out.append(f"<{h3}>{_e(_('Sources'))}</{h3}>")
    out.append("<ul>" + "".join(
        f"<li>{_e(source.cite)}{_e(': ' + source.more) if source.more else ''}</li>"
        for source in content.sources) + "</ul>")
    if content.any_projected:
        out.append(f'<p class="note">{_e(_("Some months use estimated program amounts (not yet published by Social Security)."))}</p>')
    return "\n".join(out)


def month_label(month) -> str:
    return month_words(month.month)


def render_html(content: BenefitsSummary, font_size: str = "large") -> str:
    """The whole page: language set, inline CSS (nothing from the internet), the body."""
    if font_size not in FONT_SIZES:
        raise PlanError(f"font_size: must be one of {', '.join(FONT_SIZES)}, got {font_size!r}")
    language = current_locale().replace("_", "-")
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{_e(language)}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title(content))}</title>",
        f"<style>{PAGE_CSS % {'size': FONT_SIZES[font_size]}}{content_css()}</style>", "</head>", "<body>", "<main>",
        summary_body(content), "</main>", "</body>", "</html>"])


def summary_html(plan, table=None, today: dt.date | None = None, font_size: str = "large") -> str:
    return render_html(benefits_summary(plan, table, today=today), font_size)


def summary_pdf(plan, table=None, today: dt.date | None = None, font_size: str = "large") -> bytes:
    return print_pdf(summary_html(plan, table, today, font_size))


def write_summary(plan, path: str | os.PathLike, table=None, today: dt.date | None = None,
                  font_size: str = "large") -> Path:
    """Write the summary to ``path`` (``.html`` or ``.pdf``, atomically) and return the path."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        data = summary_html(plan, table, today, font_size).encode("utf-8")
    elif suffix == ".pdf":
        data = summary_pdf(plan, table, today, font_size)
    else:
        raise PlanError(f"OUT: must end in .html or .pdf, got {os.fspath(path)!r}")
    atomic_write(path, data)
    return path

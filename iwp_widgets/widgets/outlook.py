"""The answer first: what happens when, and the money each month before and after work.

At the top of the session a beneficiary reads, in plain sentences, the months where their
benefits change (``iwp.key_dates``), whether they keep Medicaid and Medicare, and their
average monthly income in each year of the plan with this work and with none
(``iwp.income_by_year``). Everything is read from the simulated table; nothing is computed here.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from ..charts import coverage
from ..key_dates import income_by_year, key_dates
from ..words import _, money, month_words, ngettext
from .quiet import WhenQuiet

PROGRAM_NAMES = {"medicaid": "Medicaid", "medicare": "Medicare"}  # names, not translated


def _coverage_sentences(table: pd.DataFrame) -> list[str]:
    """Medicaid and Medicare over the plan, in one sentence each (only for the plan's programs,
    as the income chart's coverage strips show them)."""
    months = len(table)
    sentences = []
    for program, values in coverage(table):
        name = PROGRAM_NAMES[program]
        kept = sum(1 for value in values if value not in ("none", False))
        if kept == months:
            sentences.append(_("You keep {program} in every month of this plan.").format(program=name))
        else:
            sentences.append(ngettext("You have {program} in {count} month of this plan's {months}.",
                                      "You have {program} in {count} months of this plan's {months}.",
                                      kept).format(program=name, count=kept, months=months))
    return sentences


def key_dates_html(table: pd.DataFrame) -> str:
    """The plan's key dates as a list, each starting with its month."""
    dates = key_dates(table)
    if dates.empty:
        return f"<p>{escape(_('Your benefits stay the same in every month of this plan.'))}</p>"
    items = "".join(f"<li><strong>{escape(month_words(row.month))}:</strong> {escape(row.text)}</li>"
                    for row in dates.itertuples(index=False))
    return f'<ul class="iwp-key-dates">{items}</ul>'


def income_html(plan, table: pd.DataFrame | None = None) -> str:
    """Average income a month in each calendar year of the plan, with this work and with none."""
    years = income_by_year(plan, table=table)
    head = "".join(f'<th scope="col">{escape(text)}</th>' for text in (
        _("Year"), _("With this work"), _("With no work"), _("Difference")))
    rows = []
    for year, row in years.iterrows():
        label = ngettext("{year} ({months} month)", "{year} ({months} months)",
                         int(row["months"])).format(year=year, months=int(row["months"]))
        cells = [money(row["with_work"]), money(row["without_work"]), money(row["difference"])]
        rows.append(f'<tr><th scope="row">{escape(label)}</th>'
                    + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    caption = _("Your income, on average a month: pay plus benefits and other income, "
                "minus the work expenses you pay")
    return (f'<table class="iwp-data-table iwp-income-by-year"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def outlook_html(plan, table: pd.DataFrame) -> str:
    """The whole answer: key dates, health coverage, income before and after work."""
    coverage = "".join(f"<p>{escape(s)}</p>" for s in _coverage_sentences(table))
    return (f'<section class="iwp-outlook" aria-labelledby="iwp-outlook-title">'
            f'<h2 id="iwp-outlook-title">{escape(_("What happens when"))}</h2>'
            f"{key_dates_html(table)}"
            f'<h3>{escape(_("Health coverage"))}</h3>{coverage}'
            f'<h3>{escape(_("Your money each month, with this work and with none"))}</h3>'
            f"{income_html(plan, table)}</section>")


class Outlook(w.HTML):
    """The answer for one scenario, redrawn once the counselor's input has settled."""

    def __init__(self, state):
        self.state = state
        super().__init__(value=outlook_html(state.plan, state.table))
        self.add_class("iwp-outlook-panel")
        state.observe(WhenQuiet(self._redraw), "plan")  # the plan is set after its table

    def _redraw(self, change) -> None:
        self.value = outlook_html(self.state.plan, self.state.table)

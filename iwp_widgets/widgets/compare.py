"""Scenario B against scenario A: what changes each month and over the whole plan.

The difference is B minus A, read from the two simulated tables: a positive amount is money B
gives that A does not. Months are matched by calendar month, so plans that start or end at
different months are compared where both have the month.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from ..words import _, money, month_words
from .quiet import WhenQuiet

# The amounts compared, in the order a beneficiary reads them.
COMPARED = (("gross_earnings", "Pay before taxes"), ("ssdi_paid", "SSDI check"),
            ("ssi_paid", "SSI check"), ("total_income", "Total income"))


def difference(table_a: pd.DataFrame, table_b: pd.DataFrame) -> pd.DataFrame:
    """B − A for each compared amount, one row per month both plans have."""
    months = table_a.index.intersection(table_b.index)
    return pd.DataFrame({column: table_b.loc[months, column].to_numpy() - table_a.loc[months, column].to_numpy()
                         for column, _label in COMPARED}, index=months)


def _signed(value: float) -> str:
    """"+$12.00", "-$12.00" or "$0.00": which way the money moves, not only how much."""
    if abs(value) < 0.005:
        return money(0)
    return ("+" if value > 0 else "") + money(value)


def difference_html(table_a: pd.DataFrame, table_b: pd.DataFrame) -> str:
    """The difference as a sentence over the plan and a month-by-month table."""
    diff = difference(table_a, table_b)
    if diff.empty:
        return f"<p>{escape(_('Scenario A and scenario B have no month in common.'))}</p>"
    total = float(diff["total_income"].sum())
    if abs(total) < 0.005:
        sentence = _("Over the {months} months both scenarios cover, scenario B brings the same total income "
                     "as scenario A.").format(months=len(diff))
    elif total > 0:
        sentence = _("Over the {months} months both scenarios cover, scenario B brings {amount} more "
                     "total income than scenario A.").format(months=len(diff), amount=money(total))
    else:
        sentence = _("Over the {months} months both scenarios cover, scenario B brings {amount} less "
                     "total income than scenario A.").format(months=len(diff), amount=money(-total))
    head = f'<th scope="col">{escape(_("Month"))}</th>' + "".join(
        f'<th scope="col">{escape(_(label))}</th>' for _column, label in COMPARED)
    rows = []
    for month, row in diff.iterrows():
        cells = "".join(f"<td>{escape(_signed(row[column]))}</td>" for column, _label in COMPARED)
        rows.append(f'<tr><th scope="row">{escape(month_words(month))}</th>{cells}</tr>')
    totals = "".join(f"<td>{escape(_signed(diff[column].sum()))}</td>" for column, _label in COMPARED)
    rows.append(f'<tr class="iwp-total"><th scope="row">{escape(_("Whole plan"))}</th>{totals}</tr>')
    caption = _("Scenario B minus scenario A, month by month")
    return (f'<div class="iwp-difference"><h3>{escape(_("Scenario B compared with scenario A"))}</h3>'
            f"<p>{escape(sentence)}</p>"
            f'<div class="iwp-table-scroll" tabindex="0" role="region" aria-label="{escape(caption)}">'
            f'<table class="iwp-data-table"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></div>")


class Difference(w.HTML):
    """B − A, redrawn once either scenario's input has settled."""

    def __init__(self, state_a, state_b):
        self.state_a, self.state_b = state_a, state_b
        super().__init__(value=difference_html(state_a.table, state_b.table))
        self.add_class("iwp-difference-panel")
        redraw = WhenQuiet(self._redraw)
        state_a.observe(redraw, "table")
        state_b.observe(redraw, "table")

    def _redraw(self, change=None) -> None:
        self.value = difference_html(self.state_a.table, self.state_b.table)

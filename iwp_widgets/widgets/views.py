"""Read-only views of a scenario: the goal checklist, the TWP/EPE counters, a month's explanation."""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from ..glossary import html_term
from ..thresholds import Thresholds
from ..words import N_, _, money, month_words
from .controls import css, html
from .quiet import WhenQuiet
from .state import PlanState

ICON = {True: ("✔", N_("Met"), "iwp-ok"), False: ("✘", N_("Not met"), "iwp-bad"),
        None: ("…", N_("Not known yet"), "iwp-open")}



def _status(passed) -> str:
    mark, words, klass = ICON[passed if passed in (True, False) else None]
    return f'<span class="iwp-status {klass}" aria-hidden="true">{mark}</span> <strong>{escape(_(words))}:</strong>'


def selected_row(table: pd.DataFrame, chosen: str) -> tuple[pd.Period, pd.Series]:
    """The chosen month and its table row (the last month when the choice is past the table)."""
    month = pd.Period(chosen, freq="M")
    if month not in table.index:
        month = table.index[-1]
    return month, table.loc[month]


class GoalChecklist(w.VBox):
    """The IWP goal checks, timely-progress reviews and (for counselors) EN payments, live."""

    def __init__(self, state: PlanState, counselor: w.ToggleButton):
        self.state = state
        self.counselor = counselor
        self.goals = css(html(), "goal-checklist")
        self.reviews = css(html(), "progress-reviews")
        self.payments = css(html(), "en-payments")
        super().__init__([html(f"<h3>{escape(_('Goal checklist'))}</h3>"), self.goals,
                          html(f"<h4>{html_term('Timely progress', _('Timely progress'))} "
                               f"{escape(_('reviews'))}</h4>"),
                          self.reviews, self.payments])
        self.add_class("iwp-checklist")
        state.observe(WhenQuiet(self.redraw), "table")
        counselor.observe(self.redraw, "value")
        self.redraw()

    def redraw(self, change=None) -> None:
        from ..ticket import check_goals, en_summary_by_year, progress_reviews

        plan, table = self.state.plan, self.state.table
        detail = self.counselor.value
        iwp = plan.iwp
        items = []
        for check in check_goals(table, iwp):
            cite = f' <span class="iwp-cite">({escape(check.citation)})</span>' if detail else ""
            items.append(f'<li data-goal="{check.name}" data-passed="{check.passed}">{_status(check.passed)} '
                         f"{escape(check.label)}. {escape(check.sentence)}{cite}</li>")
        self.goals.value = f'<ul class="iwp-checks">{"".join(items)}</ul>'

        reviews = progress_reviews(table, iwp, plan.profile.ticket_assigned)
        if reviews.empty:
            self.reviews.value = "<p>" + escape(_("No reviews: the Ticket is not assigned yet (enter the month "
                                                  "it was assigned to see the yearly reviews).")) + "</p>"
        else:
            rows = []
            for r in reviews.itertuples(index=False):
                cite = f' <span class="iwp-cite">({escape(r.citation)})</span>' if detail else ""
                rows.append(f'<li data-period="{r.period}" data-result="{escape(r.result)}">'
                            f"{_status(r.passed)} "
                            + escape(_("Year {period} ({first} to {last}).").format(
                                period=r.period, first=month_words(r.start), last=month_words(r.end)))
                            + f" {escape(r.reason)}{cite}</li>")
            self.reviews.value = f'<ul class="iwp-checks">{"".join(rows)}</ul>'

        if detail and "en_payment_type" in table.columns:
            summary = en_summary_by_year(table)
            if summary.empty:
                body = f"<p>{escape(_('No Employment Network payments in these months.'))}</p>"
            else:
                head = "".join(f'<th scope="col">{escape(_(text))}</th>'
                               for text in (N_("Year"), N_("Payment"), N_("Count"), N_("Dollars")))
                body = (f'<table class="iwp-data-table"><caption>{escape(_("EN payments by year"))}</caption>'
                        f"<thead><tr>{head}</tr></thead><tbody>"
                        + "".join(f'<tr><th scope="row">{r.year}</th><td>{escape(str(r.payment))}</td>'
                                  f"<td>{r.count}</td><td>{escape(money(r.dollars))}"
                                  f"{escape(_(' (estimate)')) if r.projected else ''}</td></tr>"
                                  for r in summary.itertuples(index=False))
                        + "</tbody></table>")
            heading = escape(_("Payments to the Employment Network (for counselors)"))
            self.payments.value = f"<h4>{heading}</h4>{body}"
        else:
            self.payments.value = ""


class Counters(w.HBox):
    """Trial work months used (n of 9) and the EPE month, at the chosen month."""

    def __init__(self, state: PlanState, month: w.SelectionSlider, thresholds: Thresholds | None = None):
        self.state = state
        self.month = month
        self.thresholds = thresholds or Thresholds.default()
        self.twp = css(html(), "twp-counter")
        self.epe = css(html(), "epe-counter")
        super().__init__([self.twp, self.epe])
        self.add_class("iwp-counters")
        # "plan" is set after "table": both match the plan whose programs are shown.
        state.observe(WhenQuiet(self.redraw), "plan")
        month.observe(self.redraw, "value")
        self.redraw()

    def redraw(self, change=None) -> None:
        # Trial work and the EPE are SSDI's: an SSI-only plan shows no counters (and no tab stops).
        ssi_only = self.state.plan.profile.benefits == "ssi"
        self.layout.display = "none" if ssi_only else ""
        if ssi_only:
            self.twp.value = self.epe.value = ""
            return
        table = self.state.table
        month, row = selected_row(table, self.month.value)
        limit = int(self.thresholds.value("twp_service_months", month))
        used = int(row["twp_months_used"])
        self.twp.value = (f'<div class="iwp-counter" role="status"><span class="iwp-big">'
                          f'{escape(_("{used} of {limit}").format(used=used, limit=limit))}</span> '
                          f"{html_term('TWP', _('trial work months'))} "
                          f"{escape(_('used by {month}').format(month=month_words(month)))}</div>")
        epe_limit = int(self.thresholds.value("epe_reentitlement_months", month))
        words = self._epe_words(table, month, epe_limit)
        self.epe.value = (f'<div class="iwp-counter" role="status"><span class="iwp-big">{escape(words)}</span> '
                          f"{html_term('EPE', _('extended period (EPE)'))} "
                          f"{escape(_('in {month}').format(month=month_words(month)))}</div>")

    @staticmethod
    def _epe_words(table, month, limit: int) -> str:
        """The EPE month number, as the engine counts it (``epe_month_number``)."""
        number = int(table.loc[month, "epe_month_number"])
        return (_("month {number} of {limit}").format(number=number, limit=limit) if number > 0
                else _("not in it"))


class MonthExplainer(w.VBox):
    """What happens in one month, in plain words; rule text and raw numbers for counselors."""

    RAW = ("gross_earnings", "countable_earnings", "twl", "sga", "ssdi_status", "ssdi_paid",
           "ssi_countable_income", "ssi_paid", "medicaid_1619b", "total_income", "en_payment",
           "en_payment_projected")

    def __init__(self, state: PlanState, month: w.SelectionSlider, counselor: w.ToggleButton):
        self.state = state
        self.month = month
        self.counselor = counselor
        self.text = css(html(), "why")
        super().__init__([self.text])
        self.add_class("iwp-month")
        # "plan" is set after "table": both match the plan whose programs are shown.
        state.observe(WhenQuiet(self.redraw), "plan")
        month.observe(self.redraw, "value")
        counselor.observe(self.redraw, "value")
        self.redraw()

    def redraw(self, change=None) -> None:
        from ..charts import phase_label

        table = self.state.table
        month, row = selected_row(table, self.month.value)
        benefits = self.state.plan.profile.benefits
        # Only the programs the plan has: no SSDI words for SSI-only plans, no SSI ones for SSDI-only.
        ssdi = benefits != "ssi"
        ssi = benefits != "ssdi"
        strong = lambda value: f"<strong>{escape(money(value))}</strong>"  # noqa: E731
        parts = [escape(_("pay before taxes")) + " " + strong(row["gross_earnings"])]
        if ssdi:
            parts.append(escape(_("SSDI check")) + " " + strong(row["ssdi_paid"]))
        if ssi:
            parts.append(escape(_("SSI check")) + " " + strong(row["ssi_paid"]))
        parts.append(escape(_("total income")) + " " + strong(row["total_income"]))
        phase = " " + escape(_("SSDI: {phase}.").format(phase=phase_label(str(row["ssdi_status"])))) if ssdi else ""
        medicaid = (" " + escape(_("Medicaid continues under 1619(b)."))
                    if bool(row.get("medicaid_1619b", False)) else "")
        summary = (f"<p>{escape(_('In'))} <strong>{escape(month_words(month))}</strong>: "
                   f"{', '.join(parts)}.{phase}{medicaid}</p>")
        why = f'<p class="iwp-why-text">{escape(str(row["why"]))}</p>' if "why" in table.columns else ""
        raw = ""
        if self.counselor.value:
            other = ("ssi_", "medicaid_1619b") if not ssi else ("ssdi_", "twl") if not ssdi else ()
            cells = "".join(f'<tr><th scope="row">{c}</th><td>{escape(str(row[c]))}</td></tr>'
                            for c in self.RAW if c in table.columns and not c.startswith(other))
            caption = _("Raw numbers for {month}").format(month=month_words(month))
            raw = (f'<table class="iwp-data-table"><caption>{escape(caption)}</caption>'
                   f"<tbody>{cells}</tbody></table>")
        heading = escape(_("Why this month looks this way"))
        self.text.value = f'<div aria-live="polite"><h4>{heading}</h4>{summary}{why}{raw}</div>'


def _month_options(table) -> list[tuple[str, str]]:
    """(the month in words, its "YYYY-MM" value) for each month of the table."""
    return [(month_words(m), str(m)) for m in table.index]


def month_picker(state: PlanState, name: str = "month") -> w.SelectionSlider:
    options = _month_options(state.table)
    picker = w.SelectionSlider(options=options, value=options[min(11, len(options) - 1)][1],
                               description=_("Look at month"), continuous_update=True)
    picker.style.description_width = "initial"
    picker.layout.width = "420px"

    def follow(change) -> None:
        # A new start or length (or another plan): offer its months, keep the month if it has it.
        wanted = _month_options(change["new"])
        if [value for _label, value in wanted] != [value for _label, value in picker.options]:
            chosen = picker.value
            picker.options = wanted
            values = [value for _label, value in wanted]
            picker.value = chosen if chosen in values else values[min(11, len(values) - 1)]

    state.observe(follow, "table")
    return css(picker, name)

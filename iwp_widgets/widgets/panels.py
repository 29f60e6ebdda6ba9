"""Read-only views of a scenario (checklist, counters, a month's explanation) and the files bar."""

from __future__ import annotations

import base64
import datetime as dt
import threading
from html import escape
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .. import storage
from ..errors import PlanError
from ..glossary import html_term
from ..thresholds import Thresholds
from .controls import Field, css, html
from .quiet import WhenQuiet
from .state import PlanState

ICON = {True: ("✔", "Met", "iwp-ok"), False: ("✘", "Not met", "iwp-bad"), None: ("…", "Not known yet", "iwp-open")}


def _status(passed) -> str:
    mark, words, klass = ICON[passed if passed in (True, False) else None]
    return f'<span class="iwp-status {klass}" aria-hidden="true">{mark}</span> <strong>{words}:</strong>'


def _iwp(plan):
    from ..ticket import IWP

    return IWP.from_dict(plan.iwp or {})



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
        super().__init__([html("<h3>Goal checklist</h3>"), self.goals,
                          html(f"<h4>{html_term('Timely progress', 'Timely progress')} reviews</h4>"),
                          self.reviews, self.payments])
        self.add_class("iwp-checklist")
        state.observe(WhenQuiet(self.redraw), "table")
        counselor.observe(self.redraw, "value")
        self.redraw()

    def redraw(self, change=None) -> None:
        from ..ticket import check_goals, en_summary_by_year, progress_reviews

        plan, table = self.state.plan, self.state.table
        detail = self.counselor.value
        iwp = _iwp(plan)
        items = []
        for check in check_goals(table, iwp):
            cite = f' <span class="iwp-cite">({escape(check.citation)})</span>' if detail else ""
            items.append(f'<li data-goal="{check.name}" data-passed="{check.passed}">{_status(check.passed)} '
                         f"{escape(check.label)}. {escape(check.sentence)}{cite}</li>")
        self.goals.value = f'<ul class="iwp-checks">{"".join(items)}</ul>'

        reviews = progress_reviews(table, iwp, plan.profile.ticket_assigned)
        if reviews.empty:
            self.reviews.value = ('<p>No reviews: the Ticket is not assigned yet (enter the month it was '
                                  'assigned to see the yearly reviews).</p>')
        else:
            rows = []
            for r in reviews.itertuples(index=False):
                cite = f' <span class="iwp-cite">({escape(r.citation)})</span>' if detail else ""
                rows.append(f'<li data-period="{r.period}" data-result="{escape(r.result)}">'
                            f"{_status(r.passed)} Year {r.period} ({r.start} to {r.end}). "
                            f"{escape(r.reason)}{cite}</li>")
            self.reviews.value = f'<ul class="iwp-checks">{"".join(rows)}</ul>'

        if detail and "en_payment_type" in table.columns:
            summary = en_summary_by_year(table)
            if summary.empty:
                body = "<p>No Employment Network payments in these months.</p>"
            else:
                body = ('<table class="iwp-data-table"><caption>EN payments by year</caption><thead><tr>'
                        '<th scope="col">Year</th><th scope="col">Payment</th><th scope="col">Count</th>'
                        '<th scope="col">Dollars</th></tr></thead><tbody>'
                        + "".join(f'<tr><th scope="row">{r.year}</th><td>{escape(str(r.payment))}</td>'
                                  f"<td>{r.count}</td><td>${r.dollars:,.2f}"
                                  f"{' (estimate)' if r.projected else ''}</td></tr>"
                                  for r in summary.itertuples(index=False))
                        + "</tbody></table>")
            self.payments.value = f"<h4>Payments to the Employment Network (for counselors)</h4>{body}"
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
        state.observe(WhenQuiet(self.redraw), "table")
        month.observe(self.redraw, "value")
        self.redraw()

    def redraw(self, change=None) -> None:
        table = self.state.table
        month, row = selected_row(table, self.month.value)
        limit = int(self.thresholds.value("twp_service_months", month))
        used = int(row["twp_months_used"])
        self.twp.value = (f'<div class="iwp-counter" role="status"><span class="iwp-big">{used} of {limit}</span> '
                          f"{html_term('TWP', 'trial work months')} used by {month}</div>")
        epe_limit = int(self.thresholds.value("epe_reentitlement_months", month))
        words = self._epe_words(table, month, epe_limit)
        self.epe.value = (f'<div class="iwp-counter" role="status"><span class="iwp-big">{words}</span> '
                          f"{html_term('EPE', 'extended period (EPE)')} in {month}</div>")

    @staticmethod
    def _epe_words(table, month, limit: int) -> str:
        """The EPE month number, as the engine counts it (``epe_month_number``)."""
        number = int(table.loc[month, "epe_month_number"])
        return f"month {number} of {limit}" if number > 0 else "not in it"


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
        state.observe(WhenQuiet(self.redraw), "table")
        month.observe(self.redraw, "value")
        counselor.observe(self.redraw, "value")
        self.redraw()

    def redraw(self, change=None) -> None:
        from ..charts import phase_label

        table = self.state.table
        month, row = selected_row(table, self.month.value)
        summary = (f"<p>In <strong>{month}</strong>: pay before taxes <strong>${row['gross_earnings']:,.0f}</strong>, "
                   f"SSDI check <strong>${row['ssdi_paid']:,.0f}</strong>, SSI check "
                   f"<strong>${row['ssi_paid']:,.0f}</strong>, total income "
                   f"<strong>${row['total_income']:,.0f}</strong>. SSDI: {escape(phase_label(str(row['ssdi_status'])))}."
                   f"{' Medicaid continues under 1619(b).' if bool(row.get('medicaid_1619b', False)) else ''}</p>")
        why = f'<p class="iwp-why-text">{escape(str(row["why"]))}</p>' if "why" in table.columns else ""
        raw = ""
        if self.counselor.value:
            cells = "".join(f'<tr><th scope="row">{c}</th><td>{escape(str(row[c]))}</td></tr>'
                            for c in self.RAW if c in table.columns)
            raw = (f'<table class="iwp-data-table"><caption>Raw numbers for {month}</caption>'
                   f"<tbody>{cells}</tbody></table>")
        self.text.value = (f'<div aria-live="polite"><h4>Why this month looks this way</h4>'
                           f"{summary}{why}{raw}</div>")


def month_picker(state: PlanState, name: str = "month") -> w.SelectionSlider:
    months = [str(m) for m in state.table.index]
    picker = w.SelectionSlider(options=months, value=months[min(11, len(months) - 1)],
                               description="Look at month", continuous_update=True)
    picker.style.description_width = "initial"
    picker.layout.width = "420px"
    return css(picker, name)


def _download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a class="iwp-download" download="{escape(filename, quote=True)}" '
            f'href="data:{mime};base64,{encoded}">{escape(label)}</a>')


class FilesBar(w.VBox):
    """Save, open, revise with a reason, autosave, export CSV/Excel and print the IWP."""

    def __init__(self, state: PlanState, store: storage.PlanStore, name: str, examples: list[str]):
        from ..plan import Plan

        self.state = state
        self.store = store
        self.examples = examples
        self._autosave_timer: threading.Timer | None = None
        self._autosave_lock = threading.RLock()
        self._baseline_iwp = dict(state.plan.iwp or {})
        self.name_field = Field(w.Text(value=name, description="Plan name", continuous_update=False), "plan-name")
        self.save_button = css(w.Button(description="Save", icon="save", tooltip="Save this plan"), "save")
        self.open_choice = css(w.Dropdown(options=self._choices(), description="Open"), "open-choice")
        current = [value for _label, value in self.open_choice.options if value.split(":", 1)[1] == name]
        if current:
            self.open_choice.value = current[0]
        self.open_choice.style.description_width = "initial"
        self.open_button = css(w.Button(description="Open", icon="folder-open", tooltip="Open the chosen plan"), "open")
        self.reason = Field(w.Text(description="Reason for the change", placeholder="e.g. new job offer",
                                   continuous_update=False), "revise-reason")
        self.revise_button = css(w.Button(description="Revise the IWP", tooltip="Record the IWP changes with a reason"),
                          "revise")
        self.csv_button = css(w.Button(description="CSV", icon="download", tooltip="Export the months as CSV"), "export-csv")
        self.excel_button = css(w.Button(description="Excel", icon="download", tooltip="Export the months as Excel"),
                         "export-excel")
        self.html_button = css(w.Button(description="Print (HTML)", icon="print", tooltip="Printable IWP as a web page"),
                        "print-html")
        self.pdf_button = css(w.Button(description="Print (PDF)", icon="print", tooltip="Printable IWP as a PDF"),
                       "print-pdf")
        self.recover_button = css(w.Button(description="Recover unsaved changes", layout=w.Layout(display="none")),
                           "recover")
        self.status = css(html(), "files-status")
        self.links = css(html(), "downloads")
        super().__init__([
            w.HBox([self.name_field, self.save_button, self.open_choice, self.open_button, self.recover_button]),
            w.HBox([self.reason, self.revise_button]),
            w.HBox([html("<span>Export or print:</span>"), self.csv_button, self.excel_button, self.html_button, self.pdf_button]),
            self.status, self.links])
        self.add_class("iwp-files")
        self.save_button.on_click(self._save)
        self.open_button.on_click(self._open)
        self.revise_button.on_click(self._revise)
        self.recover_button.on_click(self._recover)
        for button, kind in ((self.csv_button, "csv"), (self.excel_button, "xlsx"), (self.html_button, "html"), (self.pdf_button, "pdf")):
            button.on_click(lambda _b, kind=kind: self.export(kind))
        state.observe(self._autosave, "changes")
        self._plan_class = Plan
        self._offer_recovery()

    # -- helpers -------------------------------------------------------------------------------
    def _choices(self) -> list[tuple[str, str]]:
        saved = [(f"Saved: {n}", f"saved:{n}") for n in self.store.names()]
        return saved + [(f"Example: {n}", f"example:{n}") for n in self.examples]

    def _plan_name(self) -> str | None:
        try:
            name = storage.check_name(self.name_field.control.value)
        except PlanError as exc:
            self.name_field.show_error(str(exc))
            return None
        self.name_field.show_error("")
        return name

    def _say(self, text: str) -> None:
        self.status.value = f'<p role="status">{escape(text)}</p>'

    def _offer_recovery(self) -> None:
        name = self._plan_name()
        recoverable = name is not None and self.store.recover(name) is not None
        self.recover_button.layout.display = "" if recoverable else "none"

    # -- actions -------------------------------------------------------------------------------
    AUTOSAVE_DELAY_S = 0.5

    def _autosave(self, change=None) -> None:
        """Autosave shortly after the last change, off the kernel's main thread: a burst of slider
        moves writes the recovery file once, and the file write never delays a redraw."""
        name = self._plan_name()
        if name is None:
            return
        with self._autosave_lock:
            if self._autosave_timer is not None:
                self._autosave_timer.cancel()
            self._autosave_timer = threading.Timer(self.AUTOSAVE_DELAY_S, self._write_autosave,
                                                   args=(self.state.plan, name))
            self._autosave_timer.daemon = True
            self._autosave_timer.start()

    def _write_autosave(self, plan, name: str) -> None:
        with self._autosave_lock:
            if self._autosave_timer is threading.current_thread():
                self._autosave_timer = None
            self.store.autosave(plan, name)

    def flush_autosave(self) -> None:
        """Write a pending autosave now (tests, and before the kernel shuts down)."""
        with self._autosave_lock:
            timer, self._autosave_timer = self._autosave_timer, None
            if timer is not None:
                timer.cancel()
                self._write_autosave(*timer.args)

    def _save(self, _button=None) -> Path | None:
        name = self._plan_name()
        if name is None:
            return None
        if self.state.error is not None:
            self._say(f"Not saved: fix this first — {self.state.error}")
            return None
        path = self.store.save(self.state.plan, name)
        self._baseline_iwp = dict(self.state.plan.iwp or {})
        self.open_choice.options = self._choices()
        self._say(f"Saved “{name}”.")
        return path

    def _open(self, _button=None) -> None:
        choice = self.open_choice.value or ""
        kind, _, name = choice.partition(":")
        # Only names from the lists shown are opened: never a path built from input.
        if kind == "saved" and name in self.store.names():
            plan = self.store.open(name)
        elif kind == "example" and name in self.examples:
            plan = self._plan_class.example(name)
        else:
            self._say("Choose a plan from the list.")
            return
        self.name_field.control.value = name
        self.state.load(plan)
        self._baseline_iwp = dict(plan.iwp or {})
        self._say(f"Opened “{name}”.")
        self._offer_recovery()

    def _recover(self, _button=None) -> None:
        name = self._plan_name()
        plan = self.store.recover(name) if name else None
        if plan is not None:
            self.state.load(plan)
            self._say(f"Recovered the unsaved changes to “{name}”.")
        self.recover_button.layout.display = "none"

    def _revise(self, _button=None) -> None:
        from ..ticket import IWP

        reason = self.reason.control.value
        current = IWP.from_dict(self.state.plan.iwp or {}).to_dict()
        baseline = IWP.from_dict(self._baseline_iwp).to_dict()
        changes = {k: v for k, v in current.items() if k not in ("version", "revisions") and v != baseline.get(k)}
        if not changes:
            self.reason.show_error("Nothing in the IWP changed since it was opened or saved, so there is "
                                   "nothing to revise.")
            return
        try:
            revised = storage.revise(self.state.plan.replace(iwp=baseline), changes, reason)
        except PlanError as exc:
            self.reason.show_error(str(exc))
            return
        self.reason.show_error("")
        self.state.load(revised)
        self._baseline_iwp = dict(revised.iwp)
        self.reason.control.value = ""
        self._save()
        count = len(changes)
        self._say(f"Revised the IWP ({count} change{'s' if count != 1 else ''}): {reason}")

    def export(self, kind: str) -> Path | None:
        """Write the export to the plans folder's ``exports`` and offer it as a download."""
        from .. import exports, report

        name = self._plan_name()
        if name is None:
            return None
        plan, table = self.state.plan, self.state.table
        folder = self.store.folder / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{name}-{stamp}.{kind}"
        if kind == "csv":
            exports.table_to_csv(table, path)
            mime = "text/csv"
        elif kind == "xlsx":
            exports.table_to_excel(table, path, title=name)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif kind == "html":
            report.report_html(plan, table, path)
            mime = "text/html"
        elif kind == "pdf":
            report.report_pdf(plan, table, path)
            mime = "application/pdf"
        else:
            raise PlanError(f"export: must be csv, xlsx, html or pdf, got {kind!r}")
        self.links.value = _download_link(path.read_bytes(), path.name, mime, f"Download {path.name}")
        self._say(f"Made {path.name}.")
        return path


"""Read-only views of a scenario (checklist, counters, a month's explanation) and the files bar."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import shutil
import threading
import weakref
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
        iwp = plan.iwp
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
        checks = (f"SSDI check <strong>${row['ssdi_paid']:,.0f}</strong>, " if ssdi else "") + \
                 (f"SSI check <strong>${row['ssi_paid']:,.0f}</strong>, " if ssi else "")
        phase = f" SSDI: {escape(phase_label(str(row['ssdi_status'])))}." if ssdi else ""
        summary = (f"<p>In <strong>{month}</strong>: pay before taxes <strong>${row['gross_earnings']:,.0f}</strong>, "
                   f"{checks}total income <strong>${row['total_income']:,.0f}</strong>.{phase}"
                   f"{' Medicaid continues under 1619(b).' if bool(row.get('medicaid_1619b', False)) else ''}</p>")
        why = f'<p class="iwp-why-text">{escape(str(row["why"]))}</p>' if "why" in table.columns else ""
        raw = ""
        if self.counselor.value:
            other = ("ssi_", "medicaid_1619b") if not ssi else ("ssdi_", "twl") if not ssdi else ()
            cells = "".join(f'<tr><th scope="row">{c}</th><td>{escape(str(row[c]))}</td></tr>'
                            for c in self.RAW if c in table.columns and not c.startswith(other))
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
    """Save, open, revise with a reason, autosave, export CSV/Excel and print the IWP.

    Saving never replaces a plan this page has not seen (another plan of that name, or this one
    saved from another page since it was opened): it asks first. Autosave and recovery belong to
    this page's session (``session``): the browser tab sends its own key through the hidden
    ``session_key`` field (the page template keeps it in sessionStorage), so a reload gets its
    unsaved changes back and nobody else is ever offered them. See docs/files.md.
    """

    def __init__(self, state: PlanState, store: storage.PlanStore, name: str, examples: list[str]):
        from ..plan import Plan

        self.state = state
        self.store = store
        self.examples = examples
        self._plan_class = Plan
        # Until the browser sends its tab's key, a key of this page alone (in-process use, tests).
        self.session = storage.new_session()
        self._saved_as: str | None = None   # the saved plan this page has open (opened or saved)
        self._version: str | None = None    # that file's version when opened or saved here
        self._conflict: storage.SaveConflict | None = None
        self._offer: storage.Recovery | None = None
        self._export_folder: Path | None = None
        self.end_session = lambda: None     # replaced by the first export (removes its folder)
        self._autosave_timer: threading.Timer | None = None
        self._autosave_lock = threading.RLock()
        self._baseline_iwp = state.plan.iwp
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
        self.effective_date = Field(w.DatePicker(description="Takes effect", value=dt.date.today()),
                                    "revise-date")
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
        # The question asked before replacing a saved plan; the template moves focus to it.
        self.question_text = html()
        self.save_anyway = css(w.Button(description="Save anyway", button_style="warning",
                                        tooltip="Replace the saved plan (it is kept as a backup)"), "save-anyway")
        self.save_as_other = css(w.Button(description="Save under another name",
                                          tooltip="Keep the saved plan and save this one as a copy"), "save-as-other")
        self.cancel_save = css(w.Button(description="Cancel", tooltip="Do not save"), "cancel-save")
        self.question = css(w.VBox([self.question_text,
                                    w.HBox([self.save_anyway, self.save_as_other, self.cancel_save])],
                                   layout=w.Layout(display="none")), "save-question")
        # The browser tab's session key arrives here (share/jupyter/voila/templates/iwp/index.html.j2).
        self.session_key = css(w.Text(description="Session key", layout=w.Layout(display="none")), "session-key")
        self.status = css(html(), "files-status")
        self.links = css(html(), "downloads")
        super().__init__([
            w.HBox([self.name_field, self.save_button, self.open_choice, self.open_button, self.recover_button]),
            self.question,
            w.HBox([self.reason, self.effective_date, self.revise_button]),
            w.HBox([html("<span>Export or print:</span>"), self.csv_button, self.excel_button, self.html_button, self.pdf_button]),
            self.status, self.links, self.session_key])
        self.add_class("iwp-files")
        self.save_button.on_click(self._save)
        self.open_button.on_click(self._open)
        self.revise_button.on_click(self._revise)
        self.recover_button.on_click(self._recover)
        self.save_anyway.on_click(self._save_anyway)
        self.save_as_other.on_click(self._save_under_another_name)
        self.cancel_save.on_click(self._cancel_save)
        for button, kind in ((self.csv_button, "csv"), (self.excel_button, "xlsx"), (self.html_button, "html"), (self.pdf_button, "pdf")):
            button.on_click(lambda _b, kind=kind: self.export(kind))
        state.observe(self._autosave, "changes")
        self.session_key.observe(self._session_from_browser, "value")
        self._track_opened_plan(name)
        with contextlib.suppress(OSError):  # housekeeping; never a reason for the app not to open
            self.store.remove_old_autosaves()

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

    def _is_example(self, name: str) -> bool:
        return storage.name_key(name) in {storage.name_key(e) for e in self.examples}

    def _track_opened_plan(self, name: str) -> None:
        """The app opened ``name``: if it is a saved plan, remember its version for the next save."""
        if self._is_example(name):
            return
        try:
            on_disk, version = self.store.open_with_version(name)
        except PlanError:  # not saved (a new name) or unreadable: a save will ask if a file is there
            return
        self._saved_as = name
        # Saved again between the app's reading and ours: unknown, so the next save asks.
        self._version = version if on_disk.to_dict() == self.state.plan.to_dict() else "unknown"

    # -- autosave and recovery (per session) --------------------------------------------------
    AUTOSAVE_DELAY_S = 0.5

    def _autosave(self, change=None) -> None:
        """Autosave shortly after the last change, off the kernel's main thread: a burst of slider
        moves writes the recovery file once, and the file write never delays a redraw. Edits go
        with the saved plan this page has open, else with this session's draft."""
        with self._autosave_lock:
            if self._autosave_timer is not None:
                self._autosave_timer.cancel()
            args = (self.state.plan, self._saved_as, self.session, self.name_field.control.value, self._version)
            self._autosave_timer = threading.Timer(self.AUTOSAVE_DELAY_S, self._write_autosave, args=args)
            self._autosave_timer.daemon = True
            self._autosave_timer.start()

    def _write_autosave(self, plan, saved_as, session, shown_name, based_on) -> None:
        with self._autosave_lock:
            if self._autosave_timer is threading.current_thread():
                self._autosave_timer = None
            self.store.autosave(plan, saved_as, session, shown_name=shown_name, based_on=based_on)

    def _cancel_autosave(self) -> None:
        with self._autosave_lock:
            timer, self._autosave_timer = self._autosave_timer, None
            if timer is not None:
                timer.cancel()

    def flush_autosave(self) -> None:
        """Write a pending autosave now (tests, and before the kernel shuts down)."""
        with self._autosave_lock:
            timer, self._autosave_timer = self._autosave_timer, None
            if timer is not None:
                timer.cancel()
                self._write_autosave(*timer.args)

    def _session_from_browser(self, change) -> None:
        """The tab's key (kept across reloads by the browser): offer what that tab left unsaved."""
        try:
            key = storage.check_session(change["new"])
        except PlanError:
            return
        if key != self.session:
            self.flush_autosave()
            self.session = key
            self._offer_recovery()

    def _offer_recovery(self) -> None:
        try:
            offer = self.store.recover(self._saved_as, self.session)
        except PlanError:  # set aside by the store; the app goes on without it
            offer = None
            self._say("Unsaved changes kept from an earlier visit to this page could not be read, so "
                      "they were put aside and are not offered. The plan is shown as it was opened.")
        if offer is not None and offer.plan.to_dict() == self.state.plan.to_dict():
            offer = None  # nothing to give back
        self._offer = offer
        self.recover_button.layout.display = "" if offer is not None else "none"

    def _recover(self, _button=None) -> None:
        offer, self._offer = self._offer, None
        self.recover_button.layout.display = "none"
        if offer is None:
            return
        self.state.load(offer.plan)
        if offer.name:
            self.name_field.control.value = offer.name
        if self._saved_as is not None:
            self._version = offer.based_on  # a save asks if the plan was saved elsewhere since
        self._say(f"Recovered the unsaved changes to “{offer.name or 'this plan'}”.")

    # -- saving --------------------------------------------------------------------------------
    def _save(self, _button=None, replaces: str | None = None) -> Path | None:
        name = self._plan_name()
        if name is None:
            return None
        if self._is_example(name):
            self.name_field.show_error("That is the name of an example plan; type a name for this plan.")
            return None
        if self.state.error is not None:
            self._say(f"Not saved: fix this first — {self.state.error}")
            return None
        if replaces is None and self._saved_as is not None and storage.name_key(name) == storage.name_key(self._saved_as):
            replaces = self._version  # the plan this page opened: replacing it is expected
        try:
            saved = self.store.save(self.state.plan, name, replaces=replaces)
        except storage.SaveConflict as conflict:
            self._ask(conflict)
            return None
        self._cancel_autosave()
        self.store.discard_autosave(self._saved_as, self.session)
        self._saved_as = storage.check_name(saved.path.name[: -len(storage.PLAN_SUFFIX)])
        self._version = saved.version
        self._conflict = None
        self.question.layout.display = "none"
        self._baseline_iwp = self.state.plan.iwp
        self.open_choice.options = self._choices()
        self._say(f"Saved “{self._saved_as}”.")
        return saved.path

    def _ask(self, conflict: storage.SaveConflict) -> None:
        self._conflict = conflict
        if conflict.changed:
            text = (f"“{conflict.name}” was changed and saved from another page since you opened it. "
                    "Saving now would replace those changes.")
        else:
            text = f"A saved plan called “{conflict.name}” already exists. Saving would replace it."
        self.question_text.value = (f'<p role="alert"><strong>{escape(text)}</strong> The version replaced '
                                    "is kept as a backup. What would you like to do?</p>")
        self.question.layout.display = ""
        self._say("Not saved yet: answer the question above.")

    def _save_anyway(self, _button=None) -> None:
        if self._conflict is not None:
            self._save(replaces=self._conflict.version)

    def _save_under_another_name(self, _button=None) -> None:
        name = self._conflict.name if self._conflict else (self._plan_name() or "Plan")
        self._cancel_question()
        free = next(f"{name} ({n})" for n in range(2, 10_000) if not self.store.exists(f"{name} ({n})"))
        self.name_field.control.value = free
        self._say(f"Not saved yet. A free name is filled in under Plan name (“{free}”); change it if you "
                  "like, then press Save.")

    def _cancel_save(self, _button=None) -> None:
        self._cancel_question()
        self._say("Not saved.")

    def _cancel_question(self) -> None:
        self._conflict = None
        self.question.layout.display = "none"

    # -- opening and revising ------------------------------------------------------------------
    def _open(self, _button=None) -> None:
        choice = self.open_choice.value or ""
        kind, _, name = choice.partition(":")
        # Only names from the lists shown are opened: never a path built from input.
        version = None
        if kind == "saved" and name in self.store.names():
            try:
                plan, version = self.store.open_with_version(name)
            except PlanError:
                self._say(f"Could not open “{name}”: its file is damaged, or was saved by a newer IWP "
                          "Planner. Nothing was changed here. Ask whoever looks after IWP Planner to "
                          "check that plan's file.")
                return
        elif kind == "example" and name in self.examples:
            plan = self._plan_class.example(name)
        else:
            self._say("Choose a plan from the list.")
            return
        self.flush_autosave()  # the edits so far stay recoverable with the plan they belong to
        self._cancel_question()
        self._saved_as, self._version = (name, version) if kind == "saved" else (None, None)
        self.name_field.control.value = name
        self.state.load(plan)
        self._baseline_iwp = plan.iwp
        self._say(f"Opened “{name}”.")
        self._offer_recovery()

    def _revise(self, _button=None) -> None:
        reason = self.reason.control.value
        current = self.state.plan.iwp.to_dict()
        baseline = self._baseline_iwp.to_dict()
        changes = {k: v for k, v in current.items() if k not in ("version", "revisions") and v != baseline.get(k)}
        if not changes:
            self.reason.show_error("Nothing in the IWP changed since it was opened or saved, so there is "
                                   "nothing to revise.")
            return
        try:
            effective = self.effective_date.control.value
            revised = self.state.plan.replace(iwp=self._baseline_iwp).revise(
                changes, reason, effective.isoformat() if effective else None)
        except PlanError as exc:
            self.reason.show_error(str(exc))
            return
        self.reason.show_error("")
        self.state.load(revised)
        self._baseline_iwp = revised.iwp
        self.reason.control.value = ""
        saved = self._save()
        count = len(changes)
        unsaved = "" if saved else " Not saved yet: answer the question above, or press Save."
        self._say(f"Revised the IWP ({count} change{'s' if count != 1 else ''}): {reason}.{unsaved}")

    def export(self, kind: str) -> Path | None:
        """Write the export to this session's private folder under the plans folder's ``exports``
        and offer it as a download. The folder holds only the latest export and is removed when
        the session ends (or, after a crash, by the next session's first export)."""
        from .. import exports, report

        name = self._plan_name()
        if name is None:
            return None
        plan, table = self.state.plan, self.state.table
        folder = self._session_export_folder()
        for earlier in folder.iterdir():
            earlier.unlink(missing_ok=True)
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

    def _session_export_folder(self) -> Path:
        if self._export_folder is None or not self._export_folder.is_dir():
            self._export_folder = self.store.export_folder()
            # Runs when this bar is collected or the kernel exits normally.
            self.end_session = weakref.finalize(self, shutil.rmtree, self._export_folder, True)
        return self._export_folder


"""The files bar: save, open, start a new plan, revise the IWP with a reason, autosave, export, print."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import shutil
import threading
import time
import weakref
from html import escape
from pathlib import Path

import ipywidgets as w

from .. import storage
from ..errors import PlanError
from ..words import N_, _, month_words, ngettext
from .controls import Field, css, html, shared
from .state import PlanState

# The shipped example plans (examples/*.json) as the Open list names them.
EXAMPLE_TITLES = {
    "concurrent_irwe": N_("SSDI and SSI, with disability work costs (IRWE)"),
    "ssdi_ramp_to_sga": N_("SSDI, pay growing past the SGA level"),
    "ssi_student": N_("SSI, a student aged 18"),
}


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
        self._autosave_args: tuple | None = None    # what the pending autosave writes
        self._autosave_due = 0.0                    # when (time.monotonic())
        self._autosave_thread: threading.Thread | None = None
        self._autosave_lock = threading.Lock()         # guards the three above
        self._autosave_write_lock = threading.Lock()   # one write at a time, in order
        self._baseline_iwp = state.plan.iwp
        self.name_field = Field(shared(w.Text, value=name, description=_("Plan name"), continuous_update=False),
                                "plan-name")
        self.save_button = css(shared(w.Button, description=_("Save"), icon="save", tooltip=_("Save this plan")), "save")
        self.open_choice = css(shared(w.Dropdown, options=self._choices(), description=_("Open")), "open-choice")
        current = [value for _label, value in self.open_choice.options if value.split(":", 1)[1] == name]
        if current:
            self.open_choice.value = current[0]
        self.open_choice.style.description_width = "initial"
        self.open_button = css(shared(w.Button, description=_("Open"), icon="folder-open",
                                      tooltip=_("Open the chosen plan")), "open")
        self.new_button = css(shared(w.Button, description=_("New plan"), icon="file",
                                       tooltip=_("Start a blank plan: from next month, for 36 months")), "new-plan")
        self.reason = Field(shared(w.Text, description=_("Reason for the change"), placeholder=_("e.g. new job offer"),
                                   continuous_update=False), "revise-reason")
        self.effective_date = Field(w.DatePicker(description=_("Takes effect"), value=dt.date.today()),
                                    "revise-date")
        self.revise_button = css(shared(w.Button, description=_("Revise the IWP"),
                                        tooltip=_("Record the IWP changes with a reason")),
                          "revise")
        self.csv_button = css(shared(w.Button, description=_("CSV"), icon="download",
                                     tooltip=_("Export the months as CSV")), "export-csv")
        self.excel_button = css(shared(w.Button, description=_("Excel"), icon="download",
                                       tooltip=_("Export the months as Excel")),
                         "export-excel")
        self.html_button = css(shared(w.Button, description=_("Print (HTML)"), icon="print",
                                      tooltip=_("Printable IWP as a web page")),
                        "print-html")
        self.pdf_button = css(shared(w.Button, description=_("Print (PDF)"), icon="print",
                                     tooltip=_("Printable IWP as a PDF")),
                       "print-pdf")
        # The EN's projected payments are not on the beneficiary's copy: a print of their own.
        self.worksheet_button = css(shared(w.Button, description=_("EN worksheet (PDF)"), icon="print",
                                           tooltip=_("The Employment Network's projected payments, "
                                                     "printed apart from the beneficiary's IWP")),
                                    "print-en-worksheet")
        self.recover_button = css(w.Button(description=_("Recover unsaved changes"), layout=w.Layout(display="none")),
                           "recover")
        # The question asked before replacing a saved plan; the template moves focus to it.
        self.question_text = html()
        self.save_anyway = css(shared(w.Button, description=_("Save anyway"), button_style="warning",
                                        tooltip=_("Replace the saved plan (it is kept as a backup)")), "save-anyway")
        self.save_as_other = css(shared(w.Button, description=_("Save under another name"),
                                          tooltip=_("Keep the saved plan and save this one as a copy")), "save-as-other")
        self.cancel_save = css(shared(w.Button, description=_("Cancel"), tooltip=_("Do not save")), "cancel-save")
        self.question = css(w.VBox([self.question_text,
                                    w.HBox([self.save_anyway, self.save_as_other, self.cancel_save])],
                                   layout=w.Layout(display="none")), "save-question")
        # The browser tab's session key arrives here (share/jupyter/voila/templates/iwp/index.html.j2).
        self.session_key = css(w.Text(description=_("Session key"), layout=w.Layout(display="none")), "session-key")
        self.status = css(html(), "files-status")
        self.links = css(html(), "downloads")
        super().__init__([
            w.HBox([self.new_button, self.name_field, self.save_button, self.open_choice, self.open_button,
                    self.recover_button]),
            self.question,
            w.HBox([self.reason, self.effective_date, self.revise_button]),
            w.HBox([html(f"<span>{escape(_('Export or print:'))}</span>"), self.csv_button, self.excel_button, self.html_button, self.pdf_button,
                    self.worksheet_button]),
            self.status, self.links, self.session_key])
        self.add_class("iwp-files")
        self.save_button.on_click(self._save)
        self.open_button.on_click(self._open)
        self.new_button.on_click(self.new_plan)
        self.revise_button.on_click(self._revise)
        self.recover_button.on_click(self._recover)
        self.save_anyway.on_click(self._save_anyway)
        self.save_as_other.on_click(self._save_under_another_name)
        self.cancel_save.on_click(self._cancel_save)
        for button, kind in ((self.csv_button, "csv"), (self.excel_button, "xlsx"), (self.html_button, "html"), (self.pdf_button, "pdf"),
                             (self.worksheet_button, "en-worksheet.pdf")):
            button.on_click(lambda _b, kind=kind: self.export(kind))
        state.observe(self._autosave, "changes")
        self.session_key.observe(self._session_from_browser, "value")
        self._track_opened_plan(name)
        with contextlib.suppress(OSError):  # housekeeping; never a reason for the app not to open
            self.store.remove_old_autosaves()

    # -- helpers -------------------------------------------------------------------------------
    def _choices(self) -> list[tuple[str, str]]:
        saved = [(_("Saved: {name}").format(name=n), f"saved:{n}") for n in self.store.names()]
        return saved + [(_("Example: {name}").format(name=_(EXAMPLE_TITLES[n]) if n in EXAMPLE_TITLES
                                                     else n.replace("_", " ")), f"example:{n}")
                        for n in self.examples]

    def _plan_name(self) -> str | None:
        try:
            name = storage.check_name(self.name_field.control.value)
        except PlanError as exc:
            self.name_field.show_error(exc.plain)
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
        moves writes the recovery file once, and the file write never delays a redraw. A change
        only notes what to write and when (it never waits for a write); one thread waits out the
        whole burst (a thread started on every slider step cost each step a few milliseconds).
        Edits go with the saved plan this page has open, else with this session's draft."""
        with self._autosave_lock:
            self._autosave_args = (self.state.plan, self._saved_as, self.session,
                                   self.name_field.control.value, self._version)
            self._autosave_due = time.monotonic() + self.AUTOSAVE_DELAY_S
            if self._autosave_thread is None:
                self._autosave_thread = threading.Thread(target=self._autosave_when_quiet, daemon=True,
                                                         name="iwp-autosave")
                self._autosave_thread.start()

    def _autosave_when_quiet(self) -> None:
        """The autosave thread: sleep until the newest change is AUTOSAVE_DELAY_S old, then write."""
        while True:
            with self._autosave_lock:
                if self._autosave_args is None:   # cancelled or flushed meanwhile
                    self._autosave_thread = None
                    return
                wait = self._autosave_due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
                continue
            with self._autosave_write_lock:
                with self._autosave_lock:
                    if self._autosave_args is not None and self._autosave_due > time.monotonic():
                        continue   # another change came while this thread waited for the lock
                    args, self._autosave_args = self._autosave_args, None
                    self._autosave_thread = None
                if args is not None:
                    self._write_autosave(*args)
            return

    def _write_autosave(self, plan, saved_as, session, shown_name, based_on) -> None:
        self.store.autosave(plan, saved_as, session, shown_name=shown_name, based_on=based_on)

    def _cancel_autosave(self) -> None:
        # The write lock: a write already under way lands before whatever the caller does next.
        with self._autosave_write_lock, self._autosave_lock:
            self._autosave_args = None   # the waiting thread finds nothing to write

    def flush_autosave(self) -> None:
        """Write a pending autosave now (tests, and before the kernel shuts down)."""
        with self._autosave_write_lock:
            with self._autosave_lock:
                args, self._autosave_args = self._autosave_args, None
            if args is not None:
                self._write_autosave(*args)

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
            self._say(_("Unsaved changes kept from an earlier visit to this page could not be read, so "
                        "they were put aside and are not offered. The plan is shown as it was opened."))
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
        self._say(_("Recovered the unsaved changes to “{name}”.").format(name=offer.name) if offer.name
                  else _("Recovered the unsaved changes to this plan."))

    # -- saving --------------------------------------------------------------------------------
    def _save(self, _button=None, replaces: str | None = None) -> Path | None:
        name = self._plan_name()
        if name is None:
            return None
        if self._is_example(name):
            self.name_field.show_error(_("That is the name of an example plan; type a name for this plan."))
            return None
        if self.state.error is not None:
            self._say(_("Not saved: fix this first — {problem}").format(problem=self.state.error.plain))
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
        self._say(_("Saved “{name}”.").format(name=self._saved_as))
        return saved.path

    def _ask(self, conflict: storage.SaveConflict) -> None:
        self._conflict = conflict
        if conflict.changed:
            text = _("“{name}” was changed and saved from another page since you opened it. Saving now "
                     "would replace those changes.").format(name=conflict.name)
        else:
            text = _("A saved plan called “{name}” already exists. Saving would replace it.").format(
                name=conflict.name)
        after = _("The version replaced is kept as a backup. What would you like to do?")
        self.question_text.value = f'<p role="alert"><strong>{escape(text)}</strong> {escape(after)}</p>'
        self.question.layout.display = ""
        self._say(_("Not saved yet: answer the question above."))

    def _save_anyway(self, _button=None) -> None:
        if self._conflict is not None:
            self._save(replaces=self._conflict.version)

    def _save_under_another_name(self, _button=None) -> None:
        name = self._conflict.name if self._conflict else (self._plan_name() or "Plan")
        self._cancel_question()
        free = next(f"{name} ({n})" for n in range(2, 10_000) if not self.store.exists(f"{name} ({n})"))
        self.name_field.control.value = free
        self._say(_("Not saved yet. A free name is filled in under Plan name (“{name}”); change it if "
                    "you like, then press Save.").format(name=free))

    def _cancel_save(self, _button=None) -> None:
        self._cancel_question()
        self._say(_("Not saved."))

    def _cancel_question(self) -> None:
        self._conflict = None
        self.question.layout.display = "none"

    # -- opening and revising ------------------------------------------------------------------
    def _open(self, _button=None) -> None:
        choice = self.open_choice.value or ""
        kind, _colon, name = choice.partition(":")
        # Only names from the lists shown are opened: never a path built from input.
        version = None
        if kind == "saved" and name in self.store.names():
            try:
                plan, version = self.store.open_with_version(name)
            except PlanError:
                self._say(_("Could not open “{name}”: its file is damaged, or was saved by a newer IWP "
                            "Planner. Nothing was changed here. Ask whoever looks after IWP Planner to "
                            "check that plan's file.").format(name=name))
                return
        elif kind == "example" and name in self.examples:
            plan = self._plan_class.example(name)
        else:
            self._say(_("Choose a plan from the list."))
            return
        self.flush_autosave()  # the edits so far stay recoverable with the plan they belong to
        self._cancel_question()
        self._saved_as, self._version = (name, version) if kind == "saved" else (None, None)
        self.name_field.control.value = name
        self.state.load(plan)
        self._baseline_iwp = plan.iwp
        self._say(_("Opened “{name}”.").format(name=name))
        self._offer_recovery()

    def new_plan(self, _button=None, today=None) -> None:
        """A blank plan (``frame.new_plan``): starts next month, 36 months, nothing typed. The
        plan before it stays recoverable; the new one has no name until the counselor types one."""
        from .frame import new_plan

        plan = new_plan(today)
        self.flush_autosave()
        self._cancel_question()
        self._saved_as, self._version = None, None
        self.name_field.control.value = ""
        self.state.load(plan)
        self._baseline_iwp = plan.iwp
        self._offer = None
        self.recover_button.layout.display = "none"
        self._say(_("A new plan from {month}, for {months} months. Nothing is typed yet: start with the "
                    "benefits, then type a plan name to save it.").format(month=month_words(plan.start),
                                                                          months=plan.months))

    def _revise(self, _button=None) -> None:
        reason = self.reason.control.value
        current = self.state.plan.iwp.to_dict()
        baseline = self._baseline_iwp.to_dict()
        changes = {k: v for k, v in current.items() if k not in ("version", "revisions") and v != baseline.get(k)}
        if not changes:
            self.reason.show_error(_("Nothing in the IWP changed since it was opened or saved, so there "
                                     "is nothing to revise."))
            return
        try:
            effective = self.effective_date.control.value
            revised = self.state.plan.replace(iwp=self._baseline_iwp).revise(
                changes, reason, effective.isoformat() if effective else None)
        except PlanError as exc:
            self.reason.show_error(exc.plain)
            return
        self.reason.show_error("")
        self.state.load(revised)
        self._baseline_iwp = revised.iwp
        self.reason.control.value = ""
        saved = self._save()
        count = len(changes)
        text = ngettext("Revised the IWP ({count} change): {reason}.",
                        "Revised the IWP ({count} changes): {reason}.", count).format(count=count, reason=reason)
        if not saved:
            text += " " + _("Not saved yet: answer the question above, or press Save.")
        self._say(text)

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
        elif kind == "en-worksheet.pdf":
            report.en_worksheet_pdf(plan, table, path)
            mime = "application/pdf"
        else:
            raise PlanError(f"export: must be csv, xlsx, html, pdf or en-worksheet.pdf, got {kind!r}")
        self.links.value = _download_link(path.read_bytes(), path.name, mime,
                                          _("Download {name}").format(name=path.name))
        self._say(_("Made {name}.").format(name=path.name))
        return path

    def _session_export_folder(self) -> Path:
        if self._export_folder is None or not self._export_folder.is_dir():
            self._export_folder = self.store.export_folder()
            # Runs when this bar is collected or the kernel exits normally.
            self.end_session = weakref.finalize(self, shutil.rmtree, self._export_folder, True)
        return self._export_folder

"""Editors bound to a PlanState: each control writes one plan field; no rule logic here."""

from __future__ import annotations

import re
from html import escape

import ipywidgets as w
import pandas as pd
import traitlets

from .. import earnings_path as ep
from ..errors import PlanError
from ..glossary import html_term
from ..words import N_, _, money, month_words
from .benefits import BenefitsSwitch, takes_ssdi, takes_ssi
from .controls import ErrorRouter, Field, css, html, row, shared
from .quiet import WhenQuiet
from .state import PlanState

MONTH_HINT = N_("year and month, e.g. 2025-06")
NO_RAMP = N_("no ramp")  # the goal month's first choice: no goal, the start's hours all along


def _months_text(value) -> str:
    return ", ".join(value or [])


def _parse_months(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _display(value):
    """A plan value as its control shows it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return _months_text(value)
    return value


def _plan_path(source: str) -> list:
    """``profile.earnings_before[0]`` -> ["profile", "earnings_before", 0] (PlanError's naming)."""
    path = []
    for part in source.split("."):
        name, _bracket, index = part.partition("[")
        path.append(name)
        if index:
            path.append(int(index.rstrip("]")))
    return path


def _optional(text: str):
    text = text.strip()
    return text or None


class _Editor(w.VBox):
    """Shared wiring: a field per plan path; errors routed to the field they name."""

    def __init__(self, state: PlanState, fields: dict[str, Field], children, css_name: str):
        self.state = state
        self.fields = fields
        self.router = ErrorRouter(fields)
        self._syncing = False
        self._shown = {}
        super().__init__(children)
        self.add_class(f"iwp-{css_name}")
        state.observe(self._on_error, "error")
        state.observe(self._on_load, "plan")

    def _on_load(self, change) -> None:
        if self.state.error is None:
            self.reload()

    def _on_error(self, change) -> None:
        self.router.show(change["new"], self.state.error_source)

    def _bind(self, source: str, convert=lambda v: v):
        """Write the control's value (converted) to the plan path ``source`` on each change."""
        path = _plan_path(source)

        def write(change):
            if self._syncing:
                return
            try:
                value = convert(change["new"])
            except PlanError as exc:
                self.router.show(exc, source)
                return
            self.state.set(path, value, source=source)

        self.fields[source].control.observe(write, "value")
        self._shown[source] = convert

    def reload(self, change=None) -> None:
        """Show the scenario's plan in the bound controls (after open, revise or recovery)."""
        for source, convert in self._shown.items():
            control = self.fields[source].control
            wanted = self.state.get(_plan_path(source))
            try:
                current = convert(control.value)
            except PlanError:
                current = None
            if current != wanted:
                self._syncing = True
                try:
                    control.value = _display(wanted)
                except traitlets.TraitError:
                    pass  # a per-month list the single-amount control cannot show; the plan keeps it
                finally:
                    self._syncing = False


class ProfileEditor(_Editor):
    """Who the plan is for and what SSA already knows, in the order a counselor asks: benefits and
    amounts; SSI now and the months before the plan; state and state supplement; other income;
    student and birth month; blind; the work-incentive history from the BPQY; the Ticket.

    A change that would leave the plan contradicting itself is made in one edit with what it
    clears (``BenefitsSwitch``), or waits for the one entry it needs (an SSDI amount, a birth
    month), so the plan stays valid and the charts keep drawing it.
    """

    def __init__(self, state: PlanState):
        from ..plan import STATES

        p = state.draft["profile"]
        f = {}
        def field(kind, source: str, name: str, hint: str = "", **control) -> None:
            f[source] = Field(shared(kind, **control), name, hint)

        def month(source: str, name: str, words: str, hint: str = "") -> None:
            field(w.Text, source, name, hint, value=p[source.split(".")[1]] or "", description=words,
                  placeholder=_(MONTH_HINT), continuous_update=False)

        # The name is the IWP's (the form signed with it): typed here or there, shown in both.
        field(w.Text, "iwp.beneficiary_name", "profile-name", value=state.draft["iwp"]["beneficiary_name"],
              description=_("Plan is for (name)"), continuous_update=False)
        field(w.Dropdown, "profile.benefits", "benefits", value=p["benefits"], description=_("Benefits"),
              options=[(_("SSDI only"), "ssdi"), (_("SSI only"), "ssi"), (_("SSDI and SSI"), "concurrent")])
        field(w.FloatText, "profile.ssdi_monthly", "ssdi-monthly", value=p["ssdi_monthly"], step=10,
              description=_("SSDI check ($ a month)"))
        field(w.Dropdown, "profile.ssi_unit", "ssi-unit", value=p["ssi_unit"], description=_("SSI for"),
              options=[(_("Individual"), "individual"), (_("Couple"), "couple")])
        # SSI pays the plan's first two months from the income of the months before it
        # (20 CFR 416.420), so a counselor asks about them.
        field(w.Checkbox, "profile.ssi_eligible_before", "ssi-now",
              _("SSI was paid in the months just before the plan starts."),
              value=p["ssi_eligible_before"], description=_("Getting SSI now"), indent=False)
        month("profile.ssi_since", "ssi-since", _("Getting SSI since"),
              _("Leave empty if SSI has been paid for two months or more."))
        before = p.get("earnings_before") or [0.0, 0.0]
        field(w.FloatText, "profile.earnings_before[0]", "earnings-before-2", value=before[0], step=10,
              description=_("Pay two months before the plan ($)"))
        field(w.FloatText, "profile.earnings_before[1]", "earnings-before-1",
              _("SSI for the plan's first two months is figured from these months' income."),
              value=before[1], step=10, description=_("Pay the month before the plan ($)"))
        unearned_before = p.get("unearned_before") or [None, None]
        for i, words in enumerate((_("Other income two months before the plan ($)"),
                                   _("Other income the month before the plan ($)"))):
            field(w.Text, f"profile.unearned_before[{i}]", f"unearned-before-{2 - i}",
                  value=_amount_text(unearned_before[i]), description=words, placeholder=_("same as now"),
                  continuous_update=False)
        field(w.Dropdown, "profile.state", "state", options=list(STATES), value=p["state"], description=_("State"))
        field(w.FloatText, "profile.state_supplement", "state-supplement",
              _("The state's own payment added to SSI; 0 if none."),
              value=p.get("state_supplement", 0.0), step=10, description=_("State supplement to SSI ($ a month)"))
        field(w.FloatText, "profile.unearned_income", "unearned-income",
              _("For example child support, a pension or unemployment pay."),
              value=p.get("unearned_income", 0.0), step=10, description=_("Other income, not from work ($ a month)"))
        field(w.Checkbox, "profile.student", "student", value=p["student"],
              description=_("Student (regularly in school)"), indent=False)
        month("profile.birth_month", "birth-month", _("Birth month"),
              _("Needed for students (the student exclusion depends on age)."))
        field(w.Checkbox, "profile.blind", "blind", value=p["blind"], description=_("Blind (statutory blindness)"),
              indent=False)
        field(w.Checkbox, "profile.self_employed", "self-employed",
              _("Trial work months then also count hours worked."),
              value=p["self_employed"], description=_("Self-employed"), indent=False)
        field(w.Text, "profile.twp_months_used", "twp-months-used",
              _("As listed on the Benefits Planning Query (BPQY), separated by commas."),
              value=_months_text(p["twp_months_used"]), description=_("Trial work months already used"),
              placeholder="2024-11, 2024-12", continuous_update=False)
        month("profile.twp_completed", "twp-completed", _("Trial work period ended in"))
        month("profile.ssdi_cessation_month", "cessation", _("Cessation month (if SSA found one)"))
        month("profile.ticket_assigned", "ticket-assigned", _("Ticket assigned in"),
              _("Leave empty if the Ticket is not assigned yet."))
        history = html("<h4>" + escape(_("Work-incentive history (from the {bpqy})")).format(
            bpqy=html_term("BPQY", "BPQY")) + "</h4>")
        # The notes saying what a change cleared, or what it waits for: under the control changed.
        self.benefits_note = css(w.HTML(""), "benefits-note")
        self.student_note = css(w.HTML(""), "student-note")
        self.ssi_before = w.VBox([html("<h4>" + escape(_("SSI now and the months before the plan")) + "</h4>"),
                                  row(f["profile.ssi_eligible_before"], f["profile.ssi_since"]),
                                  row(f["profile.earnings_before[0]"], f["profile.earnings_before[1]"]),
                                  row(f["profile.unearned_before[0]"], f["profile.unearned_before[1]"])])
        self.twp_row = w.HBox([f["profile.twp_months_used"], f["profile.twp_completed"]])
        children = [html("<h3>" + escape(_("About the beneficiary")) + "</h3>"),
                    row(f["iwp.beneficiary_name"]),  # in a row: a lone field would stretch across the page
                    row(f["profile.benefits"], f["profile.ssdi_monthly"], f["profile.ssi_unit"]),
                    self.benefits_note,
                    self.ssi_before,
                    row(f["profile.state"], f["profile.state_supplement"]),
                    row(f["profile.unearned_income"]),
                    row(f["profile.student"], f["profile.birth_month"]),
                    self.student_note,
                    row(f["profile.blind"], f["profile.self_employed"]),
                    history,
                    self.twp_row,
                    row(f["profile.ssdi_cessation_month"], f["profile.ticket_assigned"])]
        # What only SSDI or only SSI uses: hidden (and so out of the tab order) when the chosen
        # benefits do not include that program. Each gets a layout of its own to hide.
        self.ssdi_only = [f["profile.ssdi_monthly"], self.twp_row, f["profile.ssdi_cessation_month"]]
        self.ssi_only = [f["profile.ssi_unit"], self.ssi_before, f["profile.state_supplement"]]
        for box in (f["profile.ssdi_monthly"], f["profile.ssdi_cessation_month"], f["profile.ssi_unit"],
                    f["profile.state_supplement"]):
            box.layout = w.Layout()
        self._pending: str | None = None   # benefits chosen but waiting for an SSDI amount
        self._student_pending = False       # student ticked but waiting for the birth month
        super().__init__(state, f, children, "profile")
        self.switch = BenefitsSwitch()
        self.switch.remember_amount(p["ssdi_monthly"])
        for source in ("iwp.beneficiary_name", "profile.ssi_unit", "profile.state", "profile.state_supplement",
                       "profile.unearned_income", "profile.self_employed",
                       "profile.earnings_before[0]", "profile.earnings_before[1]"):
            self._bind(source)
        for source in ("profile.twp_completed", "profile.ssdi_cessation_month",
                       "profile.ticket_assigned", "profile.ssi_since"):
            self._bind(source, _optional)
        self._bind("profile.twp_months_used", _parse_months)
        for source, write in (("profile.benefits", self._choose_benefits),
                              ("profile.ssdi_monthly", self._type_ssdi_amount),
                              ("profile.blind", self._toggle_blind),
                              ("profile.ssi_eligible_before", self._toggle_ssi_now),
                              ("profile.student", self._toggle_student),
                              ("profile.birth_month", self._type_birth_month),
                              ("profile.unearned_before[0]", self._type_unearned_before),
                              ("profile.unearned_before[1]", self._type_unearned_before)):
            f[source].control.observe(write, "value")
        for source in ("profile.benefits", "profile.ssdi_monthly", "profile.blind", "profile.ssi_eligible_before",
                       "profile.student"):
            self._shown[source] = lambda v: v
        self._shown["profile.birth_month"] = _optional
        state.observe(self._new_plan, "opened")
        self._show_programs()

    # -- switching benefits ------------------------------------------------------------------
    def _choose_benefits(self, change) -> None:
        """One edit: the new benefits, what they cannot hold cleared (and kept), kept values back.
        With no SSDI amount known the plan keeps its benefits until one is typed."""
        if self._syncing:
            return
        chosen, current = change["new"], self.state.get(["profile", "benefits"])
        self._pending = None
        if chosen == current:
            self.benefits_note.value = ""
        elif self.switch.needs_amount(self.state.draft, chosen):
            self._pending = chosen
            self._say(self.switch.amount_request(chosen, current))
        else:
            self._switch_to(chosen)
        self._show_programs()

    def _type_ssdi_amount(self, change) -> None:
        if self._syncing:
            return
        amount = change["new"]
        if self._pending is None:
            self.switch.remember_amount(amount)
            self.state.set(["profile", "ssdi_monthly"], amount, source="profile.ssdi_monthly")
        elif isinstance(amount, (int, float)) and amount > 0:
            self.fields["profile.ssdi_monthly"].show_error("")
            self._switch_to(self._pending, amount)
            self._pending = None
            self._show_programs()
        else:
            self.fields["profile.ssdi_monthly"].show_error(_("Type the SSDI check amount: more than $0 a month."))

    def _switch_to(self, benefits: str, amount: float | None = None) -> None:
        notes = []
        self.state.edit(lambda draft: notes.append(self.switch.apply(draft, benefits, amount)),
                        "profile.benefits")
        self._say(notes[0])

    def _toggle(self, flag: str, value: bool, lead: str) -> None:
        """Set a yes/no fact and, in the same edit, clear what it rules out (kept for the session)
        or bring back what it allows again; the note says which."""
        notes = []

        def change(draft):
            draft["profile"][flag] = value
            notes.append(self.switch.apply(draft, draft["profile"]["benefits"], lead=lead))

        self.state.edit(change, f"profile.{flag}")
        if notes[0]:
            self._say(notes[0])
        self.reload()

    def _toggle_blind(self, change) -> None:
        if not self._syncing:
            self._toggle("blind", change["new"], _("Marked blind") if change["new"] else _("Marked not blind"))

    def _toggle_ssi_now(self, change) -> None:
        if not self._syncing:
            self._toggle("ssi_eligible_before", change["new"],
                         _("Getting SSI now") if change["new"] else _("Not getting SSI now"))

    # -- student and birth month --------------------------------------------------------------
    def _toggle_student(self, change) -> None:
        """A student needs a birth month (the exclusion depends on age): until one is typed the
        box stays ticked, the plan stays without the exclusion and a sentence asks for it."""
        if self._syncing:
            return
        self._student_pending = False
        self.student_note.value = ""
        if change["new"] and _optional(self.fields["profile.birth_month"].control.value) is None:
            self._student_pending = True
            self.student_note.value = _note(_("To count the student exclusion, type the birth month; until "
                                              "then the plan counts no student exclusion."))
            return
        self.state.set(["profile", "student"], change["new"], source="profile.student")

    def _type_birth_month(self, change) -> None:
        if self._syncing:
            return
        month = _optional(change["new"])
        if self._student_pending and month is not None:
            def both(draft):
                draft["profile"]["birth_month"] = month
                draft["profile"]["student"] = True
            if self.state.edit(both, "profile.birth_month"):
                self._student_pending = False
                self.student_note.value = ""
            return
        self.state.set(["profile", "birth_month"], month, source="profile.birth_month")

    # -- other income before the plan ----------------------------------------------------------
    def _type_unearned_before(self, change) -> None:
        """Both months empty: the same as now (None); one empty: that month is as now."""
        if self._syncing:
            return
        texts = [self.fields[f"profile.unearned_before[{i}]"].control.value.strip() for i in range(2)]
        value = None
        if any(texts):
            now = self.state.get(["profile", "unearned_income"], 0.0)
            try:
                value = [float(text.replace("$", "").replace(",", "")) if text else now for text in texts]
            except ValueError:
                self.router.show(PlanError(_("Type an amount in dollars, like 120 or 120.50, or leave it "
                                             "empty for the same as now."), field="profile.unearned_before"),
                                 "profile.unearned_before[0]")
                return
        self.state.set(["profile", "unearned_before"], value, source="profile.unearned_before[0]")

    def _say(self, text: str) -> None:
        self.benefits_note.value = _note(text)

    def _new_plan(self, change=None) -> None:
        """Another plan: nothing of the last one is restored into it, nothing is pending."""
        self.switch.forget()
        self.switch.remember_amount(self.state.get(["profile", "ssdi_monthly"]))
        self._pending = None
        self._student_pending = False
        self.benefits_note.value = self.student_note.value = ""
        self.reload()

    def reload(self, change=None) -> None:
        super().reload(change)
        self._syncing = True
        try:
            shown = self.state.get(["profile", "unearned_before"]) or [None, None]
            for i in range(2):
                control = self.fields[f"profile.unearned_before[{i}]"].control
                try:
                    typed = float(control.value.replace("$", "").replace(",", "")) if control.value.strip() else None
                except ValueError:
                    typed = "?"
                now = self.state.get(["profile", "unearned_income"])
                if typed != shown[i] and not (typed is None and shown[i] == now):
                    control.value = _amount_text(shown[i])
            if self._pending is not None:  # still waiting for the SSDI amount: keep showing the choice
                self.fields["profile.benefits"].control.value = self._pending
            if self._student_pending:  # still waiting for the birth month: keep the box ticked
                self.fields["profile.student"].control.value = True
        finally:
            self._syncing = False
        if hasattr(self, "switch"):
            self._show_programs()

    def _show_programs(self) -> None:
        chosen = self.fields["profile.benefits"].control.value
        for boxes, shown in ((self.ssdi_only, takes_ssdi(chosen)), (self.ssi_only, takes_ssi(chosen))):
            for box in boxes:
                box.layout.display = "" if shown else "none"


def _amount_text(value) -> str:
    return "" if value is None else f"{value:g}"


def _note(text: str) -> str:
    # Not styled as an error (.iwp-note is red): nothing is wrong, the plan is valid.
    return f'<p role="status">{escape(text)}</p>' if text else ""


class OptionsEditor(_Editor):
    """How SSI counts income and how the Employment Network is paid: choices the engine uses,
    in words (docs/ticket.md and docs/engine.md say what each choice does)."""

    def __init__(self, state: PlanState):
        o = state.draft.get("options") or {}
        from ..plan import OPTION_DEFAULTS

        o = {**OPTION_DEFAULTS, **o}
        choices = {
            "ssi_accounting": (_("SSI counts income from"), [
                (_("two months earlier (as SSA does)"), "retrospective"),
                (_("the same month (a simpler estimate)"), "same_month")]),
            "en_payment_system": (_("The EN is paid by"), [
                (_("milestones and outcomes"), "milestone_outcome"), (_("outcomes only"), "outcome_only")]),
            "p1m1_rule": (_("First milestone: pay of at least"), [
                (_("the TWL (SSA's EN pages)"), "en_guidance"), (_("half the TWL (the regulation)"), "regulation")]),
            "p1m4_rule": (_("Fourth milestone: 9 months"), [
                (_("in any 18 months (the regulation)"), "regulation"),
                (_("in an 18-month window still open when services end"), "common_window")]),
            "phase2_blind_rule": (_("Phase 2 for a blind person uses"), [
                (_("the non-blind SGA (the regulation)"), "regulation"),
                (_("the blind SGA (SSA's EN pages)"), "en_guidance")]),
        }
        f = {f"options.{key}": Field(shared(w.Dropdown, options=options, value=o[key], description=words),
                                     "option-" + key.replace("_", "-"))
             for key, (words, options) in choices.items()}
        children = [html("<h4>" + escape(_("How SSI counts income and how the EN is paid")) + "</h4>"),
                    row(*list(f.values())[:2]), row(*list(f.values())[2:])]
        super().__init__(state, f, children, "options")
        for source in f:
            self._bind(source)


class ExpensesEditor(_Editor):
    """IRWE, BWE, subsidy and PASS: a monthly amount each. Only the ones the plan's programs use
    are shown (a PASS is SSI's, a subsidy counts for SSDI's earnings test, blind work expenses are
    for someone who is blind); one with an amount is always shown, so nothing hidden counts."""

    LABELS = {"irwe": ("IRWE", "Disability work costs (IRWE) $ a month"),
              "bwe": ("BWE", "Blind work costs (BWE) $ a month"),
              "subsidy": ("Subsidy", "Job supports worth (subsidy) $ a month"),
              "pass": ("PASS", "Set aside under a PASS $ a month")}

    def __init__(self, state: PlanState, scenario: str = ""):
        # A second editor (scenario "b") gets its own class names, so each control is found once.
        suffix = f"-{scenario}" if scenario else ""
        f = {}
        for key, (term, label) in self.LABELS.items():
            value = state.draft["work_expenses"][key]
            per_month = not isinstance(value, (int, float))
            shown = value[0] if per_month and value else (0.0 if per_month else value)
            hint = html_term(term)
            if per_month:
                hint += " Differs by month in this plan (first month shown); a new amount applies to every month."
            field = Field(shared(w.FloatText, value=float(shown), description=label, step=10), key + suffix, hint)
            field.layout = w.Layout()   # its own layout: it is shown or hidden on its own
            f[f"work_expenses.{key}"] = field
        children = [html("<h3>Work expenses and supports</h3>"), row(*f.values())]
        super().__init__(state, f, children, "expenses" + suffix)
        for source in f:
            self._bind(source)
        state.observe(self._show_what_applies, "plan")
        self._show_what_applies()

    @staticmethod
    def applies(key: str, profile) -> bool:
        """Whether the plan's programs use this kind of expense (the profile rules' table)."""
        takes_ssi, takes_ssdi = profile.benefits != "ssdi", profile.benefits != "ssi"
        return {"irwe": not (profile.blind and not takes_ssdi), "bwe": profile.blind,
                "subsidy": takes_ssdi, "pass": takes_ssi}[key]

    def _show_what_applies(self, change=None) -> None:
        plan = self.state.plan
        for source, field in self.fields.items():
            key = source.rsplit(".", 1)[1]
            used = any(v > 0 for v in plan.work_expenses.monthly(key, plan.months))
            field.layout.display = "" if used or self.applies(key, plan.profile) else "none"


_STEP = re.compile(r"^\s*(\d+)\s*:\s*([0-9.]+)\s*(?:@\s*\$?([0-9.]+))?\s*$")
_BREAK = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


def parse_step_ups(text: str, wage: float) -> tuple[ep.StepUp, ...]:
    """``"6: 30, 12: 40 @ 16"`` → step-ups in month 6 (30 h/week) and 12 (40 h/week at $16)."""
    steps = []
    for i, part in enumerate(p for p in text.split(",") if p.strip()):
        match = _STEP.match(part)
        if not match:
            raise PlanError(f"step_ups[{i}]: write month: hours a week, like 6: 30 or 6: 30 @ 16, got {part.strip()!r}")
        month, hours, new_wage = match.groups()
        steps.append(ep.StepUp(int(month), float(hours), float(new_wage) if new_wage else wage))
    return tuple(steps)


def parse_breaks(text: str) -> tuple[ep.Break, ...]:
    """``"8-9, 14"`` → months 8 and 9, and month 14, off work."""
    breaks = []
    for i, part in enumerate(p for p in text.split(",") if p.strip()):
        match = _BREAK.match(part)
        if not match:
            raise PlanError(f"breaks[{i}]: write a month number or a range like 8-9, got {part.strip()!r}")
        first, last = match.groups()
        breaks.append(ep.Break(int(first), int(last if last is not None else first)))
    return tuple(breaks)


def format_step_ups(steps, wage: float) -> str:
    return ", ".join(f"{s.month}: {s.hours_per_week:g}" + ("" if s.hourly_wage == wage else f" @ {s.hourly_wage:.10g}")
                     for s in steps)


def format_breaks(breaks) -> str:
    return ", ".join(str(b.first) if b.first == b.last else f"{b.first}-{b.last}" for b in breaks)


def path_for_plan(plan, wage: float) -> ep.EarningsPath:
    """The path the plan was drawn with, if it has one that still gives its earnings; otherwise
    a fit to the earnings (older files, other editors, a hand-edited file). Either way the
    editor shows exactly the plan's earnings: the earnings are the truth."""
    stored = plan.earnings_path
    if stored is not None and stored.earnings() == list(plan.earnings):
        return stored
    return ep.fit(plan.earnings, wage)


def preset_name(path: ep.EarningsPath) -> str | None:
    """The preset this path is, unchanged (at its own months and pay), or None."""
    return next((name for name in ep.PRESETS
                 if ep.preset(name, months=path.months, wage=path.start_wage) == path), None)


class EarningsPathEditor(_Editor):
    """Hours × hourly wage with a ramp, breaks, presets and hand edits → the plan's earnings.

    Every change writes the path with the earnings (``Plan.earnings_path``), so a saved,
    autosaved or copied plan reopens with the same controls; see :func:`path_for_plan`.

    Under the controls, the path in plain lines (``earnings_path.summary_lines``): what the chart
    draws, month words and dollars. The compact editor (goal setting) shows only the start and the
    goal, so those controls are the whole path there: changing one replaces any step-ups, months
    off or hand-typed months the plan had, which the lines list (with a note) until then.
    """

    # With no goal set, the goal's controls show the start's hours and pay, and follow them.
    GOAL_FOLLOWS = {"path.start_hours": "path.target_hours", "path.start_wage": "path.target_wage"}
    AS_IN_PLAN = N_("(as in the plan)")  # the preset choice's value; its label goes through _()

    path = traitlets.Instance(ep.EarningsPath)

    def __init__(self, state: PlanState, wage: float = 15.0, compact: bool = False, name: str = "path"):
        plan = state.plan
        self.compact = compact
        month_options = self._label_months(plan)
        self.path = path_for_plan(plan, wage)
        path = self.path
        f = {}
        f["path.preset"] = Field(shared(w.Dropdown, options=[(_(name), name) for name in [self.AS_IN_PLAN, *ep.PRESETS]],
                                            value=preset_name(path) or self.AS_IN_PLAN, description=_("Start from")),
                                 "preset")
        f["path.start_month"] = Field(shared(w.SelectionSlider, options=month_options, value=path.start_month,
                                                        description=_("Work starts"), continuous_update=True),
                                      "start-month")
        f["path.start_hours"] = Field(shared(w.FloatSlider, value=min(path.start_hours, 80), min=0, max=80, step=1,
                                                    description=_("Hours a week"), continuous_update=True),
                                      "start-hours")
        f["path.start_wage"] = Field(shared(w.FloatText, value=path.start_wage, description=_("Pay per hour ($)"),
                                            step=0.25),
                                     "start-wage")
        f["path.target_month"] = Field(shared(w.SelectionSlider, options=[(_(NO_RAMP), -1)] + month_options,
                                                         value=-1 if path.target_month is None else path.target_month,
                                                         description=_("Reach the goal in")), "target-month")
        f["path.target_hours"] = Field(shared(w.FloatSlider, value=min(path.goal_hours, 80), min=0, max=80, step=1,
                                                     description=_("Goal: hours a week")), "target-hours")
        f["path.target_wage"] = Field(shared(w.FloatText, value=path.goal_wage,
                                                  description=_("Goal: pay per hour ($)"), step=0.25), "target-wage")
        self.summary = css(html(), "earnings-lines")
        # Like the other views around the chart: redrawn once a drag or held key rests.
        self._summary_later = WhenQuiet(lambda _change: self._show_summary())
        main = [row(f["path.preset"], f["path.start_wage"]),
                row(f["path.start_month"], f["path.start_hours"]),
                row(f["path.target_month"], f["path.target_hours"], f["path.target_wage"])]
        if not compact:
            # The compact editor never shows these, so it does not build them (each control is
            # models the browser creates before the app shows).
            main += self._build_full_controls(f, path, month_options)
        super().__init__(state, f, [html(f"<h3>{escape(_('Earnings path'))}</h3>")] + main + [self.summary], "earnings-path")
        self.add_class(f"iwp-{name}")
        for source in ("path.start_month", "path.start_hours", "path.start_wage", "path.target_month",
                       "path.target_hours", "path.target_wage", "path.ramp", "path.step_ups", "path.breaks"):
            if source in f:
                f[source].control.observe(self._on_control, "value")
        f["path.preset"].control.observe(self._on_preset, "value")
        state.observe(self._follow_frame, "plan")
        self._show_month_amount()
        self._show_edits()
        self._summary_later.flush()  # in a kernel: the first lines come with the page, not 0.15 s later

    def _build_full_controls(self, f: dict, path: ep.EarningsPath, month_options) -> list[w.Widget]:
        """Ramp, step-ups, months off and hand edits: the full editor's rows under start and goal."""
        f["path.ramp"] = Field(shared(w.ToggleButtons, options=[(_("Jump at each step"), "steps"),
                                                        (_("Climb a little each month"), "linear")],
                                               value=path.ramp, description=_("Ramp")), "ramp")
        f["path.step_ups"] = Field(shared(w.Text, value=format_step_ups(path.step_ups, path.start_wage),
                                          description=_("Step-ups (month: hours)"), placeholder="6: 30, 12: 40 @ 16",
                                          continuous_update=False), "step-ups",
                                   escape(_("Month number: new hours a week, optionally @ new pay per hour.")))
        f["path.breaks"] = Field(shared(w.Text, value=format_breaks(path.breaks), description=_("Months off work"),
                                        placeholder="8-9, 14", continuous_update=False), "breaks")
        self.edit_month = css(shared(w.Dropdown, options=month_options, description=_("Change one month")), "edit-month")
        self.edit_month.style.description_width = "initial"
        f["path.edits"] = Field(shared(w.FloatText, value=0.0, description=_("Pay that month ($)"), step=50),
                                       "edit-amount")
        self.set_edit = css(shared(w.Button, description=_("Set month"), tooltip=_("Use this pay for the chosen month")),
                            "edit-set")
        self.clear_edit = css(shared(w.Button, description=_("Undo month"),
                                     tooltip=_("Go back to hours × pay for that month")),
                              "edit-clear")
        self.edits_table = css(html(), "edits-table")
        self.set_edit.on_click(self._set_edit)
        self.clear_edit.on_click(self._clear_edit)
        self.edit_month.observe(self._show_month_amount, "value")
        return [f["path.ramp"], row(f["path.step_ups"], f["path.breaks"]),
                row(self.edit_month, f["path.edits"], self.set_edit, self.clear_edit), self.edits_table]

    # -- the plan's months ---------------------------------------------------------------------
    def _label_months(self, plan) -> list[tuple[str, int]]:
        """The plan's months as the month controls offer them: "February 2026 (month 1)", the
        value the month's number (counted from 0, as step-ups and months off are typed)."""
        self.frame = (plan.start, plan.months)
        self.month_labels = [month_words(m) for m in pd.period_range(plan.start, periods=plan.months, freq="M")]
        return [(_("{month} (month {number})").format(month=label, number=i), i)
                for i, label in enumerate(self.month_labels)]

    def _relabel(self, plan) -> None:
        """Offer the months of ``plan`` (a new start or length) in the month controls."""
        options = self._label_months(plan)
        self._syncing = True
        try:
            for control, extra in ((self.fields["path.start_month"].control, []),
                                   (self.fields["path.target_month"].control, [(_(NO_RAMP), -1)]),
                                   (None if self.compact else self.edit_month, [])):
                if control is not None:
                    control.options = extra + options
        finally:
            self._syncing = False

    def _follow_frame(self, change) -> None:
        # Before the apps' own reload: the month controls must offer the new months first.
        plan = change["new"]
        if plan is not None and (plan.start, plan.months) != self.frame:
            self.load_plan()

    # -- path -> plan ------------------------------------------------------------------------
    def _apply(self, path: ep.EarningsPath, source: str) -> None:
        self.path = path
        self.router.show(None)
        self._show_edits()
        self._syncing = True
        try:  # the preset's name only while the path is still exactly that preset
            self.fields["path.preset"].control.value = preset_name(path) or self.AS_IN_PLAN
        finally:
            self._syncing = False
        plan = self.state.plan
        if plan is not None and (plan.profile.self_employed or plan.hours is not None):
            # Hours matter for self-employment trial work months: keep them with the earnings.
            earnings, hours, stored = path.earnings(), path.hours(), path.to_dict()
            self.state.edit(lambda draft: draft.update(earnings=earnings, hours=hours, earnings_path=stored), source)
        else:
            self.state.set_earnings(path.earnings(), path=path, source=source)

    def _path_from_controls(self) -> ep.EarningsPath:
        f = self.fields
        wage = f["path.start_wage"].control.value
        target = f["path.target_month"].control.value
        if self.compact:
            # The compact controls are the whole path: nothing hidden keeps drawing the earnings.
            return ep.EarningsPath(
                months=self.path.months, start_month=f["path.start_month"].control.value,
                start_hours=float(f["path.start_hours"].control.value), start_wage=wage,
                target_month=None if target == -1 else target,
                target_hours=None if target == -1 else float(f["path.target_hours"].control.value),
                target_wage=None if target == -1 else f["path.target_wage"].control.value)
        return self.path.with_changes(
            start_month=f["path.start_month"].control.value,
            start_hours=float(f["path.start_hours"].control.value),
            start_wage=wage,
            target_month=None if target == -1 else target,
            target_hours=None if target == -1 else float(f["path.target_hours"].control.value),
            target_wage=None if target == -1 else f["path.target_wage"].control.value,
            ramp=f["path.ramp"].control.value,
            step_ups=parse_step_ups(f["path.step_ups"].control.value, wage),
            breaks=parse_breaks(f["path.breaks"].control.value),
        )

    def _on_control(self, change) -> None:
        # Recompute at once: while the kernel is busy, ipywidgets' front end holds a dragged
        # slider's values and sends only the latest (measured: 40 drag steps, 14 redraws).
        if self._syncing:
            return
        source = next(s for s, fld in self.fields.items() if fld.control is change["owner"])
        follower = self.GOAL_FOLLOWS.get(source)
        if follower and self.fields["path.target_month"].control.value == -1:
            self._syncing = True  # shown, not applied
            try:
                self.fields[follower].control.value = change["new"]
            finally:
                self._syncing = False
        try:
            path = self._path_from_controls()
        except PlanError as exc:
            field = getattr(exc, "field", "")
            self.router.show(exc, "path." + field.split("[")[0] if field else source)
            return
        self._apply(path, source)

    def _on_preset(self, change) -> None:
        if self._syncing or change["new"] not in ep.PRESETS:
            return
        path = ep.preset(change["new"], months=self.path.months,
                         wage=self.fields["path.start_wage"].control.value or 15.0)
        self.show_path(path)
        self._apply(path, "path.preset")

    def show_path(self, path: ep.EarningsPath) -> None:
        """Set the controls to ``path`` without writing back to the plan on each one."""
        f = self.fields
        self._syncing = True
        try:
            f["path.start_month"].control.value = path.start_month
            f["path.start_hours"].control.value = min(path.start_hours, 80)
            f["path.start_wage"].control.value = path.start_wage
            f["path.target_month"].control.value = -1 if path.target_month is None else path.target_month
            # With no goal set, the goal's hours and pay show the start's, never a plan-before's leftover.
            f["path.target_hours"].control.value = min(path.goal_hours, 80)
            f["path.target_wage"].control.value = path.goal_wage
            if not self.compact:
                f["path.ramp"].control.value = path.ramp
                f["path.step_ups"].control.value = format_step_ups(path.step_ups, path.start_wage)
                f["path.breaks"].control.value = format_breaks(path.breaks)
        finally:
            self._syncing = False

    # -- hand edits --------------------------------------------------------------------------
    def _show_month_amount(self, change=None) -> None:
        if self.compact:
            return
        earnings = self.path.earnings()
        self._syncing = True
        self.fields["path.edits"].control.value = earnings[self.edit_month.value]
        self._syncing = False

    def _set_edit(self, _button=None) -> None:
        month = self.edit_month.value
        try:
            path = self.path.with_edit(month, self.fields["path.edits"].control.value)
        except PlanError as exc:
            self.router.show(exc, "path.edits")
            return
        self._apply(path, "path.edits")

    def _clear_edit(self, _button=None) -> None:
        self._apply(self.path.with_edit(self.edit_month.value, None), "path.edits")
        self._show_month_amount()

    def hidden_parts(self) -> list[str]:
        """What the path holds that the compact controls do not show, in words."""
        if not self.compact:
            return []
        path = self.path
        return [_(words) for words, present in ((N_("step-ups"), path.step_ups), (N_("months off work"), path.breaks),
                                                (N_("months typed by hand"), path.edits),
                                                (N_("a climb a little each month"), path.ramp == "linear")) if present]

    def _show_edits(self) -> None:
        self._summary_later()
        if self.compact:
            return  # no table of hand-typed months: the lines below list them
        if not self.path.edits:
            self.edits_table.value = ""  # the lines below say which months were typed by hand
            return
        rows = "".join(f'<tr><th scope="row">{escape(self.month_labels[m])}</th><td>{escape(money(v))}</td></tr>'
                       for m, v in sorted(self.path.edits.items()))
        self.edits_table.value = (f'<table class="iwp-data-table"><caption>{escape(_("Months changed by hand"))}'
                                  f'</caption><thead><tr><th scope="col">{escape(_("Month"))}</th>'
                                  f'<th scope="col">{escape(_("Pay"))}</th></tr></thead><tbody>{rows}</tbody></table>')

    def _show_summary(self) -> None:
        lines = ep.summary_lines(self.path, self.frame[0])
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        hidden = self.hidden_parts()
        note = ""
        if hidden:
            note = ('<p class="iwp-hint iwp-earnings-hidden">' + escape(_(
                "This plan also has {parts}, listed above. Changing a control here replaces them with the start "
                "and goal shown; the earnings projection app edits them.").format(parts=", ".join(hidden))) + "</p>")
        # Tight margins: the lines sit between the controls and the chart the counselor watches.
        self.summary.value = (f'<div role="group" aria-label="{escape(_("The earnings drawn, in words"))}" '
                              'style="line-height:1.4"><p style="margin:0.2em 0 0"><strong>'
                              f'{escape(_("The earnings drawn"))}</strong></p>'
                              f'<ul style="margin:0 0 0.2em;padding-left:1.4em">{items}</ul>{note}</div>')

    def shows(self, plan) -> bool:
        """True if the controls already show this plan's earnings and stored path (the plan came
        from this editor, or only other fields changed)."""
        if plan.earnings != tuple(self.path.earnings()):
            return False
        return plan.earnings_path is None or plan.earnings_path == self.path

    def load_plan(self) -> None:
        """Show the scenario's plan after it was opened, recovered or copied: its stored path if
        that gives its earnings, else a fit to them. Writes nothing: opening never changes a plan."""
        if (self.state.plan.start, self.state.plan.months) != self.frame:
            self._relabel(self.state.plan)
        self.path = path_for_plan(self.state.plan, self.fields["path.start_wage"].control.value or 15.0)
        self.show_path(self.path)
        self._syncing = True
        try:
            self.fields["path.preset"].control.value = preset_name(self.path) or self.AS_IN_PLAN
        finally:
            self._syncing = False
        self._show_edits()
        self._show_month_amount()

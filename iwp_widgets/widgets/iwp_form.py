"""The Individual Work Plan form: goals, services and supports, responsibilities, signatures.

Every change is checked by the Ticket layer's ``IWP.from_dict`` before it reaches the plan, so a
bad entry shows its message next to its field and nothing else changes.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..errors import PlanError, shown
from ..glossary import html_term
from ..words import _, month_words
from .controls import Disclosure, ErrorRouter, Field, css, html, look, row, shared
from .state import PlanState


def _sentence_field(**kwargs) -> w.Text:
    """A text field for a sentence (the goal, the P&A contact) that stands on its own line: as
    wide as a line of reading, never wider than the page. Its layout is its own (alone in a
    column, the shared one would stretch it across the page, and it must never be resized)."""
    return w.Text(layout=w.Layout(width="44em", max_width="100%"), style=look(w.Text)["style"], **kwargs)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class IWPForm(w.VBox):
    def __init__(self, state: PlanState, heading: bool = True):
        from ..ticket import SERVICE_KINDS

        self.state = state
        self._syncing = False
        self._services_shown = None   # the service list the rows below show
        iwp = state.plan.iwp.to_dict()
        self._iwp_shown = iwp         # the IWP the fields show: a plan change elsewhere skips the form
        sig = iwp["signatures"]
        f = {
            "iwp.employment_goal": Field(_sentence_field(value=iwp["employment_goal"], description=_("Employment goal"),
                                                         placeholder=_("e.g. Pharmacy technician"),
                                                         continuous_update=False), "employment-goal"),
            "iwp.short_term_goals": Field(shared(w.Textarea, value="\n".join(iwp["short_term_goals"]),
                                                     description=_("Short-term goals (one a line)"),
                                                     continuous_update=False), "short-term-goals"),
            "iwp.long_term_goals": Field(shared(w.Textarea, value="\n".join(iwp["long_term_goals"]),
                                                    description=_("Long-term goals (one a line)"),
                                                    continuous_update=False), "long-term-goals"),
            "iwp.earnings_at_start": Field(shared(w.FloatText, value=iwp["earnings_at_start"],
                                                       description=_("Pay now ($ a month)")), "earnings-at-start"),
            "iwp.earnings_expected_at_end": Field(shared(w.FloatText, value=iwp["earnings_expected_at_end"],
                                                              description=_("Pay expected at plan end ($ a month)")),
                                                  "earnings-expected-at-end"),
            "iwp.en_name": Field(shared(w.Text, value=iwp["en_name"], description=_("Employment Network"),
                                        continuous_update=False), "en-name"),
            "iwp.beneficiary_name": Field(shared(w.Text, value=iwp["beneficiary_name"], description=_("Beneficiary's name"),
                                                 placeholder=_("as it will be signed"), continuous_update=False),
                                          "beneficiary-name"),
            "iwp.counselor_name": Field(shared(w.Text, value=iwp["counselor_name"], description=_("Counselor"),
                                               continuous_update=False), "counselor-name"),
            "iwp.en_contact": Field(shared(w.Text, value=iwp["en_contact"], description=_("How to reach the EN"),
                                           placeholder=_("address, phone, email"), continuous_update=False),
                                    "en-contact"),
            "iwp.en_responsibilities": Field(w.Textarea(value="\n".join(iwp["en_responsibilities"]),
                                                        description=_("What the EN will do (one a line)"),
                                                        continuous_update=False,
                                                        layout=w.Layout(width="95%", height="80px")),
                                             "en-responsibilities"),
            "iwp.en_conditions": Field(w.Textarea(value=iwp["en_conditions"],
                                                  description=_("When the EN may change the plan or end its work"),
                                                  continuous_update=False,
                                                  layout=w.Layout(width="95%", height="60px")), "en-conditions"),
            "iwp.protection_advocacy_contact": Field(_sentence_field(
                value=iwp["protection_advocacy_contact"], description=_("Protection and Advocacy contact"),
                placeholder=_("the state's P&A: name and phone"), continuous_update=False), "pa-contact"),
            "iwp.responsibilities": Field(w.Textarea(value="\n".join(iwp["responsibilities"]),
                                                     description=_("Responsibilities (one a line)"),
                                                     continuous_update=False,
                                                     layout=w.Layout(width="95%", height="90px")),
                                          "responsibilities"),
            "iwp.signatures.beneficiary": Field(shared(w.Text, 
                value=_signature_text(sig["beneficiary"]), description=_("Beneficiary signed (name, date)"),
                placeholder=_("Ana Diaz, 2026-01-15"), continuous_update=False), "sign-beneficiary"),
            "iwp.signatures.en_representative": Field(shared(w.Text, 
                value=_signature_text(sig["en_representative"]), description=_("EN signed (name, date)"),
                placeholder=_("Sam Lee, 2026-01-15"), continuous_update=False), "sign-en"),
            AMENDMENT_BENEFICIARY: Field(shared(w.Text, 
                value=_amendment_signature(iwp, "beneficiary"),
                description=_("Beneficiary signed the amendment (name, date)"),
                continuous_update=False), "sign-amendment-beneficiary"),
            AMENDMENT_EN: Field(shared(w.Text, 
                value=_amendment_signature(iwp, "en_representative"),
                description=_("EN signed the amendment (name, date)"),
                continuous_update=False), "sign-amendment-en"),
        }
        for source in (AMENDMENT_BENEFICIARY, AMENDMENT_EN, "iwp.beneficiary_name", "iwp.counselor_name",
                       "iwp.en_contact", "iwp.protection_advocacy_contact"):
            f[source].control.style.description_width = "initial"
        self.amendment_box = w.VBox([html(f"<h4>{escape(_('Signatures for the latest amendment'))}</h4>"),
                                     row(f[AMENDMENT_BENEFICIARY], f[AMENDMENT_EN])])
        self.kind = css(shared(w.Dropdown, options=[(label, key) for key, label in SERVICE_KINDS.items()],
                                   description=_("Service")), "service-kind")
        self.provider = css(shared(w.Text, description=_("Provider"), placeholder=_("who gives it")), "service-provider")
        self.start = css(shared(w.Text, description=_("From"), placeholder=_("e.g. 2026-03")), "service-start")
        self.end = css(shared(w.Text, description=_("To"), placeholder=_("e.g. 2026-09")), "service-end")
        for control in (self.kind, self.provider, self.start, self.end):
            control.style.description_width = "initial"
        self.add_button = css(shared(w.Button, description=_("Add service"), icon="plus"), "service-add")
        f["iwp.services"] = Field(html(), "services-list")
        self.services_box = css(w.VBox(), "services")
        self.fields = f
        self.router = ErrorRouter(f)
        super().__init__([
            *([html(f"<h3>The {html_term('IWP', 'Individual Work Plan')}</h3>")] if heading else []),
            row(f["iwp.beneficiary_name"], f["iwp.counselor_name"]),
            f["iwp.employment_goal"], row(f["iwp.short_term_goals"], f["iwp.long_term_goals"]),
            row(f["iwp.earnings_at_start"], f["iwp.earnings_expected_at_end"]),
            row(f["iwp.en_name"], f["iwp.en_contact"]),
            html("<h4>Services and supports</h4>"),
            row(self.kind, self.provider, self.start, self.end, self.add_button), self.services_box, f["iwp.services"],
            html("<h4>Responsibilities</h4>"), f["iwp.responsibilities"],
            html(f"<h4>{escape(_('The Employment Network’s part'))}</h4>"), f["iwp.en_responsibilities"],
            f["iwp.en_conditions"], f["iwp.protection_advocacy_contact"],
            html("<h4>Signatures</h4>"),
            row(f["iwp.signatures.beneficiary"], f["iwp.signatures.en_representative"]),
            self.amendment_box,
        ])
        self._show_amendment_box(iwp)
        self.add_class("iwp-iwp-form")
        for source, field in f.items():
            if source in ("iwp.services",):
                continue
            convert = _converter(source)
            field.control.observe(lambda change, source=source, convert=convert:
                                  self._write(source, convert, change["new"]), "value")
        self.add_button.on_click(self._add_service)
        state.observe(self._reload, "plan")
        self._show_services()

    def _current(self) -> dict:
        return self.state.plan.iwp.to_dict()

    def _write(self, source: str, convert, value) -> None:
        from ..ticket import IWP

        if self._syncing:
            return
        data = self._current()
        try:
            if source in (AMENDMENT_BENEFICIARY, AMENDMENT_EN):
                checked = _sign_amendment(data, source, convert(value))
                self.router.show(None)
                self.state.set(["iwp"], checked, source=source)
                return
            keys = source.split(".")[1:]
            node = data
            for key in keys[:-1]:
                node = node[key]
            node[keys[-1]] = convert(value)
            checked = IWP.from_dict(data).to_dict()
        except PlanError as exc:
            self.router.show(exc, source)
            return
        self.router.show(None)
        self.state.set(["iwp"], checked, source=source)

    def _add_service(self, _button=None) -> None:
        from ..ticket import IWP

        data = self._current()
        data["services"].append({"kind": self.kind.value, "provider": self.provider.value.strip(),
                                 "start": self.start.value.strip() or None, "end": self.end.value.strip() or None,
                                 "description": ""})
        try:
            checked = IWP.from_dict(data).to_dict()
        except PlanError as exc:
            self.router.show(exc, "iwp.services")
            return
        self.router.show(None)
        self.state.set(["iwp"], checked, source="iwp.services")
        self.provider.value = self.start.value = self.end.value = ""

    def _remove_service(self, index: int) -> None:
        data = self._current()
        del data["services"][index]
        self.state.set(["iwp"], data, source="iwp.services")

    def _show_services(self) -> None:
        from ..ticket import SERVICE_KINDS

        services = self._current()["services"]
        if services == self._services_shown:
            return
        self._services_shown = services
        rows = []
        for i, service in enumerate(services):
            label = service["description"] if service["kind"] == "other" else SERVICE_KINDS[service["kind"]]
            when = _("{first} to {last}").format(
                first=month_words(service["start"]) if service["start"] else "?",
                last=month_words(service["end"]) if service["end"] else "?")
            remove = css(w.Button(description=_("Remove"), tooltip=_("Remove {service}").format(service=label),
                                  layout=w.Layout(width="auto")), "service-remove")
            remove.on_click(lambda _b, i=i: self._remove_service(i))
            rows.append(w.HBox([html(f"<span>{escape(label)} — {escape(service['provider'] or _('provider not set'))}, "
                                       f"{escape(when)}</span>"), remove]))
        if not rows:
            rows = [html(f'<p class="iwp-hint">{escape(_("No services listed yet."))}</p>')]
        self.services_box.children = rows

    def _reload(self, change=None) -> None:
        """Another plan was opened or revised: show its IWP (without writing back)."""
        data = self._current()
        if data == self._iwp_shown:
            return   # an earnings or profile change (every slider step): nothing here to redraw
        self._iwp_shown = data
        values = {
            "iwp.employment_goal": data["employment_goal"],
            "iwp.short_term_goals": "\n".join(data["short_term_goals"]),
            "iwp.long_term_goals": "\n".join(data["long_term_goals"]),
            "iwp.earnings_at_start": data["earnings_at_start"],
            "iwp.earnings_expected_at_end": data["earnings_expected_at_end"],
            "iwp.en_name": data["en_name"],
            "iwp.beneficiary_name": data["beneficiary_name"],
            "iwp.counselor_name": data["counselor_name"],
            "iwp.en_contact": data["en_contact"],
            "iwp.en_responsibilities": "\n".join(data["en_responsibilities"]),
            "iwp.en_conditions": data["en_conditions"],
            "iwp.protection_advocacy_contact": data["protection_advocacy_contact"],
            AMENDMENT_BENEFICIARY: _amendment_signature(data, "beneficiary"),
            AMENDMENT_EN: _amendment_signature(data, "en_representative"),
            "iwp.responsibilities": "\n".join(data["responsibilities"]),
            "iwp.signatures.beneficiary": _signature_text(data["signatures"]["beneficiary"]),
            "iwp.signatures.en_representative": _signature_text(data["signatures"]["en_representative"]),
        }
        for source, value in values.items():
            control = self.fields[source].control
            if _normal(control.value, source) != _normal(value, source):
                self._syncing = True
                try:
                    control.value = value
                finally:
                    self._syncing = False
        self._show_amendment_box(data)
        self._show_services()

    def _show_amendment_box(self, data: dict) -> None:
        """The latest amendment's signature lines, shown once the plan has been amended."""
        self.amendment_box.layout.display = None if data["revisions"] else "none"


# The latest amendment's signatures: not a path in the IWP's JSON, so named on their own.
AMENDMENT_BENEFICIARY = "iwp.amendment.beneficiary"
AMENDMENT_EN = "iwp.amendment.en_representative"
_LIST_FIELDS = ("iwp.short_term_goals", "iwp.long_term_goals", "iwp.responsibilities", "iwp.en_responsibilities")


def _converter(source: str):
    if source in _LIST_FIELDS:
        return _lines
    if source.startswith(("iwp.signatures.", "iwp.amendment.")):
        return _parse_signature
    return lambda v: v


def _normal(value, source):
    return _lines(value) if source in _LIST_FIELDS else value


def _amendment_signature(data: dict, who: str) -> str:
    if not data["revisions"]:
        return ""
    return _signature_text((data["revisions"][-1].get("signatures") or {}).get(who))


def _sign_amendment(data: dict, source: str, signature) -> dict:
    """The IWP's JSON with the latest amendment signed (checked by the model: on or after its date)."""
    from ..ticket import IWP

    iwp = IWP.from_dict(data)
    if not iwp.revisions:
        raise PlanError(f"{source}: " + _("the plan has no amendment to sign"))
    last = iwp.revisions[-1]
    signed = {"beneficiary": last.beneficiary_signature and last.beneficiary_signature.to_dict(),
              "en_representative": last.en_signature and last.en_signature.to_dict()}
    signed[source.rsplit(".", 1)[1]] = signature
    try:
        return iwp.sign_amendment(**signed).to_dict()
    except PlanError as exc:  # the model names its own field; the message goes under this one
        raise PlanError(f"{source}: {str(exc).split(': ', 1)[-1]}") from None


def _signature_text(signature) -> str:
    return "" if not signature else f"{signature['name']}, {signature['date']}"


def _parse_signature(text: str):
    text = text.strip()
    if not text:
        return None
    name, sep, date = text.rpartition(",")
    if not sep:
        raise PlanError("signature: " + _("write the name, a comma, then the date, like Ana Diaz, 2026-01-15; you typed {text}").format(text=shown(text)))
    return {"name": name.strip(), "date": date.strip()}


class IWPSection(w.VBox):
    """The IWP in the counselor session, behind a disclosure button: the form (about 130 widget
    models, each created by the browser before the page shows) is built the first time it is
    opened, and then kept, so closing and opening again loses nothing typed."""

    def __init__(self, state: PlanState):
        self.state = state
        self.form: IWPForm | None = None
        self.toggle = css(Disclosure(_("The IWP: goals, services, responsibilities, signatures")), "iwp-toggle")
        self.toggle.observe(self._show, "expanded")
        heading = html(f"<h3>The {html_term('IWP', 'Individual Work Plan')}</h3>")
        super().__init__([heading, self.toggle])
        self.add_class("iwp-iwp-section")

    def open_form(self) -> IWPForm:
        """Open the IWP (as the button does) and return its form."""
        self.toggle.expanded = True
        return self.form

    def _show(self, change) -> None:
        if change["new"] and self.form is None:
            self.form = IWPForm(self.state, heading=False)
            self.children = self.children + (self.form,)
        if self.form is not None:
            self.form.layout.display = None if change["new"] else "none"

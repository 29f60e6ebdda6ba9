"""The Individual Work Plan form: goals, services and supports, responsibilities, signatures.

Every change is checked by the Ticket layer's ``IWP.from_dict`` before it reaches the plan, so a
bad entry shows its message next to its field and nothing else changes.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..errors import PlanError
from ..glossary import html_term
from .controls import ErrorRouter, Field, css, html
from .state import PlanState


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class IWPForm(w.VBox):
    def __init__(self, state: PlanState):
        from ..ticket import SERVICE_KINDS

        self.state = state
        self._syncing = False
        iwp = state.plan.iwp.to_dict()
        sig = iwp["signatures"]
        f = {
            "iwp.employment_goal": Field(w.Text(value=iwp["employment_goal"], description="Employment goal",
                                                placeholder="e.g. Pharmacy technician", continuous_update=False),
                                         "employment-goal"),
            "iwp.short_term_goals": Field(w.Textarea(value="\n".join(iwp["short_term_goals"]),
                                                     description="Short-term goals (one a line)",
                                                     continuous_update=False), "short-term-goals"),
            "iwp.long_term_goals": Field(w.Textarea(value="\n".join(iwp["long_term_goals"]),
                                                    description="Long-term goals (one a line)",
                                                    continuous_update=False), "long-term-goals"),
            "iwp.earnings_at_start": Field(w.FloatText(value=iwp["earnings_at_start"],
                                                       description="Pay now ($ a month)"), "earnings-at-start"),
            "iwp.earnings_expected_at_end": Field(w.FloatText(value=iwp["earnings_expected_at_end"],
                                                              description="Pay expected at plan end ($ a month)"),
                                                  "earnings-expected-at-end"),
            "iwp.en_name": Field(w.Text(value=iwp["en_name"], description="Employment Network",
                                        continuous_update=False), "en-name"),
            "iwp.responsibilities": Field(w.Textarea(value="\n".join(iwp["responsibilities"]),
                                                     description="Responsibilities (one a line)",
                                                     continuous_update=False,
                                                     layout=w.Layout(width="95%", height="90px")),
                                          "responsibilities"),
            "iwp.signatures.beneficiary": Field(w.Text(
                value=_signature_text(sig["beneficiary"]), description="Beneficiary signed (name, YYYY-MM-DD)",
                placeholder="Ana Diaz, 2026-01-15", continuous_update=False), "sign-beneficiary"),
            "iwp.signatures.en_representative": Field(w.Text(
                value=_signature_text(sig["en_representative"]), description="EN signed (name, YYYY-MM-DD)",
                placeholder="Sam Lee, 2026-01-15", continuous_update=False), "sign-en"),
        }
        self.kind = css(w.Dropdown(options=[(label, key) for key, label in SERVICE_KINDS.items()],
                                   description="Service"), "service-kind")
        self.provider = css(w.Text(description="Provider", placeholder="who gives it"), "service-provider")
        self.start = css(w.Text(description="From", placeholder="YYYY-MM"), "service-start")
        self.end = css(w.Text(description="To", placeholder="YYYY-MM"), "service-end")
        for control in (self.kind, self.provider, self.start, self.end):
            control.style.description_width = "initial"
        self.add_button = css(w.Button(description="Add service", icon="plus"), "service-add")
        f["iwp.services"] = Field(html(), "services-list")
        self.services_box = css(w.VBox(), "services")
        self.fields = f
        self.router = ErrorRouter(f)
        super().__init__([
            html(f"<h3>The {html_term('IWP', 'Individual Work Plan')}</h3>"),
            f["iwp.employment_goal"], w.HBox([f["iwp.short_term_goals"], f["iwp.long_term_goals"]]),
            w.HBox([f["iwp.earnings_at_start"], f["iwp.earnings_expected_at_end"], f["iwp.en_name"]]),
            html("<h4>Services and supports</h4>"),
            w.HBox([self.kind, self.provider, self.start, self.end, self.add_button]), self.services_box, f["iwp.services"],
            html("<h4>Responsibilities</h4>"), f["iwp.responsibilities"],
            html("<h4>Signatures</h4>"),
            w.HBox([f["iwp.signatures.beneficiary"], f["iwp.signatures.en_representative"]]),
        ])
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

        rows = []
        for i, service in enumerate(self._current()["services"]):
            label = service["description"] if service["kind"] == "other" else SERVICE_KINDS[service["kind"]]
            when = f"{service['start'] or '?'} to {service['end'] or '?'}"
            remove = css(w.Button(description="Remove", tooltip=f"Remove {label}",
                                  layout=w.Layout(width="auto")), "service-remove")
            remove.on_click(lambda _b, i=i: self._remove_service(i))
            rows.append(w.HBox([html(f"<span>{escape(label)} — {escape(service['provider'] or 'provider not set')}, "
                                       f"{escape(when)}</span>"), remove]))
        if not rows:
            rows = [html('<p class="iwp-hint">No services listed yet.</p>')]
        self.services_box.children = rows

    def _reload(self, change=None) -> None:
        """Another plan was opened or revised: show its IWP (without writing back)."""
        data = self._current()
        values = {
            "iwp.employment_goal": data["employment_goal"],
            "iwp.short_term_goals": "\n".join(data["short_term_goals"]),
            "iwp.long_term_goals": "\n".join(data["long_term_goals"]),
            "iwp.earnings_at_start": data["earnings_at_start"],
            "iwp.earnings_expected_at_end": data["earnings_expected_at_end"],
            "iwp.en_name": data["en_name"],
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
        self._show_services()


def _converter(source: str):
    if source in ("iwp.short_term_goals", "iwp.long_term_goals", "iwp.responsibilities"):
        return _lines
    if source.startswith("iwp.signatures."):
        return _parse_signature
    return lambda v: v


def _normal(value, source):
    return _lines(value) if source in ("iwp.short_term_goals", "iwp.long_term_goals",
                                       "iwp.responsibilities") else value


def _signature_text(signature) -> str:
    return "" if not signature else f"{signature['name']}, {signature['date']}"


def _parse_signature(text: str):
    text = text.strip()
    if not text:
        return None
    name, sep, date = text.rpartition(",")
    if not sep:
        raise PlanError(f"signature: write the name, a comma, then the date (YYYY-MM-DD), got {text!r}")
    return {"name": name.strip(), "date": date.strip()}

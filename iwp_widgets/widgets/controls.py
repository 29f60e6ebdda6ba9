"""Small building blocks: labelled fields with their own error line, and the glossary live region."""

from __future__ import annotations

import anywidget
import ipywidgets as w
import traitlets
from ipywidgets.widgets.widget_string import HTMLStyle

from .. import glossary
from ..errors import PlanError

_SHARED: dict[str, w.Widget] = {}


def _shared(kind: str) -> w.Widget:
    """One Layout / HTMLStyle for all the app's static text: each widget otherwise brings its
    own two models, and the browser creates every model at start-up."""
    if kind not in _SHARED:
        _SHARED[kind] = HTMLStyle() if kind == "html_style" else w.Layout()
    return _SHARED[kind]


def shared_model_ids() -> set[str]:
    """The model ids of what every app in this kernel shares (closing one app keeps them)."""
    return {model.model_id for model in _SHARED.values()}


def look(kind: type[w.DOMWidget]) -> dict:
    """``layout=`` and ``style=`` for a control of class ``kind`` shared by every such control
    (the label at its natural width): a control otherwise brings two models of its own, and the
    browser creates every model before the app shows. Not for a control whose layout or style is
    changed later (hidden, resized): that would change them all."""
    key = f"style:{kind.__name__}"
    if key not in _SHARED:
        style = kind.class_traits()["style"].klass()
        if hasattr(style, "description_width"):
            style.description_width = "initial"
        _SHARED[key] = style
    return {"layout": _shared("control_layout"), "style": _SHARED[key]}


def row(*children: w.Widget) -> w.HBox:
    """Controls side by side, sharing one layout model (not for a row that is hidden later)."""
    return w.HBox(list(children), layout=_shared("row_layout"))


def shared(kind: type[w.DOMWidget], **kwargs) -> w.DOMWidget:
    """A ``kind`` control with the shared layout and style of :func:`look`."""
    return kind(**look(kind), **kwargs)


def html(value: str = "") -> w.HTML:
    """An HTML widget for text (headings, messages, tables) sharing its layout and style."""
    return w.HTML(value, layout=_shared("layout"), style=_shared("html_style"))


def css(widget: w.DOMWidget, name: str) -> w.DOMWidget:
    """Give ``widget`` the stable selector ``iwp-<name>``."""
    widget.add_class(f"iwp-{name}")
    return widget


class Field(w.VBox):
    """A control plus the line under it where its PlanError message appears.

    The message line is made the first time there is a message: most fields never show one, and
    every widget made is a model the browser creates before the app shows."""

    def __init__(self, control: w.DOMWidget, name: str, help_text: str = ""):
        self.control = css(control, name)
        self.name = name
        if hasattr(control, "style") and hasattr(control.style, "description_width"):
            control.style.description_width = "initial"
        self._message: w.HTML | None = None
        children = [control]
        if help_text:
            hint = html(f'<span class="iwp-hint">{help_text}</span>')
            children.append(hint)
        super().__init__(children, layout=_shared("layout"))
        self.add_class("iwp-field")

    @property
    def message(self) -> w.HTML:
        """The message line under the control (added on first use)."""
        if self._message is None:
            self._message = html("")
            self._message.add_class("iwp-error")
            self._message.add_class(f"iwp-{self.name}-error")
            self.children = self.children + (self._message,)
        return self._message

    def show_error(self, message: str) -> None:
        from html import escape

        if not message and self._message is None:
            return   # nothing shown, nothing to clear
        self.message.value = f'<span role="alert">{escape(message)}</span>' if message else ""
        if message:
            self.control.add_class("iwp-invalid")
        else:
            self.control.remove_class("iwp-invalid")

    @property
    def error(self) -> str:
        return "" if self._message is None else self._message.value


class ErrorRouter:
    """Shows a scenario's PlanError next to the field it names (or the control that caused it).

    ``sources`` maps a plan path such as ``profile.ssdi_monthly`` (or an app-side name such as
    ``path.start_hours``) to its Field.
    """

    def __init__(self, sources: dict[str, Field]):
        self.sources = sources

    def field_for(self, error: PlanError, fallback: str) -> Field | None:
        named = getattr(error, "field", "") or ""
        best = None
        for source in self.sources:
            if named == source or named.startswith(source + ".") or named.startswith(source + "["):
                if best is None or len(source) > len(best):
                    best = source
        if best is None:
            best = fallback if fallback in self.sources else None
        return self.sources.get(best) if best else None

    def show(self, error: PlanError | None, fallback: str = "") -> None:
        target = self.field_for(error, fallback) if error is not None else None
        for field in self.sources.values():
            field.show_error(error.plain if field is target else "")


_GLOSSARY_ESM = """
export default {
  render({ model, el }) {
    const region = document.createElement("div");
    region.className = "iwp-glossary-live";
    region.setAttribute("aria-live", "polite");
    region.setAttribute("role", "status");
    region.textContent = model.get("placeholder");
    el.appendChild(region);
    const show = (event) => {
      const term = event.target.closest && event.target.closest(".iwp-term");
      if (term) region.textContent = term.getAttribute("title");
    };
    document.addEventListener("focusin", show);
    document.addEventListener("mouseover", show);
    return () => {
      document.removeEventListener("focusin", show);
      document.removeEventListener("mouseover", show);
    };
  },
};
"""


class GlossaryLive(anywidget.AnyWidget):
    """A polite live region that reads out the meaning of whichever glossary term has focus.

    Terms are ``glossary.html_term(...)`` spans with the meaning in ``title`` for mouse users;
    a click (or a script) focuses one and this region shows and reads out the same text.
    """

    _esm = traitlets.Unicode(_GLOSSARY_ESM).tag(sync=True)
    placeholder = traitlets.Unicode(
        "Tip: point at or click an underlined word to see what it means here, "
        "or open “What these words mean”.").tag(sync=True)


_DISCLOSURE_ESM = """
export default {
  render({ model, el }) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "disclosure-button";  // no "iwp-" class: the widget's own (iwp-...) names it
    const mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.className = "disclosure-mark";
    const label = document.createElement("span");
    button.append(mark, label);
    const show = () => {
      const open = model.get("expanded");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      mark.textContent = open ? "\u25BE" : "\u25B8";
      label.textContent = model.get("label");
    };
    button.addEventListener("click", () => {
      model.set("expanded", !model.get("expanded"));
      model.save_changes();
    });
    model.on("change:expanded", show);
    model.on("change:label", show);
    show();
    el.appendChild(button);
    return () => {
      model.off("change:expanded", show);
      model.off("change:label", show);
    };
  },
};
"""


class Disclosure(anywidget.AnyWidget):
    """A button that shows or hides the section after it (the WAI-ARIA disclosure pattern): a
    native button, so Enter and Space work, whose ``aria-expanded`` tells a screen reader whether
    the section is open. ipywidgets 8 has none: a ToggleButton announces no state, and the
    Accordion's header is a div a keyboard cannot reach. The label stays the same open or closed;
    a triangle shows the state to the eye."""

    _esm = traitlets.Unicode(_DISCLOSURE_ESM).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    expanded = traitlets.Bool(False).tag(sync=True)

    def __init__(self, label: str, **kwargs):
        super().__init__(label=label, layout=_shared("layout"), **kwargs)


def glossary_panel(keys: list[str], counselor: w.ToggleButton | None = None) -> w.VBox:
    """The words to know, the live region that explains the one pointed at or clicked, and one
    "What these words mean" control listing every meaning: one tab stop ahead of the controls,
    not one per term. With the counselor-detail toggle on, each term's citation is listed too."""
    terms = " · ".join(glossary.html_term(k) for k in keys)
    citations = css(html(), "glossary-citations")
    box = w.VBox([html(f'<p class="iwp-glossary-terms"><strong>Words to know:</strong> {terms}</p>'
                       + glossary.html_meanings(keys)),
                  GlossaryLive(), citations])
    box.add_class("iwp-glossary")
    if counselor is not None:
        def show(change=None):
            citations.value = counselor_citations(keys) if counselor.value else ""
        counselor.observe(show, "value")
        show()
    return box


def counselor_citations(keys: list[str]) -> str:
    from html import escape

    items = "".join(f"<li><strong>{escape(glossary.term(k).name)}</strong>: {escape(glossary.term(k).citation)}</li>"
                    for k in keys)
    return f'<ul class="iwp-citations">{items}</ul>'

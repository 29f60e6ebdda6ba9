"""What both counselor apps share: choosing the plan to open, the theme, the root box."""

from __future__ import annotations

import os
from html import escape
from importlib.resources import files
from urllib.parse import parse_qs

import ipywidgets as w
from IPython.display import display

from .. import storage
from ..errors import PlanError, shown_key
from ..words import _
from ..widgets.controls import html

DEFAULT_EXAMPLE = "ssdi_ramp_to_sga"


def theme() -> w.HTML:
    """The apps' stylesheet (visible focus, AA contrast) as a style element."""
    css = files("iwp_widgets").joinpath("theme.css").read_text(encoding="utf-8")
    return w.HTML(f"<style>{css}</style>", layout=w.Layout(display="none"))


def preheated() -> bool:
    """True in a kernel Voilà started ahead of its page (it waits for the page's request)."""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


def query_string() -> str:
    """The page's query string in Voilà (also with preheated kernels), '' elsewhere."""
    if preheated():
        # A preheated kernel started before its page was asked for: wait for the request.
        from voila.utils import wait_for_request

        wait_for_request()
    return os.environ.get("QUERY_STRING", "") or ""


def warm_up() -> None:
    """Import the engine and Ticket layer and simulate the default example once."""
    from ..plan import Plan
    from ..simulate import simulate
    from .. import ticket  # noqa: F401  (imported for its start-up cost)

    simulate(Plan.example(DEFAULT_EXAMPLE))


def choose_plan(query: str, store: storage.PlanStore):
    """(plan, name, note) for ``?plan=<name>``: an example name or a plan saved in the app's own
    folder. Anything else opens the default example and says why; no path is built from input."""
    from ..plan import Plan

    wanted = (parse_qs(query or "").get("plan") or [""])[0].strip()
    note = ""
    if wanted:
        if wanted in Plan.examples():
            return Plan.example(wanted), wanted, ""
        if wanted in store.names():
            return store.open(wanted), wanted, ""
        # The name came from a link anyone can write: quoted short (BaseApp escapes the note).
        note = _("No plan called “{name}”; showing the example plan instead.").format(name=shown_key(wanted, 60))
    return Plan.example(DEFAULT_EXAMPLE), DEFAULT_EXAMPLE, note


def _close_models_since(before: set[str]) -> None:
    """Close every widget model opened since ``before`` (a set of model ids)."""
    from ..widgets.controls import shared_model_ids

    for model_id in set(w.Widget.widgets) - before - shared_model_ids():
        widget = w.Widget.widgets.get(model_id)
        if widget is not None:
            widget.close()


def _plan_for(query: str, store: storage.PlanStore):
    """(plan, name, note) for the page's query; a saved file that no longer validates opens the
    default example and says why."""
    try:
        return choose_plan(query, store)
    except PlanError as exc:
        from ..plan import Plan

        return (Plan.example(DEFAULT_EXAMPLE), DEFAULT_EXAMPLE,
                _("Could not open the plan: {reason}").format(reason=exc.plain))


class BaseApp:
    """An app is a root VBox; ``show()`` displays it.

    ``note`` is plain text (it may quote a link or a file): it is escaped here, so no caller
    can put markup into the page through it.
    """

    title = ""
    css_name = ""

    def __init__(self, plan=None, name: str = DEFAULT_EXAMPLE, store: storage.PlanStore | None = None,
                 note: str = ""):
        from ..plan import Plan

        self.store = store or storage.PlanStore()
        if plan is None:
            plan = Plan.example(DEFAULT_EXAMPLE)
        self.plan_name = name
        self.counselor = w.ToggleButton(value=False, description=_("Counselor detail"), icon="info-circle",
                                        tooltip=_("Show citations, raw numbers and EN payments"))
        self.counselor.add_class("iwp-counselor-toggle")
        self.note = html(f'<p class="iwp-note" role="status">{escape(note)}</p>' if note else "")
        self.build(plan)
        header = w.HBox([html(f"<h1>{escape(_(self.title))}</h1>"), self.counselor])
        header.add_class("iwp-header")
        self.root = w.VBox([theme(), header, self.note] + self.body())
        self.root.add_class("iwp-app")
        self.root.add_class(f"iwp-{self.css_name}")
        # Tests and screenshots wait for this class: everything above is built.
        self.root.add_class("iwp-app-ready")

    @classmethod
    def from_query(cls, query: str | None = None, store: storage.PlanStore | None = None) -> "BaseApp":
        store = store or storage.PlanStore()
        if query is None:
            # A preheated kernel runs this before any page asks for it; do the slow, shareable
            # part (imports, reading the figures, a first simulation) before waiting for the page.
            warm_up()
            if preheated():
                # Build the app too, on the default example; the page's plan replaces it once the
                # request names one (no person's plan is opened before its page asks).
                before = set(w.Widget.widgets)
                app = cls(store=store)
                plan, name, note = _plan_for(query_string(), store)
                if name == DEFAULT_EXAMPLE and not note:
                    return app
                # Another plan: build for it, and close every model of the first build so that the
                # page never loads them. (Showing the plan in the built app would redraw its charts
                # before the page draws them, and a chart drawn that early gets no height.)
                _close_models_since(before)
                return cls(plan, name=name, store=store, note=note)
            query = query_string()
        plan, name, note = _plan_for(query, store)
        return cls(plan, name=name, store=store, note=note)

    def build(self, plan) -> None:
        raise NotImplementedError

    def body(self) -> list[w.Widget]:
        raise NotImplementedError

    def show(self) -> None:
        display(self.root)

    def _repr_mimebundle_(self, **kwargs):
        return self.root._repr_mimebundle_(**kwargs)

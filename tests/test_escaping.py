"""Text that reaches HTML is escaped, whatever its source (issue 13, items 1 and 2).

Each test puts markup into one path — the ``?plan=`` query string, a plan file's unknown key, every
text field of a saved plan, a typed entry that fails validation, a scenario file's title — and
checks that every HTML string the apps, the printed IWP and the analyst panel produce shows it as
text (``&lt;img``), never as markup. tests/browser/test_escaping.py checks the same in Chromium.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import ipywidgets as w
import pytest

from iwp_widgets import Plan
from iwp_widgets.apps import earnings_projection, goal_setting

PAYLOAD = '<img src=x onerror="window.__iwp_xss=1">'
ESCAPED = "&lt;img src=x"
APPS = [goal_setting, earnings_projection]


def html_values(root: w.Widget) -> list[str]:
    """The HTML every HTML widget under ``root`` shows (children, recursively)."""
    found, stack = [], [root]
    while stack:
        widget = stack.pop()
        if isinstance(widget, w.HTML):
            found.append(widget.value)
        stack.extend(getattr(widget, "children", ()))
    return found


def assert_no_markup(texts: list[str], expect_shown: bool = True) -> None:
    raw = [t for t in texts if "<img" in t]
    assert not raw, f"raw markup reached HTML: {raw[0][:300]}"
    if expect_shown:
        assert any(ESCAPED in t for t in texts), "the text was not shown at all"


def hostile_plan() -> Plan:
    """A valid plan whose every free text field is markup."""
    doc = Plan.example("concurrent_irwe").to_dict()
    doc["profile"]["name"] = PAYLOAD
    doc["iwp"].update({
        "employment_goal": PAYLOAD, "short_term_goals": [PAYLOAD], "long_term_goals": [PAYLOAD],
        "responsibilities": [PAYLOAD], "en_name": PAYLOAD, "notes": PAYLOAD,
        "beneficiary_name": PAYLOAD, "counselor_name": PAYLOAD, "en_contact": PAYLOAD,
        "en_responsibilities": [PAYLOAD], "en_conditions": PAYLOAD, "protection_advocacy_contact": PAYLOAD,
        "services": [{"kind": "other", "description": PAYLOAD, "provider": PAYLOAD, "start": "2026-02",
                      "end": "2026-08"},
                     {"kind": "job_placement", "description": "", "provider": PAYLOAD, "start": None,
                      "end": None}],
        "signatures": {"beneficiary": {"name": PAYLOAD, "date": "2026-01-15"},
                       "en_representative": {"name": PAYLOAD, "date": "2026-01-15"}},
        "revisions": [{"date": "2026-01-10", "reason": PAYLOAD, "previous": {"version": 2},
                       "signatures": {"beneficiary": {"name": PAYLOAD, "date": "2026-01-20"},
                                      "en_representative": None}}],
    })
    return Plan.from_dict(doc)


@pytest.mark.parametrize("app", APPS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_a_query_string_with_markup_shows_as_text(app, store):
    """Item 1: `?plan=<img src=x onerror=…>` put the raw value into the page."""
    opened = app.App.from_query("plan=" + quote(PAYLOAD), store=store)
    note = opened.note.value
    assert "No plan called" in note and ESCAPED in note and "<img" not in note
    assert_no_markup(html_values(opened.root))


@pytest.mark.parametrize("app", APPS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_a_long_query_string_is_cut_short_in_the_note(app, store):
    opened = app.App.from_query("plan=" + quote(PAYLOAD * 200), store=store)
    assert opened.note.value.count("&lt;img") <= 2 and len(opened.note.value) < 400  # 60 characters


@pytest.mark.parametrize("app", APPS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_a_plan_file_with_a_markup_key_shows_the_error_as_text(app, store):
    """Item 2: the "Could not open the plan" note repeated the file's unknown key as markup."""
    doc = Plan.example("ssi_student").to_dict()
    doc[PAYLOAD * 20] = 1
    store.folder.mkdir(parents=True, exist_ok=True)
    (store.folder / "Hostile key.json").write_text(json.dumps(doc), encoding="utf-8")
    opened = app.App.from_query("plan=Hostile%20key", store=store)
    note = opened.note.value
    assert "Could not open the plan" in note and "unknown field" in note
    assert note.count(ESCAPED) == 1 and "<img" not in note and len(note) < 600
    assert_no_markup(html_values(opened.root))


@pytest.mark.parametrize("app", APPS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_a_plan_whose_every_text_is_markup_shows_it_as_text(app, store):
    """Names, goals, services, signatures, notes: in every view, with counselor detail on."""
    opened = app.App(hostile_plan(), name="Hostile text", store=store)
    opened.counselor.value = True
    texts = html_values(opened.root)
    assert_no_markup(texts, expect_shown=app is goal_setting)  # the projection shows no IWP text
    for kind in ("html", "csv"):
        opened.files.export(kind)  # the download link and status line
    assert_no_markup(html_values(opened.root), expect_shown=app is goal_setting)


def test_typed_markup_in_a_field_shows_its_error_as_text(store):
    """A PlanError quotes what was typed; its line under the field escapes it."""
    opened = goal_setting.App(Plan.example("ssdi_ramp_to_sga"), name="ramp", store=store)
    field = opened.profile.fields["profile.birth_month"]
    field.control.value = PAYLOAD
    assert ESCAPED in field.message.value and "<img" not in field.message.value
    signature = opened.iwp.fields["iwp.signatures.beneficiary"]
    signature.control.value = PAYLOAD
    assert_no_markup(html_values(opened.root), expect_shown=True)


def test_the_printed_iwp_escapes_every_text():
    from iwp_widgets.report import report_html

    page = report_html(hostile_plan())
    assert "<img" not in page
    assert page.count(ESCAPED) >= 30  # every typed IWP field, the amendment's reason and signature …


def test_html_helpers_escape_their_text_arguments():
    """Helpers that build HTML from parts escape the text they are given, so callers cannot forget."""
    import pandas as pd

    from iwp_widgets import charts, glossary, simulate
    from iwp_widgets.apps.earnings_projection import summary_html

    table = simulate(Plan.example("ssdi_ramp_to_sga"))
    rows = pd.DataFrame({"Month": [PAYLOAD], "Pay": [1.0]})
    for made in (summary_html(table, PAYLOAD), glossary.html_term("TWL", PAYLOAD),
                 charts.rows_html(rows, PAYLOAD)):
        assert ESCAPED in made and "<img" not in made, made


def test_scenario_titles_show_as_text_in_the_what_if_summary(monkeypatch):
    """A scenario file is any JSON an analyst points at: its name and title are text."""
    import dataclasses

    from IPython import display as ipy_display

    from iwp_widgets.caseload import whatif

    caseload = whatif.load_caseload(None, generate=20, seed=1, months=12)
    runs = whatif.run(caseload, "baseline", ["higher_sga"], progress=False)
    runs = {name: dataclasses.replace(r, scenario=dataclasses.replace(r.scenario, title=PAYLOAD))
            for name, r in runs.items()}
    shown = []
    monkeypatch.setattr(ipy_display, "display", lambda *objs, **kw: shown.extend(objs))
    whatif.show(runs, "baseline", metrics=["months_to_sga"])
    markup = [o.get("text/html", "") if isinstance(o, dict)  # a raw mime bundle
              else o._repr_html_() if hasattr(o, "_repr_html_") and not hasattr(o, "to_plotly_json")
              else getattr(o, "data", "") for o in shown if not hasattr(o, "to_plotly_json")]
    texts = [t for t in markup if isinstance(t, str)]
    assert_no_markup(texts)

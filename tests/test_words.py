"""The message catalogue and the reader's formats (iwp_widgets/words.py).

Every word a person reads goes through one catalogue, so that a translation is a new file, not a
code change (issue #14). These tests make a translation in a temporary folder and read it back.
"""

import datetime as dt
import math

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from iwp_widgets import words


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    words.set_locale(words.DEFAULT_LOCALE)


def test_money_is_dollars_and_cents_and_months_are_words():
    assert words.money(1386.666) == "$1,386.67"
    assert words.money(1300) == "$1,300.00"
    assert words.money(-5) == "-$5.00"
    assert words.money(math.inf) == "an amount too large to show"
    assert words.month_words(pd.Period("2026-03", "M")) == "March 2026"
    assert words.month_words("2027-01") == "January 2027"
    assert words.month_words(dt.date(2026, 12, 9)) == "December 2026"
    assert words.date_words("2026-03-06") == "March 6, 2026"


def test_the_template_holds_every_message_in_the_code():
    """`make messages` writes the template; a message added to the code without it fails here."""
    with words.TEMPLATE.open("rb") as handle:
        committed = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in words.extract_template() if m.id}
    assert in_code - committed == set(), "run `make messages`: the template is missing these"
    assert committed - in_code == set(), "run `make messages`: the template holds messages no longer used"


def test_a_translation_is_a_new_file(tmp_path, monkeypatch):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "iwp.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "an amount too large to show"\nmsgstr "una cantidad demasiado grande"\n',
        encoding="utf-8")
    monkeypatch.setattr(words, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(words, "_readers", {})
    words.set_locale("es_US")
    assert words.current_locale() == "es_US"
    assert words._("an amount too large to show") == "una cantidad demasiado grande"
    assert words.money(math.inf) == "una cantidad demasiado grande"
    assert words.month_words("2026-03") == "marzo 2026"
    assert words._("a message nobody translated") == "a message nobody translated"
    words.set_locale("en_US")
    assert words._("an amount too large to show") == "an amount too large to show"


@pytest.mark.parametrize("name", ["en_US", "es_US", "fr_FR", "de_DE", "hi_IN"])
def test_money_matches_babel_in_every_locale(name):
    """``money`` formats with Python for speed; it must write what Babel writes for the locale."""
    from babel.numbers import format_currency

    words.set_locale(name)
    for value in (0, 0.5, 7, 52.5, 999.994, 1000, 1386.666, 12345.67, 1234567.891, -5, -1386.67, -0.004):
        cents = round(value, 2) + 0.0
        assert words.money(value) == format_currency(cents, "USD", locale=name), (name, value)


def test_money_of_huge_amounts_and_negative_zero():
    assert words.money(-0.004) == "$0.00"
    assert words.money(1e300) == words.money(1.5e15) == "an amount too large to show"
    assert words.money(999_999_999_999.99) == "$999,999,999,999.99"


def test_one_vocabulary_for_every_status_the_engine_writes():
    """Issue 16: three month-word helpers, four money helpers and two SSDI status word lists (the
    chart's lacked `offset`); the chart, the lessons and the export now say the same words."""
    from iwp_widgets import charts, vocabulary
    from iwp_widgets.exports import plain_table
    from iwp_widgets.lessons import epe
    from iwp_widgets.rules.ssdi import STATUS_NAMES

    assert set(STATUS_NAMES) <= set(vocabulary.SSDI_STATUS)
    assert vocabulary.ssdi_status_words("offset") == "Check reduced (benefit offset)"
    for code in STATUS_NAMES:
        assert charts.phase_label(code) == epe.status_words(code) == vocabulary.ssdi_status_words(code)
    frame = pd.DataFrame({"ssdi_status": list(STATUS_NAMES)},
                         index=pd.period_range("2026-01", periods=len(STATUS_NAMES), freq="M", name="month"))
    assert list(plain_table(frame)["SSDI status"]) == [vocabulary.ssdi_status_words(c) for c in STATUS_NAMES]
    assert vocabulary.medicaid_words("1619b") == "yes, under Section 1619(b)"
    assert vocabulary.ssdi_status_words("expedited_reinstatement") == "Expedited reinstatement"


def test_words_in_tables_are_translated_when_shown(tmp_path, monkeypatch):
    """Words in tables built at import (``N_``) are in the template and translated when shown."""
    from iwp_widgets import vocabulary

    with words.TEMPLATE.open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert set(vocabulary.SSDI_STATUS.values()) <= template
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "iwp.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Trial work period"\nmsgstr "Período de trabajo de prueba"\n', encoding="utf-8")
    monkeypatch.setattr(words, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(words, "_readers", {})
    words.set_locale("es_US")
    assert vocabulary.ssdi_status_words("twp") == "Período de trabajo de prueba"


def test_the_why_text_chart_labels_and_export_headers_are_translated(tmp_path, monkeypatch):
    """A translation file changes what the engine's "why", the chart and the export say; no code change."""
    from iwp_widgets import charts
    from iwp_widgets.exports import plain_table
    from iwp_widgets.plan import Plan
    from iwp_widgets.simulate import simulate

    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "iwp.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "SSDI of {paid} is paid in full during the Trial Work Period."\n'
        'msgstr "Se paga el SSDI completo de {paid} durante el período de trabajo de prueba."\n\n'
        'msgid "Pay before taxes"\nmsgstr "Pago antes de impuestos"\n\n'
        'msgid "SSDI paid"\nmsgstr "SSDI pagado"\n', encoding="utf-8")
    monkeypatch.setattr(words, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(words, "_readers", {})
    words.set_locale("es_US")
    table = simulate(Plan.example("ssdi_ramp_to_sga"))
    assert "Se paga el SSDI completo de $1,450.00 durante el período de trabajo de prueba." in table["why"].iloc[0]
    assert charts.earnings_figure(table)["data"][0]["name"] == "Pago antes de impuestos"
    assert "SSDI pagado" in plain_table(table).columns
    assert plain_table(table)["Month"].iloc[0] == "enero 2026"


def test_every_control_label_in_the_apps_goes_through_the_catalogue():
    """A label, tooltip or placeholder typed as a bare string in a widget or app would stay English
    in a translation: each must be a call (``_("...")`` or words built from one)."""
    import ast
    from pathlib import Path

    package = Path(words.__file__).parent
    bare = []
    for path in sorted([*package.glob("widgets/*.py"), *package.glob("apps/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg in ("description", "tooltip", "placeholder"):
                value = node.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.strip() \
                        and any(ch.isalpha() for ch in value.value):
                    bare.append(f"{path.relative_to(package)}:{node.lineno} {value.value!r}")
                elif isinstance(value, ast.JoinedStr):
                    bare.append(f"{path.relative_to(package)}:{node.lineno} f-string")
    assert bare == []

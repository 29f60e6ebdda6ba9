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

"""Words outside the catalogue (issue 14): the input limits, a caseload's row messages and the
unknown-field messages of plan loading are sentences through ``words._``, money in dollars and
cents, formatted only when an error is found."""

import gettext
import re

import pytest

from iwp_widgets import Plan, PlanError, words
from iwp_widgets.caseload import validate_caseload

from test_caseload_format import small_caseload


class Shouting(gettext.NullTranslations):
    """A stand-in translation: every message in capitals, so a word that skips the catalogue shows."""

    def gettext(self, message):
        return re.sub(r"[^{}]+(?=\{|$)", lambda text: text.group().upper(), message)


@pytest.fixture
def shouting(monkeypatch):
    monkeypatch.setattr(words._reader(), "catalogue", Shouting())


def caseload_error(**changes) -> PlanError:
    with pytest.raises(PlanError) as caught:
        validate_caseload(small_caseload(**changes))
    return caught.value


def test_the_money_limit_is_said_in_dollars_and_cents():
    assert "must be at most $1,000,000.00 a month" in str(caseload_error(ssdi_monthly=[1400.0, 2e6, 0.0]))


def test_a_caseload_row_message_goes_through_the_catalogue(shouting):
    message = str(caseload_error(ssdi_monthly=[1400.0, 2e6, 0.0]))
    assert "ROW 1" in message and "MUST BE AT MOST" in message and "$1,000,000.00 A MONTH" in message


def test_the_hours_limit_is_a_plain_sentence_through_the_catalogue(shouting):
    plan = Plan.example("ssi_student").to_dict()
    plan["hours"] = [800.0] * len(plan["earnings"])
    with pytest.raises(PlanError) as caught:
        Plan.from_dict(plan)
    assert "744 HOURS A MONTH" in caught.value.plain


def test_an_unknown_field_in_a_plan_file_is_a_plain_sentence(shouting):
    for part in ("profile", "options", "work_expenses"):
        data = Plan.example("ssi_student").to_dict()
        data[part]["nickname"] = "x"
        with pytest.raises(PlanError) as caught:
            Plan.from_dict(data)
        assert caught.value.field == f"{part}.nickname"
        assert "IS AN UNKNOWN FIELD" in caught.value.plain, caught.value.plain
    data = Plan.example("ssi_student").to_dict()
    data["iwp"]["nickname"] = "x"
    with pytest.raises(PlanError) as caught:
        Plan.from_dict(data)
    assert "IS AN UNKNOWN FIELD" in caught.value.plain
    data = Plan.example("ssi_student").to_dict()
    data["earnings_path"] = {"months": len(data["earnings"]), "nickname": "x"}
    with pytest.raises(PlanError) as caught:
        Plan.from_dict(data)
    assert "IS AN UNKNOWN FIELD" in caught.value.plain


def test_an_unknown_field_reads_as_a_sentence():
    data = Plan.example("ssi_student").to_dict()
    data["profile"]["nickname"] = "x"
    with pytest.raises(PlanError) as caught:
        Plan.from_dict(data)
    assert caught.value.plain.startswith("The field nickname is an unknown field; the known fields are ")

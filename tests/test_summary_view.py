"""The benefits summary section of the app (widgets/summary_view.py), without a browser."""

import base64
import re

from iwp_widgets import Plan
from iwp_widgets.widgets.state import PlanState
from iwp_widgets.widgets.summary_view import SummaryView, summary_view


def test_built_when_opened_and_redrawn_when_the_plan_changes():
    state = PlanState(Plan.example("ssi_student"))
    view = summary_view(state)
    assert isinstance(view, SummaryView) and view.page.value == ""  # closed: nothing computed
    view.show_summary()
    assert "Reporting calendar" in view.page.value and "<h3>" in view.page.value
    assert "by February 6, 2026" in view.page.value
    earnings = list(state.plan.earnings)
    earnings[0] = 0.0
    assert state.set(["earnings"], earnings)
    # January has no pay now: no SSI wage report due on February 6.
    assert "by February 6, 2026" not in view.page.value and "by March 6, 2026" in view.page.value
    view.show_summary(False)
    assert state.set(["earnings"], [100.0] + earnings[1:])
    assert view.page.value == ""  # closed again: dropped, rebuilt on opening


def test_downloads_escape_the_name():
    plan = Plan.example("ssi_student")
    document = plan.to_dict()
    document["iwp"]["beneficiary_name"] = "<b>Robin</b>"
    state = PlanState(Plan.from_dict(document))
    view = summary_view(state)
    view.show_summary()
    assert "&lt;b&gt;Robin&lt;/b&gt;" in view.page.value and "<b>Robin" not in view.page.value
    page = view.download("html").decode("utf-8")
    assert "&lt;b&gt;Robin&lt;/b&gt;" in page and page.startswith("<!DOCTYPE html>")
    link = re.search(r'href="data:text/html;base64,([^"]+)"', view.links.value)
    assert base64.b64decode(link.group(1)).decode("utf-8") == page

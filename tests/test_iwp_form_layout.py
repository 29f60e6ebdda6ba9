"""The IWP form as a counselor sees it (issue 14): readable widths of its own for the long text
fields, and the session's IWP behind a disclosure that says whether it is open."""

import ipywidgets as w
import pytest

from iwp_widgets import Plan
from iwp_widgets.widgets.controls import shared_model_ids

READABLE = ("iwp.employment_goal", "iwp.protection_advocacy_contact")


def widgets_under(root: w.Widget) -> list[w.Widget]:
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def test_the_goal_and_the_pa_contact_have_a_readable_width_of_their_own(goals):
    everything = widgets_under(goals.root)
    for source in READABLE:
        control = goals.iwp.fields[source].control
        layout = control.layout
        assert layout.width and layout.max_width == "100%", (source, layout.width)
        assert layout.model_id not in shared_model_ids()
        sharing = [other for other in everything if other is not control and getattr(other, "layout", None) is layout]
        assert not sharing, f"{source} shares its layout with {len(sharing)} other widgets"


@pytest.fixture
def session(store):
    from iwp_widgets.apps import session

    return session.App(Plan.example("concurrent_irwe"), name="irwe", store=store)


def test_the_iwp_opens_from_a_disclosure_that_says_whether_it_is_open(session):
    """A screen reader announces a disclosure's state from aria-expanded; ipywidgets' ToggleButton
    and Accordion set none (8.1: the Accordion's header is a div without a tab stop)."""
    from iwp_widgets.widgets.controls import Disclosure

    section = session.iwp
    button = section.toggle
    assert isinstance(button, Disclosure) and button.label.strip() and not button.expanded
    assert 'aria-expanded' in button._esm and '"button"' in button._esm  # a native button: Enter and Space
    assert section.form is None  # built when first opened
    button.expanded = True
    form = section.form
    assert form is not None and form.layout.display is None
    form.fields["iwp.employment_goal"].control.value = "Line cook"
    label = button.label
    button.expanded = False
    assert form.layout.display == "none" and button.label == label  # the state is aria-expanded's to say
    assert section.open_form() is form and form.fields["iwp.employment_goal"].control.value == "Line cook"

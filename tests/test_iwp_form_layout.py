"""The IWP form as a counselor sees it (issue 14): readable widths of its own for the long text
fields, and the session's IWP behind a disclosure that says whether it is open."""

import ipywidgets as w

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

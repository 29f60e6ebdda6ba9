"""Views that wait for the input to settle (iwp_widgets/widgets/quiet.py), in and out of a kernel."""

import asyncio

from iwp_widgets import Plan
from iwp_widgets.apps import earnings_projection
from iwp_widgets.storage import PlanStore
from iwp_widgets.widgets.quiet import WhenQuiet


def test_without_an_event_loop_the_handler_runs_at_once():
    calls = []
    quiet = WhenQuiet(calls.append)
    quiet({"new": 1})
    quiet({"new": 2})
    assert calls == [{"new": 1}, {"new": 2}]
    assert not quiet.pending


def test_in_a_kernel_a_burst_of_changes_runs_the_handler_once_with_the_newest():
    calls = []

    async def burst():
        quiet = WhenQuiet(calls.append, delay=0.05)
        for value in range(5):
            quiet({"new": value})
            await asyncio.sleep(0.01)  # faster than the delay: still one burst
        assert calls == [] and quiet.pending
        await asyncio.sleep(0.15)
        assert not quiet.pending

    asyncio.run(burst())
    assert calls == [{"new": 4}]


def test_flush_runs_a_pending_call_now_and_only_once():
    calls = []

    async def flushed():
        quiet = WhenQuiet(calls.append, delay=10)
        quiet({"new": "x"})
        quiet.flush()
        quiet.flush()
        await asyncio.sleep(0.01)

    asyncio.run(flushed())
    assert calls == [{"new": "x"}]


def test_in_a_kernel_the_chart_redraws_at_once_and_the_views_around_it_after_the_pause(tmp_path):
    """What a slider step costs in the earnings-projection app: the watched chart only."""
    app = earnings_projection.App(Plan.example("ssdi_ramp_to_sga"), store=PlanStore(tmp_path))
    slider = app.a.editor.fields["path.start_hours"].control
    paid = app.a.state.table["gross_earnings"] > 0
    app.month.value = str(paid[paid].index[0])  # the first month of work: its pay follows the slider
    views = lambda: (app.a.summary.value, app.counters.twp.value, app.explainer.text.value,  # noqa: E731
                     app.income_chart._redraw.revision)
    first_views, first_chart = views(), app.a.earnings_chart._redraw.revision

    async def drag():
        for step in range(1, 4):
            slider.value = slider.value + step
            assert app.a.earnings_chart._redraw.revision == first_chart + step
            assert views() == first_views
        await asyncio.sleep(0.3)

    asyncio.run(drag())
    summary, _, why, income_revision = views()
    table = app.a.state.table
    assert f"${table['gross_earnings'].sum():,.0f}" in summary and summary != first_views[0]
    assert income_revision == first_views[3] + 1  # one redraw for the whole drag
    assert why != first_views[2]

"""Views that wait for the input to settle (iwp_widgets/widgets/quiet.py), in and out of a kernel."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from iwp_widgets import Plan
from iwp_widgets.apps import earnings_projection
from iwp_widgets.storage import PlanStore
from iwp_widgets.widgets import quiet as quiet_module
from iwp_widgets.widgets.quiet import WhenQuiet


@pytest.fixture
def in_a_kernel(monkeypatch):
    """Run a coroutine as code in a kernel runs: with a running event loop that kernel_loop finds.
    It gets a thread of its own: the browser tests leave Playwright's loop running in this one."""
    def running_loop():  # as in a kernel; code that runs before the loop (building the app) gets None
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    monkeypatch.setattr(quiet_module, "kernel_loop", running_loop)

    def run(coroutine_function):
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, coroutine_function()).result()

    return run


def test_without_an_event_loop_the_handler_runs_at_once():
    calls = []
    quiet = WhenQuiet(calls.append)
    quiet({"new": 1})
    quiet({"new": 2})
    assert calls == [{"new": 1}, {"new": 2}]
    assert not quiet.pending


def test_in_a_kernel_a_burst_of_changes_runs_the_handler_once_with_the_newest(in_a_kernel):
    calls = []

    async def burst():
        quiet = WhenQuiet(calls.append, delay=0.05)
        for value in range(5):
            quiet({"new": value})
            await asyncio.sleep(0.01)  # faster than the delay: still one burst
        assert calls == [] and quiet.pending
        await asyncio.sleep(0.15)
        assert not quiet.pending

    in_a_kernel(burst)
    assert calls == [{"new": 4}]


def test_flush_runs_a_pending_call_now_and_only_once(in_a_kernel):
    calls = []

    async def flushed():
        quiet = WhenQuiet(calls.append, delay=10)
        quiet({"new": "x"})
        quiet.flush()
        quiet.flush()
        await asyncio.sleep(0.01)

    in_a_kernel(flushed)
    assert calls == [{"new": "x"}]


def test_in_a_kernel_the_chart_redraws_at_once_and_the_views_around_it_after_the_pause(tmp_path, in_a_kernel):
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

    in_a_kernel(drag)
    summary, _, why, income_revision = views()
    table = app.a.state.table
    assert f"${table['gross_earnings'].sum():,.0f}" in summary and summary != first_views[0]
    assert income_revision == first_views[3] + 1  # one redraw for the whole drag
    assert why != first_views[2]


def test_a_running_loop_outside_a_kernel_does_not_defer():
    """E.g. Playwright's sync API in the test process: its loop would never run a scheduled call."""
    calls = []

    async def outside_a_kernel():
        WhenQuiet(calls.append)({"new": 1})
        assert calls == [{"new": 1}]  # at once, not left on the loop

    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, outside_a_kernel()).result()
    assert calls == [{"new": 1}]

"""Autosave during a slider drag: one waiting thread for the whole burst, one write, the last plan.

Each slider step used to start (and cancel) a timer thread of its own, a few milliseconds of every
step; the burst now only notes what to write and when (iwp_widgets/widgets/files_bar.py).
"""

import threading
import time


def _autosave_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "iwp-autosave"]


def _wait_for_no_autosave_thread() -> None:
    deadline = time.monotonic() + 10
    while _autosave_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _autosave_threads()


def _recorded_writes(files, store, monkeypatch, delay_s: float) -> list:
    """The plans autosave writes, recorded instead of written, after ``delay_s`` of quiet."""
    files.AUTOSAVE_DELAY_S = delay_s
    writes = []
    monkeypatch.setattr(store, "autosave", lambda plan, *args, **kwargs: writes.append(plan))
    return writes


def test_a_burst_of_steps_starts_one_thread_and_writes_the_last_plan_once(projection, store, monkeypatch):
    files = projection.files
    writes = _recorded_writes(files, store, monkeypatch, 0.3)
    hours = projection.a.editor.fields["path.start_hours"].control
    projection.a.editor.fields["path.preset"].control.value = "Part-time, steady"
    files.flush_autosave()
    _wait_for_no_autosave_thread()
    writes.clear()
    started = threading.Thread.start
    starts = []

    def counting_start(thread):
        starts.append(thread.name)
        started(thread)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    for step in range(10):
        hours.value = 20 + step
    assert starts == ["iwp-autosave"]
    assert len(_autosave_threads()) == 1
    assert writes == []                                  # nothing written mid-burst
    _wait_for_no_autosave_thread()
    assert writes == [projection.a.state.plan]           # once, the plan after the last step
    assert projection.a.state.plan.earnings_path.start_hours == 29


def test_flush_writes_at_once_and_the_waiting_thread_then_writes_nothing(projection, store, monkeypatch):
    files = projection.files
    writes = _recorded_writes(files, store, monkeypatch, 0.2)
    projection.a.editor.fields["path.start_hours"].control.value = 25
    files.flush_autosave()
    assert writes == [projection.a.state.plan]
    time.sleep(0.5)
    assert writes == [projection.a.state.plan]           # not written a second time
    assert not _autosave_threads()


def test_a_cancelled_autosave_is_never_written(projection, store, monkeypatch):
    files = projection.files
    writes = _recorded_writes(files, store, monkeypatch, 0.2)
    projection.a.editor.fields["path.start_hours"].control.value = 25
    files._cancel_autosave()
    time.sleep(0.5)
    assert writes == []
    assert not _autosave_threads()

"""Views that can wait for the input to settle.

While a counselor drags a slider, the chart they watch redraws on every step; the views around
it (totals, the second chart, counters, the month's explanation, the checklist) redraw once the
input has been quiet for a moment. Each step then costs the kernel and the browser only the one
chart, so the next step is not queued behind work nobody is looking at, and a screen reader
announces the counters once instead of on every step.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

QUIET_DELAY_S = 0.15  # long enough to span key repeats and slider drags, short enough to feel live


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop of the IPython kernel this code runs in; None in scripts and tests.

    A running loop alone is not enough: a test process driving a browser through Playwright's
    sync API also has one, which never runs our callbacks.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class WhenQuiet:
    """``WhenQuiet(handler)`` is an observer that calls ``handler(change)`` with the newest change
    once no new change has come for ``delay`` seconds.

    In a kernel the call is scheduled on the kernel's event loop. Outside one (scripts, unit
    tests) there is nothing to wait for, and the handler runs at once.
    """

    def __init__(self, handler: Callable[[Any], None], delay: float = QUIET_DELAY_S):
        self.handler = handler
        self.delay = delay
        self._pending: asyncio.TimerHandle | None = None
        self._change: Any = None

    def __call__(self, change: Any = None) -> None:
        loop = kernel_loop()
        if loop is None:
            self.handler(change)
            return
        self._change = change
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.delay, self.flush)

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def flush(self) -> None:
        """Run a scheduled call now (also what the timer calls)."""
        if self._pending is None:
            return
        self._pending.cancel()
        self._pending = None
        change, self._change = self._change, None
        self.handler(change)

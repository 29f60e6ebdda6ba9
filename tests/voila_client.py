"""A Voilà app session without a browser, for the websocket load test (issue 8) and
benchmarks/bench_load.py.

One session does what a Voilà 0.5.13 page does, minus drawing:
1. GET /voila/render/<app>.ipynb (Voilà runs the notebook, or hands over a preheated kernel, and
   returns the page); the page's config JSON carries the kernel id and the page embeds the app's
   root widget as a widget-view output.
2. Open the kernel websocket /api/kernels/<id>/channels (Jupyter messaging protocol 5.x, JSON
   frames; binary frames carry buffers).
3. Ask for every widget's state as ipywidgets 8's front end does: open a `jupyter.widget.control`
   comm and send it `request_states`; the kernel answers `update_states`.
   Rendered = the root box of the page has the CSS class `iwp-app-ready` (set after the whole app
   is built).
4. Move the "Hours a week" slider (class `iwp-start-hours`) with a comm `update` of its value and
   time the kernel's answer: the chart redraw widget's new `revision` (the new chart data), then
   the kernel going idle.
"""

from __future__ import annotations

import json
import re
import statistics
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie
from dataclasses import dataclass, field
from pathlib import Path

import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from browser_support import NOTEBOOKS_DIR, VoilaServer  # noqa: E402  (reused, not duplicated)

READY_CLASS = "iwp-app-ready"
HOURS_SLIDER_CLASS = "iwp-start-hours"
WIDGET_CONTROL_TARGET = "jupyter.widget.control"
CONTROL_PROTOCOL_VERSION = "1.0.0"  # ipywidgets 8
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
ROOT_VIEW = re.compile(r'"model_id":\s*"([0-9a-f]{32})"')

__all__ = ["NOTEBOOKS_DIR", "VoilaServer", "SessionResult", "run_session", "run_sessions",
           "foreign_burst",
           "kernel_memory", "xsrf_cookie", "shutdown_kernels", "summarize", "percentile"]


def _decode_frame(frame) -> dict:
    """One websocket frame -> message dict. Binary frames (jupyter_server's legacy format): a
    uint32 count n, n uint32 offsets, then the JSON message and its buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = list(struct.unpack(f"!{count}I", frame[4:4 + 4 * count])) + [len(frame)]
    message = json.loads(frame[offsets[0]:offsets[1]].decode())
    message["buffers"] = [frame[offsets[i]:offsets[i + 1]] for i in range(1, count)]
    return message


class KernelChannel:
    """The kernel websocket of one page: send shell messages, read messages with a deadline."""

    def __init__(self, base_url: str, kernel_id: str, timeout: float):
        self.session = uuid.uuid4().hex
        ws_url = base_url.replace("http://", "ws://").rstrip("/")
        self.ws = websocket.create_connection(
            f"{ws_url}/api/kernels/{kernel_id}/channels?session_id={self.session}",
            timeout=timeout)

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "load-test",
                       "session": self.session, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": "shell", "buffers": [],
        }))
        return msg_id

    def receive_until(self, done, deadline: float) -> None:
        """Read messages until done(message) is true; TimeoutError at the deadline."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the kernel in time")
            self.ws.settimeout(left)
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException as error:
                raise TimeoutError("no answer from the kernel in time") from error
            if done(_decode_frame(frame)):
                return

    def close(self) -> None:
        self.ws.close()


@dataclass
class SessionResult:
    index: int
    kernel_id: str = ""
    page_s: float | None = None      # GET returned the page (Voilà ran the notebook)
    rendered_s: float | None = None  # + websocket and widget states: the app's root box is there
    response_ms: list[float] = field(default_factory=list)  # update sent -> chart's new data
    moved_at: list[float] = field(default_factory=list)     # time.monotonic() of each update
    idle_ms: list[float] = field(default_factory=list)      # update sent -> kernel idle
    widgets: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.rendered_s is not None and bool(self.response_ms)


def _find_model(states: dict, css_class: str) -> str | None:
    return next((model_id for model_id, model in states.items()
                 if css_class in model["state"].get("_dom_classes", ())), None)


def run_session(base_url: str, app: str, index: int, moves: int, timeout: float,
                start: threading.Barrier | None = None, on_rendered=None) -> SessionResult:
    """One page view of `app`: load, check it rendered, move the hours slider `moves` times
    (calling `on_rendered()` in between, if given). Never raises; a failure is recorded in
    result.error."""
    result = SessionResult(index)
    channel = None
    try:
        if start is not None:
            start.wait()
        started = time.monotonic()
        deadline = started + timeout
        with urllib.request.urlopen(f"{base_url.rstrip('/')}/voila/render/{app}.ipynb",
                                    timeout=timeout) as response:
            html = response.read().decode()
        result.page_s = time.monotonic() - started
        kernel = KERNEL_ID.search(html)
        root_view = ROOT_VIEW.search(html)
        if kernel is None:
            raise AssertionError("the page names no kernel")
        result.kernel_id = kernel.group(1)
        if root_view is None:
            # Seen under load: Voilà's executor stops waiting for the cell's output 4 s after the
            # kernel's reply (nbclient iopub_timeout) and serves the page without the app.
            raise AssertionError("the page came back without the app (no widget view in it)")

        channel = KernelChannel(base_url, result.kernel_id, timeout)
        control = uuid.uuid4().hex
        channel.send("comm_open", {"comm_id": control, "target_name": WIDGET_CONTROL_TARGET,
                                   "data": {}}, {"version": CONTROL_PROTOCOL_VERSION})
        channel.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        states: dict = {}

        def got_states(message):
            content = message.get("content", {})
            if (message.get("msg_type") == "comm_msg" and content.get("comm_id") == control
                    and content["data"].get("method") == "update_states"):
                states.update(content["data"]["states"])
                return True
            return False

        channel.receive_until(got_states, deadline)
        result.widgets = len(states)
        root = states.get(root_view.group(1), {}).get("state", {})
        if READY_CLASS not in root.get("_dom_classes", ()):
            raise AssertionError(f"the page's root widget has no {READY_CLASS} class")
        result.rendered_s = time.monotonic() - started
        if on_rendered is not None:
            on_rendered()

        slider = _find_model(states, HOURS_SLIDER_CLASS)
        redraws = {model_id for model_id, model in states.items()
                   if model["model_name"] == "AnyModel" and "revision" in model["state"]}
        if slider is None or not redraws:
            raise AssertionError("no hours slider or no chart redraw widget in the app")
        hours = states[slider]["state"]
        # Alternate between one step away and back, so the value always changes and stays in range.
        first = hours["value"]
        step = hours["step"] if first + hours["step"] <= hours["max"] else -hours["step"]
        for move in range(moves):
            value = first + step if move % 2 == 0 else first
            sent = time.monotonic()
            result.moved_at.append(sent)
            request = channel.send("comm_msg", {"comm_id": slider, "data": {
                "method": "update", "state": {"value": value}, "buffer_paths": []}})
            answered = {}

            def got_answer(message):
                if message.get("parent_header", {}).get("msg_id") != request:
                    return False
                content = message.get("content", {})
                if (message.get("msg_type") == "comm_msg" and content.get("comm_id") in redraws
                        and "revision" in content["data"].get("state", {})
                        and "response" not in answered):
                    answered["response"] = time.monotonic() - sent
                if message.get("msg_type") == "status" and content.get("execution_state") == "idle":
                    answered["idle"] = time.monotonic() - sent
                    return True
                return False

            channel.receive_until(got_answer, deadline)
            if "response" not in answered:
                raise AssertionError("the kernel went idle without redrawing the chart")
            result.response_ms.append(answered["response"] * 1000)
            result.idle_ms.append(answered["idle"] * 1000)
    except Exception as error:  # noqa: BLE001 (reported per session, asserted by the caller)
        result.error = f"{type(error).__name__}: {error}"
    finally:
        if channel is not None:
            channel.close()
    return result


def run_sessions(server: VoilaServer, app: str, sessions: int, moves: int = 3,
                 timeout: float = 300) -> tuple[list[SessionResult], dict]:
    """`sessions` page views of `app` at the same moment, each in its own thread, after the
    preheated pools are warm. Returns the sessions and the kernels' memory, measured while every
    session's kernel is still alive (before any page is shut down)."""
    server.wait_until_kernels_idle(server.pooled_kernels())
    start = threading.Barrier(sessions)
    results: list[SessionResult] = [None] * sessions  # type: ignore[list-item]

    errors: dict[int, str] = {}

    def worker(index: int) -> None:
        try:
            results[index] = run_session(server.url, app, index, moves, timeout, start)
        except Exception as exc:  # reported below with the session's number
            errors[index] = f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(sessions)]
    wall = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 30)
    wall = time.monotonic() - wall
    unfinished = {i: errors.get(i, "still running at the deadline")
                  for i, result in enumerate(results) if result is None}
    if unfinished:
        raise AssertionError(f"{len(unfinished)} of {sessions} sessions did not finish: {unfinished}")
    memory = kernel_memory(server, {r.kernel_id for r in results if r.kernel_id})
    memory["wall_s"] = wall
    return results, memory


def kernel_memory(server: VoilaServer, session_kernels: set[str] = frozenset()) -> dict:
    """RSS and USS (MiB) of every kernel process the server has started; `session_*` lists only
    the kernels serving the given kernel ids (the rest are preheated pool kernels)."""
    memory = {"kernels": 0, "rss_mib": [], "uss_mib": [], "session_rss_mib": [], "session_uss_mib": []}
    for kernel in server.kernel_processes():
        info = kernel.memory_full_info()
        # The kernel's connection file is named kernel-<kernel id>.json.
        ids = set(re.findall(r"kernel-([0-9a-f-]{36})\.json", " ".join(kernel.cmdline())))
        memory["kernels"] += 1
        for prefix in ("", "session_") if ids & session_kernels else ("",):
            memory[f"{prefix}rss_mib"].append(info.rss / 2**20)
            memory[f"{prefix}uss_mib"].append(info.uss / 2**20)
    return memory


def xsrf_cookie(base_url: str) -> str:
    """An _xsrf cookie from the notebook list. The app pages do not set one (Voilà 0.5.13), so a
    browser that opened an app by its link sends an empty token with the page's shutdown beacon,
    Voilà refuses it (403) and the kernel stays until culled."""
    with urllib.request.urlopen(base_url, timeout=60) as response:
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or ():
            cookies.load(header)
    return cookies["_xsrf"].value if "_xsrf" in cookies else ""


def shutdown_kernels(server: VoilaServer, results: list[SessionResult]) -> list[str]:
    """What a page does when it closes (Voilà's beforeunload beacon): shut its kernel down, with
    the _xsrf token of a browser that has visited the notebook list. Returns the failures."""
    token = xsrf_cookie(server.url)
    failures = []
    for result in results:
        if not result.kernel_id:
            continue
        request = urllib.request.Request(
            f"{server.url}voila/api/shutdown/{result.kernel_id}", method="POST",
            data=urllib.parse.urlencode({"_xsrf": token}).encode(),
            headers={"Cookie": f"_xsrf={token}"})
        try:
            urllib.request.urlopen(request, timeout=60).close()
        except OSError as error:
            failures.append(f"session {result.index}: {error}")
    return failures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarize(results: list[SessionResult], memory: dict) -> str:
    """Plain-text figures of a run (only sessions that finished count towards the timings)."""
    done = [r for r in results if r.ok]
    lines = [f"sessions {len(results)}, rendered and responded {len(done)}, "
             f"wall {memory['wall_s']:.1f} s, kernels {memory['kernels']}"]
    if done:
        page = [r.page_s for r in done]
        rendered = [r.rendered_s for r in done]
        response = [t for r in done for t in r.response_ms]
        idle = [t for r in done for t in r.idle_ms]
        lines += [
            f"page returned (s): median {statistics.median(page):.1f}, "
            f"p95 {percentile(page, 0.95):.1f}, max {max(page):.1f}",
            f"rendered (page + widget states) (s): median {statistics.median(rendered):.1f}, "
            f"p95 {percentile(rendered, 0.95):.1f}, max {max(rendered):.1f}",
            f"slider update -> chart data ({len(response)} moves) (ms): median "
            f"{statistics.median(response):.0f}, p95 {percentile(response, 0.95):.0f}, "
            f"max {max(response):.0f}",
            f"slider update -> kernel idle (ms): median {statistics.median(idle):.0f}, "
            f"p95 {percentile(idle, 0.95):.0f}, max {max(idle):.0f}",
            f"widgets per session: {done[0].widgets}",
        ]
    for label, prefix in (("session kernel", "session_"), ("all kernels", "")):
        rss, uss = memory[f"{prefix}rss_mib"], memory[f"{prefix}uss_mib"]
        if rss:
            lines.append(f"{label} memory ({len(rss)}) (MiB): RSS median {statistics.median(rss):.0f}, "
                         f"min {min(rss):.0f}, max {max(rss):.0f}, total {sum(rss):.0f}; "
                         f"USS median {statistics.median(uss):.0f}, total {sum(uss):.0f}")
    lines += [f"session {r.index}: {r.error}" for r in results if not r.ok]
    return "\n".join(lines)


@dataclass
class BurstResult:
    statuses: list[int]
    kernel_ids: list[str]        # of the pages served (each holds a kernel until shut down)
    refusal_bodies: list[str]    # bodies of the answers other than 200
    started: float               # time.monotonic() when the first request went out
    ended: float                 # ... and when the last answer came back


def foreign_burst(base_url: str, app: str, count: int, workers: int = 25,
                  timeout: float = 300) -> BurstResult:
    """`count` requests for the app's page at once, as another site's visitors would send them
    by following its links: a foreign Referer and Sec-Fetch-Site, top-level navigations (so only
    the kernel cap can stop them); every other request carries a fresh `iwp_client` cookie, so
    the per-client cap alone cannot stop them either."""
    from concurrent.futures import ThreadPoolExecutor

    url = f"{base_url.rstrip('/')}/voila/render/{app}.ipynb"

    def one(index: int) -> tuple[int, str]:
        headers = {"Referer": "http://evil.example/", "Sec-Fetch-Site": "cross-site",
                   "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document",
                   "Accept": "text/html"}
        if index % 2:
            headers["Cookie"] = f"iwp_client={uuid.uuid4().hex}"
        request = urllib.request.Request(f"{url}?burst={index}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(one, range(count)))
    ended = time.monotonic()
    return BurstResult(
        statuses=[status for status, _ in answers],
        kernel_ids=[match.group(1) for status, body in answers
                    if status == 200 and (match := KERNEL_ID.search(body))],
        refusal_bodies=[body for status, body in answers if status != 200],
        started=started, ended=ended)

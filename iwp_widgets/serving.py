"""Who may reach the Voilà server, and how many kernels it starts for pages (issue 13).

``voila.py`` builds a ``ServingPolicy`` from the environment and calls ``install(policy)``:

1. Host allowlist (DNS rebinding). A request is answered only when its Host header is one of the
   server's own addresses: ``127.0.0.1``, ``localhost`` or ``[::1]`` with the server's port, plus the
   addresses in ``IWP_ALLOWED_HOSTS`` (what a proxy in front forwards, e.g. ``iwp.example.org``).
   jupyter_server has this check (``allow_remote_access=False`` with ``local_hostnames``) and
   voila.py turns it on (``ServingPolicy.library_settings``), but it runs only in JupyterHandler
   subclasses (Voilà serves its static files and the preheat query websocket with plain tornado
   handlers), ignores the port and cannot allow a non-loopback IP address; the guard here runs in
   every handler Voilà registers.
2. Origin allowlist. A request that carries an Origin (every websocket, every cross-origin fetch or
   POST) must come from one of the same addresses. jupyter_server accepts any Origin equal to the
   Host header, which an attacker's rebound name satisfies.
3. No kernel for another site's subresource. ``/voila/render/...`` refuses a request that the
   browser marks (Sec-Fetch-Site / Sec-Fetch-Dest) as an image, script, frame... of another site,
   or, from a browser without those headers, one with a foreign Referer that does not accept HTML:
   an ``<img src=".../voila/render/app.ipynb">`` on any web page used to start a 200 MiB kernel.
4. Kernel cap. A page is refused with a plain "Too many open sessions" page (429 for one client,
   503 for the whole server) instead of starting a kernel once the server runs ``max_kernels``
   page kernels, or a client ``max_kernels_per_client``. A client is the browser (an ``iwp_client``
   cookie, SameSite=Lax so other sites' subresources never carry it); a request without the cookie
   counts both for its address (so cookieless bursts share one budget; behind a proxy on this
   machine, the address it forwards) and for the cookie it is given. A page's kernel counts from the moment its request is admitted until the kernel is
   shut down (page closed) or culled; the preheated pool kernels are not counted.
5. No open server on the network: Voilà refuses to start when it listens beyond loopback and no
   token or password (or other identity provider) is configured.
6. ``/logout`` answers a plain page (jupyter_server's own renders a template that needs a
   ``static_path`` setting Voilà does not have: 500).
"""

from __future__ import annotations

import asyncio
import functools
import html
import ipaddress
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.logout import LogoutHandler as _LibraryLogoutHandler
from jupyter_server.utils import url_path_join
from tornado.log import app_log

ALLOWED_HOSTS_ENV = "IWP_ALLOWED_HOSTS"
MAX_KERNELS_ENV = "IWP_MAX_KERNELS"
MAX_KERNELS_PER_CLIENT_ENV = "IWP_MAX_KERNELS_PER_CLIENT"

# Measured: an app kernel holds 150-230 MiB RSS (docs/serving.md); plan with the high figure.
KERNEL_MIB = 230
# Share of the memory available at start-up that page kernels may take.
MEMORY_SHARE = 0.75
# 20 sessions on 2 busy cores answered a slider move in 0.6 s at p95 (docs/serving.md).
KERNELS_PER_CORE = 10
# A counselor with a few tabs of the two apps.
DEFAULT_MAX_KERNELS_PER_CLIENT = 5

CLIENT_COOKIE = "iwp_client"
_CLIENT_ID = re.compile(r"[0-9a-f]{32}")
_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
RETRY_AFTER_SECONDS = 120
# A reloaded page's request for a new kernel can arrive just before the old page's shutdown
# request: at the cap, look again for a second before refusing.
ADMISSION_WAIT_SECONDS = 1

TOO_MANY_TITLE = "Too many open sessions"
# The heading says "Too many open sessions"; the text says what to do.
TOO_MANY_MESSAGE = "Close another IWP Planner tab, or try again in a few minutes."
SERVER_FULL_NOTE = "This server has as many IWP Planner pages open as it can hold."
FOREIGN_ADDRESS_MESSAGE = "This server answers only at its own address."
SUBRESOURCE_MESSAGE = (
    "IWP Planner opens only as a page of its own, not inside another website. "
    "Open its link directly."
)


def available_memory_bytes() -> int:
    """Memory the system can give to new processes now (Linux MemAvailable)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def default_max_kernels(available_bytes: int | None = None, cores: int | None = None) -> int:
    """Page kernels this machine can hold: the smaller of what 3/4 of the available memory holds
    at KERNEL_MIB each and KERNELS_PER_CORE per core; at least 1."""
    available_bytes = available_memory_bytes() if available_bytes is None else available_bytes
    cores = usable_cores() if cores is None else cores
    by_memory = int(available_bytes * MEMORY_SHARE) // (KERNEL_MIB * 2**20)
    return max(1, min(by_memory, KERNELS_PER_CORE * cores))


def loopback_addresses(port: int) -> tuple[str, ...]:
    return (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}")


def is_loopback(ip: str) -> bool:
    """True for the addresses only this machine can reach ('localhost', 127.x.x.x, ::1)."""
    if ip.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(address: str) -> str:
    """'name:port', '[v6]:port' or 'name' -> the name (v6 without brackets)."""
    if address.startswith("["):
        return address[1:].split("]", 1)[0]
    return address.rsplit(":", 1)[0] if address.count(":") == 1 else address


def _positive_int(environ, name: str, default: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {text!r}")
    return int(text)


@dataclass(frozen=True)
class ServingPolicy:
    """The addresses the server answers at (besides loopback with its port) and its kernel caps."""

    extra_hosts: tuple[str, ...] = ()
    max_kernels: int = field(default_factory=default_max_kernels)
    max_kernels_per_client: int = DEFAULT_MAX_KERNELS_PER_CLIENT

    @classmethod
    def from_environment(cls, environ=None) -> "ServingPolicy":
        """IWP_ALLOWED_HOSTS (comma-separated 'name' or 'name:port'), IWP_MAX_KERNELS and
        IWP_MAX_KERNELS_PER_CLIENT; each falls back to its default when unset or empty."""
        environ = os.environ if environ is None else environ
        hosts = tuple(
            entry.strip().lower()
            for entry in environ.get(ALLOWED_HOSTS_ENV, "").split(",")
            if entry.strip()
        )
        for entry in hosts:
            if not re.fullmatch(r"(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d+)?", entry):
                raise ValueError(
                    f"{ALLOWED_HOSTS_ENV}: {entry!r} is not a host name or 'name:port'"
                )
        return cls(
            extra_hosts=hosts,
            max_kernels=_positive_int(environ, MAX_KERNELS_ENV, default_max_kernels()),
            max_kernels_per_client=_positive_int(
                environ, MAX_KERNELS_PER_CLIENT_ENV, DEFAULT_MAX_KERNELS_PER_CLIENT
            ),
        )

    def addresses(self, port: int) -> frozenset[str]:
        """Every Host (and Origin host) the server answers to, lower case, 'name[:port]'."""
        return frozenset((*loopback_addresses(port), *self.extra_hosts))

    def host_allowed(self, host: str | None, port: int) -> bool:
        return bool(host) and host.strip().lower() in self.addresses(port)

    def origin_allowed(self, origin: str, port: int) -> bool:
        parts = urlsplit(origin.strip().lower())
        return (
            parts.scheme in ("http", "https")
            and not parts.path.strip("/")
            and parts.netloc in self.addresses(port)
        )

    def library_settings(self) -> dict:
        """jupyter_server's own Host check (for Voila.tornado_settings): only loopback addresses
        and the allowed names. It cannot allow a non-loopback IP address, so an allowlist with one
        turns it off and leaves the check to the guard installed here."""
        names = sorted({"localhost", *(_host_name(entry) for entry in self.extra_hosts)})
        non_loopback_ip = False
        for name in names:
            try:
                non_loopback_ip |= not ipaddress.ip_address(name).is_loopback
            except ValueError:
                pass
        return {"allow_remote_access": non_loopback_ip, "local_hostnames": names}

    def describe(self) -> str:
        hosts = ", ".join(self.extra_hosts) or "none"
        return (
            f"answers at 127.0.0.1, localhost and [::1] with its port and at: {hosts}; "
            f"page kernels at most {self.max_kernels} on this server, "
            f"{self.max_kernels_per_client} per client"
        )


def foreign_subresource(headers, origin_allowed) -> bool:
    """True when a browser asks for the page as part of another site's page (an image, script,
    frame, fetch ...), which must never start a kernel. ``origin_allowed(origin)`` says whether an
    origin is one of ours. Top-level navigations (a link, a bookmark, the address bar) pass."""
    site = headers.get("Sec-Fetch-Site")
    if site is not None:
        if site.lower() in ("same-origin", "none"):
            return False
        return headers.get("Sec-Fetch-Dest", "").lower() != "document"
    # A browser without fetch metadata: a foreign Referer on a request that does not want HTML.
    referer = headers.get("Referer")
    if not referer:
        return False
    parts = urlsplit(referer)
    foreign = not origin_allowed(f"{parts.scheme}://{parts.netloc}")
    return foreign and "text/html" not in headers.get("Accept", "")


def client_address(peer: str, headers) -> str:
    """The browser's address: the peer's, or, when the peer is a proxy on this machine, the one
    it forwards (X-Real-IP, else the last X-Forwarded-For entry, which that proxy appended).
    A page in a browser cannot set these headers on another site's requests (CORS preflight)."""
    if is_loopback(peer):
        forwarded = headers.get("X-Real-Ip") or headers.get("X-Forwarded-For", "").split(",")[-1]
        if forwarded.strip():
            return forwarded.strip()
    return peer


@dataclass(eq=False)
class _Ticket:
    clients: frozenset[str]  # the browser's cookie; also the address when it came without one
    kernel_id: str | None = None
    finished: bool = False


class PageSessions:
    """Page kernels per client, counted from admission (before the kernel starts, so a burst of
    requests cannot all pass the check) until the kernel is gone. One per server process; used
    from tornado's event loop only, so no lock."""

    def __init__(self, max_kernels: int, max_per_client: int):
        self.max_kernels = max_kernels
        self.max_per_client = max_per_client
        self._tickets: list[_Ticket] = []

    def _prune(self, live_kernel_ids) -> None:
        live = set(live_kernel_ids)
        self._tickets = [
            t for t in self._tickets
            if not t.finished or (t.kernel_id is not None and t.kernel_id in live)
        ]

    def count(self, live_kernel_ids, client: str | None = None) -> int:
        self._prune(live_kernel_ids)
        return sum(1 for t in self._tickets if client is None or client in t.clients)

    def admit(self, clients, live_kernel_ids) -> tuple[_Ticket | None, int]:
        """(ticket, 200), or (None, 429) when one of the request's client keys is at its cap,
        (None, 503) when the server is."""
        clients = frozenset([clients] if isinstance(clients, str) else clients)
        if any(self.count(live_kernel_ids, c) >= self.max_per_client for c in clients):
            return None, 429
        if self.count(live_kernel_ids) >= self.max_kernels:
            return None, 503
        ticket = _Ticket(clients)
        self._tickets.append(ticket)
        return ticket, 200

    @staticmethod
    def note_output(ticket: _Ticket, html_snippet: str) -> None:
        """The page names its kernel in its page config; from then on the ticket lasts as long
        as that kernel."""
        if ticket.kernel_id is None:
            found = _KERNEL_ID.search(html_snippet)
            if found:
                ticket.kernel_id = found.group(1)

    @staticmethod
    def finish(ticket: _Ticket) -> None:
        ticket.finished = True

    def closing(self, kernel_id: str) -> None:
        """The page asked for its kernel's shutdown: stop counting it now, not once the kernel
        has exited (seconds later), so that a reloaded page gets its new kernel."""
        self._tickets = [t for t in self._tickets if t.kernel_id != kernel_id]


def plain_page(title: str, *paragraphs: str, link: tuple[str, str] | None = None) -> str:
    """A small self-contained HTML page; every text is escaped."""
    body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    if link is not None:
        href, label = link
        body += f'<p><a href="{html.escape(href, quote=True)}">{html.escape(label)}</a></p>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;"
        "padding:0 1em;line-height:1.5;color:#1a1a1a}h1{font-size:1.5em}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>\n"
    )


class ServingState:
    """What the guards need at request time; kept in the tornado settings as 'iwp_serving'."""

    def __init__(self, policy: ServingPolicy):
        self.policy = policy
        self.sessions = PageSessions(policy.max_kernels, policy.max_kernels_per_client)


def _respond(handler, status: int, page: str, **headers) -> None:
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    for name, value in headers.items():
        handler.set_header(name.replace("_", "-"), value)
    handler.finish(page)


class _RequestGuard:
    """Mixed in front of every handler Voilà registers: Host and Origin allowlist."""

    def _iwp_policy(self) -> tuple[ServingPolicy, int]:
        return self.settings["iwp_serving"].policy, self.settings["voila"].port

    def _iwp_refused(self) -> bool:
        """Answer the request with a refusal page and return True if it must go no further."""
        policy, port = self._iwp_policy()
        host = self.request.headers.get("Host")
        origin = self.request.headers.get("Origin")
        if not policy.host_allowed(host, port):
            reason = f"Host {host!r}"
        elif origin is not None and not policy.origin_allowed(origin, port):
            reason = f"Origin {origin!r}"
        else:
            return False
        # %r-quoted header values: nothing a request sends reaches the log unquoted.
        app_log.warning("[IWP] refused %s %r: %s is not an allowed address",
                        self.request.method, self.request.path, reason)
        _respond(self, 403, plain_page("Wrong address", FOREIGN_ADDRESS_MESSAGE))
        return True

    def prepare(self, *args, **kwargs):
        if self._iwp_refused():
            return None
        return super().prepare(*args, **kwargs)


class _RenderGuard(_RequestGuard):
    """In front of Voilà's page handler: no kernel for another site's subresource, and the cap."""

    def _iwp_refused(self) -> bool:
        if super()._iwp_refused():
            return True
        policy, port = self._iwp_policy()
        if not foreign_subresource(self.request.headers, lambda o: policy.origin_allowed(o, port)):
            return False
        app_log.warning("[IWP] refused %r: requested as part of another site's page "
                        "(Sec-Fetch-Dest %r)", self.request.path,
                        self.request.headers.get("Sec-Fetch-Dest"))
        _respond(self, 403, plain_page("Open IWP Planner directly", SUBRESOURCE_MESSAGE))
        return True

    def _iwp_clients(self) -> set[str]:
        cookie = self.get_cookie(CLIENT_COOKIE)
        if cookie and _CLIENT_ID.fullmatch(cookie):
            return {f"browser {cookie}"}
        # First visit, or a request without the browser's cookies (another site's, a script):
        # counted by address, and under the cookie it is given for the browser's next pages.
        cookie = secrets.token_hex(16)
        self.set_cookie(CLIENT_COOKIE, cookie, path=self.base_url, httponly=True, samesite="Lax")
        address = client_address(self.request.remote_ip, self.request.headers)
        return {f"browser {cookie}", f"address {address}"}

    async def get_generator(self, path=None):
        state: ServingState = self.settings["iwp_serving"]
        clients = self._iwp_clients()
        deadline = time.monotonic() + ADMISSION_WAIT_SECONDS
        while True:
            live = self.kernel_manager.list_kernel_ids()
            ticket, status = state.sessions.admit(clients, live)
            if ticket is not None or time.monotonic() >= deadline:
                break
            await asyncio.sleep(0.25)
        if ticket is None:
            app_log.warning("[IWP] refused %r with %d: too many open sessions (%d on the server)",
                             self.request.path, status, state.sessions.count(live))
            notes = (TOO_MANY_MESSAGE,) + ((SERVER_FULL_NOTE,) if status == 503 else ())
            self.set_status(status)
            self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            yield plain_page(TOO_MANY_TITLE, *notes)
            return
        try:
            async for snippet in super().get_generator(path):
                state.sessions.note_output(ticket, snippet)
                yield snippet
        finally:
            state.sessions.finish(ticket)


class _ShutdownGuard(_RequestGuard):
    """In front of Voilà's kernel shutdown (the page's request when it closes or reloads)."""

    async def prepare(self, *args, **kwargs):
        result = super().prepare(*args, **kwargs)
        if result is not None:
            await result
        # Past jupyter_server's checks (XSRF) and signed in: the shutdown goes ahead.
        if (not self._finished and self.request.method == "POST" and self.path_args
                and self.current_user):
            self.settings["iwp_serving"].sessions.closing(self.path_args[0])


def _guarded(spec):
    """(pattern, handler[, kwargs]) -> the same with the handler behind the right guard."""
    from voila.handler import VoilaHandler
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    pattern, handler, *rest = spec
    if issubclass(handler, VoilaHandler):
        guard = _RenderGuard
    elif issubclass(handler, VoilaShutdownKernelHandler):
        guard = _ShutdownGuard
    else:
        guard = _RequestGuard
    return (pattern, type(handler.__name__, (guard, handler), {}), *rest)


def exposure_problem(ip: str, auth_enabled: bool) -> str | None:
    """Why the server must not start, or None: listening beyond loopback with nobody asked to
    sign in would give the apps, and every saved plan, to the whole network."""
    if auth_enabled or is_loopback(ip):
        return None
    where = ip or "every network address"
    return (
        f"IWP Planner will not start: it would listen on {where} with no token or password, "
        "so anyone on the network could open the apps and the saved plans. Start it with "
        "--Voila.token=<a long random secret> (or a password), or keep --Voila.ip=127.0.0.1 "
        "behind a proxy that signs people in (docs/serving.md, Shared deployment)."
    )


_MARKER = "_iwp_serving_guard"


def is_installed() -> bool:
    from voila.app import Voila

    return getattr(Voila.init_handlers, _MARKER, False)


def install(policy: ServingPolicy) -> bool:
    """Put every Voilà handler behind the guards and check the exposure at start-up
    (idempotent). True if it patched just now."""
    from voila.app import Voila

    if is_installed():
        return False
    original_settings = Voila.init_settings
    original_handlers = Voila.init_handlers

    @functools.wraps(original_settings)
    def init_settings(self):
        settings = original_settings(self)
        problem = exposure_problem(self.ip, self.identity_provider.auth_enabled)
        if problem:
            self.log.critical(problem)
            shutil.rmtree(self.connection_dir, ignore_errors=True)
            self.exit(1)
        settings["iwp_serving"] = ServingState(policy)
        return settings

    @functools.wraps(original_handlers)
    def init_handlers(self):
        return [_guarded(spec) for spec in original_handlers(self)]

    setattr(init_handlers, _MARKER, True)
    Voila.init_settings = init_settings
    Voila.init_handlers = init_handlers
    return True


class LogoutHandler(_LibraryLogoutHandler):
    """/logout as a plain page. jupyter_server's renders its logout.html, whose page.html calls
    static_url, which needs a 'static_path' setting Voilà does not set: every /logout was a 500."""

    @allow_unauthenticated
    def get(self):
        self.identity_provider.clear_login_cookie(self)
        if self.identity_provider.login_available:
            page = plain_page("Signed out", "You are signed out of IWP Planner.",
                              link=(url_path_join(self.base_url, "login"), "Sign in again"))
        else:
            page = plain_page(
                "Nothing to sign out of",
                "This IWP Planner server does not ask anyone to sign in, so there is nothing "
                "to sign out of.",
                link=(self.base_url, "Back to the list of apps"),
            )
        _respond(self, 200, page)

"""Work-arounds for two Jupyter/Voilà bugs, installed from ``voila.py`` (Voilà's config file in the
repository root); the first also from ``tests/conftest.py`` (nbclient in the test process).

1. A lost kernel reply makes Voilà pages hang on "Executing 3 of 5" (``install``).
   ``jupyter_client``'s asynchronous channel waits for a reply with a single
   ``await socket.poll(timeout)``. With the versions below that single poll sometimes misses a reply
   that has already arrived, so the wait lasts for the whole timeout. Voilà runs notebooks without a
   cell timeout, so its page waits forever; nbclient and nbmake stall for exactly their cell timeout.
   Upstream reports (open when this was written): nbclient issue 312 and pull request 311, Voilà
   issues 1395 and 1446. The fix: poll in short slices until the caller's own deadline, so a reply
   that one poll missed is seen by the next one a quarter of a second later.

2. Closing an app opened by its link leaves its kernel running (``install_xsrf_cookie``).
   On ``beforeunload`` Voilà's page asks the server to shut its kernel down, with the ``_xsrf``
   cookie as the request's XSRF token; but only the notebook list sets that cookie, not
   ``/voila/render/...``, so the request is refused (403, "'_xsrf' argument missing from POST";
   Voilà issue 1458, open) and the kernel (about 200 MiB) stays until culled 10 minutes later. The
   fix: the render handler sets the cookie too, as the list page does.

When any version in ``CHECKED_AGAINST`` changes, ``tests/test_jupyter_workarounds.py`` fails on
purpose: re-run its stall test without the patch, check the upstream reports, then update this
module (or delete a work-around once upstream has fixed its bug).
"""

from __future__ import annotations

import functools
import time
from importlib.metadata import version
from queue import Empty

from jupyter_client.channels import AsyncZMQSocketChannel

# Versions this work-around was tested with (the hang was reproduced with them, and gone with the
# patch: 12 of 12 Voilà loads, nbclient 65 s -> 5 s).
CHECKED_AGAINST = {
    "jupyter_client": "8.10.0",
    "pyzmq": "27.3.0",
    "nbclient": "0.11.0",
    "ipykernel": "7.4.0",
    "voila": "0.5.13",
}

# Short enough that a missed reply costs little; long enough not to busy-wait.
POLL_SLICE_SECONDS = 0.25

_MARKER = "_iwp_sliced_poll"
_XSRF_MARKER = "_iwp_sets_xsrf_cookie"


def installed_versions() -> dict[str, str]:
    """The installed version of every package named in CHECKED_AGAINST."""
    return {name: version(name) for name in CHECKED_AGAINST}


def versions_differing_from_checked() -> dict[str, tuple[str, str]]:
    """{package: (checked, installed)} for each package whose version is not the checked one."""
    installed = installed_versions()
    return {
        name: (checked, installed[name])
        for name, checked in CHECKED_AGAINST.items()
        if installed[name] != checked
    }


def is_installed() -> bool:
    """True when AsyncZMQSocketChannel.get_msg is the sliced-poll version."""
    return getattr(AsyncZMQSocketChannel.get_msg, _MARKER, False)


def install() -> bool:
    """Patch AsyncZMQSocketChannel.get_msg (idempotent). Returns True if it patched just now."""
    if is_installed():
        return False
    original = AsyncZMQSocketChannel.get_msg

    @functools.wraps(original)
    async def get_msg(self, timeout: float | None = None):
        assert self.socket is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if deadline is None:
                slice_seconds = POLL_SLICE_SECONDS
            else:
                slice_seconds = min(POLL_SLICE_SECONDS, max(0.0, deadline - time.monotonic()))
            if await self.socket.poll(int(slice_seconds * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty

    setattr(get_msg, _MARKER, True)
    AsyncZMQSocketChannel.get_msg = get_msg
    return True


def xsrf_cookie_is_installed() -> bool:
    """True when Voilà's render handler sets the ``_xsrf`` cookie."""
    from voila.handler import VoilaHandler

    return getattr(VoilaHandler.prepare, _XSRF_MARKER, False)


def install_xsrf_cookie() -> bool:
    """Make ``/voila/render/...`` set the ``_xsrf`` cookie (idempotent). True if it patched now."""
    from jupyter_core.utils import ensure_async
    from voila.handler import VoilaHandler

    if xsrf_cookie_is_installed():
        return False
    original = VoilaHandler.prepare

    @functools.wraps(original)
    async def prepare(self, *args, **kwargs):
        result = await ensure_async(original(self, *args, **kwargs))
        # Reading the token sets the cookie (tornado), before any of the page is written.
        self.xsrf_token  # noqa: B018
        return result

    setattr(prepare, _XSRF_MARKER, True)
    VoilaHandler.prepare = prepare
    return True

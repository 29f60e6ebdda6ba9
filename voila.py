"""Voilà configuration that needs code (static settings are in voila.json; both are read from the
working directory, so start Voilà from the repository root with the `voila` script, not
`python -m voila`, which would import this file instead of the package).
See docs/serving.md for each choice and the figures behind it."""

import os
import sys

# iwp_widgets comes from the installed package (pip install -e .). Never put this folder on
# sys.path: this file would then shadow the voila package.
from iwp_widgets import serving
from iwp_widgets.jupyter_workarounds import install, install_xsrf_cookie
from iwp_widgets.kernel_websocket import NoDelayKernelConnection

REPO_ROOT = os.path.dirname(os.path.abspath(__file__))

try:
    c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
except NameError:
    # Imported as a module because this folder is on sys.path (`python -m ...` from here).
    raise ImportError(
        "voila.py here is Voilà's configuration file, not the voila package; run from another "
        "folder or use the `voila` script"
    ) from None

# Stops pages hanging on "Executing 3 of 5" (see the module's docstring).
install()
print("[IWP] jupyter_client get_msg sliced-poll work-around installed", file=sys.stderr, flush=True)
# Lets a page opened by its link shut its kernel down when it is closed (see the module's docstring).
install_xsrf_cookie()

# Our offline template ("iwp", in share/jupyter/voila/templates) is found through JUPYTER_PATH;
# Voilà resolves templates after reading this file.
share = os.path.join(REPO_ROOT, "share", "jupyter")
paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
if share not in paths:
    os.environ["JUPYTER_PATH"] = os.pathsep.join([share, *paths])

# What a beneficiary sees if a cell fails. Voilà shows "There was an error when executing cell [N]."
# followed by this text, in place of the traceback (which stays in the server log only).
c.VoilaExecutor.cell_error_instruction = (
    "This part of the page could not be shown. Please reload the page. "
    "If it happens again, tell your counselor."
)
# No cell timeout (VoilaExecutor.timeout stays None): a preheated kernel runs the notebook ahead
# and then waits, inside a cell, for its page to be requested (voila.utils.wait_for_request),
# which may take hours; a cell timeout would break every pooled kernel that waits longer.

# nbclient waits only 4 s (iopub_timeout) for a cell's output after the kernel's reply; with many
# kernels starting at once on 2 cores an app's ~220 widget messages arrive later, and the page was
# served with an empty app cell ("Timeout waiting for IOPub output"). nbclient stops waiting as soon
# as the kernel reports idle, so a longer limit costs nothing when the output is on time.
c.VoilaExecutor.iopub_timeout = 60

# Each kernel message goes to the browser at once, not 40 ms later (see the module's docstring).
c.Voila.kernel_websocket_connection_class = NoDelayKernelConnection

# Who may reach the server and how many kernels it starts (iwp_widgets/serving.py): answer only at
# our own addresses (Host and Origin; DNS rebinding), start no kernel for another site's <img> or
# frame, cap page kernels per server and per client, refuse to listen beyond loopback without a
# token or password. Settings: IWP_ALLOWED_HOSTS, IWP_MAX_KERNELS, IWP_MAX_KERNELS_PER_CLIENT
# (docs/serving.md); to fix them in this file instead, give from_environment a dict to read in
# place of the environment, e.g. from_environment({"IWP_MAX_KERNELS": "8"}).
policy = serving.ServingPolicy.from_environment()
serving.install(policy)
# jupyter_server's own Host check, for the handlers that run it (Voilà turns it off by default).
c.Voila.tornado_settings = policy.library_settings()
# /logout answers a plain page instead of a 500.
c.IdentityProvider.logout_handler_class = serving.LogoutHandler
print(f"[IWP] serving: {policy.describe()}", file=sys.stderr, flush=True)

"""Voilà configuration that needs code (static settings are in voila.json; both are read from the
working directory, so start Voilà from the repository root with the `voila` script, not
`python -m voila`, which would import this file instead of the package).
See docs/serving.md for each choice and the figures behind it."""

import os
import sys

REPO_ROOT = os.path.dirname(os.path.abspath(__file__))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from iwp_widgets.jupyter_workarounds import install  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# Stops pages hanging on "Executing 3 of 5" (see the module's docstring).
install()
print("[IWP] jupyter_client get_msg sliced-poll work-around installed", file=sys.stderr, flush=True)

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
c.VoilaExecutor.cell_timeout_instruction = (
    "Sorry, this page took too long to load. Please reload the page."
)
# A cell that runs longer than this is stopped (a page should never wait forever).
c.VoilaExecutor.timeout = 120

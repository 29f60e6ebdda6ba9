"""Shared test set-up."""

import sys
from pathlib import Path

import pytest

from iwp_widgets.jupyter_workarounds import install as install_jupyter_workaround

REPO_ROOT = Path(__file__).resolve().parents[1]


def _import_the_voila_package():
    """`python -m pytest` puts the repository root on sys.path, where voila.py (Voilà's config
    file) would shadow the voila package for any test that imports voila. Import the package once
    with the root left out, so sys.modules holds the real one for the whole session."""
    saved = sys.path[:]
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != REPO_ROOT]
    try:
        import voila  # noqa: F401
    finally:
        sys.path[:] = saved


_import_the_voila_package()

# nbclient runs notebooks in this process; without this, a lost kernel reply stalls a notebook test
# for its whole cell timeout (see iwp_widgets/jupyter_workarounds.py).
install_jupyter_workaround()


# The counselor apps in-process (tests/test_widgets.py, tests/test_earnings_path_saved.py): set a
# control's .value as the browser would, then read the plan, the table and the views.

@pytest.fixture
def store(tmp_path):
    from iwp_widgets.storage import PlanStore

    return PlanStore(tmp_path / "plans")


@pytest.fixture
def projection(store):
    from iwp_widgets import Plan
    from iwp_widgets.apps import earnings_projection

    return earnings_projection.App(Plan.example("ssdi_ramp_to_sga"), name="ramp", store=store)


@pytest.fixture
def goals(store):
    from iwp_widgets import Plan
    from iwp_widgets.apps import goal_setting

    return goal_setting.App(Plan.example("ssdi_ramp_to_sga"), name="ramp", store=store)

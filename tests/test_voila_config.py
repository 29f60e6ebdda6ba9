"""The repository's Voilà configuration (voila.json + voila.py), read the way Voilà reads it."""

import json
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from iwp_widgets import jupyter_workarounds

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config(monkeypatch):
    """voila.json merged with voila.py (voila.py wins, as in traitlets); JUPYTER_PATH restored."""
    monkeypatch.setenv("JUPYTER_PATH", "")
    merged = json.loads((REPO_ROOT / "voila.json").read_text())
    loaded = PyFileConfigLoader("voila.py", path=str(REPO_ROOT)).load_config()
    for section, values in loaded.items():
        merged.setdefault(section, {}).update(values)
    return merged


def test_pages_show_no_code_and_no_tracebacks(config):
    assert config["VoilaConfiguration"]["strip_sources"] is True
    assert config["VoilaConfiguration"]["show_tracebacks"] is False
    instruction = config["VoilaExecutor"]["cell_error_instruction"]
    assert "show_tracebacks" not in instruction and "--debug" not in instruction


def test_idle_kernels_of_closed_pages_are_culled(config):
    assert config["MappingKernelManager"] == {
        "cull_interval": 60,
        "cull_idle_timeout": 600,
        "cull_connected": False,
    }


def test_voila_py_installs_the_work_around(config):
    assert jupyter_workarounds.is_installed()


def test_offline_template_is_found(config):
    from voila.paths import collect_template_paths

    assert config["VoilaConfiguration"]["template"] == "iwp"
    paths = collect_template_paths(["voila", "nbconvert"], "iwp", prune=True)
    assert str(REPO_ROOT / "share" / "jupyter" / "voila" / "templates" / "iwp") in paths


def test_preheat_pools_name_existing_notebooks_and_no_cell_timeout(config):
    """Pools are keyed by notebook path: a renamed app would silently lose its warm kernel. A
    pooled kernel waits inside a cell for its page, so a cell timeout would break it."""
    if not config["VoilaConfiguration"]["preheat_kernel"]:
        pytest.skip("preheating is off")
    pools = config["VoilaKernelManager"]["kernel_pools_config"]
    assert pools["default"]["pool_size"] == 0
    for name in set(pools) - {"default"}:
        assert (REPO_ROOT / "notebooks" / name).exists(), name
    assert config.get("VoilaExecutor", {}).get("timeout") is None


def test_kernel_websockets_send_each_message_at_once(config):
    from iwp_widgets.kernel_websocket import NoDelayKernelConnection

    assert config["Voila"]["kernel_websocket_connection_class"] is NoDelayKernelConnection


def test_the_connection_sets_tcp_nodelay_before_it_connects(monkeypatch):
    """The handler's stream gets TCP_NODELAY first; jupyter_server's connect then runs unchanged."""
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    from iwp_widgets.kernel_websocket import NoDelayKernelConnection

    calls = []

    class Handler:
        def set_nodelay(self, value):
            calls.append(("nodelay", value))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", lambda self: calls.append("connect"))
    connection = NoDelayKernelConnection.__new__(NoDelayKernelConnection)
    connection.__dict__["websocket_handler"] = Handler()
    monkeypatch.setattr(NoDelayKernelConnection, "websocket_handler", property(lambda self: self.__dict__["websocket_handler"]))
    connection.connect()
    assert calls == [("nodelay", True), "connect"]


def test_voila_py_lets_pages_opened_by_link_shut_their_kernel_down(config):
    assert jupyter_workarounds.xsrf_cookie_is_installed()
    assert jupyter_workarounds.install_xsrf_cookie() is False  # idempotent

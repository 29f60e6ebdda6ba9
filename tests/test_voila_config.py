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


def test_the_pool_refills_after_the_page_that_took_its_kernel_has_opened(config):
    """Starting the refill kernel costs about 3 s of CPU; Voilà's default (1 s after the page's
    request) ran it on the same cores as the page being opened (docs/serving.md)."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    manager = voila_kernel_manager_factory(AsyncMappingKernelManager, preheat_kernel=True, default_pool_size=1)
    assert "fill_delay" in manager.class_trait_names(config=True)   # the setting Voilà reads
    assert config["VoilaKernelManager"]["fill_delay"] >= 3


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


# --- Who may reach the server and how many kernels it starts (iwp_widgets/serving.py, issue 13) ---

from iwp_widgets import serving  # noqa: E402


def test_voila_py_turns_on_the_host_check_and_the_guards(config):
    assert serving.is_installed()
    assert serving.install(serving.ServingPolicy()) is False  # idempotent
    settings = config["Voila"]["tornado_settings"]
    assert settings["allow_remote_access"] is False
    assert settings["local_hostnames"] == ["localhost"]
    assert config["IdentityProvider"]["logout_handler_class"] is serving.LogoutHandler


def test_allowed_addresses_are_loopback_with_the_port_plus_the_configured_ones():
    policy = serving.ServingPolicy.from_environment({"IWP_ALLOWED_HOSTS": " IWP.example.org , hub:8443"})
    assert policy.extra_hosts == ("iwp.example.org", "hub:8443")
    for host in ("127.0.0.1:8866", "localhost:8866", "[::1]:8866", "LOCALHOST:8866",
                 "iwp.example.org", "hub:8443"):
        assert policy.host_allowed(host, 8866), host
    for host in ("evil.example:8866", "127.0.0.1:8867", "localhost", "127.0.0.2:8866",
                 "iwp.example.org.evil.example", "hub:8444", "", None):
        assert not policy.host_allowed(host, 8866), host
    assert policy.origin_allowed("http://localhost:8866", 8866)
    assert policy.origin_allowed("https://iwp.example.org", 8866)
    for origin in ("http://evil.example:8866", "null", "http://localhost:3000",
                   "file://", "http://localhost:8866/x", "javascript://localhost:8866"):
        assert not policy.origin_allowed(origin, 8866), origin


def test_allowlist_settings_refuse_what_is_not_an_address():
    for bad in ("evil.example/path", "user@host", "a b", "host:port"):
        with pytest.raises(ValueError, match="IWP_ALLOWED_HOSTS"):
            serving.ServingPolicy.from_environment({"IWP_ALLOWED_HOSTS": bad})
    for name in ("IWP_MAX_KERNELS", "IWP_MAX_KERNELS_PER_CLIENT"):
        for bad in ("0", "-1", "many", "2.5"):
            with pytest.raises(ValueError, match=name):
                serving.ServingPolicy.from_environment({name: bad})


def test_library_host_check_keeps_names_and_gives_way_to_a_lan_address():
    names = serving.ServingPolicy(extra_hosts=("iwp.example.org:443",), max_kernels=1)
    assert names.library_settings() == {"allow_remote_access": False,
                                        "local_hostnames": ["iwp.example.org", "localhost"]}
    lan = serving.ServingPolicy(extra_hosts=("192.168.1.20:8866",), max_kernels=1)
    assert lan.library_settings()["allow_remote_access"] is True  # our guard still checks it


def test_default_kernel_cap_follows_memory_and_cores():
    mib = 2**20
    # 10 per core when memory is plentiful; 3/4 of the memory at 230 MiB each when it is not.
    assert serving.default_max_kernels(64 * 1024 * mib, cores=2) == 20
    assert serving.default_max_kernels(4 * 2300 * mib, cores=8) == 30
    assert serving.default_max_kernels(100 * mib, cores=4) == 1
    policy = serving.ServingPolicy.from_environment({})
    assert policy.max_kernels == serving.default_max_kernels() >= 1
    assert policy.max_kernels_per_client == serving.DEFAULT_MAX_KERNELS_PER_CLIENT
    assert serving.ServingPolicy.from_environment({"IWP_MAX_KERNELS": "7"}).max_kernels == 7


@pytest.mark.parametrize(("headers", "foreign"), [
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image"}, True),
    ({"Sec-Fetch-Site": "same-site", "Sec-Fetch-Dest": "iframe"}, True),
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "script"}, True),
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "empty"}, True),  # fetch()
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "document"}, False),  # a link
    ({"Sec-Fetch-Site": "none", "Sec-Fetch-Dest": "document"}, False),  # address bar
    ({"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "iframe"}, False),
    ({"Referer": "http://evil.example/", "Accept": "image/*"}, True),  # no fetch metadata
    ({"Referer": "http://evil.example/", "Accept": "text/html,*/*"}, False),
    ({"Referer": "http://localhost:8866/", "Accept": "image/*"}, False),
    ({}, False),  # a script: only the cap applies
])
def test_another_sites_subresources_are_recognised(headers, foreign):
    policy = serving.ServingPolicy(max_kernels=1)
    assert serving.foreign_subresource(headers, lambda o: policy.origin_allowed(o, 8866)) is foreign


def test_page_sessions_count_from_admission_until_the_kernel_is_gone():
    sessions = serving.PageSessions(max_kernels=3, max_per_client=2)
    a1, status = sessions.admit("a", live_kernel_ids=[])
    assert status == 200
    a2, _ = sessions.admit("a", [])
    assert sessions.admit("a", []) == (None, 429)  # before either kernel even started
    b1, _ = sessions.admit("b", [])
    assert sessions.admit("c", []) == (None, 503)
    sessions.note_output(a1, 'x "kernelId": "11111111-2222-3333-4444-555555555555" y')
    for ticket in (a1, a2, b1):
        sessions.finish(ticket)  # a2 and b1 never named a kernel (the page failed): freed
    live = ["11111111-2222-3333-4444-555555555555"]
    assert sessions.count(live) == 1 and sessions.count(live, "a") == 1
    assert sessions.admit("c", live)[1] == 200
    assert sessions.count([], "a") == 0  # a1's kernel was shut down or culled


def test_refusal_pages_are_plain_and_escaped():
    page = serving.plain_page("<b>T</b>", "a & <script>x</script>", link=('/"x', "<go>"))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="/&quot;x"' in page and "&lt;go&gt;" in page
    assert '<html lang="en">' in page


def test_exposure_needs_a_token_beyond_loopback():
    for ip in ("127.0.0.1", "localhost", "::1", "127.0.0.5"):
        assert serving.exposure_problem(ip, auth_enabled=False) is None
    for ip in ("0.0.0.0", "", "192.168.1.20", "::", "myhost"):
        assert "will not start" in serving.exposure_problem(ip, auth_enabled=False)
        assert serving.exposure_problem(ip, auth_enabled=True) is None


def test_a_first_visit_counts_for_its_address_and_for_its_new_cookie():
    sessions = serving.PageSessions(max_kernels=10, max_per_client=1)
    assert sessions.admit({"browser c1", "address 10.0.0.1"}, [])[1] == 200
    assert sessions.admit({"browser c1"}, [])[1] == 429  # the same browser's second tab
    assert sessions.admit({"browser c2", "address 10.0.0.1"}, [])[1] == 429  # cookieless again
    assert sessions.admit({"browser c3", "address 10.0.0.2"}, [])[1] == 200


def test_a_kernel_asked_to_shut_down_stops_counting_at_once():
    sessions = serving.PageSessions(max_kernels=1, max_per_client=1)
    ticket, _ = sessions.admit("a", [])
    sessions.note_output(ticket, '"kernelId": "11111111-2222-3333-4444-555555555555"')
    sessions.finish(ticket)
    live = ["11111111-2222-3333-4444-555555555555"]  # still exiting
    assert sessions.admit("a", live) == (None, 429)
    sessions.closing("11111111-2222-3333-4444-555555555555")
    assert sessions.admit("a", live)[1] == 200


def test_client_address_behind_a_local_proxy_is_the_forwarded_one():
    assert serving.client_address("10.0.0.7", {"X-Real-Ip": "1.2.3.4"}) == "10.0.0.7"
    assert serving.client_address("127.0.0.1", {}) == "127.0.0.1"
    assert serving.client_address("127.0.0.1", {"X-Real-Ip": "10.0.0.8"}) == "10.0.0.8"
    assert serving.client_address("::1", {"X-Forwarded-For": "6.6.6.6, 10.0.0.9"}) == "10.0.0.9"

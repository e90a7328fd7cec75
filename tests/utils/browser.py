"""A real browser and the real dashboard for tests: Debian's chromium driven by Playwright,
and `streamlit run streamlit_app.py` in a subprocess.

The dashboard subprocess gets the test environment (DATA_DIR, API_PORT, ... set by the
`settings` fixture), so its Runtime attaches to the session's embedded PostgreSQL and logs
people in against the session's API server, exactly as entrypoint.sh wires the two.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.utils.net import free_port
from tests.utils.processes import stop_group, wait_until_ok

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
            wait_until_ok(f"{url}/_stcore/health", process, log_path, START_TIMEOUT_SECONDS)
            yield url
        finally:
            stop_group(process, grace_seconds=15)


def log_in(page: Page, email: str, password: str) -> None:
    """Fill in and send the Log in form of the login page."""
    page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(password)
    page.get_by_role("button", name="Log in").click()

"""The container's healthcheck knocks where a client outside the container would: a door
listening on loopback alone is unhealthy, however well it answers there."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from timetracker import healthcheck
from timetracker.config import Settings

pytestmark = pytest.mark.usefixtures("settings")  # the suite's environment, not ./data
OUTSIDE = "127.0.0.2"  # stands for the container's own address: not where 127.0.0.1 listens
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def door(host: str, status: int = 200) -> Iterator[int]:
    """A stand-in front door answering `status` on every path; yields its port."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def settings_for(api_port: int, ui_port: int, host: str) -> Settings:
    return Settings(api_host=host, ui_host=host, api_port=api_port, ui_port=ui_port)


@pytest.mark.parametrize("configured_host", ["0.0.0.0", "127.0.0.1", "::"])  # noqa: S104
def test_doors_on_loopback_only_are_unhealthy(configured_host: str) -> None:
    with door("127.0.0.1") as api, door("127.0.0.1") as ui:
        failed = healthcheck.failures(healthcheck.door_urls(settings_for(api, ui, configured_host), OUTSIDE))
    assert len(failed) == 2 and all(OUTSIDE in line for line in failed)


def test_doors_reachable_from_outside_are_healthy() -> None:
    with door(OUTSIDE) as api, door(OUTSIDE) as ui:
        assert healthcheck.failures(healthcheck.door_urls(settings_for(api, ui, "0.0.0.0"), OUTSIDE)) == []  # noqa: S104


def test_an_api_without_its_database_is_unhealthy() -> None:
    with door(OUTSIDE, status=503) as api, door(OUTSIDE) as ui:
        failed = healthcheck.failures(healthcheck.door_urls(settings_for(api, ui, "0.0.0.0"), OUTSIDE))  # noqa: S104
    assert len(failed) == 1 and failed[0].startswith("API") and "503" in failed[0]


def test_the_command_reads_the_configured_ports(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / ".env").write_text("API_PORT=9\nUI_PORT=9\n")  # the discard port: nothing answers
    done = subprocess.run(
        [sys.executable, "-m", "timetracker.healthcheck"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert ":9/api/health" in done.stderr and ":9/_stcore/health" in done.stderr

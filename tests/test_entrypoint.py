"""entrypoint.sh as an operator runs it: both front doors up, and down cleanly with the database.

Runs the real script in its own process group with its own data folder, so its embedded
PostgreSQL is not the one the rest of the suite uses.
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
import psutil
import pytest

from tests.utils.net import free_port
from tests.utils.processes import wait_until_ok
from timetracker.db import embedded

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 120.0


def _postmaster_running(data_dir: Path) -> bool:
    return (embedded.pgdata_dir(data_dir) / "postmaster.pid").exists()


def launched(tmp_path: Path, **settings: str) -> tuple[subprocess.Popen[bytes], dict[str, str], Path]:
    """entrypoint.sh just launched with its own data folder and ports, and `settings` in its
    environment: the process, its health URLs, and its log."""
    api_port, ui_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "",
        "SUPABASE_URL": "",
        "API_PORT": str(api_port),
        "UI_PORT": str(ui_port),
        "PYTHON": sys.executable,
        **settings,
    }
    tmp_path.mkdir(parents=True, exist_ok=True)
    log = tmp_path / "entrypoint.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(ROOT / "entrypoint.sh")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    urls = {
        "api": f"http://127.0.0.1:{api_port}/api/health",
        "ui": f"http://127.0.0.1:{ui_port}/_stcore/health",
    }
    return process, urls, log


@contextmanager
def running_entrypoint(
    tmp_path: Path, **settings: str
) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str], Path]]:
    """entrypoint.sh with its own data folder and ports, and `settings` in its environment."""
    process, urls, log = launched(tmp_path, **settings)
    try:
        for url in urls.values():
            wait_until_ok(url, process, log, START_TIMEOUT)
        yield process, urls, tmp_path / "data"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        embedded.stop(tmp_path / "data")


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str], Path]]:
    with running_entrypoint(tmp_path) as running:
        yield running


def test_sigterm_stops_both_front_doors_and_the_database(started) -> None:  # type: ignore[no-untyped-def]
    process, urls, data_dir = started
    assert httpx.get(urls["api"]).json()["database"] == "up"
    assert _postmaster_running(data_dir)

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=60) == 0
    for url in urls.values():
        with pytest.raises(httpx.TransportError):
            httpx.get(url, timeout=2)
    assert not _postmaster_running(data_dir)


def _left_running(process: subprocess.Popen[bytes]) -> list[str]:
    """What still runs in the script's session (the embedded server starts a session of its own)."""
    return [
        " ".join(p.info["cmdline"] or [])
        for p in psutil.process_iter(["cmdline"])
        if p.pid != process.pid and _session_of(p.pid) == process.pid
    ]


def _session_of(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except ProcessLookupError:
        return None


def test_sigterm_while_the_database_starts_leaves_nothing_running(tmp_path: Path) -> None:
    process, _, log = launched(tmp_path)
    data_dir = tmp_path / "data"
    try:
        time.sleep(1.0)  # the database's start and the dashboard's are under way
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=120) == 0, log.read_text()
        assert not _postmaster_running(data_dir)
        assert _left_running(process) == []
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        embedded.stop(data_dir)


def test_when_one_front_door_dies_everything_stops(started) -> None:  # type: ignore[no-untyped-def]
    process, urls, data_dir = started
    children = psutil.Process(process.pid).children(recursive=True)
    (uvicorn,) = [child for child in children if "webhook_server:app" in child.cmdline()]

    uvicorn.kill()

    assert process.wait(timeout=60) != 0
    # The API's workers too: none is left behind by its killed supervisor.
    for url in urls.values():
        with pytest.raises(httpx.TransportError):
            httpx.get(url, timeout=2)
    assert not _postmaster_running(data_dir)


def test_the_addresses_come_from_the_same_settings_as_the_app(tmp_path: Path) -> None:
    # A port in .env must move the server, not only the dashboard's idea of where the API is.
    (tmp_path / ".env").write_text("API_PORT=9123\nUI_HOST=0.0.0.0\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"API_PORT", "UI_HOST", "UI_PORT", "TRUSTED_PROXIES"}
    }
    env.update(
        {"PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path / "data"), "API_HOST": "127.0.0.2", "API_WORKERS": "3"}
    )
    answer = subprocess.run(
        [sys.executable, "-m", "timetracker", "addresses"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines() == [
        "API_HOST=127.0.0.2",
        "API_PORT=9123",
        "API_WORKERS=3",
        "UI_HOST=0.0.0.0",
        "UI_PORT=8501",
        "TRUSTED_PROXIES=''",
    ]


def test_trusted_proxies_reach_uvicorn_as_networks(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path / "data")}
    env["TRUSTED_PROXIES"] = " 10.0.0.7 , 172.16.0.0/12,::1"
    answer = subprocess.run(
        [sys.executable, "-m", "timetracker", "addresses"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert answer.returncode == 0, answer.stderr
    assert "TRUSTED_PROXIES=10.0.0.7/32,172.16.0.0/12,::1/128" in answer.stdout.splitlines()

    env["TRUSTED_PROXIES"] = "*"  # "everybody" is refused at start-up, not believed
    refused = subprocess.run(
        [sys.executable, "-m", "timetracker", "addresses"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0
    assert "TRUSTED_PROXIES" in refused.stderr


def test_without_trusted_proxies_x_forwarded_for_is_no_way_around_the_login_throttle(tmp_path: Path) -> None:
    """uvicorn's own default believes X-Forwarded-For from loopback; the entrypoint must not,
    or a caller on this host (or any caller, behind a local proxy that passes it on) could
    name a fresh address on every guess."""
    with running_entrypoint(tmp_path, LOGIN_MAX_FAILURES="2", TRUSTED_PROXIES="") as (_, urls, _):
        api = urls["api"].removesuffix("/api/health")
        account = {"email": f"entry-{os.getpid()}@example.com", "password": "correct horse battery"}
        assert httpx.post(f"{api}/auth/v1/signup", json=account, timeout=30).status_code == 200
        wrong = {**account, "password": "guess"}
        answers = [
            httpx.post(
                f"{api}/auth/v1/token?grant_type=password",
                json=wrong,
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
                timeout=30,
            ).status_code
            for n in range(1, 5)
        ]
    assert answers == [400, 400, 429, 429]


def test_api_workers_share_fresh_metrics(tmp_path: Path) -> None:
    """API_WORKERS workers answer one sum, and counts of an earlier run are not added to it."""
    from prometheus_client.parser import text_string_to_metric_families

    token = "t" * 40
    settings = {
        "API_WORKERS": "2",
        "DB_POOL_MAX_SIZE": "3",
        "API_THREADS": "2",
        "METRICS_TOKEN": token,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }

    def scrape(api: str) -> dict[str, float]:
        text = httpx.get(f"{api}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=30).text
        return {
            f"{found.name}{sorted(found.labels.items())}": found.value
            for family in text_string_to_metric_families(text)
            for found in family.samples
        }

    health = "timetracker_http_requests_total[('method', 'GET'), ('route', '/api/health'), ('status', '200')]"
    with running_entrypoint(tmp_path / "first", **settings) as (process, urls, _):
        for _ in range(30):
            httpx.get(urls["api"], timeout=30)
        assert scrape(urls["api"].removesuffix("/api/health"))[health] >= 30
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0

    with running_entrypoint(tmp_path / "second", **settings) as (_, urls, _):
        api = urls["api"].removesuffix("/api/health")
        # Both workers' pools (3, and 2 for single reader events), added up, once the second
        # worker has started too.
        deadline = time.monotonic() + START_TIMEOUT
        while (metrics := scrape(api))["timetracker_db_pool_max_connections[]"] < 2 * (3 + 2):
            assert time.monotonic() < deadline, metrics["timetracker_db_pool_max_connections[]"]
            time.sleep(0.5)
    assert metrics["timetracker_db_pool_max_connections[]"] == 2 * (3 + 2)
    assert metrics[health] < 30  # only this run's readiness checks

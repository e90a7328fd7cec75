"""Against the real ActivityWatch server from PyPI (aw-server 0.12, testing mode, memory
storage, loopback), fed by the real aw-client: buckets, events and merged heartbeats ->
`python -m timetracker.sync run --once` -> rows; then the last event grows and a second
sync updates its row instead of adding one.

aw-server needs its own virtualenv on Python 3.11 (it pins old Flask and peewee):
scripts/test.sh installs requirements-aw-server.txt into .venv-aw and sets
AW_SERVER_BIN, so CI always runs this. A bare `pytest` without AW_SERVER_BIN (and no
aw-server on PATH) skips it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.activitywatch.conftest import AwTeam
from tests.utils.net import free_port
from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.devs import build_package
from timetracker.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
AW_SERVER = os.environ.get("AW_SERVER_BIN") or shutil.which("aw-server")
pytestmark = pytest.mark.skipif(not AW_SERVER, reason="aw-server not installed (see this module's docstring)")

# Runs in aw-server's own virtualenv, with the real aw-client.
FEED = """
import sys
from datetime import datetime, timedelta, timezone
from aw_client import ActivityWatchClient
from aw_core.models import Event

port, step = int(sys.argv[1]), sys.argv[2]
client = ActivityWatchClient("timetracker-test", testing=True, host="127.0.0.1", port=port)
t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
window, afk = "aw-watcher-window_testhost", "aw-watcher-afk_testhost"
if step == "first":
    client.create_bucket(window, "currentwindow", queued=False)
    client.create_bucket(afk, "afkstatus", queued=False)
    client.insert_event(afk, Event(timestamp=t0, duration=600, data={"status": "not-afk"}))
    for seconds, app in [(0, "Code"), (10, "Code"), (20, "Firefox")]:
        event = Event(timestamp=t0 + timedelta(seconds=seconds), data={"app": app, "title": app.lower()})
        client.heartbeat(window, event, pulsetime=30, queued=False)
else:
    event = Event(timestamp=t0 + timedelta(seconds=35), data={"app": "Firefox", "title": "firefox"})
    client.heartbeat(window, event, pulsetime=30, queued=False)
"""


@pytest.fixture
def aw_server_url(tmp_path: Path) -> Iterator[str]:
    assert AW_SERVER is not None
    port = free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [AW_SERVER, "--testing", "--storage", "memory", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/api/0/info", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("aw-server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def feed(url: str, step: str, tmp_path: Path) -> None:
    python = str(Path(AW_SERVER or "").parent / "python")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    port = url.rsplit(":", 1)[1]
    subprocess.run([python, "-c", FEED, port, step], check=True, env=env, capture_output=True, timeout=60)


def rows(runtime: Runtime, aw_team: AwTeam) -> list[dict[str, Any]]:
    with runtime.db.as_user(aw_team.owner.principal.db_claims) as conn:
        return conn.execute(
            "select bucket_type, app, duration from aw_events where team_id = %s order by bucket_type, started_at",
            (aw_team.team_id,),
        ).fetchall()


def test_real_aw_server_to_our_server_with_growing_heartbeats(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw_server_url: str, tmp_path: Path
) -> None:
    feed(aw_server_url, "first", tmp_path)
    keys = TokenKeys.from_settings(runtime.settings)
    package = build_package(keys, name="Member", email=aw_team.member.email, team_id=aw_team.team_id, server=api_url)
    config = tmp_path / f"{package.developer_id}_config.toml"
    config.write_text(package.files[config.name].replace("http://localhost:5600", aw_server_url))

    def sync() -> str:
        command = [
            sys.executable,
            "-m",
            "timetracker.sync",
            "--config",
            str(config),
            "--state-dir",
            str(tmp_path / "s"),
        ]
        done = subprocess.run([*command, "run", "--once"], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    sync()
    assert [(r["bucket_type"], r["app"], r["duration"]) for r in rows(runtime, aw_team)] == [
        ("afkstatus", None, 600.0),
        ("currentwindow", "Code", 10.0),
        ("currentwindow", "Firefox", 0.0),
    ]
    feed(aw_server_url, "more", tmp_path)
    assert "delivered 1" in sync()
    assert [(r["app"], r["duration"]) for r in rows(runtime, aw_team)] == [
        (None, 600.0),
        ("Code", 10.0),
        ("Firefox", 15.0),
    ]

"""The sync client end to end: a fake aw-server (ActivityWatch's REST API on loopback) ->
the client -> our real server -> rows. Faults: server down, a crash between send and
acknowledgement, Retry-After, a poisoned item (refused as invalid, or failing the server with
a 500), a full queue, a batch too big, answers of the server or of aw-server not understood."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response

from tests.activitywatch.aw_data import BASE
from tests.activitywatch.conftest import AwTeam
from tests.activitywatch.fake_aw_server import AwStore, fake_aw_app
from tests.utils.net import free_port, serve
from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.devs import build_package
from timetracker.runtime import Runtime
from timetracker.sync.config import SyncConfig
from timetracker.sync.delivery import backoff_delay, retry_after_seconds
from timetracker.sync.queue import Outbox
from timetracker.sync.syncer import Sync

ROOT = Path(__file__).resolve().parents[2]
WINDOW, AFK = "aw-watcher-window_devbox", "aw-watcher-afk_devbox"


@pytest.fixture
def aw() -> Iterator[tuple[AwStore, str]]:
    store = AwStore()
    store.create_bucket(WINDOW, "currentwindow", "aw-watcher-window")
    store.create_bucket(AFK, "afkstatus", "aw-watcher-afk")
    with serve(fake_aw_app(store), free_port()) as url:
        yield store, url


def beat(store: AwStore, bucket: str, seconds: float, **data: Any) -> None:
    store.heartbeat(bucket, BASE + timedelta(seconds=seconds), data, pulsetime=60)


def team_rows(runtime: Runtime, aw_team: AwTeam) -> list[dict[str, Any]]:
    with runtime.db.as_user(aw_team.owner.principal.db_claims) as conn:
        return conn.execute(
            "select bucket_id, started_at, duration, data from aw_events where team_id = %s"
            " order by bucket_id, started_at",
            (aw_team.team_id,),
        ).fetchall()


def client_config(api_url: str, aw_url: str, aw_team: AwTeam, state_dir: Path, **overrides: Any) -> SyncConfig:
    config = SyncConfig(
        server_url=api_url,
        developer_id=aw_team.developer_id,
        token=aw_team.token,
        aw_url=aw_url,
        state_dir=state_dir,
        retry_base=0.01,
        max_backoff=0.05,
    )
    return replace(config, **overrides)


def make_sync(config: SyncConfig, sleeps: list[float] | None = None) -> Sync:
    headers = {"Developer-ID": config.developer_id or "", "Authorization": f"Bearer {config.token}"}
    return Sync(config, headers, sleep=(sleeps.append if sleeps is not None else lambda _: None))


def run_cli(config_path: Path, state_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timetracker.sync", "--config", str(config_path), "--state-dir", str(state_dir), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_generated_config_drives_the_client_and_growing_events_update(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    store, aw_url = aw
    package = build_package(
        TokenKeys.from_settings(runtime.settings),
        name="Member Person",
        email=aw_team.member.email,
        team_id=aw_team.team_id,
        server=api_url,
    )
    config_path = tmp_path / f"{package.developer_id}_config.toml"
    config_path.write_text(package.files[config_path.name].replace("http://localhost:5600", aw_url))
    state = tmp_path / "state"

    beat(store, WINDOW, 0, app="Code", title="a.py")
    beat(store, WINDOW, 30, app="Code", title="a.py")  # merged: one event of 30 s
    beat(store, WINDOW, 40, app="Firefox", title="docs")
    store.insert(AFK, BASE, 45, {"status": "not-afk"})
    first = run_cli(config_path, state, "run", "--once")
    assert first.returncode == 0, first.stderr
    assert "delivered 3" in first.stdout
    rows = team_rows(runtime, aw_team)
    assert [(r["bucket_id"], r["duration"]) for r in rows] == [(AFK, 45.0), (WINDOW, 30.0), (WINDOW, 0.0)]

    beat(store, WINDOW, 50, app="Firefox", title="docs")  # the newest event grows to 10 s
    second = run_cli(config_path, state, "run", "--once")
    assert second.returncode == 0, second.stderr
    assert "queued 1, delivered 1" in second.stdout
    rows = team_rows(runtime, aw_team)
    assert len(rows) == 3
    assert rows[-1]["duration"] == 10.0 and rows[-1]["data"] == {"app": "Firefox", "title": "docs"}

    third = run_cli(config_path, state, "run", "--once")
    assert "queued 0, delivered 0" in third.stdout
    status = run_cli(config_path, state, "status")
    assert f"developer {package.developer_id}" in status.stdout
    assert "0 events waiting" in status.stdout and "last sync:   never" not in status.stdout
    assert package.token not in status.stdout + first.stdout + first.stderr


def test_only_the_configured_buckets_are_sent(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    store, aw_url = aw
    beat(store, WINDOW, 0, app="Code", title="a")
    store.insert(AFK, BASE, 45, {"status": "not-afk"})
    sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path, buckets=[AFK, "missing_bucket"]))
    assert sync.run_once().delivered == 1
    sync.close()
    assert [r["bucket_id"] for r in team_rows(runtime, aw_team)] == [AFK]


def test_server_down_queues_and_delivers_later_exactly_once(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    store, aw_url = aw
    for i in range(5):
        store.insert(AFK, BASE + timedelta(minutes=i), 60, {"status": "not-afk"})
    down = make_sync(client_config(f"http://127.0.0.1:{free_port()}", aw_url, aw_team, tmp_path))
    report = down.run_once()
    assert (report.ok, report.queued, report.delivered, down.outbox.length()) == (False, 5, 0, 5)
    assert "unreachable" in (down.outbox.get("last_error") or "")
    down.close()

    up = make_sync(client_config(api_url, aw_url, aw_team, tmp_path, batch_size=2))
    report = up.run_once()
    assert (report.ok, report.queued, report.delivered, up.outbox.length()) == (True, 0, 5, 0)
    assert up.run_once().delivered == 0
    up.close()
    assert len(team_rows(runtime, aw_team)) == 5


class Crash(Exception):
    pass


def test_a_crash_between_send_and_acknowledgement_loses_nothing_and_duplicates_nothing(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    store, aw_url = aw
    for i in range(3):
        store.insert(AFK, BASE + timedelta(minutes=i), 60, {"status": "not-afk"})
    config = client_config(api_url, aw_url, aw_team, tmp_path)
    crashing = make_sync(config)

    def crash(self: Outbox, items: Any) -> None:
        raise Crash

    monkeypatch.setattr(Outbox, "acknowledge", crash)
    with pytest.raises(Crash):
        crashing.run_once()
    crashing.close()
    monkeypatch.undo()
    assert len(team_rows(runtime, aw_team)) == 3  # the server stored them; the client never heard

    restarted = make_sync(config)
    assert restarted.outbox.length() == 3
    report = restarted.run_once()
    assert (report.queued, report.delivered, restarted.outbox.length()) == (0, 3, 0)
    restarted.close()
    assert len(team_rows(runtime, aw_team)) == 3


@pytest.fixture
def flaky_server(api_url: str) -> Iterator[tuple[str, list[Response], list[int]]]:
    """A proxy in front of our server: answers with the canned responses first, then forwards.
    Also records how many events each forwarded request carried."""
    canned: list[Response] = []
    sizes: list[int] = []
    app = FastAPI()

    @app.post("/api/v1/activitywatch/webhook")
    async def webhook(request: Request) -> Response:
        body = await request.body()
        if canned:
            return canned.pop(0)
        sizes.append(body.count(b'"timestamp"'))
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "developer-id")}
        async with httpx.AsyncClient() as client:
            upstream = await client.post(
                f"{api_url}/api/v1/activitywatch/webhook",
                content=body,
                headers={**headers, "Content-Type": "application/json"},
            )
        return Response(upstream.content, upstream.status_code, media_type="application/json")

    with serve(app, free_port()) as url:
        yield url, canned, sizes


def test_retry_after_is_honoured_and_backoff_grows(
    flaky_server: tuple[str, list[Response], list[int]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    url, canned, _ = flaky_server
    store, aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "not-afk"})
    canned.extend([Response(status_code=503, headers={"Retry-After": "7"}), Response(status_code=429)])
    sleeps: list[float] = []
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, max_retries=5), sleeps)
    report = sync.run_once()
    sync.close()
    assert report.ok and report.delivered == 1
    assert len(sleeps) == 2 and sleeps[0] >= 7
    assert sleeps[1] <= 0.05  # no Retry-After: the (tiny, test-sized) backoff cap
    assert len(team_rows(runtime, aw_team)) == 1


def test_giving_up_after_max_retries_keeps_the_queue(
    flaky_server: tuple[str, list[Response], list[int]], aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    url, canned, _ = flaky_server
    store, aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "not-afk"})
    canned.extend([Response(status_code=502)] * 3)
    sleeps: list[float] = []
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, max_retries=3), sleeps)
    report = sync.run_once()
    assert not report.ok and "502" in report.error and len(sleeps) == 2
    assert sync.outbox.length() == 1
    sync.close()


def test_a_poisoned_item_is_set_aside_and_the_rest_delivered(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    store, aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "not-afk"})
    store.insert(AFK, BASE + timedelta(minutes=1), 60, {"status": "sleeping"})  # not an AFK status
    store.insert(AFK, BASE + timedelta(minutes=2), 60, {"status": "afk"})
    sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path))
    report = sync.run_once()
    assert (report.delivered, report.set_aside, sync.outbox.length()) == (2, 1, 0)
    [aside] = sync.outbox.set_aside()
    assert aside["event"]["data"] == {"status": "sleeping"} and "status" in aside["error"]
    assert sync.run_once().set_aside == 0  # never retried
    sync.close()
    assert len(team_rows(runtime, aw_team)) == 2


BEFORE_NTP = datetime(1970, 1, 1, 0, 0, 5, tzinfo=UTC)  # a machine whose clock was never set
FAR_AHEAD = datetime(2100, 1, 1, tzinfo=UTC)


def test_events_of_a_clock_set_wrong_are_set_aside_with_the_servers_reason_and_the_rest_delivered(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    """A 207: the stored events leave the queue, the refused ones are set aside with why."""
    store, aw_url = aw
    store.insert(AFK, BEFORE_NTP, 60, {"status": "afk"})
    store.insert(AFK, BASE, 60, {"status": "not-afk"})
    store.insert(AFK, FAR_AHEAD, 60, {"status": "afk"})
    sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path))
    report = sync.run_once()
    assert (report.ok, report.delivered, report.set_aside, sync.outbox.length()) == (True, 1, 2, 0)
    errors = {aside["timestamp"]: aside["error"] for aside in sync.outbox.set_aside()}
    assert "before 2000-01-01" in errors[BEFORE_NTP.isoformat()]
    assert "more than a day ahead" in errors[FAR_AHEAD.isoformat()]

    # The event dated 2100 must not stand as the bucket's watermark: later real events still go.
    store.insert(AFK, BASE + timedelta(minutes=5), 60, {"status": "afk"})
    again = sync.run_once()
    assert (again.queued, again.delivered, again.set_aside) == (1, 1, 0)  # and nothing retried
    sync.close()
    assert [row["started_at"] for row in team_rows(runtime, aw_team)] == [BASE, BASE + timedelta(minutes=5)]


def test_a_batch_refused_whole_is_set_aside_per_item_not_retried(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    """A 422 with per-item results: every item set aside with its own reason, the round is fine."""
    store, aw_url = aw
    store.insert(AFK, BEFORE_NTP, 60, {"status": "afk"})
    store.insert(AFK, BEFORE_NTP + timedelta(minutes=1), 60, {"status": "sleeping"})
    sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path))
    report = sync.run_once()
    assert (report.ok, report.delivered, report.set_aside, sync.outbox.length()) == (True, 0, 2, 0)
    assert all("before 2000-01-01" in aside["error"] for aside in sync.outbox.set_aside())
    assert sync.run_once().set_aside == 0
    sync.close()
    assert team_rows(runtime, aw_team) == []


def test_a_bucket_the_server_refuses_is_set_aside_and_the_other_buckets_delivered(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    store, aw_url = aw
    store.buckets[WINDOW]["hostname"] = ""  # the server refuses the bucket's header, so all its events
    beat(store, WINDOW, 0, app="Code", title="a")
    beat(store, WINDOW, 90, app="Code", title="b")
    store.insert(AFK, BASE, 60, {"status": "afk"})
    sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path))
    report = sync.run_once()
    assert (report.ok, report.delivered, report.set_aside, sync.outbox.length()) == (True, 1, 2, 0)
    assert {aside["bucket_id"] for aside in sync.outbox.set_aside()} == {WINDOW}
    assert all("bucket" in aside["error"] and "hostname" in aside["error"] for aside in sync.outbox.set_aside())
    sync.close()
    assert [row["bucket_id"] for row in team_rows(runtime, aw_team)] == [AFK]


def test_a_413_splits_the_batch(
    flaky_server: tuple[str, list[Response], list[int]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    url, canned, sizes = flaky_server
    store, aw_url = aw
    for i in range(4):
        store.insert(AFK, BASE + timedelta(minutes=i), 60, {"status": "afk"})
    canned.append(Response(status_code=413))
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, batch_size=4))
    assert sync.run_once().delivered == 4
    sync.close()
    assert sizes == [2, 2]
    assert len(team_rows(runtime, aw_team)) == 4


def test_a_full_queue_pauses_reading_and_loses_nothing(
    api_url: str,
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store, aw_url = aw
    for i in range(5):
        store.insert(AFK, BASE + timedelta(minutes=i), 60, {"status": "afk"})
    offline = client_config(f"http://127.0.0.1:{free_port()}", aw_url, aw_team, tmp_path, offline_queue_size=3)
    sync = make_sync(offline)
    with caplog.at_level(logging.WARNING):
        sync.run_once()
        sync.run_once()  # still offline, still full: nothing more is read, nothing is dropped
    assert [w.timestamp for w in sync.outbox.next_batch(10)] == [
        (BASE + timedelta(minutes=i)).isoformat() for i in (0, 1, 2)
    ]
    assert sync.outbox.get("dropped") is None
    assert "reading paused" in caplog.text
    sync.close()

    # Back online: the queue drains and what did not fit is read from aw-server, which kept it.
    sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path, offline_queue_size=3))
    for _ in range(3):
        sync.run_once()
    sync.close()
    assert [row["started_at"] for row in team_rows(runtime, aw_team)] == [BASE + timedelta(minutes=i) for i in range(5)]


def test_a_queue_over_a_lowered_cap_drops_the_oldest_with_a_warning(
    aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store, aw_url = aw
    for i in range(5):
        store.insert(AFK, BASE + timedelta(minutes=i), 60, {"status": "afk"})
    offline = f"http://127.0.0.1:{free_port()}"
    before = make_sync(client_config(offline, aw_url, aw_team, tmp_path, offline_queue_size=10))
    before.run_once()
    before.close()
    sync = make_sync(client_config(offline, aw_url, aw_team, tmp_path, offline_queue_size=3))
    with caplog.at_level(logging.WARNING):
        sync.outbox.add({"id": AFK}, [], None)  # any write enforces the (now lower) cap
    assert sync.outbox.length() == 3 and sync.outbox.get("dropped") == "2"
    assert "dropped the 2 oldest" in caplog.text
    sync.close()


def test_backoff_and_retry_after_parsing() -> None:
    import random

    rng = random.Random(1)
    delays = [backoff_delay(n, base=1, cap=60, retry_after=None, rng=rng) for n in range(1, 9)]
    assert all(
        0.5 * min(60, 2 ** (n - 1)) <= d <= min(60, 2 ** (n - 1)) for n, d in zip(range(1, 9), delays, strict=True)
    )
    assert backoff_delay(1, base=1, cap=60, retry_after=30, rng=rng) == 30
    assert retry_after_seconds("12") == 12
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=BASE) == 0
    assert retry_after_seconds("soon") is None


def test_the_daemon_syncs_every_interval(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    store, aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "afk"})
    sleeps: list[float] = []
    sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path, sync_interval=300), sleeps)
    original = sync.run_once

    def round_then_more() -> Any:
        report = original()
        store.insert(AFK, BASE + timedelta(minutes=len(sleeps) + 1), 60, {"status": "afk"})
        return report

    sync.run_once = round_then_more  # type: ignore[method-assign]
    sync.run_forever(rounds=3)
    sync.close()
    assert sleeps == [300, 300]
    assert len(team_rows(runtime, aw_team)) == 3


def test_a_client_killed_while_waiting_for_the_answer_resends_without_duplicates(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path
) -> None:
    """A real process, SIGKILLed after the server stored the batch but before the answer arrived."""
    store, aw_url = aw
    for i in range(3):
        store.insert(AFK, BASE + timedelta(minutes=i), 60, {"status": "not-afk"})
    stored_upstream = threading.Event()
    release = threading.Event()
    app = FastAPI()

    @app.post("/api/v1/activitywatch/webhook")
    async def webhook(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "developer-id")}
        async with httpx.AsyncClient() as client:
            upstream = await client.post(
                f"{api_url}/api/v1/activitywatch/webhook",
                content=await request.body(),
                headers={**headers, "Content-Type": "application/json"},
            )
        if not release.is_set():
            stored_upstream.set()
            while not release.is_set():  # hold the answer back until the client is dead
                await asyncio.sleep(0.05)
        return Response(upstream.content, upstream.status_code, media_type="application/json")

    package = build_package(
        TokenKeys.from_settings(runtime.settings),
        name="Member Person",
        email=aw_team.member.email,
        team_id=aw_team.team_id,
        server="http://placeholder",
    )
    config_path = tmp_path / "config.toml"
    state = tmp_path / "state"
    with serve(app, free_port()) as proxy_url:
        text = package.files[f"{package.developer_id}_config.toml"].replace("http://localhost:5600", aw_url)
        config_path.write_text(text.replace("http://placeholder", proxy_url))
        command = [sys.executable, "-m", "timetracker.sync", "--config", str(config_path), "--state-dir", str(state)]
        process = subprocess.Popen(
            [*command, "run", "--once"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            assert stored_upstream.wait(60), "the client never sent"
            process.kill()
            process.wait(timeout=30)
        finally:
            release.set()
        assert len(team_rows(runtime, aw_team)) == 3  # stored, but the client never heard back

        again = run_cli(config_path, state, "run", "--once")
    assert again.returncode == 0, again.stderr
    assert "queued 0, delivered 3" in again.stdout and "waiting 0" in again.stdout
    assert len(team_rows(runtime, aw_team)) == 3


@pytest.fixture
def poisoning_server(api_url: str) -> Iterator[tuple[str, dict[str, bool]]]:
    """A proxy in front of our server that fails (500) on any batch holding an event titled
    "poison", as a server bug triggered by one event would; with state["down"], on every batch."""
    state = {"down": False}
    app = FastAPI()

    @app.post("/api/v1/activitywatch/webhook")
    async def webhook(request: Request) -> Response:
        body = await request.body()
        if state["down"] or b'"poison"' in body:
            return Response(b'{"error": "internal_error", "message": "boom"}', 500, media_type="application/json")
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "developer-id")}
        async with httpx.AsyncClient() as client:
            upstream = await client.post(
                f"{api_url}/api/v1/activitywatch/webhook",
                content=body,
                headers={**headers, "Content-Type": "application/json"},
            )
        return Response(upstream.content, upstream.status_code, media_type="application/json")

    with serve(app, free_port()) as url:
        yield url, state


def window_events(store: AwStore, count: int, poisoned: set[int]) -> None:
    for i in range(count):
        title = "poison" if i in poisoned else f"file {i}"
        store.insert(WINDOW, BASE + timedelta(minutes=i), 60, {"app": "Code", "title": title})


@pytest.mark.parametrize("poisoned", [{3}, {0}, {0, 1}, {5}])
def test_a_batch_the_server_always_fails_on_is_halved_until_the_poisoned_event_is_set_aside(
    poisoning_server: tuple[str, dict[str, bool]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
    poisoned: set[int],
) -> None:
    url, _ = poisoning_server
    store, aw_url = aw
    window_events(store, 7, poisoned)
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, batch_size=4, max_retries=2))

    report = sync.run_once()

    assert (report.ok, report.delivered, report.set_aside, sync.outbox.length()) == (
        True,
        7 - len(poisoned),
        len(poisoned),
        0,
    )
    assert [a["event"]["data"]["title"] for a in sync.outbox.set_aside()] == ["poison"] * len(poisoned)
    assert all("500" in a["error"] for a in sync.outbox.set_aside())
    assert sync.run_once().set_aside == 0
    sync.close()
    assert len(team_rows(runtime, aw_team)) == 7 - len(poisoned)


def test_a_server_failing_on_everything_costs_no_event(
    poisoning_server: tuple[str, dict[str, bool]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    url, state = poisoning_server
    store, aw_url = aw
    window_events(store, 7, set())
    state["down"] = True
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, batch_size=4, max_retries=2))

    report = sync.run_once()

    assert (report.ok, report.set_aside, sync.outbox.length(), sync.outbox.set_aside()) == (False, 0, 7, [])
    assert "500" in report.error
    state["down"] = False
    assert sync.run_once().delivered == 7
    sync.close()
    assert len(team_rows(runtime, aw_team)) == 7


def test_a_lone_poisoned_event_waits_until_a_later_one_proves_the_server_up(
    poisoning_server: tuple[str, dict[str, bool]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    url, _ = poisoning_server
    store, aw_url = aw
    window_events(store, 1, {0})
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, max_retries=2))
    report = sync.run_once()
    assert (report.ok, report.set_aside, sync.outbox.length()) == (False, 0, 1)  # could be an outage

    store.insert(AFK, BASE, 60, {"status": "afk"})
    report = sync.run_once()
    assert (report.ok, report.delivered, report.set_aside, sync.outbox.length()) == (True, 1, 1, 0)
    sync.close()


def test_an_answer_that_refused_everything_does_not_prove_the_server_up(
    poisoning_server: tuple[str, dict[str, bool]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    """After a lone 500, only an event stored proves the server up: a 422 for an event dated
    2100 never touched the database, so the lone event stays queued (it may be an outage)."""
    url, _ = poisoning_server
    store, aw_url = aw
    window_events(store, 1, {0})
    store.insert(WINDOW, FAR_AHEAD, 60, {"app": "Code", "title": "from the future"})
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, max_retries=2))
    report = sync.run_once()
    assert (report.ok, report.delivered, report.set_aside, sync.outbox.length()) == (False, 0, 1, 1)
    [aside] = sync.outbox.set_aside()
    assert aside["timestamp"] == FAR_AHEAD.isoformat() and "more than a day ahead" in aside["error"]
    sync.close()


def test_a_200_that_is_not_the_webhooks_answer_is_retried(
    flaky_server: tuple[str, list[Response], list[int]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    url, canned, _ = flaky_server
    store, aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "afk"})
    canned.extend(
        [
            Response("<html>Sign in to the hotel Wi-Fi</html>", 200, media_type="text/html"),
            Response('{"buckets": []}', 200, media_type="application/json"),  # zip(strict=True) of 0 and 1
            Response('{"buckets": [{"status": "ok"}]}', 200, media_type="application/json"),  # no results
            Response("[1]", 200, media_type="application/json"),
        ]
    )
    sleeps: list[float] = []
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, max_retries=5), sleeps)
    report = sync.run_once()
    sync.close()
    assert (report.ok, report.delivered, len(sleeps)) == (True, 1, 4)
    assert len(team_rows(runtime, aw_team)) == 1


def test_a_207_not_understood_is_retried_and_a_422_of_another_shape_sets_the_batch_aside(
    flaky_server: tuple[str, list[Response], list[int]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    url, canned, _ = flaky_server
    store, aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "afk"})
    canned.append(Response("<html>proxy</html>", 207, media_type="text/html"))
    sleeps: list[float] = []
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, max_retries=5), sleeps)
    assert (sync.run_once().delivered, len(sleeps)) == (1, 1)  # nothing acknowledged on the 207 not understood

    store.insert(AFK, BASE + timedelta(minutes=1), 60, {"status": "afk"})
    refused = '{"error": "invalid_payload", "message": "send a bucket object or a list"}'
    canned.append(Response(refused, 422, media_type="application/json"))
    report = sync.run_once()
    assert (report.delivered, report.set_aside, sync.outbox.length()) == (0, 1, 0)
    [aside] = sync.outbox.set_aside()
    assert "send a bucket object or a list" in aside["error"]
    sync.close()


def test_the_daemon_outlives_rounds_that_end_in_answers_it_does_not_understand(
    flaky_server: tuple[str, list[Response], list[int]],
    runtime: Runtime,
    aw_team: AwTeam,
    aw: tuple[AwStore, str],
    tmp_path: Path,
) -> None:
    url, canned, _ = flaky_server
    store, aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "afk"})
    canned.extend([Response("not json", 200)] * 2)
    sync = make_sync(client_config(url, aw_url, aw_team, tmp_path, max_retries=2, sync_interval=300))
    sync.run_forever(rounds=2)
    assert "not understood" in (sync.outbox.get("last_error") or "")
    sync.close()
    assert len(team_rows(runtime, aw_team)) == 1


def broken_aw_app(events: Any, buckets: Any = None) -> FastAPI:
    """An aw-server answering the given JSON (or text) for its buckets and their events."""
    app = FastAPI()
    listed = buckets if buckets is not None else {AFK: {"id": AFK, "type": "afkstatus", "client": "c", "hostname": "h"}}

    @app.get("/api/0/buckets/")
    def list_buckets() -> Response:
        return Response(listed if isinstance(listed, str) else json.dumps(listed), media_type="application/json")

    @app.get("/api/0/buckets/{bucket_id}/events")
    def list_events(bucket_id: str) -> Response:
        return Response(json.dumps(events), media_type="application/json")

    return app


def test_aw_server_events_without_a_timestamp_are_skipped(
    api_url: str, runtime: Runtime, aw_team: AwTeam, tmp_path: Path
) -> None:
    events = [
        {"id": 1, "duration": 5, "data": {"status": "afk"}},
        {"id": 2, "timestamp": "yesterday", "duration": 5, "data": {"status": "afk"}},
        "an event",
        {"id": 3, "timestamp": BASE.isoformat(), "duration": 60, "data": {"status": "afk"}},
    ]
    with serve(broken_aw_app(events), free_port()) as aw_url:
        sync = make_sync(client_config(api_url, aw_url, aw_team, tmp_path))
        report = sync.run_once()
        sync.close()
    assert (report.ok, report.queued, report.delivered) == (True, 1, 1)


@pytest.mark.parametrize("buckets", ["<html>not aw-server</html>", [1, 2], {AFK: "x"}])
def test_an_unexpected_aw_server_answer_fails_the_round_and_still_delivers_the_queue(
    api_url: str, runtime: Runtime, aw_team: AwTeam, aw: tuple[AwStore, str], tmp_path: Path, buckets: Any
) -> None:
    store, real_aw_url = aw
    store.insert(AFK, BASE, 60, {"status": "afk"})
    config = client_config(api_url, real_aw_url, aw_team, tmp_path / "state")
    offline = make_sync(client_config(f"http://127.0.0.1:{free_port()}", real_aw_url, aw_team, tmp_path / "state"))
    offline.run_once()  # queued, not delivered
    offline.close()
    with serve(broken_aw_app([], buckets), free_port()) as aw_url:
        sync = make_sync(replace(config, aw_url=aw_url))
        report = sync.run_once()
        sync.close()
    assert (report.ok, report.delivered) == (False, 1)
    assert "unexpected answer from the local aw-server" in report.error

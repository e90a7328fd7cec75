"""A database outage, for one app only: a second real server whose DATABASE_URL goes through
a loopback TCP proxy (tests/utils/tcp_proxy.py) that the test cuts. The shared app and its
database carry on untouched, and they are the witnesses of what was (not) written."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from tests.activitywatch.aw_data import bucket, event
from tests.activitywatch.conftest import api_token_headers
from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.devices import BATCH_URL, SINGLE_URL, TestDevice, device_event, register_device, stored_payloads
from tests.utils.tcp_proxy import TcpProxy, tcp_proxy, unix_socket_target
from tests.utils.users import TestUser
from timetracker import paths
from timetracker.activitywatch.ingest import CHUNK_ROWS
from timetracker.config import Settings
from timetracker.runtime import Runtime


def database_socket(runtime: Runtime) -> str:
    with psycopg.connect(runtime.db.admin_url) as conn:
        directory, port = conn.execute(
            "select split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port')"
        ).fetchone()
    return str(Path(directory.strip()) / f".s.PGSQL.{port}")


@pytest.fixture
def proxy(runtime: Runtime) -> Iterator[TcpProxy]:
    with tcp_proxy(unix_socket_target(database_socket(runtime))) as proxy:
        yield proxy


@pytest.fixture
def fragile_app(settings: Settings, runtime: Runtime, proxy: TcpProxy) -> Iterator[RunningApp]:
    """The real app, reaching the shared database only through the proxy."""
    through_proxy = make_conninfo(runtime.db.admin_url, host="127.0.0.1", port=str(proxy.port))
    fragile = variant(
        settings,
        database_url=through_proxy,
        database_app_url=make_conninfo(through_proxy, user="authenticator"),
        # Statements travel as text every time, so the proxy can recognise them.
        database_prepare_statements=False,
        db_timeout_seconds=1.0,
        db_pool_min_size=1,
        db_pool_max_size=2,
    )
    with running_app(fragile) as app:
        yield app


@pytest.fixture
def fragile(fragile_app: RunningApp) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fragile_app.url, timeout=30) as client:
        yield client


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"] == "database_unavailable"
    assert "nothing was stored" in response.json()["message"]


def wait_until_healthy(client: httpx.Client) -> None:
    """The pool reconnects in the background, with back-off; give it a while."""
    for _ in range(150):
        if client.get("/api/health").status_code == 200:
            return
        time.sleep(0.2)
    raise AssertionError("the app did not recover after the database came back")


def test_losing_the_database_mid_transaction_is_a_503_and_nothing_is_kept(
    http: httpx.Client, fragile: httpx.Client, proxy: TcpProxy, runtime: Runtime, alice: TestUser
) -> None:
    reader = register_device(http, alice)
    first = device_event(reader.device_id, 0)
    assert fragile.post(SINGLE_URL, json=first, headers=reader.headers).status_code == 201

    # The batch's INSERT runs on the server; the connection dies before its COMMIT.
    batch = [device_event(reader.device_id, i) for i in range(1, 11)]
    proxy.cut_before_commit_after(b"insert into device_events")
    assert_unavailable(fragile.post(BATCH_URL, json=batch, headers=reader.headers))
    assert not proxy.armed  # the cut really happened at that point
    assert stored_payloads(runtime.db, alice, reader.device_id) == [first]

    # The reader retries the same batch once the database is reachable: stored once, in full.
    wait_until_healthy(fragile)
    retried = fragile.post(BATCH_URL, json=batch, headers=reader.headers)
    assert retried.status_code == 200 and retried.json()["created"] == 10
    assert stored_payloads(runtime.db, alice, reader.device_id) == [first, *batch]


def test_an_activitywatch_batch_of_several_statements_cut_before_its_commit_is_a_503_and_kept_whole_on_retry(
    fragile: httpx.Client, proxy: TcpProxy, runtime: Runtime, alice: TestUser
) -> None:
    headers = api_token_headers(runtime, alice)
    body = bucket("currentwindow", [event(10 * i, 5, app="Code", title=f"file {i}") for i in range(2 * CHUNK_ROWS + 1)])

    # Every statement of the batch reached the server; the connection dies before the COMMIT.
    proxy.cut_before_commit_after(b"store_aw_events")
    assert_unavailable(fragile.post(paths.ACTIVITYWATCH_WEBHOOK, json=body, headers=headers))
    assert not proxy.armed

    def stored_events() -> int:
        with runtime.db.as_user(alice.principal.db_claims) as conn:
            return conn.execute("select count(*) as n from aw_events").fetchone()["n"]

    assert stored_events() == 0
    wait_until_healthy(fragile)
    retried = fragile.post(paths.ACTIVITYWATCH_WEBHOOK, json=body, headers=headers)
    assert retried.status_code == 200 and retried.json()["created"] == 2 * CHUNK_ROWS + 1, retried.text
    assert stored_events() == 2 * CHUNK_ROWS + 1


def test_while_the_database_is_gone_ingest_and_health_say_so(
    http: httpx.Client, fragile: httpx.Client, proxy: TcpProxy, runtime: Runtime, alice: TestUser
) -> None:
    reader = register_device(http, alice)
    assert fragile.get("/api/health").json() == {"status": "ok", "database": "up"}

    proxy.down()
    health = fragile.get("/api/health")
    assert (health.status_code, health.json()) == (503, {"status": "degraded", "database": "down"})
    for _ in range(2):  # a pooled connection that broke, then no connection at all
        assert_unavailable(fragile.post(SINGLE_URL, json=device_event(reader.device_id), headers=reader.headers))
    assert_unavailable(fragile.post(BATCH_URL, json=[device_event(reader.device_id, 1)], headers=reader.headers))
    assert_unavailable(fragile.get("/api/v1/devices", headers=alice.headers))
    # Only that app lost its database.
    assert http.get("/api/health").status_code == 200
    assert stored_payloads(runtime.db, alice, reader.device_id) == []

    proxy.up()
    wait_until_healthy(fragile)
    after = fragile.post(SINGLE_URL, json=device_event(reader.device_id), headers=reader.headers)
    assert after.status_code == 201, after.text
    assert len(stored_payloads(runtime.db, alice, reader.device_id)) == 1


def test_a_remembered_reader_s_event_is_a_503_too_and_is_stored_once_the_database_is_back(
    http: httpx.Client,
    fragile_app: RunningApp,
    fragile: httpx.Client,
    proxy: TcpProxy,
    runtime: Runtime,
    alice: TestUser,
) -> None:
    reader = register_device(http, alice)
    first, second = device_event(reader.device_id, 0), device_event(reader.device_id, 1)
    assert fragile.post(SINGLE_URL, json=first, headers=reader.headers).status_code == 201
    # The key is remembered: the next event goes from the event loop's own connections.
    assert reader.device_id in fragile_app.runtime.reader_keys

    proxy.down()
    for _ in range(2):  # a connection that broke, then none to be had
        assert_unavailable(fragile.post(SINGLE_URL, json=second, headers=reader.headers))
    proxy.up()
    # The reader retries as told (Retry-After) while that pool reconnects, with back-off.
    for _ in range(150):
        retried = fragile.post(SINGLE_URL, json=second, headers=reader.headers)
        if retried.status_code != 503:
            break
        time.sleep(0.2)
    assert retried.status_code == 201, retried.text
    assert stored_payloads(runtime.db, alice, reader.device_id) == [first, second]


def test_a_device_key_is_not_in_the_outage_answer(
    http: httpx.Client, fragile: httpx.Client, proxy: TcpProxy, alice: TestUser
) -> None:
    reader: TestDevice = register_device(http, alice)
    proxy.down()
    response = fragile.post(SINGLE_URL, json=device_event(reader.device_id), headers=reader.headers)
    assert_unavailable(response)
    assert reader.key not in response.text

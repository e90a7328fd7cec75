"""Behind a transaction pooler (PgBouncer, as Supabase's on port 6543): migrations, ingest and
reports work with prepared statements off, and with them on (a misconfiguration) the
failures are 503s that health reports, never 500s."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from tests.activitywatch.aw_data import bucket, event
from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.auth_clients import auth_client
from tests.utils.devices import device_event
from tests.utils.pgbouncer import available, pgbouncer_in_front_of
from tests.utils.users import PASSWORD, unique_email
from timetracker import paths
from timetracker.activitywatch import ingest as activitywatch
from timetracker.config import Settings
from timetracker.db import migrate
from timetracker.ingest.table import CHUNK_ROWS
from timetracker.runtime import Runtime

pytestmark = pytest.mark.skipif(not available(), reason="pgbouncer is not installed (scripts/test.sh installs it)")

DAY = {"start": "2025-04-11", "end": "2025-04-11"}


@pytest.fixture(scope="module")
def pooled_url(runtime: Runtime) -> Iterator[str]:
    """A new database in the embedded cluster, reached only through PgBouncer."""
    name = f"pooled_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    with pgbouncer_in_front_of(make_conninfo(runtime.db.admin_url, dbname=name)) as url:
        yield url
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        conn.execute(f'drop database "{name}" with (force)')


@pytest.fixture(scope="module")
def migrated_twice(pooled_url: str) -> tuple[list[str], list[str]]:
    return migrate.apply_all(pooled_url), migrate.apply_all(pooled_url)


def pooled_app(settings: Settings, pooled_url: str, *, prepare: bool) -> Iterator[RunningApp]:
    configured = variant(
        settings,
        database_url=pooled_url,
        database_app_url=make_conninfo(pooled_url, user="authenticator"),
        database_prepare_statements=prepare,
    )
    with running_app(configured) as app:
        yield app


@pytest.fixture(scope="module")
def app(settings: Settings, pooled_url: str, migrated_twice: tuple[list[str], list[str]]) -> Iterator[RunningApp]:
    yield from pooled_app(settings, pooled_url, prepare=False)


@pytest.fixture(scope="module")
def misconfigured_app(
    settings: Settings, pooled_url: str, migrated_twice: tuple[list[str], list[str]]
) -> Iterator[RunningApp]:
    yield from pooled_app(settings, pooled_url, prepare=True)


def signed_up(app: RunningApp) -> dict[str, str]:
    session = auth_client(app.url).sign_up({"email": unique_email("pooled"), "password": PASSWORD}).session
    assert session is not None
    return {"Authorization": f"Bearer {session.access_token}"}


def test_migrations_apply_through_the_pooler_once(migrated_twice: tuple[list[str], list[str]]) -> None:
    first, second = migrated_twice
    assert first == [m.name for m in migrate.load()]
    assert second == []


def registered_reader(http: httpx.Client, headers: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A new reader's device id, and the headers it sends."""
    device_id = f"NFC_{uuid.uuid4().hex[:12].upper()}"
    made = http.post("/api/v1/devices", json={"device_id": device_id, "name": "Desk"}, headers=headers)
    assert made.status_code == 201, made.text
    return device_id, {"X-Device-Id": device_id, "Authorization": f"Bearer {made.json()['device_key']}"}


def test_ingest_and_reports_through_the_pooler(app: RunningApp) -> None:
    headers = signed_up(app)
    with httpx.Client(base_url=app.url, timeout=30) as http:
        device_id, reader = registered_reader(http, headers)
        for seconds, kind in ((0, "tag_insert"), (3600, "tag_removed")):
            event = device_event(device_id, seconds, event_type=kind, tag_present=kind == "tag_insert")
            sent = http.post("/api/webhook/device-event", json=event, headers=reader)
            assert sent.status_code in (200, 201), sent.text
        team = http.post("/api/v1/teams", json={"name": "Pooled"}, headers=headers)
        assert team.status_code == 201, team.text
        mine = http.get("/api/v1/time", params=DAY, headers=headers)
        teams = http.get(f"/api/v1/teams/{team.json()['id']}/time", params=DAY, headers=headers)
    assert mine.status_code == 200 and mine.json()["tracked_seconds"] == 3600
    assert teams.status_code == 200 and teams.json()["tracked_seconds"] == 3600


def test_a_batch_sent_as_several_statements_through_the_pooler(app: RunningApp) -> None:
    """A big batch's statements go out without waiting for each other's answers, in one
    transaction: the pooler keeps them on one server connection, in order."""
    with httpx.Client(base_url=app.url, timeout=30) as http:
        device_id, reader = registered_reader(http, signed_up(app))
        events = [device_event(device_id, i) for i in range(2 * CHUNK_ROWS + 1)]
        first = http.post("/api/webhook/device-events", json=events, headers=reader)
        again = http.post("/api/webhook/device-events", json=events, headers=reader)
    assert first.status_code == 200, first.text
    assert (first.json()["created"], again.json()["duplicate"]) == (len(events), len(events))


def test_an_activitywatch_batch_of_several_statements_through_the_pooler(app: RunningApp) -> None:
    """Also when a repeated event sends the batch again as one statement, in a new transaction,
    after the first was rolled back."""
    events = [event(10 * i, 5, app="Code", title=f"file {i}") for i in range(2 * activitywatch.CHUNK_ROWS + 1)]
    repeated = [*events, event(0, 50, app="Code", title="file 0")]
    with httpx.Client(base_url=app.url, timeout=30) as http:
        headers = signed_up(app)
        first = http.post(paths.ACTIVITYWATCH_WEBHOOK, json=bucket("currentwindow", events), headers=headers)
        again = http.post(paths.ACTIVITYWATCH_WEBHOOK, json=bucket("currentwindow", repeated), headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["created"] == len(events)
    assert (again.json()["duplicate"], again.json()["updated"]) == (len(events), 1), again.text


def test_health_stays_up_with_prepared_statements_off(app: RunningApp) -> None:
    answers = {httpx.get(f"{app.url}/api/health").status_code for _ in range(12)}
    assert answers == {200}


def test_prepared_statements_through_the_pooler_are_a_503_not_a_500(misconfigured_app: RunningApp) -> None:
    """psycopg prepares a query on its sixth run; the pooler has dropped it by the next one."""
    answers = [httpx.get(f"{misconfigured_app.url}/api/health") for _ in range(12)]
    statuses = {answer.status_code for answer in answers}
    assert 503 in statuses and 500 not in statuses
    assert {answer.json()["database"] for answer in answers if answer.status_code == 503} == {"down"}

"""RLS on every WakaTime table, as the owner, a stranger, the owner's team admin and anon.

alice owns one row in every table (made through the core functions); bob is a stranger;
carol owns a team alice belongs to. Writes are rolled back (tests.db.actors).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from tests.db.actors import Actor, anon, outcome, person, rows
from tests.utils.teams import join
from tests.utils.users import TestUser, make_user
from timetracker import teams
from timetracker.cipher import TokenCipher
from timetracker.runtime import Runtime
from timetracker.wakatime import connections, heartbeats, importer, keys, oauth_state
from timetracker.wakatime.client import TokenGrant
from timetracker.wakatime.heartbeats import Heartbeat

ACTORS = ("alice", "bob", "carol", "anon")
DAY = date(2026, 3, 2)
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    runtime: Runtime
    alice: TestUser
    bob: TestUser
    carol: TestUser

    def actor(self, name: str) -> Actor:
        return anon(self.runtime.db) if name == "anon" else person(self.runtime.db, getattr(self, name))

    @property
    def params(self) -> dict[str, Any]:
        return {"alice": self.alice.id, "bob": self.bob.id, "day": DAY}


@pytest.fixture(scope="module")
def world(runtime: Runtime) -> Iterator[World]:
    db = runtime.db
    alice, bob, carol = (make_user(runtime, name) for name in ("alice", "bob", "carol"))
    team = teams.create(db, carol.principal, "Crew")
    join(db, carol, team["id"], alice)
    keys.issue_key(db, alice.principal)
    heartbeats.store(db, alice.id, [Heartbeat(time=AT, entity="/a.py", type="file", category="coding")])
    grant = TokenGrant("access-secret", "refresh-secret", "uid", "email", AT + timedelta(days=1))
    connections.save_grant(db, alice.id, grant, TokenCipher.from_settings(runtime.settings))
    importer.store_day(db, alice.principal, DAY, {(AT, "apollo", "Python"): 60.0}, {("project", "apollo"): 60.0})
    oauth_state.issue(db, alice.principal, runtime.settings)
    yield World(runtime, alice, bob, carol)


OWNER = {"alice": 1}
OWNER_AND_ADMIN = {"alice": 1, "carol": 1}
EVERY_PERSON = {"alice": 1, "bob": 1, "carol": 1}
NOBODY: dict[str, int] = {}

CASES: list[tuple[str, str, dict[str, int]]] = [
    # connections: strictly personal; tokens are written by the owner only
    ("connection: read", "select count(*) as n from wakatime_connections where owner_id = %(alice)s", OWNER),
    (
        "connection: insert own",
        "insert into wakatime_connections (access_token_encrypted) values ('x') on conflict do nothing",
        {"bob": 1, "carol": 1},  # alice has one already (one per person)
    ),
    (
        "connection: insert as alice",
        "insert into wakatime_connections (owner_id, access_token_encrypted) values (%(bob)s, 'x')",
        {"bob": 1},
    ),
    (
        "connection: update",
        "update wakatime_connections set status = 'reconnect_needed' where owner_id = %(alice)s",
        OWNER,
    ),
    ("connection: delete", "delete from wakatime_connections where owner_id = %(alice)s", OWNER),
    # OAuth states: personal
    ("oauth state: read", "select count(*) as n from wakatime_oauth_states where owner_id = %(alice)s", OWNER),
    (
        "oauth state: insert for alice",
        "insert into wakatime_oauth_states (nonce, owner_id, expires_at)"
        " values (md5(random()::text), %(alice)s, now())",
        OWNER,
    ),
    ("oauth state: use", "delete from wakatime_oauth_states where owner_id = %(alice)s", OWNER),
    ("oauth state: extend", "update wakatime_oauth_states set expires_at = now() where owner_id = %(alice)s", NOBODY),
    # imported durations and totals: owner and team admins read, only the owner writes
    ("durations: read", "select count(*) as n from wakatime_durations where owner_id = %(alice)s", OWNER_AND_ADMIN),
    (
        "durations: insert own",
        "insert into wakatime_durations (day, started_at, duration_seconds) values (%(day)s, now(), 1)",
        EVERY_PERSON,
    ),
    (
        "durations: insert for alice",
        "insert into wakatime_durations (owner_id, day, started_at, duration_seconds)"
        " values (%(alice)s, %(day)s, now(), 1)",
        OWNER,
    ),
    ("durations: update", "update wakatime_durations set duration_seconds = 1 where owner_id = %(alice)s", OWNER),
    ("durations: delete", "delete from wakatime_durations where owner_id = %(alice)s", OWNER),
    ("day totals: read", "select count(*) as n from wakatime_day_totals where owner_id = %(alice)s", OWNER_AND_ADMIN),
    (
        "day totals: insert for alice",
        "insert into wakatime_day_totals (owner_id, day, dimension, name, seconds)"
        " values (%(alice)s, %(day)s, 'editor', 'vim', 1)",
        OWNER,
    ),
    ("day totals: update", "update wakatime_day_totals set seconds = 1 where owner_id = %(alice)s", OWNER),
    ("day totals: delete", "delete from wakatime_day_totals where owner_id = %(alice)s", OWNER),
    # heartbeats: owner and team admins read; written only as oneself; immutable
    ("heartbeats: read", "select count(*) as n from heartbeats where owner_id = %(alice)s", OWNER_AND_ADMIN),
    (
        "heartbeats: insert own",
        "insert into heartbeats (time, entity, type, hash) values (now(), '/x', 'file', repeat('a', 64))",
        EVERY_PERSON,
    ),
    (
        "heartbeats: insert for alice",
        "insert into heartbeats (owner_id, time, entity, type, hash)"
        " values (%(alice)s, now(), '/x', 'file', repeat('b', 64))",
        OWNER,
    ),
    ("heartbeats: edit", "update heartbeats set entity = '/y' where owner_id = %(alice)s", NOBODY),
    ("heartbeats: delete", "delete from heartbeats where owner_id = %(alice)s", NOBODY),
    # heartbeat settings: owner and team admins read the timeout; only the owner changes it
    (
        "heartbeat settings: read",
        "select count(*) as n from heartbeat_settings where owner_id = %(alice)s",
        OWNER_AND_ADMIN,
    ),
    (
        "heartbeat settings: change",
        "update heartbeat_settings set timeout_minutes = 5 where owner_id = %(alice)s",
        OWNER,
    ),
    (
        "heartbeat settings: create own",
        "insert into heartbeat_settings (timeout_minutes) values (5) on conflict do nothing",
        {"bob": 1, "carol": 1},
    ),
    ("heartbeat settings: delete", "delete from heartbeat_settings where owner_id = %(alice)s", NOBODY),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "sql", "expect"), CASES, ids=[case[0] for case in CASES])
def test_rls(world: World, name: str, sql: str, expect: dict[str, int], actor: str) -> None:
    read = sql.startswith("select")
    assert outcome(world.actor(actor), sql, world.params, read=read) == expect.get(actor, 0)


@pytest.mark.parametrize("actor", ["alice", "carol"])
@pytest.mark.parametrize(
    "query",
    [
        "select access_token_encrypted from wakatime_connections",
        "select refresh_token_encrypted from wakatime_connections",
        "select * from wakatime_connections",
        "select key_hash from heartbeat_settings",
    ],
)
def test_secret_columns_are_not_readable_even_by_their_owner(world: World, actor: str, query: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor(actor), query)


@pytest.mark.parametrize("actor", ["alice", "anon"])
@pytest.mark.parametrize(
    "call",
    [
        "select * from internal.heartbeat_key_owner('x')",
        "select * from internal.wakatime_tokens(%(alice)s)",
        "select * from internal.wakatime_due_imports()",
    ],
)
def test_credential_lookups_are_for_the_service_path_only(world: World, actor: str, call: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor(actor), call, world.params)


def test_the_service_path_reads_the_tokens_encrypted(world: World) -> None:
    with world.runtime.db.as_service() as conn:
        row = conn.execute("select * from internal.wakatime_tokens(%s)", (world.alice.id,)).fetchone()
    assert "access-secret" not in str(row) and "refresh-secret" not in str(row)
    stored = connections.stored_tokens(
        world.runtime.db, world.alice.id, TokenCipher.from_settings(world.runtime.settings)
    )
    assert stored is not None and (stored.access_token, stored.refresh_token) == ("access-secret", "refresh-secret")

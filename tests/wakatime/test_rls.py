"""What WakaTime keeps secret even from the rows' owner, and the lookups only the service path
may call. Who reads and writes each WakaTime table is in the RLS matrix (tests/db/rls_matrix.py).

alice owns one row in every table (made through the core functions); bob is a stranger;
carol owns a team alice belongs to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.db.actors import Actor, anon, person, rows
from tests.utils.sources import wakatime_rows
from tests.utils.teams import join
from tests.utils.users import TestUser, make_user
from timetracker import teams
from timetracker.cipher import TokenCipher
from timetracker.runtime import Runtime
from timetracker.wakatime import connections


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
        return {"alice": self.alice.id}


@pytest.fixture(scope="module")
def world(runtime: Runtime) -> Iterator[World]:
    alice, bob, carol = (make_user(runtime, name) for name in ("alice", "bob", "carol"))
    team = teams.create(runtime.db, carol.principal, "Crew")
    join(runtime.db, carol, team["id"], alice)
    wakatime_rows(runtime, alice)
    yield World(runtime, alice, bob, carol)


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

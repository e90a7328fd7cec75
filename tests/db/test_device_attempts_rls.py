"""Refused reader requests (sql/0014_device_attempts.sql), asked of the database as every kind
of caller: who reads them, that nobody writes them but the one function on the service path,
and that the function keeps no more than it should.

World: alice owns a reader with refused requests kept; carol owns the team alice is in, dave
administers it, frank is a plain member of it; bob is outside; anon is nobody.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.db.actors import Actor, anon, outcome, person, rows
from tests.utils.devices import unique_device_id
from tests.utils.teams import join
from tests.utils.users import TestUser, make_user
from timetracker import teams
from timetracker.db.pool import Connection
from timetracker.nfc import attempts, devices
from timetracker.runtime import Runtime

RECORD = "select internal.record_device_attempt(%s, 401, 'bad_key', 'wrong key', '[]', null, null) as stored"
WHO = ("alice", "carol", "dave", "frank", "bob", "anon", "service")


@dataclass(frozen=True)
class World:
    runtime: Runtime
    alice: TestUser
    bob: TestUser
    carol: TestUser
    dave: TestUser
    frank: TestUser
    device_id: str

    def actor(self, name: str) -> Actor:
        if name == "anon":
            return anon(self.runtime.db)
        if name == "service":
            return self.service
        return person(self.runtime.db, getattr(self, name))

    def service(self) -> AbstractContextManager[Connection]:
        return self.runtime.db.as_service()


@pytest.fixture(scope="module")
def world(runtime: Runtime) -> Iterator[World]:
    db = runtime.db
    alice, bob, carol, dave, frank = (make_user(runtime, n) for n in ("alice", "bob", "carol", "dave", "frank"))
    crew = teams.create(db, carol.principal, "Crew")["id"]
    join(db, carol, crew, dave, "admin")
    join(db, carol, crew, alice)
    join(db, carol, crew, frank)
    device_id = unique_device_id()
    devices.register(db, alice.principal, device_id, "Desk")
    for reason in ("bad_key", "revoked"):
        assert attempts.record(db, device_id, attempts.Attempt(401, reason, "kept for the owner"))
    yield World(runtime, alice, bob, carol, dave, frank, device_id)


# The reader's owner and the admins of the owner's teams, as for the devices themselves (0003).
READERS = {"alice": 2, "carol": 2, "dave": 2}


@pytest.mark.parametrize("who", WHO)
def test_who_reads_the_refused_requests_of_alices_reader(world: World, who: str) -> None:
    sql = "select count(*) as n from device_attempts where device_id = %s"
    if who == "service":  # the service path writes through the function only; it reads nothing
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            rows(world.actor(who), sql, (world.device_id,))
        return
    assert outcome(world.actor(who), sql, (world.device_id,), read=True) == READERS.get(who, 0)


WRITES = {
    "plant one": (
        "insert into device_attempts (owner_id, device_id, status, reason, message)"
        " values (%(owner)s, %(device)s, 401, 'bad_key', 'planted')"
    ),
    "rewrite one": "update device_attempts set message = 'rewritten' where device_id = %(device)s",
    "delete them": "delete from device_attempts where device_id = %(device)s",
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("write", list(WRITES))
def test_nobody_writes_the_table_directly(world: World, write: str, who: str) -> None:
    """Not even the owner (a record they could edit would not say what the reader was told)."""
    params = {"owner": world.alice.id, "device": world.device_id}
    assert outcome(world.actor(who), WRITES[write], params, read=False) == 0


@pytest.mark.parametrize("who", ["alice", "carol", "bob", "anon"])
def test_only_the_service_path_may_call_the_function(world: World, who: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor(who), RECORD, (world.device_id,))


def test_the_catalog_says_the_same(world: World) -> None:
    with psycopg.connect(world.runtime.db.admin_url) as conn:
        relation = conn.execute(
            "select relrowsecurity, relforcerowsecurity from pg_class where oid = 'public.device_attempts'::regclass"
        ).fetchone()
        assert relation == (True, True)
        function = "internal.record_device_attempt(text, integer, text, text, jsonb, integer, integer)"
        may = {
            role: conn.execute("select has_function_privilege(%s, %s, 'EXECUTE')", (role, function)).fetchone()[0]
            for role in ("anon", "authenticated", "service_role")
        }
        assert may == {"anon": False, "authenticated": False, "service_role": True}
        privileges = {
            role: conn.execute(
                "select array_agg(p order by p) from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p"
                " where has_table_privilege(%s, 'public.device_attempts', p)",
                (role,),
            ).fetchone()[0]
            for role in ("anon", "authenticated", "service_role")
        }
        assert privileges == {"anon": None, "authenticated": ["SELECT"], "service_role": None}


def test_a_device_id_nobody_registered_stores_nothing(world: World) -> None:
    with world.service() as conn:
        assert conn.execute(RECORD, (unique_device_id(),)).fetchone()["stored"] is False


def _kept(world: World, device_id: str) -> list[dict[str, object]]:
    with psycopg.connect(world.runtime.db.admin_url) as conn, conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "select id, message from public.device_attempts where device_id = %s order by id", (device_id,)
        ).fetchall()


def test_the_newest_are_kept_per_device_and_old_ones_expire(world: World) -> None:
    db = world.runtime.db
    device_id = unique_device_id()
    devices.register(db, world.alice.principal, device_id, "Flooded")
    for n in range(attempts.KEPT_PER_DEVICE + 5):
        assert attempts.record(db, device_id, attempts.Attempt(401, "bad_key", f"attempt {n}"))
    kept = _kept(world, device_id)
    assert [row["message"] for row in kept] == [f"attempt {n}" for n in range(5, attempts.KEPT_PER_DEVICE + 5)]
    assert len(_kept(world, world.device_id)) == 2  # another device's are not touched by the cap

    # A week later: no longer shown, and gone with the next refusal of any device.
    with psycopg.connect(db.admin_url) as conn:
        conn.execute(
            "update public.device_attempts set attempted_at = attempted_at - %s where device_id = %s",
            (attempts.KEPT_FOR + timedelta(minutes=1), device_id),
        )
    assert attempts.of_device(db, world.alice.principal, device_id) == []
    elsewhere = unique_device_id()
    devices.register(db, world.bob.principal, elsewhere, "Bob's")
    assert attempts.record(db, elsewhere, attempts.Attempt(401, "bad_key", "a week later"))
    assert _kept(world, device_id) == []
    assert len(_kept(world, world.device_id)) == 2 and len(_kept(world, elsewhere)) == 1

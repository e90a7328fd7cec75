"""Refused reader requests (sql/0014_device_attempts.sql) beyond the RLS matrix (which has
who reads them, and that no person writes them): the service path reads and writes none of
them directly either, only it may call the one function that records them, and the function
keeps no more than it should.

World: the RLS tests' (tests/db/conftest.py); alice's reader has two refused requests kept.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.db.actors import outcome, rows
from tests.db.conftest import World
from tests.utils.devices import unique_device_id
from timetracker.nfc import attempts, devices

RECORD = "select internal.record_device_attempt(%s, 401, 'bad_key', 'wrong key', '[]', null, null) as stored"
WRITES = [
    "insert into device_attempts (owner_id, device_id, status, reason, message)"
    " values (%(owner)s, %(device)s, 401, 'bad_key', 'planted')",
    "update device_attempts set message = 'rewritten' where device_id = %(device)s",
    "delete from device_attempts where device_id = %(device)s",
]


def test_the_service_path_reads_nothing(world: World) -> None:
    """It writes through the function only."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(
            world.runtime.db.as_service,
            "select count(*) as n from device_attempts where device_id = %s",
            (world.alice_device,),
        )


@pytest.mark.parametrize("write", WRITES, ids=["plant one", "rewrite one", "delete them"])
def test_the_service_path_writes_nothing_directly(world: World, write: str) -> None:
    params = {"owner": world.alice.id, "device": world.alice_device}
    assert outcome(world.runtime.db.as_service, write, params, read=False) == 0


@pytest.mark.parametrize("who", ["alice", "carol", "bob", "anon"])
def test_only_the_service_path_may_call_the_function(world: World, who: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor(who), RECORD, (world.alice_device,))


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
    with world.runtime.db.as_service() as conn:
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
    assert len(_kept(world, world.alice_device)) == 2  # another device's are not touched by the cap

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
    assert len(_kept(world, world.alice_device)) == 2 and len(_kept(world, elsewhere)) == 1

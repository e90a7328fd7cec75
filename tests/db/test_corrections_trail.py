"""The trail of corrections (`time_edits`) is append-only: only the database's own trigger
writes it, with the changer as actor, and no role can change or erase a row of it, not the
person it is about, not their team's owner or admin, not anon, not even service_role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.db.actors import Actor, rows, touched
from tests.db.conftest import World
from tests.utils.users import make_user
from timetracker import corrections
from timetracker.db import Database
from timetracker.runtime import Runtime

START = datetime(2025, 4, 11, 13, tzinfo=UTC)
# Every way to alter what is already written, and to write a row by hand.
TAMPERING = [
    "update time_edits set ended_at = started_at where owner_id = %(alice)s",
    "update time_edits set actor_id = null where owner_id = %(alice)s",
    "update time_edits set action = 'create' where owner_id = %(alice)s",
    "delete from time_edits where owner_id = %(alice)s",
    "delete from time_edits",
    "truncate time_edits",
    "insert into time_edits (owner_id, actor_id, kind, action, item_id, started_at, ended_at)"
    " values (%(alice)s, %(alice)s, 'entry', 'create', gen_random_uuid(), now(), now())",
]
WHO = ["alice", "carol", "dave", "anon", "service_role"]


def service(db: Database) -> Actor:
    return db.as_service


def actor(world: World, who: str) -> Actor:
    return service(world.runtime.db) if who == "service_role" else world.actor(who)


@contextmanager
def superuser(runtime: Runtime) -> Iterator[psycopg.Connection[dict[str, Any]]]:
    """What is really stored, read past every policy."""
    with psycopg.connect(runtime.db.admin_url, row_factory=dict_row) as conn:
        yield conn


def trail_of(runtime: Runtime, owner: UUID) -> list[dict[str, Any]]:
    with superuser(runtime) as conn:
        return conn.execute("select * from time_edits where owner_id = %s order by id", (owner,)).fetchall()


@pytest.mark.parametrize(
    "sql", TAMPERING, ids=["backdate", "unname the actor", "relabel", "erase", "wipe", "truncate", "forge"]
)
@pytest.mark.parametrize("who", WHO)
def test_nobody_can_change_or_erase_the_trail(world: World, who: str, sql: str) -> None:
    before = trail_of(world.runtime, world.alice.id)
    assert len(before) == 2
    # Refused outright (no privilege), not merely hidden by a policy.
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        touched(actor(world, who), sql, {"alice": world.alice.id})
    assert trail_of(world.runtime, world.alice.id) == before


@pytest.mark.parametrize("who", ["anon", "service_role"])
def test_anon_and_service_role_do_not_read_the_trail(world: World, who: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        rows(actor(world, who), "select * from time_edits")


def test_each_change_is_recorded_with_who_made_it_and_the_times_before(runtime: Runtime) -> None:
    """Create, change, delete an entry and an exclusion: one row each, in order, with the
    person as actor, the stretch after (before, for a delete) and the one it replaced; never
    the note."""
    person = make_user(runtime, "trail")
    db, principal = runtime.db, person.principal
    entry = corrections.add(db, principal, "entry", START, START + timedelta(hours=1), "secret note", label="Review")
    moved = corrections.update(db, principal, "entry", entry["id"], end=START + timedelta(hours=2))
    corrections.delete(db, principal, "entry", entry["id"])
    exclusion = corrections.add(db, principal, "exclusion", START, START + timedelta(minutes=30), "lunch")
    trail = trail_of(runtime, person.id)
    assert [(r["kind"], r["action"], r["item_id"], r["actor_id"], r["owner_id"]) for r in trail] == [
        ("entry", "create", entry["id"], person.id, person.id),
        ("entry", "update", entry["id"], person.id, person.id),
        ("entry", "delete", entry["id"], person.id, person.id),
        ("exclusion", "create", exclusion["id"], person.id, person.id),
    ]
    create, update, delete, excluded = trail
    assert (create["started_at"], create["ended_at"], create["previous"]) == (START, START + timedelta(hours=1), None)
    assert create["current"]["label"] == "Review"
    assert (update["started_at"], update["ended_at"]) == (moved["started_at"], START + timedelta(hours=2))
    assert datetime.fromisoformat(update["previous"]["ended_at"]) == START + timedelta(hours=1)
    assert datetime.fromisoformat(update["current"]["ended_at"]) == START + timedelta(hours=2)
    assert (delete["started_at"], delete["ended_at"], delete["current"]) == (START, START + timedelta(hours=2), None)
    assert datetime.fromisoformat(delete["previous"]["ended_at"]) == START + timedelta(hours=2)
    assert (excluded["started_at"], excluded["ended_at"]) == (START, START + timedelta(minutes=30))
    # The notes stay out of the trail (team admins read it; the notes only when shared), and so
    # does the owner (the row says whose it is).
    for row in trail:
        for state in (row["previous"], row["current"]):
            assert state is None or ("note" not in state and "owner_id" not in state)
    assert "secret note" not in str(trail) and "lunch" not in str(trail)


class _Undo(Exception):
    pass


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_a_change_made_in_sql_is_recorded_too_with_its_caller_as_actor(world: World, who: str) -> None:
    """No code path can skip the trail: a person writing the table directly (as a client of
    the database's API could) gets a trail row all the same, naming them from the
    transaction's claims, with nothing of theirs to set."""
    person = getattr(world, who)
    written: list[dict[str, Any]] = []
    try:
        with world.actor(who)() as conn:
            item = conn.execute(
                "insert into time_exclusions (started_at, ended_at) values (%s, %s) returning id",
                (START, START + timedelta(minutes=5)),
            ).fetchone()["id"]
            conn.execute("update time_exclusions set ended_at = ended_at + interval '5 minutes' where id = %s", (item,))
            conn.execute("delete from time_exclusions where id = %s", (item,))
            written = conn.execute(
                "select owner_id, actor_id, action from time_edits where item_id = %s order by id", (item,)
            ).fetchall()
            raise _Undo
    except _Undo:
        pass
    assert written == [
        {"owner_id": person.id, "actor_id": person.id, "action": action} for action in ("create", "update", "delete")
    ]


def test_deleting_an_account_takes_its_corrections_and_their_trail_with_it(runtime: Runtime) -> None:
    person = make_user(runtime, "leaving")
    corrections.add(runtime.db, person.principal, "entry", START, START + timedelta(hours=1), "", label="Review")
    corrections.add(runtime.db, person.principal, "exclusion", START, START + timedelta(minutes=5), "break")
    assert len(trail_of(runtime, person.id)) == 2
    with runtime.db.as_service() as conn:
        conn.execute("delete from auth.users where id = %s", (person.id,))
    assert trail_of(runtime, person.id) == []
    with superuser(runtime) as conn:
        for table in ("time_entries", "time_exclusions", "correction_notes"):
            left = conn.execute(f"select count(*) as n from {table} where owner_id = %s", (person.id,)).fetchone()
            assert left["n"] == 0, table

"""Who sees and changes which ActivityWatch rows, asked of the database as each person and anon.

World: carol owns a team (dave admin, alice member); erin administers another team; bob is
outside. Alice sends rows with her own token; a developer token of carol's team sends team
rows for alice's developer id; bob sends his own rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

import psycopg
import pytest

from tests.activitywatch.aw_data import BASE, standard_bucket
from tests.db.actors import Actor, anon, person, rows, touched
from tests.utils.teams import join
from tests.utils.users import TestUser, make_user
from timetracker import teams
from timetracker.activitywatch import batch, ingest, team
from timetracker.activitywatch.developer_ids import developer_id
from timetracker.errors import Forbidden, InvalidInput
from timetracker.runtime import Runtime


@dataclass(frozen=True)
class World:
    runtime: Runtime
    alice: TestUser
    bob: TestUser
    carol: TestUser
    dave: TestUser
    erin: TestUser
    team_id: UUID
    dev_id: str

    def actor(self, name: str) -> Actor:
        return anon(self.runtime.db) if name == "anon" else person(self.runtime.db, getattr(self, name))


def send(runtime: Runtime, sender: ingest.Sender, bucket_type: str) -> None:
    received = batch.read(standard_bucket(bucket_type))
    received.record(ingest.store(runtime.db, sender, received.rows))


@pytest.fixture(scope="module")
def world(runtime: Runtime) -> Iterator[World]:
    db = runtime.db
    alice, bob, carol, dave, erin = (make_user(runtime, n) for n in ("alice", "bob", "carol", "dave", "erin"))
    crew = teams.create(db, carol.principal, "Crew")["id"]
    join(runtime.db, carol, crew, dave, "admin")
    join(runtime.db, carol, crew, alice)
    teams.create(db, erin.principal, "Elsewhere")
    dev_id = developer_id("Alice", alice.email)
    send(runtime, ingest.Sender(principal=alice.principal), "afkstatus")
    send(runtime, ingest.Sender(principal=bob.principal), "afkstatus")
    send(runtime, ingest.Sender(team_id=crew, developer_id=dev_id), "currentwindow")
    yield World(runtime, alice, bob, carol, dave, erin, crew, dev_id)


def visible(world: World, name: str) -> set[str]:
    found = rows(world.actor(name), "select owner_id, developer_id from aw_events")
    labels = {
        "alice" if r["owner_id"] == world.alice.id else "bob" if r["owner_id"] == world.bob.id else "team"
        for r in found
        if r["owner_id"] or r["developer_id"] == world.dev_id
    }
    return labels


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alice", {"alice"}),
        ("bob", {"bob"}),
        ("carol", {"alice", "team"}),
        ("dave", {"alice", "team"}),
        ("erin", set()),
    ],
)
def test_who_reads_which_rows(world: World, name: str, expected: set[str]) -> None:
    assert visible(world, name) == expected


def test_anon_reads_and_writes_nothing(world: World) -> None:
    for sql in ("select * from aw_events", "select * from developers"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            rows(world.actor("anon"), sql)


def test_people_write_only_their_own_rows(world: World) -> None:
    insert = (
        "insert into aw_events (owner_id, team_id, developer_id, host, bucket_id, bucket_type, started_at,"
        " duration, data) values (%s, %s, %s, 'h', 'b', 'afkstatus', %s, 1, '{}')"
    )
    assert touched(world.actor("alice"), insert, (world.alice.id, None, None, BASE)) == 1
    for params in [(world.bob.id, None, None, BASE), (None, world.team_id, world.dev_id, BASE)]:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            touched(world.actor("alice"), insert, params)
    # An admin cannot write team rows directly either: only the verified-token door can.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        touched(world.actor("carol"), insert, (None, world.team_id, world.dev_id, BASE))
    assert touched(world.actor("alice"), "update aw_events set duration = 99 where owner_id = %s", (world.bob.id,)) == 0
    assert (
        touched(world.actor("carol"), "update aw_events set duration = 99 where owner_id = %s", (world.alice.id,)) == 0
    )
    assert touched(world.actor("alice"), "delete from aw_events where owner_id = %s", (world.bob.id,)) == 0
    assert touched(world.actor("carol"), "delete from aw_events where team_id = %s", (world.team_id,)) == 0
    # Their own rows: extended (heartbeat merging) and deleted.
    assert (
        touched(world.actor("alice"), "update aw_events set duration = 99 where owner_id = %s", (world.alice.id,)) == 1
    )
    assert touched(world.actor("alice"), "delete from aw_events where owner_id = %s", (world.alice.id,)) == 1
    # Only what heartbeat merging changes is updatable, even on one's own rows.
    for column in ("owner_id = owner_id", "started_at = started_at", "host = 'x'"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            touched(world.actor("alice"), f"update aw_events set {column} where owner_id = %s", (world.alice.id,))


def test_the_developer_door_is_closed_to_people(world: World) -> None:
    call = "select * from internal.store_developer_events(%s, 'x_00000000', '{}', '{}', '{}', '{}', '{}', '{}', '{}')"
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor("carol"), call, (world.team_id,))


def test_developers_are_managed_by_team_admins_only(world: World) -> None:
    assert [d["developer_id"] for d in team.developers(world.runtime.db, world.dave.principal, world.team_id)] == [
        world.dev_id
    ]
    assert team.developers(world.runtime.db, world.alice.principal, world.team_id) == []
    assert team.developers(world.runtime.db, world.erin.principal, world.team_id) == []
    with pytest.raises(Forbidden):
        team.register(world.runtime.db, world.alice.principal, world.team_id, "Mallory", "m@example.com")
    remove = "delete from developers where team_id = %s"
    assert touched(world.actor("alice"), remove, (world.team_id,)) == 0
    assert touched(world.actor("erin"), remove, (world.team_id,)) == 0
    assert touched(world.actor("dave"), remove, (world.team_id,)) == 1
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the key columns are not updatable
        touched(
            world.actor("dave"),
            "update developers set developer_id = 'x_00000000' where team_id = %s",
            (world.team_id,),
        )
    with pytest.raises(InvalidInput):  # bob is not a member of the team
        team.link(world.runtime.db, world.carol.principal, world.team_id, world.dev_id, world.bob.id)


def test_linking_shows_team_rows_to_the_developer_and_claiming_needs_the_email(world: World) -> None:
    db = world.runtime.db
    team.register(db, world.carol.principal, world.team_id, "Alice", world.alice.email)
    with pytest.raises(Forbidden):  # bob's email does not match (and he is not in the team)
        team.claim(db, world.bob.principal, world.team_id, world.dev_id)
    team.claim(db, world.alice.principal, world.team_id, world.dev_id)
    assert visible(world, "alice") == {"alice", "team"}
    assert visible(world, "bob") == {"bob"}
    assert visible(world, "erin") == set()
    team.link(db, world.dave.principal, world.team_id, world.dev_id, None)
    assert visible(world, "alice") == {"alice"}
    team.link(db, world.dave.principal, world.team_id, world.dev_id, world.alice.id)
    assert visible(world, "alice") == {"alice", "team"}

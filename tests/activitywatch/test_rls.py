"""ActivityWatch rules the RLS matrix (tests/db/rls_matrix.py) does not hold: the columns no
one may update, the verified-token door, and registering, linking and claiming developer ids
through the product's functions. Who reads and writes which rows is in the matrix.

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

from tests.db.actors import Actor, anon, person, rows, touched
from tests.utils.sources import activity
from tests.utils.teams import join
from tests.utils.users import TestUser, make_user
from timetracker import teams
from timetracker.activitywatch import ingest, team
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


@pytest.fixture(scope="module")
def world(runtime: Runtime) -> Iterator[World]:
    db = runtime.db
    alice, bob, carol, dave, erin = (make_user(runtime, n) for n in ("alice", "bob", "carol", "dave", "erin"))
    crew = teams.create(db, carol.principal, "Crew")["id"]
    join(runtime.db, carol, crew, dave, "admin")
    join(runtime.db, carol, crew, alice)
    teams.create(db, erin.principal, "Elsewhere")
    dev_id = developer_id("Alice", alice.email)
    activity(runtime, ingest.Sender(principal=alice.principal), "afkstatus")
    activity(runtime, ingest.Sender(principal=bob.principal), "afkstatus")
    activity(runtime, ingest.Sender(team_id=crew, developer_id=dev_id), "currentwindow")
    yield World(runtime, alice, bob, carol, dave, erin, crew, dev_id)


def visible(world: World, name: str) -> set[str]:
    found = rows(world.actor(name), "select owner_id, developer_id from aw_events")
    labels = {
        "alice" if r["owner_id"] == world.alice.id else "bob" if r["owner_id"] == world.bob.id else "team"
        for r in found
        if r["owner_id"] or r["developer_id"] == world.dev_id
    }
    return labels


def test_only_what_heartbeat_merging_changes_is_updatable_even_on_ones_own_rows(world: World) -> None:
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

"""A developer id shows a team's rows to the person it is linked to only while that person is
a member of the team (sql/0008), and a member claims an id made from their proven email: one
confirmed by mail, or the one a team admin's invitation link went to (sql/0012).

World per test: carol owns a team, alice is a member, bob is outside; a developer token of
the team sent one event for an id made (as the CLI generator does) from alice's email, so
the id was registered by that first event, without an email hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import psycopg
import pytest

from tests.activitywatch.aw_data import standard_bucket
from tests.db.actors import person, rows, touched
from tests.utils.teams import join
from tests.utils.users import TestUser, make_user
from timetracker import teams
from timetracker.activitywatch import batch, ingest, team
from timetracker.activitywatch.developer_ids import developer_id, email_hash
from timetracker.errors import Forbidden
from timetracker.runtime import Runtime


@dataclass(frozen=True)
class Crew:
    runtime: Runtime
    carol: TestUser  # owner
    alice: TestUser  # member
    bob: TestUser  # outside
    team_id: UUID
    dev_id: str  # made from alice's email, never registered with its email hash


@pytest.fixture
def crew(runtime: Runtime) -> Crew:
    carol, alice, bob = (make_user(runtime, name) for name in ("carol", "alice", "bob"))
    team_id = teams.create(runtime.db, carol.principal, "Crew")["id"]
    join(runtime.db, carol, team_id, alice)
    dev_id = developer_id("Alice", alice.email)
    received = batch.read(standard_bucket("currentwindow"))
    received.record(ingest.store(runtime.db, ingest.Sender(team_id=team_id, developer_id=dev_id), received.rows))
    return Crew(runtime, carol, alice, bob, team_id, dev_id)


def team_rows_seen_by(crew: Crew, user: TestUser) -> int:
    found = rows(
        person(crew.runtime.db, user), "select count(*) as n from aw_events where team_id = %s", (crew.team_id,)
    )
    return found[0]["n"]


def register_linked(crew: Crew, user_id: UUID) -> int:
    """Carol inserts a developer row already linked to `user_id` (rolled back)."""
    return touched(
        person(crew.runtime.db, crew.carol),
        "insert into developers (team_id, developer_id, display_name, user_id) values (%s, 'other_0123abcd', 'O', %s)",
        (crew.team_id, user_id),
    )


def test_an_admin_registers_developers_linked_only_to_members(crew: Crew) -> None:
    assert register_linked(crew, crew.alice.id) == 1
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        register_linked(crew, crew.bob.id)  # would have shown the team's rows to an outsider
    unlinked = touched(
        person(crew.runtime.db, crew.carol),
        "insert into developers (team_id, developer_id, display_name) values (%s, 'other_0123abcd', 'O')",
        (crew.team_id,),
    )
    assert unlinked == 1


def test_a_link_counts_only_while_the_person_is_a_member(crew: Crew) -> None:
    db = crew.runtime.db
    team.link(db, crew.carol.principal, crew.team_id, crew.dev_id, crew.alice.id)
    assert team_rows_seen_by(crew, crew.alice) == 1

    teams.remove_member(db, crew.carol.principal, crew.team_id, crew.alice.id)
    assert team_rows_seen_by(crew, crew.alice) == 0
    assert team.developers(db, crew.alice.principal, crew.team_id) == []
    # The link itself is kept (dormant), so the admin still sees whose id it was.
    [row] = team.developers(db, crew.carol.principal, crew.team_id)
    assert row["user_id"] == crew.alice.id

    # Added back by an admin: the link counts again.
    join(crew.runtime.db, crew.carol, crew.team_id, crew.alice)
    assert team_rows_seen_by(crew, crew.alice) == 1


def test_a_member_claims_an_id_the_cli_made_from_their_email(crew: Crew) -> None:
    db = crew.runtime.db
    outsider_in_team = make_user(crew.runtime, "dave")
    join(crew.runtime.db, crew.carol, crew.team_id, outsider_in_team)
    with pytest.raises(Forbidden):  # a member, but the id was not made from dave's email
        team.claim(db, outsider_in_team.principal, crew.team_id, crew.dev_id)
    with pytest.raises(Forbidden):  # not a member
        team.claim(db, crew.bob.principal, crew.team_id, crew.dev_id)
    assert team_rows_seen_by(crew, crew.alice) == 0

    team.claim(db, crew.alice.principal, crew.team_id, crew.dev_id)

    assert team_rows_seen_by(crew, crew.alice) == 1
    assert team_rows_seen_by(crew, outsider_in_team) == 0


def test_claiming_needs_a_confirmed_email(crew: Crew) -> None:
    db = crew.runtime.db
    with db.as_service() as conn:
        conn.execute("update auth.users set email_confirmed_at = null where id = %s", (crew.alice.id,))
    with pytest.raises(Forbidden):
        team.claim(db, crew.alice.principal, crew.team_id, crew.dev_id)
    with db.as_service() as conn:
        conn.execute("update auth.users set email_confirmed_at = now() where id = %s", (crew.alice.id,))
    team.claim(db, crew.alice.principal, crew.team_id, crew.dev_id)
    assert team_rows_seen_by(crew, crew.alice) == 1


def test_a_stored_email_hash_outranks_the_id_suffix(crew: Crew) -> None:
    # The admin recorded the full hash of another address for this id: only that address claims it.
    db = crew.runtime.db
    with db.as_user(crew.carol.principal.db_claims) as conn:
        conn.execute(
            "update developers set email_sha256 = %s where team_id = %s and developer_id = %s",
            (email_hash("someone.else@example.com"), crew.team_id, crew.dev_id),
        )
    with pytest.raises(Forbidden):
        team.claim(db, crew.alice.principal, crew.team_id, crew.dev_id)


def test_an_address_confirmed_without_mail_claims_nothing(crew: Crew) -> None:
    """Carol made the team, so no admin's link ever reached her address, and the local auth
    server confirmed it at once, without mail: that proves nothing, whoever signed up with it."""
    db = crew.runtime.db
    own_id = team.register(db, crew.carol.principal, crew.team_id, "Carol", crew.carol.email)["developer_id"]
    with pytest.raises(Forbidden, match="proven to be yours"):
        team.claim(db, crew.carol.principal, crew.team_id, own_id)
    assert team.developers(db, crew.carol.principal, crew.team_id)[0]["user_id"] is None

    # What following a mailed confirmation link does: the address is proven, the claim goes through.
    with db.as_service() as conn:
        conn.execute("delete from internal.auto_confirmed_emails where user_id = %s", (crew.carol.id,))
    team.claim(db, crew.carol.principal, crew.team_id, own_id)
    assert {row["developer_id"]: row["user_id"] for row in team.developers(db, crew.carol.principal, crew.team_id)}[
        own_id
    ] == crew.carol.id


def test_an_admins_link_proves_the_address_for_that_team_only(crew: Crew) -> None:
    """Alice joined Crew through Carol's link to her address; in a team of her own it proves nothing."""
    db = crew.runtime.db
    own_team = teams.create(db, crew.alice.principal, "Alice's own")["id"]
    own_id = team.register(db, crew.alice.principal, own_team, "Alice", crew.alice.email)["developer_id"]
    with pytest.raises(Forbidden, match="proven to be yours"):
        team.claim(db, crew.alice.principal, own_team, own_id)
    team.claim(db, crew.alice.principal, crew.team_id, crew.dev_id)
    assert team_rows_seen_by(crew, crew.alice) == 1

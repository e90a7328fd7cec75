"""sql/0012 against every kind of caller: the invitation_links table, the proof-of-address
functions and the local auth server's internal tables.

World: carol owns team "Links", dave administers it, alice is a member (both joined with
their links), bob is outside with a pending invitation and its link, anon is nobody.
Writes are rolled back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.db.actors import Actor, anon, outcome, person, rows, touched
from tests.utils.teams import invite, join
from tests.utils.users import TestUser, make_user
from timetracker import credentials, teams
from timetracker.runtime import Runtime

ACTORS = ("carol", "dave", "alice", "bob", "anon")  # owner, admin, member, outsider, anon
REFUSED = "refused"


@dataclass(frozen=True)
class World:
    runtime: Runtime
    carol: TestUser
    dave: TestUser
    alice: TestUser
    bob: TestUser
    team_id: UUID
    bob_token: str

    def actor(self, name: str) -> Actor:
        return anon(self.runtime.db) if name == "anon" else person(self.runtime.db, getattr(self, name))

    @property
    def parameters(self) -> dict[str, Any]:
        return {
            "team": self.team_id,
            "bob_digest": credentials.digest(self.bob_token),
            "other_digest": credentials.digest("tti_not-the-token"),
            "carol": self.carol.id,
        }


@pytest.fixture(scope="module")
def world(runtime: Runtime) -> World:
    carol, dave, alice, bob = (make_user(runtime, name) for name in ("carol", "dave", "alice", "bob"))
    team_id = teams.create(runtime.db, carol.principal, "Links")["id"]
    join(runtime.db, carol, team_id, dave, "admin")
    join(runtime.db, dave, team_id, alice)
    return World(runtime, carol, dave, alice, bob, team_id, invite(runtime.db, carol, team_id, bob.email))


class _Answered(Exception):
    """Leaves the actor's transaction with the answer, rolling back whatever the call did."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def call(actor: Actor, sql: str, params: dict[str, Any]) -> Any:
    """The first column of the first row a call answers (then rolled back), or REFUSED."""
    try:
        with actor() as conn:
            row = conn.execute(sql, params).fetchone()
            raise _Answered(None if row is None else next(iter(row.values())))
    except _Answered as answered:
        return answered.value
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.NoDataFound):
        return REFUSED


# (name, how to run it, what each caller gets; missing callers: 0)
READS = [
    (
        "read the team's links",
        "select count(*) as n from invitation_links where team_id = %(team)s",
        {"carol": 3, "dave": 3},
    ),
    ("read every link", "select count(*) as n from invitation_links", {"carol": 3, "dave": 3}),
]
WRITES = [
    (
        "make a link",
        "insert into invitation_links (team_id, email, token_hash, expires_at)"
        " values (%(team)s, 'x@example.com', %(other_digest)s, now() + interval '1 day')",
    ),
    ("extend a link", "update invitation_links set expires_at = now() + interval '1 year' where team_id = %(team)s"),
    ("mark a link used", "update invitation_links set used_at = now(), used_by = %(carol)s where used_at is null"),
    ("delete a link", "delete from invitation_links where team_id = %(team)s"),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "sql", "expect"), READS, ids=[case[0] for case in READS])
def test_only_the_teams_owner_and_admins_read_its_links(
    world: World, actor: str, name: str, sql: str, expect: dict[str, int]
) -> None:
    assert outcome(world.actor(actor), sql, world.parameters, read=True) == expect.get(actor, 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_nobody_reads_a_links_digest(world: World, actor: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor(actor), "select token_hash from invitation_links")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "sql"), WRITES, ids=[case[0] for case in WRITES])
def test_nobody_writes_links_but_the_functions(world: World, actor: str, name: str, sql: str) -> None:
    with suppress(psycopg.errors.InsufficientPrivilege):  # refused outright: no privilege
        assert touched(world.actor(actor), sql, world.parameters) == 0


FUNCTIONS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "invite with a link",
        "select internal.invite_to_team(%(team)s, 'someone@example.com', 'member', %(other_digest)s, '1 day')",
        {"carol": "invited", "dave": "invited"},
    ),
    (
        "accept bob's link",
        "select outcome from internal.accept_invitation_link(%(team)s, %(bob_digest)s)",
        {"carol": "invalid", "dave": "invalid", "alice": "invalid", "bob": "joined"},
    ),
    (
        "accept with a wrong token",
        "select outcome from internal.accept_invitation_link(%(team)s, %(other_digest)s)",
        {"carol": "invalid", "dave": "invalid", "alice": "invalid", "bob": "invalid"},
    ),
    # By address alone: bob's was confirmed without mail, so it is no proof; the others have no invitation.
    ("accept by address", "select internal.accept_invitation(%(team)s)", {}),
    ("is my address proven", "select internal.my_email_is_proven()", dict.fromkeys(ACTORS[:-1], False)),
    ("compare digests directly", "select internal.same_digest(%(bob_digest)s, %(bob_digest)s)", {}),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "sql", "expect"), FUNCTIONS, ids=[case[0] for case in FUNCTIONS])
def test_what_each_caller_gets_from_the_functions(
    world: World, actor: str, name: str, sql: str, expect: dict[str, Any]
) -> None:
    assert call(world.actor(actor), sql, world.parameters) == expect.get(actor, REFUSED)


INTERNAL_TABLES = ["internal.auto_confirmed_emails", "internal.email_confirmations"]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("table", INTERNAL_TABLES)
def test_the_local_auth_servers_tables_are_the_service_paths_alone(world: World, actor: str, table: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor(actor), f"select count(*) from {table}")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        touched(world.actor(actor), f"delete from {table}")


def test_the_service_path_sees_who_was_confirmed_without_mail(world: World) -> None:
    with world.runtime.db.as_service() as conn:
        marked = conn.execute(
            "select count(*) as n from internal.auto_confirmed_emails where user_id = any(%s)",
            ([world.carol.id, world.bob.id],),
        ).fetchone()["n"]
    assert marked == 2


@contextmanager
def probing(conn: psycopg.Connection[dict[str, Any]], claims: dict[str, Any]) -> Iterator[Any]:
    conn.execute("savepoint probe")
    try:
        conn.execute(
            "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', %s, true)",
            (json.dumps(claims),),
        )
        yield conn
    finally:
        conn.execute("rollback to savepoint probe")


def test_the_read_policy_is_what_lets_owners_and_admins_read(world: World) -> None:
    """Drop it (rolled back) and the owner and the admin see no link: no other rule lets them."""
    visible: Callable[[Any], int] = lambda conn: conn.execute(  # noqa: E731
        "select count(*) as n from invitation_links where team_id = %s", (world.team_id,)
    ).fetchone()["n"]
    with psycopg.connect(world.runtime.db.admin_url, row_factory=dict_row) as conn:
        [policy] = conn.execute(
            "select policyname from pg_policies where schemaname = 'public' and tablename = 'invitation_links'"
        ).fetchall()
        for lead in (world.carol, world.dave):
            with probing(conn, lead.principal.db_claims) as probe:
                assert visible(probe) == 3
        conn.execute(f'drop policy "{policy["policyname"]}" on public.invitation_links')
        for lead in (world.carol, world.dave):
            with probing(conn, lead.principal.db_claims) as probe:
                assert visible(probe) == 0
        conn.rollback()

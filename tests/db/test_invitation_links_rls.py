"""sql/0012's proof-of-address functions and the local auth server's internal tables, against
every kind of caller. Who reads and writes the invitation_links table is in the RLS matrix
(tests/db/rls_matrix.py).

World: the RLS tests' (tests/db/conftest.py): carol owns team "Crew", dave administers it,
alice is a member (both joined with their links), bob is outside with a pending invitation
and its link, anon is nobody. Calls are rolled back.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.db.actors import Actor, rows, touched
from tests.db.conftest import World
from timetracker import credentials

ACTORS = ("carol", "dave", "alice", "bob", "anon")  # owner, admin, member, outsider, anon
REFUSED = "refused"


def parameters(world: World) -> dict[str, Any]:
    return {
        "team": world.team_id,
        "bob_digest": credentials.digest(world.named["bob_link"]),
        "other_digest": credentials.digest("tti_not-the-token"),
    }


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
    assert call(world.actor(actor), sql, parameters(world)) == expect.get(actor, REFUSED)


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

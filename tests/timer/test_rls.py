"""RLS on the timer's tables, straight in the database: the owner, a stranger, the owner's
team admin and anon, for every table and every kind of statement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import psycopg
import pytest

from tests.db.actors import Actor, anon, outcome, person, touched
from tests.timer.timer_client import run
from tests.utils.teams import join
from tests.utils.users import TestUser
from timetracker import teams
from timetracker.projects import store
from timetracker.runtime import Runtime

TABLES = ("timer_sessions", "timer_questions", "timer_events", "timer_state")
WHO = ("alice", "bob", "carol", "anon")


@dataclass(frozen=True)
class Timers:
    actors: dict[str, Actor]
    session_id: str


@pytest.fixture
def timers(
    runtime: Runtime, http: httpx.Client, alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> Timers:
    """alice has a session with a question; carol owns a team alice is in; bob is a stranger."""
    carol = user_factory("carol")
    team = teams.create(runtime.db, carol.principal, "Crew")
    join(runtime.db, carol, team["id"], alice)
    session_id = run(http, alice.headers, ("NEXT", 0), ("NEXT", 100))["session_id"]
    actors = {
        "alice": person(runtime.db, alice),
        "bob": person(runtime.db, bob),
        "carol": person(runtime.db, carol),
        "anon": anon(runtime.db),
    }
    return Timers(actors, session_id)


READERS = {
    "timer_sessions": {"alice": 1, "carol": 1},
    "timer_questions": {"alice": 1, "carol": 1},
    "timer_events": {"alice": 2, "carol": 2},
    # The lock row is the owner's alone.
    "timer_state": {"alice": 1},
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("table", TABLES)
def test_who_reads_alices_timer_rows(timers: Timers, alice: TestUser, table: str, who: str) -> None:
    sql = f"select count(*) as n from {table} where owner_id = %s"
    assert outcome(timers.actors[who], sql, (alice.id,), read=True) == READERS[table].get(who, 0)


WRITES = {
    "change the target": (
        "update timer_sessions set target_pace_minutes = 1 where public_id = %(session)s",
        {"alice": 1},
    ),
    "delete the session": ("delete from timer_sessions where public_id = %(session)s", {"alice": 1}),
    "delete the question": ("delete from timer_questions where owner_id = %(alice)s", {"alice": 1}),
    "move the lock row": ("update timer_state set last_event_at = null where owner_id = %(alice)s", {"alice": 1}),
    "edit an event": ("update timer_events set type = 'EXIT' where owner_id = %(alice)s", {}),
    "plant a question in alice's session": (
        "insert into timer_questions (session_id, question_index, started_at, ended_at, raw_seconds, active_seconds)"
        " select id, 99, now(), now(), 0, 0 from timer_sessions where public_id = %(session)s",
        {"alice": 1},  # bob, carol: the session is invisible or the WITH CHECK refuses
    ),
    "start a session as alice": (
        "insert into timer_sessions (owner_id, started_at, question_started_at) values (%(alice)s, now(), now())",
        {"alice": 1},
    ),
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("write", list(WRITES))
def test_who_changes_alices_timer_rows(timers: Timers, alice: TestUser, write: str, who: str) -> None:
    sql, allowed = WRITES[write]
    params = {"session": timers.session_id, "alice": alice.id}
    assert outcome(timers.actors[who], sql, params, read=False) == allowed.get(who, 0)


def test_bob_cannot_plant_a_question_in_his_name_into_alices_session(timers: Timers, bob: TestUser) -> None:
    sql = (
        "insert into timer_questions (session_id, question_index, started_at, ended_at, raw_seconds, active_seconds)"
        " select id, 99, now(), now(), 0, 0 from timer_sessions"
    )
    # The session is invisible to bob (nothing selected); naming its id directly is refused by WITH CHECK.
    assert outcome(timers.actors["bob"], sql, read=False) == 0
    with timers.actors["alice"]() as conn:
        session_pk = conn.execute("select id from timer_sessions where public_id = %s", (timers.session_id,)).fetchone()
    direct = sql.split(" select")[0] + " values (%s, 99, now(), now(), 0, 0)"
    assert outcome(timers.actors["bob"], direct, (session_pk["id"],), read=False) == 0


def _alices_session_pk(timers: Timers) -> int:
    with timers.actors["alice"]() as conn:
        row = conn.execute("select id from timer_sessions where public_id = %s", (timers.session_id,)).fetchone()
    return row["id"]


@pytest.mark.parametrize(
    "sql",
    [
        "insert into timer_state (owner_id, active_session_id) values (auth.uid(), %(session)s)",
        "update timer_state set active_session_id = %(session)s where owner_id = auth.uid()",
        "insert into timer_events (session_id, event_id, type, occurred_at, result)"
        " values (%(session)s, 'planted', 'NEXT', now(), '{}')",
    ],
    ids=["new state", "moved state", "event"],
)
def test_bob_cannot_point_his_own_rows_at_alices_session(
    timers: Timers, runtime: Runtime, http: httpx.Client, bob: TestUser, sql: str
) -> None:
    run(http, bob.headers, ("NEXT", 0))  # bob has a state row of his own to move
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        touched(timers.actors["bob"], sql, {"session": _alices_session_pk(timers)})


def test_a_session_is_given_only_a_project_its_owner_can_see(
    timers: Timers, runtime: Runtime, alice: TestUser, bob: TestUser
) -> None:
    mine = store.create_project(runtime.db, alice.principal, "Mine")["id"]
    strangers = store.create_project(runtime.db, bob.principal, "Bob's")["id"]
    give = "update timer_sessions set project_id = %s where public_id = %s"
    assert touched(timers.actors["alice"], give, (mine, timers.session_id)) == 1
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        touched(timers.actors["alice"], give, (strangers, timers.session_id))
    start = "insert into timer_sessions (started_at, question_started_at, project_id) values (now(), now(), %s)"
    assert touched(timers.actors["bob"], start, (strangers,)) == 1
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        touched(timers.actors["alice"], start, (strangers,))

"""Who runs a statement in the RLS tests: a person (role `authenticated` with their claims,
exactly as the app does) or `anon` (no claims, as an unauthenticated PostgREST request).

Writes are always rolled back, so one shared set of rows serves every test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg

from tests.utils.users import TestUser
from timetracker.db import Database
from timetracker.db.pool import Connection

Actor = Callable[[], AbstractContextManager[Connection]]


def person(db: Database, user: TestUser) -> Actor:
    return lambda: db.as_user(user.principal.db_claims)


def anon(db: Database) -> Actor:
    @contextmanager
    def transaction() -> Iterator[Connection]:
        with db.pool.connection() as conn, conn.transaction():
            conn.execute("set local role anon")
            yield conn

    return transaction


def rows(actor: Actor, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    with actor() as conn:
        return conn.execute(sql, params).fetchall()


def outcome(actor: Actor, sql: str, params: Any = (), *, read: bool) -> int:
    """Rows the actor can read (`select count(*) as n ...`) or write; 0 when refused outright."""
    try:
        return rows(actor, sql, params)[0]["n"] if read else touched(actor, sql, params)
    except psycopg.errors.InsufficientPrivilege:
        return 0


class _RollBack(Exception):
    pass


def touched(actor: Actor, sql: str, params: Any = ()) -> int:
    """How many rows a write reaches, undone afterwards. A refusal by a privilege or a
    policy's WITH CHECK raises psycopg.errors.InsufficientPrivilege; USING just hides rows."""
    count = 0
    try:
        with actor() as conn:
            count = conn.execute(sql, params).rowcount
            raise _RollBack
    except _RollBack:
        pass
    return count

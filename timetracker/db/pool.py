"""The connection pool and the two ways to use it.

The pool logs in as a role that can do nothing by itself (`authenticator`, NOINHERIT, as on
Supabase). Every transaction switches role first, exactly as PostgREST does:

* `as_user(claims)` — role `authenticated` with `request.jwt.claims` set, so Supabase's
  `auth.uid()` works and RLS decides what the transaction may see and write.
* `as_service()` — role `service_role`, for the local auth server, credential lookups
  through narrow SECURITY DEFINER functions, and admin jobs. Nothing request-shaped.
  `one_as_service(statement)` is the same for one statement in one round trip: the
  credential lookups (device keys, API tokens, sessions, plugin keys) every request makes.

For a hot path of few statements, `as_user_opening(claims, statement)` sends its first
statement with BEGIN and the switch, and `commit_with(conn, statement)` its last with COMMIT:
a timer press is two round trips.

Both settings are transaction-local (`set_config(..., true)`), so a pooled connection
never carries one person's identity into another's transaction, and a query run without
a switch fails closed as `authenticator`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from uuid import UUID

import psycopg
import structlog
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from timetracker.config import Settings
from timetracker.db import embedded, migrate

Connection = psycopg.Connection[dict[str, Any]]

log = structlog.get_logger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached right now; the caller should answer 503."""


# A transaction pooler (PgBouncer, Supavisor) hands each transaction to any server
# connection, where the statements psycopg prepared on another one do not exist: the
# database is misconfigured for this pool (DATABASE_PREPARE_STATEMENTS=false), not the
# request wrong, so it is answered like an outage.
POOLER_ERRORS = (psycopg.errors.InvalidSqlStatementName, psycopg.errors.DuplicatePreparedStatement)
# What a pool raises when the database cannot serve it now: answered as DatabaseUnavailable.
UNREACHABLE = (psycopg.OperationalError, PoolTimeout, *POOLER_ERRORS)

# Both settings are transaction-local (`true`): they end with the transaction.
SWITCH = "select set_config('role', {}, true), set_config('request.jwt.claims', {}, true)"
# The switch with its values as parameters (role, claims as JSON), e.g. `owner_switch`'s.
SWITCH_BOUND = SWITCH.format("%s", "%s")
# The same before one statement (`one_as_person`), bound by psycopg on the client; after
# BEGIN, a transaction's first statement may follow it.
SWITCH_AS = SWITCH_BOUND + "; "
BEGIN_AND_SWITCH = "begin; " + SWITCH_AS
SERVICE_CLAIMS = {"role": "service_role"}
# The same switch as text, to go before one statement in one simple query (`one_as_service`).
SWITCH_TO_SERVICE = (
    sql.SQL(SWITCH).format(sql.Literal("service_role"), sql.Literal(json.dumps(SERVICE_CLAIMS))).as_string() + "; "
)
# The same, with a commit that does not wait for the disk: for the bookkeeping a request leaves
# behind (a throttle's count, a token's last use). It is visible to every process at once; a
# crash can lose only its last fraction of a second, never data, and the request skips an
# fsync (on this kind of machine as long as the rest of a small request).
SWITCH_TO_SERVICE_UNFLUSHED = SWITCH_TO_SERVICE.removesuffix("; ") + ", set_config('synchronous_commit', 'off', true); "


class Database:
    def __init__(self, app_url: str, admin_url: str, settings: Settings) -> None:
        self.admin_url = admin_url
        self.app_url = app_url
        # Autocommit: every transaction is begun explicitly (`_transaction`), so BEGIN can travel
        # with the role switch; psycopg would otherwise send its own BEGIN first.
        kwargs: dict[str, Any] = {"row_factory": dict_row, "autocommit": True}
        if not settings.database_prepare_statements:
            kwargs["prepare_threshold"] = None
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            app_url,
            min_size=settings.db_pool_min_size,
            max_size=settings.db_pool_max_size,
            timeout=settings.db_timeout_seconds,
            kwargs=kwargs,
            open=False,
            name="timetracker",
        )
        self.pool.open(wait=False)

    @contextmanager
    def _transaction(self, role: str, claims: Mapping[str, Any]) -> Iterator[Connection]:
        with self._opened(role, claims) as (conn, _):
            yield conn

    @contextmanager
    def _opened(
        self, role: str, claims: Mapping[str, Any], first: str = "", params: Sequence[Any] = ()
    ) -> Iterator[tuple[Connection, dict[str, Any] | None]]:
        """A transaction as `role`, and the first row of `first` (if it returns rows), run with
        BEGIN and the switch."""
        claims_json = json.dumps(claims, default=str)
        try:
            with self.pool.connection() as conn:
                try:
                    # BEGIN and the switch as one simple query: one round trip instead of two, on
                    # every transaction (on this kind of machine a round trip costs about as much
                    # as a small statement). psycopg quotes the values, and the text is not
                    # prepared: it differs per caller. (psycopg's pipeline mode was measured
                    # too, for the timer's press: slower here, not faster.)
                    cursor = psycopg.ClientCursor(conn, row_factory=dict_row)
                    cursor.execute(BEGIN_AND_SWITCH + first, (role, claims_json, *params), prepare=False)
                    row = None
                    if first:
                        cursor.nextset()  # past BEGIN's result
                        cursor.nextset()  # and the switch's
                        row = cursor.fetchone() if cursor.description else None
                    yield conn, row
                except BaseException:
                    if not conn.closed:
                        conn.rollback()
                    raise
                conn.commit()
        except UNREACHABLE as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    def as_user(self, claims: Mapping[str, Any]) -> AbstractContextManager[Connection]:
        """A transaction as the person in `claims` (role `authenticated`), guarded by RLS."""
        return self._transaction("authenticated", _person(claims))

    def as_user_opening(
        self, claims: Mapping[str, Any], statement: str, params: Sequence[Any] = ()
    ) -> AbstractContextManager[tuple[Connection, dict[str, Any] | None]]:
        """`as_user`, with `statement` run in the same round trip as BEGIN: the connection and
        its first row. psycopg binds `params` on the client (ClientCursor), quoting each value,
        so the statement is planned on every call: fit for a call of a function, whose own
        statements keep their plans."""
        return self._opened("authenticated", _person(claims), statement, params)

    def as_person(self, owner_id: UUID) -> AbstractContextManager[Connection]:
        """A transaction as the person `owner_id`, for writes a sender proved it may make for
        them (a reader's key, a plugin's key, a stored grant): RLS decides, as for a login."""
        return self.as_user(_owner(owner_id))

    def one_as_service(
        self, statement: str, params: Sequence[Any] = (), *, bookkeeping: bool = False
    ) -> dict[str, Any] | None:
        """The first row of one statement run as `service_role`, in one round trip: for the
        credential lookups every request makes. The switch and the statement go as one simple
        query, which PostgreSQL runs as one transaction, so the transaction-local switch ends
        with it; psycopg binds `params` on the client (ClientCursor), quoting each value.
        `bookkeeping`: what the statement writes is committed without waiting for the disk."""
        switch = SWITCH_TO_SERVICE_UNFLUSHED if bookkeeping else SWITCH_TO_SERVICE
        return self._one_query(switch + statement, params)

    def one_as_person(self, owner_id: UUID, statement: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """The first row of one statement run as the person `owner_id` (as `as_person`), in one
        round trip with the switch and the commit: for one event a sender proved it may write.
        Bound on the client, so the statement is planned on every call: fit for a function's
        call, whose own statements keep their plans."""
        return self._one_query(*as_person_query(owner_id, statement, params))

    def _one_query(self, text: str, params: Sequence[Any]) -> dict[str, Any] | None:
        """The first row of the last statement of `text`: a switch, then one statement, as one
        simple query, which PostgreSQL runs as one transaction (the switch ends with it)."""
        try:
            with self.pool.connection() as conn:
                cursor = psycopg.ClientCursor(conn, row_factory=dict_row)
                cursor.execute(text, params, prepare=False)
                cursor.nextset()  # past the switch's own result
                return cursor.fetchone()
        except UNREACHABLE as exc:
            raise DatabaseUnavailable(str(exc)) from exc

    def as_service(self) -> AbstractContextManager[Connection]:
        """A transaction as `service_role`: local auth, credential lookups and admin jobs only."""
        return self._transaction("service_role", SERVICE_CLAIMS)

    def ping(self) -> bool:
        """Whether the database answers a query. Any database error counts as down: health
        answers 503 for what is wrong with the database, never 500."""
        try:
            with self._transaction("anon", {"role": "anon"}) as conn:
                conn.execute("select 1")
            return True
        except (DatabaseUnavailable, psycopg.Error) as exc:
            log.warning("database ping failed", error=type(exc.__cause__ or exc).__name__)
            return False

    def close(self) -> None:
        self.pool.close()


def _owner(owner_id: UUID) -> dict[str, Any]:
    """The claims a write for `owner_id` runs under, when a sender proved it may make it."""
    return {"sub": str(owner_id), "aud": "authenticated"}


def as_person_query(owner_id: UUID, statement: str, params: Sequence[Any] = ()) -> tuple[str, tuple[Any, ...]]:
    """One statement as the person `owner_id`, after the switch, as one simple query: the text
    and its parameters (`one_as_person`, and `LoopDatabase`'s on the event loop)."""
    return SWITCH_AS + statement, (*owner_switch(owner_id), *params)


def owner_switch(owner_id: UUID) -> tuple[str, str]:
    """`SWITCH_BOUND`'s values (role, claims as JSON) for a write a sender proved it may make
    for `owner_id`: what `one_as_person` switches to."""
    return "authenticated", json.dumps(_person(_owner(owner_id)))


def _person(claims: Mapping[str, Any]) -> dict[str, Any]:
    """A person's claims, as the `authenticated` role's transactions carry them."""
    if not claims.get("sub"):
        raise ValueError("as_user needs claims with a subject")
    return {**claims, "role": "authenticated"}


def commit_with(conn: Connection, statement: str, params: Sequence[Any] = ()) -> None:
    """Run `statement` and COMMIT as one simple query: a transaction's last write and its commit
    in one round trip (values bound on the client, as in `as_user_opening`). The transaction
    has ended when this returns; the context it was opened with then has nothing to commit."""
    psycopg.ClientCursor(conn).execute(statement + "; commit", params, prepare=False)


def resolve_urls(settings: Settings) -> tuple[str, str]:
    """(admin URL for migrations, app URL for the request pool)."""
    if settings.database_url:
        admin = settings.database_url
        app = settings.database_app_url or admin
    else:
        admin = embedded.ensure_running(settings.data_dir)
        # Trust auth on a private unix socket: the pool logs in as `authenticator`.
        app = settings.database_app_url or make_conninfo(admin, user="authenticator")
    return admin, app


def open_database(settings: Settings, *, run_migrations: bool = True) -> Database:
    admin_url, app_url = resolve_urls(settings)
    if run_migrations:
        migrate.apply_all(admin_url)
    return Database(app_url, admin_url, settings)


def describe(url: str) -> str:
    """A connection target for logs: host and database, never the password."""
    parts = conninfo_to_dict(url)
    return f"{parts.get('host', 'localhost')}/{parts.get('dbname', '')}"

"""Every transaction begins with its role switch and ends with it: a pooled connection never
carries one caller's identity, or half a transaction, into the next."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.utils.users import TestUser
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.db.pool import commit_with
from timetracker.runtime import Runtime


@pytest.fixture
def one_connection(runtime: Runtime, settings: Settings) -> Iterator[Database]:
    """A database with a pool of one connection, so every transaction reuses the last one's."""
    single = settings.model_copy(update={"db_pool_min_size": 1, "db_pool_max_size": 1})
    db = Database(runtime.db.pool.conninfo, runtime.db.admin_url, single)
    try:
        yield db
    finally:
        db.close()


def session_state(db: Database) -> dict[str, object]:
    with db.pool.connection() as conn:
        # As the pool hands it out, before anything runs on it.
        status = psycopg.pq.TransactionStatus(conn.pgconn.transaction_status).name
        row = conn.execute(
            "select current_user as role, coalesce(current_setting('request.jwt.claims', true), '') as claims,"
            " pg_current_xact_id_if_assigned() is null as no_open_write"
        ).fetchone()
        assert row is not None
        return {**row, "status": status}


def test_the_role_and_claims_end_with_the_transaction(one_connection: Database, alice: TestUser) -> None:
    with one_connection.as_user(alice.principal.db_claims) as conn:
        row = conn.execute("select current_user as role, auth.uid() as uid").fetchone()
        assert row == {"role": "authenticated", "uid": alice.id}
    assert session_state(one_connection) == {
        "role": "authenticator",
        "claims": "",
        "no_open_write": True,
        "status": "IDLE",
    }
    with one_connection.as_service() as conn:
        assert conn.execute("select current_user as role").fetchone() == {"role": "service_role"}
    assert session_state(one_connection)["role"] == "authenticator"


def test_a_failure_inside_rolls_back_what_was_written(one_connection: Database, alice: TestUser) -> None:
    with pytest.raises(RuntimeError), one_connection.as_user(alice.principal.db_claims) as conn:
        conn.execute("insert into tags (owner_id, tag_id, label) values (auth.uid(), 'aa bb cc dd', 'rolled back')")
        raise RuntimeError("after the write")
    refused = pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security")
    with refused, one_connection.as_user(alice.principal.db_claims) as conn:
        conn.execute("insert into tags (owner_id, tag_id, label) values (gen_random_uuid(), 'ee ff', 'not mine')")
    assert session_state(one_connection)["status"] == "IDLE"
    with one_connection.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select count(*) as n from tags where label = 'rolled back'").fetchone() == {"n": 0}


def test_a_claim_that_needs_quoting_reaches_the_database_as_sent(one_connection: Database, alice: TestUser) -> None:
    claims = {**alice.principal.db_claims, "email": "o'brien\"; select 1; --@example.com"}
    with one_connection.as_user(claims) as conn:
        row = conn.execute("select auth.email() as email, auth.uid() as uid").fetchone()
    assert row == {"email": claims["email"], "uid": alice.id}


def test_a_one_round_trip_lookup_switches_for_its_statement_only(one_connection: Database) -> None:
    row = one_connection.one_as_service("select current_user as role, %s::text as echoed", ("it's; select 1 --",))
    assert row == {"role": "service_role", "echoed": "it's; select 1 --"}
    assert session_state(one_connection) == {
        "role": "authenticator",
        "claims": "",
        "no_open_write": True,
        "status": "IDLE",
    }
    with pytest.raises(psycopg.errors.UndefinedFunction):
        one_connection.one_as_service("select internal.no_such_function(%s)", (1,))
    assert session_state(one_connection)["role"] == "authenticator"


def test_one_statement_as_a_person_runs_as_them_and_is_committed(one_connection: Database, alice: TestUser) -> None:
    insert = (
        "insert into tags (owner_id, tag_id, label) values (auth.uid(), %s, %s)"
        " returning current_user as role, owner_id, label"
    )
    row = one_connection.one_as_person(alice.id, insert, ("dd 04", "it's 100%; kept"))
    assert row == {"role": "authenticated", "owner_id": alice.id, "label": "it's 100%; kept"}
    assert session_state(one_connection) == {
        "role": "authenticator",
        "claims": "",
        "no_open_write": True,
        "status": "IDLE",
    }
    # RLS decides as for a login: another's row is refused, and nothing of it is left behind.
    not_mine = "insert into tags (owner_id, tag_id, label) values (gen_random_uuid(), 'ee 05', 'not mine')"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        one_connection.one_as_person(alice.id, not_mine)
    assert session_state(one_connection)["status"] == "IDLE"
    with one_connection.as_user(alice.principal.db_claims) as conn:
        kept = conn.execute("select label from tags where tag_id in ('dd 04', 'ee 05')").fetchall()
    assert kept == [{"label": "it's 100%; kept"}]


def test_an_opening_statement_runs_as_the_person_and_commit_with_ends_the_transaction(
    one_connection: Database, alice: TestUser
) -> None:
    claims = {**alice.principal.db_claims, "email": "100%; o'brien@example.com"}
    opening = "select current_user as role, auth.uid() as uid, auth.email() as email, %s::text as echoed"
    with one_connection.as_user_opening(claims, opening, ("it's 100%",)) as (conn, first):
        assert first == {"role": "authenticated", "uid": alice.id, "email": claims["email"], "echoed": "it's 100%"}
        commit_with(conn, "insert into tags (owner_id, tag_id, label) values (auth.uid(), %s, 'kept')", ("aa 01",))
    assert session_state(one_connection) == {
        "role": "authenticator",
        "claims": "",
        "no_open_write": True,
        "status": "IDLE",
    }
    with one_connection.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select count(*) as n from tags where label = 'kept'").fetchone() == {"n": 1}


def test_a_failed_opening_or_closing_statement_leaves_nothing_behind(one_connection: Database, alice: TestUser) -> None:
    claims = alice.principal.db_claims
    with (
        pytest.raises(psycopg.errors.UndefinedFunction),
        one_connection.as_user_opening(claims, "select internal.no_such_function(%s)", (1,)),
    ):
        pass
    assert session_state(one_connection)["status"] == "IDLE"
    insert = "insert into tags (owner_id, tag_id, label) values (auth.uid(), 'bb 02', 'rolled back')"
    not_mine = "insert into tags (owner_id, tag_id, label) values (gen_random_uuid(), 'cc 03', 'not mine')"
    refused = pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security")
    with refused, one_connection.as_user_opening(claims, insert) as (conn, nothing):
        assert nothing is None
        commit_with(conn, not_mine)
    assert session_state(one_connection) == {
        "role": "authenticator",
        "claims": "",
        "no_open_write": True,
        "status": "IDLE",
    }
    with one_connection.as_user(claims) as conn:
        assert conn.execute("select count(*) as n from tags where label = 'rolled back'").fetchone() == {"n": 0}


def test_only_a_bookkeeping_lookup_commits_without_waiting_for_the_disk(one_connection: Database) -> None:
    setting = "select current_user as role, current_setting('synchronous_commit') as flush"
    assert one_connection.one_as_service(setting) == {"role": "service_role", "flush": "on"}
    assert one_connection.one_as_service(setting, bookkeeping=True) == {"role": "service_role", "flush": "off"}
    with one_connection.pool.connection() as conn:
        after = conn.execute("select current_user as role, current_setting('synchronous_commit') as flush").fetchone()
    assert after == {"role": "authenticator", "flush": "on"}

"""Rules every relation and function must follow, read from the catalog.

These ask the database itself, so a table, view or function added by a later migration
is checked without anyone remembering to add it here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.db.actors import rows
from tests.db.conftest import World
from timetracker.runtime import Runtime

# Looked up only by the service path; a person or anon must never call them.
CREDENTIAL_LOOKUPS = ["internal.device_credentials(text)", "internal.api_token_owner(text)"]


@pytest.fixture(scope="module")
def catalog(runtime: Runtime) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        yield conn


def names(conn: psycopg.Connection[Any], sql: str) -> list[str]:
    return [row[0] for row in conn.execute(sql).fetchall()]


def test_the_schema_has_the_foundation_tables(catalog: psycopg.Connection[Any]) -> None:
    tables = set(names(catalog, "select tablename from pg_tables where schemaname = 'public'"))
    assert {
        "tracker_profiles",
        "teams",
        "team_members",
        "team_invitations",
        "devices",
        "tags",
        "device_events",
        "api_tokens",
    } <= tables


def test_every_public_table_has_rls_enabled_and_forced(catalog: psycopg.Connection[Any]) -> None:
    unguarded = names(
        catalog,
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind in ('r', 'p')"
        " and not (c.relrowsecurity and c.relforcerowsecurity) order by 1",
    )
    assert unguarded == []


def test_every_public_table_has_a_policy(catalog: psycopg.Connection[Any]) -> None:
    without = names(
        catalog,
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind in ('r', 'p')"
        " and not exists (select from pg_policy p where p.polrelid = c.oid) order by 1",
    )
    assert without == []


def test_every_public_view_runs_as_the_caller(catalog: psycopg.Connection[Any]) -> None:
    # A view without security_invoker reads as its owner (the migration's superuser),
    # which would skip every policy underneath it.
    definer_views = names(
        catalog,
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind = 'v'"
        " and not exists (select from unnest(coalesce(c.reloptions, '{}')) o"
        "   where lower(o) in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1'))"
        " order by 1",
    )
    assert definer_views == []
    assert {"device_status", "nfc_intervals"} <= set(
        names(catalog, "select viewname from pg_views where schemaname = 'public'")
    )


def test_no_materialized_views_in_public(catalog: psycopg.Connection[Any]) -> None:
    # Materialized views cannot have RLS: their rows would be readable by anyone granted select.
    assert names(catalog, "select matviewname from pg_matviews where schemaname = 'public'") == []


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_no_secret_digest_column_is_readable_by_api_roles(catalog: psycopg.Connection[Any], role: str) -> None:
    digests = catalog.execute(
        "select c.relname, a.attname, has_column_privilege(%s, c.oid, a.attnum, 'SELECT')"
        " from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'public' and c.relkind in ('r', 'p', 'v') and a.attnum > 0 and not a.attisdropped"
        " and a.attname like '%%\\_hash'",
        (role,),
    ).fetchall()
    assert {(table, column) for table, column, _ in digests} >= {("devices", "key_hash"), ("api_tokens", "token_hash")}
    assert [(table, column) for table, column, readable in digests if readable] == []


def test_anon_can_use_nothing_in_schema_internal(catalog: psycopg.Connection[Any]) -> None:
    assert catalog.execute("select has_schema_privilege('anon', 'internal', 'USAGE')").fetchone()[0] is False
    executable = names(
        catalog,
        "select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname = 'internal' and has_function_privilege('anon', p.oid, 'EXECUTE') order by 1",
    )
    assert executable == []


def test_security_definer_functions_pin_their_search_path(catalog: psycopg.Connection[Any]) -> None:
    unpinned = names(
        catalog,
        "select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname in ('public', 'internal') and p.prosecdef"
        " and not exists (select from unnest(coalesce(p.proconfig, '{}')) c where c like 'search\\_path=%%')",
    )
    assert unpinned == []


def test_no_security_definer_function_in_public(catalog: psycopg.Connection[Any]) -> None:
    # `public` is exposed to every API role (default privileges); privileged code lives in `internal`.
    assert (
        names(
            catalog,
            "select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
            " where n.nspname = 'public' and p.prosecdef",
        )
        == []
    )


@pytest.mark.parametrize("function", CREDENTIAL_LOOKUPS)
def test_credential_lookups_are_for_the_service_path_only(catalog: psycopg.Connection[Any], function: str) -> None:
    def may(role: str) -> bool:
        return catalog.execute("select has_function_privilege(%s, %s, 'EXECUTE')", (role, function)).fetchone()[0]

    assert (may("anon"), may("authenticated"), may("service_role")) == (False, False, True)


@pytest.mark.parametrize("who", ["alice", "anon"])
@pytest.mark.parametrize(
    "call", ["select * from internal.device_credentials(%s)", "select internal.api_token_owner(%s)"]
)
def test_calling_a_credential_lookup_is_refused(world: World, who: str, call: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor(who), call, (world.alice_device,))


@pytest.mark.parametrize(
    "query",
    ["select key_hash from devices where owner_id = auth.uid()", "select token_hash from api_tokens"],
)
def test_owners_cannot_read_their_own_digests(world: World, query: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        rows(world.actor("alice"), query)


def test_read_policies_use_the_one_helper_for_own_or_managed_rows(catalog: psycopg.Connection[Any]) -> None:
    # "Own rows, or those of someone the caller manages" is internal.mine_or_managed_ids();
    # the notes' policy alone asks managed_user_ids() itself, as it also needs the owner's consent.
    spelled_out = names(
        catalog,
        "select tablename || ': ' || policyname from pg_policies where schemaname = 'public'"
        " and coalesce(qual, '') || coalesce(with_check, '') like '%%managed\\_user\\_ids()%%' order by 1",
    )
    assert spelled_out == ["correction_notes: owners, and their team admins when shared, read notes"]
    helper = catalog.execute(
        "select p.prosecdef, p.proconfig, p.provolatile, l.lanname"
        " from pg_proc p join pg_language l on l.oid = p.prolang"
        " where p.oid = 'internal.mine_or_managed_ids()'::regprocedure"
    ).fetchone()
    # What lets the planner inline it into each policy instead of calling it.
    assert helper == (False, None, "s", "sql")

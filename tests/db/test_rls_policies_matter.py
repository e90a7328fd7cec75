"""Each policy is pinned down by the matrix: drop any one of them (inside a transaction that
is rolled back) and some expectation in rls_matrix.CASES must stop holding. A policy no
case notices would be one nobody tested.

The tables are read from the catalog (every table in `public` with RLS), so a table a later
migration adds fails here until the matrix has cases for it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from tests.db.actors import Actor
from tests.db.conftest import World
from tests.db.rls_matrix import ACTORS, CASES, result

GUARDED_TABLES = """
select c.relname from pg_class c
where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and c.relrowsecurity
order by 1
"""

Connection = psycopg.Connection[dict[str, Any]]


def probing(conn: Connection, role: str, claims: dict[str, Any]) -> Actor:
    """An actor inside `conn`'s open transaction: a savepoint as `role`, always rolled back."""

    @contextmanager
    def savepoint() -> Iterator[Connection]:
        conn.execute("savepoint probe")
        try:
            conn.execute(
                "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true)",
                (role, json.dumps(claims)),
            )
            yield conn
        finally:
            conn.execute("rollback to savepoint probe")

    return savepoint


def actors_in(conn: Connection, world: World) -> dict[str, Actor]:
    people = {name: probing(conn, "authenticated", getattr(world, name).principal.db_claims) for name in ACTORS[:-1]}
    return {**people, "anon": probing(conn, "anon", {"role": "anon"})}


def guarded_tables(conn: Connection) -> list[str]:
    return [row["relname"] for row in conn.execute(GUARDED_TABLES).fetchall()]


def test_every_table_with_rls_has_matrix_cases(world: World) -> None:
    with psycopg.connect(world.runtime.db.admin_url, row_factory=dict_row) as conn:
        tables = guarded_tables(conn)
    assert len(tables) >= 28
    assert sorted(set(tables) - {case.table for case in CASES}) == []


def test_dropping_any_policy_breaks_the_matrix(world: World) -> None:
    unnoticed: list[str] = []
    with psycopg.connect(world.runtime.db.admin_url, row_factory=dict_row) as conn:
        policies = conn.execute(
            "select tablename, policyname from pg_policies where schemaname = 'public' and tablename = any(%s)"
            " order by 1, 2",
            (guarded_tables(conn),),
        ).fetchall()
        assert len(policies) >= 80
        actors = actors_in(conn, world)
        # Baseline: with every policy in place the probes agree with the matrix, so a
        # mismatch below is the dropped policy's doing.
        assert [
            (case.table, case.name, actor)
            for case in CASES
            for actor in ACTORS
            if not case.admits(actor, result(case, actors[actor], world))
        ] == []
        for policy in policies:
            conn.execute(f'drop policy "{policy["policyname"]}" on public.{policy["tablename"]}')
            noticed = any(
                not case.admits(actor, result(case, actors[actor], world))
                for case in CASES
                if case.table == policy["tablename"]
                for actor in ACTORS
            )
            if not noticed:
                unnoticed.append(f"{policy['tablename']}: {policy['policyname']}")
            conn.rollback()
    assert unnoticed == []

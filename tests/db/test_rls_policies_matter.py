"""Each policy is pinned down by the matrix: drop any one of them (inside a transaction that
is rolled back) and some expectation in rls_matrix.CASES must stop holding. A policy no
case notices would be one nobody tested."""

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


def test_dropping_any_policy_breaks_the_matrix(world: World) -> None:
    tables = sorted({case.table for case in CASES})
    unnoticed: list[str] = []
    with psycopg.connect(world.runtime.db.admin_url, row_factory=dict_row) as conn:
        policies = conn.execute(
            "select tablename, policyname from pg_policies where schemaname = 'public' and tablename = any(%s)",
            (tables,),
        ).fetchall()
        assert len(policies) >= 20
        actors = actors_in(conn, world)
        # Baseline: with every policy in place the probes agree with the matrix, so a
        # mismatch below is the dropped policy's doing.
        assert [
            (case.table, case.name, actor)
            for case in CASES
            for actor in ACTORS
            if result(case, actors[actor], world) != case.expected(actor)
        ] == []
        for policy in policies:
            conn.execute(f'drop policy "{policy["policyname"]}" on public.{policy["tablename"]}')
            noticed = any(
                result(case, actors[actor], world) != case.expected(actor)
                for case in CASES
                if case.table == policy["tablename"]
                for actor in ACTORS
            )
            if not noticed:
                unnoticed.append(f"{policy['tablename']}: {policy['policyname']}")
            conn.rollback()
    assert unnoticed == []

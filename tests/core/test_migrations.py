"""sql/NNNN_*.sql applied once each, in order, recorded in internal.schema_migrations."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import structlog
from psycopg.conninfo import make_conninfo

from timetracker.db import migrate
from timetracker.runtime import Runtime


def recorded(url: str) -> list[tuple[str, str, bool]]:
    with psycopg.connect(url) as conn:
        return conn.execute("select name, checksum, skipped from internal.schema_migrations order by name").fetchall()


def exists(url: str, relation: str) -> bool:
    with psycopg.connect(url) as conn:
        return conn.execute("select to_regclass(%s) is not null", (relation,)).fetchone()[0]


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, sql in files.items():
        (directory / name).write_text(sql)
    return directory


def test_applying_again_is_a_no_op(runtime: Runtime) -> None:
    before = recorded(runtime.db.admin_url)
    assert migrate.apply_all(runtime.db.admin_url) == []
    assert recorded(runtime.db.admin_url) == before


def test_each_file_is_recorded_once_with_its_checksum(runtime: Runtime) -> None:
    files = migrate.load()
    assert [m.name for m in files][:3] == [
        "0001_supabase_auth_shim.sql",
        "0002_profiles_and_teams.sql",
        "0003_devices_and_tokens.sql",
    ]
    assert recorded(runtime.db.admin_url) == [(m.name, m.checksum, False) for m in files]


def test_a_fresh_database_gets_every_migration_in_order_then_none(fresh_database: str) -> None:
    names = [m.name for m in migrate.load()]
    assert migrate.apply_all(fresh_database) == names
    assert migrate.apply_all(fresh_database) == []
    assert [name for name, _, _ in recorded(fresh_database)] == names
    assert exists(fresh_database, "public.device_events")


def test_accounts_that_existed_before_the_schema_get_a_profile(fresh_database: str, tmp_path: Path) -> None:
    """An existing Supabase project already has users when our migrations first run."""
    [shim, *_] = migrate.load()
    migrate.apply_all(fresh_database, write(tmp_path / "sql", {shim.name: shim.sql}))
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute(
            "insert into auth.users (email, encrypted_password, raw_user_meta_data)"
            " values ('Early@Example.com', 'x', '{}'), ('named@example.com', 'x', '{\"display_name\": \"Ana\"}')"
        )
    migrate.apply_all(fresh_database)
    with psycopg.connect(fresh_database) as conn:
        profiles = conn.execute(
            "select email, display_name, timezone from public.tracker_profiles order by email"
        ).fetchall()
    assert profiles == [("early@example.com", "Early", "UTC"), ("named@example.com", "Ana", "UTC")]


def test_two_processes_starting_together_apply_each_migration_once(fresh_database: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: migrate.apply_all(fresh_database), range(2)))
    names = [m.name for m in migrate.load()]
    # They may share the work (each migration is its own locked transaction), but each one was
    # applied by exactly one of them, each in order, and recorded once.
    assert sorted(runs[0] + runs[1]) == names and not set(runs[0]) & set(runs[1])
    assert all(run == sorted(run) for run in runs)
    assert [name for name, _, _ in recorded(fresh_database)] == names


def test_the_shim_steps_aside_where_its_relation_exists(fresh_database: str, tmp_path: Path) -> None:
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute("create table public.provided_elsewhere (id int)")
    sql_dir = write(
        tmp_path / "sql",
        {
            "0001_shim.sql": "-- migrate:skip-if-exists public.provided_elsewhere\n"
            "create table public.from_shim (id int);",
            "0002_next.sql": "create table public.from_next (id int);",
        },
    )
    assert migrate.apply_all(fresh_database, sql_dir) == ["0001_shim.sql", "0002_next.sql"]
    assert [(name, skipped) for name, _, skipped in recorded(fresh_database)] == [
        ("0001_shim.sql", True),
        ("0002_next.sql", False),
    ]
    assert not exists(fresh_database, "public.from_shim")
    assert exists(fresh_database, "public.from_next")


def test_a_failing_migration_leaves_nothing_and_is_retried(fresh_database: str, tmp_path: Path) -> None:
    sql_dir = write(
        tmp_path / "sql",
        {
            "0001_good.sql": "create table public.good (id int);",
            "0002_bad.sql": "create table public.half_done (id int);\nselect 1 / 0;",
        },
    )
    with pytest.raises(psycopg.errors.DivisionByZero):
        migrate.apply_all(fresh_database, sql_dir)
    assert [name for name, _, _ in recorded(fresh_database)] == ["0001_good.sql"]
    assert not exists(fresh_database, "public.half_done")
    write(sql_dir, {"0002_bad.sql": "create table public.half_done (id int);"})
    assert migrate.apply_all(fresh_database, sql_dir) == ["0002_bad.sql"]
    assert exists(fresh_database, "public.half_done")


def test_an_applied_file_that_changed_is_reported_not_rerun(fresh_database: str, tmp_path: Path) -> None:
    sql_dir = write(tmp_path / "sql", {"0001_once.sql": "create table public.once (id int);"})
    migrate.apply_all(fresh_database, sql_dir)
    write(sql_dir, {"0001_once.sql": "create table public.once (id int);\ncreate table public.twice (id int);"})
    with structlog.testing.capture_logs() as logs:
        assert migrate.apply_all(fresh_database, sql_dir) == []
    assert {"event": "migration changed after it was applied", "migration": "0001_once.sql"}.items() <= logs[0].items()
    assert not exists(fresh_database, "public.twice")


def test_an_install_from_before_the_prefixed_names_is_renamed_forward(fresh_database: str, tmp_path: Path) -> None:
    """Installs made when the profile table was `public.profiles` (with a not-null email) and its
    sign-up trigger `on_auth_user_created` get the prefixed names, so a quickstart can follow."""
    migrations = migrate.load()
    grants = next(m for m in migrations if m.name == "0016_explicit_grants.sql")
    earlier = [m for m in migrations if m.name < grants.name]
    migrate.apply_all(fresh_database, write(tmp_path / "sql", {m.name: m.sql for m in earlier}))
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute("alter table public.tracker_profiles rename to profiles")
        conn.execute("alter index public.tracker_profiles_pkey rename to profiles_pkey")
        conn.execute("alter table public.profiles alter column email set not null")
        conn.execute("alter trigger tracker_on_auth_user_created on auth.users rename to on_auth_user_created")

    assert migrate.apply_all(fresh_database) == [m.name for m in migrations if m.name >= grants.name]

    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute("create table public.profiles (id uuid primary key, username text)")  # the quickstart's
        user = conn.execute(
            "insert into auth.users (email, encrypted_password) values ('Later@Example.com', 'x') returning id"
        ).fetchone()[0]
        triggers = conn.execute(
            "select tgname from pg_trigger where tgrelid = 'auth.users'::regclass and not tgisinternal"
        ).fetchall()
        profile = conn.execute("select email from public.tracker_profiles where id = %s", (user,)).fetchone()
        nullable = conn.execute(
            "select is_nullable from information_schema.columns"
            " where table_name = 'tracker_profiles' and column_name = 'email'"
        ).fetchone()
    assert triggers == [("tracker_on_auth_user_created",)]
    assert profile == ("later@example.com",)
    assert nullable == ("YES",)


def test_a_login_that_cannot_create_the_roles_is_told_what_to_do(runtime: Runtime) -> None:
    """A non-superuser owner of a plain PostgreSQL database: the local auth shim needs a superuser."""
    owner, name = f"owner_{uuid.uuid4().hex[:8]}", f"owned_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        conn.execute(f'create role "{owner}" login')
        conn.execute(f'create database "{name}" owner "{owner}"')
    url = make_conninfo(runtime.db.admin_url, dbname=name, user=owner)
    try:
        with pytest.raises(migrate.MigrationRefused, match=r"0001_supabase_auth_shim.sql: .* takes a superuser"):
            migrate.apply_all(url)
    finally:
        with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
            conn.execute(f'drop database "{name}" with (force)')
            conn.execute(f'drop role "{owner}"')


def test_a_file_rewritten_after_release_takes_its_new_checksum_quietly(fresh_database: str, tmp_path: Path) -> None:
    sql_dir = write(tmp_path / "sql", {"0001_once.sql": "create table public.once (id int);"})
    migrate.apply_all(fresh_database, sql_dir)
    [released] = migrate.load(sql_dir)
    write(sql_dir, {"0001_once.sql": f"-- migrate:formerly {released.checksum}\ncreate table public.once (id bigint);"})
    [rewritten] = migrate.load(sql_dir)

    with structlog.testing.capture_logs() as logs:
        assert migrate.apply_all(fresh_database, sql_dir) == []
        assert migrate.apply_all(fresh_database, sql_dir) == []

    assert [entry["log_level"] for entry in logs] == ["info"]
    assert recorded(fresh_database) == [("0001_once.sql", rewritten.checksum, False)]

"""Apply the ordered SQL files in `sql/`, each once, recorded in `internal.schema_migrations`.

A file whose first line is `-- migrate:skip-if-exists <relation>` is recorded as skipped
when that relation already exists: the local Supabase shim steps aside on real Supabase.
A file rewritten after release names the checksums of its earlier texts on lines
`-- migrate:formerly <sha256>` (a later migration brings those installs to the same place);
where one of those was applied, the record takes the new checksum instead of warning.
Each migration runs in its own transaction under a transaction-level advisory lock and is
re-checked inside it, so two processes starting together apply it once. Nothing lasts past
a transaction (no session lock, no prepared statement), so this works through a transaction
pooler such as Supabase's on port 6543 too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import psycopg
import structlog

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
LOCK_KEY = 0x7417_7AC4  # any constant; names the migration lock in pg_locks
SKIP_DIRECTIVE = "-- migrate:skip-if-exists "
FORMERLY_DIRECTIVE = "-- migrate:formerly "
AUTH_SHIM = "0001_supabase_auth_shim.sql"
SHIM_NEEDS_SUPERUSER = (
    "On a database without Supabase's roles, the first `db up` creates them (anon, authenticated,"
    " service_role with BYPASSRLS, and the login authenticator) and the auth schema, which takes a"
    " superuser. Run `python -m timetracker db up` once with a superuser in DATABASE_URL (later starts"
    " may use the database's owner), or use a Supabase project, which has them already."
)

log = structlog.get_logger(__name__)


class MigrationRefused(RuntimeError):
    """A migration the database login may not apply; the message says what to do."""


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()

    @property
    def skip_if_exists(self) -> str | None:
        first_line = self.sql.split("\n", 1)[0]
        return first_line.removeprefix(SKIP_DIRECTIVE).strip() if first_line.startswith(SKIP_DIRECTIVE) else None

    @property
    def former_checksums(self) -> frozenset[str]:
        return frozenset(
            line.removeprefix(FORMERLY_DIRECTIVE).strip()
            for line in self.sql.splitlines()
            if line.startswith(FORMERLY_DIRECTIVE)
        )


def load(sql_dir: Path = SQL_DIR) -> list[Migration]:
    return [Migration(path.name, path.read_text()) for path in sorted(sql_dir.glob("*.sql"))]


def apply_all(admin_url: str, sql_dir: Path = SQL_DIR) -> list[str]:
    """Apply pending migrations; return the names applied (or skipped) in this run."""
    done: list[str] = []
    with psycopg.connect(admin_url, autocommit=True, prepare_threshold=None) as conn:
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            conn.execute("create schema if not exists internal")
            conn.execute(
                "create table if not exists internal.schema_migrations ("
                " name text primary key, checksum text not null, skipped boolean not null default false,"
                " applied_at timestamptz not null default now())"
            )
            applied = {row[0]: row[1] for row in conn.execute("select name, checksum from internal.schema_migrations")}
        for migration in load(sql_dir):
            if migration.name in applied:
                stored = applied[migration.name]
                if stored in migration.former_checksums:
                    conn.execute(
                        "update internal.schema_migrations set checksum = %s where name = %s",
                        (migration.checksum, migration.name),
                    )
                    log.info("migration rewritten since it was applied", migration=migration.name)
                elif stored != migration.checksum:
                    log.warning("migration changed after it was applied", migration=migration.name)
                continue
            if _apply_one(conn, migration):
                done.append(migration.name)
    return done


def auth_schema_is_supabases(admin_url: str) -> bool:
    """Whether `auth` was there before the product (the local auth shim stepped aside): it is
    Supabase Auth's (GoTrue's), whose tables this server's own auth cannot use."""
    with psycopg.connect(admin_url) as conn:
        if conn.execute("select to_regclass('internal.schema_migrations')").fetchone()[0] is None:
            return False
        row = conn.execute("select skipped from internal.schema_migrations where name = %s", (AUTH_SHIM,)).fetchone()
    return bool(row and row[0])


def applied_names(admin_url: str) -> set[str]:
    """Names of the migrations recorded as applied (empty on a database never migrated)."""
    with psycopg.connect(admin_url) as conn:
        if conn.execute("select to_regclass('internal.schema_migrations')").fetchone()[0] is None:
            return set()
        return {row[0] for row in conn.execute("select name from internal.schema_migrations")}


def _apply_one(conn: psycopg.Connection, migration: Migration) -> bool:
    """Apply one migration unless another process did meanwhile; whether this call applied it."""
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        already = conn.execute("select 1 from internal.schema_migrations where name = %s", (migration.name,))
        if already.fetchone() is not None:
            return False
        guard = migration.skip_if_exists
        skipped = guard is not None and conn.execute("select to_regclass(%s)", (guard,)).fetchone()[0] is not None
        if not skipped:
            try:
                conn.execute(migration.sql.encode())
            except psycopg.errors.InsufficientPrivilege as exc:
                hint = SHIM_NEEDS_SUPERUSER if migration.name == AUTH_SHIM else "Run `db up` as the database's owner."
                raise MigrationRefused(f"{migration.name}: {exc.diag.message_primary}. {hint}") from exc
        conn.execute(
            "insert into internal.schema_migrations (name, checksum, skipped) values (%s, %s, %s)",
            (migration.name, migration.checksum, skipped),
        )
    log.info("migration", migration=migration.name, skipped=skipped)
    return True

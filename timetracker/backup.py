"""Backups: `python -m timetracker backup` and `restore`.

A backup is one `pg_dump` (custom format) of the product's schemas: `public` (people's data),
`internal` (migrations, throttles, credentials' hashes) and, when this server is the auth
server, `auth` (accounts and sessions; with Supabase Auth the project keeps those). pg_dump
reads every table in one snapshot, so a backup taken while people work is consistent.

The embedded database is backed up only while it runs (found through its socket in the data
folder, also from a second container sharing the volume): a backup never starts a server on
files another container may be using. A restore goes into an empty database: the roles the
policies name are created if missing, then pg_restore recreates every object and row in one
transaction, owned by the restoring login, so either all of it is there or none.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import psycopg
import structlog
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from timetracker.config import Settings
from timetracker.db import embedded
from timetracker.db.pool import resolve_urls

# TOC lines "SCHEMA - public <owner>" and "COMMENT - SCHEMA public <owner>".
PUBLIC_SCHEMA_ITSELF = re.compile(r"^\d+; \d+ \d+ (SCHEMA - public|COMMENT - SCHEMA public) ")
SUFFIX = ".dump"
PREFIX = "timetracker-"
log = structlog.get_logger(__name__)

# The roles the policies and grants name, as the local auth shim (sql/0001) creates them; a
# Supabase project has them already. pg_dump does not carry roles: they belong to the server.
PRODUCT_ROLES = {
    "anon": "nologin noinherit",
    "authenticated": "nologin noinherit",
    "service_role": "nologin noinherit bypassrls",
    "authenticator": "login noinherit",
}


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """A database for pg_dump/pg_restore: the URL without its password, and the password,
    which goes to the child through PGPASSWORD (never on a command line `ps` shows)."""

    url: str
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> Target:
        parts = conninfo_to_dict(url)
        password = parts.pop("password", None)
        return cls(make_conninfo(**parts), password)

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PGPASSWORD": self.password} if self.password else dict(os.environ)
        command = [embedded.client_tool(tool), *args, f"--dbname={self.url}"]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603


def product_schemas(settings: Settings) -> list[str]:
    return ["public", "internal", *(["auth"] if settings.uses_local_auth else [])]


def source_url(settings: Settings) -> str:
    """The database to back up; the embedded one only while it runs."""
    if settings.backup_database_url or settings.database_url:
        return settings.backup_database_url or settings.database_url
    url = embedded.running_url(settings.data_dir)
    if url is None:
        raise BackupError(
            f"the embedded database under {settings.data_dir} is not running: start Time Tracker"
            " (or `python -m timetracker db up`) and back up while it runs"
        )
    return url


def backup_name(now: datetime) -> str:
    return f"{PREFIX}{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def backup(settings: Settings, folder: Path, *, now: datetime | None = None) -> Path:
    """Write one backup into `folder`; return its path. A half-written file never carries the
    final name, so pruning and restoring only ever see whole backups."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / backup_name(now or datetime.now(UTC))
    partial = final.with_name(final.name + ".partial")
    schemas = [f"--schema={schema}" for schema in product_schemas(settings)]
    done = Target.from_url(source_url(settings)).run("pg_dump", "--format=custom", f"--file={partial}", *schemas)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    partial.rename(final)
    return final


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `folder` (names sort by time); return them."""
    backups = sorted(path for path in folder.glob(f"{PREFIX}*{SUFFIX}") if path.is_file())
    old = backups[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def backup_every(settings: Settings, folder: Path, keep: int, hours: float) -> NoReturn:
    """Back up now and then every `hours`, keeping the newest `keep`. A failed round is logged
    and tried again at the next one (the database may be restarting)."""
    while True:
        try:
            path = backup(settings, folder)
            removed = prune(folder, keep)
            log.info("backup written", file=path.name, bytes=path.stat().st_size, removed=len(removed))
        except BackupError as exc:
            log.error("backup failed", error=str(exc))
        time.sleep(hours * 3600)


def restore(settings: Settings, dump: Path) -> None:
    """Restore `dump` into the configured database, which must hold no product tables yet."""
    if not dump.is_file():
        raise BackupError(f"no backup at {dump}")
    admin_url, _ = resolve_urls(settings)  # starts a fresh embedded server when there is none
    schemas = product_schemas(settings)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        tables = conn.execute("select count(*) from pg_tables where schemaname = any(%s)", (schemas,)).fetchone()[0]
        if tables:
            raise BackupError(
                f"the database already has {tables} tables in {', '.join(schemas)}: restore into an empty one"
                " (a new DATA_DIR, or a new database in DATABASE_URL)"
            )
        _create_missing_roles(conn)
    contents = dump.with_name(dump.name + ".list")
    contents.write_text(_restorable_contents(dump))
    try:
        options = ("--exit-on-error", "--single-transaction", "--no-owner", f"--use-list={contents}")
        done = Target.from_url(admin_url).run("pg_restore", *options, str(dump))
    finally:
        contents.unlink(missing_ok=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was restored: {done.stderr.strip()}")


def _restorable_contents(dump: Path) -> str:
    """The dump's table of contents without creating (or commenting on) the `public` schema,
    which every database already has; its grants stay."""
    listed = subprocess.run(  # noqa: S603 (our own tool and file)
        [embedded.client_tool("pg_restore"), "--list", str(dump)], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        raise BackupError(f"{dump} is not a backup pg_restore can read: {listed.stderr.strip()}")
    return "\n".join(f";{line}" if PUBLIC_SCHEMA_ITSELF.search(line) else line for line in listed.stdout.splitlines())


def _create_missing_roles(conn: psycopg.Connection) -> None:
    missing = [
        role
        for role in PRODUCT_ROLES
        if conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone() is None
    ]
    for role in missing:
        conn.execute(f"create role {role} {PRODUCT_ROLES[role]}")  # names and attributes are constants above
    if "authenticator" in missing:
        conn.execute("grant anon, authenticated, service_role to authenticator")

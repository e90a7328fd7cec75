"""Operator commands: `python -m timetracker db up|down|status|schema`, `addresses`, `backup`, `restore`.

`entrypoint.sh` runs `db up` before starting the API, so the embedded server is started and
migrated once, not raced by the API's workers (the dashboard, started meanwhile, touches the
database only when its first page is opened), and `db down` after the front doors exit, so
Ctrl-C or SIGTERM stops the database with them. It reads where to listen from
`addresses`, so `.env` and the environment mean the same to the script as to the app.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from timetracker.auth.client_address import uvicorn_allow_ips
from timetracker.config import Settings, get_settings

# The database, backup and WakaTime modules are imported by the commands that use them:
# `addresses` and `db up` run before every start, and their imports would double its time.


def db_up() -> int:
    from timetracker.db import migrate
    from timetracker.db.pool import describe, resolve_urls
    from timetracker.startup_checks import StartupRefused, refuse_local_auth_on_supabase

    settings = get_settings()
    admin_url, _ = resolve_urls(settings)  # starts the embedded server when DATABASE_URL is empty
    try:
        applied = migrate.apply_all(admin_url)
        refuse_local_auth_on_supabase(settings, admin_url)
    except (migrate.MigrationRefused, StartupRefused) as exc:
        print(f"db up refused: {exc}", file=sys.stderr)
        return 2
    where = "embedded PostgreSQL" if not settings.database_url else describe(admin_url)
    print(f"database ready ({where}); migrations applied now: {', '.join(applied) or 'none'}")
    reencrypt_wakatime_tokens(settings)
    return 0


def reencrypt_wakatime_tokens(settings: Settings) -> None:
    """A key newly put first in FERNET_KEYS takes over the stored tokens at start-up."""
    from timetracker.cipher import TokenCipher
    from timetracker.db import open_database
    from timetracker.wakatime import connections

    cipher = TokenCipher.from_settings(settings)
    if cipher.key_count == 1:
        return
    database = open_database(settings, run_migrations=False)
    try:
        counts = connections.reencrypt_under_first_key(database, cipher)
    finally:
        database.close()
    print(
        f"WakaTime tokens re-encrypted under the first FERNET_KEYS key: {counts['rotated']}"
        + (f" ({counts['unreadable']} under no listed key: those people reconnect)" if counts["unreadable"] else "")
    )


def db_down() -> int:
    from timetracker.db import embedded

    settings = get_settings()
    if settings.database_url:
        print("DATABASE_URL is set: that database is not ours to stop")
        return 0
    stopped = embedded.stop(settings.data_dir)
    print("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL was not running")
    return 0


def db_status() -> int:
    from timetracker.db import migrate
    from timetracker.db.pool import describe, resolve_urls

    settings = get_settings()
    admin_url, _ = resolve_urls(settings)
    pending = [m.name for m in migrate.load() if m.name not in migrate.applied_names(admin_url)]
    print(f"database: {describe(admin_url)}; pending migrations: {', '.join(pending) or 'none'}")
    return 1 if pending else 0


def addresses() -> int:
    """Where the two front doors listen, and whose X-Forwarded-For the API believes, as shell
    assignments (the entrypoint evals them)."""
    settings = get_settings()
    values = {
        "API_HOST": settings.api_host,
        "API_PORT": settings.api_port,
        "API_WORKERS": settings.api_worker_count,
        "UI_HOST": settings.ui_host,
        "UI_PORT": settings.ui_port,
        "TRUSTED_PROXIES": uvicorn_allow_ips(settings.trusted_proxies),
    }
    for name, value in values.items():
        print(f"{name}={shlex.quote(str(value))}")
    return 0


def backup(folder: Path, keep: int, every_hours: float | None) -> int:
    from timetracker import backup as backups

    settings = get_settings()
    if every_hours:
        backups.backup_every(settings, folder, keep, every_hours)
    path = backups.backup(settings, folder)
    removed = backups.prune(folder, keep)
    print(f"backup written: {path} ({path.stat().st_size} bytes); older backups removed: {len(removed)}")
    return 0


def restore(dump: Path) -> int:
    from timetracker import backup as backups
    from timetracker.db import embedded

    settings = get_settings()
    # An embedded server this command starts is stopped again when it is done (or fails).
    started_here = not settings.database_url and embedded.running_url(settings.data_dir) is None
    try:
        backups.restore(settings, dump)
    finally:
        if started_here:
            embedded.stop(settings.data_dir)
    print(f"restored {dump}; `python -m timetracker db up` applies any newer migrations")
    return 0


def db_schema() -> int:
    """Print the schema the migrations make (the committed sql/snapshot/schema.sql)."""
    from timetracker.db.pool import resolve_urls
    from timetracker.db.snapshot import schema_of

    admin_url, _ = resolve_urls(get_settings())
    sys.stdout.write(schema_of(admin_url))
    return 0


COMMANDS = {"up": db_up, "down": db_down, "status": db_status, "schema": db_schema}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m timetracker", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="group", required=True)
    db = sub.add_parser("db", help="the database: start + migrate, stop, status, the schema it has")
    db.add_argument("action", choices=sorted(COMMANDS))
    sub.add_parser("addresses", help="where the API and the dashboard listen, as shell assignments")
    take = sub.add_parser("backup", help="pg_dump the product's schemas into a folder, keeping the newest N")
    take.add_argument("--to", type=Path, default=Path("backups"), help="folder for the backups (default: backups)")
    take.add_argument("--keep", type=int, default=14, help="backups to keep in the folder, newest first (0: all)")
    take.add_argument("--every-hours", type=float, help="keep running, backing up at this interval")
    back = sub.add_parser("restore", help="restore a backup into an empty database")
    back.add_argument("dump", type=Path, help="a file written by `backup`")
    args = parser.parse_args(argv)
    if args.group == "addresses":
        return addresses()  # no logging: its output is read by the shell
    from timetracker.logging_setup import configure_logging

    configure_logging(get_settings().log_level)
    if args.group in ("backup", "restore"):
        from timetracker import backup as backups

        try:
            return backup(args.to, args.keep, args.every_hours) if args.group == "backup" else restore(args.dump)
        except backups.BackupError as exc:
            print(f"{args.group} failed: {exc}", file=sys.stderr)
            return 1
    return COMMANDS[args.action]()


if __name__ == "__main__":
    sys.exit(main())

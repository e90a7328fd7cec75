"""The daily import: a background task of the API process.

Chosen over a cron job or a CLI because the API is the one process that always runs (the
entrypoint, Docker and a bare `uvicorn` alike), so no extra scheduler has to be installed.
Every WAKATIME_IMPORT_CHECK_SECONDS it asks the database which connections were not
imported for 20 hours (`internal.wakatime_due_imports`) and imports, for each, the days
since its last import (at most a week back) up to today in the person's timezone. The
database decides what is due, and each person's import runs under a transaction-scoped
advisory lock on their id, so several API processes (or workers) never import one person
at once: the others skip that person, and whoever gets the lock after an import finds them
no longer due. Transaction-scoped, so a transaction pooler (which hands out server
connections per transaction) keeps it correct, and a crash releases it. The blocking work
runs in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from uuid import UUID

import structlog

from timetracker import profiles
from timetracker.auth.principal import Principal
from timetracker.cipher import TokenCipher
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.db.pool import Connection
from timetracker.wakatime import importer
from timetracker.wakatime.client import WakaTimeClient

MAX_CATCH_UP_DAYS = 7
# The first key of the two-key advisory locks this module takes (the second: the person's id).
LOCK_NAMESPACE = 0x3A4A

log = structlog.get_logger(__name__)


def import_due(db: Database, settings: Settings, client: WakaTimeClient | None = None) -> int:
    """Import every connection that is due; return how many were visited."""
    client = client or WakaTimeClient(settings)
    cipher = TokenCipher.from_settings(settings)
    with db.as_service() as conn:
        due = conn.execute("select owner_id, last_import_at from internal.wakatime_due_imports()").fetchall()
    for row in due:
        with db.as_service() as lock:
            if not _lock_if_still_due(lock, row["owner_id"]):
                continue  # another process is importing this person, or just did
            _import_one(db, Principal(user_id=row["owner_id"]), row["last_import_at"], client, cipher)
    return len(due)


def _lock_if_still_due(conn: Connection, owner_id: UUID) -> bool:
    """Take the person's import lock until `conn`'s transaction ends; False when another
    process holds it, or when the person was imported since the list was read."""
    locked = conn.execute(
        "select pg_try_advisory_xact_lock(%s, hashtext(%s::text)) as locked", (LOCK_NAMESPACE, owner_id)
    ).fetchone()["locked"]
    if not locked:
        return False
    due = conn.execute("select 1 from internal.wakatime_due_imports() where owner_id = %s", (owner_id,))
    return due.fetchone() is not None


def _import_one(
    db: Database, principal: Principal, last_import_at: datetime | None, client: WakaTimeClient, cipher: TokenCipher
) -> None:
    tz = profiles.timezone_of(db, principal)
    today = datetime.now(tz).date()
    # The person's local day of the last good import: that day is imported again, whole.
    since = (last_import_at or datetime.now(UTC) - timedelta(days=MAX_CATCH_UP_DAYS)).astimezone(tz).date()
    first_day = max(since, today - timedelta(days=MAX_CATCH_UP_DAYS))
    try:
        result = importer.import_range(db, principal, min(first_day, today), today, client, cipher)
    except Exception as exc:  # one person's failure must not stop everyone else's import
        log.warning("wakatime scheduled import failed", owner_id=str(principal.user_id), error=type(exc).__name__)
        return
    log.info(
        "wakatime scheduled import",
        owner_id=str(principal.user_id),
        days=len(result.imported_days),
        skipped=len(result.skipped_days),
        reconnect_needed=result.reconnect_needed,
    )


async def run_daily_imports(db: Database, settings: Settings) -> None:
    """Loop until cancelled. The first check waits one interval, so start-up stays quick."""
    while True:
        await asyncio.sleep(settings.wakatime_import_check_seconds)
        try:
            await asyncio.to_thread(import_due, db, settings)
        except Exception as exc:  # e.g. the database is down: try again next time
            log.warning("wakatime scheduled import round failed", error=type(exc).__name__)


def start(db: Database, settings: Settings) -> asyncio.Task[None] | None:
    """Start the loop when WakaTime is configured and the schedule is on; None otherwise."""
    if not settings.wakatime_client_id or settings.wakatime_import_check_seconds <= 0:
        return None
    return asyncio.create_task(run_daily_imports(db, settings), name="wakatime-daily-import")


async def stop(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

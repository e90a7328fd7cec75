"""The daily import: a background task of the API process.

Chosen over a cron job or a CLI because the API is the one process that always runs (the
entrypoint, Docker and a bare `uvicorn` alike), so no extra scheduler has to be installed.
Every WAKATIME_IMPORT_CHECK_SECONDS it asks the database which connections were not
imported for 20 hours (`internal.wakatime_due_imports`) and imports, for each, the days
since its last import (at most a week back) up to today in the person's timezone. The
database decides what is due, so a restart or a second API process repeats nothing worse
than one idempotent import. The blocking work runs in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import structlog

from timetracker import profiles
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.wakatime import importer
from timetracker.wakatime.cipher import TokenCipher
from timetracker.wakatime.client import WakaTimeClient

MAX_CATCH_UP_DAYS = 7

log = structlog.get_logger(__name__)


def import_due(db: Database, settings: Settings, client: WakaTimeClient | None = None) -> int:
    """Import every connection that is due; return how many were visited."""
    client = client or WakaTimeClient(settings)
    cipher = TokenCipher.from_settings(settings)
    with db.as_service() as conn:
        due = conn.execute("select owner_id, last_import_at from internal.wakatime_due_imports()").fetchall()
    for row in due:
        principal = Principal(user_id=row["owner_id"])
        tz = profiles.timezone_of(db, principal)
        today = datetime.now(tz).date()
        # The person's local day of the last good import: that day is imported again, whole.
        since = (row["last_import_at"] or datetime.now(UTC) - timedelta(days=MAX_CATCH_UP_DAYS)).astimezone(tz).date()
        first_day = max(since, today - timedelta(days=MAX_CATCH_UP_DAYS))
        try:
            result = importer.import_range(db, principal, min(first_day, today), today, client, cipher)
        except Exception as exc:  # one person's failure must not stop everyone else's import
            log.warning("wakatime scheduled import failed", owner_id=str(principal.user_id), error=type(exc).__name__)
            continue
        log.info(
            "wakatime scheduled import",
            owner_id=str(principal.user_id),
            days=len(result.imported_days),
            skipped=len(result.skipped_days),
            reconnect_needed=result.reconnect_needed,
        )
    return len(due)


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

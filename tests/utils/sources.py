"""Rows of each source, written by the source's own code as its clients would, for the RLS
tests and the tests of what each source keeps to itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.activitywatch.aw_data import standard_bucket
from tests.utils.users import TestUser
from timetracker.activitywatch import batch
from timetracker.activitywatch import ingest as aw_ingest
from timetracker.cipher import TokenCipher
from timetracker.runtime import Runtime
from timetracker.timer import store as timer_store
from timetracker.timer.machine import EventType
from timetracker.wakatime import connections, heartbeats, importer, keys, oauth_state
from timetracker.wakatime.client import TokenGrant
from timetracker.wakatime.heartbeats import Heartbeat

TIMER_AT = datetime(2025, 4, 11, 9, tzinfo=UTC)
CODED_ON = date(2026, 3, 2)
CODED_AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def timer_session(runtime: Runtime, owner: TestUser) -> dict[str, Any]:
    """A session of two presses a hundred seconds apart: one question closed, one open."""
    for seconds in (0, 100):
        event = timer_store.TimerEvent(EventType.NEXT, TIMER_AT + timedelta(seconds=seconds))
        answer = timer_store.apply_event(runtime.db, owner.principal, event, 5.0)
    with runtime.db.as_user(owner.principal.db_claims) as conn:
        session = conn.execute(
            "select id, public_id from timer_sessions where public_id = %s", (answer["session_id"],)
        ).fetchone()
    assert session is not None
    return session


def activity(runtime: Runtime, sender: aw_ingest.Sender, bucket_type: str) -> None:
    """One ActivityWatch event of `bucket_type`, sent as `sender`."""
    received = batch.read(standard_bucket(bucket_type))
    received.record(aw_ingest.store(runtime.db, sender, received.rows))


def wakatime_rows(runtime: Runtime, owner: TestUser) -> None:
    """A row of `owner`'s in every WakaTime table: key, heartbeat, connection, an imported day,
    an OAuth state."""
    db = runtime.db
    keys.issue_key(db, owner.principal)
    heartbeats.store(db, owner.id, [Heartbeat(time=CODED_AT, entity="/a.py", type="file", category="coding")])
    grant = TokenGrant("access-secret", "refresh-secret", "uid", "email", CODED_AT + timedelta(days=1))
    connections.save_grant(db, owner.id, grant, TokenCipher.from_settings(runtime.settings))
    importer.store_day(
        db, owner.principal, CODED_ON, {(CODED_AT, "apollo", "Python"): 60.0}, {("project", "apollo"): 60.0}
    )
    oauth_state.issue(db, owner.principal, runtime.settings)

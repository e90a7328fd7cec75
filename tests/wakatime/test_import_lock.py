"""The daily import with several API processes: one person is imported by one of them at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import psycopg

from tests.utils.apps import RunningApp
from tests.utils.users import TestUser
from tests.wakatime.fake_wakatime import FakeWakaTime, durations_of
from tests.wakatime.oauth_trip import connect
from timetracker import profiles
from timetracker.wakatime import schedule


def imported_at(app: RunningApp, alice: TestUser) -> datetime | None:
    with app.runtime.db.as_user(alice.principal.db_claims) as conn:
        return conn.execute("select last_import_at from wakatime_connections").fetchone()["last_import_at"]


def test_a_person_another_process_is_importing_is_skipped_then_imported(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    today = datetime.now(ZoneInfo(profiles.get(waka_app.runtime.db, alice.principal)["timezone"])).date()
    fake.durations[today] = durations_of(datetime.now(UTC) - timedelta(hours=1), (0, 5, "apollo", "Python"))

    # Another API process, in the middle of importing alice, holds her lock.
    with psycopg.connect(waka_app.runtime.db.admin_url) as other, other.transaction():
        other.execute("select pg_advisory_xact_lock(%s, hashtext(%s::text))", (schedule.LOCK_NAMESPACE, alice.id))
        schedule.import_due(waka_app.runtime.db, waka_app.settings)
        assert imported_at(waka_app, alice) is None

    schedule.import_due(waka_app.runtime.db, waka_app.settings)
    assert imported_at(waka_app, alice) is not None

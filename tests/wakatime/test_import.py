"""The import against the fake WakaTime: 429 back-off, the daily schedule, reading the raw columns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.utils.apps import RunningApp
from tests.utils.users import TestUser
from tests.wakatime.fake_wakatime import FakeWakaTime, durations_of, summary
from tests.wakatime.oauth_trip import connect
from timetracker import profiles
from timetracker.cipher import TokenCipher
from timetracker.wakatime import importer, schedule
from timetracker.wakatime.client import WakaTimeClient

DAY = date(2026, 3, 2)


def client_recording_waits(app: RunningApp) -> tuple[WakaTimeClient, list[float]]:
    waits: list[float] = []
    return WakaTimeClient(app.settings, sleep=waits.append), waits


def test_429_backs_off_as_retry_after_says_and_then_imports(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    fake.durations[DAY] = durations_of(datetime(2026, 3, 2, 9, tzinfo=UTC), (0, 10, "apollo", "Python"))
    fake.rate_limit = ["7", "3600"]  # the second is capped at WAKATIME_MAX_RETRY_WAIT_SECONDS
    client, waits = client_recording_waits(waka_app)
    cipher = TokenCipher.from_settings(waka_app.settings)
    result = importer.import_range(waka_app.runtime.db, alice.principal, DAY, DAY, client, cipher)
    assert result.imported_days == [DAY.isoformat()]
    assert waits == [7.0, waka_app.settings.wakatime_max_retry_wait_seconds]


def test_endless_429_stops_the_import_with_a_reason(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    fake.rate_limit = ["1"] * 10
    client, waits = client_recording_waits(waka_app)
    cipher = TokenCipher.from_settings(waka_app.settings)
    result = importer.import_range(waka_app.runtime.db, alice.principal, DAY, DAY, client, cipher)
    assert result.imported_days == [] and "429" in (result.error or "")
    assert len(waits) == 4


def test_progress_is_reported_per_day(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    seen: list[tuple[int, int, date]] = []
    cipher = TokenCipher.from_settings(waka_app.settings)
    client = WakaTimeClient(waka_app.settings)
    importer.import_range(
        waka_app.runtime.db,
        alice.principal,
        DAY,
        DAY + timedelta(days=2),
        client,
        cipher,
        progress=lambda *a: seen.append(a),
    )
    assert seen == [(1, 3, DAY), (2, 3, DAY + timedelta(days=1)), (3, 3, DAY + timedelta(days=2))]


def test_the_import_asks_for_days_in_the_persons_timezone(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    profiles.update(waka_app.runtime.db, alice.principal, timezone="America/Chicago")
    connect(waka_http, waka_app, alice)
    fake.summaries[DAY] = summary(DAY, projects={"apollo": 60}, editors={"vim": 60}, languages={"Go": 60})
    waka_http.post("/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers)
    assert {params["timezone"] for _, params, _ in fake.api_requests} == {"America/Chicago"}
    with waka_app.runtime.db.as_user(alice.principal.db_claims) as conn:
        totals = conn.execute("select dimension, name, seconds from wakatime_day_totals where day = %s", (DAY,))
        assert sorted((r["dimension"], r["name"], r["seconds"]) for r in totals.fetchall()) == [
            ("editor", "vim", 60.0),
            ("language", "Go", 60.0),
            ("project", "apollo", 60.0),
        ]


def test_the_daily_schedule_imports_connections_that_are_due(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    tz = ZoneInfo(profiles.get(waka_app.runtime.db, alice.principal)["timezone"])
    today = datetime.now(tz).date()
    fake.durations[today] = durations_of(datetime.now(UTC) - timedelta(hours=1), (0, 5, "apollo", "Python"))
    visited = schedule.import_due(waka_app.runtime.db, waka_app.settings)
    assert visited >= 1
    with waka_app.runtime.db.as_user(alice.principal.db_claims) as conn:
        row = conn.execute("select last_import_at, last_import_result from wakatime_connections").fetchone()
    assert row["last_import_at"] is not None
    assert today.isoformat() in row["last_import_result"]["imported_days"]
    # Imported now, so not due again on the next round.
    requests = len(fake.api_requests)
    schedule.import_due(waka_app.runtime.db, waka_app.settings)
    assert not any(token == fake.grants[-1].access_token for _, _, token in fake.api_requests[requests:])


def test_importing_without_a_connection_is_404(waka_http: httpx.Client, alice: TestUser) -> None:
    response = waka_http.post(
        "/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers
    )
    assert response.status_code == 404 and "not connected" in response.json()["message"]
    reversed_range = {"start": str(DAY), "end": str(DAY - timedelta(days=1))}
    assert waka_http.post("/api/v1/wakatime/import", json=reversed_range, headers=alice.headers).status_code == 422


def test_a_malformed_answer_stops_with_a_reason_and_stores_nothing(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    fake.durations[DAY] = [{"project": "apollo", "duration": 60}]  # no "time"
    result = waka_http.post(
        "/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers
    ).json()
    assert result["imported_days"] == [] and "expected shape" in result["error"]
    with waka_app.runtime.db.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select count(*) as n from wakatime_durations").fetchone()["n"] == 0


def test_wakatime_down_when_a_refresh_is_due_is_a_reason_not_a_crash(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    schedule.import_due(waka_app.runtime.db, waka_app.settings)  # a good import first
    before = last_import(waka_app, alice)
    with waka_app.runtime.db.as_user(alice.principal.db_claims) as conn:
        conn.execute("update wakatime_connections set expires_at = now() + interval '1 minute'")
    fake.token_outage = True
    response = waka_http.post(
        "/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["imported_days"] == [] and "503" in response.json()["error"]
    # The failed import is recorded, but the last good import is still where the next one starts.
    after = last_import(waka_app, alice)
    assert after["last_import_at"] == before["last_import_at"] and after["last_import_result"]["error"]
    status = waka_http.get("/api/v1/wakatime/connection", headers=alice.headers).json()["connection"]
    assert status["status"] == "connected"  # WakaTime being down is no reason to reconnect


def last_import(app: RunningApp, user: TestUser) -> dict:
    with app.runtime.db.as_user(user.principal.db_claims) as conn:
        return conn.execute("select last_import_at, last_import_result from wakatime_connections").fetchone()


@pytest.mark.parametrize(
    "item",
    [
        {"time": 1e300, "duration": 60, "project": "apollo"},  # a start no calendar holds
        {"time": "NaN", "duration": 60, "project": "apollo"},
        {"time": None, "duration": 60, "project": "apollo"},
        {"duration": "Infinity", "project": "apollo"},  # time filled in below
        {"duration": 1e300, "project": "apollo"},
        {"duration": 90000, "project": "apollo"},  # longer than the day it is in
        {"time": 0, "duration": 60, "project": "apollo"},  # 1970, not the day asked for
    ],
)
def test_absurd_numbers_from_wakatime_store_nothing_and_say_why(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser, item: dict
) -> None:
    connect(waka_http, waka_app, alice)
    good = durations_of(datetime(2026, 3, 2, 9, tzinfo=UTC), (0, 30, "apollo", "Python"))
    fake.durations[DAY] = [*good, {"time": good[0]["time"] + 3600, **item}]
    result = waka_http.post("/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers)
    assert result.status_code == 200, result.text
    assert result.json()["imported_days"] == [] and "expected shape" in result.json()["error"]
    with waka_app.runtime.db.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select count(*) as n from wakatime_durations").fetchone()["n"] == 0
    report = waka_http.get("/api/v1/time", params={"start": str(DAY), "end": str(DAY)}, headers=alice.headers)
    assert report.status_code == 200


def test_an_infinite_day_total_stores_nothing(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    fake.summaries[DAY] = summary(DAY, projects={"apollo": "Infinity"})  # type: ignore[dict-item]
    result = waka_http.post(
        "/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers
    ).json()
    assert result["imported_days"] == [] and "expected shape" in result["error"]

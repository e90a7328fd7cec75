"""Connect -> import -> refresh -> disconnect through our real endpoints and a fake WakaTime."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.utils.apps import RunningApp
from tests.utils.users import TestUser
from tests.wakatime.fake_wakatime import CLIENT_ID, FakeWakaTime, durations_of, summary
from tests.wakatime.oauth_trip import connect, finish, query_of, raw_connection
from timetracker.cipher import TokenCipher
from timetracker.wakatime import oauth_state

DAY = date(2026, 3, 2)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_authorize_redirects_to_wakatime_with_the_oauth_parameters(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    state = oauth_state.issue(waka_app.runtime.db, alice.principal, waka_app.settings)
    response = waka_http.get("/integrations/wakatime/authorize", params={"state": state})
    assert response.status_code == 307
    location = response.headers["location"]
    assert location.startswith(f"{fake.url}/oauth/authorize?")
    assert query_of(location) == {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": f"{waka_app.settings.api_base_url}/integrations/wakatime/callback",
        "scope": "email,read_summaries,read_heartbeats",
        "state": state,
    }


def test_authorize_with_a_bearer_token_issues_its_own_state(
    waka_http: httpx.Client, fake: FakeWakaTime, alice: TestUser
) -> None:
    response = waka_http.get("/integrations/wakatime/authorize", headers=alice.headers)
    assert response.status_code == 307
    state = query_of(response.headers["location"])["state"]
    consent = httpx.get(response.headers["location"])
    back = query_of(waka_http.get(consent.headers["location"]).headers["location"])
    assert (back["wakatime"], back["state"]) == ("complete", state)
    assert finish(waka_http, alice, back).status_code == 200
    status = waka_http.get("/api/v1/wakatime/connection", headers=alice.headers).json()["connection"]
    assert status["status"] == "connected"


def test_authorize_without_state_or_bearer_is_401(waka_http: httpx.Client) -> None:
    assert waka_http.get("/integrations/wakatime/authorize").status_code == 401


def test_full_flow_connect_import_refresh_disconnect(
    waka_http: httpx.Client,
    waka_app: RunningApp,
    fake: FakeWakaTime,
    alice: TestUser,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.durations[DAY] = durations_of(START, (0, 30, "apollo", "Python"), (45, 15, "apollo", "SQL"))
    fake.summaries[DAY] = summary(
        DAY, projects={"apollo": 2700}, languages={"Python": 1800, "SQL": 900}, editors={"VS Code": 2700}
    )
    fake.outside_history.add(DAY - timedelta(days=1))

    # Connect.
    outcome = connect(waka_http, waka_app, alice)
    assert outcome == {"wakatime": "connected"}
    status = waka_http.get("/api/v1/wakatime/connection", headers=alice.headers).json()["connection"]
    assert (status["status"], status["wakatime_uid"]) == ("connected", fake.uid)
    assert "access_token_encrypted" not in status and "refresh_token_encrypted" not in status

    # The tokens are stored encrypted: never in clear in the raw columns, and they decrypt.
    grant = fake.grants[-1]
    row = raw_connection(waka_app, alice)
    assert row is not None
    assert grant.access_token not in str(row) and grant.refresh_token not in str(row)
    cipher = TokenCipher.from_settings(waka_app.settings)
    assert cipher.decrypt(row["access_token_encrypted"]) == grant.access_token
    assert cipher.decrypt(row["refresh_token_encrypted"]) == grant.refresh_token

    # Import two days: one stored, one outside the plan's history (402) skipped and reported.
    body = {"start": (DAY - timedelta(days=1)).isoformat(), "end": DAY.isoformat()}
    result = waka_http.post("/api/v1/wakatime/import", json=body, headers=alice.headers).json()
    assert result["imported_days"] == [DAY.isoformat()]
    assert result["skipped_days"] == [
        {"day": (DAY - timedelta(days=1)).isoformat(), "reason": "outside the WakaTime plan's history"}
    ]
    assert [params["date"] for path, params, _ in fake.api_requests if path.endswith("durations")] == [
        (DAY - timedelta(days=1)).isoformat(),
        DAY.isoformat(),
    ]
    assert all(token == grant.access_token for _, _, token in fake.api_requests)

    time = waka_http.get(
        "/api/v1/time", params={"start": str(DAY), "end": str(DAY), "include": "intervals"}, headers=alice.headers
    ).json()
    assert [(p["label"], p["seconds"], p["status"]) for p in time["intervals"] if p["source"] == "wakatime"] == [
        ("apollo", 1800.0, "imported"),
        ("apollo", 900.0, "imported"),
    ]
    status = waka_http.get("/api/v1/wakatime/connection", headers=alice.headers).json()["connection"]
    assert status["last_import_result"]["imported_days"] == [DAY.isoformat()]

    # Refresh before expiry: the stored grant is about to expire, so the import refreshes first.
    with waka_app.runtime.db.as_user(alice.principal.db_claims) as conn:
        conn.execute("update wakatime_connections set expires_at = now() + interval '2 minutes'")
    refreshes_before = sum(r["grant_type"] == "refresh_token" for r in fake.token_requests)
    waka_http.post("/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers)
    assert sum(r["grant_type"] == "refresh_token" for r in fake.token_requests) == refreshes_before + 1
    assert fake.api_requests[-1][2] == fake.grants[-1].access_token != grant.access_token

    # Disconnect: revoked at WakaTime, tokens deleted here; imported time stays.
    latest = fake.grants[-1]
    response = waka_http.delete("/api/v1/wakatime/connection", headers=alice.headers)
    assert response.json() == {"disconnected": True, "revoked_at_wakatime": True}
    # Both tokens: a refresh token left alive could mint new access tokens.
    assert {r["token"] for r in fake.revoke_requests} == {latest.access_token, latest.refresh_token}
    assert latest.revoked
    assert raw_connection(waka_app, alice) is None
    assert waka_http.get("/api/v1/wakatime/connection", headers=alice.headers).json() == {"connection": None}

    # No token WakaTime issued ever reached a log line.
    logged = caplog.text + "".join(capfd.readouterr())
    assert fake.issued_tokens and not any(token in logged for token in fake.issued_tokens)


def test_a_revoked_grant_shows_as_reconnect_needed(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    fake.revoke_everything()  # the person removed our app on wakatime.com
    result = waka_http.post(
        "/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers
    ).json()
    assert result["reconnect_needed"] is True and result["imported_days"] == []
    status = waka_http.get("/api/v1/wakatime/connection", headers=alice.headers).json()["connection"]
    assert status["status"] == "reconnect_needed"
    # Connecting again makes it usable.
    assert connect(waka_http, waka_app, alice)["wakatime"] == "connected"
    status = waka_http.get("/api/v1/wakatime/connection", headers=alice.headers).json()["connection"]
    assert status["status"] == "connected"


def test_json_token_answers_are_understood_too(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    fake.json_answers = True
    assert connect(waka_http, waka_app, alice)["wakatime"] == "connected"
    row = raw_connection(waka_app, alice)
    assert row is not None and row["wakatime_uid"] == fake.uid
    cipher = TokenCipher.from_settings(waka_app.settings)
    assert cipher.decrypt(row["access_token_encrypted"]) == fake.grants[-1].access_token


def test_denied_consent_returns_with_a_clear_message_and_connects_nothing(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    fake.deny = True
    outcome = connect(waka_http, waka_app, alice)
    assert outcome == {"wakatime": "error", "reason": "denied"}
    assert raw_connection(waka_app, alice) is None


def test_reimporting_a_day_changes_nothing_and_a_changed_day_replaces_it(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    connect(waka_http, waka_app, alice)
    fake.durations[DAY] = durations_of(START, (0, 30, "apollo", "Python"), (60, 10, "zeus", "Go"))
    fake.summaries[DAY] = summary(DAY, projects={"apollo": 1800, "zeus": 600})
    body = {"start": str(DAY), "end": str(DAY)}

    def stored() -> list[tuple[Any, ...]]:
        with waka_app.runtime.db.as_user(alice.principal.db_claims) as conn:
            durations = conn.execute(
                "select xmin::text, project, language, duration_seconds from wakatime_durations order by started_at"
            ).fetchall()
            totals = conn.execute("select xmin::text, dimension, name, seconds from wakatime_day_totals order by name")
            return [tuple(r.values()) for r in durations] + [tuple(r.values()) for r in totals.fetchall()]

    waka_http.post("/api/v1/wakatime/import", json=body, headers=alice.headers)
    first = stored()
    waka_http.post("/api/v1/wakatime/import", json=body, headers=alice.headers)
    assert stored() == first  # same rows, same row versions: nothing was rewritten

    fake.durations[DAY] = durations_of(START, (0, 40, "apollo", "Python"))
    fake.summaries[DAY] = summary(DAY, projects={"apollo": 2400})
    waka_http.post("/api/v1/wakatime/import", json=body, headers=alice.headers)
    assert [row[1:] for row in stored()] == [("apollo", "Python", 2400.0), ("project", "apollo", 2400.0)]


def test_an_unreadable_token_answer_connects_nothing_and_says_so(
    waka_http: httpx.Client, waka_app: RunningApp, fake: FakeWakaTime, alice: TestUser
) -> None:
    fake.token_fields = {"expires_at": None, "expires_in": "inf"}  # no calendar holds that expiry
    assert connect(waka_http, waka_app, alice) == {"wakatime": "error", "reason": "exchange_failed"}
    assert raw_connection(waka_app, alice) is None

"""A NUL character (or Infinity) that Postgres cannot store is a 422, not a 500.

Postgres text cannot hold NUL and psycopg refuses to send it; schemathesis found
POST /api/v1/teams answering 500 for a name with "\\u0000" in it. Every free-text field of
the account API shares the `Name` type (or, for display_name, its NUL check).
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.utils.devices import BATCH_URL, device_event, post_event, register_device, stored_payloads
from tests.utils.users import TestUser
from timetracker import teams
from timetracker.errors import InvalidInput
from timetracker.runtime import Runtime


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/v1/teams", {"name": "Team\u0000A"}, "name"),
        ("POST", "/api/v1/tokens", {"name": "laptop\u0000"}, "name"),
        ("POST", "/api/v1/devices", {"device_id": "NFC_NUL1", "name": "desk\u0000reader"}, "name"),
        ("PUT", "/api/v1/tags", {"labels": {"dd 54 2a 83": "Apollo\u0000"}}, "labels.dd 54 2a 83"),
        ("PUT", "/api/v1/profile", {"display_name": "Ana\u0000"}, "display_name"),
    ],
)
def test_nul_in_a_name_is_a_422_naming_the_field(
    http: httpx.Client, alice: TestUser, method: str, path: str, body: dict[str, object], field: str
) -> None:
    response = http.request(method, path, json=body, headers=alice.headers)

    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": "invalid_request",
        "message": "The request is invalid",
        "details": [{"field": field, "message": "Value error, must not contain NUL characters"}],
    }


def test_nothing_is_stored_for_a_refused_name(http: httpx.Client, alice: TestUser) -> None:
    http.post("/api/v1/teams", json={"name": "Team\u0000B"}, headers=alice.headers)

    names = [team["name"] for team in http.get("/api/v1/teams", headers=alice.headers).json()]
    assert not any(name.startswith("Team") for name in names)


def test_a_reader_event_with_a_nul_is_a_422(http: httpx.Client, alice: TestUser) -> None:
    device = register_device(http, alice)

    response = post_event(http, device, device_event(device.device_id, tag_type="Mifare\u0000"))

    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": "invalid_payload",
        "message": "The request body is invalid",
        "details": [{"field": "tag_type", "message": "Value error, must not contain NUL characters"}],
    }


def test_unstorable_reader_events_never_drop_the_good_ones(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    device = register_device(http, alice)
    nul_in_extra = device_event(device.device_id, 1, firmware="1.2\u0000")
    infinite_extra = device_event(device.device_id, 2, rssi=float("inf"))
    good = device_event(device.device_id, 3)

    # httpx refuses to encode inf; json.dumps writes it as Infinity, which the server's parser reads.
    response = http.post(
        BATCH_URL,
        content=json.dumps([nul_in_extra, infinite_extra, good]),
        headers={**device.headers, "Content-Type": "application/json"},
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["created"], answer["invalid"]) == (1, 2)
    assert [r["errors"][0]["message"] for r in answer["results"][:2]] == [
        "Value error, firmware must not contain NUL characters",
        "Value error, rssi must be a finite number",
    ]
    assert [p["timestamp"] for p in stored_payloads(runtime.db, alice, device.device_id)] == [good["timestamp"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/devices/%00/rotate"),
        ("DELETE", "/api/v1/devices/%00"),
        ("POST", "/api/v1/devices/NFC_A%00B/rotate"),
        ("DELETE", "/api/v1/devices/NFC_A%0A"),
    ],
)
def test_a_device_path_that_is_not_a_device_id_is_a_422(
    http: httpx.Client, alice: TestUser, method: str, path: str
) -> None:
    response = http.request(method, path, headers=alice.headers)

    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_input"
    assert "not a device id" in response.json()["message"]


def test_a_nul_in_an_invited_email_is_a_422(http: httpx.Client, alice: TestUser) -> None:
    team = http.post("/api/v1/teams", json={"name": "Nul"}, headers=alice.headers).json()["id"]

    response = http.post(
        f"/api/v1/teams/{team}/members", json={"email": "ana\u0000@example.com"}, headers=alice.headers
    )

    assert response.status_code == 422, response.text
    assert response.json()["details"] == [{"field": "email", "message": "Value error, must not contain NUL characters"}]
    assert http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).json() == []


def test_the_dashboards_invite_refuses_text_postgres_cannot_hold(runtime: Runtime, alice: TestUser) -> None:
    # The Teams page calls the core directly, past the API's schema: the core refuses too.
    team = teams.create(runtime.db, alice.principal, "Surrogates")["id"]
    for email in ("ana\x00@example.com", "ana\ud800@example.com"):
        with pytest.raises(InvalidInput):
            teams.invite(runtime.db, alice.principal, team, email)
    assert teams.invitations(runtime.db, alice.principal, team) == []

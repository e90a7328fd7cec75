"""Refused reader requests over real HTTP: what a reader is refused for is kept for its owner
(GET /api/v1/devices/{device_id}/attempts), with the reason and the fields named, and never
the key or a value sent; a device id nobody registered is counted, not kept."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import psycopg
import pytest

from tests.utils.devices import (
    BATCH_URL,
    SINGLE_URL,
    TestDevice,
    device_event,
    kept_attempts,
    post_batch,
    post_event,
    register_device,
    unique_device_id,
)
from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker.nfc import attempts
from timetracker.runtime import Runtime

SECRET = "hunter2-wifi-password"


@pytest.fixture
def reader(http: httpx.Client, alice: TestUser) -> TestDevice:
    return register_device(http, alice)


def with_key(device: TestDevice, key: str) -> TestDevice:
    return TestDevice(device.device_id, key, device.owner)


def test_nothing_is_kept_while_everything_is_accepted(http: httpx.Client, reader: TestDevice) -> None:
    assert post_event(http, reader, device_event(reader.device_id)).status_code == 201
    assert post_batch(http, reader, [device_event(reader.device_id, 1)]).status_code == 200
    assert kept_attempts(http, reader) == []


def test_a_wrong_or_missing_key_is_kept_as_bad_key_without_the_key(http: httpx.Client, reader: TestDevice) -> None:
    wrong = "ttd_" + "W" * 43
    assert post_event(http, with_key(reader, wrong), device_event(reader.device_id)).status_code == 401
    no_key = http.post(SINGLE_URL, json=device_event(reader.device_id), headers={"X-Device-Id": reader.device_id})
    assert no_key.status_code == 401
    newest, oldest = kept_attempts(http, reader)
    assert (oldest["status"], oldest["reason"], newest["status"], newest["reason"]) == (401, "bad_key", 401, "bad_key")
    assert "wrong" in oldest["message"] and "no Authorization" in newest["message"]
    answer = http.get(f"/api/v1/devices/{reader.device_id}/attempts", headers=reader.owner.headers).text
    assert wrong not in answer and wrong[4:] not in answer and reader.key[4:] not in answer


def test_a_revoked_reader_and_a_body_for_another_device_are_kept_with_their_reason(
    http: httpx.Client, reader: TestDevice
) -> None:
    assert post_event(http, reader, device_event("NFC_SOMEONE_ELSE")).status_code == 403
    assert http.delete(f"/api/v1/devices/{reader.device_id}", headers=reader.owner.headers).status_code == 200
    assert post_event(http, reader, device_event(reader.device_id)).status_code == 403
    kept = [(a["status"], a["reason"]) for a in kept_attempts(http, reader)]
    assert kept == [(403, "revoked"), (403, "device_id_mismatch")]


def test_an_invalid_event_names_its_fields_and_keeps_no_value_sent(http: httpx.Client, reader: TestDevice) -> None:
    """An ESP32 before NTP: the owner sees that the timestamp is the problem, and why."""
    event = device_event(
        reader.device_id, timestamp="1970-01-01T00:00:05.000Z", tag_id="zz " + SECRET, wifi_password=SECRET
    )
    assert post_event(http, reader, event).status_code == 422
    [attempt] = kept_attempts(http, reader)
    assert (attempt["status"], attempt["reason"]) == (422, "invalid_payload")
    assert [d["field"] for d in attempt["details"]] == ["timestamp", "tag_id"]
    assert "NTP" in attempt["details"][0]["message"]
    assert "timestamp" in attempt["message"] and "tag_id" in attempt["message"]
    assert SECRET not in json.dumps(attempt)


def test_a_batch_with_refused_items_is_kept_with_the_counts_and_items_named(
    http: httpx.Client, reader: TestDevice
) -> None:
    items = [
        device_event(reader.device_id, 0),
        device_event(reader.device_id, 1, timestamp="2100-01-01T00:00:00Z"),
        device_event("NFC_SOMEONE_ELSE", 2),
        {"device_id": reader.key},  # a key where it does not belong must not be kept either
    ]
    response = post_batch(http, reader, items)
    assert response.status_code == 200 and response.json()["created"] == 1
    [attempt] = kept_attempts(http, reader)
    assert (attempt["status"], attempt["reason"], attempt["items"], attempt["refused"]) == (
        200,
        "invalid_payload",
        4,
        3,
    )
    named = [(d["index"], d["field"]) for d in attempt["details"]]
    assert (1, "timestamp") in named and (2, "device_id") in named and (3, "event_type") in named
    assert reader.key not in json.dumps(attempt) and reader.key[4:] not in json.dumps(attempt)


def test_too_many_items_is_kept(http: httpx.Client, runtime: Runtime, reader: TestDevice) -> None:
    events = [device_event(reader.device_id, i) for i in range(runtime.settings.max_batch_items + 1)]
    assert post_batch(http, reader, events).status_code == 413
    [attempt] = kept_attempts(http, reader)
    assert (attempt["status"], attempt["reason"], attempt["items"]) == (413, "too_many_items", len(events))


@pytest.mark.parametrize(
    ("url", "content", "wrong_key_answer"),
    [
        (SINGLE_URL, b'{"timestamp": ', 422),  # not JSON: refused before the key is looked at
        (BATCH_URL, b'{"a": 1}', 401),  # JSON, but not an array: the key first
    ],
)
def test_a_body_refused_before_the_route_runs_is_kept_too(
    http: httpx.Client, reader: TestDevice, url: str, content: bytes, wrong_key_answer: int
) -> None:
    headers = {**reader.headers, "Content-Type": "application/json"}
    assert http.post(url, content=content, headers=headers).status_code == 422
    wrong = {**with_key(reader, reader.key + "x").headers, "Content-Type": "application/json"}
    assert http.post(url, content=content, headers=wrong).status_code == wrong_key_answer
    newest, oldest = kept_attempts(http, reader)
    assert (oldest["status"], oldest["reason"], oldest["details"][0]["field"]) == (422, "invalid_payload", "(body)")
    assert "not a JSON" in oldest["message"]
    assert (newest["status"], newest["reason"]) == (wrong_key_answer, "bad_key")


def test_a_device_id_nobody_registered_is_counted_not_kept(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    before = attempts.UNREGISTERED.total
    stranger = TestDevice(unique_device_id("NOBODY"), reader.key, reader.owner)
    assert post_event(http, stranger, device_event(stranger.device_id)).status_code == 401
    assert post_event(http, TestDevice("not a device id!", "ttd_x", reader.owner), {}).status_code == 401
    assert attempts.UNREGISTERED.total == before + 2
    with psycopg.connect(runtime.db.admin_url) as conn:
        assert conn.execute(
            "select count(*) from device_attempts where device_id = %s", (stranger.device_id,)
        ).fetchone() == (0,)
    assert kept_attempts(http, reader) == []


def test_the_owners_team_admins_read_them_and_nobody_else(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, user_factory: Callable[..., TestUser]
) -> None:
    admin, member, outsider = user_factory("admin"), user_factory("member"), user_factory("outsider")
    team_of(runtime.db, admin, "Crew", (reader.owner, "member"), (member, "member"))
    assert post_event(http, with_key(reader, "ttd_wrong"), device_event(reader.device_id)).status_code == 401
    assert [a["reason"] for a in kept_attempts(http, reader, admin)] == ["bad_key"]
    path = f"/api/v1/devices/{reader.device_id}/attempts"
    for viewer in (member, outsider):
        assert http.get(path, headers=viewer.headers).status_code == 404
    assert http.get(path).status_code == 401
    assert http.get("/api/v1/devices/NFC_NO_SUCH_ONE/attempts", headers=reader.owner.headers).status_code == 404
    assert http.get("/api/v1/devices/bad%00id/attempts", headers=reader.owner.headers).status_code == 404

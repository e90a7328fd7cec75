"""NFC reader ingest over real HTTP on loopback: what a reader sends, what it gets back,
and what ends up stored (read back as the owner, through RLS)."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils.devices import (
    BASE_TIME,
    BATCH_URL,
    SINGLE_URL,
    TestDevice,
    device_event,
    post_batch,
    post_event,
    register_device,
    stored_payloads,
)
from tests.utils.users import TestUser
from timetracker import credentials
from timetracker.config import Settings
from timetracker.errors import Forbidden
from timetracker.ingest.table import CHUNK_ROWS
from timetracker.logging_setup import configure_logging
from timetracker.nfc import ingest
from timetracker.nfc.payload import DeviceEvent
from timetracker.runtime import Runtime

# The reader firmware's example payload, byte for byte (with tag_insert/true for the alternatives).
EXAMPLE_BODY = b"""{
  "timestamp": "2025-04-11T15:23:42.000Z",
  "event_type": "tag_insert",
  "tag_present": true,
  "tag_id": "dd 54 2a 83",
  "tag_type": "Mifare Classic (4-byte)",
  "wifi_status": "Connected to WiFi-2.4-6B2E (-49 dBm)",
  "time_status": "Synced with NTP",
  "device_id": "NFC_ABC123"
}"""


@pytest.fixture
def reader(http: httpx.Client, alice: TestUser) -> TestDevice:
    return register_device(http, alice)


def stored_rows(runtime: Runtime, device: TestDevice) -> list[dict[str, Any]]:
    with runtime.db.as_user(device.owner.principal.db_claims) as conn:
        return conn.execute(
            "select event_type, tag_id, tag_present, occurred_at from device_events where device_id = %s"
            " order by occurred_at, id",
            (device.device_id,),
        ).fetchall()


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """A JSON error body of the documented shape, with the expected status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["message"], str) and body["message"]
    return body


# -- the good path ------------------------------------------------------------------------


def test_the_firmware_example_payload_is_stored_as_received(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    device = register_device(http, alice, "NFC_ABC123")
    response = http.post(
        SINGLE_URL, content=EXAMPLE_BODY, headers={**device.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json() == {
        "status": "created",
        "device_id": "NFC_ABC123",
        "event_type": "tag_insert",
        "tag_id": "dd 54 2a 83",
        "timestamp": "2025-04-11T15:23:42+00:00",
    }
    assert stored_payloads(runtime.db, alice, "NFC_ABC123") == [json.loads(EXAMPLE_BODY)]
    [row] = stored_rows(runtime, device)
    assert row["occurred_at"].isoformat() == "2025-04-11T15:23:42+00:00"
    assert (row["event_type"], row["tag_id"], row["tag_present"]) == ("tag_insert", "dd 54 2a 83", True)


def test_unknown_fields_are_kept_and_the_tag_id_normalised(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    payload = device_event(reader.device_id, tag_id=" DD 54  2A 83 ", firmware="1.4.2", rssi=-49)
    assert post_event(http, reader, payload).status_code == 201
    assert stored_payloads(runtime.db, reader.owner, reader.device_id) == [payload]  # raw, as sent
    assert stored_rows(runtime, reader)[0]["tag_id"] == "dd 54 2a 83"


def test_a_batch_keeps_each_event_at_its_instant_and_its_payload_as_sent(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    offset = device_event(reader.device_id, timestamp="2025-04-11T17:23:42.123456+02:00")
    extras = device_event(reader.device_id, 1, firmware="1.4.2", rssi=-49.5, notes=["café ✓", None, {"n": 1}])
    assert post_batch(http, reader, [offset, extras]).json()["created"] == 2
    assert stored_payloads(runtime.db, reader.owner, reader.device_id) == [offset, extras]
    instants = [row["occurred_at"] for row in stored_rows(runtime, reader)]
    assert instants == [datetime(2025, 4, 11, 15, 23, 42, 123456, tzinfo=UTC), BASE_TIME + timedelta(seconds=1)]


def test_the_same_event_again_is_a_duplicate_stored_once(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    assert post_event(http, reader, device_event(reader.device_id)).status_code == 201
    # Same natural key (device, time, type, tag) even though the tag id is spelled differently.
    again = post_event(http, reader, device_event(reader.device_id, tag_id="DD 54 2A 83", wifi_status="Retrying"))
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert len(stored_rows(runtime, reader)) == 1


def test_fifty_concurrent_posts_of_one_event_store_it_once(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    payload = device_event(reader.device_id, 60)
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(pool.map(lambda _: post_event(http, reader, payload).status_code, range(50)))
    assert statuses == [200] * 49 + [201]
    assert len(stored_rows(runtime, reader)) == 1


def test_a_batch_answers_per_item_and_keeps_the_good_ones(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    first = device_event(reader.device_id, 0)
    second = device_event(reader.device_id, 30, event_type="tag_removed")
    missing_tag = {k: v for k, v in device_event(reader.device_id, 10).items() if k != "tag_id"}
    response = post_batch(
        http,
        reader,
        [first, missing_tag, second, device_event("NFC_SOMEONE_ELSE", 40), 42, first],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["status"] for item in body["results"]] == [
        "created",
        "invalid",
        "created",
        "rejected",
        "invalid",
        "duplicate",
    ]
    assert [item["index"] for item in body["results"]] == list(range(6))
    assert body["results"][1]["errors"] == [{"field": "tag_id", "message": "Field required"}]
    assert body["results"][3]["errors"][0]["field"] == "device_id"
    assert {k: body[k] for k in ("created", "duplicate", "invalid", "rejected")} == {
        "created": 2,
        "duplicate": 1,
        "invalid": 2,
        "rejected": 1,
    }
    assert stored_payloads(runtime.db, reader.owner, reader.device_id) == [first, second]


def test_a_replayed_batch_is_all_duplicates_and_a_new_event_among_replays_is_created(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    events = [device_event(reader.device_id, 500 + i) for i in range(3)]
    assert [r["status"] for r in post_batch(http, reader, events).json()["results"]] == ["created"] * 3
    assert [r["status"] for r in post_batch(http, reader, events).json()["results"]] == ["duplicate"] * 3
    new = device_event(reader.device_id, 600)
    mixed = post_batch(http, reader, [events[0], new, events[2], new]).json()["results"]
    assert [r["status"] for r in mixed] == ["duplicate", "created", "duplicate", "duplicate"]
    assert len(stored_rows(runtime, reader)) == 4


def test_a_batch_stored_in_several_statements_is_answered_item_by_item_in_order(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    size = 2 * CHUNK_ROWS + 50
    events = [device_event(reader.device_id, 900 + i) for i in range(size)]
    stored_before = CHUNK_ROWS + 10  # in the second statement's rows
    assert post_batch(http, reader, [events[stored_before]]).json()["created"] == 1
    events[5] = without("tag_id")(events[5])  # one refused item shifts the rows after it
    events[-1] = events[3]  # and an item sent again, statements later
    expected = ["created"] * size
    expected[5], expected[stored_before], expected[-1] = "invalid", "duplicate", "duplicate"
    results = post_batch(http, reader, events).json()["results"]
    assert [(r["index"], r["status"]) for r in results] == list(enumerate(expected))
    assert len(stored_rows(runtime, reader)) == size - 2


def test_an_empty_batch_is_fine(http: httpx.Client, reader: TestDevice) -> None:
    response = post_batch(http, reader, [])
    assert response.status_code == 200
    assert response.json()["results"] == []


# -- bad input: a 4xx JSON error that says what is wrong, and nothing stored ---------------


def without(field: str) -> Any:
    return lambda event: {k: v for k, v in event.items() if k != field}


def with_(**fields: Any) -> Any:
    return lambda event: {**event, **fields}


INVALID_EVENTS = {
    "missing timestamp": (without("timestamp"), "timestamp"),
    "missing event_type": (without("event_type"), "event_type"),
    "missing tag_present": (without("tag_present"), "tag_present"),
    "missing tag_id": (without("tag_id"), "tag_id"),
    "missing device_id": (without("device_id"), "device_id"),
    "unparsable timestamp": (with_(timestamp="yesterday at noon"), "timestamp"),
    "timestamp without a zone": (with_(timestamp="2025-04-11T15:23:42.000"), "timestamp"),
    "timestamp as unix seconds": (with_(timestamp=1744385022), "timestamp"),
    "timestamp before year 1 in UTC": (with_(timestamp="0001-01-01T00:00:00+05:00"), "timestamp"),
    "timestamp after year 9999 in UTC": (with_(timestamp="9999-12-31T23:59:59-05:00"), "timestamp"),
    "clock not set yet (1970, before NTP)": (with_(timestamp="1970-01-01T00:00:05.000Z"), "timestamp"),
    "timestamp in year 1": (with_(timestamp="0001-01-01T00:00:00Z"), "timestamp"),
    "timestamp in 2100": (with_(timestamp="2100-01-01T00:00:00Z"), "timestamp"),
    "timestamp in 9999": (with_(timestamp="9999-12-31T00:00:00Z"), "timestamp"),
    "unknown event_type": (with_(event_type="tag_hover"), "event_type"),
    "insert without the tag": (with_(event_type="tag_insert", tag_present=False), "tag_present"),
    "removal with the tag": (with_(event_type="tag_removed", tag_present=True), "tag_present"),
    "tag_present as a string": (with_(tag_present="true"), "tag_present"),
    "tag_id not hex": (with_(tag_id="zz 54 2a 83"), "tag_id"),
    "tag_id without spaces": (with_(tag_id="dd542a83"), "tag_id"),
    "tag_id too long": (with_(tag_id=" ".join(["ab"] * 17)), "tag_id"),
    "tag_id not a string": (with_(tag_id=12345), "tag_id"),
}


@pytest.mark.parametrize("case", INVALID_EVENTS)
def test_an_invalid_event_is_422_naming_the_field(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, case: str
) -> None:
    mutate, field = INVALID_EVENTS[case]
    body = assert_error(post_event(http, reader, mutate(device_event(reader.device_id))), 422)
    assert field in [detail["field"] for detail in body["details"]]
    assert stored_rows(runtime, reader) == []


@pytest.mark.parametrize(
    ("timestamp", "why"),
    [("1970-01-01T00:00:05.000Z", "before 2000-01-01"), ("2100-01-01T10:00:00Z", "more than a day ahead")],
)
def test_a_clock_not_set_or_far_ahead_is_refused_saying_why(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, timestamp: str, why: str
) -> None:
    body = assert_error(post_event(http, reader, device_event(reader.device_id, timestamp=timestamp)), 422)
    [detail] = body["details"]
    assert detail["field"] == "timestamp" and why in detail["message"]
    assert stored_rows(runtime, reader) == []


def test_a_batch_stores_the_events_of_a_set_clock_and_refuses_the_others_per_item(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    """An ESP32 that buffered events before NTP answered replays them with the later good ones."""
    before_ntp = device_event(reader.device_id, timestamp="1970-01-01T00:00:12.000Z")
    good = device_event(reader.device_id, 0)
    far_ahead = device_event(reader.device_id, timestamp="2100-01-01T00:00:00Z", event_type="tag_removed")
    hours_ahead = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    slightly_ahead = device_event(reader.device_id, timestamp=hours_ahead, event_type="tag_removed")
    response = post_batch(http, reader, [before_ntp, good, far_ahead, slightly_ahead])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["invalid", "created", "invalid", "created"]
    assert "NTP" in results[0]["errors"][0]["message"]
    assert "more than a day ahead" in results[2]["errors"][0]["message"]
    assert stored_payloads(runtime.db, reader.owner, reader.device_id) == [good, slightly_ahead]


def test_a_body_device_id_other_than_the_header_is_403(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    body = assert_error(post_event(http, reader, device_event("NFC_NOT_THIS_ONE")), 403)
    assert "X-Device-Id" in body["message"]
    assert stored_rows(runtime, reader) == []


@pytest.mark.parametrize(
    "content", [b"not json at all", b'{"timestamp": ', b"[]", b'"a string"', b"42", b"null"], ids=repr
)
def test_a_body_that_is_not_a_json_object_is_422(http: httpx.Client, reader: TestDevice, content: bytes) -> None:
    response = http.post(SINGLE_URL, content=content, headers={**reader.headers, "Content-Type": "application/json"})
    assert_error(response, 422)


@pytest.mark.parametrize("content", [b"{}", b"not json", b'{"a": 1}'], ids=repr)
def test_a_batch_that_is_not_a_json_array_is_422(http: httpx.Client, reader: TestDevice, content: bytes) -> None:
    response = http.post(BATCH_URL, content=content, headers={**reader.headers, "Content-Type": "application/json"})
    assert_error(response, 422)


def test_too_many_items_in_a_batch_is_413_and_stores_none(
    http: httpx.Client, runtime: Runtime, settings: Settings, reader: TestDevice
) -> None:
    events = [device_event(reader.device_id, i) for i in range(settings.max_batch_items + 1)]
    body = assert_error(post_batch(http, reader, events), 413)
    assert str(settings.max_batch_items) in body["message"]
    assert stored_rows(runtime, reader) == []


def oversized_body(settings: Settings, device_id: str) -> bytes:
    return json.dumps(device_event(device_id, padding="x" * settings.max_body_bytes)).encode()


def test_a_body_larger_than_the_limit_is_413(http: httpx.Client, settings: Settings, reader: TestDevice) -> None:
    content = oversized_body(settings, reader.device_id)
    response = http.post(SINGLE_URL, content=content, headers={**reader.headers, "Content-Type": "application/json"})
    assert_error(response, 413)


def test_a_chunked_body_larger_than_the_limit_is_413(
    http: httpx.Client, settings: Settings, reader: TestDevice
) -> None:
    content = oversized_body(settings, reader.device_id)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must count what arrives
        for start in range(0, len(content), 64 * 1024):
            yield content[start : start + 64 * 1024]

    response = http.post(BATCH_URL, content=chunks(), headers={**reader.headers, "Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_error(response, 413)


# -- credentials -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer ttd_whatever"},  # no X-Device-Id
        {"X-Device-Id": "{device}"},  # no key
        {"X-Device-Id": "{device}", "Authorization": "Basic {key}"},
        {"X-Device-Id": "{device}", "Authorization": "Bearer"},
        {"X-Device-Id": "{device}", "Authorization": "Bearer ttd_not_the_key"},
        {"X-Device-Id": "{device}", "Authorization": "Bearer {key}x"},
        {"X-Device-Id": "NFC_NEVER_REGISTERED", "Authorization": "Bearer {key}"},
    ],
    ids=["nothing", "no device id", "no key", "basic", "empty key", "wrong key", "key plus", "unknown device"],
)
def test_without_the_right_key_it_is_401(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, headers: dict[str, str]
) -> None:
    filled = {name: value.format(device=reader.device_id, key=reader.key) for name, value in headers.items()}
    for url, body in ((SINGLE_URL, device_event(reader.device_id)), (BATCH_URL, [device_event(reader.device_id)])):
        assert_error(http.post(url, json=body, headers=filled), 401)
    assert stored_rows(runtime, reader) == []


@pytest.mark.parametrize(
    ("url", "body"), [(SINGLE_URL, {"tag_id": "zz"}), (BATCH_URL, [{"tag_id": "zz"}]), (SINGLE_URL, [])]
)
def test_the_key_is_checked_before_the_body(http: httpx.Client, reader: TestDevice, url: str, body: Any) -> None:
    """Nobody learns the payload rules (or our answers to them) without a key."""
    wrong = TestDevice(reader.device_id, reader.key + "x", reader.owner)
    assert_error(http.post(url, json=body, headers=wrong.headers), 401)


def test_a_401_does_not_say_whether_the_device_exists(http: httpx.Client, reader: TestDevice) -> None:
    wrong_key = post_event(
        http, TestDevice(reader.device_id, "ttd_" + "A" * 43, reader.owner), device_event(reader.device_id)
    )
    no_device = post_event(
        http, TestDevice("NFC_NO_SUCH_ONE", reader.key, reader.owner), device_event("NFC_NO_SUCH_ONE")
    )
    assert (wrong_key.status_code, wrong_key.json()) == (no_device.status_code, no_device.json())


def test_a_revoked_reader_is_refused_with_403_and_nothing_is_stored(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    revoked = http.delete(f"/api/v1/devices/{reader.device_id}", headers=reader.owner.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    # Its own key still proves who is calling, so the reader learns it was revoked (403)...
    body = assert_error(post_event(http, reader, device_event(reader.device_id)), 403)
    assert "revoked" in body["message"]
    assert_error(post_batch(http, reader, [device_event(reader.device_id)]), 403)
    # ...while anyone without the key learns nothing more than for a wrong key (401).
    stranger = TestDevice(reader.device_id, "ttd_" + "B" * 43, reader.owner)
    assert_error(post_event(http, stranger, device_event(reader.device_id)), 401)
    assert stored_rows(runtime, reader) == []


@pytest.mark.parametrize("path", ["one event", "a batch"])
def test_a_reader_revoked_between_key_check_and_insert_is_stopped_by_rls(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, path: str
) -> None:
    identity = ingest.authenticate_device(runtime.db, reader.device_id, credentials.digest(reader.key))
    assert http.delete(f"/api/v1/devices/{reader.device_id}", headers=reader.owner.headers).status_code == 200
    # A batch of several statements: the first one's refusal arrives while the others are sent.
    events = [device_event(reader.device_id, i) for i in range(1 if path == "one event" else 2 * CHUNK_ROWS + 1)]
    received = [(DeviceEvent.model_validate(event), event) for event in events]
    with pytest.raises(Forbidden, match="revoked"):
        if path == "one event":
            ingest.store_event(runtime.db, identity, received[0])
        else:
            ingest.store_events(runtime.db, identity, received)
    assert stored_rows(runtime, reader) == []


def test_after_a_rotation_the_old_key_is_refused_and_the_new_one_accepted(
    http: httpx.Client, runtime: Runtime, reader: TestDevice
) -> None:
    rotated = http.post(f"/api/v1/devices/{reader.device_id}/rotate", headers=reader.owner.headers)
    assert rotated.status_code == 200, rotated.text
    new_key = rotated.json()["device_key"]
    assert new_key != reader.key
    assert_error(post_event(http, reader, device_event(reader.device_id, 0)), 401)
    renewed = TestDevice(reader.device_id, new_key, reader.owner)
    assert post_event(http, renewed, device_event(reader.device_id, 1)).status_code == 201
    assert len(stored_rows(runtime, reader)) == 1


def test_the_device_key_never_reaches_the_logs(
    http: httpx.Client, reader: TestDevice, caplog: pytest.LogCaptureFixture
) -> None:
    with structlog.testing.capture_logs() as events, caplog.at_level(logging.DEBUG):
        post_event(http, reader, device_event(reader.device_id))
        post_event(http, reader, device_event(reader.device_id))
        post_event(http, reader, device_event(reader.device_id, tag_id="nope"))
        post_event(http, TestDevice(reader.device_id, reader.key + "x", reader.owner), device_event(reader.device_id))
        post_event(http, TestDevice("NFC_UNKNOWN_" + reader.key[-6:], reader.key, reader.owner), {})
        post_batch(http, reader, [device_event(reader.device_id, 5), {"device_id": reader.key}])
    logged = repr(events) + caplog.text
    assert reader.key not in logged
    assert reader.key[4:] not in logged


def test_a_key_that_slips_into_a_log_line_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    """The production pipeline (JSON logs) scrubs anything shaped like a device key."""
    key = "ttd_" + "Zq9" * 14
    saved = structlog.get_config()
    try:
        configure_logging("INFO", json_logs=True)
        structlog.get_logger("probe").warning("reader sent", note=f"header was Bearer {key}", authorization=key)
    finally:
        structlog.configure(**saved)
    out = capsys.readouterr().out
    assert "reader sent" in out
    assert key not in out and key[4:] not in out


# -- property: any mix of good and bad items gets one honest answer each --------------------

EVENT_OFFSETS = itertools.count(10_000, 1000)  # each example its own instants, never repeated

item_kinds = st.lists(
    st.sampled_from(["good", "repeat", "missing_field", "bad_tag", "no_zone", "mismatch", "not_object"]),
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=item_kinds)
def test_any_batch_gets_one_result_per_item_and_stores_exactly_the_new_good_ones(
    http: httpx.Client, runtime: Runtime, reader: TestDevice, kinds: list[str]
) -> None:
    base = next(EVENT_OFFSETS)
    before = len(stored_rows(runtime, reader))
    items: list[Any] = []
    expected: list[str] = []
    for i, kind in enumerate(kinds):
        good = device_event(reader.device_id, base + i)
        if kind == "repeat" and any(e == "created" for e in expected):
            items.append(items[expected.index("created")])
            expected.append("duplicate")
            continue
        items.append(
            {
                "good": good,
                "repeat": good,
                "missing_field": {k: v for k, v in good.items() if k != "event_type"},
                "bad_tag": {**good, "tag_id": "xyz"},
                "no_zone": {**good, "timestamp": "2025-04-11 15:23:42"},
                "mismatch": {**good, "device_id": "NFC_OTHER"},
                "not_object": [good],
            }[kind]
        )
        expected.append({"good": "created", "repeat": "created", "mismatch": "rejected"}.get(kind, "invalid"))
    response = post_batch(http, reader, items)
    assert response.status_code == 200, response.text
    assert [item["status"] for item in response.json()["results"]] == expected
    assert len(stored_rows(runtime, reader)) - before == expected.count("created")


def test_uvicorns_lines_join_the_structured_redacted_stream(capsys: pytest.CaptureFixture[str]) -> None:
    """Access lines and other libraries' logs come out as our JSON, with the same redaction."""
    token = "ttp_" + "Qx7" * 14
    saved, root, access = structlog.get_config(), logging.getLogger(), logging.getLogger("uvicorn.access")
    saved_handlers, saved_level, saved_access_level = root.handlers[:], root.level, access.level
    try:
        configure_logging("INFO", json_logs=True)
        access.setLevel(logging.INFO)  # uvicorn sets it from --log-level; the suite's servers run at warning
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/api/x?key={token}", "1.1", 200)
        logging.getLogger("psycopg.pool").warning("connection lost to %s", "db")
    finally:
        structlog.configure(**saved)
        root.handlers, root.level = saved_handlers, saved_level
        access.setLevel(saved_access_level)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    by_logger = {line["logger"]: line for line in lines}
    assert by_logger["uvicorn.access"]["level"] == "info" and "GET /api/x?key=" in by_logger["uvicorn.access"]["event"]
    assert by_logger["psycopg.pool"]["event"] == "connection lost to db"
    assert token not in json.dumps(lines) and token[4:] not in json.dumps(lines)

"""NFC readers for tests: register one over the real API, build their events as the firmware sends them, post them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.utils.users import TestUser
from timetracker.db import Database

SINGLE_URL = "/api/webhook/device-event"
BATCH_URL = "/api/webhook/device-events"
# A fixed instant, so events built from it are reproducible (never "now").
BASE_TIME = datetime(2025, 4, 11, 15, 23, 42, tzinfo=UTC)


@dataclass(frozen=True)
class TestDevice:
    __test__ = False  # not a pytest class

    device_id: str
    key: str
    owner: TestUser

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Device-Id": self.device_id, "Authorization": f"Bearer {self.key}"}


def unique_device_id(prefix: str = "NFC") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12].upper()}"


def register_device(http: httpx.Client, owner: TestUser, device_id: str | None = None) -> TestDevice:
    """Register a reader for `owner` through POST /api/v1/devices; keep the key it shows once."""
    device_id = device_id or unique_device_id()
    response = http.post("/api/v1/devices", json={"device_id": device_id, "name": "Desk"}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return TestDevice(device_id, response.json()["device_key"], owner)


def device_event(device_id: str, seconds: float = 0, **fields: Any) -> dict[str, Any]:
    """A reader event as the firmware sends it, `seconds` after BASE_TIME; `fields` override or add keys."""
    event_type = fields.get("event_type", "tag_insert")
    timestamp = (BASE_TIME + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")
    return {
        "timestamp": timestamp,
        "event_type": event_type,
        "tag_present": event_type == "tag_insert",
        "tag_id": "dd 54 2a 83",
        "tag_type": "Mifare Classic (4-byte)",
        "wifi_status": "Connected to WiFi-2.4-6B2E (-49 dBm)",
        "time_status": "Synced with NTP",
        "device_id": device_id,
        **fields,
    }


def post_event(http: httpx.Client, device: TestDevice, payload: Any) -> httpx.Response:
    return http.post(SINGLE_URL, json=payload, headers=device.headers)


def post_batch(http: httpx.Client, device: TestDevice, payloads: list[Any]) -> httpx.Response:
    return http.post(BATCH_URL, json=payloads, headers=device.headers)


def kept_attempts(http: httpx.Client, device: TestDevice, viewer: TestUser | None = None) -> list[dict[str, Any]]:
    """The refused requests kept for the device's owner (GET .../attempts), newest first."""
    response = http.get(f"/api/v1/devices/{device.device_id}/attempts", headers=(viewer or device.owner).headers)
    assert response.status_code == 200, response.text
    return response.json()


def stored_payloads(db: Database, owner: TestUser, device_id: str) -> list[dict[str, Any]]:
    """The raw payloads stored for a device, read as its owner (RLS applies), oldest first."""
    with db.as_user(owner.principal.db_claims) as conn:
        rows = conn.execute(
            "select payload from device_events where device_id = %s order by occurred_at, id", (device_id,)
        ).fetchall()
    return [row["payload"] for row in rows]


def stay_events(device: TestDevice, tag_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The events of a tag put on the reader at `start` and taken off at `end`."""
    return [
        device_event(device.device_id, (start - BASE_TIME).total_seconds(), tag_id=tag_id),
        device_event(device.device_id, (end - BASE_TIME).total_seconds(), tag_id=tag_id, event_type="tag_removed"),
    ]


def record_stays(
    http: httpx.Client, owner: TestUser, tag_id: str, label: str, *stays: tuple[datetime, datetime]
) -> None:
    """`owner` names `tag_id` `label`, and a reader of theirs sends each (start, end) stay of that tag."""
    http.put("/api/v1/tags", json={"labels": {tag_id: label}}, headers=owner.headers).raise_for_status()
    device = register_device(http, owner)
    events = [event for start, end in stays for event in stay_events(device, tag_id, start, end)]
    answer = post_batch(http, device, events)
    assert answer.status_code == 200, answer.text

"""Record a person's time in every source the way the real clients do, over HTTP: NFC
reader events, ActivityWatch buckets (webhook, personal API token), WakaTime heartbeats
(plugin key) and timer button presses. Instants are aware datetimes; nothing here reads
the clock, so each test decides what "now" is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from tests.utils.bearers import api_token
from tests.utils.devices import TestDevice, device_event, post_batch
from tests.utils.users import TestUser
from tests.wakatime.plugins import BULK_URL, basic, beat, new_key

AW_WEBHOOK = "/api/v1/activitywatch/webhook"
TIMER_EVENTS = "/api/v1/timer/events"


def label_tags(http: httpx.Client, owner: TestUser, labels: dict[str, str]) -> None:
    response = http.put("/api/v1/tags", json={"labels": labels}, headers=owner.headers)
    assert response.status_code == 200, response.text


def reader(http: httpx.Client, owner: TestUser, name: str = "Desk") -> TestDevice:
    """A reader registered through POST /api/v1/devices under `name` (its key is shown once)."""
    device_id = f"NFC_{owner.id.hex[:12].upper()}_{name.upper().replace(' ', '_')}"
    response = http.post("/api/v1/devices", json={"device_id": device_id, "name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return TestDevice(device_id, response.json()["device_key"], owner)


def tag_events(http: httpx.Client, device: TestDevice, *events: tuple[datetime, str, str]) -> None:
    """(instant, tag_insert | tag_removed, tag id) each, sent as one batch from `device`."""
    payloads = [
        device_event(
            device.device_id,
            timestamp=at.isoformat(),
            event_type=kind,
            tag_present=kind == "tag_insert",
            tag_id=tag,
        )
        for at, kind, tag in events
    ]
    response = post_batch(http, device, payloads)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == len(events), response.text


def not_afk(start: datetime, end: datetime, status: str = "not-afk") -> dict[str, Any]:
    return _aw_event(start, end, {"status": status})


def window(start: datetime, end: datetime, app: str, title: str = "") -> dict[str, Any]:
    return _aw_event(start, end, {"app": app, "title": title or app})


def _aw_event(start: datetime, end: datetime, data: dict[str, Any]) -> dict[str, Any]:
    return {"timestamp": start.isoformat(), "duration": (end - start).total_seconds(), "data": data}


class ActivityWatch:
    """One person's ActivityWatch, sending with a personal API token made over the API."""

    def __init__(self, http: httpx.Client, owner: TestUser, host: str = "laptop") -> None:
        self.http, self.host = http, host
        self.headers = {"Authorization": f"Bearer {api_token(http, owner, 'activitywatch')}"}

    def send(self, afk: list[dict[str, Any]], windows: list[dict[str, Any]]) -> None:
        body = [
            self._bucket("afkstatus", "aw-watcher-afk", afk),
            self._bucket("currentwindow", "aw-watcher-window", windows),
        ]
        response = self.http.post(AW_WEBHOOK, json=body, headers=self.headers)
        assert response.status_code == 200, response.text
        assert response.json()["invalid"] == 0, response.text

    def _bucket(self, bucket_type: str, client: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        bucket = {"id": f"{client}_{self.host}", "type": bucket_type, "client": client, "hostname": self.host}
        return {"bucket": bucket, "events": events}


def heartbeats(http: httpx.Client, owner: TestUser, *beats: tuple[datetime, str]) -> None:
    """(instant, project) each, sent as wakatime-cli sends a bulk with a fresh plugin key."""
    key = new_key(http, owner)
    body = [beat(at, entity=f"/src/{project}/main.py", project=project) for at, project in beats]
    response = http.post(BULK_URL, json=body, headers=basic(key))
    assert response.status_code == 201, response.text
    assert [status for _, status in response.json()["responses"]] == [201] * len(beats), response.text


def press(http: httpx.Client, owner: TestUser, *presses: tuple[datetime, str]) -> dict[str, Any]:
    """(instant, NEXT | PAUSE | UNDO | EXIT) each, as the timer widget sends them; the last answer."""
    answer: dict[str, Any] = {}
    for at, kind in presses:
        response = http.post(TIMER_EVENTS, json={"type": kind, "timestamp": at.isoformat()}, headers=owner.headers)
        assert response.status_code == 200, response.text
        answer = response.json()
    return answer

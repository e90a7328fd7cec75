"""Press the timer's buttons over the real API, at fixed instants (never "now")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

EVENTS_URL = "/api/v1/timer/events"
# A fixed Friday morning in UTC, so sessions are reproducible.
BASE_TIME = datetime(2025, 4, 11, 9, 0, tzinfo=UTC)


def at(seconds: float) -> str:
    """BASE_TIME + `seconds`, as the widget sends it."""
    return (BASE_TIME + timedelta(seconds=seconds)).isoformat()


def instant(answer: dict[str, Any], field: str) -> datetime | None:
    """A time field of an answer, as an aware datetime (however the zone is spelled)."""
    value = answer[field]
    return datetime.fromisoformat(value) if value is not None else None


def press(
    http: httpx.Client, headers: dict[str, str], kind: str, seconds: float, event_id: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"type": kind, "timestamp": at(seconds)}
    if event_id is not None:
        body["event_id"] = event_id
    return http.post(EVENTS_URL, json=body, headers=headers)


def pressed(http: httpx.Client, headers: dict[str, str], kind: str, seconds: float, **kwargs: Any) -> dict[str, Any]:
    response = press(http, headers, kind, seconds, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def run(http: httpx.Client, headers: dict[str, str], *steps: tuple[str, float]) -> dict[str, Any]:
    """(event type, seconds after BASE_TIME) each; the last answer."""
    answer: dict[str, Any] = {}
    for kind, seconds in steps:
        answer = pressed(http, headers, kind, seconds)
    return answer

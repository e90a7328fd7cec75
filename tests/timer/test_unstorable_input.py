"""POST /api/v1/timer/events: what Postgres cannot store is a 422 naming the field, not a 500.

Found while fuzzing: an event_id with a NUL character (psycopg cannot send it) and a zoned
timestamp whose UTC form is before year 1 (Python cannot convert it) both answered 500.
"""

from __future__ import annotations

import httpx
import pytest

from tests.timer.timer_client import EVENTS_URL
from tests.utils.users import TestUser


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"type": "NEXT", "timestamp": "2025-04-11T09:00:00Z", "event_id": "press\u00001"},
            "event_id",
            "Value error, must not contain NUL characters",
        ),
        (
            {"type": "NEXT", "timestamp": "0001-01-01T00:00:00+14:00"},
            "timestamp",
            "Value error, timestamp is out of range",
        ),
    ],
)
def test_an_unstorable_event_is_a_422(
    http: httpx.Client, alice: TestUser, body: dict[str, str], field: str, message: str
) -> None:
    response = http.post(EVENTS_URL, json=body, headers=alice.headers)

    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": "invalid_request",
        "message": "The request is invalid",
        "details": [{"field": field, "message": message}],
    }
    assert http.get("/api/v1/timer/sessions/recent", headers=alice.headers).json() == []

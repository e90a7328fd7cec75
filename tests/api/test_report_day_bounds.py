"""Reports refuse days at the ends of the calendar with a 422, not a 500.

Found while fuzzing: ?day=9999-12-31 (the next midnight does not exist) or 0001-01-01 (its
UTC form is year 0) raised OverflowError in the shared local-day window of every report.
"""

from __future__ import annotations

import httpx
import pytest

from tests.utils.users import TestUser

REPORTS = [
    "/api/v1/time?start=9999-12-30&end=9999-12-31",
    "/api/v1/time?start=0001-01-01&end=0001-01-02",
    "/api/v1/timer/daily?day=9999-12-31",
    "/api/v1/timer/daily?day=0001-01-01",
]


@pytest.mark.parametrize("path", REPORTS)
def test_a_day_outside_the_calendar_is_a_422(http: httpx.Client, alice: TestUser, path: str) -> None:
    response = http.get(path, headers=alice.headers)

    assert response.status_code == 422, response.text
    assert response.json() == {"error": "invalid_input", "message": "days must be between 1900-01-01 and 9998-12-31"}


def test_the_last_allowed_day_still_answers(http: httpx.Client, alice: TestUser) -> None:
    response = http.get("/api/v1/timer/daily?day=9998-12-31", headers=alice.headers)

    assert response.status_code == 200, response.text
    assert response.json()["day"] == "9998-12-31"

"""POST /api/v1/timer/events over real HTTP: the widget's state machine, its answers and errors."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from tests.timer.timer_client import BASE_TIME, EVENTS_URL, at, instant, press, pressed, run
from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.users import TestUser


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


def test_a_session_with_a_pause_an_undo_and_an_exit(http: httpx.Client, auth: dict[str, str]) -> None:
    started = pressed(http, auth, "NEXT", 0)
    assert started["session_active"] and started["current_question"] == 1 and started["total_questions"] == 0
    assert started["last_question_seconds"] is None and started["target_pace_seconds"] == 330

    pressed(http, auth, "PAUSE", 60)
    pressed(http, auth, "PAUSE", 90)  # 30 s paused
    first = pressed(http, auth, "NEXT", 200)
    assert (first["total_questions"], first["last_question_seconds"], first["last_question_time"]) == (1, 170, "02:50")
    assert first["current_question"] == 2 and first["session_id"] == started["session_id"]

    pressed(http, auth, "PAUSE", 230)
    second = pressed(http, auth, "NEXT", 260)  # closed while paused: 30 s active of 60
    assert (second["total_questions"], second["last_question_seconds"]) == (2, 30)
    assert not second["paused"]

    undone = pressed(http, auth, "UNDO", 300)
    # Question 2 is current again, paused since 230 as it was when NEXT closed it.
    assert undone["total_questions"] == 1 and undone["current_question"] == 2
    assert undone["paused"] and instant(undone, "pause_started_at") == BASE_TIME + timedelta(seconds=230)
    pressed(http, auth, "PAUSE", 320)  # resume: 90 s paused of 200
    ended = pressed(http, auth, "EXIT", 400)
    assert (ended["total_questions"], ended["last_question_seconds"], ended["last_question_time"]) == (2, 110, "01:50")
    assert not ended["session_active"] and ended["current_question"] is None


@pytest.mark.parametrize("kind", ["PAUSE", "UNDO", "EXIT"])
def test_only_next_starts_a_session(http: httpx.Client, alice: TestUser, kind: str) -> None:
    response = press(http, alice.headers, kind, 0)
    assert response.status_code == 400
    assert response.json()["error"] == "no_active_session"
    assert "NEXT" in response.json()["message"]


def test_after_exit_the_next_next_starts_a_new_session(http: httpx.Client, alice: TestUser) -> None:
    first = run(http, alice.headers, ("NEXT", 0), ("EXIT", 100))
    assert press(http, alice.headers, "PAUSE", 110).status_code == 400
    second = pressed(http, alice.headers, "NEXT", 120)
    assert second["session_id"] != first["session_id"] and second["total_questions"] == 0


def test_undo_without_a_closed_question_is_400(http: httpx.Client, alice: TestUser) -> None:
    pressed(http, alice.headers, "NEXT", 0)
    response = press(http, alice.headers, "UNDO", 10)
    assert response.status_code == 400 and response.json()["error"] == "nothing_to_undo"


def test_an_event_older_than_the_last_applied_one_is_409(http: httpx.Client, alice: TestUser) -> None:
    run(http, alice.headers, ("NEXT", 0), ("NEXT", 100))
    response = press(http, alice.headers, "NEXT", 50)
    assert response.status_code == 409
    assert "older than the last applied" in response.json()["message"]
    # Nothing changed: the next in-order event still closes question 2 from 100.
    assert pressed(http, alice.headers, "EXIT", 130)["last_question_seconds"] == 30


def test_a_retry_with_the_same_event_id_gets_the_first_answer_and_changes_nothing(
    http: httpx.Client, alice: TestUser
) -> None:
    pressed(http, alice.headers, "NEXT", 0)
    event_id = str(uuid.uuid4())
    first = pressed(http, alice.headers, "NEXT", 100, event_id=event_id)
    pressed(http, alice.headers, "NEXT", 150)
    again = pressed(http, alice.headers, "NEXT", 100, event_id=event_id)  # older, yet not a 409: a retry
    assert again["replayed"] and not first["replayed"]
    assert {**again, "replayed": False} == first
    assert pressed(http, alice.headers, "EXIT", 160)["total_questions"] == 3


def test_without_an_event_id_the_same_press_at_the_same_instant_is_a_retry(http: httpx.Client, alice: TestUser) -> None:
    """The widget's original payload has no event_id: type + instant is the press's natural key."""
    pressed(http, alice.headers, "NEXT", 0)
    first = pressed(http, alice.headers, "NEXT", 100)
    again = pressed(http, alice.headers, "NEXT", 100)
    assert again["replayed"] and again["total_questions"] == first["total_questions"] == 1
    # Another button at that instant is another press.
    assert not pressed(http, alice.headers, "PAUSE", 100)["replayed"]


def test_event_ids_are_per_person(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    event_id = str(uuid.uuid4())
    alices = pressed(http, alice.headers, "NEXT", 0, event_id=event_id)
    bobs = pressed(http, bob.headers, "NEXT", 0, event_id=event_id)
    assert not bobs["replayed"] and bobs["session_id"] != alices["session_id"]


@pytest.mark.parametrize(
    "body",
    [
        {"type": "START", "timestamp": "2025-04-11T09:00:00Z"},
        {"type": "NEXT", "timestamp": "2025-04-11T09:00:00"},  # no zone
        {"type": "NEXT"},
        {"type": "NEXT", "timestamp": "yesterday"},
        {"type": "NEXT", "timestamp": "2025-04-11T09:00:00Z", "event_id": ""},
        {"type": "NEXT", "timestamp": "2025-04-11T09:00:00Z", "event_id": "x" * 101},
    ],
)
def test_a_malformed_event_is_422_and_says_which_field(http: httpx.Client, alice: TestUser, body: dict) -> None:
    response = http.post(EVENTS_URL, json=body, headers=alice.headers)
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] in {"type", "timestamp", "event_id"}
    assert press(http, alice.headers, "PAUSE", 0).status_code == 400  # and no session was started


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer ttp_not-a-real-token"}, {"Cookie": "x=y"}])
def test_without_a_valid_bearer_it_is_401(http: httpx.Client, headers: dict[str, str]) -> None:
    response = http.post(EVENTS_URL, json={"type": "NEXT", "timestamp": at(0)}, headers=headers)
    assert response.status_code == 401


def test_a_timestamp_far_in_the_future_is_422_and_blocks_nothing(http: httpx.Client, alice: TestUser) -> None:
    response = http.post(EVENTS_URL, json={"type": "NEXT", "timestamp": "2100-01-01T00:00:00Z"}, headers=alice.headers)
    assert response.status_code == 422 and "future" in response.json()["message"]
    assert pressed(http, alice.headers, "NEXT", 0)["total_questions"] == 0


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2000-01-01T01:00:00+02:00"])
def test_a_timestamp_from_a_clock_far_behind_is_422_naming_the_field(
    http: httpx.Client, alice: TestUser, timestamp: str
) -> None:
    """A broken clock's year 1 was stored, and the Timer page then failed to show it in a zone behind UTC."""
    response = http.post(EVENTS_URL, json={"type": "NEXT", "timestamp": timestamp}, headers=alice.headers)
    assert response.status_code == 422, response.text
    [detail] = response.json()["details"]
    assert detail["field"] == "timestamp" and "before 2000-01-01" in detail["message"]
    assert http.get("/api/v1/timer/sessions/recent", headers=alice.headers).json() == []


def test_the_earliest_accepted_timestamp_starts_a_session(http: httpx.Client, alice: TestUser) -> None:
    answer = http.post(
        EVENTS_URL, json={"type": "NEXT", "timestamp": "1999-12-31T19:00:00-05:00"}, headers=alice.headers
    )
    assert answer.status_code == 200 and answer.json()["question_started_at"].startswith("2000-01-01T00:00:00")

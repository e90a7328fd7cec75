"""The read side over real HTTP: recent sessions, a session's summary, a day, deletes, the target,
and timer questions on the shared timeline ("My time")."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.timer.timer_client import pressed, run
from tests.utils.users import TestUser
from timetracker import profiles
from timetracker.runtime import Runtime

SUMMARY = "/api/v1/timer/sessions/{}/summary"
# My time's data for the day the sessions run, with each source's raw pieces.
ONE_DAY_WITH_PIECES = {"start": "2025-04-11", "end": "2025-04-11", "include": "intervals"}


def a_session(http: httpx.Client, user: TestUser, offset: float = 0) -> str:
    """Three questions of 200 s, 0 s (a ghost: two presses of NEXT at one instant, told apart by
    their event ids) and 400 s with 100 s paused."""
    run(http, user.headers, ("NEXT", offset), ("NEXT", offset + 200))
    pressed(http, user.headers, "NEXT", offset + 200, event_id=str(uuid.uuid4()))
    answer = run(http, user.headers, ("PAUSE", offset + 300), ("PAUSE", offset + 400), ("EXIT", offset + 600))
    return answer["session_id"]


def summary(http: httpx.Client, user: TestUser, session_id: str) -> dict[str, Any]:
    response = http.get(SUMMARY.format(session_id), headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_summary_leaves_out_ghosts_and_gives_pace_totals_and_averages(http: httpx.Client, alice: TestUser) -> None:
    body = summary(http, alice, a_session(http, alice))
    assert [(q["index"], q["active_seconds"], q["time"], q["over_target"]) for q in body["questions"]] == [
        (1, 200, "03:20", False),
        (3, 300, "05:00", False),
    ]
    assert body["questions"][1]["paused_seconds"] == 100 and body["questions"][0]["pace"] == round(200 / 330, 3)
    assert (body["total_questions"], body["total_active_seconds"], body["total_raw_seconds"]) == (2, 500, 600)
    assert (body["total_active_time"], body["average_seconds"], body["average_time"]) == ("00:08", 250, "04:10")
    assert body["pace_score"] == round(100 * 660 / 500, 1) and body["target_time"] == "05:30"
    assert not body["active"]


def test_the_event_answer_counts_the_questions_the_summary_shows(http: httpx.Client, alice: TestUser) -> None:
    """Both once disagreed: the answer counted the ghost and gave its 00:00 as the last time."""
    run(http, alice.headers, ("NEXT", 0), ("NEXT", 200))
    ghost = pressed(http, alice.headers, "NEXT", 200, event_id=str(uuid.uuid4()))
    assert (ghost["total_questions"], ghost["last_question_time"]) == (1, "03:20")
    assert summary(http, alice, ghost["session_id"])["total_questions"] == 1
    undone = pressed(http, alice.headers, "UNDO", 210)  # removes the ghost, the last closed question
    assert (undone["total_questions"], undone["current_question"]) == (1, 2)


def test_recent_sessions_newest_first(http: httpx.Client, alice: TestUser) -> None:
    older = a_session(http, alice)
    newer = pressed(http, alice.headers, "NEXT", 3600)["session_id"]
    response = http.get("/api/v1/timer/sessions/recent", params={"limit": 5}, headers=alice.headers)
    assert response.status_code == 200
    assert [(s["session_id"], s["active"]) for s in response.json()] == [(newer, True), (older, False)]
    assert http.get("/api/v1/timer/sessions/recent", params={"limit": 0}, headers=alice.headers).status_code == 422


def test_the_target_can_be_set_per_session(http: httpx.Client, alice: TestUser) -> None:
    session_id = a_session(http, alice)
    url = f"/api/v1/timer/sessions/{session_id}/target"
    response = http.put(url, json={"target_pace_minutes": 4}, headers=alice.headers)
    assert response.status_code == 200
    assert response.json()["target_pace_seconds"] == 240 and response.json()["questions"][1]["over_target"]
    assert summary(http, alice, session_id)["pace_score"] == round(100 * 480 / 500, 1)
    assert http.put(url, json={"target_pace_minutes": 0}, headers=alice.headers).status_code == 422
    # The next session starts with the default again.
    assert pressed(http, alice.headers, "NEXT", 5000)["target_pace_seconds"] == 330


def test_deleting_a_question_then_the_session(http: httpx.Client, alice: TestUser) -> None:
    session_id = a_session(http, alice)
    question = f"/api/v1/timer/sessions/{session_id}/questions/1"
    assert http.delete(question, headers=alice.headers).status_code == 204
    assert http.delete(question, headers=alice.headers).status_code == 404
    assert [q["index"] for q in summary(http, alice, session_id)["questions"]] == [3]
    assert http.delete(f"/api/v1/timer/sessions/{session_id}", headers=alice.headers).status_code == 204
    assert http.get(SUMMARY.format(session_id), headers=alice.headers).status_code == 404
    assert http.delete(f"/api/v1/timer/sessions/{session_id}", headers=alice.headers).status_code == 404


def test_deleting_the_active_session_lets_next_start_afresh(http: httpx.Client, alice: TestUser) -> None:
    session_id = run(http, alice.headers, ("NEXT", 0), ("NEXT", 60))["session_id"]
    assert http.delete(f"/api/v1/timer/sessions/{session_id}", headers=alice.headers).status_code == 204
    assert (
        http.post(
            "/api/v1/timer/events", json={"type": "PAUSE", "timestamp": "2025-04-11T09:02:00Z"}, headers=alice.headers
        ).status_code
        == 400
    )
    assert pressed(http, alice.headers, "NEXT", 120)["session_id"] != session_id


@pytest.mark.parametrize(
    ("timezone", "day", "hour"), [("UTC", "2025-04-11", 9), ("Pacific/Auckland", "2025-04-11", 21)]
)
def test_daily_summary_in_the_persons_timezone(
    http: httpx.Client, alice: TestUser, runtime: Runtime, timezone: str, day: str, hour: int
) -> None:
    profiles.update(runtime.db, alice.principal, timezone=timezone)
    a_session(http, alice)
    a_session(http, alice, offset=3600)
    response = http.get("/api/v1/timer/daily", params={"day": day}, headers=alice.headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["timezone"], body["total_questions"], body["total_active_seconds"]) == (timezone, 4, 1000)
    assert (body["average_time"], body["pace_score"], len(body["sessions"])) == ("04:10", 132.0, 2)
    busy = {b["hour"]: (b["questions"], b["active_seconds"]) for b in body["hours"] if b["questions"]}
    assert len(body["hours"]) == 24
    assert busy == {hour: (2, 500), hour + 1: (2, 500)}
    other_day = http.get("/api/v1/timer/daily", params={"day": "2025-04-12"}, headers=alice.headers).json()
    assert other_day["total_questions"] == 0 and other_day["pace_score"] is None


def test_weighted_daily_pace_counts_each_question(http: httpx.Client, alice: TestUser) -> None:
    one = run(http, alice.headers, ("NEXT", 0), ("EXIT", 600))["session_id"]  # 1 question, 10 min
    two = run(http, alice.headers, ("NEXT", 1000), ("NEXT", 1120), ("NEXT", 1240), ("EXIT", 1360))["session_id"]
    http.put(f"/api/v1/timer/sessions/{one}/target", json={"target_pace_minutes": 10}, headers=alice.headers)
    body = http.get("/api/v1/timer/daily", params={"day": "2025-04-11"}, headers=alice.headers).json()
    # (600 + 3 x 120) / 4 questions = 240 s; target time 600 + 3 x 330 over 960 s taken.
    assert (body["average_seconds"], body["pace_score"]) == (240, round(100 * 1590 / 960, 1))
    assert [s["session_id"] for s in body["sessions"]] == [one, two]


def test_timer_questions_are_timer_work_on_my_time(http: httpx.Client, alice: TestUser, runtime: Runtime) -> None:
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    a_session(http, alice)
    response = http.get("/api/v1/time", params=ONE_DAY_WITH_PIECES, headers=alice.headers)
    timer = [p for p in response.json()["intervals"] if p["source"] == "timer"]
    assert [(p["label"], p["start"][11:19], p["end"][11:19], p["status"]) for p in timer] == [
        ("timer work", "09:00:00", "09:03:20", "closed"),
        # Timer time is active time: question 3's pause (1:40 of its 6:40) is not work.
        ("timer work", "09:03:20", "09:08:20", "closed"),
    ]
    assert timer[1]["detail"] == "question 3 (05:00 active)"
    assert [(t["source"], t["label"], t["seconds"]) for t in response.json()["totals"]] == [
        ("timer", "timer work", 500)
    ]
    assert response.json()["tracked_seconds"] == 500


def daily_sessions(http: httpx.Client, user: TestUser, day: str) -> list[str]:
    response = http.get("/api/v1/timer/daily", params={"day": day}, headers=user.headers)
    assert response.status_code == 200, response.text
    return [s["session_id"] for s in response.json()["sessions"]]


def test_a_session_never_exited_is_on_the_days_it_was_active_only(
    http: httpx.Client, alice: TestUser, runtime: Runtime
) -> None:
    """It once counted as running forever, so an abandoned one showed on every later day."""
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    abandoned = run(http, alice.headers, ("NEXT", 0), ("NEXT", 200))["session_id"]
    assert daily_sessions(http, alice, "2025-04-11") == [abandoned]
    assert daily_sessions(http, alice, "2025-04-12") == []
    assert daily_sessions(http, alice, "2025-05-30") == []


def test_an_open_session_is_on_each_day_an_event_reached(http: httpx.Client, alice: TestUser, runtime: Runtime) -> None:
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    day = 24 * 3600
    open_session = run(http, alice.headers, ("NEXT", 0), ("PAUSE", 2 * day))["session_id"]
    assert [daily_sessions(http, alice, f"2025-04-{d}") for d in (10, 11, 12, 13, 14)] == [
        [],
        [open_session],
        [open_session],  # paused 09:00 on the 13th: it was active all through the 12th
        [open_session],
        [],
    ]


def test_a_question_over_an_hour_keeps_its_hours_on_my_time(
    http: httpx.Client, alice: TestUser, runtime: Runtime
) -> None:
    """The detail was to_char(..., 'MI:SS'), which dropped the hour: 65 minutes showed as 05:00."""
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    run(http, alice.headers, ("NEXT", 0), ("EXIT", 65 * 60 + 7), ("NEXT", 7200))
    response = http.get("/api/v1/time", params=ONE_DAY_WITH_PIECES, headers=alice.headers)
    timer = [p["detail"] for p in response.json()["intervals"] if p["source"] == "timer"]
    assert timer == ["question 1 (65:07 active)", "question 1 (in progress)"]

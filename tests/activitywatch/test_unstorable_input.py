"""Values jsonb or timestamptz cannot hold are invalid items, never a 500 that drops the batch.

Found while fuzzing the webhook: a NUL character or a lone surrogate in an event's data,
1e400 (read as Infinity), a duration of exactly 31 days (the CHECK is exclusive) or a zoned
timestamp whose UTC form is before year 1 failed the whole insert; an event ending after
year 9999 was stored and then broke every read of its owner's reports.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.activitywatch.aw_data import bucket, event
from tests.activitywatch.conftest import AwTeam, api_token_headers
from tests.utils.users import TestUser
from timetracker.runtime import Runtime

WEBHOOK = "/api/v1/activitywatch/webhook"
GOOD = '{"timestamp": "2026-03-02T09:00:00+00:00", "duration": 60, "data": {"app": "Code", "title": "ok"}}'


@pytest.mark.parametrize(
    ("bad_event", "field", "message"),
    [
        (
            '{"timestamp": "2026-03-02T09:05:00+00:00", "duration": 5, "data": {"app": "a\\u0000", "title": "t"}}',
            "data",
            "Value error, app must not contain NUL characters",
        ),
        (
            '{"timestamp": "2026-03-02T09:06:00+00:00", "duration": 5, "data": {"app": "a", "title": "t", "n": 1e400}}',
            "data",
            "Value error, n must be a finite number",
        ),
        (
            '{"timestamp": "0001-01-01T00:00:00+14:00", "duration": 5, "data": {"app": "a", "title": "t"}}',
            "timestamp",
            "Value error, timestamp is out of range",
        ),
        (  # the table's CHECK is duration < 31 days: exactly 31 days failed the whole insert
            '{"timestamp": "2026-03-02T09:07:00+00:00", "duration": 2678400, "data": {"app": "a", "title": "t"}}',
            "duration",
            "Input should be less than 2678400",
        ),
        (  # a lone surrogate: Python's json reads it, jsonb refuses it
            '{"timestamp": "2026-03-02T09:08:00+00:00", "duration": 5, "data": {"app": "a", "title": "x\\ud800"}}',
            "data",
            "Value error, title must not contain unpaired surrogates (not valid Unicode)",
        ),
        (
            '{"timestamp": "2026-03-02T09:09:00Z", "duration": 5, "data": {"app": "a", "\\udfff": 1, "title": ""}}',
            "data",
            "Value error, key '\\udfff' must not contain unpaired surrogates (not valid Unicode)",
        ),
        (  # ended in year 10000: stored, then unreadable by every report of that owner
            '{"timestamp": "9999-12-31T23:59:59", "duration": 5, "data": {"app": "a", "title": "t"}}',
            "timestamp",
            "Value error, timestamp is more than a day ahead of the server's clock",
        ),
    ],
)
def test_an_unstorable_event_is_invalid_and_the_good_one_is_stored(
    http: httpx.Client, runtime: Runtime, alice: TestUser, bad_event: str, field: str, message: str
) -> None:
    body = (
        '{"bucket": {"id": "aw-watcher-window_laptop", "type": "currentwindow", "hostname": "laptop"},'
        f' "events": [{GOOD}, {bad_event}]}}'
    )
    headers = {**api_token_headers(runtime, alice), "Content-Type": "application/json"}

    response = http.post(WEBHOOK, content=body, headers=headers)

    assert response.status_code == 207, response.text
    answer = response.json()
    assert (answer["created"], answer["invalid"]) == (1, 1)
    result = answer["buckets"][0]["results"][1]
    assert (result["index"], result["status"]) == (1, "invalid")
    [error] = result["errors"]
    assert error["field"] == field and error["message"].startswith(message)  # a clock's message ends in ours


def test_a_nul_in_the_bucket_is_refused_and_other_buckets_are_stored(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    bad = bucket("currentwindow", [event(0, 10, app="Code", title="x")], host="other")
    bad["bucket"]["hostname"] = "lap\u0000top"
    good = bucket("currentwindow", [event(0, 10, app="Code", title="x")])

    response = http.post(WEBHOOK, json=[bad, good], headers=api_token_headers(runtime, alice))

    assert response.status_code == 207, response.text
    answer = response.json()
    assert answer["created"] == 1
    assert answer["buckets"][0]["status"] == "invalid"
    assert answer["buckets"][0]["errors"] == [
        {"field": "bucket.hostname", "message": "Value error, must not contain NUL characters"}
    ]
    assert answer["buckets"][1]["status"] == "ok"


@pytest.mark.parametrize("header", [[None, None], "laptop", 7])
def test_a_bucket_that_is_not_an_object_is_an_invalid_bucket(
    http: httpx.Client, runtime: Runtime, alice: TestUser, header: object
) -> None:
    # Found by schemathesis: [{"bucket": [null, null], "events": []}] answered 500.
    good = bucket("currentwindow", [event(0, 10, app="Code", title="x")])

    response = http.post(
        WEBHOOK, json=[{"bucket": header, "events": []}, good], headers=api_token_headers(runtime, alice)
    )

    assert response.status_code == 207, response.text
    answer = response.json()
    assert answer["created"] == 1
    assert answer["buckets"][0] == {
        "id": None,
        "status": "invalid",
        "errors": [{"field": "bucket", "message": "Input should be a valid dictionary or instance of Bucket"}],
        "results": [],
    }


def test_an_event_just_under_31_days_is_stored(http: httpx.Client, runtime: Runtime, alice: TestUser) -> None:
    longest = bucket("currentwindow", [event(0, 31 * 86400 - 0.5, app="Code", title="x")])

    response = http.post(WEBHOOK, json=longest, headers=api_token_headers(runtime, alice))

    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1


@pytest.mark.parametrize("where", ["id", "hostname"])
def test_a_lone_surrogate_in_the_bucket_is_refused_and_other_buckets_are_stored(
    http: httpx.Client, runtime: Runtime, alice: TestUser, where: str
) -> None:
    bad = '{"bucket": {"id": "b", "type": "currentwindow", "hostname": "h"}, "events": []}'.replace(
        f'"{where}": "', f'"{where}": "\\ud800'
    )
    good = json.dumps(bucket("currentwindow", [event(0, 10, app="Code", title="x")]))
    headers = {**api_token_headers(runtime, alice), "Content-Type": "application/json"}

    response = http.post(WEBHOOK, content=f"[{bad}, {good}]", headers=headers)

    assert response.status_code == 207, response.text
    answer = response.json()
    assert answer["created"] == 1
    assert answer["buckets"][0]["status"] == "invalid"
    assert answer["buckets"][0]["id"] == (None if where == "id" else "b")
    # pydantic's own str check refuses it in typed fields; the id is not echoed (the answer could not be encoded).
    assert answer["buckets"][0]["errors"] == [
        {
            "field": f"bucket.{where}",
            "message": "Input should be a valid string, unable to parse raw data as a unicode string",
        }
    ]


@pytest.mark.parametrize("action", ["link", "claim"])
@pytest.mark.parametrize("dev_id", ["member_0123abcd%00", "member_0123abcd%0A", "not-an-id"])
def test_a_developer_id_that_cannot_exist_is_a_422(
    http: httpx.Client, aw_team: AwTeam, action: str, dev_id: str
) -> None:
    # A NUL in the path reached psycopg (a 500); anything not shaped like an id matches nothing anyway.
    path = f"/api/v1/activitywatch/teams/{aw_team.team_id}/developers/{dev_id}/{action}"
    if action == "link":
        response = http.put(path, json={"user_id": None}, headers=aw_team.owner.headers)
    else:
        response = http.post(path, headers=aw_team.member.headers)

    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": "invalid_input",
        "message": "not a developer id: expected <name>_<8 hex characters>, e.g. john_doe_1a2b3c4d",
    }

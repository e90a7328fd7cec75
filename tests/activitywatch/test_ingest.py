"""The webhook over real HTTP: every bucket type, per-item results, heartbeat merging, auth."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.activitywatch.aw_data import BASE, BUCKET_TYPES, bucket, event, standard_bucket
from tests.activitywatch.conftest import AwTeam, api_token_headers
from tests.utils.users import TestUser
from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.activitywatch.ingest import CHUNK_ROWS
from timetracker.runtime import Runtime

WEBHOOK = "/api/v1/activitywatch/webhook"


def stored(runtime: Runtime, user: TestUser, where: str = "true", params: Any = ()) -> list[dict[str, Any]]:
    with runtime.db.as_user(user.principal.db_claims) as conn:
        return conn.execute(f"select * from aw_events where {where} order by started_at, bucket_id", params).fetchall()


def test_every_standard_bucket_type_is_stored_with_typed_columns(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    body = [standard_bucket(kind) for kind in BUCKET_TYPES] + [bucket("os.hid.input", [event(0, 5, presses=3)])]
    response = http.post(WEBHOOK, json=body, headers=api_token_headers(runtime, alice))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["created"] == 5 and answer["invalid"] == 0
    rows = {row["bucket_type"]: row for row in stored(runtime, alice)}
    assert set(rows) == {*BUCKET_TYPES, "os.hid.input"}
    assert all(row["owner_id"] == alice.id and row["team_id"] is None for row in rows.values())
    assert (rows["currentwindow"]["app"], rows["currentwindow"]["title"]) == ("Code", "main.py - timetracker")
    assert rows["afkstatus"]["afk_status"] == "not-afk"
    assert rows["web.tab.current"]["domain"] == "github.com"
    assert (rows["app.editor.activity"]["project"], rows["app.editor.activity"]["language"]) == ("/src", "python")
    assert rows["os.hid.input"]["data"] == {"presses": 3}
    assert rows["currentwindow"]["host"] == "laptop" and rows["currentwindow"]["duration"] == 60.0


def test_bad_items_are_reported_and_never_drop_the_good_ones(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    good = event(0, 10, app="Code", title="x")
    no_timestamp = {"duration": 5, "data": {"app": "Code", "title": "y"}}
    numeric_timestamp = {"timestamp": 1700000000, "duration": 5, "data": {"app": "a", "title": "b"}}
    negative = event(20, -1, app="Code", title="z")
    body = [
        bucket("currentwindow", [good, no_timestamp, numeric_timestamp, negative, event(30, 1, app="Code")]),
        bucket("afkstatus", [event(0, 10, status="sleeping"), event(40, 10, status="afk")]),
        {"bucket": {"id": "no-host", "type": "currentwindow"}, "events": [good]},
        "not an object",
    ]
    response = http.post(WEBHOOK, json=body, headers=api_token_headers(runtime, alice))
    assert response.status_code == 207, response.text  # some refused, the others stored
    answer = response.json()
    # 4 window events + 1 afk event, the headerless bucket's one event, and the junk bucket.
    assert answer["created"] == 2 and answer["invalid"] == 7
    window, afk, no_host, junk = answer["buckets"]
    assert [r["status"] for r in window["results"]] == ["created", "invalid", "invalid", "invalid", "invalid"]
    assert any(e["field"] == "timestamp" for e in window["results"][1]["errors"])
    assert any("title" in e["field"] for e in window["results"][4]["errors"])
    assert [r["status"] for r in afk["results"]] == ["invalid", "created"]
    assert no_host["status"] == "invalid" and no_host["id"] == "no-host"
    assert junk["status"] == "invalid"
    assert len(stored(runtime, alice)) == 2


def test_a_refused_bucket_counts_its_events_and_the_status_says_how_much_was_refused(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    headers = api_token_headers(runtime, alice)
    headerless = {"bucket": {"id": "no-host", "type": "afkstatus"}, "events": [event(0, 5, status="afk")] * 3}
    no_events = {"bucket": {"id": "no-events", "type": "afkstatus", "hostname": "laptop"}, "events": "none"}

    alone = http.post(WEBHOOK, json=headerless, headers=headers)
    assert alone.status_code == 422, alone.text  # every item refused
    assert {k: alone.json()[k] for k in ("created", "updated", "duplicate", "invalid")} == {
        "created": 0,
        "updated": 0,
        "duplicate": 0,
        "invalid": 3,
    }
    assert alone.json()["buckets"][0]["status"] == "invalid"

    unreadable = http.post(WEBHOOK, json=[no_events], headers=headers)
    assert (unreadable.status_code, unreadable.json()["invalid"]) == (422, 1)  # the bucket itself counts

    mixed = http.post(WEBHOOK, json=[headerless, standard_bucket("afkstatus")], headers=headers)
    assert (mixed.status_code, mixed.json()["created"], mixed.json()["invalid"]) == (207, 1, 3)

    again = http.post(WEBHOOK, json=standard_bucket("afkstatus"), headers=headers)
    assert (again.status_code, again.json()["duplicate"], again.json()["invalid"]) == (200, 1, 0)
    assert http.post(WEBHOOK, json=[], headers=headers).status_code == 200  # nothing sent, nothing refused
    assert len(stored(runtime, alice)) == 1


@pytest.mark.parametrize(
    ("timestamp", "why"),
    [
        ("1970-01-01T00:00:00Z", "before 2000-01-01"),
        ("0001-01-01T00:00:00", "before 2000-01-01"),  # no zone: UTC
        ("1999-12-31T23:59:59+00:00", "before 2000-01-01"),
        ("2100-01-01T00:00:00Z", "more than a day ahead"),
        ("9999-12-31T00:00:00", "more than a day ahead"),
    ],
)
def test_a_clock_not_set_or_far_ahead_is_an_invalid_event_and_the_rest_is_stored(
    http: httpx.Client, runtime: Runtime, alice: TestUser, timestamp: str, why: str
) -> None:
    """An event dated 2100 became the team summary's "last seen"; one dated 1970 covered decades."""
    wrong = {"timestamp": timestamp, "duration": 5, "data": {"status": "afk"}}
    ahead = datetime.now(UTC) + timedelta(hours=3)  # a clock a little ahead is believed
    hours_ahead = {"timestamp": ahead.isoformat(), "data": {"status": "afk"}}
    body = bucket("afkstatus", [event(0, 5, status="afk"), wrong, hours_ahead])
    response = http.post(WEBHOOK, json=body, headers=api_token_headers(runtime, alice))
    assert response.status_code == 207, response.text
    results = response.json()["buckets"][0]["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    [error] = results[1]["errors"]
    assert error["field"] == "timestamp" and why in error["message"]
    assert [row["started_at"].year for row in stored(runtime, alice)] == [2026, ahead.year]

    alone = http.post(WEBHOOK, json=bucket("afkstatus", [wrong]), headers=api_token_headers(runtime, alice))
    assert (alone.status_code, alone.json()["invalid"]) == (422, 1)


def test_naive_timestamps_are_utc_and_event_ids_are_ignored(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    headers = api_token_headers(runtime, alice)
    naive = {"id": 17, "timestamp": "2026-03-02T09:00:00", "duration": 5, "data": {"status": "afk"}}
    same_instant = {"id": 99, "timestamp": "2026-03-02T10:00:00+01:00", "duration": 5, "data": {"status": "afk"}}
    first = http.post(WEBHOOK, json=bucket("afkstatus", [naive]), headers=headers).json()
    second = http.post(WEBHOOK, json=bucket("afkstatus", [same_instant]), headers=headers).json()
    assert first["created"] == 1 and second["duplicate"] == 1
    [row] = stored(runtime, alice)
    assert row["started_at"] == BASE
    assert "id" not in row["data"] and row["id"] not in (17, 99)


def test_a_growing_heartbeat_updates_its_row_instead_of_duplicating(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    headers = api_token_headers(runtime, alice)

    def send(duration: float, title: str = "a") -> str:
        body = bucket("currentwindow", [event(0, duration, app="Code", title=title)])
        [result] = http.post(WEBHOOK, json=body, headers=headers).json()["buckets"][0]["results"]
        return result["status"]

    assert send(5) == "created"
    assert send(5) == "duplicate"
    assert send(65) == "updated"
    assert send(30) == "duplicate"  # an older, shorter copy never shrinks the stored event
    assert send(65, title="b") == "updated"
    [row] = stored(runtime, alice)
    assert (row["duration"], row["title"]) == (65.0, "b")


def test_repeats_inside_one_batch_keep_the_longest(http: httpx.Client, runtime: Runtime, alice: TestUser) -> None:
    body = bucket(
        "afkstatus", [event(0, 5, status="not-afk"), event(0, 50, status="not-afk"), event(0, 9, status="not-afk")]
    )
    answer = http.post(WEBHOOK, json=body, headers=api_token_headers(runtime, alice)).json()
    assert [r["status"] for r in answer["buckets"][0]["results"]] == ["duplicate", "created", "duplicate"]
    [row] = stored(runtime, alice)
    assert row["duration"] == 50.0


def windows(offsets: range) -> list[dict[str, Any]]:
    return [event(10 * i, 5, app="Code", title=f"file {i}") for i in offsets]


@pytest.mark.parametrize("sender", ["own token", "developer token"])
def test_a_batch_of_several_statements_is_answered_item_by_item_in_order(
    http: httpx.Client, runtime: Runtime, aw_team: AwTeam, sender: str
) -> None:
    headers = api_token_headers(runtime, aw_team.member) if sender == "own token" else aw_team.developer_headers
    size = 2 * CHUNK_ROWS + 50
    earlier = CHUNK_ROWS + 10  # stored before; in the second statement's rows
    assert (
        http.post(WEBHOOK, json=bucket("currentwindow", windows(range(earlier, earlier + 1))), headers=headers).json()[
            "created"
        ]
        == 1
    )
    events = windows(range(size))
    events.insert(7, {"duration": 5, "data": {"app": "Code", "title": "no timestamp"}})  # shifts every row after it

    answer = http.post(WEBHOOK, json=bucket("currentwindow", events), headers=headers)

    assert answer.status_code == 207, answer.text
    statuses = [r["status"] for r in answer.json()["buckets"][0]["results"]]
    expected = ["created"] * size
    expected[earlier] = "duplicate"
    expected.insert(7, "invalid")
    assert statuses == expected
    owner = aw_team.member if sender == "own token" else aw_team.owner
    where = "owner_id is not null" if sender == "own token" else "team_id is not null"
    assert sorted(row["title"] for row in stored(runtime, owner, where)) == sorted(f"file {i}" for i in range(size))


def test_a_repeat_in_a_later_statement_collapses_with_the_first_as_in_one(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    headers = api_token_headers(runtime, alice)
    first = http.post(WEBHOOK, json=bucket("currentwindow", [event(0, 10, app="Code", title="X")]), headers=headers)
    assert first.json()["created"] == 1
    # The same event twice, one statement apart: collapsed to the longer first, which replaces
    # the stored one (its data changed). Written in turn, the shorter would have been last.
    events = [event(0, 5, app="Code", title="Y"), *windows(range(1, CHUNK_ROWS + 20))]
    events.append(event(0, 3, app="Code", title="X"))

    answer = http.post(WEBHOOK, json=bucket("currentwindow", events), headers=headers).json()

    statuses = [r["status"] for r in answer["buckets"][0]["results"]]
    assert statuses == ["updated", *["created"] * (CHUNK_ROWS + 19), "duplicate"]
    [row] = stored(runtime, alice, "started_at = %s", (BASE,))
    assert (row["duration"], row["title"]) == (5.0, "Y")
    assert len(stored(runtime, alice)) == CHUNK_ROWS + 20


def test_same_timestamp_on_another_host_or_bucket_is_another_event(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    body = [bucket("afkstatus", [event(0, 5, status="afk")], host=h) for h in ("laptop", "desktop")]
    body.append(bucket("currentwindow", [event(0, 5, app="a", title="b")]))
    assert http.post(WEBHOOK, json=body, headers=api_token_headers(runtime, alice)).json()["created"] == 3


def test_developer_token_rows_belong_to_the_team(http: httpx.Client, runtime: Runtime, aw_team: AwTeam) -> None:
    body = [standard_bucket("afkstatus"), standard_bucket("currentwindow")]
    answer = http.post(WEBHOOK, json=body, headers=aw_team.developer_headers).json()
    assert answer["created"] == 2
    rows = stored(runtime, aw_team.owner, "team_id = %s", (aw_team.team_id,))
    assert len(rows) == 2
    assert all(r["owner_id"] is None and r["developer_id"] == aw_team.developer_id for r in rows)
    assert http.post(WEBHOOK, json=body, headers=aw_team.developer_headers).json()["duplicate"] == 2
    with runtime.db.as_user(aw_team.owner.principal.db_claims) as conn:
        dev = conn.execute("select * from developers where team_id = %s", (aw_team.team_id,)).fetchone()
    assert dev["developer_id"] == aw_team.developer_id and dev["user_id"] is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda h: {},
        lambda h: {"Authorization": h["Authorization"]},  # developer token without Developer-ID
        lambda h: {**h, "Developer-ID": "someone_else_0123abcd"},
        lambda h: {**h, "Authorization": h["Authorization"][:-2] + "xx"},
        lambda h: {**h, "Authorization": "Basic abc"},
        lambda h: {**h, "Authorization": "Bearer ttp_not-a-real-token"},
        lambda h: {**h, "Authorization": "Bearer not.a.jwt"},
    ],
)
def test_bad_credentials_are_401_and_store_nothing(http: httpx.Client, aw_team: AwTeam, mangle: Any) -> None:
    response = http.post(WEBHOOK, json=standard_bucket("afkstatus"), headers=mangle(aw_team.developer_headers))
    assert response.status_code == 401
    assert response.json()["error"]
    assert aw_team.token not in response.text


def test_more_events_than_the_cap_is_413(http: httpx.Client, runtime: Runtime, alice: TestUser) -> None:
    cap = runtime.settings.activitywatch_max_batch_items
    events = [event(i, 1, status="afk") for i in range(cap + 1)]
    response = http.post(WEBHOOK, json=bucket("afkstatus", events), headers=api_token_headers(runtime, alice))
    assert response.status_code == 413 and response.json()["error"] == "too_many_items"
    assert stored(runtime, alice) == []
    ok = http.post(WEBHOOK, json=bucket("afkstatus", events[:cap]), headers=api_token_headers(runtime, alice))
    assert ok.json()["created"] == cap


def test_a_body_that_is_not_a_bucket_is_422(http: httpx.Client, runtime: Runtime, alice: TestUser) -> None:
    response = http.post(
        WEBHOOK, content=b'"text"', headers={**api_token_headers(runtime, alice), "Content-Type": "application/json"}
    )
    assert response.status_code == 422


def test_a_valid_token_for_a_team_that_does_not_exist_is_403(http: httpx.Client, runtime: Runtime) -> None:
    ghost_team = uuid.uuid4()
    dev_id = "ghost_dev_0123abcd"
    token = TokenKeys.from_settings(runtime.settings).issue(ghost_team, dev_id)
    headers = {"Developer-ID": dev_id, "Authorization": f"Bearer {token}"}
    response = http.post(WEBHOOK, json=standard_bucket("afkstatus"), headers=headers)
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    # Refused whole however many statements the batch takes.
    response = http.post(WEBHOOK, json=bucket("currentwindow", windows(range(2 * CHUNK_ROWS + 1))), headers=headers)
    assert response.status_code == 403 and response.json()["error"] == "forbidden"

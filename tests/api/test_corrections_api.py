"""/api/v1/entries, /api/v1/exclusions and /api/v1/edits: a person corrects their own time
(time added by hand, stretches marked as not work), over real HTTP with real accounts, and
GET /api/v1/time and the team's time follow each correction to the second.

The recorded day (UTC, DAY three days back so nothing is in the future or still running):

    NFC            Office 09:00-12:00
    ActivityWatch  not-afk 11:00-13:00, Code in front
    tracked        09:00-13:00 = 4 h; segments Office 09:00-11:00, Code 11:00-13:00
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.utils import recorded_time as rec
from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker.reports.sources import DEFAULT_PRECEDENCE
from timetracker.runtime import Runtime

DAY = datetime.now(UTC).date() - timedelta(days=3)
OFFICE = "04 a2 19 7f"
SOURCES = tuple(DEFAULT_PRECEDENCE)
PATHS = {"entry": "/api/v1/entries", "exclusion": "/api/v1/exclusions"}
EDITS = "/api/v1/edits"
HOUR = 3600


def at(hhmm: str, day: date = DAY) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours, minutes=minutes)


def iso(hhmm: str, day: date = DAY) -> str:
    return at(hhmm, day).isoformat()


def days(first: date = DAY, last: date = DAY) -> dict[str, str]:
    return {"start": first.isoformat(), "end": last.isoformat()}


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


def add(http: httpx.Client, headers: dict[str, str], kind: str, start: str, end: str, **fields: str) -> dict[str, Any]:
    body = {"start": start, "end": end, **fields}
    if kind == "entry":
        body.setdefault("label", "Paper review")
    else:
        body.setdefault("reason", "not work")
    response = http.post(PATHS[kind], json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def listed(http: httpx.Client, headers: dict[str, str], kind: str, **params: str) -> list[dict[str, Any]]:
    response = http.get(PATHS[kind], params=params or days(), headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def change(http: httpx.Client, headers: dict[str, str], kind: str, item: str, **fields: str) -> dict[str, Any]:
    response = http.patch(f"{PATHS[kind]}/{item}", json=fields, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def remove(http: httpx.Client, headers: dict[str, str], kind: str, item: str) -> None:
    response = http.delete(f"{PATHS[kind]}/{item}", headers=headers)
    assert (response.status_code, response.content) == (204, b""), response.text


def edits(http: httpx.Client, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
    response = http.get(EDITS, params=params or days(), headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


# -- credentials -------------------------------------------------------------------------------


# -- create, list, change, delete ----------------------------------------------------------------


def test_an_entry_is_added_listed_changed_and_deleted(
    http: httpx.Client, auth: dict[str, str], alice: TestUser
) -> None:
    created = add(http, auth, "entry", iso("14:00"), iso("15:00"), label=" Paper review ", note=" read §3 ")
    assert set(created) == {"id", "start", "end", "label", "project_id", "note", "created_at", "updated_at"}
    assert created["project_id"] is None
    assert (instant(created["start"]), instant(created["end"])) == (at("14:00"), at("15:00"))
    assert (created["label"], created["note"]) == ("Paper review", "read §3")  # trimmed
    assert created["created_at"] == created["updated_at"]
    assert listed(http, auth, "entry") == [created]

    # Each field on its own; what is not sent stays as it is.
    moved = change(http, auth, "entry", created["id"], end=iso("15:30"))
    assert (instant(moved["start"]), instant(moved["end"])) == (at("14:00"), at("15:30"))
    assert (moved["label"], moved["note"], moved["created_at"]) == ("Paper review", "read §3", created["created_at"])
    assert instant(moved["updated_at"]) > instant(created["updated_at"])
    relabelled = change(http, auth, "entry", created["id"], label="Review")
    assert (relabelled["label"], relabelled["start"], relabelled["end"]) == ("Review", moved["start"], moved["end"])
    renoted = change(http, auth, "entry", created["id"], note="")
    assert (renoted["note"], renoted["label"]) == ("", "Review")
    started_earlier = change(http, auth, "entry", created["id"], start=iso("13:30"))
    assert (instant(started_earlier["start"]), instant(started_earlier["end"])) == (at("13:30"), at("15:30"))
    assert listed(http, auth, "entry") == [started_earlier]

    remove(http, auth, "entry", created["id"])
    assert listed(http, auth, "entry") == []
    for response in (
        http.patch(f"{PATHS['entry']}/{created['id']}", json={"label": "x"}, headers=auth),
        http.delete(f"{PATHS['entry']}/{created['id']}", headers=auth),
    ):
        assert response.status_code == 404, response.text
        assert response.json() == {"error": "not_found", "message": "no such entry of yours"}
    # Whichever credential made them, the trail names the person.
    trail = edits(http, auth)
    assert [e["action"] for e in trail] == ["create", "update", "update", "update", "update", "delete"]
    assert {e["actor_id"] for e in trail} == {str(alice.id)}


def test_an_exclusion_is_added_listed_changed_and_deleted(http: httpx.Client, auth: dict[str, str]) -> None:
    created = add(http, auth, "exclusion", iso("12:00"), iso("12:45"), reason=" lunch, laptop left on ")
    assert set(created) == {"id", "start", "end", "reason", "created_at", "updated_at"}
    assert (instant(created["start"]), instant(created["end"]), created["reason"]) == (
        at("12:00"),
        at("12:45"),
        "lunch, laptop left on",
    )
    assert listed(http, auth, "exclusion") == [created]
    assert listed(http, auth, "entry") == []  # an exclusion is not an entry

    longer = change(http, auth, "exclusion", created["id"], end=iso("13:00"))
    assert (instant(longer["start"]), instant(longer["end"]), longer["reason"]) == (
        at("12:00"),
        at("13:00"),
        "lunch, laptop left on",
    )
    reasoned = change(http, auth, "exclusion", created["id"], reason="lunch")
    assert (reasoned["reason"], reasoned["start"], reasoned["end"]) == ("lunch", longer["start"], longer["end"])
    assert listed(http, auth, "exclusion") == [reasoned]

    remove(http, auth, "exclusion", created["id"])
    assert listed(http, auth, "exclusion") == []
    response = http.delete(f"{PATHS['exclusion']}/{created['id']}", headers=auth)
    assert response.status_code == 404 and response.json()["error"] == "not_found", response.text


def test_the_longest_earliest_and_latest_allowed_are_accepted(http: httpx.Client, alice: TestUser) -> None:
    day = add(http, alice.headers, "entry", iso("00:00"), iso("00:00", DAY + timedelta(days=1)))
    month = add(http, alice.headers, "exclusion", iso("00:00", DAY - timedelta(days=31)), iso("00:00"))
    first = add(http, alice.headers, "entry", "2000-01-01T00:00:00Z", "2000-01-01T01:00:00Z")
    soon = datetime.now(UTC) + timedelta(hours=23)
    ahead = add(http, alice.headers, "entry", (soon - timedelta(hours=1)).isoformat(), soon.isoformat())
    assert instant(day["end"]) - instant(day["start"]) == timedelta(hours=24)
    assert instant(month["end"]) - instant(month["start"]) == timedelta(days=31)
    assert instant(first["start"]) == datetime(2000, 1, 1, tzinfo=UTC)
    assert instant(ahead["end"]) == soon
    # Just past a day ahead (now is read here, not when the tests were collected).
    later = datetime.now(UTC) + timedelta(days=1, minutes=2)
    body = {"start": (later - timedelta(hours=1)).isoformat(), "end": later.isoformat(), "reason": "away"}
    response = http.post(PATHS["exclusion"], json=body, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.json()["message"] == "end must not be more than a day in the future"


def test_a_time_with_an_offset_is_the_instant_it_names(http: httpx.Client, alice: TestUser) -> None:
    created = add(http, alice.headers, "entry", f"{DAY}T11:00:00+02:00", f"{DAY}T07:30:00-03:00")
    assert (instant(created["start"]), instant(created["end"])) == (at("09:00"), at("10:30"))
    assert listed(http, alice.headers, "entry") == [created]


def test_lists_go_by_the_persons_local_days(http: httpx.Client, alice: TestUser) -> None:
    """In Kathmandu (UTC+5:45) DAY ends at 18:15 UTC: an entry 18:00-18:30 UTC is on DAY and the
    day after, one ending at 18:15 on DAY alone, one starting there on the day after alone."""
    response = http.put("/api/v1/profile", json={"timezone": "Asia/Kathmandu"}, headers=alice.headers)
    assert response.status_code == 200, response.text
    after, before = DAY + timedelta(days=1), DAY - timedelta(days=1)
    across = add(http, alice.headers, "entry", iso("18:00"), iso("18:30"), label="across")
    ending = add(http, alice.headers, "entry", iso("17:15"), iso("18:15"), label="ending")
    starting = add(http, alice.headers, "entry", iso("18:15"), iso("19:00"), label="starting")
    # Local midnight starting the day before `before`, to the one ending DAY.
    holiday = add(http, alice.headers, "exclusion", iso("18:15", before - timedelta(days=2)), iso("18:15"))

    def labels(first: date, last: date) -> list[str]:
        return [entry["label"] for entry in listed(http, alice.headers, "entry", **days(first, last))]

    assert labels(DAY, DAY) == ["ending", "across"]
    assert labels(after, after) == ["across", "starting"]
    assert labels(before, before) == []
    assert labels(DAY, after) == ["ending", "across", "starting"]  # oldest first, each once
    assert [e["id"] for e in listed(http, alice.headers, "entry", **days(DAY, after))] == [
        ending["id"],
        across["id"],
        starting["id"],
    ]
    for day in (before - timedelta(days=1), before, DAY):
        assert listed(http, alice.headers, "exclusion", **days(day, day)) == [holiday]
    for day in (before - timedelta(days=2), after):
        assert listed(http, alice.headers, "exclusion", **days(day, day)) == []


# -- refusals ----------------------------------------------------------------------------------


def test_an_unknown_id_is_404_with_a_json_error(http: httpx.Client, auth: dict[str, str]) -> None:
    entry = add(http, auth, "entry", iso("09:00"), iso("10:00"))
    exclusion = add(http, auth, "exclusion", iso("09:00"), iso("10:00"))
    unknown = str(uuid4())
    for kind, item in [
        ("entry", unknown),
        ("exclusion", unknown),
        ("exclusion", entry["id"]),
        ("entry", exclusion["id"]),
    ]:
        for response in (
            http.patch(f"{PATHS[kind]}/{item}", json={"end": iso("11:00")}, headers=auth),
            http.delete(f"{PATHS[kind]}/{item}", headers=auth),
        ):
            assert response.status_code == 404, response.text
            assert response.headers["content-type"].startswith("application/json")
            assert response.json() == {"error": "not_found", "message": f"no such {kind} of yours"}
    assert listed(http, auth, "entry") == [entry] and listed(http, auth, "exclusion") == [exclusion]


# Far ahead whenever the tests run (the boundary itself is checked with the clock, below).
FAR_AHEAD = "2100-01-01T00:00:00Z"

# (kind, body, the message): checked in the database layer, a 422 with one message.
REFUSED = [
    ("entry", {"start": iso("10:00"), "end": iso("10:00")}, "end must be after start"),
    ("entry", {"start": iso("10:00"), "end": iso("09:59")}, "end must be after start"),
    ("exclusion", {"start": iso("10:00"), "end": iso("09:00")}, "end must be after start"),
    (
        "entry",
        {"start": iso("09:00"), "end": (at("09:00") + timedelta(hours=24, seconds=1)).isoformat()},
        "an entry may be at most 24 hours long",
    ),
    (
        "exclusion",
        {"start": iso("09:00", DAY - timedelta(days=31)), "end": (at("09:00") + timedelta(seconds=1)).isoformat()},
        "an exclusion may be at most 31 days long",
    ),
    ("entry", {"start": "1999-12-31T23:59:59Z", "end": "2000-01-01T01:00:00Z"}, "start must not be before 2000-01-01"),
    (
        "exclusion",
        {"start": "2000-01-01T01:00:00+02:00", "end": "2000-01-01T03:00:00Z"},  # 1999-12-31 23:00 UTC
        "start must not be before 2000-01-01",
    ),
    ("entry", {"start": "2099-12-31T23:00:00Z", "end": FAR_AHEAD}, "end must not be more than a day in the future"),
    ("exclusion", {"start": "2099-12-31T00:00:00Z", "end": FAR_AHEAD}, "end must not be more than a day in the future"),
    ("exclusion", {"reason": " \t "}, "reason must not be empty"),  # blank once trimmed
]
# (kind, body, the field the details name, a piece of its message): refused by the schema.
INVALID = [
    ("entry", {"start": "2025-04-11T09:00:00"}, "start", "timezone"),
    ("entry", {"end": "2025-04-11T10:00:00"}, "end", "timezone"),
    ("exclusion", {"start": "2025-04-11T09:00:00"}, "start", "timezone"),
    ("entry", {"start": "tomorrow"}, "start", "datetime"),
    ("entry", {"label": ""}, "label", "at least 1 character"),
    ("entry", {"label": "   "}, "label", "at least 1 character"),
    ("entry", {"label": None}, "label", "string"),
    ("entry", {"label": "x" * 101}, "label", "at most 100 characters"),
    ("entry", {"label": "Pa\x00per"}, "label", "NUL"),
    ("entry", {"note": "in\x00side"}, "note", "NUL"),
    ("entry", {"note": "n" * 1001}, "note", "at most 1000 characters"),
    ("exclusion", {"reason": ""}, "reason", "at least 1 character"),
    ("exclusion", {"reason": "lun\x00ch"}, "reason", "NUL"),
]


def body_for(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    base = {"start": iso("09:00"), "end": iso("10:00"), **({"label": "L"} if kind == "entry" else {"reason": "R"})}
    return {**base, **changes}


@pytest.mark.parametrize(("kind", "changes", "message"), REFUSED, ids=repr)
def test_a_stretch_out_of_bounds_is_422_with_one_clear_message(
    http: httpx.Client, alice: TestUser, kind: str, changes: dict[str, Any], message: str
) -> None:
    response = http.post(PATHS[kind], json=body_for(kind, changes), headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.json() == {"error": "invalid_input", "message": message}
    assert listed(http, alice.headers, kind, **days(DAY - timedelta(days=40), DAY + timedelta(days=2))) == []
    assert edits(http, alice.headers) == []


@pytest.mark.parametrize(("kind", "changes", "field", "message"), INVALID, ids=repr)
def test_malformed_input_is_422_naming_the_field(
    http: httpx.Client, alice: TestUser, kind: str, changes: dict[str, Any], field: str, message: str
) -> None:
    response = http.post(PATHS[kind], json=body_for(kind, changes), headers=alice.headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_request" and body["message"]
    assert [detail["field"] for detail in body["details"]] == [field]
    assert message in body["details"][0]["message"], body
    assert listed(http, alice.headers, kind) == []


@pytest.mark.parametrize(
    ("kind", "raw", "field"),
    [
        ("entry", '"label": "Pa\\ud800per"', "label"),
        ("entry", '"label": "L", "note": "\\udfff"', "note"),
        ("exclusion", '"reason": "lunch \\ud83d"', "reason"),
    ],
)
def test_a_lone_surrogate_is_422(http: httpx.Client, alice: TestUser, kind: str, raw: str, field: str) -> None:
    # As JSON text with escapes: httpx's json= writes UTF-8, which cannot hold a lone surrogate.
    content = f'{{"start": "{iso("09:00")}", "end": "{iso("10:00")}", {raw}}}'
    response = http.post(PATHS[kind], content=content, headers={**alice.headers, "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert [d["field"] for d in response.json()["details"]] == [field]
    message = response.json()["details"][0]["message"].lower()
    assert "surrogate" in message or "unicode" in message, message
    assert listed(http, alice.headers, kind) == []


def test_a_change_is_checked_like_a_new_one_and_a_refused_one_changes_nothing(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    entry = add(http, auth, "entry", iso("09:00"), iso("10:00"), note="kept")
    exclusion = add(http, auth, "exclusion", iso("12:00"), iso("13:00"), reason="lunch")
    refused = [
        ("entry", {"end": iso("09:00")}, "end must be after start"),
        ("entry", {"start": iso("10:30")}, "end must be after start"),  # after the end it keeps
        (
            "entry",
            {"end": (at("09:00") + timedelta(hours=24, minutes=1)).isoformat()},
            "an entry may be at most 24 hours long",
        ),
        ("entry", {"start": "1999-12-31T12:00:00Z"}, "start must not be before 2000-01-01"),
        ("entry", {"label": "  "}, None),
        ("entry", {"note": "a\x00b"}, None),
        ("entry", {"start": "2025-04-11T09:00:00"}, None),
        ("exclusion", {"start": iso("12:00", DAY - timedelta(days=32))}, "an exclusion may be at most 31 days long"),
        ("exclusion", {"end": FAR_AHEAD}, "end must not be more than a day in the future"),
        ("exclusion", {"reason": ""}, None),
        ("exclusion", {"reason": " \t "}, "reason must not be empty"),
    ]
    trail = edits(http, auth)
    for kind, changes, message in refused:
        item = entry if kind == "entry" else exclusion
        response = http.patch(f"{PATHS[kind]}/{item['id']}", json=changes, headers=auth)
        assert response.status_code == 422, (changes, response.text)
        if message:
            assert response.json() == {"error": "invalid_input", "message": message}
        else:
            assert response.json()["details"], response.text
    assert listed(http, auth, "entry") == [entry]
    assert listed(http, auth, "exclusion") == [exclusion]
    assert edits(http, auth) == trail  # nothing refused reached the trail


@pytest.mark.parametrize("kind", ["entry", "exclusion"])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_an_id_that_is_not_a_uuid_is_422(http: httpx.Client, alice: TestUser, kind: str, method: str) -> None:
    response = http.request(method, f"{PATHS[kind]}/not-a-uuid", json={"end": iso("10:00")}, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert [d["field"] for d in response.json()["details"]] == [f"{kind}_id"]


# -- other people ------------------------------------------------------------------------------


def test_nobody_else_changes_or_deletes_yours_not_even_your_team_admin(
    http: httpx.Client, runtime: Runtime, user_factory: Callable[..., TestUser]
) -> None:
    owner, admin, member, outsider = (user_factory(n) for n in ("owner", "admin", "member", "outsider"))
    team_of(runtime.db, owner, "Crew", (admin, "admin"), (member, "member"))
    entry = add(http, member.headers, "entry", iso("09:00"), iso("10:00"), note="mine")
    exclusion = add(http, member.headers, "exclusion", iso("12:00"), iso("13:00"), reason="lunch")
    for other in (outsider, owner, admin):
        for kind in BEARER_KINDS:
            headers = bearer_headers(http, other, kind)
            for which, item in (("entry", entry), ("exclusion", exclusion)):
                patched = http.patch(f"{PATHS[which]}/{item['id']}", json={"end": iso("11:00")}, headers=headers)
                deleted = http.delete(f"{PATHS[which]}/{item['id']}", headers=headers)
                for response in (patched, deleted):
                    assert response.status_code == 404, response.text
                    assert response.json() == {"error": "not_found", "message": f"no such {which} of yours"}
    assert listed(http, member.headers, "entry") == [entry]
    assert listed(http, member.headers, "exclusion") == [exclusion]
    assert [(e["kind"], e["action"]) for e in edits(http, member.headers)] == [
        ("entry", "create"),
        ("exclusion", "create"),
    ]


def test_only_those_who_run_your_team_list_your_corrections(
    http: httpx.Client, runtime: Runtime, user_factory: Callable[..., TestUser]
) -> None:
    owner, admin, member, teammate, outsider = (
        user_factory(n) for n in ("owner", "admin", "member", "teammate", "outsider")
    )
    team_of(runtime.db, owner, "Crew", (admin, "admin"), (member, "member"), (teammate, "member"))
    add(http, member.headers, "entry", iso("09:00"), iso("10:00"), note="mine")
    add(http, member.headers, "exclusion", iso("12:00"), iso("13:00"), reason="lunch")
    whose = {**days(), "user_id": str(member.id)}
    for other in (outsider, teammate):
        for kind in BEARER_KINDS:
            headers = bearer_headers(http, other, kind)
            for path in (PATHS["entry"], PATHS["exclusion"], EDITS):
                response = http.get(path, params=whose, headers=headers)
                assert response.status_code == 403, response.text
                assert response.json()["error"] == "forbidden" and response.json()["message"]
                assert "lunch" not in response.text and "mine" not in response.text
    for viewer in (owner, admin):
        for kind in BEARER_KINDS:
            headers = bearer_headers(http, viewer, kind)
            assert len(listed(http, headers, "entry", **whose)) == 1
            assert len(listed(http, headers, "exclusion", **whose)) == 1
            assert len(edits(http, headers, **whose)) == 2
    # Their own lists stay their own: the member's corrections are not in them.
    assert listed(http, admin.headers, "entry") == [] and edits(http, owner.headers) == []


def test_a_team_admin_reads_the_notes_only_when_the_member_shares_them(
    http: httpx.Client, runtime: Runtime, user_factory: Callable[..., TestUser]
) -> None:
    owner, admin, member = (user_factory(n) for n in ("owner", "admin", "member"))
    team_of(runtime.db, owner, "Crew", (admin, "admin"), (member, "member"))
    entry = add(http, member.headers, "entry", iso("09:00"), iso("10:00"), label="Review", note="for the grant")
    exclusion = add(http, member.headers, "exclusion", iso("12:00"), iso("13:00"), reason="doctor")
    whose = {**days(), "user_id": str(member.id)}

    def as_seen_by(viewer: TestUser) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return listed(http, viewer.headers, "entry", **whose), listed(http, viewer.headers, "exclusion", **whose)

    hidden = ([{**entry, "note": None}], [{**exclusion, "reason": None}])
    for viewer in (owner, admin):
        assert as_seen_by(viewer) == hidden  # the times and the label count; the words are the member's
    assert http.put("/api/v1/profile", json={"share_notes": True}, headers=member.headers).status_code == 200
    for viewer in (owner, admin):
        assert as_seen_by(viewer) == ([entry], [exclusion])
    assert http.put("/api/v1/profile", json={"share_notes": False}, headers=member.headers).status_code == 200
    for viewer in (owner, admin):
        assert as_seen_by(viewer) == hidden
    # An admin sharing their own notes shares nothing of the member's.
    assert http.put("/api/v1/profile", json={"share_notes": True}, headers=admin.headers).status_code == 200
    assert as_seen_by(owner) == hidden
    assert listed(http, member.headers, "entry") == [entry]  # the member always reads their own


# -- the trail ---------------------------------------------------------------------------------


def test_the_trail_lists_every_change_in_order_with_who_and_the_times_before(
    http: httpx.Client, runtime: Runtime, user_factory: Callable[..., TestUser]
) -> None:
    owner, member = user_factory("owner"), user_factory("member")
    team_of(runtime.db, owner, "Crew", (member, "member"))
    entry = add(http, member.headers, "entry", iso("09:00"), iso("10:00"), note="secret")
    change(http, member.headers, "entry", entry["id"], start=iso("08:30"), end=iso("10:30"))
    change(http, member.headers, "entry", entry["id"], label="Relabelled")
    exclusion = add(http, member.headers, "exclusion", iso("12:00"), iso("13:00"), reason="private")
    remove(http, member.headers, "entry", entry["id"])
    change(http, member.headers, "exclusion", exclusion["id"], end=iso("12:30"))
    remove(http, member.headers, "exclusion", exclusion["id"])

    trail = edits(http, member.headers)
    assert [
        (e["kind"], e["action"], e["item_id"], instant(e["start"]), instant(e["end"]), e["actor_id"]) for e in trail
    ] == [
        ("entry", "create", entry["id"], at("09:00"), at("10:00"), str(member.id)),
        ("entry", "update", entry["id"], at("08:30"), at("10:30"), str(member.id)),
        ("entry", "update", entry["id"], at("08:30"), at("10:30"), str(member.id)),
        ("exclusion", "create", exclusion["id"], at("12:00"), at("13:00"), str(member.id)),
        ("entry", "delete", entry["id"], at("08:30"), at("10:30"), str(member.id)),  # what was deleted
        ("exclusion", "update", exclusion["id"], at("12:00"), at("12:30"), str(member.id)),
        ("exclusion", "delete", exclusion["id"], at("12:00"), at("12:30"), str(member.id)),
    ]
    assert [(instant(e["previous_start"]), instant(e["previous_end"])) for e in trail] == [
        (None, None),
        (at("09:00"), at("10:00")),
        (at("08:30"), at("10:30")),
        (None, None),
        (at("08:30"), at("10:30")),
        (at("12:00"), at("13:00")),
        (at("12:00"), at("12:30")),
    ]
    times = [instant(e["at"]) for e in trail]
    assert times == sorted(times)
    assert "secret" not in str(trail) and "private" not in str(trail)
    # The team's owner reads the same trail; nothing of it on their own.
    assert edits(http, owner.headers, **days(), user_id=str(member.id)) == trail
    assert edits(http, owner.headers) == []


def test_the_trail_of_a_day_includes_what_was_moved_away_from_it(http: httpx.Client, alice: TestUser) -> None:
    after = DAY + timedelta(days=1)
    entry = add(http, alice.headers, "entry", iso("09:00"), iso("10:00"))
    change(http, alice.headers, "entry", entry["id"], start=iso("09:00", after), end=iso("10:00", after))
    assert [e["action"] for e in edits(http, alice.headers, **days(DAY, DAY))] == ["create", "update"]
    assert [e["action"] for e in edits(http, alice.headers, **days(after, after))] == ["update"]
    assert edits(http, alice.headers, **days(DAY + timedelta(days=2), DAY + timedelta(days=2))) == []
    assert listed(http, alice.headers, "entry") == []  # no longer on DAY


# -- what the corrections do to the figures ------------------------------------------------------


def record_the_day(http: httpx.Client, person: TestUser) -> None:
    rec.label_tags(http, person, {OFFICE: "Office"})
    rec.tag_events(
        http, rec.reader(http, person), (at("09:00"), "tag_insert", OFFICE), (at("12:00"), "tag_removed", OFFICE)
    )
    rec.ActivityWatch(http, person).send(
        afk=[rec.not_afk(at("11:00"), at("13:00"))], windows=[rec.window(at("11:00"), at("13:00"), "Code")]
    )


def time_of(http: httpx.Client, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = http.get("/api/v1/time", params={**days(), **params}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # One number throughout: the segments, the days and the label totals all add up to it.
    assert sum(s["seconds"] for s in body["segments"]) == body["tracked_seconds"]
    assert sum(d["tracked_seconds"] for d in body["days"]) == body["tracked_seconds"]
    assert sum(t["seconds"] for t in body["totals"]) == body["tracked_seconds"]
    return body


def the_day(body: dict[str, Any]) -> tuple[float, dict[str, float], bool, float]:
    [day] = body["days"]
    return day["tracked_seconds"], day["by_source"], day["edited"], day["corrected_seconds"]


def sources(**seconds: float) -> dict[str, float]:
    return {source: float(seconds.get(source, 0)) for source in SOURCES}


def timeline(body: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (instant(s["start"]).strftime("%H:%M"), instant(s["end"]).strftime("%H:%M"), s["source"], s["label"])
        for s in body["segments"]
    ]


RECORDED = [("09:00", "11:00", "nfc", "Office"), ("11:00", "13:00", "activitywatch", "Code")]


def test_the_days_figures_follow_each_correction_to_the_second_and_come_back_when_they_go(
    http: httpx.Client, auth: dict[str, str], alice: TestUser
) -> None:
    record_the_day(http, alice)
    original = time_of(http, auth)
    assert the_day(original) == (4 * HOUR, sources(nfc=3 * HOUR, activitywatch=2 * HOUR), False, 0.0)
    assert timeline(original) == RECORDED

    # An hour added by hand where nothing was recorded.
    review = add(http, auth, "entry", iso("14:00"), iso("15:00"), label="Paper review")
    body = time_of(http, auth)
    assert the_day(body) == (5 * HOUR, sources(manual=HOUR, nfc=3 * HOUR, activitywatch=2 * HOUR), True, HOUR)
    assert timeline(body) == [*RECORDED, ("14:00", "15:00", "manual", "Paper review")]

    # A second one overlapping it: time added by hand counts once too; the later one wins the overlap.
    call = add(http, auth, "entry", iso("14:30"), iso("16:00"), label="Call")
    body = time_of(http, auth)
    assert the_day(body) == (6 * HOUR, sources(manual=2 * HOUR, nfc=3 * HOUR, activitywatch=2 * HOUR), True, 2 * HOUR)
    assert timeline(body)[-2:] == [("14:00", "14:30", "manual", "Paper review"), ("14:30", "16:00", "manual", "Call")]

    # One over recorded time: it wins those seconds, and adds only what nothing recorded.
    early = add(http, auth, "entry", iso("08:00"), iso("09:30"), label="Early start")
    body = time_of(http, auth)
    assert the_day(body) == (
        7 * HOUR,
        sources(manual=3.5 * HOUR, nfc=3 * HOUR, activitywatch=2 * HOUR),
        True,
        3 * HOUR,
    )
    assert timeline(body) == [
        ("08:00", "09:30", "manual", "Early start"),
        ("09:30", "11:00", "nfc", "Office"),
        ("11:00", "13:00", "activitywatch", "Code"),
        ("14:00", "14:30", "manual", "Paper review"),
        ("14:30", "16:00", "manual", "Call"),
    ]

    # An exclusion over both recorded sources: gone from each, and from the tracked time.
    dentist = add(http, auth, "exclusion", iso("10:00"), iso("11:30"), reason="dentist")
    body = time_of(http, auth)
    assert the_day(body) == (
        5.5 * HOUR,
        sources(manual=3.5 * HOUR, nfc=1.5 * HOUR, activitywatch=1.5 * HOUR),
        True,
        1.5 * HOUR,
    )
    assert timeline(body)[:3] == [
        ("08:00", "09:30", "manual", "Early start"),
        ("09:30", "10:00", "nfc", "Office"),
        ("11:30", "13:00", "activitywatch", "Code"),
    ]

    # Stretched over time added by hand as well: that goes too, and the day is below the recorded.
    change(http, auth, "exclusion", dentist["id"], end=iso("14:45"))
    body = time_of(http, auth)
    assert the_day(body) == (
        11700.0,
        sources(manual=5400 + 4500, nfc=HOUR),
        True,
        11700.0 - 4 * HOUR,
    )
    assert timeline(body) == [
        ("08:00", "09:30", "manual", "Early start"),
        ("09:30", "10:00", "nfc", "Office"),
        ("14:45", "16:00", "manual", "Call"),  # started after Paper review: its own still
    ]

    # Moved and renamed: the figures follow, Paper review has its quarter hour back.
    change(http, auth, "entry", call["id"], start=iso("15:00"), label="Client call")
    body = time_of(http, auth)
    assert the_day(body) == (11700.0, sources(manual=9900, nfc=HOUR), True, 11700.0 - 4 * HOUR)
    assert timeline(body)[-2:] == [
        ("14:45", "15:00", "manual", "Paper review"),
        ("15:00", "16:00", "manual", "Client call"),
    ]
    assert time_of(http, auth)["totals"][0] == {"source": "manual", "label": "Early start", "seconds": 5400.0}

    # Every correction deleted: the original figures, exactly (the day stays marked as edited:
    # its trail says so).
    for kind, item in (("exclusion", dentist), ("entry", early), ("entry", call), ("entry", review)):
        remove(http, auth, kind, item["id"])
    restored = time_of(http, auth)
    assert the_day(restored) == (4 * HOUR, sources(nfc=3 * HOUR, activitywatch=2 * HOUR), True, 0.0)
    assert restored["segments"] == original["segments"]
    assert restored["totals"] == original["totals"]
    assert restored["tracked_seconds"] == original["tracked_seconds"]


def test_an_untouched_day_is_not_marked_and_a_days_correction_stays_on_its_day(
    http: httpx.Client, alice: TestUser
) -> None:
    before, after = DAY - timedelta(days=1), DAY + timedelta(days=1)
    record_the_day(http, alice)
    add(http, alice.headers, "entry", iso("22:00"), iso("02:00", after), label="Night shift")
    body = time_of(http, alice.headers, **days(before, after + timedelta(days=1)))
    assert [(d["day"], d["tracked_seconds"], d["edited"], d["corrected_seconds"]) for d in body["days"]] == [
        (before.isoformat(), 0.0, False, 0.0),
        (DAY.isoformat(), 6 * HOUR, True, 2 * HOUR),
        (after.isoformat(), 2 * HOUR, True, 2 * HOUR),
        ((after + timedelta(days=1)).isoformat(), 0.0, False, 0.0),
    ]
    assert [d["by_source"]["manual"] for d in body["days"]] == [0.0, 2 * HOUR, 2 * HOUR, 0.0]


def test_corrections_begun_days_before_count_on_a_day_asked_for_alone(http: httpx.Client, alice: TestUser) -> None:
    """An exclusion of nearly three weeks and an entry of 23 hours, both begun before DAY:
    asked for DAY alone, the parts inside it count, and the lists and the trail have them."""
    record_the_day(http, alice)
    sabbatical = add(
        http, alice.headers, "exclusion", iso("12:00", DAY - timedelta(days=20)), iso("09:30"), reason="sabbatical"
    )
    night = add(http, alice.headers, "entry", iso("12:00", DAY - timedelta(days=1)), iso("11:00"), label="Night shift")
    body = time_of(http, alice.headers)
    # Added by hand 09:30-11:00 (the rest is excluded); Office loses 09:00-09:30.
    assert the_day(body) == (3.5 * HOUR, sources(manual=5400, nfc=2.5 * HOUR, activitywatch=2 * HOUR), True, -1800.0)
    assert timeline(body) == [("09:30", "11:00", "manual", "Night shift"), ("11:00", "13:00", "activitywatch", "Code")]
    assert listed(http, alice.headers, "exclusion") == [sabbatical]
    assert listed(http, alice.headers, "entry") == [night]
    assert [(e["kind"], e["action"]) for e in edits(http, alice.headers)] == [
        ("exclusion", "create"),
        ("entry", "create"),
    ]


def test_manual_entries_that_overlap_count_once(http: httpx.Client, alice: TestUser) -> None:
    add(http, alice.headers, "entry", iso("10:00"), iso("11:00"), label="Alpha")
    add(http, alice.headers, "entry", iso("10:30"), iso("12:00"), label="Beta")
    add(http, alice.headers, "entry", iso("10:45"), iso("11:15"), label="Alpha")  # inside both
    add(http, alice.headers, "entry", iso("10:30"), iso("12:00"), label="Beta")  # the very same again
    body = time_of(http, alice.headers)
    assert the_day(body) == (2 * HOUR, sources(manual=2 * HOUR), True, 2 * HOUR)
    assert timeline(body) == [
        ("10:00", "10:30", "manual", "Alpha"),
        ("10:30", "10:45", "manual", "Beta"),
        ("10:45", "11:15", "manual", "Alpha"),
        ("11:15", "12:00", "manual", "Beta"),
    ]


def test_a_team_admin_sees_the_members_corrected_figures_the_team_too(
    http: httpx.Client, runtime: Runtime, user_factory: Callable[..., TestUser]
) -> None:
    owner, admin, member = (user_factory(n) for n in ("owner", "admin", "member"))
    team = team_of(runtime.db, owner, "Crew", (admin, "admin"), (member, "member"))
    record_the_day(http, member)
    add(http, member.headers, "entry", iso("14:00"), iso("15:00"), label="Paper review")
    add(http, member.headers, "exclusion", iso("10:00"), iso("10:30"), reason="not work")
    own = time_of(http, member.headers)
    assert the_day(own) == (
        4.5 * HOUR,
        sources(manual=HOUR, nfc=2.5 * HOUR, activitywatch=2 * HOUR),
        True,
        0.5 * HOUR,
    )
    for viewer in (owner, admin):
        assert time_of(http, viewer.headers, user_id=str(member.id))["days"] == own["days"]
        response = http.get(f"/api/v1/teams/{team}/time", params=days(), headers=viewer.headers)
        assert response.status_code == 200, response.text
        shown = next(m for m in response.json()["members"] if m["user_id"] == str(member.id))
        assert (shown["tracked_seconds"], shown["days"]) == (own["tracked_seconds"], own["days"])
        assert ("manual", "Paper review", float(HOUR)) in [
            (t["source"], t["label"], t["seconds"]) for t in shown["top_labels"]
        ]

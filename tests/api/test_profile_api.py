"""GET/PUT /api/v1/profile: display name, the timezone every day boundary uses, the order
of sources the counted-once timeline attributes shared seconds by, how long a tag left in a
reader counts, and whether team admins may read one's notes."""

from __future__ import annotations

import httpx
import pytest

from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.users import TestUser


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


def profile(http: httpx.Client, auth: dict[str, str]) -> dict:
    response = http.get("/api/v1/profile", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_new_account_has_a_profile_in_utc(http: httpx.Client, alice: TestUser, auth: dict[str, str]) -> None:
    assert profile(http, auth) == {
        "id": str(alice.id),
        "email": alice.email,
        "display_name": alice.email.split("@")[0],
        "timezone": "UTC",
        "source_precedence": ["manual", "imported", "timer", "wakatime", "activitywatch", "nfc"],
        "open_interval_cap_hours": 12,
        "share_notes": False,
    }


def test_reorder_sources(http: httpx.Client, auth: dict[str, str]) -> None:
    order = ["nfc", "activitywatch", "manual", "imported", "timer", "wakatime"]
    response = http.put("/api/v1/profile", json={"source_precedence": order}, headers=auth)
    assert response.status_code == 200, response.text
    assert profile(http, auth)["source_precedence"] == order
    assert http.put("/api/v1/profile", json={"timezone": "Europe/Berlin"}, headers=auth).status_code == 200
    assert profile(http, auth)["source_precedence"] == order


@pytest.mark.parametrize(
    ("order", "shown"),
    [
        # An order saved before time added by hand (and imported) existed: they go above all of
        # them, as by default.
        (
            ["nfc", "activitywatch", "timer", "wakatime"],
            ["manual", "imported", "nfc", "activitywatch", "timer", "wakatime"],
        ),
        # One left out goes above each placed source the default puts below it (here nfc).
        (
            ["manual", "nfc", "timer", "wakatime"],
            ["manual", "imported", "activitywatch", "nfc", "timer", "wakatime"],
        ),
        (["timer", "wakatime", "activitywatch"], ["manual", "imported", "timer", "wakatime", "activitywatch", "nfc"]),
        (["activitywatch", "manual"], ["imported", "timer", "wakatime", "activitywatch", "manual", "nfc"]),
        ([], ["manual", "imported", "timer", "wakatime", "activitywatch", "nfc"]),
    ],
    ids=repr,
)
def test_an_order_leaving_sources_out_keeps_their_default_place(
    http: httpx.Client, auth: dict[str, str], order: list[str], shown: list[str]
) -> None:
    response = http.put("/api/v1/profile", json={"source_precedence": order}, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["source_precedence"] == shown
    assert profile(http, auth)["source_precedence"] == shown


def test_the_cap_and_sharing_notes_change_on_their_own(http: httpx.Client, auth: dict[str, str]) -> None:
    before = profile(http, auth)
    response = http.put("/api/v1/profile", json={"open_interval_cap_hours": 3}, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json() == {**before, "open_interval_cap_hours": 3}
    response = http.put("/api/v1/profile", json={"share_notes": True}, headers=auth)
    assert response.status_code == 200, response.text
    assert profile(http, auth) == {**before, "open_interval_cap_hours": 3, "share_notes": True}
    for hours in (1, 24):  # both ends of the range are allowed
        assert http.put("/api/v1/profile", json={"open_interval_cap_hours": hours}, headers=auth).status_code == 200
        assert profile(http, auth)["open_interval_cap_hours"] == hours
    assert http.put("/api/v1/profile", json={"share_notes": False}, headers=auth).status_code == 200
    assert profile(http, auth)["share_notes"] is False


def test_change_timezone_and_display_name_separately(http: httpx.Client, auth: dict[str, str]) -> None:
    response = http.put("/api/v1/profile", json={"timezone": "Asia/Kathmandu"}, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["timezone"] == "Asia/Kathmandu"
    assert http.put("/api/v1/profile", json={"display_name": " Ana "}, headers=auth).status_code == 200
    changed = profile(http, auth)
    assert (changed["display_name"], changed["timezone"]) == ("Ana", "Asia/Kathmandu")


@pytest.mark.parametrize(
    "body",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": "utc+2"},
        {"timezone": ""},
        {"timezone": "../../etc/passwd"},
        {"timezone": "America"},  # a directory of zone files: IsADirectoryError
        {"timezone": "Etc"},
        {"timezone": "z" * 300},  # longer than a file name may be: OSError
        {"timezone": "Europe/Berlin\u0000"},
        {"timezone": 5},
        {"display_name": "d" * 101},
        {"source_precedence": ["timer", "timer", "wakatime", "activitywatch", "nfc"]},
        {"source_precedence": ["manual", "manual"]},
        {"source_precedence": ["timer", "wakatime", "activitywatch", "nfc", "toggl"]},
        {"source_precedence": ["x" * 40, "timer", "wakatime", "activitywatch", "nfc"]},
        {"source_precedence": "timer,wakatime,activitywatch,nfc"},
        {"source_precedence": [1, 2, 3, 4]},
        {"source_precedence": ["Manual"]},
        {"open_interval_cap_hours": 0},
        {"open_interval_cap_hours": 25},
        {"open_interval_cap_hours": -1},
        {"open_interval_cap_hours": 1.5},
        {"open_interval_cap_hours": "twelve"},
        {"share_notes": "maybe"},
    ],
    ids=repr,
)
def test_invalid_changes_are_422_and_change_nothing(http: httpx.Client, alice: TestUser, body: dict) -> None:
    before = profile(http, alice.headers)
    response = http.put("/api/v1/profile", json=body, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.json()["message"]
    assert profile(http, alice.headers) == before


def test_unknown_timezone_message_says_what_to_send(http: httpx.Client, alice: TestUser) -> None:
    response = http.put("/api/v1/profile", json={"timezone": "Mars/Olympus_Mons"}, headers=alice.headers)
    assert "Mars/Olympus_Mons" in response.json()["message"] and "IANA" in response.json()["message"]


def test_each_person_changes_only_their_own_profile(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    assert http.put("/api/v1/profile", json={"timezone": "Europe/Berlin"}, headers=bob.headers).status_code == 200
    assert profile(http, alice.headers)["timezone"] == "UTC"
    assert profile(http, bob.headers)["id"] == str(bob.id)

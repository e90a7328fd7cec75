"""Invitation links over real HTTP: an invitation is accepted by someone logged in with the
invited address AND holding the link's single-use, expiring token, unless the auth server
confirmed the address by mail (test_mail.py). The session's server has no SMTP, so every
address here was confirmed at once, without mail, and proves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.auth_clients import auth_client
from tests.utils.devices import device_event, post_batch, register_device
from tests.utils.users import PASSWORD, TestUser, unique_email
from timetracker.config import Settings
from timetracker.runtime import Runtime

DAY = {"start": "2025-04-11", "end": "2025-04-11"}  # tests.utils.devices.BASE_TIME's day


def new_team(http: httpx.Client, owner: TestUser, name: str = "Crew") -> str:
    response = http.post("/api/v1/teams", json={"name": name}, headers=owner.headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def invite(http: httpx.Client, inviter: TestUser, team: str, email: str, role: str = "member") -> dict[str, object]:
    response = http.post(f"/api/v1/teams/{team}/members", json={"email": email, "role": role}, headers=inviter.headers)
    assert (response.status_code, response.json()["outcome"]) == (201, "invited"), response.text
    return response.json()


def accept(http: httpx.Client, headers: dict[str, str], team: str, token: str | None = None) -> httpx.Response:
    return http.post(
        f"/api/v1/invitations/{team}/accept", json={"token": token} if token is not None else None, headers=headers
    )


def members(http: httpx.Client, viewer: TestUser, team: str) -> dict[str, str]:
    return {m["email"]: m["role"] for m in http.get(f"/api/v1/teams/{team}/members", headers=viewer.headers).json()}


def expire_links(runtime: Runtime, team: str) -> None:
    """Move the team's links' expiry into the past (as the admin path could; nobody else can)."""
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        conn.execute(
            "update invitation_links set created_at = now() - interval '8 days',"
            " expires_at = now() - interval '1 second' where team_id = %s",
            (team,),
        )


def a_worked_hour(http: httpx.Client, user: TestUser) -> None:
    reader = register_device(http, user)
    assert http.put("/api/v1/tags", json={"labels": {"dd 54 2a 83": "Apollo"}}, headers=user.headers).status_code == 200
    events = [device_event(reader.device_id, 0), device_event(reader.device_id, 3600, event_type="tag_removed")]
    assert post_batch(http, reader, events).json()["created"] == 2


def test_signing_up_with_an_invited_address_does_not_get_anyone_in(
    http: httpx.Client, api_url: str, alice: TestUser, bob: TestUser
) -> None:
    """The reported attack: invite lead@… as admin, sign up as lead@… from anywhere, accept, and
    read every member's time. Without the link the sign-up gets nothing."""
    team = new_team(http, alice, "Leads")
    assert accept(http, bob.headers, team, str(invite(http, alice, team, bob.email)["token"])).status_code == 200
    a_worked_hour(http, bob)
    lead = unique_email("lead")
    invitation = invite(http, alice, team, lead, "admin")

    signed_up = auth_client(api_url).sign_up({"email": lead, "password": PASSWORD}).session
    assert signed_up is not None  # the local auth server without SMTP: confirmed at once, no mail
    squatter = {"Authorization": f"Bearer {signed_up.access_token}"}
    [pending] = http.get("/api/v1/invitations", headers=squatter).json()
    assert (pending["team_id"], pending["needs_link"]) == (team, True)

    refused = accept(http, squatter, team)
    assert (refused.status_code, refused.json()["error"]) == (403, "invitation_link_required")
    guessed = accept(http, squatter, team, "tti_" + "A" * 43)
    assert (guessed.status_code, guessed.json()["error"]) == (404, "not_found")
    assert lead not in members(http, alice, team)
    time = http.get("/api/v1/time", params={**DAY, "user_id": str(bob.id)}, headers=squatter)
    assert time.status_code == 403 and "Apollo" not in time.text

    # Whoever holds the link (the person the admin sent it to) gets in.
    accepted = accept(http, squatter, team, str(invitation["token"]))
    assert (accepted.status_code, accepted.json()) == (200, {"team_id": team, "role": "admin"})


def test_the_invite_answer_carries_a_link_to_the_dashboards_teams_page(
    http: httpx.Client, settings: Settings, alice: TestUser, bob: TestUser
) -> None:
    team = new_team(http, alice)
    before = datetime.now(UTC)
    answer = invite(http, alice, team, bob.email)
    url, token = str(answer["invite_url"]), str(answer["token"])
    assert url == f"{settings.dashboard_base_url}/?invitation={team}&token={token}"
    assert parse_qs(urlsplit(url).query) == {"invitation": [team], "token": [token]}
    assert token.startswith("tti_") and len(token) >= 40
    assert answer["mailed"] is False  # no SMTP here: the inviter hands the link over
    expires_at = datetime.fromisoformat(str(answer["expires_at"]))
    assert before + timedelta(hours=168) - timedelta(minutes=1) < expires_at < datetime.now(UTC) + timedelta(hours=168)
    [listed] = http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).json()
    assert (listed["email"], datetime.fromisoformat(listed["link_expires_at"])) == (bob.email, expires_at)
    assert token not in http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).text


@pytest.fixture(scope="module")
def short_links_app(settings: Settings) -> Iterator[RunningApp]:
    with running_app(variant(settings, invitation_ttl_hours=2)) as app:
        yield app


def test_invitation_ttl_hours_sets_how_long_a_link_works(short_links_app: RunningApp, alice: TestUser) -> None:
    with httpx.Client(base_url=short_links_app.url, timeout=30) as http:
        team = new_team(http, alice)
        expires_at = datetime.fromisoformat(str(invite(http, alice, team, unique_email("soon"))["expires_at"]))
    assert timedelta(hours=2) - timedelta(minutes=1) < expires_at - datetime.now(UTC) <= timedelta(hours=2)


def test_a_link_works_once(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    team = new_team(http, alice)
    token = str(invite(http, alice, team, bob.email)["token"])
    assert accept(http, bob.headers, team, token).status_code == 200
    assert http.delete(f"/api/v1/teams/{team}/members/{bob.id}", headers=bob.headers).status_code == 204  # leaves

    again = accept(http, bob.headers, team, token)
    assert again.status_code == 410
    assert again.json() == {"error": "invitation_link_used", "message": "This invitation link has already been used."}
    assert bob.email not in members(http, alice, team)


def test_an_expired_link_is_refused_until_a_new_one_is_made(
    http: httpx.Client, runtime: Runtime, alice: TestUser, bob: TestUser
) -> None:
    team = new_team(http, alice)
    token = str(invite(http, alice, team, bob.email)["token"])
    expire_links(runtime, team)

    expired = accept(http, bob.headers, team, token)
    assert (expired.status_code, expired.json()["error"]) == (410, "invitation_link_expired")
    assert "invite you again" in expired.json()["message"] and token not in expired.text
    assert [i["team_id"] for i in http.get("/api/v1/invitations", headers=bob.headers).json()] == [team]

    fresh = str(invite(http, alice, team, bob.email)["token"])
    assert accept(http, bob.headers, team, fresh).json() == {"team_id": team, "role": "member"}


def test_a_new_link_replaces_the_old_one(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    team = new_team(http, alice)
    old = str(invite(http, alice, team, bob.email)["token"])
    new = str(invite(http, alice, team, bob.email, "admin")["token"])
    refused = accept(http, bob.headers, team, old)
    assert (refused.status_code, refused.json()["error"]) == (404, "not_found")
    assert old not in refused.text
    assert accept(http, bob.headers, team, new).json() == {"team_id": team, "role": "admin"}


def test_a_link_is_for_its_address_only(
    http: httpx.Client, alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    carol = user_factory("carol")
    team = new_team(http, alice)
    token = str(invite(http, alice, team, bob.email)["token"])
    for someone_else in (carol, alice):  # another account, and the inviting owner
        refused = accept(http, someone_else.headers, team, token)
        assert refused.status_code == 404, refused.text
        assert "log in with the address it was sent to" in refused.json()["message"]
    assert accept(http, bob.headers, team, token).status_code == 200  # the refusals did not use it up
    assert set(members(http, alice, team)) == {alice.email, bob.email}


def test_declining_takes_the_link_with_it(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    team = new_team(http, alice)
    token = str(invite(http, alice, team, bob.email)["token"])
    assert http.delete(f"/api/v1/invitations/{team}", headers=bob.headers).status_code == 204
    assert accept(http, bob.headers, team, token).status_code == 404
    assert bob.email not in members(http, alice, team)


@pytest.mark.parametrize("token", ["", "x" * 201, "tti_\u0000"], ids=["empty", "too-long", "nul"])
def test_a_token_that_cannot_be_one_is_422(http: httpx.Client, alice: TestUser, bob: TestUser, token: str) -> None:
    team = new_team(http, alice)
    invite(http, alice, team, bob.email)
    refused = accept(http, bob.headers, team, token)
    assert refused.status_code == 422, refused.text
    assert members(http, alice, team) == {alice.email: "owner"}

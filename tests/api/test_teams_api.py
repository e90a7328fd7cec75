"""Teams over the JSON API: create, invite by email, the invitee accepts (with the invitation's
link) or declines (nobody joins without consenting, at sign-up or after), roles, removal, and
who may see whose time (enforced by RLS; the API only asks). The links themselves:
test_invitation_links.py."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.utils.auth_clients import auth_client
from tests.utils.bearers import BEARER_KINDS, bearer_headers
from tests.utils.devices import device_event, post_batch, register_device
from tests.utils.users import PASSWORD, TestUser, unique_email

TEAM = "00000000-0000-0000-0000-000000000000"
DAY = {"start": "2025-04-11", "end": "2025-04-11"}  # tests.utils.devices.BASE_TIME's day


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


def new_team(http: httpx.Client, auth: dict[str, str], name: str = "Crew") -> str:
    response = http.post("/api/v1/teams", json={"name": name}, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def invite(http: httpx.Client, auth: dict[str, str], team: str, email: str, role: str = "member") -> httpx.Response:
    return http.post(f"/api/v1/teams/{team}/members", json={"email": email, "role": role}, headers=auth)


def accept(http: httpx.Client, invitee: dict[str, str], team: str, token: str | None = None) -> httpx.Response:
    body = {"token": token} if token is not None else None
    return http.post(f"/api/v1/invitations/{team}/accept", json=body, headers=invitee)


def invited_token(response: httpx.Response) -> str:
    """The invitation link's token of an invite that said "invited"."""
    assert (response.status_code, response.json()["outcome"]) == (201, "invited"), response.text
    return response.json()["token"]


def join(http: httpx.Client, auth: dict[str, str], team: str, invitee: TestUser, role: str = "member") -> None:
    """Invite and accept with the link: the only way into a team (for an address not confirmed by mail)."""
    token = invited_token(invite(http, auth, team, invitee.email, role))
    accepted = accept(http, invitee.headers, team, token)
    assert (accepted.status_code, accepted.json()) == (200, {"team_id": team, "role": role}), accepted.text


def members(http: httpx.Client, auth: dict[str, str], team: str) -> dict[str, str]:
    """email -> role"""
    response = http.get(f"/api/v1/teams/{team}/members", headers=auth)
    assert response.status_code == 200, response.text
    return {member["email"]: member["role"] for member in response.json()}


def a_worked_hour(http: httpx.Client, user: TestUser) -> None:
    """One labelled hour on BASE_TIME's day from the user's own reader."""
    reader = register_device(http, user)
    assert http.put("/api/v1/tags", json={"labels": {"dd 54 2a 83": "Apollo"}}, headers=user.headers).status_code == 200
    events = [device_event(reader.device_id, 0), device_event(reader.device_id, 3600, event_type="tag_removed")]
    assert post_batch(http, reader, events).json()["created"] == 2


def time_of(http: httpx.Client, viewer: dict[str, str], user: TestUser) -> httpx.Response:
    return http.get("/api/v1/time", params={**DAY, "user_id": str(user.id)}, headers=viewer)


def test_create_a_team_and_own_it(http: httpx.Client, alice: TestUser, auth: dict[str, str]) -> None:
    response = http.post("/api/v1/teams", json={"name": "  Night shift "}, headers=auth)
    assert response.status_code == 201, response.text
    team = response.json()
    assert (team["name"], team["role"], team["member_count"]) == ("Night shift", "owner", 1)
    [listed] = http.get("/api/v1/teams", headers=auth).json()
    assert (listed["id"], listed["role"], listed["member_count"]) == (team["id"], "owner", 1)
    assert members(http, auth, team["id"]) == {alice.email: "owner"}


@pytest.mark.parametrize("name", ["", "   ", "t" * 101])
def test_a_team_needs_a_name(http: httpx.Client, alice: TestUser, name: str) -> None:
    assert http.post("/api/v1/teams", json={"name": name}, headers=alice.headers).status_code == 422


def test_an_invited_account_joins_only_when_it_accepts(
    http: httpx.Client, alice: TestUser, bob: TestUser, auth: dict[str, str]
) -> None:
    team = new_team(http, auth, "Consent")
    token = invited_token(invite(http, auth, team, bob.email.upper()))
    assert members(http, auth, team) == {alice.email: "owner"}
    assert http.get("/api/v1/teams", headers=bob.headers).json() == []

    [pending] = http.get("/api/v1/invitations", headers=bob.headers).json()
    assert (pending["team_id"], pending["team_name"], pending["role"]) == (team, "Consent", "member")
    assert pending["invited_by_email"] == alice.email  # who asks, so bob can judge it
    assert pending["needs_link"] is True  # bob's address was confirmed without any mail
    assert accept(http, bob.headers, team, token).json() == {"team_id": team, "role": "member"}

    assert members(http, auth, team) == {alice.email: "owner", bob.email: "member"}
    [seen_by_bob] = http.get("/api/v1/teams", headers=bob.headers).json()
    assert (seen_by_bob["id"], seen_by_bob["role"], seen_by_bob["member_count"]) == (team, "member", 2)
    assert http.get("/api/v1/invitations", headers=bob.headers).json() == []
    again = invite(http, auth, team, bob.email).json()
    assert (again["outcome"], again["invite_url"], again["token"]) == ("already_member", None, None)


def test_an_invited_account_may_decline(http: httpx.Client, alice: TestUser, bob: TestUser) -> None:
    team = new_team(http, alice.headers)
    invite(http, alice.headers, team, bob.email)
    assert http.delete(f"/api/v1/invitations/{team}", headers=bob.headers).status_code == 204
    assert http.get("/api/v1/invitations", headers=bob.headers).json() == []
    assert http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).json() == []
    refused = accept(http, bob.headers, team)
    assert (refused.status_code, refused.json()["error"]) == (404, "not_found")
    assert http.delete(f"/api/v1/invitations/{team}", headers=bob.headers).status_code == 404
    assert members(http, alice.headers, team) == {alice.email: "owner"}


def test_only_the_invited_email_can_accept(
    http: httpx.Client, alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    carol = user_factory("carol")
    team = new_team(http, alice.headers)
    invite(http, alice.headers, team, bob.email)
    assert http.get("/api/v1/invitations", headers=carol.headers).json() == []
    assert accept(http, carol.headers, team).status_code == 404
    assert http.delete(f"/api/v1/invitations/{team}", headers=carol.headers).status_code == 404
    # The inviting owner cannot accept on bob's behalf either.
    assert accept(http, alice.headers, team).status_code == 404
    assert members(http, alice.headers, team) == {alice.email: "owner"}
    assert [i["email"] for i in http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).json()] == [
        bob.email
    ]


def test_an_invited_but_not_accepted_owner_cannot_read_the_invitees_time(
    http: httpx.Client, alice: TestUser, bob: TestUser
) -> None:
    """The attack invitations used to allow: make a team, invite someone, read their time."""
    team = new_team(http, alice.headers, "Snoops")
    a_worked_hour(http, bob)
    assert invite(http, alice.headers, team, bob.email).json()["outcome"] == "invited"
    for kind in BEARER_KINDS:
        refused = time_of(http, bearer_headers(http, alice, kind), bob)
        assert refused.status_code == 403, refused.text
        assert "Apollo" not in refused.text
    assert bob.email not in members(http, alice.headers, team)


def test_someone_invited_before_signing_up_is_asked_after_signing_up(
    http: httpx.Client, api_url: str, auth: dict[str, str]
) -> None:
    team = new_team(http, auth)
    email = unique_email("newcomer")
    token = invited_token(invite(http, auth, team, email, "admin"))
    pending = http.get(f"/api/v1/teams/{team}/invitations", headers=auth).json()
    assert [(i["email"], i["role"]) for i in pending] == [(email, "admin")]
    assert email not in members(http, auth, team)

    signed_up = auth_client(api_url).sign_up({"email": email, "password": PASSWORD})
    assert signed_up.session is not None
    newcomer = {"Authorization": f"Bearer {signed_up.session.access_token}"}
    # Signing up does not join: the invitation waits for the newcomer's answer.
    assert email not in members(http, auth, team)
    assert http.get("/api/v1/teams", headers=newcomer).json() == []
    assert [i["team_id"] for i in http.get("/api/v1/invitations", headers=newcomer).json()] == [team]

    # Signed up with the address is not proof of holding it: the link is.
    assert accept(http, newcomer, team).status_code == 403
    assert accept(http, newcomer, team, token).json() == {"team_id": team, "role": "admin"}
    assert members(http, auth, team)[email] == "admin"
    assert http.get(f"/api/v1/teams/{team}/invitations", headers=auth).json() == []
    assert [t["role"] for t in http.get("/api/v1/teams", headers=newcomer).json()] == ["admin"]


@pytest.mark.parametrize(
    "email", ["no-at-sign", "@example.com", "a@", "two@@example.com", "a b@example.com", "a\u0000b@example.com"]
)
def test_inviting_something_that_is_not_an_email_is_422(
    http: httpx.Client, alice: TestUser, auth: dict[str, str], email: str
) -> None:
    team = new_team(http, auth)
    response = invite(http, auth, team, email)
    assert response.status_code == 422, response.text
    assert http.get(f"/api/v1/teams/{team}/invitations", headers=auth).json() == []


def test_only_owners_and_admins_invite(
    http: httpx.Client, alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    carol = user_factory("carol")
    team = new_team(http, alice.headers)
    join(http, alice.headers, team, bob)
    for outsider in (bob, carol):  # a member, and someone not in the team at all
        response = invite(http, outsider.headers, team, unique_email("friend"))
        assert response.status_code == 403, response.text
        assert "owner or admin" in response.json()["message"]
    assert http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).json() == []
    # Only admins see pending invitations; a non-member does not even see the members.
    assert http.get(f"/api/v1/teams/{team}/invitations", headers=bob.headers).json() == []
    assert http.get(f"/api/v1/teams/{team}/members", headers=carol.headers).status_code == 404
    assert http.get("/api/v1/teams", headers=carol.headers).json() == []


def test_roles_change_and_an_admin_can_invite(
    http: httpx.Client, alice: TestUser, auth: dict[str, str], bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    carol = user_factory("carol")
    team = new_team(http, auth)
    join(http, auth, team, bob)
    promote = http.patch(f"/api/v1/teams/{team}/members/{bob.id}", json={"role": "admin"}, headers=auth)
    assert promote.status_code == 204, promote.text
    join(http, bob.headers, team, carol)
    assert members(http, auth, team) == {alice.email: "owner", bob.email: "admin", carol.email: "member"}
    # Nobody demotes the owner or hands ownership over here; a member changes no roles.
    owner_path = f"/api/v1/teams/{team}/members/{alice.id}"
    assert http.patch(owner_path, json={"role": "member"}, headers=bob.headers).status_code == 403
    assert http.patch(owner_path, json={"role": "owner"}, headers=bob.headers).status_code == 422
    bob_path = f"/api/v1/teams/{team}/members/{bob.id}"
    assert http.patch(bob_path, json={"role": "member"}, headers=carol.headers).status_code == 403
    assert members(http, auth, team)[bob.email] == "admin"


def test_members_leave_and_are_removed_but_the_owner_stays(
    http: httpx.Client, alice: TestUser, auth: dict[str, str], bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    carol = user_factory("carol")
    team = new_team(http, auth)
    join(http, auth, team, bob)
    join(http, auth, team, carol)
    assert http.delete(f"/api/v1/teams/{team}/members/{carol.id}", headers=bob.headers).status_code == 403
    assert http.delete(f"/api/v1/teams/{team}/members/{bob.id}", headers=bob.headers).status_code == 204
    assert http.delete(f"/api/v1/teams/{team}/members/{carol.id}", headers=auth).status_code == 204
    assert http.delete(f"/api/v1/teams/{team}/members/{alice.id}", headers=auth).status_code == 403
    assert members(http, auth, team) == {alice.email: "owner"}


def test_an_admin_sees_a_members_time_and_a_member_not_the_admins(
    http: httpx.Client, alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    outsider = user_factory("carol")
    team = new_team(http, alice.headers)
    join(http, alice.headers, team, bob)
    a_worked_hour(http, alice)
    a_worked_hour(http, bob)
    for kind in BEARER_KINDS:
        as_alice = bearer_headers(http, alice, kind)
        seen = time_of(http, as_alice, bob)
        assert seen.status_code == 200, seen.text
        assert seen.json()["user_id"] == str(bob.id)
        assert [(t["label"], t["seconds"]) for t in seen.json()["totals"]] == [("Apollo", 3600.0)]
        for viewer, subject in ((bob, alice), (outsider, alice), (outsider, bob)):
            refused = time_of(http, bearer_headers(http, viewer, kind), subject)
            assert refused.status_code == 403, refused.text
            assert "Apollo" not in refused.text

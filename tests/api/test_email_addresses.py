"""Every door that takes an email address applies one rule (timetracker/emails.py): sign-up,
log-in and invitations refuse what would spoof the lists people read, and store one
lower-case ASCII form, so `Ana@Bücher.de` and `ana@xn--bcher-kva.de` are one person."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.utils.auth_clients import auth_client
from tests.utils.users import PASSWORD, TestUser

SPOOFS = [
    "\u202egnp.exe@example.com",  # shows as moc.elpmaxe@exe.png
    "lead\u200b@example.com",  # looks like lead@example.com
    "le\u2066ad@example.com",
    "ceo😀@example.com",
    "l\u0435ad@example.com",  # a Cyrillic e (U+0435)
]


@pytest.mark.parametrize("email", SPOOFS)
def test_sign_up_refuses_an_address_that_spoofs_others(http: httpx.Client, email: str) -> None:
    response = http.post("/auth/v1/signup", json={"email": email, "password": PASSWORD})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["msg"].startswith("Unable to validate email address: ")


@pytest.mark.parametrize("email", SPOOFS)
def test_an_invitation_refuses_an_address_that_spoofs_others(http: httpx.Client, alice: TestUser, email: str) -> None:
    team = http.post("/api/v1/teams", json={"name": "Lists"}, headers=alice.headers).json()["id"]
    response = http.post(f"/api/v1/teams/{team}/members", json={"email": email}, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith("Not an email address: ")
    assert http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).json() == []


def test_an_international_domain_is_one_address_in_ascii(http: httpx.Client, api_url: str, alice: TestUser) -> None:
    local = f"ana-{uuid.uuid4().hex[:8]}"
    unicode_spelling, ascii_spelling = f"{local.upper()}@Bücher.de", f"{local}@xn--bcher-kva.de"

    signed_up = auth_client(api_url).sign_up({"email": unicode_spelling, "password": PASSWORD})
    assert signed_up.user is not None and signed_up.user.email == ascii_spelling
    again = http.post("/auth/v1/signup", json={"email": ascii_spelling, "password": PASSWORD})
    assert (again.status_code, again.json()["code"]) == (422, "user_already_exists")
    for spelling in (unicode_spelling, ascii_spelling):
        logged_in = auth_client(api_url).sign_in_with_password({"email": spelling, "password": PASSWORD})
        assert logged_in.user.email == ascii_spelling

    team = http.post("/api/v1/teams", json={"name": "Bücher"}, headers=alice.headers).json()["id"]
    invited = http.post(f"/api/v1/teams/{team}/members", json={"email": unicode_spelling}, headers=alice.headers)
    assert [i["email"] for i in http.get(f"/api/v1/teams/{team}/invitations", headers=alice.headers).json()] == [
        ascii_spelling
    ]
    ana = {"Authorization": f"Bearer {signed_up.session.access_token}"}  # type: ignore[union-attr]
    accepted = http.post(f"/api/v1/invitations/{team}/accept", json={"token": invited.json()["token"]}, headers=ana)
    assert accepted.status_code == 200, accepted.text


def test_logging_in_with_something_that_is_not_an_address_is_a_wrong_login(http: httpx.Client) -> None:
    response = http.post("/auth/v1/token?grant_type=password", json={"email": "\u202eX@example.com", "password": "x"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_credentials")

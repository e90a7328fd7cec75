"""POST/GET/DELETE /api/v1/tokens: personal API tokens, shown once, stored hashed,
accepted as a bearer until revoked, with a last-used time."""

from __future__ import annotations

import httpx
import pytest

from tests.utils.bearers import BEARER_KINDS, api_token, bearer_headers
from tests.utils.users import TestUser


@pytest.fixture(params=BEARER_KINDS)
def auth(request: pytest.FixtureRequest, http: httpx.Client, alice: TestUser) -> dict[str, str]:
    return bearer_headers(http, alice, request.param)


def tokens(http: httpx.Client, auth: dict[str, str]) -> dict[str, dict]:
    response = http.get("/api/v1/tokens", headers=auth)
    assert response.status_code == 200, response.text
    return {token["id"]: token for token in response.json()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_create_shows_the_token_once(http: httpx.Client, alice: TestUser, auth: dict[str, str]) -> None:
    response = http.post("/api/v1/tokens", json={"name": " laptop script "}, headers=alice.headers)
    assert response.status_code == 201, response.text
    created = response.json()
    token = created["token"]
    assert token.startswith("ttp_") and len(token) > 40
    assert (created["name"], created["token_hint"], created["revoked_at"]) == ("laptop script", "…" + token[-4:], None)
    listing = http.get("/api/v1/tokens", headers=auth)
    assert token not in listing.text and token[4:-4] not in listing.text
    assert "token" not in tokens(http, auth)[created["id"]]


def test_a_token_works_until_revoked_and_records_its_last_use(http: httpx.Client, alice: TestUser) -> None:
    token = api_token(http, alice, "sync client")
    [entry] = [t for t in tokens(http, alice.headers).values() if t["name"] == "sync client"]
    assert entry["last_used_at"] is None
    profile = http.get("/api/v1/profile", headers=bearer(token))
    assert profile.status_code == 200 and profile.json()["id"] == str(alice.id)
    assert tokens(http, alice.headers)[entry["id"]]["last_used_at"] is not None
    assert http.delete(f"/api/v1/tokens/{entry['id']}", headers=bearer(token)).status_code == 204
    refused = http.get("/api/v1/profile", headers=bearer(token))
    assert refused.status_code == 401
    assert token not in refused.text
    assert tokens(http, alice.headers)[entry["id"]]["revoked_at"] is not None
    assert http.delete(f"/api/v1/tokens/{entry['id']}", headers=alice.headers).status_code == 404


def test_an_api_token_cannot_make_another(http: httpx.Client, alice: TestUser) -> None:
    """Otherwise a leaked token could outlive its own revocation through the ones it made."""
    refused = http.post("/api/v1/tokens", json={"name": "copy"}, headers=bearer(api_token(http, alice)))
    assert refused.status_code == 403
    assert refused.json()["error"] == "reauthentication_needed"
    assert [t["name"] for t in tokens(http, alice.headers).values()] == ["tests"]


@pytest.mark.parametrize("token", ["ttp_", "ttp_" + "A" * 43, "ttpx_whatever", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
def test_made_up_tokens_are_401(http: httpx.Client, token: str) -> None:
    assert http.get("/api/v1/profile", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("name", ["", "   ", "n" * 101])
def test_a_token_needs_a_name(http: httpx.Client, alice: TestUser, name: str) -> None:
    assert http.post("/api/v1/tokens", json={"name": name}, headers=alice.headers).status_code == 422


def test_another_persons_tokens_are_invisible_and_unrevocable(
    http: httpx.Client, alice: TestUser, bob: TestUser
) -> None:
    token = api_token(http, alice)
    [token_id] = tokens(http, alice.headers)
    for kind in BEARER_KINDS:
        as_bob = bearer_headers(http, bob, kind)
        assert token_id not in tokens(http, as_bob)
        assert http.delete(f"/api/v1/tokens/{token_id}", headers=as_bob).status_code == 404
    assert http.get("/api/v1/profile", headers=bearer(token)).status_code == 200
    assert http.delete("/api/v1/tokens/not-a-uuid", headers=alice.headers).status_code == 422

"""The two credentials a person can call the JSON API with: a Supabase access token, or a
personal API token (ttp_...) made through POST /api/v1/tokens. API tests run once with each."""

from __future__ import annotations

import httpx

from tests.utils.users import TestUser

BEARER_KINDS = ("access_token", "api_token")


def api_token(http: httpx.Client, user: TestUser, name: str = "tests") -> str:
    response = http.post("/api/v1/tokens", json={"name": name}, headers=user.headers)
    assert response.status_code == 201, response.text
    return response.json()["token"]


def bearer_headers(http: httpx.Client, user: TestUser, kind: str) -> dict[str, str]:
    """Authorization headers for `user`, by access token or by a fresh personal API token."""
    if kind == "access_token":
        return user.headers
    return {"Authorization": f"Bearer {api_token(http, user)}"}

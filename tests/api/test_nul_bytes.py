"""A NUL character in a stored name is a 422 naming the field, not a 500.

Postgres text cannot hold NUL and psycopg refuses to send it; schemathesis found
POST /api/v1/teams answering 500 for a name with "\\u0000" in it. Every free-text field of
the account API shares the `Name` type (or, for display_name, its NUL check).
"""

from __future__ import annotations

import httpx
import pytest

from tests.utils.users import TestUser


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/v1/teams", {"name": "Team\u0000A"}, "name"),
        ("POST", "/api/v1/tokens", {"name": "laptop\u0000"}, "name"),
        ("POST", "/api/v1/devices", {"device_id": "NFC_NUL1", "name": "desk\u0000reader"}, "name"),
        ("PUT", "/api/v1/tags", {"labels": {"dd 54 2a 83": "Apollo\u0000"}}, "labels.dd 54 2a 83"),
        ("PUT", "/api/v1/profile", {"display_name": "Ana\u0000"}, "display_name"),
    ],
)
def test_nul_in_a_name_is_a_422_naming_the_field(
    http: httpx.Client, alice: TestUser, method: str, path: str, body: dict[str, object], field: str
) -> None:
    response = http.request(method, path, json=body, headers=alice.headers)

    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": "invalid_request",
        "message": "The request is invalid",
        "details": [{"field": field, "message": "Value error, must not contain NUL characters"}],
    }


def test_nothing_is_stored_for_a_refused_name(http: httpx.Client, alice: TestUser) -> None:
    http.post("/api/v1/teams", json={"name": "Team\u0000B"}, headers=alice.headers)

    names = [team["name"] for team in http.get("/api/v1/teams", headers=alice.headers).json()]
    assert not any(name.startswith("Team") for name in names)

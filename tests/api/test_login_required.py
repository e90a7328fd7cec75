"""Every operation that acts as a person refuses a request without credentials with a 401.

The operations are read from the API's own OpenAPI document (those secured by the bearer
scheme a login or a personal token satisfies), so one added later is checked without anyone
listing it here; each is called over real HTTP with made-up path values and a body, since
the credentials are judged before anything else.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

BEARER = "HTTPBearer"
PATH_PARAMETER = re.compile(r"{([^}]+)}")
# Operations the walk must find, so a walk that finds nothing cannot pass.
KNOWN = {
    ("GET", "/api/v1/profile"),
    ("PUT", "/api/v1/profile"),
    ("POST", "/api/v1/tokens"),
    ("GET", "/api/v1/time"),
    ("GET", "/api/v1/teams/{team_id}/time"),
    ("POST", "/api/v1/entries"),
    ("PUT", "/api/v1/tags"),
    ("POST", "/api/v1/projects"),
    ("POST", "/api/v1/timer/events"),
}
# Takes a bearer but does not need one: opened from the Integrations page with a signed state
# instead (tests/wakatime/test_oauth_flow.py checks its 401 without either).
BEARER_OPTIONAL = {("GET", "/integrations/wakatime/authorize")}
BODY: dict[str, Any] = {"name": "x", "start": "2025-04-11T09:00:00Z", "end": "2025-04-11T10:00:00Z"}


@pytest.fixture(scope="module")
def operations(api_url: str) -> dict[tuple[str, str], dict[str, Any]]:
    document = httpx.get(f"{api_url}/openapi.json").json()
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if any(BEARER in requirement for requirement in operation.get("security", []))
    }


def concrete(path: str, operation: dict[str, Any]) -> str:
    """`path` with a value of the right type in each parameter."""
    kinds = {p["name"]: p.get("schema", {}).get("type") for p in operation.get("parameters", []) if p["in"] == "path"}
    return PATH_PARAMETER.sub(lambda m: "1" if kinds.get(m.group(1)) == "integer" else str(uuid.uuid4()), path)


def test_the_walk_finds_the_operations_that_act_as_a_person(operations: dict[tuple[str, str], Any]) -> None:
    assert set(operations) >= KNOWN | BEARER_OPTIONAL


def test_each_refuses_a_request_without_credentials(
    http: httpx.Client, operations: dict[tuple[str, str], dict[str, Any]]
) -> None:
    answers = {}
    for (method, path), operation in operations.items():
        if (method, path) in BEARER_OPTIONAL:
            continue
        body = BODY if method in ("POST", "PUT", "PATCH") else None
        response = http.request(method, concrete(path, operation), json=body)
        answers[(method, path)] = (
            response.status_code,
            response.headers.get("www-authenticate"),
            response.headers.get("content-type", "").split(";")[0],
            bool(response.content) and bool(response.json().get("error")),
        )
    wrong = {op: answer for op, answer in answers.items() if answer != (401, "Bearer", "application/json", True)}
    assert not wrong, wrong

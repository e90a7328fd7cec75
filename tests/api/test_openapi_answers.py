"""Every operation in /openapi.json says what it answers: a schema for its success, and the
error statuses its credentials, its input and the database can cause.

The document is read as clients read it, over HTTP; which dependencies an operation takes
(a recent login, which answers 403) is read from the app's routes, where the document does
not show it. An operation added later is checked without anyone listing it here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from api.deps import get_recent_login_or_api_token, get_recently_logged_in_user
from api.errors import ErrorBody
from tests.utils.users import TestUser
from timetracker.config import Settings

Operation = tuple[str, str]

# Answered from settings or memory alone: no database that could be down.
NO_DATABASE: set[Operation] = {("GET", "/widget/timer.user.js"), ("GET", "/metrics")}
RECENT_LOGIN = {get_recently_logged_in_user, get_recent_login_or_api_token}
BEARER = "HTTPBearer"
METHODS = {"get", "put", "post", "delete", "patch"}
# Operations the walk must find, so a walk that finds nothing cannot pass.
KNOWN: set[Operation] = {
    ("GET", "/api/health"),
    ("POST", "/api/webhook/device-events"),
    ("POST", "/api/compat/wakatime/v1/users/current/heartbeats.bulk"),
    ("POST", "/api/v1/tokens"),
    ("GET", "/api/v1/activitywatch/team-summary"),
    ("POST", "/auth/v1/token"),
    ("GET", "/integrations/wakatime/callback"),
}


@pytest.fixture(scope="module")
def spec(api_url: str) -> dict[str, Any]:
    response = httpx.get(f"{api_url}/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def operations(spec: dict[str, Any]) -> dict[Operation, dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from calls(dependency)


@pytest.fixture(scope="module")
def needing_recent_login(settings: Settings) -> set[Operation]:
    from api.main import create_app

    # Route contexts, not app.routes: those hold included routers, not their operations.
    return {
        (method, route.path_format)
        for route in iter_route_contexts(create_app(settings).routes)
        if isinstance(route.original_route, APIRoute) and RECENT_LOGIN & set(calls(route.dependant))
        for method in route.methods or ()
    }


def resolved(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def described(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether a JSON answer's schema names its fields: an object with properties, a list of
    such, or a choice between such (not `{}` nor a free-form object, which say nothing)."""
    schema = resolved(spec, schema)
    if "anyOf" in schema or "oneOf" in schema:
        return all(described(spec, option) for option in schema.get("anyOf", schema.get("oneOf")))
    if schema.get("type") == "array":
        # A list of such, or a fixed pair of which one is (WakaTime's [body, status]).
        return any(described(spec, item) for item in schema.get("prefixItems", [schema.get("items", {})]))
    return bool(schema.get("properties"))


def success_problems(spec: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    answers = {status: answer for status, answer in operation["responses"].items() if status[0] in "23"}
    if not answers:
        return ["no 2xx or 3xx answer"]
    problems = []
    for status, answer in answers.items():
        if status == "204" or status.startswith("3"):
            continue  # no body to describe
        content = answer.get("content") or {}
        if not content:
            problems.append(f"{status} has no content type")
        json_schema = content.get("application/json", {}).get("schema")
        if "application/json" in content and not (json_schema and described(spec, json_schema)):
            problems.append(f"{status} has no schema naming its fields: {json_schema}")
    return problems


def missing_errors(method: str, path: str, operation: dict[str, Any], needing_recent_login: set[Operation]) -> set[str]:
    expected = set()
    if any(BEARER in requirement for requirement in operation.get("security", [])):
        expected.add("401")
    if operation.get("parameters") or operation.get("requestBody"):
        expected.add("422")
    if (method, path) in needing_recent_login:
        expected.add("403")
    if (method, path) not in NO_DATABASE:
        expected.add("503")
    return expected - set(operation["responses"])


def test_the_walk_finds_the_operations(operations: dict[Operation, Any], needing_recent_login: set[Operation]) -> None:
    assert set(operations) >= KNOWN | NO_DATABASE
    assert ("POST", "/api/v1/tokens") in needing_recent_login


def test_every_operation_documents_its_success(
    spec: dict[str, Any], operations: dict[Operation, dict[str, Any]]
) -> None:
    problems = {op: found for op, operation in operations.items() if (found := success_problems(spec, operation))}
    assert not problems, problems


def test_every_operation_documents_the_errors_it_can_answer(
    operations: dict[Operation, dict[str, Any]], needing_recent_login: set[Operation]
) -> None:
    missing = {
        op: found
        for op, operation in operations.items()
        if (found := missing_errors(*op, operation, needing_recent_login))
    }
    assert not missing, missing


def test_a_request_that_cannot_be_read_is_documented_as_it_is_answered(
    spec: dict[str, Any], operations: dict[Operation, dict[str, Any]], http: httpx.Client, alice: TestUser
) -> None:
    """FastAPI's own 422 schema ({"detail": [...]}) is not what this API answers."""
    schemas = {
        op: answer.get("content", {}).get("application/json", {}).get("schema")
        for op, operation in operations.items()
        if (answer := operation["responses"].get("422"))
    }
    fastapis = {"$ref": "#/components/schemas/HTTPValidationError"}
    assert schemas and all(schema != fastapis for schema in schemas.values())
    assert schemas["GET", "/api/v1/time"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]

    answer = http.get("/api/v1/time", params={"start": "not a day"}, headers=alice.headers)
    assert answer.status_code == 422
    assert ErrorBody.model_validate(answer.json()).model_dump(exclude_none=True) == answer.json()

"""/openapi.json documents the JSON API of issue item 8, with bearer security on each call,
so it can be scripted from the docs alone."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

JSON_API = [
    ("post", "/api/v1/devices"),
    ("get", "/api/v1/devices"),
    ("post", "/api/v1/devices/{device_id}/rotate"),
    ("delete", "/api/v1/devices/{device_id}"),
    ("get", "/api/v1/devices/{device_id}/attempts"),
    ("put", "/api/v1/tags"),
    ("get", "/api/v1/tags"),
    ("delete", "/api/v1/tags/{tag_id}"),
    ("post", "/api/v1/tokens"),
    ("get", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{token_id}"),
    ("get", "/api/v1/profile"),
    ("put", "/api/v1/profile"),
    ("post", "/api/v1/teams"),
    ("get", "/api/v1/teams"),
    ("get", "/api/v1/teams/{team_id}/members"),
    ("post", "/api/v1/teams/{team_id}/members"),
    ("patch", "/api/v1/teams/{team_id}/members/{user_id}"),
    ("delete", "/api/v1/teams/{team_id}/members/{user_id}"),
    ("get", "/api/v1/teams/{team_id}/invitations"),
    ("get", "/api/v1/invitations"),
    ("post", "/api/v1/invitations/{team_id}/accept"),
    ("delete", "/api/v1/invitations/{team_id}"),
    ("get", "/api/v1/time"),
]


@pytest.fixture(scope="module")
def spec(api_url: str) -> dict[str, Any]:
    response = httpx.get(f"{api_url}/openapi.json")
    assert response.status_code == 200
    return response.json()


def bearer_scheme_names(spec: dict[str, Any]) -> set[str]:
    schemes = spec["components"]["securitySchemes"]
    return {name for name, scheme in schemes.items() if (scheme["type"], scheme.get("scheme")) == ("http", "bearer")}


@pytest.mark.parametrize(("method", "path"), JSON_API, ids=[f"{m.upper()} {p}" for m, p in JSON_API])
def test_each_json_api_call_is_documented_with_bearer_security(spec: dict[str, Any], method: str, path: str) -> None:
    operation = spec["paths"][path][method]
    assert operation["summary"]
    required = [name for requirement in operation["security"] for name in requirement]
    assert set(required) & bearer_scheme_names(spec)


def test_the_bearer_scheme_says_which_tokens_it_takes(spec: dict[str, Any]) -> None:
    [name] = bearer_scheme_names(spec)
    assert "API token" in spec["components"]["securitySchemes"][name]["description"]


def test_creating_a_device_documents_the_key_shown_once(spec: dict[str, Any]) -> None:
    created = spec["paths"]["/api/v1/devices"]["post"]["responses"]["201"]
    ref = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "device_key" in spec["components"]["schemas"][ref]["properties"]


def test_the_time_report_documents_its_range(spec: dict[str, Any]) -> None:
    parameters = {p["name"] for p in spec["paths"]["/api/v1/time"]["get"]["parameters"]}
    assert parameters == {"start", "end", "user_id", "include"}


def test_the_team_time_report_documents_its_range(spec: dict[str, Any]) -> None:
    parameters = {p["name"] for p in spec["paths"]["/api/v1/teams/{team_id}/time"]["get"]["parameters"]}
    assert parameters == {"team_id", "start", "end"}


@pytest.mark.parametrize("path", ["/api/webhook/device-event", "/api/webhook/device-events"])
def test_the_device_webhooks_document_every_answer(spec: dict[str, Any], path: str) -> None:
    operation = spec["paths"][path]["post"]
    assert {"401", "403", "413", "422", "503"} <= set(operation["responses"])
    assert operation["requestBody"]["required"] is True
    headers = {p["name"].lower() for p in operation["parameters"] if p["in"] == "header"}
    assert {"x-device-id", "authorization"} <= headers

"""The API sets the dashboard's login cookie HttpOnly, for a page on its own host name only."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest

from tests.utils.users import TestUser
from timetracker.auth.browser_sessions import COOKIE_NAME, COOKIE_PATH, BrowserSessions
from timetracker.cipher import TokenCipher
from timetracker.runtime import Runtime


@pytest.fixture
def handoff(runtime: Runtime, alice: TestUser) -> str:
    opened = BrowserSessions(runtime.db, TokenCipher.from_settings(runtime.settings)).open(
        alice.id, alice.refresh_token, api_sets_cookie=True
    )
    assert opened.handoff is not None
    return opened.handoff


def dashboard_origin(api_url: str) -> str:
    """The dashboard's origin: the API's host name on another port."""
    return f"http://{urlsplit(api_url).hostname}:8501"


def cookie_attributes(response: httpx.Response) -> dict[str, str]:
    [header] = response.headers.get_list("set-cookie")
    name_value, *attributes = [part.strip() for part in header.split(";")]
    name, value = name_value.split("=", 1)
    assert name == COOKIE_NAME
    parsed = {"value": value.strip('"')}
    for attribute in attributes:
        key, _, setting = attribute.partition("=")
        parsed[key.lower()] = setting
    return parsed


def test_a_handoff_code_becomes_an_httponly_cookie_once(
    http: httpx.Client, api_url: str, runtime: Runtime, handoff: str
) -> None:
    origin = dashboard_origin(api_url)
    response = http.post("/api/v1/browser-sessions", data={"handoff": handoff}, headers={"Origin": origin})
    assert response.status_code == 204, response.text
    cookie = cookie_attributes(response)
    assert {"httponly", "path", "samesite", "max-age"} <= cookie.keys()
    assert cookie["path"] == COOKIE_PATH and cookie["samesite"].lower() == "strict"
    assert 29 * 24 * 3600 < int(cookie["max-age"]) <= 30 * 24 * 3600
    assert "secure" not in cookie  # plain http on loopback; https adds it
    # Only the page's own origin may read the answer, with credentials.
    assert response.headers["access-control-allow-origin"] == origin
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["cache-control"] == "no-store"
    # The secret finds the login; the code is spent.
    found = BrowserSessions(runtime.db, TokenCipher.from_settings(runtime.settings)).find(cookie["value"])
    assert found is not None
    again = http.post("/api/v1/browser-sessions", data={"handoff": handoff}, headers={"Origin": origin})
    assert again.status_code == 404 and again.json()["error"] == "not_found"
    assert "set-cookie" not in again.headers


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null", "http://localhost.evil.example:8501"])
def test_only_a_page_on_the_apis_own_host_name_gets_the_cookie(
    http: httpx.Client, handoff: str, origin: str | None
) -> None:
    headers = {"Origin": origin} if origin else {}
    response = http.post("/api/v1/browser-sessions", data={"handoff": handoff}, headers=headers)
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert "set-cookie" not in response.headers
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("data", [{}, {"handoff": ""}, {"handoff": "x" * 101}])
def test_a_missing_or_odd_handoff_is_a_clear_422(http: httpx.Client, api_url: str, data: dict[str, str]) -> None:
    response = http.post("/api/v1/browser-sessions", data=data, headers={"Origin": dashboard_origin(api_url)})
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_an_unknown_handoff_is_404(http: httpx.Client, api_url: str) -> None:
    response = http.post(
        "/api/v1/browser-sessions", data={"handoff": "A" * 43}, headers={"Origin": dashboard_origin(api_url)}
    )
    assert response.status_code == 404


def test_the_end_clears_the_cookie_for_the_dashboards_page(http: httpx.Client, api_url: str) -> None:
    response = http.post("/api/v1/browser-sessions/end", headers={"Origin": dashboard_origin(api_url)})
    assert response.status_code == 204
    cookie = cookie_attributes(response)
    assert cookie["value"] == "" and cookie["max-age"] == "0" and cookie["path"] == COOKIE_PATH
    assert http.post("/api/v1/browser-sessions/end", headers={"Origin": "http://evil.example"}).status_code == 403

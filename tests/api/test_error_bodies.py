"""Whatever goes wrong, the answer is JSON of one shape, and a bug leaks no internals."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.main import create_app
from tests.utils.net import free_port, serve
from timetracker.config import Settings
from timetracker.runtime import Runtime

INTERNALS = "password=hunter2 at /srv/timetracker/secret.py line 42"


@pytest.fixture
def buggy_api(settings: Settings, runtime: Runtime) -> Iterator[httpx.Client]:
    """The real app plus one route with a bug in it."""
    app = create_app(settings, runtime)

    @app.get("/api/v1/bug")
    def bug() -> None:
        raise RuntimeError(INTERNALS)

    with serve(app, free_port()) as url, httpx.Client(base_url=url) as client:
        yield client


def test_a_bug_is_a_json_500_without_its_details(buggy_api: httpx.Client) -> None:
    response = buggy_api.get("/api/v1/bug")
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "message": "Something went wrong on the server; it has been logged.",
    }
    assert "hunter2" not in response.text and "RuntimeError" not in response.text


@pytest.mark.parametrize(
    ("method", "path", "status", "error"),
    [("GET", "/api/v1/nowhere", 404, "not_found"), ("PATCH", "/api/v1/devices", 405, "method_not_allowed")],
)
def test_unknown_routes_and_methods_answer_json(
    http: httpx.Client, method: str, path: str, status: int, error: str
) -> None:
    response = http.request(method, path)
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["message"]

"""One fake Toggl for this folder's tests, and the API and the dashboard pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from components.auth_state import runtime as dashboard_runtime
from tests.imports.fake_toggl import FakeToggl, running_fake_toggl
from tests.ui.conftest import dashboard  # noqa: F401 (the Integrations page's tests drive it)
from timetracker.runtime import Runtime


@pytest.fixture(scope="session")
def toggl_server() -> Iterator[FakeToggl]:
    with running_fake_toggl() as fake:
        yield fake


@pytest.fixture
def toggl(toggl_server: FakeToggl, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> FakeToggl:
    """The fake, emptied, with the API's settings pointing at it for one test."""
    toggl_server.reset()
    monkeypatch.setattr(runtime.settings, "toggl_api_url", toggl_server.url)
    return toggl_server


@pytest.fixture
def dashboard_toggl(toggl: FakeToggl, monkeypatch: pytest.MonkeyPatch) -> FakeToggl:
    """The same, for the dashboard's (cached) runtime too."""
    monkeypatch.setattr(dashboard_runtime().settings, "toggl_api_url", toggl.url)
    return toggl

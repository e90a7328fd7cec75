"""One fake Toggl for this folder's tests, and the API and dashboard pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.imports.fake_toggl import FakeToggl, running_fake_toggl
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

"""A fake WakaTime on loopback and a second real server of ours configured to use it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.utils.apps import RunningApp, running_app, variant
from tests.wakatime.fake_wakatime import FakeWakaTime, running_fake
from timetracker.config import Settings

DASHBOARD = "http://dashboard.example"


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeWakaTime]:
    with running_fake() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeWakaTime) -> FakeWakaTime:
    fake_server.reset()
    return fake_server


@pytest.fixture(scope="module")
def waka_app(settings: Settings, fake_server: FakeWakaTime) -> Iterator[RunningApp]:
    configured = variant(settings, **fake_server.settings(), public_dashboard_url=DASHBOARD)
    configured = configured.model_copy(update={"public_api_url": f"http://127.0.0.1:{configured.api_port}"})
    with running_app(configured) as app:
        yield app


@pytest.fixture
def waka_http(waka_app: RunningApp) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=waka_app.url, timeout=30) as client:
        yield client


# The dashboard as a logged-in person, from the UI tests (a fixture, re-exported for the page tests here).
from tests.ui.conftest import dashboard  # noqa: E402, F401

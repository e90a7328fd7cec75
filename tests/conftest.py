"""Shared fixtures: a real embedded PostgreSQL, the real app on loopback, real accounts.

One database serves the whole session; tests stay independent by making their own
accounts (unique emails) rather than truncating tables. The environment is set before
anything reads settings, so Streamlit's AppTest (which calls get_settings() itself)
talks to the same database and the same auth server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.utils.net import free_port, serve
from tests.utils.users import TestUser, make_user
from timetracker.config import Settings, clear_settings_cache
from timetracker.db import embedded
from timetracker.runtime import Runtime


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("data")
    yield path
    embedded.stop(path)


@pytest.fixture(scope="session")
def api_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def settings(data_dir: Path, api_port: int) -> Iterator[Settings]:
    env = {
        "DATA_DIR": str(data_dir),
        "API_PORT": str(api_port),
        "DATABASE_URL": "",
        "SUPABASE_URL": "",
        "ENVIRONMENT": "development",
        # Generous, so tests that log in many times are not throttled by each other.
        "LOGIN_MAX_FAILURES": "50",
    }
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    clear_settings_cache()
    yield Settings()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    clear_settings_cache()


@pytest.fixture(scope="session")
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime.start(settings)
    yield rt
    rt.close()


@pytest.fixture(scope="session")
def api_url(settings: Settings, runtime: Runtime, api_port: int) -> Iterator[str]:
    """The real FastAPI app served by uvicorn on 127.0.0.1."""
    from api.main import create_app

    with serve(create_app(settings, runtime), api_port) as url:
        yield url


@pytest.fixture
def http(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30) as client:
        yield client


@pytest.fixture
def user_factory(runtime: Runtime) -> Callable[..., TestUser]:
    return lambda name="user": make_user(runtime, name)


@pytest.fixture
def alice(user_factory: Callable[..., TestUser]) -> TestUser:
    return user_factory("alice")


@pytest.fixture
def bob(user_factory: Callable[..., TestUser]) -> TestUser:
    return user_factory("bob")

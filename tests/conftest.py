"""Shared fixtures: a real embedded PostgreSQL, the real app on loopback, real accounts.

One database serves the whole session; tests stay independent by making their own
accounts (unique emails) rather than truncating tables. The environment is set before
anything reads settings, so Streamlit's AppTest (which calls get_settings() itself)
talks to the same database and the same auth server.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from psycopg.conninfo import make_conninfo

from tests.utils.browser import CHROMIUM, CHROMIUM_ARGS, running_dashboard
from tests.utils.net import free_port, serve
from tests.utils.supabase_project import SupabaseProject, create_supabase_project, drop_database
from tests.utils.users import TestUser, make_user
from timetracker.config import Settings, clear_settings_cache
from timetracker.db import embedded
from timetracker.runtime import Runtime

# The sync client keeps its login in the system keyring when there is one: tests never touch a
# developer's real keychain (the keyring test sets a backend of its own).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


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
        # No test reaches the real Toggl: those that import from it start a fake (tests/imports).
        "TOGGL_API_URL": "http://127.0.0.1:9",
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

    with serve(create_app(settings, runtime), api_port, settings.trusted_proxies) as url:
        yield url


@pytest.fixture(scope="session")
def supabase_project(runtime: Runtime) -> Iterator[SupabaseProject]:
    """A 2026 Supabase project's database (in this cluster), after `db up` ran on it twice."""
    project = create_supabase_project(runtime.db.admin_url)
    yield project
    drop_database(runtime.db.admin_url, project.url)


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


@pytest.fixture(scope="session")
def dashboard_url(settings: Settings, api_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real dashboard (`streamlit run`) on loopback, wired to this session's API and database."""
    with running_dashboard(tmp_path_factory.mktemp("streamlit") / "streamlit.log") as url:
        yield url


# On a loaded 2-core machine a page can take seconds to settle: every action and every
# assertion waits this long for its condition (Playwright's own default for both is 5 s).
BROWSER_WAIT_MS = 30_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for every browser test (Playwright's sync API allows one per thread)."""
    expect.set_options(timeout=BROWSER_WAIT_MS)  # every assertion, in every test's own contexts too
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(BROWSER_WAIT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def access_log() -> Iterator[list[str]]:
    """uvicorn's access log lines while the test runs (the servers themselves log at warning)."""
    logger = logging.getLogger("uvicorn.access")
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def fresh_database(runtime: Runtime) -> Iterator[str]:
    """An empty database in the same cluster (the roles already exist, as on a re-install)."""
    name = f"migrations_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    yield make_conninfo(runtime.db.admin_url, dbname=name)
    with psycopg.connect(runtime.db.admin_url, autocommit=True) as conn:
        conn.execute(f'drop database "{name}" with (force)')

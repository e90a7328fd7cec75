"""Drive the real dashboard script with Streamlit's AppTest, against the session's database and auth server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.auth_state import EMAIL_KEY, LOGIN_KEY
from tests.utils.users import TestUser
from timetracker.auth.supabase_session import SupabaseLogin
from timetracker.config import Settings

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def open_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30)


@pytest.fixture
def logged_out_app(settings: Settings, api_url: str) -> AppTest:
    """The dashboard as a fresh browser sees it (the API, hence /auth/v1, is up)."""
    at = open_app()
    at.run()
    return at


@pytest.fixture
def dashboard(settings: Settings, api_url: str) -> Callable[[TestUser], AppTest]:
    """The dashboard for `user`, logged in through the real supabase client, on My time."""

    def open_as(user: TestUser) -> AppTest:
        login = SupabaseLogin(settings)
        login.sign_in(user.email, user.password)
        at = open_app()
        at.session_state[LOGIN_KEY] = login
        at.session_state[EMAIL_KEY] = user.email
        at.run()
        assert not at.exception, at.exception
        return at

    return open_as

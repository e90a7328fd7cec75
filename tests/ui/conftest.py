"""Drive the real dashboard script with Streamlit's AppTest, against the session's database and auth server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
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


def codes(at: AppTest) -> list[str]:
    """Every st.code block on the page (where secrets, URLs and curl commands are shown)."""
    return [block.value for block in at.code]


def secrets_shown(at: AppTest, prefix: str) -> list[str]:
    return [value for value in codes(at) if value.startswith(prefix)]


def show_dates(at: AppTest, first: date, last: date) -> AppTest:
    """My time for [first, last]."""
    at.date_input(key="dates").set_value((first, last)).run()
    assert not at.exception, at.exception
    return at


def charts_json(at: AppTest) -> str:
    """The figure JSON of every plotly chart on the page."""
    return " ".join(chart.proto.spec for chart in at.get("plotly_chart"))


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with `column` (st.dataframe keeps no key AppTest can read)."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)

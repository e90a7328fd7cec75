"""Logging in and out of the dashboard with the real supabase client against /auth/v1."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from supabase_auth.errors import AuthApiError

from components.auth_state import LOGIN_KEY
from tests.utils.auth_clients import auth_client
from tests.utils.users import PASSWORD, TestUser, unique_email


def submit_login(at: AppTest, email: str, password: str) -> None:
    at.text_input(key="log_in_email").input(email)
    at.text_input(key="log_in_password").input(password)
    at.button(key="FormSubmitter:log_in-Log in").click().run()


def test_logged_out_shows_only_the_login(logged_out_app: AppTest) -> None:
    assert logged_out_app.title[0].value == "Time Tracker"
    assert logged_out_app.text_input(key="log_in_email") is not None
    assert not logged_out_app.exception


def test_wrong_password_says_so(logged_out_app: AppTest, alice: TestUser) -> None:
    submit_login(logged_out_app, alice.email, "not the password")
    assert [error.value for error in logged_out_app.error] == ["Wrong email or password."]
    assert logged_out_app.title[0].value == "Time Tracker"


def test_sign_up_then_log_in_reaches_my_time(logged_out_app: AppTest) -> None:
    at = logged_out_app
    email = unique_email("newcomer")
    at.text_input(key="sign_up_email").input(email)
    at.text_input(key="sign_up_password").input(PASSWORD)
    at.button(key="FormSubmitter:sign_up-Sign up").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "My time"


def test_duplicate_sign_up_and_weak_password_are_explained(logged_out_app: AppTest, alice: TestUser) -> None:
    at = logged_out_app
    at.text_input(key="sign_up_email").input(alice.email)
    at.text_input(key="sign_up_password").input(PASSWORD)
    at.button(key="FormSubmitter:sign_up-Sign up").click().run()
    assert "already exists" in at.error[0].value
    at.text_input(key="sign_up_email").input(unique_email("weak"))
    at.text_input(key="sign_up_password").input("short")
    at.button(key="FormSubmitter:sign_up-Sign up").click().run()
    assert "too weak" in at.error[0].value


def test_log_in_with_the_form_then_log_out(logged_out_app: AppTest, alice: TestUser, api_url: str) -> None:
    at = logged_out_app
    submit_login(at, alice.email, alice.password)
    assert at.title[0].value == "My time"
    refresh_token = at.session_state[LOGIN_KEY].client.get_session().refresh_token
    at.switch_page("components/log_out.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Time Tracker"
    assert [info.value for info in at.info] == ["You are logged out."]
    assert LOGIN_KEY not in at.session_state
    # The session ended on the server too: its refresh token no longer works.
    with pytest.raises(AuthApiError):
        auth_client(api_url).refresh_session(refresh_token)

"""The dashboard's login over time: refresh before expiry, an ended session, throttled logins.

These need auth settings the shared server must not have (a 5 s token lifetime, a strict
throttle), so each starts its own real server on the same database; the dashboard's login
client is pointed at it, while the page verifies tokens with the same secret as always.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.auth_state import EMAIL_KEY, LOGIN_KEY
from tests.ui.conftest import open_app
from tests.utils.apps import running_app, variant
from tests.utils.auth_clients import auth_client
from tests.utils.users import TestUser
from timetracker.auth.supabase_session import SupabaseLogin
from timetracker.config import Settings
from timetracker.runtime import Runtime


def logged_in_app(login: SupabaseLogin, user: TestUser) -> AppTest:
    at = open_app()
    at.session_state[LOGIN_KEY] = login
    at.session_state[EMAIL_KEY] = user.email
    return at


def refresh_tokens_issued(runtime: Runtime, user: TestUser) -> int:
    """How many refresh tokens the auth server has issued for the user (one per login or refresh)."""
    with runtime.db.as_service() as conn:
        return conn.execute("select count(*) as n from auth.refresh_tokens where user_id = %s", (user.id,)).fetchone()[
            "n"
        ]


def test_a_token_about_to_expire_is_refreshed_and_an_ended_session_returns_to_login(
    settings: Settings, api_url: str, runtime: Runtime, alice: TestUser
) -> None:
    # Tokens live 5 s, less than the client's 10 s safety margin: every page run must refresh.
    short = variant(settings, access_token_ttl_seconds=5)
    with running_app(short) as app:
        login = SupabaseLogin(short)
        login.sign_in(alice.email, alice.password)
        issued = refresh_tokens_issued(runtime, alice)
        at = logged_in_app(login, alice)
        at.run()
        assert not at.exception, at.exception
        assert at.title[0].value == "My time"
        assert refresh_tokens_issued(runtime, alice) == issued + 1

        # Log out everywhere from another client: the dashboard's next refresh is refused.
        other = auth_client(app.url)
        other.sign_in_with_password({"email": alice.email, "password": alice.password})
        other.sign_out()
        at.run()
        assert not at.exception, at.exception
        assert at.title[0].value == "Time Tracker"
        assert [info.value for info in at.info] == ["Your session has ended. Please log in again."]
        assert LOGIN_KEY not in at.session_state


def test_repeated_failures_are_throttled_with_the_servers_message(
    settings: Settings, api_url: str, alice: TestUser
) -> None:
    strict = variant(settings, login_max_failures=2, login_lockout_seconds=120)
    with running_app(strict):
        at = open_app()
        at.session_state[LOGIN_KEY] = SupabaseLogin(strict)
        at.run()
        messages = []
        for _ in range(3):
            at.text_input(key="log_in_email").input(alice.email)
            at.text_input(key="log_in_password").input("wrong password")
            at.button(key="FormSubmitter:log_in-Log in").click().run()
            messages.append(at.error[0].value)
        assert messages[:2] == ["Wrong email or password."] * 2
        assert messages[2].startswith("Too many failed logins. Try again in")

"""The login kept in the browser's cookie: written after login and every rotation, resumed by a
new session, shared safely by tabs, refused when stolen, dropped on log out.

AppTest cannot send cookies, so `session_cookie.browser_cookies` (what the websocket handshake
carried) is replaced by the cookie a browser would send; everything else is real: the auth
server, the supabase client, the refresh-token rotation and its reuse detection.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from components import session_cookie
from components.auth_state import EMAIL_KEY, LOGIN_KEY
from tests.ui.conftest import open_app
from tests.ui.test_session import logged_in_app, refresh_tokens_issued
from tests.utils.apps import running_app, variant
from tests.utils.users import TestUser
from timetracker.auth.supabase_session import SupabaseLogin
from timetracker.config import Settings
from timetracker.runtime import Runtime

BrowserCookie = Callable[[str | None], None]


@pytest.fixture
def browser_cookie(monkeypatch: pytest.MonkeyPatch) -> BrowserCookie:
    """Set the cookie the next new session's browser sends (None: no cookie)."""

    def send(value: str | None) -> None:
        jar = {session_cookie.COOKIE_NAME: value} if value is not None else {}
        monkeypatch.setattr(session_cookie, "browser_cookies", lambda: jar)

    send(None)
    return send


def cookie_scripts(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html") if session_cookie.COOKIE_NAME in element.proto.body]


def new_tab(login_settings: Settings) -> AppTest:
    """A new browser session (reload or tab) whose login client talks to `login_settings`' server."""
    at = open_app()
    at.session_state[LOGIN_KEY] = SupabaseLogin(login_settings)
    at.run()
    assert not at.exception, at.exception
    return at


def held_refresh_token(at: AppTest) -> str:
    token = at.session_state[LOGIN_KEY].refresh_token()
    assert token
    return token


def test_a_logged_in_page_writes_only_the_refresh_token_into_a_strict_cookie(
    settings: Settings, api_url: str, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    at = logged_in_app(login, alice)
    at.run()
    assert at.title[0].value == "My time"
    [script] = cookie_scripts(at)
    assert held_refresh_token(at) in script
    assert "SameSite=Strict" in script and "Path=/" in script and "Secure" in script
    assert login.access_token() not in script


def test_a_new_session_resumes_from_the_cookie_and_a_bad_cookie_leads_to_the_login(
    settings: Settings, api_url: str, runtime: Runtime, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    kept = login.refresh_token()
    issued = refresh_tokens_issued(runtime, alice)

    browser_cookie(kept)
    at = new_tab(settings)
    assert at.title[0].value == "My time"
    assert at.session_state[EMAIL_KEY] == alice.email
    assert refresh_tokens_issued(runtime, alice) == issued + 1
    # The rotated token replaces the spent one in the browser.
    [script] = cookie_scripts(at)
    assert held_refresh_token(at) in script and kept not in script

    for bad in ["not-a-token-the-server-knows", "eyJ.a.b", "<script>"]:
        browser_cookie(bad)
        at = new_tab(settings)
        assert at.title[0].value == "Time Tracker"
        assert EMAIL_KEY not in at.session_state
    # Unknown to the server: the browser is told to drop it. Not a token at all: never sent.
    browser_cookie("not-a-token-the-server-knows")
    assert any("Max-Age=0" in script for script in cookie_scripts(new_tab(settings)))
    browser_cookie("<script>")
    assert cookie_scripts(new_tab(settings)) == []


def test_an_unreachable_auth_server_keeps_the_cookie(
    settings: Settings, api_url: str, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    browser_cookie("a-refresh-token-kept-for-later")
    at = new_tab(variant(settings))  # a port nothing listens on
    assert at.title[0].value == "Time Tracker"
    assert cookie_scripts(at) == []


def test_two_tabs_opened_at_once_share_one_session_without_reusing_a_token(
    settings: Settings, api_url: str, runtime: Runtime, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    # A generous grace period, so a slow machine cannot push the second tab outside it.
    graceful = variant(settings, refresh_token_reuse_seconds=600)
    with running_app(graceful):
        login = SupabaseLogin(graceful)
        login.sign_in(alice.email, alice.password)
        issued = refresh_tokens_issued(runtime, alice)
        browser_cookie(login.refresh_token())
        first, second = new_tab(graceful), new_tab(graceful)
        assert first.title[0].value == second.title[0].value == "My time"
        # One rotation: the second tab took over the first tab's session instead of forking it.
        assert refresh_tokens_issued(runtime, alice) == issued + 1
        assert held_refresh_token(first) == held_refresh_token(second)


def test_tabs_with_short_tokens_keep_following_one_chain_and_a_stolen_old_cookie_ends_the_session(
    settings: Settings, api_url: str, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    # Every run refreshes (5 s tokens, 10 s client margin) and any reuse counts as theft (no grace).
    strict = variant(settings, access_token_ttl_seconds=5, refresh_token_reuse_seconds=0)
    with running_app(strict):
        login = SupabaseLogin(strict)
        login.sign_in(alice.email, alice.password)
        stolen = login.refresh_token()
        first = logged_in_app(login, alice)
        first.run()
        browser_cookie(held_refresh_token(first))
        second = new_tab(strict)
        # Each tab's next refresh would reuse a token the other tab already rotated: it follows
        # the chain instead, so the server never sees a reuse and both stay logged in.
        for _ in range(2):
            for tab in (first, second):
                tab.run()
                assert not tab.exception, tab.exception
                assert tab.title[0].value == "My time"

        # A copy of an old cookie, outside the grace period: the server sees the reuse and ends
        # the session, for the thief and for the person's tabs alike.
        assert stolen is not None
        browser_cookie(stolen)
        thief = new_tab(strict)
        assert thief.title[0].value == "Time Tracker"
        first.run()
        assert first.title[0].value == "Time Tracker"
        assert [info.value for info in first.info] == ["Your session has ended. Please log in again."]
        assert any("Max-Age=0" in script for script in cookie_scripts(first))


def test_log_out_drops_the_cookie_and_a_later_session_cannot_resume(
    settings: Settings, api_url: str, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    at = logged_in_app(login, alice)
    at.run()
    kept = held_refresh_token(at)
    at.switch_page("components/log_out.py").run()
    assert at.title[0].value == "Time Tracker"
    [script] = cookie_scripts(at)
    assert "Max-Age=0" in script and kept not in script
    # Logging in again in the same tab writes a cookie again.
    at.text_input(key="log_in_email").input(alice.email)
    at.text_input(key="log_in_password").input(alice.password)
    at.button(key="FormSubmitter:log_in-Log in").click().run()
    assert at.title[0].value == "My time"
    [script] = cookie_scripts(at)
    assert held_refresh_token(at) in script and "Max-Age=0" not in script

    browser_cookie(kept)
    assert new_tab(settings).title[0].value == "Time Tracker"

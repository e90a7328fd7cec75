"""The login kept for the browser: the refresh token on the server, an opaque secret in the
cookie (set by the API HttpOnly on the API's host name, written by the page elsewhere),
resumed by a new session, shared safely by tabs, ended by theft and by log out.

AppTest cannot send cookies or headers, so `session_cookie.browser_cookies` (what the
websocket handshake carried) and `session_cookie.dashboard_host` are replaced by what a
browser would send; everything else is real: the auth server, the supabase client, the
refresh-token rotation and its reuse detection, the kept logins in the database, the API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from components import session_cookie
from components.auth_state import EMAIL_KEY, LOGIN_KEY
from tests.ui.conftest import open_app
from tests.ui.test_session import logged_in_app, refresh_tokens_issued
from tests.utils.apps import running_app, variant
from tests.utils.users import TestUser
from timetracker.auth.browser_sessions import COOKIE_NAME, COOKIE_PATH, SCRIPT_LIFETIME_SECONDS, BrowserSessions
from timetracker.auth.supabase_session import LoginFailed, SupabaseLogin
from timetracker.cipher import TokenCipher
from timetracker.config import Settings
from timetracker.runtime import Runtime

BrowserCookie = Callable[[str | None], None]
SECRET_IN_SCRIPT = re.compile(COOKIE_NAME + r"\" \+ '=' \+ \"([A-Za-z0-9_-]{43})\"")
HANDOFF_IN_SCRIPT = re.compile(r'"handoff": "([A-Za-z0-9_-]{43})"')


@pytest.fixture
def browser_cookie(monkeypatch: pytest.MonkeyPatch) -> BrowserCookie:
    """Set the cookie the next new session's browser sends (None: no cookie)."""

    def send(value: str | None) -> None:
        jar = {COOKIE_NAME: value} if value is not None else {}
        monkeypatch.setattr(session_cookie, "browser_cookies", lambda: jar)

    send(None)
    return send


@pytest.fixture
def kept(runtime: Runtime) -> BrowserSessions:
    return BrowserSessions(runtime.db, TokenCipher.from_settings(runtime.settings))


def page_scripts(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html") if "<script>" in element.proto.body]


def written_secret(at: AppTest) -> str:
    """The secret the page's script writes into the cookie."""
    [script] = page_scripts(at)
    match = SECRET_IN_SCRIPT.search(script)
    assert match, script
    return match.group(1)


def drops_cookie(at: AppTest) -> bool:
    return any("Max-Age=0" in script for script in page_scripts(at))


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


def kept_for(kept: BrowserSessions, login: SupabaseLogin, user: TestUser) -> str:
    """A login kept for the browser from `login`'s refresh token, as a page's first run keeps it."""
    token = login.refresh_token()
    assert token
    opened = kept.open(user.id, token, api_sets_cookie=False)
    assert opened.secret
    return opened.secret


def test_the_page_gives_the_browser_only_a_secret_and_keeps_the_refresh_token_on_the_server(
    settings: Settings, api_url: str, kept: BrowserSessions, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    at = logged_in_app(login, alice)
    at.run()
    assert at.title[0].value == "My time"
    [script] = page_scripts(at)
    secret = written_secret(at)
    for token in (held_refresh_token(at), login.access_token()):
        assert token is not None and token not in script
    # Another host name than the API's: written by the page, so short-lived, and scoped.
    assert f"Path={COOKIE_PATH};" in script and f"Max-Age={SCRIPT_LIFETIME_SECONDS};" in script
    assert "SameSite=Strict" in script and "Secure" in script
    found = kept.find(secret)
    assert found is not None and found.refresh_token == held_refresh_token(at)
    # A later run that rotates nothing writes nothing new.
    at.run()
    assert written_secret(at) == secret


def test_on_the_apis_host_name_the_api_sets_the_cookie_from_a_one_time_code(
    settings: Settings,
    api_url: str,
    kept: BrowserSessions,
    browser_cookie: BrowserCookie,
    monkeypatch: pytest.MonkeyPatch,
    alice: TestUser,
) -> None:
    api_host = urlsplit(settings.api_base_url).hostname
    monkeypatch.setattr(session_cookie, "dashboard_host", lambda: f"{api_host}:8501")
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    at = logged_in_app(login, alice)
    at.run()
    [script] = page_scripts(at)
    assert "document.cookie" not in script
    assert f'fetch("{settings.api_base_url}/api/v1/browser-sessions"' in script
    assert "credentials: 'include'" in script
    match = HANDOFF_IN_SCRIPT.search(script)
    assert match, script

    # What the browser's fetch does: the API answers the cookie, and it finds the login.
    response = httpx.post(
        f"{api_url}/api/v1/browser-sessions",
        data={"handoff": match.group(1)},
        headers={"Origin": f"http://{urlsplit(api_url).hostname}:8501"},
    )
    assert response.status_code == 204
    secret = response.cookies[COOKIE_NAME]
    browser_cookie(secret)
    again = new_tab(settings)
    assert again.title[0].value == "My time"
    assert page_scripts(again) == []  # the cookie is already there; nothing to hand over
    found = kept.find(secret)
    assert found is not None and found.refresh_token == held_refresh_token(again)


def test_a_new_session_resumes_from_the_cookie_and_a_bad_cookie_leads_to_the_login(
    settings: Settings,
    api_url: str,
    runtime: Runtime,
    kept: BrowserSessions,
    browser_cookie: BrowserCookie,
    alice: TestUser,
) -> None:
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    secret = kept_for(kept, login, alice)
    issued = refresh_tokens_issued(runtime, alice)

    browser_cookie(secret)
    at = new_tab(settings)
    assert at.title[0].value == "My time"
    assert at.session_state[EMAIL_KEY] == alice.email
    assert refresh_tokens_issued(runtime, alice) == issued + 1
    # The rotated token replaced the spent one on the server; the cookie stays as it is.
    found = kept.find(secret)
    assert found is not None and found.refresh_token == held_refresh_token(at) != login.refresh_token()
    assert page_scripts(at) == []

    for bad in ["A" * 43, "not-a-secret", "<script>"]:
        browser_cookie(bad)
        at = new_tab(settings)
        assert at.title[0].value == "Time Tracker"
        assert EMAIL_KEY not in at.session_state
    # Of our shape but unknown: the browser is told to drop it. Not ours at all: never looked up.
    browser_cookie("A" * 43)
    assert drops_cookie(new_tab(settings))
    browser_cookie("<script>")
    assert page_scripts(new_tab(settings)) == []


def test_an_unreachable_auth_server_keeps_the_cookie(
    settings: Settings, api_url: str, kept: BrowserSessions, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    secret = kept_for(kept, login, alice)
    browser_cookie(secret)
    at = new_tab(variant(settings))  # a port nothing listens on
    assert at.title[0].value == "Time Tracker"
    assert page_scripts(at) == []
    assert kept.find(secret) is not None


def test_two_tabs_opened_at_once_share_one_session_without_reusing_a_token(
    settings: Settings,
    api_url: str,
    runtime: Runtime,
    kept: BrowserSessions,
    browser_cookie: BrowserCookie,
    alice: TestUser,
) -> None:
    # A generous grace period, so a slow machine cannot push the second tab outside it.
    graceful = variant(settings, refresh_token_reuse_seconds=600)
    with running_app(graceful):
        login = SupabaseLogin(graceful)
        login.sign_in(alice.email, alice.password)
        issued = refresh_tokens_issued(runtime, alice)
        secret = kept_for(kept, login, alice)
        browser_cookie(secret)
        first, second = new_tab(graceful), new_tab(graceful)
        assert first.title[0].value == second.title[0].value == "My time"
        # Each tab rotated the newest token it found once: no token was used twice, so the
        # session lives on, and the kept login holds the newest token of the one chain.
        assert refresh_tokens_issued(runtime, alice) == issued + 2
        found = kept.find(secret)
        assert found is not None and found.refresh_token == held_refresh_token(second)
        for tab in (first, second):
            tab.run()
            assert tab.title[0].value == "My time"


def test_tabs_with_short_tokens_keep_following_one_chain_and_a_stolen_old_token_ends_the_login(
    settings: Settings, api_url: str, kept: BrowserSessions, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    # Every run refreshes (5 s tokens, 10 s client margin) and any reuse counts as theft (no grace).
    strict = variant(settings, access_token_ttl_seconds=5, refresh_token_reuse_seconds=0)
    with running_app(strict):
        login = SupabaseLogin(strict)
        login.sign_in(alice.email, alice.password)
        stolen = login.refresh_token()
        first = logged_in_app(login, alice)
        first.run()
        secret = written_secret(first)
        browser_cookie(secret)
        second = new_tab(strict)
        # Each tab's next refresh would reuse a token the other tab already rotated: it follows
        # the chain instead, so the server never sees a reuse and both stay logged in.
        for _ in range(2):
            for tab in (first, second):
                tab.run()
                assert not tab.exception, tab.exception
                assert tab.title[0].value == "My time"

        # An old refresh token used again, outside the grace period: the server sees the reuse
        # and ends the session, for the thief and for the person's tabs alike.
        assert stolen is not None
        thief = SupabaseLogin(strict)
        with pytest.raises(LoginFailed):
            thief.resume(stolen)
        first.run()
        assert first.title[0].value == "Time Tracker"
        assert [info.value for info in first.info] == ["Your session has ended. Please log in again."]
        assert drops_cookie(first)
        assert kept.find(secret) is None


def test_log_out_drops_the_cookie_and_ends_the_kept_login(
    settings: Settings, api_url: str, kept: BrowserSessions, browser_cookie: BrowserCookie, alice: TestUser
) -> None:
    login = SupabaseLogin(settings)
    login.sign_in(alice.email, alice.password)
    at = logged_in_app(login, alice)
    at.run()
    secret = written_secret(at)
    at.switch_page("components/log_out.py").run()
    assert at.title[0].value == "Time Tracker"
    [script] = page_scripts(at)
    assert "Max-Age=0" in script and secret not in script
    assert kept.find(secret) is None
    # Logging in again in the same tab keeps a new login under a new secret.
    at.text_input(key="log_in_email").input(alice.email)
    at.text_input(key="log_in_password").input(alice.password)
    at.button(key="FormSubmitter:log_in-Log in").click().run()
    assert at.title[0].value == "My time"
    again = written_secret(at)
    assert again != secret and not drops_cookie(at)

    browser_cookie(secret)
    assert new_tab(settings).title[0].value == "Time Tracker"

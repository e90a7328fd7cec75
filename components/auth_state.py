"""Who is logged in to this browser session, and the shared runtime every page uses.

The login lives in `st.session_state` (one `SupabaseLogin` per browser session, never shared);
the database pool and the token verifier live in one cached `Runtime` per process. The browser
keeps an opaque secret in a cookie (components/session_cookie.py) standing for a login kept on
the server (timetracker/auth/browser_sessions.py), so a new session (a reload, a second tab,
the way back from WakaTime) resumes the login instead of asking for it again.
"""

from __future__ import annotations

import contextlib

import streamlit as st

from components import session_cookie
from timetracker import credentials
from timetracker.auth import browser_sessions, client_address
from timetracker.auth.browser_sessions import BrowserSessions, OpenedSession
from timetracker.auth.errors import AuthError
from timetracker.auth.principal import Principal
from timetracker.auth.supabase_session import LoginFailed, SupabaseLogin
from timetracker.config import get_settings
from timetracker.db import DatabaseUnavailable
from timetracker.runtime import Runtime

LOGIN_KEY = "login"
EMAIL_KEY = "login_email"
NOTICE_KEY = "login_notice"
# Set once this session has tried the browser's cookie, so a refused one is not retried each run.
RESUME_TRIED_KEY = "login_resume_tried"
# Set when the browser's cookie must go (logged out, session ended); cleared by the next login.
DROP_COOKIE_KEY = "login_drop_cookie"
# The login this browser keeps on the server, the digest of the refresh token stored there last,
# and how the cookie reaches the browser (an OpenedSession), when this session opened it.
KEPT_LOGIN_KEY = "kept_login"
KEPT_TOKEN_KEY = "kept_login_token"  # noqa: S105 (a session_state key)
OPENED_KEY = "kept_login_opened"


@st.cache_resource(show_spinner=False)
def runtime() -> Runtime:
    return Runtime.start(get_settings())


@st.cache_resource(show_spinner=False)
def kept_logins() -> BrowserSessions:
    return BrowserSessions(runtime().db, runtime().cipher)


def api_sets_cookie() -> bool:
    """Whether this browser reaches the API by the dashboard's host name, so the API can set
    the login cookie HttpOnly (otherwise the page writes it, short-lived)."""
    return browser_sessions.api_sets_cookie(session_cookie.dashboard_host(), runtime().settings.api_base_url)


def drop_cookie() -> None:
    session_cookie.delete(runtime().settings.api_base_url if api_sets_cookie() else None)


def browser_address() -> str | None:
    """This browser's address, which the login client names to the auth server's throttle
    (behind a reverse proxy in TRUSTED_PROXIES, the address that proxy forwarded)."""
    forwarded_for = ", ".join(st.context.headers.get_all("X-Forwarded-For")) or None
    return client_address.browser_address(st.context.ip_address, forwarded_for, runtime().settings.trusted_proxies)


def login() -> SupabaseLogin:
    """This browser session's login client (made on first use)."""
    if LOGIN_KEY not in st.session_state:
        st.session_state[LOGIN_KEY] = SupabaseLogin(runtime().settings, browser_address())
    return st.session_state[LOGIN_KEY]


def is_logged_in() -> bool:
    return bool(st.session_state.get(EMAIL_KEY))


def remember_login(email: str) -> None:
    st.session_state[EMAIL_KEY] = email.strip()
    st.session_state.pop(NOTICE_KEY, None)
    st.session_state.pop(DROP_COOKIE_KEY, None)


def forget_login(notice: str | None = None) -> None:
    """Drop everything this browser session knew (secrets shown once included), the cookie and
    the login kept for it too."""
    kept = st.session_state.get(KEPT_LOGIN_KEY)
    if kept is not None:
        # If the database is down the row stays: its refresh token is spent or revoked anyway.
        with contextlib.suppress(DatabaseUnavailable):
            kept_logins().close(kept)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[DROP_COOKIE_KEY] = True
    if notice:
        st.session_state[NOTICE_KEY] = notice


def resume_browser_login() -> None:
    """Log this new session in from the login the browser's cookie stands for, or drop a
    cookie that must go. The router calls it on every run, before it asks who is logged in.
    """
    if is_logged_in():
        return
    if st.session_state.get(DROP_COOKIE_KEY):
        # Kept on the page while logged out: the script runs once, later runs repeat it unchanged.
        drop_cookie()
        return
    if st.session_state.get(RESUME_TRIED_KEY):
        return
    secret = session_cookie.read()
    if not secret:
        st.session_state[RESUME_TRIED_KEY] = True
        return
    try:
        kept = kept_logins().find(secret)
    except DatabaseUnavailable:
        return  # the page says so; the next run tries again
    st.session_state[RESUME_TRIED_KEY] = True
    if kept is None:
        # Logged out, expired, or from a database since reset: log in by hand.
        st.session_state[DROP_COOKIE_KEY] = True
        drop_cookie()
        return
    try:
        email = login().resume(kept.refresh_token)
    except LoginFailed as exc:
        if exc.refused:
            # Signed out elsewhere or revoked: the kept login is over.
            kept_logins().close(kept.id)
            st.session_state[DROP_COOKIE_KEY] = True
            drop_cookie()
        # Otherwise the auth server is unreachable: keep the cookie for the next visit.
        return
    st.session_state[KEPT_LOGIN_KEY] = kept.id
    remember_login(email)
    # The resumed refresh token is spent: the kept login must hold the new one at once.
    keep_browser_login(str(kept.user_id))


def keep_browser_login(user_id: str) -> None:
    """Keep this login for the browser: on the first run after a login, open it and hand the
    cookie over; after every rotation, store the new refresh token (the old one is spent)."""
    token = login().refresh_token()
    if not token:
        return
    digest = credentials.digest(token)
    kept = st.session_state.get(KEPT_LOGIN_KEY)
    if st.session_state.get(KEPT_TOKEN_KEY) != digest:
        if kept is None or not kept_logins().keep(kept, token):
            # Logged in here, or the kept login ran out: a new one, and a new cookie.
            opened = kept_logins().open(user_id, token, api_sets_cookie=api_sets_cookie())
            st.session_state[KEPT_LOGIN_KEY] = opened.id
            st.session_state[OPENED_KEY] = opened
        st.session_state[KEPT_TOKEN_KEY] = digest
    opened = st.session_state.get(OPENED_KEY)
    if opened is not None:
        # Rendered on every run: a run cut short by a rerun may never have mounted it.
        hand_cookie_over(opened)


def hand_cookie_over(opened: OpenedSession) -> None:
    if opened.handoff:
        session_cookie.hand_off(runtime().settings.api_base_url, opened.handoff)
    elif opened.secret:
        session_cookie.write(opened.secret)


def log_out() -> None:
    if LOGIN_KEY in st.session_state:
        st.session_state[LOGIN_KEY].sign_out()
    forget_login("You are logged out.")


def current_principal() -> Principal:
    """The logged-in person, verified from a fresh access token; otherwise stop the page."""
    token: str | None = None
    if is_logged_in():
        try:
            token = login().access_token()
        except LoginFailed:
            token = None
    if token:
        try:
            principal = runtime().authenticator.from_access_token(token)
        except AuthError:
            pass
        else:
            keep_browser_login(str(principal.user_id))
            return principal
    if is_logged_in():
        # The session ended under us (expired refresh, revoked): back to the login page.
        forget_login("Your session has ended. Please log in again.")
        st.rerun()
    st.info("Log in to see this page.")
    st.stop()

"""Who is logged in to this browser session, and the shared runtime every page uses.

The login lives in `st.session_state` (one `SupabaseLogin` per browser session, never shared);
the database pool and the token verifier live in one cached `Runtime` per process. The browser
keeps the refresh token in a cookie (components/session_cookie.py), so a new session (a reload,
a second tab, the way back from WakaTime) resumes the login instead of asking for it again.
"""

from __future__ import annotations

import streamlit as st

from components import session_cookie
from timetracker.auth import client_address
from timetracker.auth.errors import AuthError
from timetracker.auth.principal import Principal
from timetracker.auth.supabase_session import LoginFailed, SupabaseLogin
from timetracker.config import get_settings
from timetracker.runtime import Runtime

LOGIN_KEY = "login"
EMAIL_KEY = "login_email"
NOTICE_KEY = "login_notice"
# Set once this session has tried the browser's cookie, so a refused one is not retried each run.
RESUME_TRIED_KEY = "login_resume_tried"
# Set when the browser's cookie must go (logged out, session ended); cleared by the next login.
DROP_COOKIE_KEY = "login_drop_cookie"


@st.cache_resource(show_spinner=False)
def runtime() -> Runtime:
    return Runtime.start(get_settings())


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
    """Drop everything this browser session knew (secrets shown once included), the cookie too."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[DROP_COOKIE_KEY] = True
    if notice:
        st.session_state[NOTICE_KEY] = notice


def resume_browser_login() -> None:
    """Log this new session in from the browser's cookie, or drop a cookie that must go.

    The router calls it on every run, before it asks who is logged in.
    """
    if is_logged_in():
        return
    if st.session_state.get(DROP_COOKIE_KEY):
        # Kept on the page while logged out: the script runs once, later runs repeat it unchanged.
        session_cookie.delete()
        return
    if st.session_state.get(RESUME_TRIED_KEY):
        return
    st.session_state[RESUME_TRIED_KEY] = True
    refresh_token = session_cookie.read()
    if not refresh_token:
        return
    try:
        email = login().resume(refresh_token)
    except LoginFailed as exc:
        if exc.refused:
            # Signed out elsewhere, revoked, or from a database since reset: log in by hand.
            st.session_state[DROP_COOKIE_KEY] = True
            session_cookie.delete()
        # Otherwise the auth server is unreachable: keep the cookie for the next visit.
        return
    remember_login(email)


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
            # After every rotation the browser must hold the new refresh token: the old one is spent.
            session_cookie.write(login().refresh_token())
            return principal
    if is_logged_in():
        # The session ended under us (expired refresh, revoked): back to the login page.
        forget_login("Your session has ended. Please log in again.")
        st.rerun()
    st.info("Log in to see this page.")
    st.stop()

"""Who is logged in to this browser session, and the shared runtime every page uses.

The login lives in `st.session_state` (one `SupabaseLogin` per browser session, never shared);
the database pool and the token verifier live in one cached `Runtime` per process.
"""

from __future__ import annotations

import streamlit as st

from timetracker.auth.errors import AuthError
from timetracker.auth.principal import Principal
from timetracker.auth.supabase_session import LoginFailed, SupabaseLogin
from timetracker.config import get_settings
from timetracker.runtime import Runtime

LOGIN_KEY = "login"
EMAIL_KEY = "login_email"
NOTICE_KEY = "login_notice"


@st.cache_resource(show_spinner=False)
def runtime() -> Runtime:
    return Runtime.start(get_settings())


def login() -> SupabaseLogin:
    """This browser session's login client (made on first use)."""
    if LOGIN_KEY not in st.session_state:
        st.session_state[LOGIN_KEY] = SupabaseLogin(runtime().settings)
    return st.session_state[LOGIN_KEY]


def is_logged_in() -> bool:
    return bool(st.session_state.get(EMAIL_KEY))


def remember_login(email: str) -> None:
    st.session_state[EMAIL_KEY] = email.strip()
    st.session_state.pop(NOTICE_KEY, None)


def forget_login(notice: str | None = None) -> None:
    """Drop everything this browser session knew (secrets shown once included)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[NOTICE_KEY] = notice


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
            return runtime().authenticator.from_access_token(token)
        except AuthError:
            pass
    if is_logged_in():
        # The session ended under us (expired refresh, revoked): back to the login page.
        forget_login("Your session has ended. Please log in again.")
        st.rerun()
    st.info("Log in to see this page.")
    st.stop()

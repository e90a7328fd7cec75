"""Log in or sign up with email and password (Supabase Auth through the supabase client)."""

from __future__ import annotations

import streamlit as st

from components import invitation_links
from components.auth_state import NOTICE_KEY, login, remember_login, runtime
from timetracker.auth import confirmation
from timetracker.auth.supabase_session import LoginFailed

# What following a sign-up's confirmation link did (the local auth server sends the browser here).
CONFIRMATION_NOTICES = {
    "confirmed": ("success", "Your email address is confirmed. Log in."),
    "expired": (
        "error",
        "That confirmation link has expired. Sign up again with the same address to get a new one.",
    ),
    "invalid": (
        "error",
        "That confirmation link does not work: it was used already, or a newer one replaced it.",
    ),
}


def sign_up_caption() -> str:
    """What happens after signing up, as this server is set up."""
    settings = runtime().settings
    if not settings.uses_local_auth:
        return "New here? Create an account; the auth server may ask you to confirm your address by mail first."
    if settings.sends_mail:
        return "New here? Create an account; we mail you a link to confirm your address, then you log in."
    return "New here? Create an account; you are logged in right away."


# A narrow column: a two-field form across a wide screen is hard to read.
_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("Time Tracker")
    st.caption(
        "Your time from NFC readers, ActivityWatch, WakaTime and the timer widget, in one place;"
        " team leads see their team's."
    )
    if notice := st.session_state.pop(NOTICE_KEY, None):
        st.info(notice)
    if outcome := st.query_params.get(confirmation.DASHBOARD_PARAMETER):
        del st.query_params[confirmation.DASHBOARD_PARAMETER]
        if outcome in CONFIRMATION_NOTICES:
            kind, text = CONFIRMATION_NOTICES[outcome]
            (st.success if kind == "success" else st.error)(text)
    if invitation_links.opened() is not None:
        st.info("You opened an invitation link. Log in, or sign up, with the address it was sent to; then accept it.")
    log_in_tab, sign_up_tab = st.tabs(["Log in", "Sign up"])

with log_in_tab, st.form("log_in"):
    email = st.text_input("Email", key="log_in_email")
    password = st.text_input("Password", type="password", key="log_in_password")
    if st.form_submit_button("Log in", type="primary"):
        if not email or not password:
            st.error("Enter your email and password.")
        else:
            try:
                login().sign_in(email, password)
            except LoginFailed as exc:
                st.error(exc.message)
            else:
                remember_login(email)
                st.rerun()

with sign_up_tab, st.form("sign_up"):
    st.caption(sign_up_caption())
    new_email = st.text_input("Email", key="sign_up_email")
    new_password = st.text_input("Password", type="password", key="sign_up_password", help="At least 8 characters.")
    if st.form_submit_button("Sign up"):
        if not new_email or not new_password:
            st.error("Enter an email and a password.")
        else:
            try:
                logged_in = login().sign_up(new_email, new_password)
            except LoginFailed as exc:
                st.error(exc.message)
            else:
                if logged_in:
                    remember_login(new_email)
                    st.rerun()
                st.success("Account created. Confirm your email address, then log in.")

"""Log in or sign up with email and password (Supabase Auth through the supabase client)."""

from __future__ import annotations

import streamlit as st

from components.auth_state import NOTICE_KEY, login, remember_login
from timetracker.auth.supabase_session import LoginFailed

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
    st.caption("New here? Create an account; you are logged in right away.")
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

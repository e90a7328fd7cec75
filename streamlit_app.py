"""The dashboard's router: which pages exist depends on who is logged in.

Each page is one file in components/; add a page with one `st.Page(...)` line below.
"""

from __future__ import annotations

import streamlit as st

from components.auth_state import is_logged_in, resume_browser_login
from components.page_parts import show_done_messages
from timetracker.db import DatabaseUnavailable

st.set_page_config(page_title="Time Tracker", page_icon=":material/timer:", layout="wide")
# A reload or a new tab is a new session: pick the login up from the browser's cookie.
resume_browser_login()

if is_logged_in():
    pages: dict[str, list[st.Page]] | list[st.Page] = {
        "Time": [
            st.Page("components/my_time.py", title="My time", icon=":material/schedule:", default=True),
        ],
        "Sources": [
            st.Page("components/devices.py", title="Devices", icon=":material/nfc:"),
            st.Page("components/webhook_test.py", title="Webhook test", icon=":material/send:"),
            st.Page("components/integrations.py", title="Integrations", icon=":material/extension:"),
            st.Page("components/activitywatch_team.py", title="ActivityWatch", icon=":material/monitoring:"),
            st.Page("components/timer.py", title="Timer", icon=":material/timer:"),
        ],
        "Account": [
            st.Page("components/profile.py", title="Profile", icon=":material/person:"),
            st.Page("components/teams.py", title="Teams", icon=":material/group:"),
            st.Page("components/log_out.py", title="Log out", icon=":material/logout:"),
        ],
    }
else:
    pages = [st.Page("components/login.py", title="Log in", icon=":material/login:")]

page = st.navigation(pages)
show_done_messages()
try:
    page.run()
except DatabaseUnavailable:
    # A message and a way to retry, not a traceback: the next run reconnects by itself.
    st.error("The database cannot be reached right now. Try again in a moment.")
    st.button("Try again")

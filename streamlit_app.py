"""The dashboard's router: which pages exist depends on who is logged in.

Each page is one file in components/; add a page with one `st.Page(...)` line below.
"""

from __future__ import annotations

import streamlit as st

from components import invitation_links
from components.auth_state import is_logged_in, login, resume_browser_login, runtime
from components.page_parts import show_done_messages
from timetracker.auth.errors import AuthError
from timetracker.db import DatabaseUnavailable
from timetracker.reports import team_time

# Whether the person logged in leads a team, as last seen: kept for runs whose token has run out.
LEADS_KEY = "leads_a_team"


def leads_a_team() -> bool:
    """Whether the person logged in owns or administers a team: only they get the Team page.

    Asked on every run, so a team made on Teams adds the page on the next one. It reads the
    access token the login holds without refreshing it: the page's own current_principal()
    refreshes it once per run, and a second refresh here would rotate the refresh token twice.
    When that token has run out (the page is about to refresh it), or the database is down (the
    page will say so), the last answer stands.
    """
    token = login().held_access_token()
    try:
        principal = runtime().authenticator.from_access_token(token) if token else None
        if principal is not None:
            st.session_state[LEADS_KEY] = bool(team_time.admin_teams(runtime().db, principal))
    except (AuthError, DatabaseUnavailable):
        pass
    return bool(st.session_state.get(LEADS_KEY, False))


st.set_page_config(page_title="Time Tracker", page_icon=":material/timer:", layout="wide")
# A reload or a new tab is a new session: pick the login up from the browser's cookie.
resume_browser_login()
# An invitation link may be opened logged out: keep it through the login, out of the address bar.
invitation_links.take_from_address_bar()

teams_page = st.Page("components/teams.py", title="Teams", icon=":material/group:")
if is_logged_in():
    # Team leads find their team first; My time stays where everyone lands.
    team_page = [st.Page("components/team.py", title="Team", icon=":material/groups:")] if leads_a_team() else []
    pages: dict[str, list[st.Page]] | list[st.Page] = {
        "Time": [
            *team_page,
            st.Page("components/my_time.py", title="My time", icon=":material/schedule:", default=True),
            st.Page("components/projects.py", title="Projects", icon=":material/folder_open:"),
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
            teams_page,
            st.Page("components/log_out.py", title="Log out", icon=":material/logout:"),
        ],
    }
else:
    pages = [st.Page("components/login.py", title="Log in", icon=":material/login:")]

page = st.navigation(pages)
if is_logged_in() and invitation_links.show_once() and page.url_path != teams_page.url_path:
    # Someone who opened an invitation link accepts it on Teams, whichever page they landed on.
    st.switch_page(teams_page)
show_done_messages()
try:
    page.run()
except DatabaseUnavailable:
    # A message and a way to retry, not a traceback: the next run reconnects by itself.
    st.error("The database cannot be reached right now. Try again in a moment.")
    st.button("Try again")

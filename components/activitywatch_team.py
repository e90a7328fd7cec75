"""ActivityWatch for teams. Admins: the team summary, the developer package generator (three
files to download) and linking developer ids to members. Members: claim a developer id
that was generated for their email address.
"""

from __future__ import annotations

from uuid import UUID

import pandas as pd
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import done, reported_errors, when
from timetracker import profiles, teams
from timetracker.activitywatch import team
from timetracker.devs import build_package

PACKAGE_KEY = "aw_package"


def hours(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


principal = current_principal()
rt = runtime()
db = rt.db
tz = profiles.timezone_of(db, principal)
st.title("ActivityWatch")
st.caption(
    f"Developers send their ActivityWatch data with the sync client and a generated config; times are in {tz.key}."
)


def active(seconds: float | None) -> str:
    """Not-AFK time; None when the developer sends no AFK data (aw-watcher-afk not running)."""
    return "no AFK data" if seconds is None else hours(seconds)


mine = teams.list_mine(db, principal)
managed = {str(t["id"]): t["name"] for t in mine if t["role"] in ("owner", "admin")}
member_of = {str(t["id"]): t["name"] for t in mine}

if managed:
    team_key = st.selectbox("Team", list(managed), format_func=managed.get, key="aw_team")
    team_id = UUID(team_key)

    st.subheader("Team summary")
    rows = []
    with reported_errors():
        rows = team.summary(db, principal, team_id, tz)
    if rows:
        st.dataframe(
            pd.DataFrame(
                {
                    "developer": [r["display_name"] for r in rows],
                    "ids": [", ".join(r["developer_ids"]) for r in rows],
                    "last seen": [when(r["last_seen_at"], tz) for r in rows],
                    "active today": [active(r["active_seconds_today"]) for r in rows],
                    "active this week": [active(r["active_seconds_week"]) for r in rows],
                    "top apps": [", ".join(a["app"] for a in r["top_apps"]) for r in rows],
                }
            ),
            hide_index=True,
        )
    else:
        st.info("No ActivityWatch data from this team yet.")

    st.subheader("Add a developer")
    with st.form("aw_generate"):
        name = st.text_input("Name", key="aw_name")
        email = st.text_input("Email", key="aw_email")
        server = st.text_input("Server URL developers send to", value=rt.settings.api_base_url, key="aw_server")
        if st.form_submit_button("Generate config", type="primary"):
            with reported_errors(ValueError):
                package = build_package(rt.token_keys, name=name, email=email, team_id=team_id, server=server)
                team.register(db, principal, team_id, name, email)
                st.session_state[PACKAGE_KEY] = package
    package = st.session_state.get(PACKAGE_KEY)
    if package is not None:
        st.success(f"Developer id {package.developer_id}: send them these files (the config holds their token).")
        for file_name, content in package.files.items():
            st.download_button(f"Download {file_name}", content, file_name=file_name, key=f"aw_dl:{file_name}")

    developers = team.developers(db, principal, team_id)
    if developers:
        st.subheader("Link developer ids to members")
        members = {str(m["user_id"]): m["display_name"] or m["email"] for m in teams.members(db, principal, team_id)}
        st.dataframe(
            pd.DataFrame(
                {
                    "developer id": [d["developer_id"] for d in developers],
                    "name": [d["display_name"] for d in developers],
                    "linked to": [members.get(str(d["user_id"]), "") for d in developers],
                }
            ),
            hide_index=True,
        )
        with st.form("aw_link"):
            dev_id = st.selectbox("Developer id", [d["developer_id"] for d in developers], key="aw_link_dev")
            member = st.selectbox(
                "Member", ["", *members], format_func=lambda k: members.get(k, "(unlink)"), key="aw_link_member"
            )
            if st.form_submit_button("Link"):
                with reported_errors():
                    team.link(db, principal, team_id, dev_id, UUID(member) if member else None)
                    done(f"{dev_id} linked" if member else f"{dev_id} unlinked")

if member_of:
    st.subheader("Claim your developer id")
    st.caption(
        "If an admin generated an ActivityWatch config for your email address, claim it to see that data in My time."
    )
    with st.form("aw_claim"):
        claim_team = st.selectbox("Team", list(member_of), format_func=member_of.get, key="aw_claim_team")
        claim_id = st.text_input("Developer id (from your config file)", key="aw_claim_id")
        if st.form_submit_button("Claim"):
            with reported_errors():
                team.claim(db, principal, UUID(claim_team), claim_id.strip())
                done(f"{claim_id.strip()} is now yours")
else:
    st.info(
        "Your own ActivityWatch time needs no team: run the sync client as yourself"
        f" (`python -m timetracker.sync login --server {rt.settings.api_base_url}`, then `run`), and it shows"
        " on My time. Join or create a team on Teams to share it with a team lead, or to get a config made by"
        " an admin."
    )

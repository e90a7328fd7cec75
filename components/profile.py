"""Profile: display name, the timezone days are cut in, and personal API tokens."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import browser_timezone, done, hold_secret, reported_errors, show_secrets_once, when
from timetracker import profiles
from timetracker.auth import api_tokens

principal = current_principal()
db = runtime().db
profile = profiles.get(db, principal)
tz = profiles.timezone_of(db, principal)
zones = profiles.timezone_names()

st.title("Profile")
st.caption(f"Logged in as {profile['email']}.")

browser_zone = browser_timezone()
if browser_zone and browser_zone != profile["timezone"]:
    # New accounts start in UTC; most people want their days cut where they are.
    hint, use = st.columns([3, 1], vertical_alignment="center")
    hint.info(f"Your browser is in {browser_zone}; your days are cut at midnight in {profile['timezone']}.")
    if use.button(f"Use {browser_zone}", key="use_browser_timezone"):
        with reported_errors():
            profiles.update(db, principal, timezone=browser_zone)
            done(f"Timezone set to {browser_zone}")

with st.form("profile"):
    display_name = st.text_input(
        "Display name", value=profile["display_name"] or "", help="What teammates see.", key="profile_display_name"
    )
    timezone = st.selectbox(
        "Timezone",
        zones,
        index=zones.index(profile["timezone"]) if profile["timezone"] in zones else 0,
        help="Every day on My time runs from midnight to midnight here.",
        key="profile_timezone",
    )
    if st.form_submit_button("Save", type="primary"):
        with reported_errors():
            profiles.update(db, principal, display_name=display_name, timezone=timezone)
            done("Profile saved")

st.subheader("Personal API tokens")
st.caption(
    "For scripts, the timer widget, sync clients and editor plugins: send `Authorization: Bearer <token>`"
    f" to {runtime().settings.api_base_url}/api/v1/…"
)
show_secrets_once("token:")
with st.form("new_token", clear_on_submit=True):
    name = st.text_input(
        "Token name", placeholder="laptop sync", help="Say where it will be used, to revoke it later.", key="token_name"
    )
    if st.form_submit_button("Create token"):
        if not name.strip():
            st.error("Give the token a name.")
        else:
            with reported_errors():
                row, token = api_tokens.create(db, principal, name)
                hold_secret(f"token:{row['id']}", f"API token “{row['name']}”", token)
                done(f"Created token {row['name']}")

tokens = api_tokens.list_mine(db, principal)
if not tokens:
    st.info("No tokens yet. Create one above when a script or plugin needs to act as you.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "name": [row["name"] for row in tokens],
                "token": [row["token_hint"] for row in tokens],
                "created": [when(row["created_at"], tz) for row in tokens],
                "last used": [when(row["last_used_at"], tz) for row in tokens],
                "status": ["revoked" if row["revoked_at"] else "active" for row in tokens],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    live = {row["id"]: row["name"] for row in tokens if not row["revoked_at"]}
    if live:
        chosen = st.selectbox("Token", list(live), format_func=live.get, key="token_choice")
        confirmed = st.checkbox(f"Yes, revoke “{live[chosen]}”", key="revoke_token_confirm")
        revoke_help = "Anything using it gets 401 from now on."
        if st.button("Revoke token", key="revoke_token", disabled=not confirmed, help=revoke_help):
            with reported_errors():
                api_tokens.revoke(db, principal, chosen)
                done(f"Revoked token {live[chosen]}")

"""Profile: display name, the timezone days are cut in, how time is counted (the order of
sources, how long a forgotten tag counts, whether team admins read notes), and personal API
tokens."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import browser_timezone, done, hold_secret, reported_errors, show_secrets_once, when
from components.time_views import source_name
from timetracker import profiles
from timetracker.auth import api_tokens
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.reports.sources import DEFAULT_PRECEDENCE

# What each source is, as the order list names it.
SOURCE_MEANS = {
    "manual": "time you added by hand on My time",
    "timer": "questions timed with the timer widget",
    "wakatime": "coding time from your editor",
    "activitywatch": "the application in front, from ActivityWatch",
    "nfc": "a tag in an NFC reader",
}
SHARE_NOTES_MEANS = (
    "Your team's owners and admins always see your times, which days you corrected and by how much."
    " With this on, they also read the notes of the time you added by hand and the reasons you gave"
    " for excluded stretches; with it off, those stay yours alone."
)


def moved(order: list[str], source: str, by: int) -> list[str]:
    """`order` with `source` moved `by` places (-1 up, +1 down)."""
    place = order.index(source)
    order = list(order)
    order.insert(place + by, order.pop(place))
    return order


def show_source_order(db: Database, principal: Principal, order: list[str]) -> None:
    """The sources best first, each with a move up and a move down that save at once."""
    st.markdown("**Order of sources**")
    st.caption(
        "When two sources cover the same second, it goes to the higher one: its label is what that"
        " second was spent on. Tracked time is the same whatever the order; only the labels change."
    )
    # Narrow, so each source's arrows sit beside its name.
    rows = st.container(width=640)
    for place, source in enumerate(order):
        name, up, down = rows.columns([8, 1, 1], vertical_alignment="center")
        name.markdown(f"{place + 1}. **{source_name(source)}**: {SOURCE_MEANS.get(source, source)}")
        for column, by, icon, label in (
            (up, -1, ":material/arrow_upward:", "up"),
            (down, 1, ":material/arrow_downward:", "down"),
        ):
            if column.button(
                "",
                icon=icon,
                key=f"source_{label}:{source}",
                help=f"Move {source_name(source)} {label}",
                disabled=not 0 <= place + by < len(order),
            ):
                with reported_errors():
                    profiles.update(db, principal, source_precedence=moved(order, source, by))
                    done(f"{source_name(source)} moved {label}")
    if order != DEFAULT_PRECEDENCE and st.button("Back to the default order", key="source_order_default"):
        with reported_errors():
            profiles.update(db, principal, source_precedence=list(DEFAULT_PRECEDENCE))
            done("Sources back in the default order")


principal = current_principal()
db = runtime().db
profile = profiles.get(db, principal)
tz = profiles.timezone_of(db, principal)
zones = profiles.timezone_names()

st.title("Profile")
st.caption(f"Logged in as {profile['email']}." if profile["email"] else "Logged in with an account that has no email.")

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

st.subheader("How your time is counted")
show_source_order(db, principal, profile["source_precedence"])
with st.form("counting"):
    cap_hours = st.number_input(
        "A tag left in a reader counts for at most (hours)",
        min_value=min(profiles.CAP_HOURS),
        max_value=max(profiles.CAP_HOURS),
        value=profile["open_interval_cap_hours"],
        step=1,
        help="A tag put in a reader with no removal after it counts from when it went in until now, but"
        " never longer than this; then it stops and shows as “capped” under Needs a look on My time,"
        " where you can say when it really ended.",
        key="profile_cap_hours",
    )
    share_notes = st.toggle(
        "Let my team's owners and admins read my notes", value=profile["share_notes"], key="profile_share_notes"
    )
    st.caption(SHARE_NOTES_MEANS)
    if st.form_submit_button("Save"):
        with reported_errors():
            profiles.update(db, principal, open_interval_cap_hours=int(cap_hours), share_notes=share_notes)
            done("Counting saved")

st.subheader("Personal API tokens")
st.caption(
    "For scripts, the timer widget and the ActivityWatch sync client: send `Authorization: Bearer <token>`"
    f" to {runtime().settings.api_base_url}/api/v1/…. Editor plugins use the WakaTime key on Integrations instead."
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

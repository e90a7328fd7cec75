"""Teams: answer invitations, create a team, invite people by email, and (as owner or admin) see each member's
week and manage roles. Nobody joins a team without accepting: a lead sees the time of everyone in it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import done, hours_text, person_label, plural, reported_errors
from components.time_views import week_of
from timetracker import profiles, teams
from timetracker.auth.principal import Principal
from timetracker.errors import Forbidden
from timetracker.reports import person_time

MANAGER_ROLES = ("owner", "admin")
ASSIGNABLE_ROLES = ["member", "admin"]


def week_totals(principal: Principal, members: list[dict[str, Any]], tz: ZoneInfo) -> list[str]:
    """Each member's tracked time this week (counted once, the lead's timezone), H:MM: who is
    logging time at a glance, the same number as on the Team page and their My time."""
    monday, sunday = week_of(datetime.now(tz).date())
    totals = []
    for member in members:
        try:
            week = person_time.read(runtime().db, principal, monday, sunday, tz, owner_id=member["user_id"])
        except Forbidden:
            # An admin does not see a co-owner's time (RLS): say so rather than show 0:00.
            totals.append("not yours to see")
            continue
        totals.append(hours_text(week.tracked_seconds))
    return totals


def invitation_prompt(invitation: dict[str, Any]) -> str:
    """Who asks, for which team and role: what the invitee needs to decide."""
    inviter = invitation["invited_by_email"]
    if inviter is None:
        inviter = "someone who has since left"
    elif invitation["invited_by_name"] and invitation["invited_by_name"] != inviter:
        inviter = f"{invitation['invited_by_name']} ({inviter})"
    return (
        f"**{invitation['team_name']}**: {inviter} invites you as {invitation['role']}. "
        "Its owner and admins will see all of your time."
    )


def pending_invitations(principal: Principal) -> None:
    """Accept or decline each invitation to the caller's email (joining is their decision)."""
    for invitation in teams.my_invitations(db, principal):
        team_id = invitation["team_id"]
        text_column, accept_column, decline_column = st.columns([4, 1, 1])
        text_column.markdown(invitation_prompt(invitation))
        if accept_column.button("Accept", key=f"accept_invitation:{team_id}", type="primary"):
            with reported_errors():
                role = teams.accept(db, principal, team_id)
                done(f"You joined {invitation['team_name']} as {role}")
        if decline_column.button("Decline", key=f"decline_invitation:{team_id}"):
            with reported_errors():
                teams.decline(db, principal, team_id)
                done(f"Declined the invitation to {invitation['team_name']}")


principal = current_principal()
db = runtime().db
tz = profiles.timezone_of(db, principal)

st.title("Teams")
st.caption("Owners and admins see their members' time on My time; members see only their own.")

pending_invitations(principal)

with st.form("new_team", clear_on_submit=True):
    team_name = st.text_input("New team", placeholder="Platform team", key="new_team_name")
    if st.form_submit_button("Create team", type="primary"):
        with reported_errors():
            team = teams.create(db, principal, team_name)
            done(f"Created {team['name']}; you are its owner")

mine = teams.list_mine(db, principal)
if not mine:
    st.info("You are in no team yet. Create one above, or accept an invitation from a team owner here.")
    st.stop()

for team in mine:
    manages = team["role"] in MANAGER_ROLES
    title = f"{team['name']} · you are {team['role']} · {plural(team['member_count'], 'member')}"
    with st.expander(title, expanded=True):
        members = teams.members(db, principal, team["id"])
        listing = {
            "name": [m["display_name"] or "" for m in members],
            "email": [m["email"] for m in members],
            "role": [m["role"] for m in members],
            "since": [str(m["added_at"].astimezone(tz).date()) for m in members],
        }
        if manages:
            listing["this week"] = week_totals(principal, members, tz)
        st.dataframe(pd.DataFrame(listing), hide_index=True, width="stretch")
        if not manages:
            continue
        st.page_link(
            "components/my_time.py",
            label="See a member's days on My time (pick them under Whose time)",
            icon=":material/schedule:",
        )

        pending = teams.invitations(db, principal, team["id"])
        if pending:
            st.caption("Invited, joins on accepting: " + ", ".join(f"{i['email']} ({i['role']})" for i in pending))

        with st.form(f"invite:{team['id']}", clear_on_submit=True):
            email_column, role_column = st.columns([3, 1])
            email = email_column.text_input("Invite by email", key=f"invite_email:{team['id']}")
            role = role_column.selectbox("Role", ASSIGNABLE_ROLES, key=f"invite_role:{team['id']}")
            if st.form_submit_button("Invite"):
                with reported_errors():
                    outcome = teams.invite(db, principal, team["id"], email, role)
                    done(
                        f"{email.strip()} is already in {team['name']}"
                        if outcome == "already_member"
                        else f"Invited {email.strip()}: they join {team['name']} once they accept"
                    )

        others = {m["user_id"]: m for m in members if m["user_id"] != principal.user_id and m["role"] != "owner"}
        if others:
            person_column, role_column, act_column = st.columns([3, 1, 2])
            names = {uid: f"{person_label(m)} ({m['role']})" for uid, m in others.items()}
            person = person_column.selectbox(
                "Member", list(names), format_func=names.get, key=f"member_choice:{team['id']}"
            )
            new_role = role_column.selectbox("New role", ASSIGNABLE_ROLES, key=f"member_role:{team['id']}")
            if act_column.button("Change role", key=f"set_role:{team['id']}"):
                with reported_errors():
                    teams.set_role(db, principal, team["id"], person, new_role)
                    done(f"{others[person]['email']} is now {new_role}")
            confirmed = act_column.checkbox(
                f"Yes, remove {others[person]['email']}", key=f"remove_confirm:{team['id']}"
            )
            remove_help = "Their own time stays theirs; you stop seeing it."
            if act_column.button(
                "Remove from team", key=f"remove:{team['id']}", disabled=not confirmed, help=remove_help
            ):
                with reported_errors():
                    teams.remove_member(db, principal, team["id"], person)
                    done(f"Removed {others[person]['email']} from {team['name']}")

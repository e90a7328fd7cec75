"""Teams: answer invitations, create a team, invite people by email, and (as owner or admin) see each member's
week and manage roles. Nobody joins a team without accepting: a lead sees the time of everyone in it.

An invitation goes with a link (shown once to the inviter, mailed when SMTP is set up): an address
alone does not show that the invitation reached its owner, unless the auth server confirmed it by mail."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from components import invitation_links
from components.auth_state import current_principal, runtime
from components.page_parts import (
    done,
    hold_secret,
    hours_text,
    person_label,
    plural,
    reported_errors,
    short_name,
    show_secrets_once,
    when,
)
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


def link_state(expires_at: datetime | None) -> str:
    if expires_at is None:
        return "no link: invite again for one"
    if expires_at <= datetime.now(expires_at.tzinfo):
        return "link expired: invite again for a new one"
    return f"link until {when(expires_at, tz)}"


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


def accept(principal: Principal, invitation: dict[str, Any], token: str | None) -> None:
    with reported_errors():
        role = teams.accept(db, principal, invitation["team_id"], token)
        invitation_links.set_aside()
        done(f"You joined {invitation['team_name']} as {role}")


def opened_link(principal: Principal, pending: dict[Any, dict[str, Any]]) -> None:
    """The invitation link this browser opened (or had pasted): one click to accept."""
    link = invitation_links.opened()
    if link is None:
        return
    with st.container(border=True):
        invitation = pending.get(link.team_id)
        if invitation is None:
            st.warning(
                f"The invitation link you opened is not for {principal.email or 'the address you are logged in with'},"
                " or its invitation was withdrawn or already answered. Log in with the address it was sent to,"
                " or ask the team's owner or an admin for a new link."
            )
        else:
            st.markdown(invitation_prompt(invitation))
        accept_column, aside_column, _ = st.columns([1, 1, 4])
        if invitation is not None and accept_column.button("Accept", key="accept_opened_link", type="primary"):
            accept(principal, invitation, link.token)
        if aside_column.button("Not now" if invitation else "Dismiss", key="set_aside_opened_link"):
            invitation_links.set_aside()
            st.rerun()


def pending_invitations(principal: Principal, pending: dict[Any, dict[str, Any]], needs_link: bool) -> None:
    """Accept or decline each invitation to the caller's email (joining is their decision)."""
    opened = invitation_links.opened()
    for team_id, invitation in pending.items():
        if opened is not None and opened.team_id == team_id:
            continue  # shown with its link above
        text_column, accept_column, decline_column = st.columns([4, 1, 1])
        text_column.markdown(invitation_prompt(invitation))
        if needs_link:
            text_column.caption(
                "To accept, open the invitation link you were sent (or paste it below): your address is not"
                " confirmed by mail, so it alone does not show that this invitation reached you."
            )
        elif accept_column.button("Accept", key=f"accept_invitation:{team_id}", type="primary"):
            accept(principal, invitation, None)
        if decline_column.button("Decline", key=f"decline_invitation:{team_id}"):
            with reported_errors():
                teams.decline(db, principal, team_id)
                done(f"Declined the invitation to {invitation['team_name']}")


def paste_link() -> None:
    """A link that came by chat or mail, pasted rather than opened."""
    with st.form("paste_invitation_link", clear_on_submit=True):
        pasted = st.text_input(
            "Invitation link", key="invitation_link_pasted", placeholder="Paste the whole link you were sent"
        )
        if st.form_submit_button("Open link"):
            with reported_errors():
                team_id, token = teams.link_parts(pasted)
                invitation_links.keep(invitation_links.OpenedLink(team_id, token))
                st.rerun()


def invited_text(sent: teams.SentInvitation, team_name: str) -> str:
    if sent.outcome == "already_member":
        return f"{sent.email} is already in {team_name}"
    how = "we mailed them the link below; you can also send it yourself" if sent.mailed else "send them the link below"
    return f"Invited {sent.email}: {how}. They join {team_name} once they accept"


principal = current_principal()
db = runtime().db
settings = runtime().settings
tz = profiles.timezone_of(db, principal)

st.title("Teams")
st.caption("Owners and admins see their members' time on My time; members see only their own.")

pending = {invitation["team_id"]: invitation for invitation in teams.my_invitations(db, principal)}
opened_link(principal, pending)
if pending:
    pending_invitations(principal, pending, needs_link=not teams.email_is_proven(db, principal))
with st.expander("Accept an invitation link", expanded=False):
    paste_link()

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

        invited = teams.invitations(db, principal, team["id"])
        if invited:
            st.caption(
                "Invited, joins on accepting with their link: "
                + ", ".join(f"{i['email']} ({i['role']}, {link_state(i['link_expires_at'])})" for i in invited)
            )

        with st.form(f"invite:{team['id']}", clear_on_submit=True):
            email_column, role_column = st.columns([3, 1])
            email = email_column.text_input("Invite by email", key=f"invite_email:{team['id']}")
            role = role_column.selectbox("Role", ASSIGNABLE_ROLES, key=f"invite_role:{team['id']}")
            if st.form_submit_button("Invite"):
                with reported_errors():
                    sent = teams.send_invitation(
                        db,
                        principal,
                        team["id"],
                        email,
                        role,
                        dashboard_base_url=settings.dashboard_base_url,
                        link_valid_for=timedelta(hours=settings.invitation_ttl_hours),
                        mailer=runtime().mailer,
                    )
                    if sent.url and sent.expires_at:
                        hold_secret(
                            f"invite_link:{team['id']}",
                            f"Invitation link for {sent.email}: it works once, until {when(sent.expires_at, tz)}."
                            " Send it to them; they open it logged in with that address and accept.",
                            sent.url,
                        )
                    done(invited_text(sent, team["name"]))
        show_secrets_once(f"invite_link:{team['id']}")

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
                    done(f"{short_name(others[person])} is now {new_role}")
            confirmed = act_column.checkbox(
                f"Yes, remove {short_name(others[person])}", key=f"remove_confirm:{team['id']}"
            )
            remove_help = "Their own time stays theirs; you stop seeing it."
            if act_column.button(
                "Remove from team", key=f"remove:{team['id']}", disabled=not confirmed, help=remove_help
            ):
                with reported_errors():
                    teams.remove_member(db, principal, team["id"], person)
                    done(f"Removed {short_name(others[person])} from {team['name']}")

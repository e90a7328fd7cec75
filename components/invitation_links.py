"""An invitation link opened in this browser, kept for the session until it is used or set aside.

The link (`<dashboard>/?invitation=<team>&token=<secret>`) may be opened logged out. The router
takes it out of the address bar on the first run, so the secret is not left in the browser's
history, and keeps it in this session's state (logging out clears it). Once someone is
logged in, the router shows Teams, where accepting it is one click.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import streamlit as st

from timetracker.teams import LINK_TEAM_PARAMETER, LINK_TOKEN_PARAMETER, MAX_TOKEN_LENGTH

OPENED_KEY = "invitation_link_opened"
SHOWN_KEY = "invitation_link_shown"


@dataclass(frozen=True)
class OpenedLink:
    team_id: UUID
    token: str


def take_from_address_bar() -> None:
    """Keep an invitation link the browser opened, and take it out of the address bar."""
    params = st.query_params
    team, token = params.get(LINK_TEAM_PARAMETER), params.get(LINK_TOKEN_PARAMETER)
    if team is None and token is None:
        return
    for name in (LINK_TEAM_PARAMETER, LINK_TOKEN_PARAMETER):
        if name in params:
            del params[name]
    try:
        if team and token and len(token) <= MAX_TOKEN_LENGTH:
            keep(OpenedLink(UUID(team), token))
    except ValueError:
        pass  # not a link this server made: nothing to offer


def keep(link: OpenedLink) -> None:
    st.session_state[OPENED_KEY] = link
    st.session_state.pop(SHOWN_KEY, None)


def opened() -> OpenedLink | None:
    return st.session_state.get(OPENED_KEY)


def show_once() -> bool:
    """Whether the router should take the person to Teams for the opened link: once, so the
    other pages stay reachable while the link waits there."""
    if opened() is None or st.session_state.get(SHOWN_KEY):
        return False
    st.session_state[SHOWN_KEY] = True
    return True


def set_aside() -> None:
    st.session_state.pop(OPENED_KEY, None)
    st.session_state.pop(SHOWN_KEY, None)

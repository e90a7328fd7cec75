"""Putting someone in a team the only way the product allows: an invitation they accept with its link."""

from __future__ import annotations

from uuid import UUID

from tests.utils.users import TestUser
from timetracker import teams
from timetracker.db import Database


def invite(db: Database, inviter: TestUser, team_id: UUID, email: str, role: teams.Role = "member") -> str:
    """`inviter` (an owner or admin) invites `email`; the invitation link's token."""
    invited = teams.invite(db, inviter.principal, team_id, email, role)
    assert invited.outcome == "invited" and invited.token is not None
    return invited.token


def join(db: Database, inviter: TestUser, team_id: UUID, invitee: TestUser, role: teams.Role = "member") -> None:
    """`inviter` (an owner or admin) invites `invitee`, who accepts with the link."""
    token = invite(db, inviter, team_id, invitee.email, role)
    assert teams.accept(db, invitee.principal, team_id, token) == role


def team_of(db: Database, owner: TestUser, name: str, *joined: tuple[TestUser, teams.Role]) -> UUID:
    """A team `owner` creates, with each (person, role) of `joined` invited and accepted."""
    team_id = teams.create(db, owner.principal, name)["id"]
    for person, role in joined:
        join(db, owner, team_id, person, role)
    return team_id

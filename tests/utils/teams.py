"""Putting someone in a team the only way the product allows: an invitation they accept."""

from __future__ import annotations

from uuid import UUID

from tests.utils.users import TestUser
from timetracker import teams
from timetracker.db import Database


def join(db: Database, inviter: TestUser, team_id: UUID, invitee: TestUser, role: teams.Role = "member") -> None:
    """`inviter` (an owner or admin) invites `invitee`, who accepts."""
    assert teams.invite(db, inviter.principal, team_id, invitee.email, role) == "invited"
    assert teams.accept(db, invitee.principal, team_id) == role


def team_of(db: Database, owner: TestUser, name: str, *joined: tuple[TestUser, teams.Role]) -> UUID:
    """A team `owner` creates, with each (person, role) of `joined` invited and accepted."""
    team_id = teams.create(db, owner.principal, name)["id"]
    for person, role in joined:
        join(db, owner, team_id, person, role)
    return team_id

"""A team with an owner, an admin and a member, and a developer token for it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import pytest

from tests.utils.teams import join
from tests.utils.users import TestUser
from timetracker import teams
from timetracker.activitywatch.developer_ids import developer_id
from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.auth import api_tokens
from timetracker.runtime import Runtime


@dataclass(frozen=True)
class AwTeam:
    team_id: UUID
    owner: TestUser
    member: TestUser
    developer_id: str
    token: str

    @property
    def developer_headers(self) -> dict[str, str]:
        return {"Developer-ID": self.developer_id, "Authorization": f"Bearer {self.token}"}


def api_token_headers(runtime: Runtime, user: TestUser) -> dict[str, str]:
    _, token = api_tokens.create(runtime.db, user.principal, "activitywatch")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def aw_team(runtime: Runtime, user_factory) -> AwTeam:  # type: ignore[no-untyped-def]
    owner, member = user_factory("owner"), user_factory("member")
    team = teams.create(runtime.db, owner.principal, "AW crew")
    join(runtime.db, owner, team["id"], member)
    dev_id = developer_id("Member Person", member.email)
    token = TokenKeys.from_settings(runtime.settings).issue(team["id"], dev_id)
    return AwTeam(team["id"], owner, member, dev_id, token)

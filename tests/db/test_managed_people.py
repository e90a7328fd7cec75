"""Whose time a person may pick on My time: the database's own rule, asked as each person."""

from __future__ import annotations

from tests.db.conftest import World
from timetracker import teams


def names(world: World, who: str) -> dict[str, str]:
    person = getattr(world, who)
    return {str(row["user_id"]): row["team_name"] for row in teams.managed_people(world.runtime.db, person.principal)}


def test_owners_and_admins_may_pick_their_teams_members_and_nobody_else(world: World) -> None:
    crew = {str(world.alice.id): "Crew", str(world.dave.id): "Crew", str(world.frank.id): "Crew"}
    assert names(world, "carol") == crew
    # An admin picks the team's owner and members, never themselves.
    assert names(world, "dave") == {
        str(world.alice.id): "Crew",
        str(world.carol.id): "Crew",
        str(world.frank.id): "Crew",
    }
    # Members, someone outside (bob has not accepted carol's invitation) and the owner of a
    # team of nobody else pick nobody.
    for who in ("alice", "frank", "bob", "erin"):
        assert names(world, who) == {}

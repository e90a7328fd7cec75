"""Projects and their rules against every kind of caller, in the RLS matrix's terms.

On top of the RLS world: alice (a plain member of carol's team "Crew", which dave administers)
has a project with a rule; the team has a project with a rule, made by carol; bob (outside
the team) has a project of his own. A person manages their own; a team's are read by its
members and written by its owners and admins; nobody sees another team's or a stranger's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.db.actors import outcome
from tests.db.conftest import World
from tests.db.rls_matrix import ACTORS, EVERY_PERSON, NOBODY, Case, count, parameters
from timetracker.projects import store

TEAM_ADMINS = {"carol": 1, "dave": 1}
TEAM = {"alice": 1, "carol": 1, "dave": 1}
ALICE = {"alice": 1}
RULE = (
    "insert into project_rules (project_id, {owner}, source, field, pattern)"
    " values (%({project})s, {value}, 'nfc', 'tag_id', 'x')"
)
PERSONAL = {"owner": "owner_id", "value": "auth.uid()"}
FOR_TEAM = {"owner": "team_id", "value": "%(team)s"}

CASES = [
    # -- projects
    Case("projects", "read alice's", count("projects", "id = %(alice_project)s"), ALICE),
    Case("projects", "read the team's", count("projects", "id = %(team_project)s"), TEAM),
    Case("projects", "read bob's", count("projects", "id = %(bob_project)s"), {"bob": 1}),
    Case("projects", "create own", "insert into projects (owner_id, name) values (auth.uid(), 'x')", EVERY_PERSON),
    Case("projects", "create as alice", "insert into projects (owner_id, name) values (%(alice)s, 'x')", ALICE),
    Case("projects", "create the team's", "insert into projects (team_id, name) values (%(team)s, 'x')", TEAM_ADMINS),
    Case(
        "projects",
        "create under another's parent",
        "insert into projects (owner_id, name, parent_id) values (auth.uid(), 'x', %(team_project)s)",
        NOBODY,
    ),
    Case("projects", "rename alice's", "update projects set name = 'x' where id = %(alice_project)s", ALICE),
    Case("projects", "rename the team's", "update projects set name = 'x' where id = %(team_project)s", TEAM_ADMINS),
    Case(
        "projects", "archive the team's", "update projects set archived = true where id = %(team_project)s", TEAM_ADMINS
    ),
    Case(
        "projects",
        "hand alice's to the team",
        "update projects set team_id = %(team)s where id = %(alice_project)s",
        NOBODY,
    ),
    Case(
        "projects", "take the team's", "update projects set owner_id = auth.uid() where id = %(team_project)s", NOBODY
    ),
    Case("projects", "delete alice's", "delete from projects where id = %(alice_project)s", ALICE),
    Case("projects", "delete the team's", "delete from projects where id = %(team_project)s", TEAM_ADMINS),
    # -- project_rules
    Case("project_rules", "read alice's", count("project_rules", "id = %(alice_rule)s"), ALICE),
    Case("project_rules", "read the team's", count("project_rules", "id = %(team_rule)s"), TEAM),
    Case("project_rules", "own rule for an own project", RULE.format(project="alice_project", **PERSONAL), ALICE),
    Case("project_rules", "own rule for the team's project", RULE.format(project="team_project", **PERSONAL), TEAM),
    Case("project_rules", "own rule for bob's project", RULE.format(project="bob_project", **PERSONAL), {"bob": 1}),
    Case("project_rules", "team rule", RULE.format(project="team_project", **FOR_TEAM), TEAM_ADMINS),
    Case("project_rules", "team rule for alice's project", RULE.format(project="alice_project", **FOR_TEAM), NOBODY),
    Case("project_rules", "change alice's", "update project_rules set pattern = 'y' where id = %(alice_rule)s", ALICE),
    Case(
        "project_rules",
        "change the team's",
        "update project_rules set pattern = 'y' where id = %(team_rule)s",
        TEAM_ADMINS,
    ),
    Case(
        "project_rules",
        "point the team's at alice's project",
        "update project_rules set project_id = %(alice_project)s where id = %(team_rule)s",
        NOBODY,
    ),
    Case("project_rules", "delete alice's", "delete from project_rules where id = %(alice_rule)s", ALICE),
    Case("project_rules", "delete the team's", "delete from project_rules where id = %(team_rule)s", TEAM_ADMINS),
    # -- what names alice's time: hers and her team's, for her and her team's admins alone
    Case(
        "projects_for",
        "alice's",
        "select count(*) as n from internal.projects_for(%(alice)s)",
        {
            "alice": 2,
            "carol": 2,
            "dave": 2,
        },
    ),
    Case(
        "project_rules_for",
        "alice's",
        "select count(*) as n from internal.project_rules_for(%(alice)s)",
        {
            "alice": 2,
            "carol": 2,
            "dave": 2,
        },
    ),
    Case("project_rules_for", "bob's", "select count(*) as n from internal.project_rules_for(%(bob)s)", NOBODY),
    # -- time named directly points only at a project its owner can see
    Case(
        "time_entries",
        "give alice's entry to the team's project",
        "update time_entries set project_id = %(team_project)s where id = %(alice_entry)s",
        ALICE,
    ),
    Case(
        "time_entries",
        "give alice's entry to bob's project",
        "update time_entries set project_id = %(bob_project)s where id = %(alice_entry)s",
        NOBODY,
    ),
]


@dataclass(frozen=True)
class Named:
    world: World
    ids: dict[str, Any]


@pytest.fixture(scope="module")
def named(world: World) -> Named:
    db = world.runtime.db
    alice_project = store.create_project(db, world.alice.principal, "Alice's")["id"]
    team_project = store.create_project(db, world.carol.principal, "Crew's", team_id=world.team_id)["id"]
    bob_project = store.create_project(db, world.bob.principal, "Bob's")["id"]
    alice_rule = store.create_rule(
        db, world.alice.principal, store.RuleDraft(alice_project, "nfc", "tag_label", pattern="Apollo")
    )["id"]
    team_rule = store.create_rule(
        db, world.carol.principal, store.RuleDraft(team_project, "wakatime", "project", pattern="apollo"), world.team_id
    )["id"]
    ids = {
        "alice_project": alice_project,
        "team_project": team_project,
        "bob_project": bob_project,
        "alice_rule": alice_rule,
        "team_rule": team_rule,
    }
    return Named(world, ids)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=[f"{case.table}: {case.name}" for case in CASES])
def test_projects_rls_matrix(named: Named, case: Case, actor: str) -> None:
    params = {**parameters(named.world), **named.ids}
    assert outcome(named.world.actor(actor), case.sql, params, read=case.read) == case.expected(actor)

"""The RLS matrix: for every table in `public` (each source's too) and the views over them,
what each kind of caller can read and write, as row counts (0 = nothing visible, nothing
touched, or refused), or REFUSED where the statement must fail outright.

Callers: alice (the data's owner, a plain team member), bob (a stranger, invited by carol
but not yet accepted), carol (owner of alice's team), dave (admin of alice's team, with data
of his own), erin (owner of another team), frank (a plain member of alice's team), anon.
Statements use the World's ids as %(name)s parameters. Writes are rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from tests.db.actors import Actor, rows, touched
from tests.db.conftest import World
from timetracker import credentials

ACTORS = ("alice", "bob", "carol", "dave", "erin", "frank", "anon")
# Refused outright: no privilege, or a policy's WITH CHECK (an error, not merely no rows).
REFUSED = -1


@dataclass(frozen=True)
class Case:
    table: str
    name: str
    sql: str
    expect: dict[str, int]  # missing callers: 0

    @property
    def read(self) -> bool:
        return self.sql.lstrip().startswith("select")

    def expected(self, actor: str) -> int:
        return self.expect.get(actor, 0)

    def admits(self, actor: str, got: int) -> bool:
        """An expected 0 also holds when refused outright; REFUSED and counts hold exactly."""
        expected = self.expected(actor)
        return got in (0, REFUSED) if expected == 0 else got == expected


def count(table: str, where: str) -> str:
    return f"select count(*) as n from {table} where {where}"


OWNER_AND_ADMINS = {"alice": 1, "carol": 1, "dave": 1}
EVERY_PERSON = {"alice": 1, "bob": 1, "carol": 1, "dave": 1, "erin": 1, "frank": 1}
# Everyone in alice's team.
TEAM = {"alice": 1, "carol": 1, "dave": 1, "frank": 1}
NOBODY: dict[str, int] = {}
# An hour of 2030 added by hand or excluded, by the caller (owner_id defaults to auth.uid()) or
# in someone's name.
ENTRY = (
    "insert into time_entries ({owner}started_at, ended_at, label)"
    " values ({value}'2030-01-01T09:00Z', '2030-01-01T10:00Z', 'x')"
)
EXCLUSION = (
    "insert into time_exclusions ({owner}started_at, ended_at) values ({value}'2030-01-01T09:00Z', '2030-01-01T10:00Z')"
)
NOTE = "insert into correction_notes ({owner}item_id, note) values ({value}gen_random_uuid(), 'x')"
EDIT = (
    "insert into time_edits (owner_id, actor_id, kind, action, item_id, started_at, ended_at)"
    " values ({owner}, {owner}, 'entry', 'create', gen_random_uuid(), now(), now() + interval '1 hour')"
)
MINE = {"owner": "", "value": ""}
AS_ALICE = {"owner": "owner_id, ", "value": "%(alice)s, "}
EVENT = (
    "insert into device_events (device_id, owner_id, event_type, tag_id, tag_present, occurred_at, payload)"
    " values (%(device)s, {owner}, 'tag_insert', 'aa', true, '2030-01-01T00:00Z', '{{}}')"
)

CASES = [
    # -- profiles: own and teammates' readable; only your own editable; never inserted or deleted by hand
    Case("tracker_profiles", "read alice's", count("tracker_profiles", "id = %(alice)s"), TEAM),
    Case("tracker_profiles", "read bob's", count("tracker_profiles", "id = %(bob)s"), {"bob": 1}),
    Case(
        "tracker_profiles",
        "update alice's",
        "update tracker_profiles set display_name = 'x' where id = %(alice)s",
        {"alice": 1},
    ),
    Case(
        "tracker_profiles",
        "insert one",
        "insert into tracker_profiles (id, email) values (auth.uid(), 'x@example.com')",
        NOBODY,
    ),
    Case("tracker_profiles", "delete alice's", "delete from tracker_profiles where id = %(alice)s", NOBODY),
    Case(
        "tracker_profiles",
        "read the inviter's",
        count("tracker_profiles", "id = %(carol)s"),
        {**TEAM, "bob": 1},
    ),
    Case(
        "tracker_profiles",
        "spoof own email",
        "update tracker_profiles set email = 'x@example.com' where id = auth.uid()",
        NOBODY,
    ),
    # -- teams
    # (bob reads it too: he is invited to it and must see what he is asked to join)
    Case("teams", "read the team", count("teams", "id = %(team)s"), {**TEAM, "bob": 1}),
    Case("teams", "create own", "insert into teams (name) values ('New')", EVERY_PERSON),
    Case("teams", "create as alice", "insert into teams (name, created_by) values ('New', %(alice)s)", {"alice": 1}),
    Case("teams", "rename", "update teams set name = 'Renamed' where id = %(team)s", {"carol": 1, "dave": 1}),
    Case("teams", "delete", "delete from teams where id = %(team)s", {"carol": 1}),
    Case("teams", "take over", "update teams set created_by = %(dave)s where id = %(team)s", NOBODY),
    # -- team_members: joining happens only by accepting an invitation (accept_invitation)
    Case(
        "team_members",
        "read",
        count("team_members", "team_id = %(team)s"),
        {"alice": 4, "carol": 4, "dave": 4, "frank": 4},
    ),
    Case(
        "team_members",
        "add bob",
        "insert into team_members (team_id, user_id) values (%(team)s, %(bob)s)",
        NOBODY,
    ),
    Case(
        "team_members",
        "hand alice's membership to bob",
        "update team_members set user_id = %(bob)s where team_id = %(team)s and user_id = %(alice)s",
        NOBODY,
    ),
    Case(
        "team_members",
        "promote alice",
        "update team_members set role = 'admin' where team_id = %(team)s and user_id = %(alice)s",
        {"carol": 1, "dave": 1},
    ),
    Case(
        "team_members",
        "make alice owner",
        "update team_members set role = 'owner' where team_id = %(team)s and user_id = %(alice)s",
        NOBODY,
    ),
    Case(
        "team_members",
        "demote the owner",
        "update team_members set role = 'member' where team_id = %(team)s and user_id = %(carol)s",
        NOBODY,
    ),
    Case(
        "team_members",
        "remove alice",
        "delete from team_members where team_id = %(team)s and user_id = %(alice)s",
        OWNER_AND_ADMINS,
    ),
    Case(
        "team_members",
        "remove the owner",
        "delete from team_members where team_id = %(team)s and user_id = %(carol)s",
        NOBODY,
    ),
    # -- team_invitations: admins' business, and each invitee's own
    Case(
        "team_invitations",
        "read",
        count("team_invitations", "team_id = %(team)s"),
        {"bob": 1, "carol": 2, "dave": 2},
    ),
    Case(
        "team_invitations",
        "read bob's",
        count("team_invitations", "email = %(bob_email)s"),
        {"bob": 1, "carol": 1, "dave": 1},
    ),
    Case(
        "team_invitations",
        "decline bob's",
        "delete from team_invitations where email = %(bob_email)s",
        {"bob": 1, "carol": 1, "dave": 1},
    ),
    Case(
        "team_invitations",
        "redirect bob's elsewhere",
        "update team_invitations set email = 'x@example.com' where email = %(bob_email)s",
        NOBODY,
    ),
    Case(
        "team_invitations",
        "insert",
        "insert into team_invitations (team_id, email) values (%(team)s, 'someone@example.com')",
        NOBODY,
    ),
    Case(
        "team_invitations",
        "withdraw",
        "delete from team_invitations where team_id = %(team)s",
        {"bob": 1, "carol": 2, "dave": 2},
    ),
    # -- devices: owner and their team admins read; only the owner changes; nobody deletes
    Case("devices", "read alice's", count("devices", "owner_id = %(alice)s"), {"alice": 2, "carol": 2, "dave": 2}),
    Case("devices", "read dave's", count("devices", "owner_id = %(dave)s"), {"carol": 1, "dave": 1}),
    Case("devices", "read bob's", count("devices", "owner_id = %(bob)s"), {"bob": 1}),
    Case(
        "devices",
        "register own",
        "insert into devices (device_id, name, key_hash, key_hint) values ('RLS_PROBE', 'x', 'h', 'h')",
        EVERY_PERSON,
    ),
    Case(
        "devices",
        "register as alice",
        "insert into devices (device_id, owner_id, name, key_hash, key_hint)"
        " values ('RLS_PROBE', %(alice)s, 'x', 'h', 'h')",
        {"alice": 1},
    ),
    Case("devices", "rename", "update devices set name = 'x' where device_id = %(device)s", {"alice": 1}),
    Case("devices", "hand over", "update devices set owner_id = %(bob)s where device_id = %(device)s", NOBODY),
    Case("devices", "revoke", "update devices set revoked_at = now() where device_id = %(device)s", {"alice": 1}),
    Case(
        "devices", "undo a revoke", "update devices set revoked_at = null where device_id = %(revoked_device)s", NOBODY
    ),
    Case(
        "devices",
        "backdate a revoke",
        "update devices set revoked_at = '2000-01-01Z' where device_id = %(revoked_device)s",
        NOBODY,
    ),
    Case("devices", "delete", "delete from devices where device_id = %(revoked_device)s", NOBODY),
    # -- tags
    Case("tags", "read alice's", count("tags", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case("tags", "label own", "insert into tags (tag_id, label) values ('01 02', 'x')", EVERY_PERSON),
    Case(
        "tags",
        "label as alice",
        "insert into tags (owner_id, tag_id, label) values (%(alice)s, '01', 'x')",
        {"alice": 1},
    ),
    Case("tags", "relabel alice's", "update tags set label = 'x' where owner_id = %(alice)s", {"alice": 1}),
    Case("tags", "delete alice's", "delete from tags where owner_id = %(alice)s", {"alice": 1}),
    # -- device_events: raw, immutable; written only for a live device of the writer's own
    Case(
        "device_events",
        "read alice's",
        count("device_events", "owner_id = %(alice)s"),
        {"alice": 2, "carol": 2, "dave": 2},
    ),
    Case("device_events", "read dave's", count("device_events", "owner_id = %(dave)s"), {"carol": 2, "dave": 2}),
    Case("device_events", "read bob's", count("device_events", "owner_id = %(bob)s"), {"bob": 2}),
    Case("device_events", "write to alice's reader", EVENT.format(owner="auth.uid()"), {"alice": 1}),
    Case("device_events", "write as alice", EVENT.format(owner="%(alice)s"), {"alice": 1}),
    Case(
        "device_events",
        "write to a revoked reader",
        EVENT.format(owner="auth.uid()").replace("%(device)s", "%(revoked_device)s"),
        NOBODY,
    ),
    Case("device_events", "edit", "update device_events set tag_id = 'ff' where owner_id = %(alice)s", NOBODY),
    Case("device_events", "delete", "delete from device_events where owner_id = %(alice)s", NOBODY),
    # -- api_tokens: strictly personal, not even team admins read them
    Case("api_tokens", "read alice's", count("api_tokens", "owner_id = %(alice)s"), {"alice": 2}),
    Case(
        "api_tokens",
        "create own",
        "insert into api_tokens (name, token_hash, token_hint) values ('x', md5(random()::text), 'h')",
        EVERY_PERSON,
    ),
    Case(
        "api_tokens",
        "create as alice",
        "insert into api_tokens (owner_id, name, token_hash, token_hint)"
        " values (%(alice)s, 'x', md5(random()::text), 'h')",
        {"alice": 1},
    ),
    Case("api_tokens", "revoke alice's", "update api_tokens set revoked_at = now() where id = %(token)s", {"alice": 1}),
    Case("api_tokens", "undo a revoke", "update api_tokens set revoked_at = null where id = %(revoked_token)s", NOBODY),
    Case("api_tokens", "swap the digest", "update api_tokens set token_hash = 'x' where id = %(token)s", NOBODY),
    Case("api_tokens", "delete", "delete from api_tokens where id = %(token)s", NOBODY),
    # -- views (security_invoker): exactly what the tables underneath allow, read-only
    Case(
        "device_status",
        "read alice's",
        count("device_status", "owner_id = %(alice)s"),
        {"alice": 2, "carol": 2, "dave": 2},
    ),
    Case("device_status", "read dave's", count("device_status", "owner_id = %(dave)s"), {"carol": 1, "dave": 1}),
    Case("device_status", "write through", "update device_status set name = 'x' where owner_id = %(alice)s", NOBODY),
    Case("nfc_intervals", "read alice's", count("nfc_intervals", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case("nfc_intervals", "read dave's", count("nfc_intervals", "owner_id = %(dave)s"), {"carol": 1, "dave": 1}),
    Case("nfc_intervals", "read bob's", count("nfc_intervals", "owner_id = %(bob)s"), {"bob": 1}),
    # -- time_entries: time added by hand; the owner writes, the owner and their team admins read
    Case("time_entries", "read alice's", count("time_entries", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case("time_entries", "read dave's", count("time_entries", "owner_id = %(dave)s"), {"carol": 1, "dave": 1}),
    Case("time_entries", "read bob's", count("time_entries", "owner_id = %(bob)s"), {"bob": 1}),
    Case("time_entries", "add own", ENTRY.format(**MINE), EVERY_PERSON),
    Case("time_entries", "add as alice", ENTRY.format(**AS_ALICE), {"alice": 1}),
    Case(
        "time_entries",
        "change alice's",
        "update time_entries set ended_at = ended_at + interval '1 hour', label = 'x' where id = %(alice_entry)s",
        {"alice": 1},
    ),
    Case(
        "time_entries",
        "hand alice's to bob",
        "update time_entries set owner_id = %(bob)s where id = %(alice_entry)s",
        NOBODY,
    ),
    Case(
        "time_entries",
        "backdate when alice's was made",
        "update time_entries set created_at = '2000-01-01Z' where id = %(alice_entry)s",
        NOBODY,
    ),
    Case("time_entries", "delete alice's", "delete from time_entries where id = %(alice_entry)s", {"alice": 1}),
    Case("time_entries", "delete bob's", "delete from time_entries where id = %(bob_entry)s", {"bob": 1}),
    # -- time_exclusions: stretches marked as not work, the same rules
    Case("time_exclusions", "read alice's", count("time_exclusions", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case("time_exclusions", "add own", EXCLUSION.format(**MINE), EVERY_PERSON),
    Case("time_exclusions", "add as alice", EXCLUSION.format(**AS_ALICE), {"alice": 1}),
    Case(
        "time_exclusions",
        "change alice's",
        "update time_exclusions set started_at = started_at - interval '1 hour' where id = %(alice_exclusion)s",
        {"alice": 1},
    ),
    Case(
        "time_exclusions",
        "hand alice's to bob",
        "update time_exclusions set owner_id = %(bob)s where id = %(alice_exclusion)s",
        NOBODY,
    ),
    Case(
        "time_exclusions", "delete alice's", "delete from time_exclusions where id = %(alice_exclusion)s", {"alice": 1}
    ),
    # -- correction_notes: the owner's words; their team admins read them only when shared (dave shares)
    Case("correction_notes", "read alice's", count("correction_notes", "owner_id = %(alice)s"), {"alice": 2}),
    Case("correction_notes", "read dave's", count("correction_notes", "owner_id = %(dave)s"), {"carol": 1, "dave": 1}),
    Case("correction_notes", "read bob's", count("correction_notes", "owner_id = %(bob)s"), {"bob": 1}),
    Case("correction_notes", "write own", NOTE.format(**MINE), EVERY_PERSON),
    Case("correction_notes", "write as alice", NOTE.format(**AS_ALICE), {"alice": 1}),
    Case(
        "correction_notes",
        "rewrite alice's",
        "update correction_notes set note = 'x' where owner_id = %(alice)s",
        {"alice": 2},
    ),
    Case(
        "correction_notes",
        "rewrite dave's",
        "update correction_notes set note = 'x' where owner_id = %(dave)s",
        {"dave": 1},
    ),
    Case(
        "correction_notes",
        "take alice's",
        "update correction_notes set owner_id = auth.uid() where owner_id = %(alice)s",
        NOBODY,
    ),
    Case(
        "correction_notes",
        "move alice's to another item",
        "update correction_notes set item_id = gen_random_uuid() where owner_id = %(alice)s",
        NOBODY,
    ),
    Case("correction_notes", "delete alice's", "delete from correction_notes where owner_id = %(alice)s", {"alice": 2}),
    Case("correction_notes", "delete dave's", "delete from correction_notes where owner_id = %(dave)s", {"dave": 1}),
    # -- time_edits: the trail, written by triggers only; read like the corrections, changed by nobody
    Case(
        "time_edits", "read alice's", count("time_edits", "owner_id = %(alice)s"), {"alice": 2, "carol": 2, "dave": 2}
    ),
    Case("time_edits", "read dave's", count("time_edits", "owner_id = %(dave)s"), {"carol": 1, "dave": 1}),
    Case("time_edits", "read bob's", count("time_edits", "owner_id = %(bob)s"), {"bob": 1}),
    Case("time_edits", "write own", EDIT.format(owner="auth.uid()"), NOBODY),
    Case("time_edits", "write as alice", EDIT.format(owner="%(alice)s"), NOBODY),
    Case(
        "time_edits",
        "rewrite alice's",
        "update time_edits set ended_at = started_at where owner_id = %(alice)s",
        NOBODY,
    ),
    Case("time_edits", "erase alice's", "delete from time_edits where owner_id = %(alice)s", NOBODY),
]


# -- projects and their rules: a person's own; a team's read by its members, written by its
# owners and admins; nobody sees another team's or a stranger's. Personal rules may name a
# team's project; time added by hand may name only a project its owner can see.
TEAM_ADMINS = {"carol": 1, "dave": 1}
ALICE = {"alice": 1}
RULE = (
    "insert into project_rules (project_id, {owner}, source, field, pattern)"
    " values (%({project})s, {value}, 'nfc', 'tag_id', 'x')"
)
PERSONAL = {"owner": "owner_id", "value": "auth.uid()"}
# An hour of 2030 added by hand, for a project.
PROJECT_ENTRY = (
    "insert into time_entries (started_at, ended_at, label, project_id)"
    " values ('2030-01-01T09:00Z', '2030-01-01T10:00Z', 'x', %({project})s)"
)
FOR_TEAM = {"owner": "team_id", "value": "%(team)s"}

PROJECT_CASES = [
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
    Case("time_entries", "add own for bob's project", PROJECT_ENTRY.format(project="bob_project"), {"bob": 1}),
    Case("time_entries", "add own for the team's project", PROJECT_ENTRY.format(project="team_project"), TEAM),
]

CASES += PROJECT_CASES

# An hour imported from another tracker, by the caller (owner_id defaults to auth.uid()) or in
# someone's name; the key is what makes an entry the same one.
IMPORTED = (
    "insert into imported_entries ({owner}origin, entry_key, started_at, ended_at)"
    " values ({value}'toggl', repeat('a', 64), '2030-01-01T09:00Z', '2030-01-01T10:00Z')"
)

IMPORTED_CASES = [
    Case("imported_entries", "read alice's", count("imported_entries", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case("imported_entries", "read bob's", count("imported_entries", "owner_id = %(bob)s"), {"bob": 1}),
    Case("imported_entries", "import own", IMPORTED.format(**MINE), EVERY_PERSON),
    Case("imported_entries", "import as alice", IMPORTED.format(**AS_ALICE), {"alice": 1}),
    Case(
        "imported_entries",
        "move alice's",
        "update imported_entries set started_at = started_at - interval '1 hour' where owner_id = %(alice)s",
        NOBODY,
    ),
    Case("imported_entries", "remove alice's", "delete from imported_entries where owner_id = %(alice)s", {"alice": 1}),
    Case("imported_entries", "remove bob's", "delete from imported_entries where owner_id = %(bob)s", {"bob": 1}),
]

CASES += IMPORTED_CASES


# -- each source's tables
ALL_REFUSED = dict.fromkeys(ACTORS, REFUSED)
OWNER_AND_ADMINS_TWICE = {"alice": 2, "carol": 2, "dave": 2}
# A question planted into a session, chosen by a select or named by its key.
QUESTION = "insert into timer_questions (session_id, question_index, started_at, ended_at, raw_seconds, active_seconds)"
NEW_SESSION = "insert into timer_sessions (started_at, question_started_at, project_id) values (now(), now(), %({})s)"
AW_EVENT = (
    "insert into aw_events (owner_id, team_id, developer_id, host, bucket_id, bucket_type, started_at,"
    " duration, data) values ({}, 'h', 'b', 'afkstatus', '2026-03-02T09:00Z', 1, '{{}}')"
)

SOURCE_CASES = [
    # -- invitation_links: the team's owner and admins read them (never the digest); only the
    # invitation functions write them
    Case(
        "invitation_links",
        "read the team's",
        count("invitation_links", "team_id = %(team)s"),
        {"carol": 5, "dave": 5},
    ),
    Case("invitation_links", "read every link", count("invitation_links", "true"), {"carol": 5, "dave": 5}),
    Case("invitation_links", "read the digests", count("invitation_links", "token_hash is not null"), ALL_REFUSED),
    Case(
        "invitation_links",
        "make one",
        "insert into invitation_links (team_id, email, token_hash, expires_at)"
        " values (%(team)s, 'x@example.com', %(other_digest)s, now() + interval '1 day')",
        NOBODY,
    ),
    Case(
        "invitation_links",
        "extend one",
        "update invitation_links set expires_at = now() + interval '1 year' where team_id = %(team)s",
        NOBODY,
    ),
    Case(
        "invitation_links",
        "mark one used",
        "update invitation_links set used_at = now(), used_by = %(carol)s where used_at is null",
        NOBODY,
    ),
    Case("invitation_links", "delete one", "delete from invitation_links where team_id = %(team)s", NOBODY),
    # -- device_attempts: read like the reader itself; written by the service path's function
    # alone, not even by the owner (a record they could edit would not say what the reader was told)
    Case(
        "device_attempts",
        "read alice's reader's",
        count("device_attempts", "device_id = %(device)s"),
        OWNER_AND_ADMINS_TWICE,
    ),
    Case(
        "device_attempts",
        "plant one",
        "insert into device_attempts (owner_id, device_id, status, reason, message)"
        " values (%(alice)s, %(device)s, 401, 'bad_key', 'planted')",
        NOBODY,
    ),
    Case(
        "device_attempts",
        "rewrite one",
        "update device_attempts set message = 'rewritten' where device_id = %(device)s",
        NOBODY,
    ),
    Case("device_attempts", "delete them", "delete from device_attempts where device_id = %(device)s", NOBODY),
    # -- the timer: the owner and their team admins read; the lock row is the owner's alone
    Case("timer_sessions", "read alice's", count("timer_sessions", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case("timer_questions", "read alice's", count("timer_questions", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case("timer_events", "read alice's", count("timer_events", "owner_id = %(alice)s"), OWNER_AND_ADMINS_TWICE),
    Case("timer_state", "read alice's", count("timer_state", "owner_id = %(alice)s"), ALICE),
    Case(
        "timer_sessions",
        "change the target",
        "update timer_sessions set target_pace_minutes = 1 where public_id = %(session)s",
        ALICE,
    ),
    Case("timer_sessions", "delete the session", "delete from timer_sessions where public_id = %(session)s", ALICE),
    Case(
        "timer_sessions",
        "start one as alice",
        "insert into timer_sessions (owner_id, started_at, question_started_at) values (%(alice)s, now(), now())",
        ALICE,
    ),
    Case("timer_questions", "delete the question", "delete from timer_questions where owner_id = %(alice)s", ALICE),
    # bob, carol: the session is invisible (nothing selected) or the WITH CHECK refuses
    Case(
        "timer_questions",
        "plant one in alice's session",
        QUESTION + " select id, 99, now(), now(), 0, 0 from timer_sessions where public_id = %(session)s",
        ALICE,
    ),
    Case(
        "timer_questions",
        "plant one naming alice's session",
        QUESTION + " values (%(session_pk)s, 99, now(), now(), 0, 0)",
        ALICE,
    ),
    Case(
        "timer_state",
        "move the lock row",
        "update timer_state set last_event_at = null where owner_id = %(alice)s",
        ALICE,
    ),
    Case(
        "timer_state",
        "create one's lock row",
        "insert into timer_state (owner_id) values (auth.uid()) on conflict do nothing",
        {**EVERY_PERSON, "alice": 0, "bob": 0},  # they have theirs already
    ),
    # Pointing one's own rows at alice's session: refused, for bob who has a lock row of his own too.
    Case(
        "timer_state",
        "a new lock row on alice's session",
        "insert into timer_state (owner_id, active_session_id) values (auth.uid(), %(session_pk)s)"
        " on conflict do nothing",
        {"alice": 0, "bob": REFUSED},
    ),
    Case(
        "timer_state",
        "move one's lock row to alice's session",
        "update timer_state set active_session_id = %(session_pk)s where owner_id = auth.uid()",
        {"alice": 1, "bob": REFUSED},
    ),
    Case(
        "timer_events",
        "record one in alice's session",
        "insert into timer_events (session_id, event_id, type, occurred_at, result)"
        " values (%(session_pk)s, 'planted', 'NEXT', now(), '{}')",
        {"alice": 1, "bob": REFUSED},
    ),
    Case("timer_events", "edit one", "update timer_events set type = 'EXIT' where owner_id = %(alice)s", NOBODY),
    # A session is given only a project its owner can see.
    Case(
        "timer_sessions",
        "give alice's session her project",
        "update timer_sessions set project_id = %(alice_project)s where public_id = %(session)s",
        ALICE,
    ),
    Case(
        "timer_sessions",
        "give alice's session bob's project",
        "update timer_sessions set project_id = %(bob_project)s where public_id = %(session)s",
        {"alice": REFUSED},
    ),
    Case(
        "timer_sessions",
        "start one for bob's project",
        NEW_SESSION.format("bob_project"),
        {"alice": REFUSED, "bob": 1},
    ),
    # -- ActivityWatch: people, their team admins, and (for team rows) the linked developer read;
    # people write only their own rows; team rows come only through the verified-token function
    Case(
        "aw_events", "read alice's", count("aw_events", "owner_id = %(alice)s"), {**OWNER_AND_ADMINS, "anon": REFUSED}
    ),
    Case("aw_events", "read bob's", count("aw_events", "owner_id = %(bob)s"), {"bob": 1, "anon": REFUSED}),
    Case(
        "aw_events",
        "read the team's for alice's developer id",
        count("aw_events", "team_id = %(team)s and developer_id = %(dev_id)s"),
        {"carol": 1, "dave": 1, "anon": REFUSED},
    ),
    Case("aw_events", "write as alice", AW_EVENT.format("%(alice)s, null, null"), {**ALL_REFUSED, "alice": 1}),
    Case("aw_events", "write as bob", AW_EVENT.format("%(bob)s, null, null"), {**ALL_REFUSED, "bob": 1}),
    # Not even an admin: only the verified-token door writes team rows.
    Case("aw_events", "write a team row", AW_EVENT.format("null, %(team)s, %(dev_id)s"), ALL_REFUSED),
    Case(
        "aw_events",
        "extend alice's",
        "update aw_events set duration = 99 where owner_id = %(alice)s",
        ALICE,
    ),
    Case("aw_events", "extend bob's", "update aw_events set duration = 99 where owner_id = %(bob)s", {"bob": 1}),
    Case("aw_events", "delete alice's", "delete from aw_events where owner_id = %(alice)s", ALICE),
    Case("aw_events", "delete bob's", "delete from aw_events where owner_id = %(bob)s", {"bob": 1}),
    Case("aw_events", "delete the team's", "delete from aw_events where team_id = %(team)s", NOBODY),
    Case(
        "developers",
        "read the team's",
        count("developers", "team_id = %(team)s"),
        {"carol": 1, "dave": 1, "anon": REFUSED},
    ),
    Case(
        "developers",
        "register one",
        "insert into developers (team_id, developer_id, display_name) values (%(team)s, 'mallory_00000000', 'M')",
        TEAM_ADMINS,
    ),
    # Linked only to a member of the team (or to nobody).
    Case(
        "developers",
        "register one linked to alice",
        "insert into developers (team_id, developer_id, display_name, user_id)"
        " values (%(team)s, 'mallory_00000000', 'M', %(alice)s)",
        TEAM_ADMINS,
    ),
    Case(
        "developers",
        "register one linked to bob",
        "insert into developers (team_id, developer_id, display_name, user_id)"
        " values (%(team)s, 'mallory_00000000', 'M', %(bob)s)",
        {"carol": REFUSED, "dave": REFUSED},
    ),
    Case(
        "developers",
        "rename the team's",
        "update developers set display_name = 'x' where team_id = %(team)s",
        TEAM_ADMINS,
    ),
    Case(
        "developers",
        "link the team's to alice",
        "update developers set user_id = %(alice)s where team_id = %(team)s",
        TEAM_ADMINS,
    ),
    Case(
        "developers",
        "link the team's to bob",
        "update developers set user_id = %(bob)s where team_id = %(team)s",
        {"carol": REFUSED, "dave": REFUSED},
    ),
    Case("developers", "remove the team's", "delete from developers where team_id = %(team)s", TEAM_ADMINS),
    Case(
        "developers",
        "change the key",
        "update developers set developer_id = 'x_00000000' where team_id = %(team)s",
        {"dave": REFUSED},
    ),
    # -- WakaTime: connections and OAuth states are strictly personal; imported time and
    # heartbeats are read by the owner and their team admins, written by the owner
    Case(
        "wakatime_connections",
        "read alice's",
        count("wakatime_connections", "owner_id = %(alice)s"),
        ALICE,
    ),
    Case(
        "wakatime_connections",
        "connect own",
        "insert into wakatime_connections (access_token_encrypted) values ('x') on conflict do nothing",
        {**EVERY_PERSON, "alice": 0},  # alice has one already (one per person)
    ),
    Case(
        "wakatime_connections",
        "connect as bob",
        "insert into wakatime_connections (owner_id, access_token_encrypted) values (%(bob)s, 'x')",
        {"bob": 1},
    ),
    Case(
        "wakatime_connections",
        "mark alice's for reconnection",
        "update wakatime_connections set status = 'reconnect_needed' where owner_id = %(alice)s",
        ALICE,
    ),
    Case(
        "wakatime_connections", "disconnect alice", "delete from wakatime_connections where owner_id = %(alice)s", ALICE
    ),
    Case(
        "wakatime_oauth_states",
        "read alice's",
        count("wakatime_oauth_states", "owner_id = %(alice)s"),
        ALICE,
    ),
    Case(
        "wakatime_oauth_states",
        "issue one for alice",
        "insert into wakatime_oauth_states (nonce, owner_id, expires_at)"
        " values (md5(random()::text), %(alice)s, now())",
        ALICE,
    ),
    Case("wakatime_oauth_states", "use alice's", "delete from wakatime_oauth_states where owner_id = %(alice)s", ALICE),
    Case(
        "wakatime_oauth_states",
        "extend alice's",
        "update wakatime_oauth_states set expires_at = now() where owner_id = %(alice)s",
        NOBODY,
    ),
    Case(
        "wakatime_durations",
        "read alice's",
        count("wakatime_durations", "owner_id = %(alice)s"),
        OWNER_AND_ADMINS,
    ),
    Case(
        "wakatime_durations",
        "import own",
        "insert into wakatime_durations (day, started_at, duration_seconds) values (%(coded_on)s, now(), 1)",
        EVERY_PERSON,
    ),
    Case(
        "wakatime_durations",
        "import for alice",
        "insert into wakatime_durations (owner_id, day, started_at, duration_seconds)"
        " values (%(alice)s, %(coded_on)s, now(), 1)",
        ALICE,
    ),
    Case(
        "wakatime_durations",
        "change alice's",
        "update wakatime_durations set duration_seconds = 1 where owner_id = %(alice)s",
        ALICE,
    ),
    Case("wakatime_durations", "delete alice's", "delete from wakatime_durations where owner_id = %(alice)s", ALICE),
    Case(
        "wakatime_day_totals",
        "read alice's",
        count("wakatime_day_totals", "owner_id = %(alice)s"),
        OWNER_AND_ADMINS,
    ),
    Case(
        "wakatime_day_totals",
        "import for alice",
        "insert into wakatime_day_totals (owner_id, day, dimension, name, seconds)"
        " values (%(alice)s, %(coded_on)s, 'editor', 'vim', 1)",
        ALICE,
    ),
    Case(
        "wakatime_day_totals",
        "change alice's",
        "update wakatime_day_totals set seconds = 1 where owner_id = %(alice)s",
        ALICE,
    ),
    Case("wakatime_day_totals", "delete alice's", "delete from wakatime_day_totals where owner_id = %(alice)s", ALICE),
    Case("heartbeats", "read alice's", count("heartbeats", "owner_id = %(alice)s"), OWNER_AND_ADMINS),
    Case(
        "heartbeats",
        "send own",
        "insert into heartbeats (time, entity, type, hash) values (now(), '/x', 'file', repeat('a', 64))",
        EVERY_PERSON,
    ),
    Case(
        "heartbeats",
        "send as alice",
        "insert into heartbeats (owner_id, time, entity, type, hash)"
        " values (%(alice)s, now(), '/x', 'file', repeat('b', 64))",
        ALICE,
    ),
    Case("heartbeats", "edit alice's", "update heartbeats set entity = '/y' where owner_id = %(alice)s", NOBODY),
    Case("heartbeats", "delete alice's", "delete from heartbeats where owner_id = %(alice)s", NOBODY),
    Case(
        "heartbeat_settings",
        "read alice's",
        count("heartbeat_settings", "owner_id = %(alice)s"),
        OWNER_AND_ADMINS,
    ),
    Case(
        "heartbeat_settings",
        "change alice's timeout",
        "update heartbeat_settings set timeout_minutes = 5 where owner_id = %(alice)s",
        ALICE,
    ),
    Case(
        "heartbeat_settings",
        "create own",
        "insert into heartbeat_settings (timeout_minutes) values (5) on conflict do nothing",
        {**EVERY_PERSON, "alice": 0},  # alice has hers already
    ),
    Case("heartbeat_settings", "delete alice's", "delete from heartbeat_settings where owner_id = %(alice)s", NOBODY),
]

CASES += SOURCE_CASES


def parameters(world: World) -> dict[str, Any]:
    """The World's ids by name, and two invitation link digests: bob's and one of no link."""
    return {
        "alice": world.alice.id,
        "bob": world.bob.id,
        "carol": world.carol.id,
        "dave": world.dave.id,
        "team": world.team_id,
        "device": world.alice_device,
        "revoked_device": world.alice_revoked_device,
        "token": world.alice_token_id,
        "revoked_token": world.alice_revoked_token_id,
        "bob_email": world.bob.email,
        "alice_entry": world.alice_entry_id,
        "alice_exclusion": world.alice_exclusion_id,
        "bob_entry": world.bob_entry_id,
        "other_digest": credentials.digest("tti_not-the-token"),
        **world.named,
    }


def result(case: Case, actor: Actor, world: World) -> int:
    """Rows the actor reads (`select count(*) as n ...`) or writes (rolled back), or REFUSED."""
    try:
        return (
            rows(actor, case.sql, parameters(world))[0]["n"]
            if case.read
            else touched(actor, case.sql, parameters(world))
        )
    except psycopg.errors.InsufficientPrivilege:
        return REFUSED

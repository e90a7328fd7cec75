"""One small world for the RLS tests, built once per module through the core functions:

* alice: a live reader with events and a labelled tag, a revoked reader, an API token and a
  revoked one
* bob: someone else entirely, with his own reader, tag and token
* team "Crew": carol owns it, dave administers it, alice and frank are members (each accepted
  their invitation's link); dave has events too; one invitation is pending for someone who has
  not signed up, and one from carol to bob, who has not answered it (so carol must not see
  his time)
* erin: owner of another team, "Elsewhere", with nobody else in it
* corrections: alice has an entry and an exclusion, each with a note she keeps to herself;
  dave an entry whose note he shares with his team's owners and admins; bob an entry. Each
  was recorded once in the trail (a create).
* projects: alice has one with a rule of hers, the team one with a rule carol made, bob one.
* each source, as its own code writes it (see sources): alice's reader has two refused
  requests kept; alice has a timer session with a question, bob one of his own; alice and bob
  each sent an ActivityWatch row, and a developer token of Crew one for alice's developer id;
  alice has a row in every WakaTime table.
* imported time: alice and bob each imported an hour from another tracker.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from tests.db.actors import Actor, anon, person
from tests.utils.devices import device_event, unique_device_id
from tests.utils.sources import CODED_ON, activity, timer_session, wakatime_rows
from tests.utils.teams import join
from tests.utils.users import TestUser, make_user, unique_email
from timetracker import corrections, profiles, teams
from timetracker.activitywatch import ingest as aw_ingest
from timetracker.activitywatch.developer_ids import developer_id
from timetracker.auth import api_tokens
from timetracker.imports import importing
from timetracker.imports.entries import Parsed, entry
from timetracker.nfc import attempts, devices, ingest
from timetracker.nfc.identity import DeviceIdentity
from timetracker.nfc.payload import DeviceEvent
from timetracker.projects import store
from timetracker.runtime import Runtime

TAG = "dd 54 2a 83"
CORRECTED_AT = datetime(2025, 4, 11, 9, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    runtime: Runtime
    alice: TestUser
    bob: TestUser
    carol: TestUser  # team owner
    dave: TestUser  # team admin
    erin: TestUser  # owner of another team
    frank: TestUser  # plain member of alice's team
    alice_device: str
    alice_revoked_device: str
    bob_device: str
    dave_device: str
    alice_token_id: UUID
    alice_revoked_token_id: UUID
    bob_token_id: UUID
    team_id: UUID
    invited_email: str
    alice_entry_id: UUID
    alice_exclusion_id: UUID
    dave_entry_id: UUID
    bob_entry_id: UUID
    named: dict[str, Any]  # projects, rules and each source's rows, by what they are (see sources)

    def actor(self, name: str) -> Actor:
        """`anon`, or one of the people by attribute name."""
        if name == "anon":
            return anon(self.runtime.db)
        return person(self.runtime.db, getattr(self, name))


def reader_with_a_session(runtime: Runtime, owner: TestUser, label: str) -> str:
    """Register a reader for `owner`, label TAG, and store one insert/removal pair (an hour)."""
    device_id = unique_device_id()
    devices.register(runtime.db, owner.principal, device_id, "Desk")
    devices.put_tags(runtime.db, owner.principal, {TAG: label})
    raws = [device_event(device_id, 0), device_event(device_id, 3600, event_type="tag_removed")]
    identity = DeviceIdentity(device_id=device_id, owner_id=owner.id)
    ingest.store_events(runtime.db, identity, [(DeviceEvent.model_validate(raw), raw) for raw in raws])
    return device_id


def correction(runtime: Runtime, owner: TestUser, kind: corrections.Kind, note: str) -> UUID:
    """An hour of `owner`'s corrected (an entry or an exclusion), with `note`."""
    end = CORRECTED_AT + timedelta(hours=1)
    label = "Review" if kind == "entry" else None
    return corrections.add(runtime.db, owner.principal, kind, CORRECTED_AT, end, note, label=label)["id"]


def projects_and_rules(
    runtime: Runtime, alice: TestUser, bob: TestUser, carol: TestUser, team: UUID
) -> dict[str, UUID]:
    """Alice's project with a rule of hers, the team's project with a rule carol (its owner)
    made, and bob's project."""
    db = runtime.db
    alice_project = store.create_project(db, alice.principal, "Alice's")["id"]
    team_project = store.create_project(db, carol.principal, "Crew's", team_id=team)["id"]
    alice_rule = store.create_rule(db, alice.principal, store.RuleDraft(alice_project, "nfc", "tag_label", pattern="x"))
    team_draft = store.RuleDraft(team_project, "wakatime", "project", pattern="apollo")
    return {
        "alice_project": alice_project,
        "team_project": team_project,
        "bob_project": store.create_project(db, bob.principal, "Bob's")["id"],
        "alice_rule": alice_rule["id"],
        "team_rule": store.create_rule(db, carol.principal, team_draft, team)["id"],
    }


def sources(runtime: Runtime, alice: TestUser, bob: TestUser, team: UUID, alice_device: str) -> dict[str, Any]:
    """Each source's rows, written by the source's own code (see the module's docstring)."""
    for reason in ("bad_key", "revoked"):
        assert attempts.record(runtime.db, alice_device, attempts.Attempt(401, reason, "kept for the owner"))
    alice_session, bob_session = timer_session(runtime, alice), timer_session(runtime, bob)
    dev_id = developer_id("Alice", alice.email)
    activity(runtime, aw_ingest.Sender(principal=alice.principal), "afkstatus")
    activity(runtime, aw_ingest.Sender(principal=bob.principal), "afkstatus")
    activity(runtime, aw_ingest.Sender(team_id=team, developer_id=dev_id), "currentwindow")
    wakatime_rows(runtime, alice)
    return {
        "session": alice_session["public_id"],
        "session_pk": alice_session["id"],
        "bob_session": bob_session["public_id"],
        "dev_id": dev_id,
        "coded_on": CODED_ON,
    }


def imported_hour(runtime: Runtime, owner: TestUser) -> None:
    hour = entry("toggl", CORRECTED_AT, CORRECTED_AT + timedelta(hours=1), project="Apollo")
    assert importing.store(runtime.db, owner.principal, Parsed([hour])).created == 1


@pytest.fixture(scope="module")
def world(runtime: Runtime) -> Iterator[World]:
    db = runtime.db
    alice, bob, carol, dave, erin, frank = (
        make_user(runtime, name) for name in ("alice", "bob", "carol", "dave", "erin", "frank")
    )
    alice_device = reader_with_a_session(runtime, alice, "Apollo")
    revoked = unique_device_id()
    devices.register(db, alice.principal, revoked, "Old reader")
    devices.revoke(db, alice.principal, revoked)
    team = teams.create(db, carol.principal, "Crew")
    join(db, carol, team["id"], dave, "admin")
    join(db, dave, team["id"], alice)
    join(db, carol, team["id"], frank)
    teams.create(db, erin.principal, "Elsewhere")
    invited = unique_email("newcomer")
    assert teams.invite(db, carol.principal, team["id"], invited).outcome == "invited"
    bob_invited = teams.invite(db, carol.principal, team["id"], bob.email)
    assert bob_invited.outcome == "invited"
    revoked_token = api_tokens.create(db, alice.principal, "old script")[0]["id"]
    assert api_tokens.revoke(db, alice.principal, revoked_token)
    profiles.update(db, dave.principal, share_notes=True)
    imported_hour(runtime, alice)
    imported_hour(runtime, bob)
    yield World(
        runtime=runtime,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        erin=erin,
        frank=frank,
        alice_device=alice_device,
        alice_revoked_device=revoked,
        bob_device=reader_with_a_session(runtime, bob, "Bob's project"),
        dave_device=reader_with_a_session(runtime, dave, "Admin work"),
        alice_token_id=api_tokens.create(db, alice.principal, "script")[0]["id"],
        alice_revoked_token_id=revoked_token,
        bob_token_id=api_tokens.create(db, bob.principal, "script")[0]["id"],
        team_id=team["id"],
        invited_email=invited,
        alice_entry_id=correction(runtime, alice, "entry", "alice's own business"),
        alice_exclusion_id=correction(runtime, alice, "exclusion", "dentist"),
        dave_entry_id=correction(runtime, dave, "entry", "shared with the team"),
        bob_entry_id=correction(runtime, bob, "entry", "bob's"),
        named={
            **projects_and_rules(runtime, alice, bob, carol, team["id"]),
            **sources(runtime, alice, bob, team["id"], alice_device),
            "bob_link": bob_invited.token,
        },
    )

"""The counted-once day (see test_counted_once_day) named by project rules, through the HTTP API.

Team "Crew" (carol owns it, alice is a member) has projects Office, Apollo and Research and
these rules, set by carol:

    NFC            tag 04 a2 19 7f (Office)          -> Office
    WakaTime       project apollo                    -> Apollo
    ActivityWatch  title regex (?i)^C\\.PY$           -> Apollo
    ActivityWatch  app firefox (ignoring case)       -> Research

From the attributed timeline (DEFAULT_SEGMENTS): Office 09:00-12:00 less 10:00-11:00, and
13:30-17:00 = 5.5 h; Research: Firefox 10:00-10:30; Apollo: coding apollo 10:30-10:45 and the
c.py window 10:45-11:00; everything else (the Apollo tag, the timer, zeus, windows a.py and
b.py, active time with no window) is unassigned: 3 h in all. Together the tracked 9.5 h.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.api.test_counted_once_day import (
    DAY,
    DEFAULT_SEGMENTS,
    OFFICE,
    TRACKED,
    at,
    record_the_day,
    time_report,
)
from tests.utils import recorded_time as rec
from tests.utils.projects import by_key, project, rule, summary
from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker.runtime import Runtime

NAMED = {"Office": 19800.0, "Research": 1800.0, "Apollo": 1800.0, "unassigned": 10800.0}


@dataclass(frozen=True)
class Crew:
    alice: TestUser  # a member, whose day it is
    carol: TestUser  # the team's owner
    team_id: UUID
    projects: dict[str, str]  # name -> id
    rules: dict[str, dict[str, Any]]  # what it names -> the rule


@pytest.fixture
def crew(http: httpx.Client, runtime: Runtime, alice: TestUser, user_factory: Callable[..., TestUser]) -> Crew:
    carol = user_factory("carol")
    team_id = team_of(runtime.db, carol, "Crew", (alice, "member"))
    record_the_day(http, alice)
    projects = {name: project(http, carol, name, team_id) for name in ("Office", "Apollo", "Research")}
    rules = {
        "office": rule(http, carol, projects["Office"], "nfc", "tag_id", OFFICE, team_id),
        "apollo code": rule(http, carol, projects["Apollo"], "wakatime", "project", "apollo", team_id),
        "apollo window": rule(
            http, carol, projects["Apollo"], "activitywatch", "title", r"(?i)^C\.PY$", team_id, match="regex"
        ),
        "firefox": rule(
            http, carol, projects["Research"], "activitywatch", "app", "firefox", team_id, ignore_case=True
        ),
    }
    return Crew(alice, carol, team_id, projects, rules)


def project_seconds(body: dict[str, Any]) -> dict[str, float]:
    """Seconds per project name over an answer's segments."""
    totals: dict[str, float] = {}
    for segment in body["segments"]:
        totals[segment["project"]] = totals.get(segment["project"], 0.0) + segment["seconds"]
    return totals


def test_every_second_named_once_in_segments_summary_and_team_summary(http: httpx.Client, crew: Crew) -> None:
    body = time_report(http, crew.alice, DAY, DAY)
    # The rules name the segments; they do not move a second between sources or labels.
    assert [(s["source"], s["label"], s["seconds"]) for s in body["segments"]] == [
        (source, label, float(seconds)) for _, _, source, label, seconds in DEFAULT_SEGMENTS
    ]
    assert project_seconds(body) == NAMED
    assert sum(NAMED.values()) == TRACKED == body["tracked_seconds"]
    window = [s for s in body["segments"] if s["label"] == "Code"]
    assert [(s["project"], s["project_id"]) for s in window] == [
        ("unassigned", None),  # a.py and b.py
        ("Apollo", crew.projects["Apollo"]),  # c.py
    ]

    mine = summary(http, crew.alice, DAY, DAY)
    assert by_key(mine) == NAMED
    assert mine["tracked_seconds"] == TRACKED
    ids = {group["key"]: group["project_id"] for group in mine["groups"]}
    assert ids == {**{name: crew.projects[name] for name in ("Office", "Apollo", "Research")}, "unassigned": None}

    # The team's owner sees the same numbers for the team (alice is the only one with time).
    team = summary(http, crew.carol, DAY, DAY, team_id=str(crew.team_id))
    assert by_key(team) == NAMED
    team_time = http.get(
        f"/api/v1/teams/{crew.team_id}/time", params={"start": str(DAY), "end": str(DAY)}, headers=crew.carol.headers
    ).json()
    alice = next(m for m in team_time["members"] if m["user_id"] == str(crew.alice.id))
    assert {group["key"]: group["tracked_seconds"] for group in alice["projects"]} == NAMED
    members = summary(http, crew.carol, DAY, DAY, group_by="member", team_id=str(crew.team_id))
    assert by_key(members) == {str(crew.alice.id): TRACKED}
    assert by_key(summary(http, crew.alice, DAY, DAY, group_by="day")) == {DAY.isoformat(): TRACKED}
    sources = by_key(summary(http, crew.alice, DAY, DAY, group_by="source"))
    assert sources == {"nfc": 22500.0, "activitywatch": 8100.0, "wakatime": 1200.0, "timer": 2400.0}


def test_a_member_cannot_read_the_team_summary(http: httpx.Client, crew: Crew) -> None:
    query = {"start": DAY.isoformat(), "end": DAY.isoformat(), "team_id": str(crew.team_id)}
    response = http.get("/api/v1/reports/summary", params=query, headers=crew.alice.headers)
    assert response.status_code == 403, response.text


def test_personal_rules_come_before_team_rules_and_order_decides(http: httpx.Client, crew: Crew) -> None:
    reading = project(http, crew.alice, "Reading")
    rule(http, crew.alice, reading, "activitywatch", "app", "Firefox")
    # Alice's own rule wins over the team's for her Firefox time.
    assert by_key(summary(http, crew.alice, DAY, DAY)) == {
        "Office": 19800.0,
        "Reading": 1800.0,
        "Apollo": 1800.0,
        "unassigned": 10800.0,
    }

    # Two team rules for the same window: the first in the team's order wins.
    everything_code = rule(
        http,
        crew.carol,
        crew.projects["Research"],
        "activitywatch",
        "app",
        "Code",
        crew.team_id,
    )
    # Placed last, the c.py window stays Apollo's; a.py and b.py (no earlier rule) go to Research.
    assert by_key(summary(http, crew.alice, DAY, DAY)) == {
        "Office": 19800.0,
        "Reading": 1800.0,
        "Apollo": 1800.0,
        "Research": 1200.0,
        "unassigned": 9600.0,
    }
    moved = http.patch(
        f"/api/v1/project-rules/{everything_code['id']}",
        json={"position": 0},
        headers=crew.carol.headers,
    )
    assert moved.status_code == 200, moved.text
    # First now: every Code window is Research's, c.py included.
    assert by_key(summary(http, crew.alice, DAY, DAY)) == {
        "Office": 19800.0,
        "Reading": 1800.0,
        "Apollo": 900.0,
        "Research": 2100.0,
        "unassigned": 9600.0,
    }


def test_a_rule_changed_afterwards_changes_past_reports(http: httpx.Client, crew: Crew) -> None:
    firefox = crew.rules["firefox"]
    response = http.patch(
        f"/api/v1/project-rules/{firefox['id']}",
        json={"project_id": crew.projects["Apollo"]},
        headers=crew.carol.headers,
    )
    assert response.status_code == 200, response.text
    assert by_key(summary(http, crew.alice, DAY, DAY)) == {"Office": 19800.0, "Apollo": 3600.0, "unassigned": 10800.0}
    deleted = http.delete(f"/api/v1/project-rules/{firefox['id']}", headers=crew.carol.headers)
    assert deleted.status_code == 204
    assert by_key(summary(http, crew.alice, DAY, DAY)) == {"Office": 19800.0, "Apollo": 1800.0, "unassigned": 12600.0}


def test_timer_sessions_name_their_project(http: httpx.Client, crew: Crew) -> None:
    sessions = http.get("/api/v1/timer/sessions/recent", headers=crew.alice.headers).json()
    assert [s["project_id"] for s in sessions] == [None]
    response = http.patch(
        f"/api/v1/timer/sessions/{sessions[0]['session_id']}",
        json={"project_id": crew.projects["Apollo"]},
        headers=crew.alice.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["project_id"] == crew.projects["Apollo"]
    assert by_key(summary(http, crew.alice, DAY, DAY)) == {
        "Office": 19800.0,
        "Apollo": 1800.0 + 2400.0,
        "Research": 1800.0,
        "unassigned": 10800.0 - 2400.0,
    }
    # Another team's project (or a stranger's) is not a choice.
    stranger_project = project(http, crew.carol, "Carol's own")
    refused = http.patch(
        f"/api/v1/timer/sessions/{sessions[0]['session_id']}",
        json={"project_id": stranger_project},
        headers=crew.alice.headers,
    )
    assert refused.status_code == 404, refused.text


def test_an_archived_project_keeps_its_past_but_takes_nothing_new(http: httpx.Client, crew: Crew) -> None:
    office = crew.projects["Office"]
    archived = http.patch(f"/api/v1/projects/{office}", json={"archived": True}, headers=crew.carol.headers)
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert by_key(summary(http, crew.alice, DAY, DAY)) == NAMED
    body = {"project_id": office, "source": "nfc", "field": "tag_label", "pattern": "Apollo"}
    body["team_id"] = str(crew.team_id)
    refused = http.post("/api/v1/project-rules", json=body, headers=crew.carol.headers)
    assert refused.status_code == 422 and "archived" in refused.json()["message"]
    session = http.get("/api/v1/timer/sessions/recent", headers=crew.alice.headers).json()[0]
    picked = http.patch(
        f"/api/v1/timer/sessions/{session['session_id']}", json={"project_id": office}, headers=crew.alice.headers
    )
    assert picked.status_code == 422 and "archived" in picked.json()["message"]


def test_activitywatch_categories_import_as_a_project_tree(http: httpx.Client, crew: Crew) -> None:
    export = {
        "classes": [
            {"id": 1, "name": ["Work"], "rule": {"type": "regex", "regex": "Google Docs|libreoffice"}},
            {
                "id": 2,
                "name": ["Work", "Programming"],
                "rule": {"type": "regex", "regex": "GitHub|vim|code", "ignore_case": True},
                "data": {"color": "#0F0"},
            },
            {"id": 3, "name": ["Media"], "rule": {"type": "none"}},
        ]
    }
    response = http.post("/api/v1/projects/import/activitywatch", json=export, headers=crew.alice.headers)
    assert response.status_code == 201, response.text
    assert response.json() == {"projects": 3, "rules": 4}
    mine = http.get("/api/v1/projects", headers=crew.alice.headers).json()
    own = {p["path"]: p["color"] for p in mine if p["team_id"] is None}
    assert own == {"Media": "#4c78a8", "Work": "#4c78a8", "Work > Programming": "#00ff00"}
    # Personal rules first: every Code window is Work > Programming now, c.py included.
    assert by_key(summary(http, crew.alice, DAY, DAY)) == {
        "Office": 19800.0,
        "Work > Programming": 2100.0,
        "Research": 1800.0,
        "Apollo": 900.0,
        "unassigned": 9600.0,
    }
    # Importing again adds rules but no second tree.
    again = http.post("/api/v1/projects/import/activitywatch", json=export, headers=crew.alice.headers)
    assert again.json() == {"projects": 0, "rules": 4}


def test_a_draft_rule_is_previewed_over_the_teams_time(http: httpx.Client, crew: Crew) -> None:
    draft = {
        "project_id": crew.projects["Apollo"],
        "source": "activitywatch",
        "field": "title",
        "match": "regex",
        "pattern": r"\.py$",
        "team_id": str(crew.team_id),
    }
    response = http.post("/api/v1/project-rules/preview", json=draft, headers=crew.carol.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # Each window's own time, clipped to not-AFK time (c.py 10:40-11:00).
    assert body["matches"] == [
        {"value": "c.py", "seconds": 1200.0},
        {"value": "a.py", "seconds": 600.0},
        {"value": "b.py", "seconds": 600.0},
    ]
    assert body["matched_seconds"] == 2400.0
    # A member cannot preview over the team's time; the draft's regex is checked like a rule's.
    assert http.post("/api/v1/project-rules/preview", json=draft, headers=crew.alice.headers).status_code == 403
    bad = http.post("/api/v1/project-rules/preview", json={**draft, "pattern": "a(?<=b)"}, headers=crew.carol.headers)
    assert bad.status_code == 422
    assert bad.json()["details"][0]["position"] == 1


@pytest.mark.parametrize(
    ("pattern", "position"),
    [("ab(c", 2), ("(?<=a)b", 0), (r"(x)\1", 3), ("[z-a]", 1)],
)
def test_a_regex_that_cannot_run_is_refused_saying_where(
    http: httpx.Client, alice: TestUser, pattern: str, position: int
) -> None:
    mine = project(http, alice, "Mine")
    body = {"project_id": mine, "source": "activitywatch", "field": "title", "match": "regex", "pattern": pattern}
    response = http.post("/api/v1/project-rules", json=body, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_pattern"
    assert response.json()["details"][0]["position"] == position


def test_an_entry_added_by_hand_names_its_project_and_can_drop_it(http: httpx.Client, crew: Crew) -> None:
    apollo = crew.projects["Apollo"]
    body = {"start": f"{DAY}T19:00:00Z", "end": f"{DAY}T20:00:00Z", "label": "Notes", "project_id": apollo}
    created = http.post("/api/v1/entries", json=body, headers=crew.alice.headers)
    assert created.status_code == 201, created.text
    assert created.json()["project_id"] == apollo
    assert by_key(summary(http, crew.alice, DAY, DAY))["Apollo"] == 1800.0 + 3600.0
    # Changing the label keeps the project; null drops it.
    entry = f"/api/v1/entries/{created.json()['id']}"
    kept = http.patch(entry, json={"label": "Notes, cleaned"}, headers=crew.alice.headers)
    assert kept.json()["project_id"] == apollo
    dropped = http.patch(entry, json={"project_id": None}, headers=crew.alice.headers)
    assert dropped.status_code == 200 and dropped.json()["project_id"] is None
    assert by_key(summary(http, crew.alice, DAY, DAY))["unassigned"] == 10800.0 + 3600.0


def test_a_browser_windows_url_and_domain_name_its_project(http: httpx.Client, alice: TestUser) -> None:
    """A browser's window watcher reports the tab's URL: 09:00-09:20 on GitHub, 09:20-09:30 on
    the intranet, in one not-AFK half hour."""

    def tab(start: str, end: str, url: str) -> dict[str, Any]:
        window = rec.window(at(start), at(end), "Firefox")
        return {**window, "data": {**window["data"], "url": url}}

    rec.ActivityWatch(http, alice).send(
        afk=[rec.not_afk(at("09:00"), at("09:30"))],
        windows=[
            tab("09:00", "09:20", "https://github.com/acme/billing/pull/7"),
            tab("09:20", "09:30", "https://intranet.acme.example/wiki"),
        ],
    )
    review = project(http, alice, "Code review")
    wiki = project(http, alice, "Wiki")
    rule(http, alice, review, "activitywatch", "domain", "github.com")
    rule(http, alice, wiki, "activitywatch", "url", r"^https://intranet\.", match="regex")
    assert by_key(summary(http, alice, DAY, DAY)) == {"Code review": 1200.0, "Wiki": 600.0}


def test_a_stored_rule_whose_pattern_cannot_run_is_left_out_not_fatal(
    http: httpx.Client, crew: Crew, runtime: Runtime
) -> None:
    """Written straight into the table (as Supabase's REST API would let its owner), past the
    API's check: the report leaves that rule out and every other one still applies."""
    with runtime.db.as_user(crew.alice.principal.db_claims) as conn:
        conn.execute(
            "insert into project_rules (project_id, owner_id, source, field, match, pattern)"
            " values (%s, auth.uid(), 'activitywatch', 'app', 'regex', '(?<=Fire)fox')",
            (crew.projects["Apollo"],),
        )
    assert by_key(summary(http, crew.alice, DAY, DAY)) == NAMED


def test_a_leader_sees_the_time_of_another_teams_project_but_not_its_name(
    http: httpx.Client, crew: Crew, runtime: Runtime, user_factory: Callable[..., TestUser]
) -> None:
    """Alice is in a second team, which names her Apollo tag: her lead in Crew sees that
    time counted where it belongs, under no name of the other team's."""
    erin = user_factory("erin")
    other = team_of(runtime.db, erin, "Other", (crew.alice, "member"))
    secret = project(http, erin, "Secret", other)
    rule(http, erin, secret, "nfc", "tag_label", "Apollo", other)
    mine = by_key(summary(http, crew.alice, DAY, DAY))
    assert mine == {**NAMED, "Secret": 2700.0, "unassigned": 10800.0 - 2700.0}
    team = summary(http, crew.carol, DAY, DAY, team_id=str(crew.team_id))
    assert by_key(team) == {**NAMED, "a project of another team": 2700.0, "unassigned": 10800.0 - 2700.0}
    assert "Secret" not in json.dumps(team)

"""Projects and rules made the way a person makes them: through the HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker.db import Database


def project(http: httpx.Client, person: TestUser, name: str, team_id: UUID | None = None, **fields: Any) -> str:
    """A new project's id (the person's own, or `team_id`'s)."""
    body = {"name": name, **fields, **({"team_id": str(team_id)} if team_id else {})}
    response = http.post("/api/v1/projects", json=body, headers=person.headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def rule(
    http: httpx.Client,
    person: TestUser,
    project_id: str,
    source: str,
    field: str,
    pattern: str,
    team_id: UUID | None = None,
    **fields: Any,
) -> dict[str, Any]:
    body = {"project_id": project_id, "source": source, "field": field, "pattern": pattern, **fields}
    if team_id:
        body["team_id"] = str(team_id)
    response = http.post("/api/v1/project-rules", json=body, headers=person.headers)
    assert response.status_code == 201, response.text
    return response.json()


def summary(
    http: httpx.Client, person: TestUser, first: date, last: date, group_by: str = "project", **params: Any
) -> dict[str, Any]:
    query = {"start": first.isoformat(), "end": last.isoformat(), "group_by": group_by, **params}
    response = http.get("/api/v1/reports/summary", params=query, headers=person.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # The one-number rule: the groups add up to the total, unassigned time included.
    assert sum(group["tracked_seconds"] for group in body["groups"]) == pytest.approx(body["tracked_seconds"], abs=1e-6)
    return body


def by_key(body: dict[str, Any]) -> dict[str, float]:
    """A summary's seconds per group key."""
    return {group["key"]: group["tracked_seconds"] for group in body["groups"]}


def team_with_office(
    http: httpx.Client, db: Database, lead: TestUser, member: TestUser, *, with_rule: bool = True
) -> tuple[UUID, str]:
    """(team id, project id): `lead` owns a team `member` joined, with a team project "Office"
    (green) and, `with_rule`, a team rule giving it the tag labelled Office."""
    team_id = team_of(db, lead, "Crew", (member, "member"))
    office = project(http, lead, "Office", team_id, color="#54a24b")
    if with_rule:
        rule(http, lead, office, "nfc", "tag_label", "Office", team_id)
    return team_id, office

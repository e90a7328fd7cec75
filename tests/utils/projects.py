"""Projects and rules made the way a person makes them: through the HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.utils.users import TestUser


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

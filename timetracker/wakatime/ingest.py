"""Heartbeat ingest for editor plugins: validate each item, store the good ones, answer per item.

Plugins drop an item answered 400 and queue anything else for a retry, so 400 means only
"this item can never be stored" (invalid, too old, in the future); a server-side fault
raises instead and becomes a 5xx for the whole request, which the plugin retries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from timetracker.db import Database
from timetracker.wakatime import heartbeats
from timetracker.wakatime.heartbeats import Heartbeat
from timetracker.wakatime.wire import HeartbeatIn, heartbeat_data, to_heartbeat

ItemResult = tuple[dict[str, Any], int]  # WakaTime's [body, status] pair


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ())) or "(item)"
    return f"{field}: {first.get('msg', 'invalid')}"


def ingest(
    db: Database,
    owner_id: UUID,
    items: list[Any],
    *,
    user_agent: str | None,
    machine: str | None,
    max_age: timedelta,
    now: datetime | None = None,
) -> list[ItemResult]:
    """One [body, status] per item, in order: 201 stored (or already stored), 400 refused."""
    now = now or datetime.now(UTC)
    results: list[ItemResult | None] = [None] * len(items)
    accepted: list[tuple[int, Heartbeat]] = []
    for index, item in enumerate(items):
        try:
            beat = to_heartbeat(HeartbeatIn.model_validate(item), user_agent, machine)
        except ValidationError as exc:
            results[index] = ({"error": _problem(exc)}, 400)
            continue
        problem = heartbeats.age_problem(beat, now, max_age)
        if problem:
            results[index] = ({"error": problem}, 400)
            continue
        accepted.append((index, beat))
    heartbeats.store(db, owner_id, [beat for _, beat in accepted])
    # A duplicate is answered 201 as well: it is stored, and the plugin must not retry it.
    for index, beat in accepted:
        results[index] = ({"data": heartbeat_data(beat)}, 201)
    return [result for result in results if result is not None]

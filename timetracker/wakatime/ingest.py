"""Heartbeat ingest for editor plugins: the shared ingest path, answered in WakaTime's shape.

Plugins drop an item answered 400 and queue anything else for a retry, so 400 means only
"this item can never be stored" (invalid, too old, in the future); a server-side fault
raises instead and becomes a 5xx for the whole request, which the plugin retries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from timetracker.db import Database
from timetracker.ingest.items import Batch, ItemResult, Refused, each_valid
from timetracker.wakatime import heartbeats
from timetracker.wakatime.heartbeats import Heartbeat
from timetracker.wakatime.wire import HeartbeatIn, Plugin, heartbeat_data, to_heartbeat

WireResult = tuple[dict[str, Any], int]  # WakaTime's [body, status] pair


def receive(
    db: Database, plugin: Plugin, items: list[Any], *, max_age: timedelta, now: datetime | None = None
) -> Batch[Heartbeat]:
    """Validate each heartbeat, refuse those too old or in the future, store the rest."""
    now = now or datetime.now(UTC)

    def parse(raw: Any) -> Heartbeat:
        beat = to_heartbeat(HeartbeatIn.model_validate(raw), plugin.user_agent, plugin.machine)
        if problem := heartbeats.age_problem(beat, now, max_age):
            raise Refused("time", problem)
        return beat

    batch: Batch[Heartbeat] = Batch()
    # Taken lazily: the first heartbeats are stored while the rest are validated.
    batch.record(heartbeats.store(db, plugin.owner_id, each_valid(items, parse, batch)))
    return batch


def wire_results(batch: Batch[Heartbeat]) -> list[WireResult]:
    """One [body, status] per item, in order: 201 {data} when stored (a duplicate too: it is
    stored, and the plugin must not retry it), 400 {error} when refused."""
    stored = {id(result): beat for result, beat in batch.accepted}
    return [_wire_result(result, stored.get(id(result))) for result in batch.results]


def _wire_result(result: ItemResult, beat: Heartbeat | None) -> WireResult:
    if beat is not None:
        return {"data": heartbeat_data(beat)}, 201
    first = result.errors[0]  # WakaTime's error is one line
    return {"error": f"{first['field']}: {first['message']}"}, 400

"""Device ingest: authenticate the reader, then store its events as the reader's owner.

The key check runs on the service path through `internal.device_credentials`; the insert
runs `as_user(owner)`, so the RLS `WITH CHECK` refuses events for a device that is not
the owner's or is revoked, whatever this code does. Inserts are one set-based statement
with `ON CONFLICT DO NOTHING` on the natural key: retries and replays are stored once.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import psycopg

from timetracker import credentials
from timetracker.db import Database
from timetracker.errors import Forbidden, Unauthorized
from timetracker.nfc.payload import DeviceEvent

ItemStatus = Literal["created", "duplicate"]


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    owner_id: UUID


def authenticate_device(db: Database, device_id: str, key: str) -> DeviceIdentity:
    """Check a reader's key in constant time. 401 for unknown/wrong, 403 for revoked."""
    with db.as_service() as conn:
        row = conn.execute("select * from internal.device_credentials(%s)", (device_id,)).fetchone()
    key_ok = credentials.matches(key, row["key_hash"] if row else credentials.UNKNOWN_DIGEST)
    if row is None or not key_ok:
        raise Unauthorized("unknown device or wrong device key")
    if row["revoked"]:
        raise Forbidden("this device has been revoked; register it again or use another device")
    return DeviceIdentity(device_id=device_id, owner_id=row["owner_id"])


# The arrays go as binary parameters (%b): psycopg quotes text-format arrays element by
# element with a regex, which cost more than the insert itself (bench/ingest_bench.py).
INSERT_EVENTS = """
insert into device_events (owner_id, device_id, event_type, tag_id, tag_present, occurred_at, payload)
select %s, %s, e.event_type, e.tag_id, e.tag_present, e.occurred_at, e.payload
from unnest(%b::text[], %b::text[], %b::boolean[], %b::timestamptz[], %b::jsonb[])
  as e(event_type, tag_id, tag_present, occurred_at, payload)
on conflict on constraint device_events_natural_key do nothing
returning event_type, tag_id, occurred_at
"""


def store_events(
    db: Database, device: DeviceIdentity, events: list[tuple[DeviceEvent, dict[str, Any]]]
) -> list[ItemStatus]:
    """Store (validated event, raw JSON) pairs in one transaction; say per item whether it
    was new or a duplicate, in input order."""
    if not events:
        return []
    columns = (
        [e.event_type for e, _ in events],
        [e.tag_id for e, _ in events],
        [e.tag_present for e, _ in events],
        [e.occurred_at for e, _ in events],
        [json.dumps(raw) for _, raw in events],
    )
    try:
        with db.as_person(device.owner_id) as conn:
            inserted = conn.execute(INSERT_EVENTS, (device.owner_id, device.device_id, *columns)).fetchall()
    except psycopg.errors.InsufficientPrivilege as exc:
        # RLS WITH CHECK: the device was revoked (or changed hands) since the key check.
        raise Forbidden("this device may not write events (revoked?)") from exc
    fresh = Counter((row["event_type"], row["tag_id"], row["occurred_at"]) for row in inserted)
    statuses: list[ItemStatus] = []
    for event, _ in events:
        if fresh[event.natural_key] > 0:
            fresh[event.natural_key] -= 1
            statuses.append("created")
        else:
            statuses.append("duplicate")
    return statuses

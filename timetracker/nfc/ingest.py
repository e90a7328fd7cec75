"""Device ingest: authenticate the reader, then store its events as the reader's owner.

The key check runs on the service path through `internal.device_credentials`; the insert
runs as the owner, so the RLS `WITH CHECK` refuses events for a device that is not the
owner's or is revoked, whatever this code does. A batch is validated item by item and
stored in one transaction on the events' natural key: retries and replays are stored once.
A reader whose key this process checked before is recalled from memory (`RememberedKeys`) for
its next single event, which is then stored on the event loop in one round trip, its write
confirming the key (`store_recalled`).

Every refusal is kept for the device's owner (timetracker.nfc.attempts): the reader cannot
show why it was refused, the Webhook test page can.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from timetracker import credentials
from timetracker.db import Database
from timetracker.db.loop_pool import LoopDatabase
from timetracker.errors import Forbidden, InvalidItem, TooManyItems, Unauthorized
from timetracker.ingest.items import Batch, Refused, StoredStatus, check_cap, each_valid, validate_each
from timetracker.ingest.table import Column, OwnedTable, json_text
from timetracker.nfc import attempts
from timetracker.nfc.identity import DeviceCredentials, DeviceIdentity
from timetracker.nfc.payload import DeviceEvent
from timetracker.nfc.remembered_keys import RememberedKeys

MISMATCH = "device_id in the body does not match the X-Device-Id header"
NO_KEY = "no Authorization: Bearer <device key> header was sent"
WRONG_KEY = "the device key is wrong (rotated since the firmware got it, or mistyped)"
REVOKED = "the device is revoked"

DEVICE_EVENTS = OwnedTable(
    name="device_events",
    batch_columns=("owner_id", "device_id"),
    columns=(
        Column("event_type", "text"),
        Column("tag_id", "text"),
        Column("tag_present", "boolean"),
        Column("occurred_at", "timestamptz"),
        Column("payload", "jsonb"),
    ),
    natural_key="device_events_natural_key",
    key_columns=("event_type", "tag_id", "occurred_at"),
)

Received = tuple[DeviceEvent, Any]  # the validated event and the JSON it came as (stored as sent)
Stored = tuple[DeviceEvent, StoredStatus]  # one event, and what storing it did


def authenticate_device(db: Database, device_id: str, key_digest: str) -> DeviceIdentity:
    """Check the digest of a reader's key in constant time. 401 for unknown/wrong, 403 for revoked."""
    row = db.one_as_service("select * from internal.device_credentials(%s)", (device_id,))
    key_ok = credentials.same_digest(key_digest, row["key_hash"] if row else credentials.UNKNOWN_DIGEST)
    if row is None or not key_ok:
        raise Unauthorized("unknown device or wrong device key")
    if row["revoked"]:
        raise Forbidden("this device has been revoked; register it again or use another device")
    return DeviceIdentity(device_id=device_id, owner_id=row["owner_id"], key_digest=key_digest)


def checked_device(
    db: Database, presented: DeviceCredentials, answer: int | None = None, memory: RememberedKeys | None = None
) -> DeviceIdentity:
    """The reader named if the key presented is its key, or Unauthorized/Forbidden, each refusal
    kept for the owner of the device named. `answer`: the status the request gets when it is
    not this check's (a body that is not JSON is refused before the key is looked at).
    `memory`: where a reader that passes is remembered, for `store_recalled`."""
    device_id, key = presented.device_id, presented.key
    if not device_id or not key:
        if device_id:
            attempts.record(db, device_id, attempts.Attempt(answer or 401, "bad_key", NO_KEY))
        raise Unauthorized("send X-Device-Id and Authorization: Bearer <device key>")
    try:
        device = authenticate_device(db, device_id, credentials.digest(key))
    except Unauthorized:
        # The owner sees "wrong key"; the sender still cannot tell it from "no such device".
        attempts.record(db, device_id, attempts.Attempt(answer or 401, "bad_key", WRONG_KEY))
        raise
    except Forbidden:
        attempts.record(db, device_id, attempts.Attempt(answer or 403, "revoked", REVOKED))
        raise
    if memory is not None:
        memory.remember(device)
    return device


def read(device: DeviceIdentity, items: list[Any]) -> Batch[Received]:
    """Validate each item; one naming another reader's device id is rejected."""
    return validate_each(items, _parser(device))


def _parser(device: DeviceIdentity) -> Callable[[Any], Received]:
    def parse(raw: Any) -> Received:
        event = DeviceEvent.model_validate(raw)
        if event.device_id != device.device_id:
            raise Refused("device_id", MISMATCH, status="rejected")
        return event, raw

    return parse


# One event: the switch to its owner, the insert (after confirming the key) and the commit in
# one round trip.
STORE_ONE = "select internal.store_device_event(%s, %s, %s, %s, %s, %s, %s) as created"


def store_events(db: Database, device: DeviceIdentity, events: Iterable[Received]) -> list[StoredStatus]:
    """Store validated events in one transaction; per item, in input order: created or duplicate.
    `events` may be lazy: the first are stored while the rest are validated."""
    rows = (_stored_fields(received) for received in events)
    with _refused_when_revoked(db, device):
        return DEVICE_EVENTS.store(db, device.owner_id, (device.device_id,), rows)


def store_event(db: Database, device: DeviceIdentity, received: Received) -> StoredStatus:
    """Store one validated event: created, or duplicate when it was stored before. Refused
    (Forbidden) if the device is revoked or the key is no longer its key."""
    with _refused_when_revoked(db, device):
        row = db.one_as_person(device.owner_id, STORE_ONE, _store_values(device, received))
    return _stored_status(row)


async def store_recalled(
    loop_db: LoopDatabase, memory: RememberedKeys, presented: DeviceCredentials, item: Any
) -> Stored | None:
    """A remembered reader's valid event, stored from the event loop in one round trip: its
    write confirms the key and the table's WITH CHECK the device. None when the event needs
    the checked path (`checked_device`, `receive_one`), which answers and keeps every refusal:
    a reader not remembered with this key, a payload refused (its reasons are told only after
    the key is looked up), or a write refused (the reader is forgotten first)."""
    if not presented.device_id or not presented.key or not isinstance(item, dict):
        return None
    device = memory.recall(presented.device_id, presented.key)
    if device is None:
        return None
    batch = read(device, [item])
    if batch.refused:
        return None
    [received] = batch.items
    try:
        row = await loop_db.one_as_person(device.owner_id, STORE_ONE, _store_values(device, received))
    except psycopg.errors.InsufficientPrivilege:
        memory.forget(device.device_id)
        return None
    return received[0], _stored_status(row)


def _store_values(device: DeviceIdentity, received: Received) -> tuple[Any, ...]:
    *fields, payload = _stored_fields(received)
    return (device.device_id, device.key_digest, *fields, json_text(payload))


def _stored_fields(received: Received) -> tuple[Any, ...]:
    """An event's own columns, in `DEVICE_EVENTS.columns` order; the payload as it was sent."""
    event, raw = received
    return (event.event_type, event.tag_id, event.tag_present, event.occurred_at, raw)


def _stored_status(row: dict[str, Any] | None) -> StoredStatus:
    assert row is not None  # the function always answers
    return "created" if row["created"] else "duplicate"


@contextmanager
def _refused_when_revoked(db: Database, device: DeviceIdentity) -> Iterator[None]:
    try:
        yield
    except psycopg.errors.InsufficientPrivilege as exc:
        # RLS WITH CHECK: the device was revoked (or changed hands) since the key check; or, for
        # one event, its key was rotated since.
        attempts.record(db, device.device_id, attempts.Attempt(403, "revoked", REVOKED))
        raise Forbidden("this device may not write events (revoked?)") from exc


def receive_one(db: Database, device: DeviceIdentity, item: Any) -> Stored:
    """Store one event: InvalidItem (422) or Forbidden (another reader's id) if it is refused."""
    batch = read(device, [item])
    [result] = batch.results
    if result.status == "rejected":
        attempts.record(db, device.device_id, attempts.Attempt(403, "device_id_mismatch", MISMATCH))
        raise Forbidden(MISMATCH)
    if result.status == "invalid":
        details = attempts.details_of(result.errors)
        message = f"invalid fields: {attempts.fields_named(details)}"
        attempts.record(db, device.device_id, attempts.Attempt(422, "invalid_payload", message, details))
        raise InvalidItem("The request body is invalid", result.errors)
    [received] = batch.items
    return received[0], store_event(db, device, received)


def receive_batch(db: Database, device: DeviceIdentity, items: list[Any], max_items: int) -> Batch[Received]:
    """Store a replayed batch: every good item, each bad one answered in its slot (TooManyItems
    over `max_items`, with nothing stored)."""
    try:
        check_cap(len(items), max_items, "events")
    except TooManyItems as exc:
        attempt = attempts.Attempt(413, "too_many_items", exc.message, items=len(items), refused=0)
        attempts.record(db, device.device_id, attempt)
        raise
    batch: Batch[Received] = Batch()
    batch.record(store_events(db, device, each_valid(items, _parser(device), batch)))
    if batch.refused:
        attempts.record(db, device.device_id, _refused_items(batch))
    return batch


def _refused_items(batch: Batch[Received]) -> attempts.Attempt:
    """One kept attempt for a batch whose items were partly refused (the answer is still 200:
    the good ones were stored), naming the fields of the first few refused items."""
    refused = batch.refused
    details = [d for r in refused for d in attempts.details_of(r.errors, r.index)]
    fields = attempts.fields_named(details)
    reason: attempts.Reason = "invalid_payload" if batch.counts()["invalid"] else "device_id_mismatch"
    message = f"{len(refused)} of {len(batch.results)} events refused: {fields}"
    return attempts.Attempt(200, reason, message, details[: attempts.MAX_DETAILS], len(batch.results), len(refused))

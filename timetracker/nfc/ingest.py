"""Device ingest: authenticate the reader, then store its events as the reader's owner.

The key check runs on the service path through `internal.device_credentials`; the insert
runs as the owner, so the RLS `WITH CHECK` refuses events for a device that is not the
owner's or is revoked, whatever this code does. A batch is validated item by item and
stored in one statement on the events' natural key: retries and replays are stored once.
A single event's reader may be recalled from this process's memory instead of looked up
(`RememberedKeys`); its write then confirms the key in the same statement.

Every refusal is kept for the device's owner (timetracker.nfc.attempts): the reader cannot
show why it was refused, the Webhook test page can.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from timetracker import credentials
from timetracker.db import Database
from timetracker.errors import Forbidden, InvalidItem, TooManyItems, Unauthorized
from timetracker.ingest.items import Batch, Refused, StoredStatus, check_cap, validate_each
from timetracker.ingest.table import Column, OwnedTable
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
    With `memory`, a reader checked before with the same key is recalled, not looked up (its
    write must then confirm the key: `receive_one`); one looked up is remembered."""
    device_id, key = presented.device_id, presented.key
    if not device_id or not key:
        if device_id:
            attempts.record(db, device_id, attempts.Attempt(answer or 401, "bad_key", NO_KEY))
        raise Unauthorized("send X-Device-Id and Authorization: Bearer <device key>")
    if memory is not None and (recalled := memory.recall(device_id, key)) is not None:
        return recalled
    device = _looked_up(db, device_id, credentials.digest(key), answer)
    if memory is not None:
        memory.remember(device)
    return device


def _looked_up(db: Database, device_id: str, key_digest: str, answer: int | None = None) -> DeviceIdentity:
    try:
        return authenticate_device(db, device_id, key_digest)
    except Unauthorized:
        # The owner sees "wrong key"; the sender still cannot tell it from "no such device".
        attempts.record(db, device_id, attempts.Attempt(answer or 401, "bad_key", WRONG_KEY))
        raise
    except Forbidden:
        attempts.record(db, device_id, attempts.Attempt(answer or 403, "revoked", REVOKED))
        raise


def confirmed(db: Database, device: DeviceIdentity, memory: RememberedKeys | None = None) -> DeviceIdentity:
    """The reader with the database's word for it: one recalled from `memory` is forgotten and
    looked up again (remembered anew if its key is still good). So a refusal's reasons are told
    only to a reader whose key is still good."""
    if not device.remembered:
        return device
    assert device.key_digest is not None  # a recalled reader always has its key's digest
    if memory is not None:
        memory.forget(device.device_id)
    device = _looked_up(db, device.device_id, device.key_digest)
    if memory is not None:
        memory.remember(device)
    return device


def read(device: DeviceIdentity, items: list[Any]) -> Batch[Received]:
    """Validate each item; one naming another reader's device id is rejected."""

    def parse(raw: Any) -> Received:
        event = DeviceEvent.model_validate(raw)
        if event.device_id != device.device_id:
            raise Refused("device_id", MISMATCH, status="rejected")
        return event, raw

    return validate_each(items, parse)


# One event: the switch to its owner, the insert (after confirming the key) and the commit in
# one round trip.
STORE_ONE = "select internal.store_device_event(%s, %s, %s, %s, %s, %s, %s) as created"


def store_events(db: Database, device: DeviceIdentity, events: list[Received]) -> list[StoredStatus]:
    """Store validated events in one transaction; per item, in input order: created or duplicate."""
    rows = [(e.event_type, e.tag_id, e.tag_present, e.occurred_at, json.dumps(raw)) for e, raw in events]
    with _refused_when_revoked(db, device):
        return DEVICE_EVENTS.store(db, device.owner_id, (device.device_id,), rows)


def store_event(
    db: Database, device: DeviceIdentity, received: Received, memory: RememberedKeys | None = None
) -> StoredStatus:
    """Store one validated event: created, or duplicate when it was stored before. The write
    is refused if the key is no longer the device's or the device is revoked: a reader recalled
    from `memory` is then forgotten and looked up, which answers as if it had never been
    remembered (401, 403, or its event stored)."""
    event, raw = received
    values = (device.key_digest, event.event_type, event.tag_id, event.tag_present, event.occurred_at, json.dumps(raw))
    if device.remembered:
        try:
            return _stored_one(db, device, values)
        except psycopg.errors.InsufficientPrivilege:
            device = confirmed(db, device, memory)
    with _refused_when_revoked(db, device):
        return _stored_one(db, device, values)


def _stored_one(db: Database, device: DeviceIdentity, values: tuple[Any, ...]) -> StoredStatus:
    row = db.one_as_person(device.owner_id, STORE_ONE, (device.device_id, *values))
    assert row is not None  # the function always answers
    return "created" if row["created"] else "duplicate"


@contextmanager
def _refused_when_revoked(db: Database, device: DeviceIdentity) -> Iterator[None]:
    try:
        yield
    except psycopg.errors.InsufficientPrivilege as exc:
        # RLS WITH CHECK: the device was revoked (or changed hands) since the key check.
        attempts.record(db, device.device_id, attempts.Attempt(403, "revoked", REVOKED))
        raise Forbidden("this device may not write events (revoked?)") from exc


def receive_one(
    db: Database, device: DeviceIdentity, item: Any, memory: RememberedKeys | None = None
) -> tuple[DeviceEvent, StoredStatus]:
    """Store one event: InvalidItem (422) or Forbidden (another reader's id) if it is refused.
    `memory`: where `device` was recalled from, if it was (see `store_event`)."""
    batch = read(device, [item])
    [result] = batch.results
    if batch.refused:
        device = confirmed(db, device, memory)
    if result.status == "rejected":
        attempts.record(db, device.device_id, attempts.Attempt(403, "device_id_mismatch", MISMATCH))
        raise Forbidden(MISMATCH)
    if result.status == "invalid":
        details = attempts.details_of(result.errors)
        message = f"invalid fields: {attempts.fields_named(details)}"
        attempts.record(db, device.device_id, attempts.Attempt(422, "invalid_payload", message, details))
        raise InvalidItem("The request body is invalid", result.errors)
    [received] = batch.items
    return received[0], store_event(db, device, received, memory)


def receive_batch(db: Database, device: DeviceIdentity, items: list[Any], max_items: int) -> Batch[Received]:
    """Store a replayed batch: every good item, each bad one answered in its slot (TooManyItems
    over `max_items`, with nothing stored)."""
    try:
        check_cap(len(items), max_items, "events")
    except TooManyItems as exc:
        attempt = attempts.Attempt(413, "too_many_items", exc.message, items=len(items), refused=0)
        attempts.record(db, device.device_id, attempt)
        raise
    batch = read(device, items)
    batch.record(store_events(db, device, batch.items))
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

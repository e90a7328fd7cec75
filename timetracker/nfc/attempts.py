"""Refused reader requests, kept for the reader's owner (sql/0014_device_attempts.sql).

A reader answered 401, 403 or 422 cannot show its owner why, and the server kept nothing, so
firmware was debugged blind. Each refusal naming a registered device is stored on the service
path (the sender is not authenticated as the owner: its key may be what is wrong); the owner,
and their team admins, read it back through RLS. What is stored is written here, never
copied from the request: a fixed reason, our message, and for an invalid payload the fields
named with our validation messages. No key, header or value of the body is kept. A request
naming a device id nobody registered stores nothing; it is counted, for the operator.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

import psycopg
import structlog
from psycopg.types.json import Jsonb

from timetracker.auth.principal import Principal
from timetracker.db import Database, DatabaseUnavailable
from timetracker.errors import NotFound
from timetracker.ingest.items import WHOLE_ITEM
from timetracker.logging_setup import SECRET_VALUE_PATTERN
from timetracker.nfc.payload import DEVICE_ID_PATTERN, DeviceEvent

Reason = Literal["bad_key", "revoked", "device_id_mismatch", "invalid_payload", "too_many_items"]

# The bounds the database enforces in internal.record_device_attempt (per device).
KEPT_PER_DEVICE = 50
KEPT_FOR = timedelta(days=7)
MAX_DETAILS = 10
MAX_MESSAGE = 300
MAX_DETAIL_MESSAGE = 200  # 10 of them, quotes escaped, stay within the column's 5000 characters

OTHER_FIELD = "(other field)"
BODY = "(body)"
_DEVICE_ID = re.compile(DEVICE_ID_PATTERN)
_KNOWN_FIELDS = frozenset(DeviceEvent.model_fields)

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Attempt:
    status: int
    reason: Reason
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)
    items: int | None = None  # a batch: how many items it held
    refused: int | None = None  # ...and how many of them were refused


class _Counter:
    """Requests naming a device id that is not registered: counted, never stored (anyone can
    send them), and logged at 1, 2, 4, 8, ... so a flood costs log lines only logarithmically."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0

    def add(self) -> None:
        with self._lock:
            self.total += 1
            total = self.total
        if total & (total - 1) == 0:
            log.warning("device requests for unregistered device ids", total=total)


UNREGISTERED = _Counter()


def _text(message: str, limit: int = MAX_MESSAGE) -> str:
    """Our message, with anything shaped like a credential blanked (a field name from the
    body can appear in a validation message), cut to what the table holds."""
    cleaned = SECRET_VALUE_PATTERN.sub("[redacted]", message)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _field(name: str) -> str:
    """A declared field of the payload by name; anything else (a field the firmware invented,
    a position in the JSON text) only as what it is."""
    if name in (BODY, WHOLE_ITEM, ""):
        return BODY
    head = name.split(".", 1)[0]
    return name if head in _KNOWN_FIELDS else OTHER_FIELD


def details_of(errors: Iterable[dict[str, Any]], index: int | None = None) -> list[dict[str, Any]]:
    """[{"field", "message"}] as the API answers them -> what may be stored."""
    kept = []
    for error in errors:
        detail: dict[str, Any] = {
            "field": _field(str(error.get("field", ""))),
            "message": _text(str(error["message"]), MAX_DETAIL_MESSAGE),
        }
        if index is not None:
            detail = {"index": index, **detail}
        kept.append(detail)
    return kept


def fields_named(details: list[dict[str, Any]]) -> str:
    """Each field once, in the order first refused: "timestamp, tag_id"."""
    return ", ".join(dict.fromkeys(str(detail["field"]) for detail in details))


def record(db: Database, device_id: str, attempt: Attempt) -> bool:
    """Keep `attempt` for the device's owner; False when no such device is registered.

    Best effort: the reader's answer must not change because this could not be written."""
    if not _DEVICE_ID.fullmatch(device_id):  # no such device can exist: spare the lookup
        UNREGISTERED.add()
        return False
    try:
        with db.as_service() as conn:
            row = conn.execute(
                "select internal.record_device_attempt(%s, %s, %s, %s, %s, %s, %s) as stored",
                (
                    device_id,
                    attempt.status,
                    attempt.reason,
                    _text(attempt.message),
                    Jsonb(attempt.details[:MAX_DETAILS]),
                    attempt.items,
                    attempt.refused,
                ),
            ).fetchone()
    except (DatabaseUnavailable, psycopg.Error) as exc:
        log.warning("could not keep a refused device request", reason=attempt.reason, error=type(exc).__name__)
        return False
    if not row["stored"]:
        UNREGISTERED.add()
    return bool(row["stored"])


ATTEMPT_COLUMNS = "device_id, attempted_at, status, reason, message, details, items, refused"


def mine(db: Database, principal: Principal, limit: int = 20) -> list[dict[str, Any]]:
    """The newest refused requests of the caller's own readers, newest first."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            f"select {ATTEMPT_COLUMNS} from device_attempts"
            " where owner_id = auth.uid() and attempted_at > now() - %s order by id desc limit %s",
            (KEPT_FOR, limit),
        ).fetchall()


def of_device(db: Database, principal: Principal, device_id: str) -> list[dict[str, Any]]:
    """One reader's refused requests, newest first, for whoever may see the reader (its owner
    and the admins of the owner's teams, as RLS says); NotFound for anyone else."""
    if not _DEVICE_ID.fullmatch(device_id):
        raise NotFound("no such device")
    with db.as_user(principal.db_claims) as conn:
        if conn.execute("select 1 from devices where device_id = %s", (device_id,)).fetchone() is None:
            raise NotFound(f"no device {device_id!r}")
        return conn.execute(
            f"select {ATTEMPT_COLUMNS} from device_attempts"
            " where device_id = %s and attempted_at > now() - %s order by id desc limit %s",
            (device_id, KEPT_FOR, KEPT_PER_DEVICE),
        ).fetchall()

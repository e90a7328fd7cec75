"""Registering, rotating and revoking NFC readers, and labelling their tags.

Every function acts as the calling person (`as_user`): RLS decides what they may touch.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg

from timetracker import credentials
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Conflict, InvalidInput, NotFound
from timetracker.nfc.payload import DEVICE_ID_PATTERN, normalise_tag_id

DEVICE_COLUMNS = "id, owner_id, device_id, name, key_hint, created_at, rotated_at, revoked_at"
_DEVICE_ID = re.compile(DEVICE_ID_PATTERN)


def _require_device_id(device_id: str) -> None:
    # Nothing else can be stored (the table's CHECK), and a NUL would fail in psycopg (a 500)
    # rather than match nothing. fullmatch: "$" alone would also accept a trailing newline.
    if not _DEVICE_ID.fullmatch(device_id):
        raise InvalidInput(f"{device_id!r} is not a device id: letters, digits and _.:- (up to 64)")


def register(db: Database, principal: Principal, device_id: str, name: str) -> tuple[dict[str, Any], str]:
    """Register a reader; return its row and its key (shown once, stored as a digest)."""
    issued = credentials.issue(credentials.DEVICE_KEY_PREFIX)
    try:
        with db.as_user(principal.db_claims) as conn:
            row = conn.execute(
                f"insert into devices (device_id, name, key_hash, key_hint) values (%s, %s, %s, %s)"
                f" returning {DEVICE_COLUMNS}",
                (device_id, name.strip(), issued.digest, issued.hint),
            ).fetchone()
    except psycopg.errors.UniqueViolation as exc:
        raise Conflict(f"device id {device_id!r} is already registered") from exc
    return row, issued.plaintext


def rotate_key(db: Database, principal: Principal, device_id: str) -> tuple[dict[str, Any], str]:
    """Give a live reader a new key; the old one stops working at once."""
    _require_device_id(device_id)
    issued = credentials.issue(credentials.DEVICE_KEY_PREFIX)
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            f"update devices set key_hash = %s, key_hint = %s, rotated_at = now()"
            f" where device_id = %s and owner_id = %s and revoked_at is null returning {DEVICE_COLUMNS}",
            (issued.digest, issued.hint, device_id, principal.user_id),
        ).fetchone()
    if row is None:
        raise NotFound(f"no live device {device_id!r} of yours")
    return row, issued.plaintext


def revoke(db: Database, principal: Principal, device_id: str) -> dict[str, Any]:
    """Revoke a reader: its events stay, new ones are refused (403)."""
    _require_device_id(device_id)
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            f"update devices set revoked_at = coalesce(revoked_at, now())"
            f" where device_id = %s and owner_id = %s returning {DEVICE_COLUMNS}",
            (device_id, principal.user_id),
        ).fetchone()
    if row is None:
        raise NotFound(f"no device {device_id!r} of yours")
    return row


def list_mine(db: Database, principal: Principal) -> list[dict[str, Any]]:
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select * from device_status where owner_id = %s order by revoked_at nulls first, created_at",
            (principal.user_id,),
        ).fetchall()


def recent_events(db: Database, principal: Principal, limit: int = 20) -> list[dict[str, Any]]:
    """The newest events from the caller's own readers, newest first, each with its pairing status.

    `status` is the nfc_intervals word for the interval the event starts (closed, open,
    missing_removal) or, for a removal, 'closed' when it ends one and 'orphan_removal' when not.
    """
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select e.device_id, e.event_type, e.tag_id, e.occurred_at, e.received_at,"
            " coalesce(i.status, 'closed') as status"
            " from device_events e left join nfc_intervals i on i.owner_id = e.owner_id"
            " and i.device_id = e.device_id and i.tag_id = e.tag_id and i.started_at = e.occurred_at"
            " and (i.status = 'orphan_removal') = (e.event_type = 'tag_removed')"
            " where e.owner_id = %s order by e.received_at desc, e.id desc limit %s",
            (principal.user_id, limit),
        ).fetchall()


def put_tags(db: Database, principal: Principal, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Set labels for tag ids (creating or replacing); return all of the caller's tags."""
    normalised = {normalise_tag_id(tag_id): label.strip() for tag_id, label in labels.items()}
    with db.as_user(principal.db_claims) as conn:
        for tag_id, label in normalised.items():
            conn.execute(
                "insert into tags (tag_id, label) values (%s, %s)"
                " on conflict (owner_id, tag_id) do update set label = excluded.label, updated_at = now()",
                (tag_id, label),
            )
        return _tags(conn, principal)


def delete_tag(db: Database, principal: Principal, tag_id: str) -> bool:
    with db.as_user(principal.db_claims) as conn:
        cur = conn.execute(
            "delete from tags where tag_id = %s and owner_id = %s", (normalise_tag_id(tag_id), principal.user_id)
        )
        return cur.rowcount == 1


def list_tags(db: Database, principal: Principal) -> list[dict[str, Any]]:
    with db.as_user(principal.db_claims) as conn:
        return _tags(conn, principal)


def _tags(conn: Any, principal: Principal) -> list[dict[str, Any]]:
    return conn.execute(
        "select tag_id, label, updated_at from tags where owner_id = %s order by label, tag_id", (principal.user_id,)
    ).fetchall()

"""The heartbeat key editor plugins send, and the person's keystroke timeout.

WakaTime plugins refuse any api_key that is not a UUID v4, so this key is a bare UUID v4
string rather than a prefixed `ttp_` token. `uuid.uuid4()` draws its 122 random bits from
`os.urandom`, so it is as unguessable as our other secrets. Only its SHA-256 digest is
stored (`timetracker.credentials`), compared in constant time; the key is shown once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from timetracker import credentials
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import InvalidInput, Unauthorized
from timetracker.wakatime.wire import looks_like_key

DEFAULT_TIMEOUT_MINUTES = 15
SETTINGS_COLUMNS = "key_hint, key_created_at, timeout_minutes, updated_at"


def _write(db: Database, principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    """Set columns of the caller's settings row, creating it on first use. Column names are ours."""
    with db.as_user(principal.db_claims) as conn:
        assignments = ", ".join(f"{column} = %s" for column in values)
        row = conn.execute(
            f"update heartbeat_settings set {assignments}, updated_at = now() where owner_id = %s"
            f" returning {SETTINGS_COLUMNS}",
            (*values.values(), principal.user_id),
        ).fetchone()
        if row is None:
            placeholders = ", ".join(["%s"] * len(values))
            row = conn.execute(
                f"insert into heartbeat_settings ({', '.join(values)}) values ({placeholders})"
                f" returning {SETTINGS_COLUMNS}",
                tuple(values.values()),
            ).fetchone()
    return row


def issue_key(db: Database, principal: Principal) -> tuple[str, dict[str, Any]]:
    """A new key for the caller's plugins (the old one stops working); return it and the settings row."""
    key = str(uuid.uuid4())
    row = _write(
        db,
        principal,
        {"key_hash": credentials.digest(key), "key_hint": "…" + key[-4:], "key_created_at": datetime.now(UTC)},
    )
    return key, row


def settings_of(db: Database, principal: Principal) -> dict[str, Any]:
    """The caller's key hint (never the key) and timeout; defaults when nothing is set yet."""
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            f"select {SETTINGS_COLUMNS} from heartbeat_settings where owner_id = %s", (principal.user_id,)
        ).fetchone()
    return row or {"key_hint": None, "key_created_at": None, "timeout_minutes": DEFAULT_TIMEOUT_MINUTES}


def set_timeout(db: Database, principal: Principal, minutes: int) -> dict[str, Any]:
    if not 1 <= minutes <= 240:
        raise InvalidInput("the heartbeat timeout must be between 1 and 240 minutes")
    return _write(db, principal, {"timeout_minutes": minutes})


def owner_of_key(db: Database, key: str) -> UUID:
    """The person a plugin key belongs to. 401 for a malformed, unknown or replaced key."""
    if not looks_like_key(key):
        raise Unauthorized("the api key must be the WakaTime key from the Integrations page (a UUID)")
    row = db.one_as_service("select * from internal.heartbeat_key_owner(%s)", (credentials.digest(key),))
    if not credentials.matches(key, row["key_hash"] if row else credentials.UNKNOWN_DIGEST) or row is None:
        raise Unauthorized("unknown or replaced api key")
    return row["owner_id"]

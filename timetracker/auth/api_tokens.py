"""Personal API tokens: how scripts, widgets and sync clients act as a person.

Made by the same machinery as device keys (`credentials.issue`): random, shown once,
stored as a digest, named, revocable, with a last-used time.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from timetracker import credentials
from timetracker.auth.principal import Principal
from timetracker.db import Database

TOKEN_COLUMNS = "id, name, token_hint, created_at, last_used_at, revoked_at"  # noqa: S105 (column names)


def create(db: Database, principal: Principal, name: str) -> tuple[dict[str, Any], str]:
    """Create a token; return its row and the plaintext (to show once)."""
    issued = credentials.issue(credentials.API_TOKEN_PREFIX)
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            f"insert into api_tokens (name, token_hash, token_hint) values (%s, %s, %s) returning {TOKEN_COLUMNS}",
            (name.strip(), issued.digest, issued.hint),
        ).fetchone()
    return row, issued.plaintext


def list_mine(db: Database, principal: Principal) -> list[dict[str, Any]]:
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            f"select {TOKEN_COLUMNS} from api_tokens order by revoked_at nulls first, created_at desc"
        ).fetchall()


def revoke(db: Database, principal: Principal, token_id: UUID) -> bool:
    with db.as_user(principal.db_claims) as conn:
        cur = conn.execute("update api_tokens set revoked_at = now() where id = %s and revoked_at is null", (token_id,))
        return cur.rowcount == 1


def owner_of(db: Database, plaintext: str) -> UUID | None:
    """The person a live token belongs to, or None. A digest lookup on the service path; the
    token's last use it records is bookkeeping."""
    digest = credentials.digest(plaintext)
    row = db.one_as_service("select internal.api_token_owner(%s) as owner", (digest,), bookkeeping=True)
    return row["owner"] if row else None

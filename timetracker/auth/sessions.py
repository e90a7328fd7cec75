"""Whether the session an access token belongs to still exists, and when it began.

An access token is a signed statement valid until it expires (an hour); on its own it
outlives the session it was issued in. So every request authenticated by one looks up its
`session_id` claim in auth.sessions: logout, a reused (stolen) refresh token, a password
change and a deleted account delete that row, and the token stops working at once.

It is one primary-key lookup through `internal.session_started_at` per request, with no
cache: a cache would have to be invalidated in every process (the API's workers and the
dashboard's) on every logout, and a stale one is exactly the window this closes.

With Supabase Auth (SUPABASE_URL set) the same lookup works when the database is the
project's own, where GoTrue keeps auth.sessions. If that table cannot be read, the check
falls back to the token's claims alone (a logout then takes effect when the token expires)
and says so in the log once at start-up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import psycopg
import structlog

from timetracker.auth.errors import AuthUnauthorized
from timetracker.db import Database

log = structlog.get_logger(__name__)

SESSION_ENDED_MESSAGE = (
    "This login has ended (logged out, signed out everywhere, password changed, or account removed). Log in again."
)


def session_ended() -> AuthUnauthorized:
    return AuthUnauthorized("session_not_found", SESSION_ENDED_MESSAGE)


def authenticated_at_claim(claims: dict[str, Any]) -> datetime | None:
    """When the person proved who they are, from the `amr` claim (GoTrue: the sign-in time,
    kept across refreshes), if the token carries one."""
    stamps = [
        entry["timestamp"]
        for entry in claims.get("amr") or []
        if isinstance(entry, dict) and isinstance(entry.get("timestamp"), int | float)
    ]
    return datetime.fromtimestamp(max(stamps), UTC) if stamps else None


class SessionCheck:
    def __init__(self, db: Database, *, enabled: bool = True) -> None:
        self.db = db
        self.enabled = enabled

    @classmethod
    def for_supabase(cls, db: Database) -> SessionCheck:
        """On when auth.sessions can be read (the project's own database), off otherwise."""
        check = cls(db)
        try:
            check.lookup(uuid4(), uuid4())
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
            log.warning(
                "auth.session_check_unavailable",
                detail="auth.sessions cannot be read: a logout ends access tokens only when they expire",
            )
            return cls(db, enabled=False)
        return check

    def lookup(self, session_id: UUID, user_id: UUID) -> tuple[bool, datetime | None]:
        """(whether the session is alive, when it began)."""
        row = self.db.one_as_service(
            "select started_at from internal.session_started_at(%s, %s)", (session_id, user_id)
        )
        return (row is not None, row["started_at"] if row else None)

    def started_at(self, claims: dict[str, Any]) -> datetime | None:
        """When the token's session began (None: not known); raises Unauthorized when it has ended."""
        if not self.enabled:
            return authenticated_at_claim(claims)
        try:
            session_id = UUID(str(claims["session_id"]))
        except (KeyError, ValueError):
            # Every token GoTrue or this server issues to a person names its session; one that
            # does not cannot be ended by a logout, so it is not accepted.
            raise session_ended() from None
        alive, started = self.lookup(session_id, UUID(claims["sub"]))
        if not alive:
            raise session_ended()
        return started or authenticated_at_claim(claims)

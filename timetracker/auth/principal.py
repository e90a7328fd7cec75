"""The authenticated person behind a request, and the claims `as_user` hands to Postgres."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import UUID


@dataclass(frozen=True)
class Principal:
    user_id: UUID
    email: str | None = None
    via: Literal["jwt", "api_token"] = "jwt"
    claims: dict[str, Any] = field(default_factory=dict)
    # For an access token: when its session (its login) began, if known. None for API tokens.
    authenticated_at: datetime | None = None

    @property
    def db_claims(self) -> dict[str, Any]:
        """Claims in PostgREST's shape: enough for auth.uid(), auth.role(), auth.email()."""
        base = {"sub": str(self.user_id), "role": "authenticated", "aud": "authenticated"}
        if self.email:
            base["email"] = self.email
        return {**self.claims, **base}

    def logged_in_within(self, max_age: timedelta, now: datetime | None = None) -> bool:
        """Whether this is an access token from a login at most `max_age` old."""
        if self.via != "jwt" or self.authenticated_at is None:
            return False
        return (now or datetime.now(UTC)) - self.authenticated_at <= max_age

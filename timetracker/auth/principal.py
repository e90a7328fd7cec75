"""The authenticated person behind a request, and the claims `as_user` hands to Postgres."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID


@dataclass(frozen=True)
class Principal:
    user_id: UUID
    email: str | None = None
    via: Literal["jwt", "api_token"] = "jwt"
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def db_claims(self) -> dict[str, Any]:
        """Claims in PostgREST's shape: enough for auth.uid(), auth.role(), auth.email()."""
        base = {"sub": str(self.user_id), "role": "authenticated", "aud": "authenticated"}
        if self.email:
            base["email"] = self.email
        return {**self.claims, **base}

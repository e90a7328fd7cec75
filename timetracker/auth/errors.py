"""Auth failures, carrying GoTrue's error codes so the supabase client understands them."""

from __future__ import annotations

from typing import Any


class AuthError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        retry_after: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        # More top-level fields for GoTrue's body, e.g. {"weak_password": {"reasons": [...]}}.
        self.extra = extra or {}


def invalid_token(message: str = "Invalid or expired token") -> AuthError:
    return AuthError(401, "bad_jwt", message)

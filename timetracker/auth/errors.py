"""Auth failures: a DomainError kind each, carrying GoTrue's error code so the supabase client understands them.

The kind (AuthUnauthorized is an Unauthorized, AuthRateLimited a RateLimited, ...) says what
went wrong, and the HTTP layer alone turns it into a status; the AuthError part adds GoTrue's
machine code (bad_jwt, weak_password, ...) and any further fields of GoTrue's body. So
`except Unauthorized` catches a bad token as well, and `except AuthError` any auth failure.
"""

from __future__ import annotations

from typing import Any

from timetracker.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    ServiceFailed,
    Unauthorized,
    Unavailable,
)


class AuthError(DomainError):
    """Raised only as one of the kinds below, which give it its meaning (and its status)."""

    def __init__(
        self, code: str, message: str, *, retry_after: int | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        # DomainError's own: the kinds add no state of their own, and RateLimited's constructor
        # takes its retry_after positionally.
        DomainError.__init__(self, message, code, retry_after=retry_after)
        # More top-level fields for GoTrue's body, e.g. {"weak_password": {"reasons": [...]}}.
        self.extra = extra or {}


class AuthBadRequest(AuthError, BadRequest):
    """GoTrue's catch-all refusal: wrong credentials, an unknown or reused refresh token, a missing field."""


class AuthUnauthorized(AuthError, Unauthorized):
    pass


class AuthForbidden(AuthError, Forbidden):
    pass


class AuthNotFound(AuthError, NotFound):
    pass


class AuthConflict(AuthError, Conflict):
    pass


class AuthInvalidInput(AuthError, InvalidInput):
    pass


class AuthRateLimited(AuthError, RateLimited):
    def __init__(self, code: str, message: str, retry_after: int) -> None:
        super().__init__(code, message, retry_after=retry_after)


class AuthUnavailable(AuthError, Unavailable):
    pass


class AuthServiceFailed(AuthError, ServiceFailed):
    pass


def invalid_token(message: str = "Invalid or expired token") -> AuthUnauthorized:
    return AuthUnauthorized("bad_jwt", message)

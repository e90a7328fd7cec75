"""Domain errors. The core raises these; the HTTP layer maps each kind to a status code."""

from __future__ import annotations


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            # A finer machine code than the kind's, e.g. invitation_link_expired for a Gone.
            self.code = code


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Gone(DomainError):
    """It existed, and can no longer be used (a single-use link that was used, or expired)."""

    code = "gone"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthorized(DomainError):
    code = "unauthorized"


class InvalidInput(DomainError):
    code = "invalid_input"


class Unavailable(DomainError):
    """A service this needs (another tracker's API) cannot answer now: nobody's mistake here."""

    code = "unavailable"


class RateLimited(DomainError):
    """Too many requests for one allowance: `retry_after` seconds until the next may go."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

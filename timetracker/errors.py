"""Domain errors. The core raises these; the HTTP layer maps each kind to a status code."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "error"

    def __init__(
        self,
        message: str,
        code: str | None = None,
        *,
        retry_after: int | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            # A finer machine code than the kind's, e.g. invitation_link_expired for a Gone.
            self.code = code
        # Seconds until trying again may succeed, when the failure knows (a limit, an outage).
        self.retry_after = retry_after
        # What exactly is wrong, item by item: each bad field, or each line of a file.
        self.details = details


class BadRequest(DomainError):
    """Cannot be done as asked, and no finer kind says why (wrong credentials, an unknown refresh token)."""

    code = "bad_request"


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


class InvalidItem(InvalidInput):
    """A pushed item that fails validation; `details` names each bad field."""

    code = "invalid_payload"

    def __init__(self, message: str, details: list[dict[str, str]]) -> None:
        super().__init__(message, details=list(details))


class TooManyItems(DomainError):
    """A batch over its source's cap: nothing of it was stored, the sender should split it."""

    code = "too_many_items"


class RateLimited(DomainError):
    """Too many requests for one allowance: `retry_after` seconds until the next may go."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code, retry_after=retry_after)


class Unavailable(DomainError):
    """A service this needs cannot be reached, or is not set up on this server; nothing was done."""

    code = "unavailable"


class ServiceFailed(DomainError):
    """A service this relies on failed while doing it (the mail server refused a mail); nothing was kept."""

    code = "service_failed"

"""Every failure becomes a 4xx/5xx JSON body that says what is wrong, never a stack trace.

Shape: {"error": <machine code>, "message": <for people>, "details": [...]?}
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from timetracker.auth.errors import AuthError
from timetracker.db import DatabaseUnavailable
from timetracker.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    InvalidInput,
    InvalidItem,
    NotFound,
    RateLimited,
    ServiceFailed,
    TooManyItems,
    Unauthorized,
    Unavailable,
)
from timetracker.ingest.items import field_errors
from timetracker.projects.patterns import PatternError

# The one place a kind of failure becomes an HTTP status. A DomainError of no kind here is a 400.
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    BadRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    TooManyItems: 413,
    InvalidInput: 422,
    InvalidItem: 422,
    RateLimited: 429,
    ServiceFailed: 500,
    Unavailable: 503,
}
# GoTrue answers an address that is already registered (user_already_exists) with 422, and
# the supabase client and GoTrue's other clients expect exactly that.
GOTRUE_STATUS_BY_ERROR: dict[type[DomainError], int] = {**STATUS_BY_ERROR, Conflict: 422}
GOTRUE_PREFIX = "/auth/v1"
GOTRUE_API_VERSION = "2024-01-01"
RETRY_AFTER_DB_SECONDS = "5"

log = structlog.get_logger(__name__)


class ErrorBody(BaseModel):
    """What every error of our own answers; the GoTrue subset keeps GoTrue's shape."""

    error: str = Field(description="A machine code, e.g. not_found, forbidden, invalid_input")
    message: str = Field(description="What is wrong, for people")
    details: list[dict[str, Any]] | None = None


class GoTrueErrorBody(BaseModel):
    """GoTrue's error shape, under /auth/v1: what the supabase client reads into AuthApiError."""

    # A failure may add fields of its own, e.g. weak_password: {"reasons": [...]}.
    model_config = ConfigDict(extra="allow")
    code: str = Field(description="GoTrue's error code, e.g. invalid_credentials, weak_password")
    error_code: str = Field(description="The same code, where newer clients look for it")
    msg: str
    message: str


WHAT_STATUS_MEANS = {
    303: "Redirected (the protocol's next step, or its error, in the query string)",
    400: "The request cannot be read",
    401: "Missing, wrong or expired credentials",
    403: "Not yours to see or change",
    404: "No such thing (or not yours)",
    409: "Conflicts with what is stored",
    410: "No longer usable (a single-use link already used, or expired)",
    413: "Too large",
    422: "Invalid input; `details` names each bad field",
    429: "Too many requests; see Retry-After",
    500: "A service this relies on failed (the mail server, say); nothing was kept",
    503: "The database (or a service this needs) is unavailable; nothing was changed",
}


def documented(*statuses: int, body: bool | type[BaseModel] = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a router's operations can answer, each with
    `body`'s schema: ErrorBody (True), another model (GoTrue's shape), or none (False)."""
    model = ErrorBody if body is True else body or None
    return {
        status: {"description": WHAT_STATUS_MEANS[status], **({"model": model} if model and status != 303 else {})}
        for status in statuses
    }


def status_of(exc: DomainError, statuses: dict[type[DomainError], int] = STATUS_BY_ERROR) -> int:
    """The status of `exc`'s kind: its own class's, else the nearest ancestor's (an AuthForbidden is a Forbidden)."""
    return next((statuses[kind] for kind in type(exc).__mro__ if kind in statuses), 400)


def error_body(error: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": error, "message": message}
    if details is not None:
        body["details"] = details
    return body


# How a refused request's fields are named: "(body)" for the body as a whole, and where in the
# request FastAPI says a value was ("body", "query", ...) left out of the name.
WHOLE_BODY = "(body)"
REQUEST_PARTS = ("body", "query", "path", "header")


def document_request_errors(app: FastAPI) -> None:
    """FastAPI documents the 422 it answers for a request it cannot read as `{"detail": [...]}`;
    this API answers an ErrorBody (see `_request_invalid` below), so the document says that."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        ours = {"$ref": "#/components/schemas/ErrorBody"}
        # Under /auth/v1 a 422 is GoTrue's too (a weak password, say), in GoTrue's shape.
        either = {"anyOf": [ours, {"$ref": "#/components/schemas/GoTrueErrorBody"}]}
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                answer = operation.get("responses", {}).get("422", {})
                content = answer.get("content", {}).get("application/json", {})
                if content.get("schema") == {"$ref": "#/components/schemas/HTTPValidationError"}:
                    content["schema"] = either if path.startswith(GOTRUE_PREFIX) else ours
                    answer["description"] = WHAT_STATUS_MEANS[422]
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorBody", ErrorBody.model_json_schema())
        components.setdefault("GoTrueErrorBody", GoTrueErrorBody.model_json_schema())
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DatabaseUnavailable)
    async def _database_unavailable(_: Request, exc: DatabaseUnavailable) -> JSONResponse:
        log.warning("database unavailable", error=type(exc.__cause__).__name__)
        return JSONResponse(
            status_code=503,
            content=error_body("database_unavailable", "The database is unavailable; nothing was stored. Retry later."),
            headers={"Retry-After": RETRY_AFTER_DB_SECONDS},
        )

    @app.exception_handler(PatternError)
    async def _pattern_error(_: Request, exc: PatternError) -> JSONResponse:
        details = [{"field": "pattern", "position": exc.position, "message": exc.message}]
        return JSONResponse(status_code=422, content=error_body(exc.code, exc.message, details))

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else {}
        if isinstance(exc, AuthError):
            if request.url.path.startswith(GOTRUE_PREFIX):
                # GoTrue's shape, which the supabase client turns into AuthApiError(code=...).
                headers["X-Supabase-Api-Version"] = GOTRUE_API_VERSION
                content = {"code": exc.code, "error_code": exc.code, "msg": exc.message, "message": exc.message}
                content.update(exc.extra)
                return JSONResponse(
                    status_code=status_of(exc, GOTRUE_STATUS_BY_ERROR), content=content, headers=headers
                )
            if isinstance(exc, Unauthorized):
                # Missing or refused bearer credentials; other 401s (a device key, a WakaTime
                # plugin key) are not bearer challenges.
                headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(
            status_code=status_of(exc), content=error_body(exc.code, exc.message, exc.details), headers=headers or None
        )

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            status_code=422,
            content=error_body(
                "invalid_request", "The request is invalid", field_errors(exc.errors(), WHOLE_BODY, REQUEST_PARTS)
            ),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # A bug, not bad input. The server log gets the traceback (Starlette re-raises after
        # this answer); the caller gets the same JSON shape as every other error and no internals.
        log.error("unhandled error", error=type(exc).__name__)
        return JSONResponse(
            status_code=500,
            content=error_body("internal_error", "Something went wrong on the server; it has been logged."),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            status_code=exc.status_code,
            content=error_body(code, str(exc.detail)),
            headers=getattr(exc, "headers", None),
        )

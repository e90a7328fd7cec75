"""The local Supabase Auth (GoTrue) subset at /auth/v1, in GoTrue's wire format.

Mounted only when SUPABASE_URL is not set. The `supabase` client sends a stale user token
in `Authorization` on /token and /signup; those routes ignore it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request, Response

from api.deps import RuntimeDep
from timetracker.auth.errors import AuthError
from timetracker.auth.local_server import AuthSession, AuthUser, LocalAuthServer
from timetracker.storable import storable_json, unstorable_text

router = APIRouter(prefix="/auth/v1", tags=["auth (local Supabase Auth subset)"])

JsonBody = Annotated[dict[str, Any], Body(default_factory=dict)]


def _server(runtime: RuntimeDep) -> LocalAuthServer:
    assert runtime.local_auth is not None  # the router is only mounted with local auth
    return runtime.local_auth


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def user_json(user: AuthUser) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "aud": "authenticated",
        "role": "authenticated",
        "email": user.email,
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "confirmed_at": _iso(user.email_confirmed_at),
        "phone": "",
        "last_sign_in_at": _iso(user.last_sign_in_at),
        "app_metadata": user.app_metadata,
        "user_metadata": user.user_metadata,
        "identities": [],
        "created_at": _iso(user.created_at),
        "updated_at": _iso(user.updated_at),
        "is_anonymous": False,
    }


def session_json(session: AuthSession) -> dict[str, Any]:
    return {
        "access_token": session.access_token,
        "token_type": "bearer",
        "expires_in": session.expires_in,
        "expires_at": session.expires_at,
        "refresh_token": session.refresh_token,
        "user": user_json(session.user),
    }


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise AuthError(400, "validation_failed", f"{key} is required")
    if problem := unstorable_text(value):  # Postgres text cannot hold it: a 500 at the lookup or insert otherwise
        raise AuthError(400, "validation_failed", f"{key} {problem}")
    return value


def _metadata(body: dict[str, Any]) -> dict[str, Any]:
    """`data` of a sign-up, stored as jsonb: NUL and Infinity refused in GoTrue's error shape."""
    data = body.get("data")
    if not isinstance(data, dict):
        return {}
    try:
        return storable_json(data, "data")
    except ValueError as exc:
        raise AuthError(400, "validation_failed", str(exc)) from exc


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthError(401, "no_authorization", "This endpoint requires a Bearer token")
    return token.strip()


def _client_address(request: Request) -> str:
    """The caller's address (uvicorn has already applied a trusted proxy's X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


@router.post("/signup", summary="Create an account (confirmed at once) and sign in")
def signup(runtime: RuntimeDep, request: Request, body: JsonBody) -> dict[str, Any]:
    server = _server(runtime)
    session = server.sign_up(_text(body, "email"), _text(body, "password"), _metadata(body), _client_address(request))
    return session_json(session)


@router.post("/token", summary="Password grant or refresh-token grant")
def token(
    runtime: RuntimeDep,
    request: Request,
    body: JsonBody,
    grant_type: Annotated[Literal["password", "refresh_token"], Query()],
) -> dict[str, Any]:
    server = _server(runtime)
    if grant_type == "password":
        session = server.password_grant(_text(body, "email"), _text(body, "password"), _client_address(request))
    else:
        session = server.refresh_grant(_text(body, "refresh_token"))
    return session_json(session)


@router.get("/user", summary="The signed-in user")
def get_user(runtime: RuntimeDep, request: Request) -> dict[str, Any]:
    return user_json(_server(runtime).get_user(_bearer(request)))


@router.post("/logout", status_code=204, summary="Revoke refresh tokens (global, local or others)")
def logout(
    runtime: RuntimeDep,
    request: Request,
    scope: Annotated[Literal["global", "local", "others"], Query()] = "global",
) -> Response:
    _server(runtime).logout(_bearer(request), scope)
    return Response(status_code=204)

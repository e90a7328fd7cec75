"""The local Supabase Auth (GoTrue) subset at /auth/v1, in GoTrue's wire format.

Mounted only when SUPABASE_URL is not set. The `supabase` client sends a stale user token
in `Authorization` on /token and /signup; those routes ignore it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import RedirectResponse

from api.deps import RuntimeDep
from api.errors import GoTrueErrorBody, documented
from api.schemas import GoTrueSession, GoTrueUser
from timetracker import credentials
from timetracker.auth import client_address, confirmation
from timetracker.auth.errors import AuthBadRequest, AuthInvalidInput, AuthUnauthorized
from timetracker.auth.local_server import AuthSession, AuthUser, LocalAuthServer
from timetracker.storable import storable_json, unstorable_text

router = APIRouter(prefix="/auth/v1", tags=["auth (local Supabase Auth subset)"])

JsonBody = Annotated[dict[str, Any], Body(default_factory=dict)]


def _server(runtime: RuntimeDep) -> LocalAuthServer:
    assert runtime.local_auth is not None  # the router is only mounted with local auth
    return runtime.local_auth


def gotrue_user(user: AuthUser) -> GoTrueUser:
    return GoTrueUser(
        id=user.id,
        email=user.email,
        email_confirmed_at=user.email_confirmed_at,
        confirmed_at=user.email_confirmed_at,
        last_sign_in_at=user.last_sign_in_at,
        app_metadata=user.app_metadata,
        user_metadata=user.user_metadata,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def gotrue_session(session: AuthSession) -> GoTrueSession:
    return GoTrueSession(
        access_token=session.access_token,
        expires_in=session.expires_in,
        expires_at=session.expires_at,
        refresh_token=session.refresh_token,
        user=gotrue_user(session.user),
    )


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise AuthBadRequest("validation_failed", f"{key} is required")
    if problem := unstorable_text(value):  # Postgres text cannot hold it: a 500 at the lookup or insert otherwise
        raise AuthBadRequest("validation_failed", f"{key} {problem}")
    return value


def _metadata(body: dict[str, Any]) -> dict[str, Any]:
    """`data` of a sign-up, stored as jsonb: NUL and Infinity refused in GoTrue's error shape."""
    data = body.get("data")
    if not isinstance(data, dict):
        return {}
    try:
        return storable_json(data, "data")
    except ValueError as exc:
        raise AuthBadRequest("validation_failed", str(exc)) from exc


def _bearer(request: Request) -> str:
    token = credentials.presented(request.headers.get("authorization"))
    if token is None:
        raise AuthUnauthorized("no_authorization", "This endpoint requires a Bearer token")
    return token


def _client_address(runtime: RuntimeDep, request: Request) -> str:
    """Whose login or sign-up this is: the browser's address when the dashboard names it (and
    proves it is the dashboard), otherwise the peer's (uvicorn has applied X-Forwarded-For
    only if the peer is in TRUSTED_PROXIES)."""
    named = client_address.named_by_dashboard(request.headers, runtime.settings.master_secret.get_secret_value())
    if named is not None:
        return named
    return request.client.host if request.client else "unknown"


@router.post(
    "/signup",
    response_model=GoTrueSession | GoTrueUser,
    summary="Create an account: with SMTP, unconfirmed until the mailed link is followed; otherwise signed in at once",
    responses=documented(500, body=GoTrueErrorBody),
)
def signup(runtime: RuntimeDep, request: Request, body: JsonBody) -> GoTrueSession | GoTrueUser:
    server = _server(runtime)
    created = server.sign_up(
        _text(body, "email"), _text(body, "password"), _metadata(body), _client_address(runtime, request)
    )
    # GoTrue without autoconfirm answers the user alone: no session until the address is confirmed.
    return gotrue_user(created) if isinstance(created, AuthUser) else gotrue_session(created)


@router.get(
    "/verify",
    status_code=303,
    response_class=RedirectResponse,
    summary="Follow a sign-up's confirmation link; back to the dashboard's login with the outcome",
)
def verify(
    runtime: RuntimeDep,
    token: Annotated[str, Query(max_length=200)],
    # GoTrue's link names what it confirms; here it is always a sign-up's address.
    kind: Annotated[Literal["signup", "email"], Query(alias="type")] = "signup",
) -> RedirectResponse:
    _server(runtime)  # mounted only with local auth; says so if not
    outcome = "invalid" if unstorable_text(token) else confirmation.confirm(runtime.db, token)
    # The dashboard, never a `redirect_to` of the caller's: the link must not be an open redirect.
    target = f"{runtime.settings.dashboard_base_url}/?{urlencode({confirmation.DASHBOARD_PARAMETER: outcome})}"
    return RedirectResponse(target, status_code=303)


@router.post("/token", response_model=GoTrueSession, summary="Password grant or refresh-token grant")
def token(
    runtime: RuntimeDep,
    request: Request,
    body: JsonBody,
    grant_type: Annotated[Literal["password", "refresh_token"], Query()],
) -> GoTrueSession:
    server = _server(runtime)
    if grant_type == "password":
        session = server.password_grant(
            _text(body, "email"), _text(body, "password"), _client_address(runtime, request)
        )
    else:
        session = server.refresh_grant(_text(body, "refresh_token"))
    return gotrue_session(session)


@router.get("/user", response_model=GoTrueUser, summary="The signed-in user")
def get_user(runtime: RuntimeDep, request: Request) -> GoTrueUser:
    return gotrue_user(_server(runtime).get_user(_bearer(request)))


@router.put("/user", response_model=GoTrueUser, summary="Change the password (ends every other session)")
def update_user(runtime: RuntimeDep, request: Request, body: JsonBody) -> GoTrueUser:
    # Only the password: a new email would need confirming before it could be trusted.
    unsupported = sorted(set(body) - {"password"})
    if unsupported:
        message = f"Only the password can be changed here (not {', '.join(unsupported)})"
        raise AuthInvalidInput("validation_failed", message)
    return gotrue_user(_server(runtime).change_password(_bearer(request), _text(body, "password")))


@router.post(
    "/logout", status_code=204, response_class=Response, summary="Revoke refresh tokens (global, local or others)"
)
def logout(
    runtime: RuntimeDep,
    request: Request,
    scope: Annotated[Literal["global", "local", "others"], Query()] = "global",
) -> Response:
    _server(runtime).logout(_bearer(request), scope)
    return Response(status_code=204)

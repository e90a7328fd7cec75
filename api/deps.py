"""Infrastructure as typed parameters: routes declare what they need, nothing more."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ErrorBody
from timetracker.auth.errors import AuthForbidden, AuthUnauthorized
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.runtime import Runtime

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A Supabase access token, or a personal API token (ttp_…) from the Profile page.",
)


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_db(runtime: RuntimeDep) -> Database:
    return runtime.db


def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_current_user(
    runtime: RuntimeDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
) -> Principal:
    if credentials is None:
        raise AuthUnauthorized("no_authorization", "Send Authorization: Bearer <access token or API token>")
    return runtime.authenticator.from_bearer(credentials.credentials)


CurrentUser = Annotated[Principal, Depends(get_current_user)]


def _require_recent_login(user: Principal, settings: Settings) -> None:
    """403 unless `user` is an access token whose session (login) is at most the configured age.
    403 rather than 401: the token is valid, and a refresh would not help; a new login does."""
    minutes = settings.sensitive_action_max_session_age_minutes
    if not user.logged_in_within(timedelta(minutes=minutes)):
        raise AuthForbidden(
            "reauthentication_needed",
            f"This needs a login from the last {minutes} minutes. Log in again, then retry.",
        )


def get_recently_logged_in_user(user: CurrentUser, settings: SettingsDep) -> Principal:
    """The caller, when this is an access token from a recent login: for making credentials
    that outlive the session (API tokens, device keys, WakaTime keys). Neither a stolen access
    token nor a personal API token may make itself permanent that way."""
    if user.via == "api_token":
        minutes = settings.sensitive_action_max_session_age_minutes
        raise AuthForbidden(
            "reauthentication_needed",
            f"A personal API token cannot make credentials. Log in again and use that login's access token"
            f" (at most {minutes} minutes old).",
        )
    _require_recent_login(user, settings)
    return user


RecentlyLoggedInUser = Annotated[Principal, Depends(get_recently_logged_in_user)]


def get_recent_login_or_api_token(user: CurrentUser, settings: SettingsDep) -> Principal:
    """The caller, for team memberships: an access token must come from a recent login; a
    personal API token (made from such a login, for scripts) is accepted as it is."""
    if user.via != "api_token":
        _require_recent_login(user, settings)
    return user


RecentLoginOrApiToken = Annotated[Principal, Depends(get_recent_login_or_api_token)]
# The OpenAPI `responses` of an operation that takes RecentlyLoggedInUser or RecentLoginOrApiToken.
NEEDS_RECENT_LOGIN: dict[int | str, dict[str, Any]] = {
    403: {
        "description": "Needs an access token from a recent login (not a personal API token): log in again",
        "model": ErrorBody,
    }
}

"""Infrastructure as typed parameters: routes declare what they need, nothing more."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from timetracker.auth.errors import AuthError
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
        raise AuthError(401, "no_authorization", "Send Authorization: Bearer <access token or API token>")
    return runtime.authenticator.from_bearer(credentials.credentials)


CurrentUser = Annotated[Principal, Depends(get_current_user)]

"""Infrastructure as typed parameters: routes declare what they need, nothing more."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ErrorBody
from timetracker import credentials
from timetracker.activitywatch import ingest as activitywatch_ingest
from timetracker.auth.errors import AuthForbidden, AuthUnauthorized
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.db.loop_pool import LoopDatabase
from timetracker.errors import Unauthorized
from timetracker.nfc.identity import DeviceCredentials
from timetracker.runtime import Runtime
from timetracker.wakatime import keys as wakatime_keys
from timetracker.wakatime import wire

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A Supabase access token, or a personal API token (ttp_…) from the Profile page.",
)


# `async def` although nothing here awaits: FastAPI runs a plain `def` dependency in its
# thread pool, a hop per dependency per request, which these lookups do not need.
async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_loop_db(request: Request) -> LoopDatabase:
    return request.app.state.loop_db


LoopDbDep = Annotated[LoopDatabase, Depends(get_loop_db)]


async def get_db(runtime: RuntimeDep) -> Database:
    return runtime.db


async def get_settings(runtime: RuntimeDep) -> Settings:
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


async def get_recently_logged_in_user(user: CurrentUser, settings: SettingsDep) -> Principal:
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


async def get_recent_login_or_api_token(user: CurrentUser, settings: SettingsDep) -> Principal:
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


# -- senders that push data: each proves itself with its own credential ------------------


def device_credentials(request: Request) -> DeviceCredentials:
    """The device id and key a reader sent in its X-Device-Id and Authorization headers, not
    yet checked: its routes check the key first thing (`timetracker.nfc.ingest`).

    Read from the request by hand, not declared as `Header` parameters: FastAPI's resolution of
    those, and of the route's other dependencies, cost 45-70 µs of the ~400 µs of API CPU a
    single event costs. `READER_HEADERS` documents them instead."""
    headers = request.headers
    return DeviceCredentials(
        (headers.get("x-device-id") or "").strip(), credentials.presented(headers.get("authorization"))
    )


def _header(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"}, "description": description}


# The reader routes' `openapi_extra`: the headers `device_credentials` reads.
READER_HEADERS: list[dict[str, Any]] = [
    _header("x-device-id", "The reader's device id, e.g. NFC_ABC123"),
    _header("authorization", "Bearer <device key>"),
]


def activitywatch_sender(
    runtime: RuntimeDep,
    developer_id: Annotated[str | None, Header(alias="Developer-ID", description="With a developer token")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <developer token or API token>")] = None,
) -> activitywatch_ingest.Sender:
    """An ActivityWatch client: a team's developer token (with its Developer-ID), or a person's
    own personal API token or access token."""
    token = credentials.presented(authorization)
    if token is None:
        raise Unauthorized("send Authorization: Bearer <developer token or personal API token>")
    developer = (developer_id or "").strip() or None
    return activitywatch_ingest.authenticate(runtime.authenticator, runtime.token_keys, developer, token)


ActivityWatchSender = Annotated[activitywatch_ingest.Sender, Depends(activitywatch_sender)]
PLUGIN_AUTH = "send Authorization: Basic base64(<WakaTime key>), Bearer <key>, or ?api_key=<key>"


def sending_plugin(
    db: DbDep,
    authorization: Annotated[str | None, Header(description="Basic base64(<key>) or Bearer <key>")] = None,
    api_key: Annotated[str | None, Query(description="The key, for clients that cannot send headers")] = None,
    user_agent: Annotated[str | None, Header(description="wakatime-cli's: 'wakatime/v1.90.0 (linux-6.1) …'")] = None,
    x_machine_name: Annotated[str | None, Header(alias="X-Machine-Name")] = None,
) -> wire.Plugin:
    """An editor plugin: its WakaTime key, and where it runs (User-Agent, machine name)."""
    key = wire.key_from_credentials(authorization, api_key)
    if key is None:
        raise Unauthorized(PLUGIN_AUTH)
    return wire.Plugin(wakatime_keys.owner_of_key(db, key), user_agent, x_machine_name)


SendingPlugin = Annotated[wire.Plugin, Depends(sending_plugin)]

"""WakaTime OAuth connect (with a signed state against CSRF), import, and the plugin key.

How a logged-in person reaches /authorize: they are logged in to the Streamlit dashboard,
not with a cookie on this server, so a plain browser link cannot prove who they are. The
Integrations page therefore asks the core for a signed state for the logged-in person and
links the browser to `/integrations/wakatime/authorize?state=<state>`; this route checks
the state (signature, expiry, unused) and forwards to WakaTime with it. API clients may
instead call /authorize with `Authorization: Bearer`, which issues a state for them; a
state sent together with a Bearer credential must belong to that same person.
The callback has no session either, so it cannot tell who is holding the browser: it checks
the state and passes `code` and `state` on to the Integrations page, which completes the trip
only for the logged-in owner of the state (see timetracker/wakatime/connect.py). API clients
finish with `POST /api/v1/wakatime/connection`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from api.deps import (
    NEEDS_RECENT_LOGIN,
    CurrentUser,
    DbDep,
    RecentlyLoggedInUser,
    RuntimeDep,
    SettingsDep,
    bearer_scheme,
)
from api.errors import ErrorBody
from api.schemas import (
    HeartbeatSettings,
    PluginKey,
    WakaTimeConnectionState,
    WakaTimeDisconnected,
    WakaTimeImport,
)
from timetracker import paths
from timetracker.cipher import TokenCipher
from timetracker.config import Settings
from timetracker.errors import BadRequest, Forbidden, Unauthorized, Unavailable
from timetracker.wakatime import connect, connections, importer, keys, oauth_state
from timetracker.wakatime.client import WakaTimeClient

router = APIRouter(tags=["WakaTime"])


async def wakatime_client(settings: SettingsDep) -> WakaTimeClient:
    return WakaTimeClient(settings)


async def token_cipher(runtime: RuntimeDep) -> TokenCipher:
    return runtime.cipher


ClientDep = Annotated[WakaTimeClient, Depends(wakatime_client)]
CipherDep = Annotated[TokenCipher, Depends(token_cipher)]


def integrations_page(settings: Settings, **query: str) -> RedirectResponse:
    return RedirectResponse(f"{settings.dashboard_base_url}/integrations?{urlencode(query)}", status_code=303)


@router.get(
    paths.WAKATIME_AUTHORIZE,
    status_code=307,
    response_class=RedirectResponse,
    summary="Start connecting WakaTime: redirects to WakaTime's consent page",
    responses={
        307: {"description": "To WakaTime"},
        401: {"description": "No state and no bearer", "model": ErrorBody},
        403: {"description": "The state belongs to someone else than the bearer", "model": ErrorBody},
    },
)
def authorize(
    runtime: RuntimeDep,
    db: DbDep,
    settings: SettingsDep,
    client: ClientDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    state: Annotated[str | None, Query(description="A state from the Integrations page")] = None,
) -> RedirectResponse:
    if not client.configured:
        raise Unavailable(
            "WakaTime is not set up on this server (WAKATIME_CLIENT_ID / WAKATIME_CLIENT_SECRET)",
            "wakatime_not_configured",
        )
    caller = runtime.authenticator.from_bearer(credentials.credentials) if credentials else None
    if state:
        parsed = oauth_state.verify(state, settings)
        if caller is not None and caller.user_id != parsed.owner_id:
            raise Forbidden("this state belongs to someone else")
        oauth_state.ensure_pending(db, parsed)
    elif caller is not None:
        state = oauth_state.issue(db, caller, settings)
    else:
        # Not a bearer challenge: a browser opens this with a state, and has none.
        raise Unauthorized("Open this from the Integrations page, or send a Bearer token", "no_authorization")
    return RedirectResponse(client.authorize_url(state), status_code=307)


@router.get(
    paths.WAKATIME_CALLBACK,
    status_code=303,
    response_class=RedirectResponse,
    summary="WakaTime returns here; on to the Integrations page",
)
def callback(db: DbDep, settings: SettingsDep, state: str = "", code: str = "", error: str = "") -> RedirectResponse:
    try:
        connect.check_callback(db, state, settings)
    except oauth_state.StateRefused as exc:
        return integrations_page(settings, wakatime="error", reason=exc.reason)
    if error or not code:
        connect.abandon(db, state, settings)
        return integrations_page(settings, wakatime="error", reason="denied")
    # The page finishes as the logged-in person; nothing is stored for whoever the state names.
    return integrations_page(settings, wakatime="complete", code=code, state=state)


class CompleteRequest(BaseModel):
    code: str = Field(min_length=1, max_length=2048, description="The code WakaTime sent to the callback")
    state: str = Field(min_length=1, max_length=2048, description="The state that came back with it")


@router.post(
    "/api/v1/wakatime/connection",
    response_model=WakaTimeConnectionState,
    summary="Finish connecting: exchange the callback's code, for the person who started the trip",
    responses={400: {"description": "Bad, expired or used state; code refused"}, 403: {"description": "Not yours"}},
)
def complete_connection(
    body: CompleteRequest, user: CurrentUser, db: DbDep, settings: SettingsDep, client: ClientDep, cipher: CipherDep
) -> WakaTimeConnectionState:
    try:
        status = connect.complete(db, user, body.state, body.code, client, cipher, settings)
    except connect.ConnectFailed as exc:
        # The outcome word is the machine code the caller gets; only a state of someone else's is not theirs.
        kind = Forbidden if exc.reason == "wrong_account" else BadRequest
        raise kind(exc.message, exc.reason) from exc
    return WakaTimeConnectionState(connection=status)


class ImportRequest(BaseModel):
    start: date = Field(description="First local day")
    end: date = Field(description="Last local day, inclusive")


@router.get(
    "/api/v1/wakatime/connection",
    response_model=WakaTimeConnectionState,
    summary="Your WakaTime connection (never its tokens)",
)
def connection(user: CurrentUser, db: DbDep) -> WakaTimeConnectionState:
    return WakaTimeConnectionState(connection=connections.status(db, user))


@router.delete(
    "/api/v1/wakatime/connection",
    response_model=WakaTimeDisconnected,
    summary="Disconnect: revoke at WakaTime and delete the tokens",
)
def disconnect(user: CurrentUser, db: DbDep, client: ClientDep, cipher: CipherDep) -> WakaTimeDisconnected:
    return WakaTimeDisconnected(**connections.disconnect(db, user, client, cipher))


@router.post(
    "/api/v1/wakatime/import", response_model=WakaTimeImport, summary="Import days from WakaTime (idempotent per day)"
)
def import_days(
    body: ImportRequest, user: CurrentUser, db: DbDep, client: ClientDep, cipher: CipherDep
) -> WakaTimeImport:
    return WakaTimeImport(**importer.import_range(db, user, body.start, body.end, client, cipher).as_json())


class TimeoutUpdate(BaseModel):
    timeout_minutes: int = Field(ge=1, le=240)


@router.get(
    "/api/v1/wakatime/heartbeat-settings",
    response_model=HeartbeatSettings,
    # Before anything is set the answer has no updated_at, as it always had; a null key_hint stays.
    response_model_exclude_unset=True,
    summary="Your plugin key hint and heartbeat timeout",
)
def heartbeat_settings(user: CurrentUser, db: DbDep) -> HeartbeatSettings:
    return HeartbeatSettings(**keys.settings_of(db, user))


@router.put(
    "/api/v1/wakatime/heartbeat-settings",
    response_model=HeartbeatSettings,
    summary="Change the keystroke timeout joining heartbeats",
)
def update_heartbeat_settings(body: TimeoutUpdate, user: CurrentUser, db: DbDep) -> HeartbeatSettings:
    return HeartbeatSettings(**keys.set_timeout(db, user, body.timeout_minutes))


@router.post(
    "/api/v1/wakatime/key",
    status_code=201,
    response_model=PluginKey,
    summary="A new plugin key (shown once; the old one stops)",
    responses=NEEDS_RECENT_LOGIN,
)
def new_key(user: RecentlyLoggedInUser, db: DbDep, settings: SettingsDep) -> PluginKey:
    key, row = keys.issue_key(db, user)
    return PluginKey(**row, api_key=key, api_url=settings.api_base_url + paths.WAKATIME_COMPAT)

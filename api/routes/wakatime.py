"""WakaTime OAuth connect (seed 001, with its CSRF hole closed), import, and the plugin key.

How a logged-in person reaches /authorize: they are logged in to the Streamlit dashboard,
not with a cookie on this server, so a plain browser link cannot prove who they are. The
Integrations page therefore asks the core for a signed state for the logged-in person and
links the browser to `/integrations/wakatime/authorize?state=<state>`; this route checks
the state (signature, expiry, unused) and forwards to WakaTime with it. API clients may
instead call /authorize with `Authorization: Bearer`, which issues a state for them; a
state sent together with a Bearer credential must belong to that same person.
The callback needs no session: the signed, single-use state says whose connection it is.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from api.deps import CurrentUser, DbDep, RuntimeDep, SettingsDep, bearer_scheme
from api.errors import error_body
from timetracker.config import Settings
from timetracker.errors import DomainError, Forbidden
from timetracker.wakatime import connections, importer, keys, oauth_state
from timetracker.wakatime.cipher import TokenCipher
from timetracker.wakatime.client import WakaTimeClient, WakaTimeError

router = APIRouter(tags=["WakaTime"])
NOT_CONFIGURED = error_body(
    "wakatime_not_configured", "WakaTime is not set up on this server (WAKATIME_CLIENT_ID / WAKATIME_CLIENT_SECRET)"
)


def wakatime_client(settings: SettingsDep) -> WakaTimeClient:
    return WakaTimeClient(settings)


def token_cipher(settings: SettingsDep) -> TokenCipher:
    return TokenCipher.from_settings(settings)


ClientDep = Annotated[WakaTimeClient, Depends(wakatime_client)]
CipherDep = Annotated[TokenCipher, Depends(token_cipher)]


def integrations_page(settings: Settings, outcome: str, message: str) -> RedirectResponse:
    query = urlencode({"wakatime": outcome, "message": message})
    return RedirectResponse(f"{settings.dashboard_base_url}/integrations?{query}", status_code=303)


@router.get(
    "/integrations/wakatime/authorize",
    summary="Start connecting WakaTime: redirects to WakaTime's consent page",
    responses={307: {"description": "To WakaTime"}, 401: {"description": "No state and no bearer"}},
)
def authorize(
    runtime: RuntimeDep,
    db: DbDep,
    settings: SettingsDep,
    client: ClientDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    state: Annotated[str | None, Query(description="A state from the Integrations page")] = None,
) -> Any:
    if not client.configured:
        return JSONResponse(status_code=503, content=NOT_CONFIGURED)
    caller = runtime.authenticator.from_bearer(credentials.credentials) if credentials else None
    if state:
        parsed = oauth_state.verify(state, settings)
        if caller is not None and caller.user_id != parsed.owner_id:
            raise Forbidden("this state belongs to someone else")
        if not oauth_state.is_pending(db, parsed):
            raise oauth_state.StateRefused("this sign-in state was already used; start connecting again")
    elif caller is not None:
        state = oauth_state.issue(db, caller, settings)
    else:
        return JSONResponse(
            status_code=401,
            content=error_body("no_authorization", "Open this from the Integrations page, or send a Bearer token"),
        )
    return RedirectResponse(client.authorize_url(state), status_code=307)


@router.get("/integrations/wakatime/callback", summary="WakaTime returns here; back to the Integrations page")
def callback(
    db: DbDep,
    settings: SettingsDep,
    client: ClientDep,
    cipher: CipherDep,
    state: str = "",
    code: str = "",
    error: str = "",
) -> RedirectResponse:
    try:
        # The state is used up first, whatever WakaTime said: it can never be replayed.
        parsed = oauth_state.consume(db, state, settings)
    except DomainError as exc:
        return integrations_page(settings, "error", exc.message)
    if error or not code:
        return integrations_page(settings, "error", "WakaTime access was not granted; nothing was connected")
    try:
        grant = client.exchange_code(code)
    except WakaTimeError as exc:
        return integrations_page(settings, "error", f"Could not connect WakaTime: {exc}")
    connections.save_grant(db, parsed.owner_id, grant, cipher)
    return integrations_page(settings, "connected", "WakaTime is connected")


class ImportRequest(BaseModel):
    start: date = Field(description="First local day")
    end: date = Field(description="Last local day, inclusive")


@router.get("/api/v1/wakatime/connection", summary="Your WakaTime connection (never its tokens)")
def connection(user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return {"connection": connections.status(db, user)}


@router.delete("/api/v1/wakatime/connection", summary="Disconnect: revoke at WakaTime and delete the tokens")
def disconnect(user: CurrentUser, db: DbDep, client: ClientDep, cipher: CipherDep) -> dict[str, bool]:
    return connections.disconnect(db, user, client, cipher)


@router.post("/api/v1/wakatime/import", summary="Import days from WakaTime (idempotent per day)")
def import_days(
    body: ImportRequest, user: CurrentUser, db: DbDep, client: ClientDep, cipher: CipherDep
) -> dict[str, Any]:
    return importer.import_range(db, user, body.start, body.end, client, cipher).as_json()


class TimeoutUpdate(BaseModel):
    timeout_minutes: int = Field(ge=1, le=240)


@router.get("/api/v1/wakatime/heartbeat-settings", summary="Your plugin key hint and heartbeat timeout")
def heartbeat_settings(user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return keys.settings_of(db, user)


@router.put("/api/v1/wakatime/heartbeat-settings", summary="Change the keystroke timeout joining heartbeats")
def update_heartbeat_settings(body: TimeoutUpdate, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return keys.set_timeout(db, user, body.timeout_minutes)


@router.post("/api/v1/wakatime/key", status_code=201, summary="A new plugin key (shown once; the old one stops)")
def new_key(user: CurrentUser, db: DbDep, settings: SettingsDep) -> dict[str, Any]:
    key, row = keys.issue_key(db, user)
    return {**row, "api_key": key, "api_url": f"{settings.api_base_url}/api/compat/wakatime/v1"}

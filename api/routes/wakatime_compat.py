"""WakaTime-compatible API for editor plugins (as Wakapi): point a plugin's api_url here.

~/.wakatime.cfg:  [settings]  api_url = <server>/api/compat/wakatime/v1  api_key = <key from Integrations>

Thin: the protocol lives in `timetracker.wakatime.wire`, the work in `timetracker.wakatime`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Header, Query
from fastapi.responses import JSONResponse

from api.deps import DbDep, SettingsDep
from api.errors import error_body
from api.metrics import record_events
from timetracker import paths
from timetracker.auth.principal import Principal
from timetracker.errors import Unauthorized
from timetracker.wakatime import coding_time, keys, wire
from timetracker.wakatime.ingest import ItemResult, ingest

router = APIRouter(prefix=paths.WAKATIME_COMPAT, tags=["WakaTime-compatible API (editor plugins)"])

PLUGIN_AUTH = "send Authorization: Basic base64(<WakaTime key>), Bearer <key>, or ?api_key=<key>"


@dataclass(frozen=True)
class Plugin:
    """Who sent a request (from the key) and from where (the User-Agent, the machine name)."""

    owner_id: UUID
    user_agent: str | None
    machine: str | None


def sending_plugin(
    db: DbDep,
    authorization: Annotated[str | None, Header(description="Basic base64(<key>) or Bearer <key>")] = None,
    api_key: Annotated[str | None, Query(description="The key, for clients that cannot send headers")] = None,
    user_agent: Annotated[str | None, Header(description="wakatime-cli's: 'wakatime/v1.90.0 (linux-6.1) …'")] = None,
    x_machine_name: Annotated[str | None, Header(alias="X-Machine-Name")] = None,
) -> Plugin:
    key = wire.key_from_credentials(authorization, api_key)
    if key is None:
        raise Unauthorized(PLUGIN_AUTH)
    return Plugin(keys.owner_of_key(db, key), user_agent, x_machine_name)


SendingPlugin = Annotated[Plugin, Depends(sending_plugin)]
HEARTBEATS_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "array", "items": wire.HeartbeatIn.model_json_schema()}}},
    }
}


def _ingest(plugin: Plugin, db: DbDep, settings: SettingsDep, items: list[Any]) -> list[ItemResult]:
    max_age = timedelta(days=settings.heartbeat_max_age_days)
    results = ingest(db, plugin.owner_id, items, user_agent=plugin.user_agent, machine=plugin.machine, max_age=max_age)
    refused = sum(1 for _, status in results if status >= 400)
    record_events("wakatime", ingested=len(results) - refused, refused=refused)
    return results


def _bulk(plugin: Plugin, db: DbDep, settings: SettingsDep, items: list[Any]) -> JSONResponse:
    if len(items) > settings.heartbeat_max_batch_items:
        limit = settings.heartbeat_max_batch_items
        record_events("wakatime", refused=len(items))
        return JSONResponse(
            status_code=413, content=error_body("too_many_items", f"At most {limit} heartbeats per request")
        )
    results = _ingest(plugin, db, settings, items)
    return JSONResponse(status_code=201, content={"responses": [[body, status] for body, status in results]})


@router.post(
    "/users/current/heartbeats.bulk",
    status_code=201,
    summary="Store heartbeats; one [body, status] per item, in order",
    openapi_extra=HEARTBEATS_BODY,
)
def heartbeats_bulk(
    plugin: SendingPlugin, db: DbDep, settings: SettingsDep, payload: Annotated[Any, Body()]
) -> JSONResponse:
    return _bulk(plugin, db, settings, payload if isinstance(payload, list) else [payload])


@router.post(
    "/users/current/heartbeats",
    status_code=201,
    summary="Store one heartbeat ({data} or 400 {error}), or an array (answered as heartbeats.bulk)",
    openapi_extra=HEARTBEATS_BODY,
)
def heartbeats(
    plugin: SendingPlugin, db: DbDep, settings: SettingsDep, payload: Annotated[Any, Body()]
) -> JSONResponse:
    if isinstance(payload, list):
        return _bulk(plugin, db, settings, payload)
    [(body, status)] = _ingest(plugin, db, settings, [payload])
    return JSONResponse(status_code=status, content=body)


@router.get("/users/current/statusbar/today", summary="Today's coding time, as plugins show it in the status bar")
def statusbar_today(plugin: SendingPlugin, db: DbDep) -> dict[str, Any]:
    return wire.statusbar_today(coding_time.today(db, Principal(user_id=plugin.owner_id)))

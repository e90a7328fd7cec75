"""WakaTime-compatible API for editor plugins (as Wakapi): point a plugin's api_url here.

~/.wakatime.cfg:  [settings]  api_url = <server>/api/compat/wakatime/v1  api_key = <key from Integrations>

Thin: the plugin is a dependency (`api.deps.SendingPlugin`), the protocol lives in
`timetracker.wakatime.wire`, the work in `timetracker.wakatime`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body

from api.deps import DbDep, SendingPlugin, SettingsDep
from api.errors import documented
from api.metrics import record_events
from api.responses import IngestAnswer
from api.schemas import HeartbeatRefused, HeartbeatsAnswer, HeartbeatStored, StatusbarToday
from timetracker import paths
from timetracker.auth.principal import Principal
from timetracker.errors import TooManyItems
from timetracker.ingest.items import check_cap
from timetracker.reports.wakatime_time import SOURCE
from timetracker.wakatime import coding_time, ingest, wire

router = APIRouter(prefix=paths.WAKATIME_COMPAT, tags=["WakaTime-compatible API (editor plugins)"])
HEARTBEATS_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "array", "items": wire.HeartbeatIn.model_json_schema()}}},
    }
}


def _receive(plugin: wire.Plugin, db: DbDep, settings: SettingsDep, items: list[Any]) -> list[ingest.WireResult]:
    max_age = timedelta(days=settings.heartbeat_max_age_days)
    counts = (batch := ingest.receive(db, plugin, items, max_age=max_age)).counts()
    record_events(SOURCE, ingested=counts["created"] + counts["duplicate"], refused=counts["invalid"])
    return ingest.wire_results(batch)


def _bulk(plugin: wire.Plugin, db: DbDep, settings: SettingsDep, items: list[Any]) -> IngestAnswer:
    try:
        check_cap(len(items), settings.heartbeat_max_batch_items, "heartbeats")
    except TooManyItems:
        record_events(SOURCE, refused=len(items))
        raise
    results = _receive(plugin, db, settings, items)
    return IngestAnswer(status_code=201, content={"responses": [[body, status] for body, status in results]})


@router.post(
    "/users/current/heartbeats.bulk",
    status_code=201,
    summary="Store heartbeats; one [body, status] per item, in order",
    response_model=HeartbeatsAnswer,
    responses=documented(401, 413, 422, 503),
    openapi_extra=HEARTBEATS_BODY,
)
def heartbeats_bulk(
    plugin: SendingPlugin, db: DbDep, settings: SettingsDep, payload: Annotated[Any, Body()]
) -> IngestAnswer:
    return _bulk(plugin, db, settings, payload if isinstance(payload, list) else [payload])


@router.post(
    "/users/current/heartbeats",
    status_code=201,
    summary="Store one heartbeat ({data} or 400 {error}), or an array (answered as heartbeats.bulk)",
    response_model=HeartbeatStored | HeartbeatsAnswer,
    responses={400: {"model": HeartbeatRefused, "description": "This heartbeat can never be stored"}}
    | documented(401, 413, 422, 503),
    openapi_extra=HEARTBEATS_BODY,
)
def heartbeats(
    plugin: SendingPlugin, db: DbDep, settings: SettingsDep, payload: Annotated[Any, Body()]
) -> IngestAnswer:
    if isinstance(payload, list):
        return _bulk(plugin, db, settings, payload)
    [(body, status)] = _receive(plugin, db, settings, [payload])
    return IngestAnswer(status_code=status, content=body)


@router.get(
    "/users/current/statusbar/today",
    summary="Today's coding time, as plugins show it in the status bar",
    response_model=StatusbarToday,
    responses=documented(401, 422, 503),
)
def statusbar_today(plugin: SendingPlugin, db: DbDep) -> dict[str, Any]:
    return wire.statusbar_today(coding_time.today(db, Principal(user_id=plugin.owner_id)))

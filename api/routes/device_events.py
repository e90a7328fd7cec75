"""NFC reader ingest (seed 002): one event, or a JSON array replayed after being offline.

The reader authenticates first (X-Device-Id + Authorization: Bearer <device key>); only
then are the payload rules applied, so nobody learns them without a key. (The body is still
read as JSON before that: one that is not JSON at all, or not an object/array, gets 422 from
anyone, which says nothing about the payload.)
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from api.deps import DbDep, SettingsDep
from api.errors import error_body, invalid_payload_response, validation_details
from timetracker.errors import Forbidden, Unauthorized
from timetracker.nfc import ingest
from timetracker.nfc.payload import DeviceEvent

router = APIRouter(prefix="/api/webhook", tags=["device ingest"])

DEVICE_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong X-Device-Id / device key"},
    403: {"description": "Device revoked, or body device_id differs from X-Device-Id"},
    413: {"description": "Body too large (or too many items)"},
    422: {"description": "Invalid payload; `details` names each bad field"},
    503: {"description": "Database unavailable; nothing was stored"},
}
MISMATCH = "device_id in the body does not match the X-Device-Id header"


def authenticated_device(
    db: DbDep,
    x_device_id: Annotated[str | None, Header(description="The reader's device id, e.g. NFC_ABC123")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <device key>")] = None,
) -> ingest.DeviceIdentity:
    scheme, _, key = (authorization or "").partition(" ")
    if not x_device_id or scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("send X-Device-Id and Authorization: Bearer <device key>")
    return ingest.authenticate_device(db, x_device_id.strip(), key.strip())


AuthenticatedDevice = Annotated[ingest.DeviceIdentity, Depends(authenticated_device)]


@router.post(
    "/device-event",
    summary="Store one reader event",
    status_code=201,
    responses={200: {"description": "Duplicate: already stored, nothing changed"}, **DEVICE_AUTH_RESPONSES},
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": DeviceEvent.model_json_schema()}}}
    },
)
def device_event(device: AuthenticatedDevice, db: DbDep, payload: Annotated[dict[str, Any], Body()]) -> JSONResponse:
    try:
        event = DeviceEvent.model_validate(payload)
    except ValidationError as exc:
        return invalid_payload_response(exc)
    if event.device_id != device.device_id:
        raise Forbidden(MISMATCH)
    [status] = ingest.store_events(db, device, [(event, payload)])
    return JSONResponse(
        status_code=201 if status == "created" else 200,
        content={
            "status": status,
            "device_id": event.device_id,
            "event_type": event.event_type,
            "tag_id": event.tag_id,
            "timestamp": event.timestamp.isoformat(),
        },
    )


@router.post(
    "/device-events",
    summary="Store a batch of reader events (offline replay); answers per item",
    responses=DEVICE_AUTH_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "array", "items": DeviceEvent.model_json_schema()}}},
        }
    },
)
def device_events(
    device: AuthenticatedDevice, db: DbDep, settings: SettingsDep, payload: Annotated[list[Any], Body()]
) -> JSONResponse:
    if len(payload) > settings.max_batch_items:
        return JSONResponse(
            status_code=413,
            content=error_body("too_many_items", f"At most {settings.max_batch_items} events per batch; split it"),
        )
    results: list[dict[str, Any]] = [{"index": i} for i in range(len(payload))]
    accepted: list[tuple[int, DeviceEvent, dict[str, Any]]] = []
    for index, item in enumerate(payload):
        try:
            event = DeviceEvent.model_validate(item)
        except ValidationError as exc:
            results[index].update(status="invalid", errors=validation_details(exc.errors()))
            continue
        if event.device_id != device.device_id:
            results[index].update(status="rejected", errors=[{"field": "device_id", "message": MISMATCH}])
            continue
        accepted.append((index, event, item))

    statuses = ingest.store_events(db, device, [(event, raw) for _, event, raw in accepted])
    for (index, _, _), status in zip(accepted, statuses, strict=True):
        results[index]["status"] = status
    counts = {
        key: sum(1 for r in results if r["status"] == key) for key in ("created", "duplicate", "invalid", "rejected")
    }
    return JSONResponse(status_code=200, content={**counts, "results": results})

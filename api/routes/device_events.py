"""NFC reader ingest: one event, or a JSON array replayed after being offline.

The reader authenticates first (X-Device-Id + Authorization: Bearer <device key>); only
then are the payload rules applied, so nobody learns them without a key. (The body is still
read as JSON before that: one that is not JSON at all, or not an object/array, gets 422 from
anyone, which says nothing about the payload.)

Every refusal that names a registered device is kept for its owner (timetracker.nfc.attempts):
the reader cannot show why it was refused, the Webhook test page can.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.deps import DbDep, SettingsDep
from api.errors import error_body, invalid_payload_response, validation_details
from api.metrics import record_events
from timetracker import paths
from timetracker.db import Database, DatabaseUnavailable
from timetracker.errors import Forbidden, Unauthorized
from timetracker.nfc import attempts, ingest
from timetracker.nfc.payload import DeviceEvent

DEVICE_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong X-Device-Id / device key"},
    403: {"description": "Device revoked, or body device_id differs from X-Device-Id"},
    413: {"description": "Body too large (or too many items)"},
    422: {"description": "Invalid payload; `details` names each bad field"},
    503: {"description": "Database unavailable; nothing was stored"},
}
MISMATCH = "device_id in the body does not match the X-Device-Id header"
NO_KEY = "no Authorization: Bearer <device key> header was sent"
WRONG_KEY = "the device key is wrong (rotated since the firmware got it, or mistyped)"
REVOKED = "the device is revoked"


def checked_device(
    db: Database, x_device_id: str | None, authorization: str | None, answer: int | None = None
) -> ingest.DeviceIdentity:
    """The reader the headers prove, or Unauthorized/Forbidden, each refusal kept for the
    owner of the device named. `answer`: the status the request gets when it is not this
    check's (a body that is not JSON is refused before the key is looked at)."""
    device_id = (x_device_id or "").strip()
    scheme, _, key = (authorization or "").partition(" ")
    if not device_id or scheme.lower() != "bearer" or not key.strip():
        if device_id:
            attempts.record(db, device_id, attempts.Attempt(answer or 401, "bad_key", NO_KEY))
        raise Unauthorized("send X-Device-Id and Authorization: Bearer <device key>")
    try:
        return ingest.authenticate_device(db, device_id, key.strip())
    except Unauthorized:
        # The owner sees "wrong key"; the sender still cannot tell it from "no such device".
        attempts.record(db, device_id, attempts.Attempt(answer or 401, "bad_key", WRONG_KEY))
        raise
    except Forbidden:
        attempts.record(db, device_id, attempts.Attempt(answer or 403, "revoked", REVOKED))
        raise


def authenticated_device(
    db: DbDep,
    x_device_id: Annotated[str | None, Header(description="The reader's device id, e.g. NFC_ABC123")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <device key>")] = None,
) -> ingest.DeviceIdentity:
    return checked_device(db, x_device_id, authorization)


AuthenticatedDevice = Annotated[ingest.DeviceIdentity, Depends(authenticated_device)]


def _keep_unreadable_body(request: Request, exc: RequestValidationError) -> None:
    """A body FastAPI refused (not JSON, or not an object/array) is answered 422 before the
    route runs: keep it for the owner too, once the headers prove the reader (or say why not)."""
    db: Database = request.app.state.runtime.db
    try:
        device = checked_device(db, request.headers.get("x-device-id"), request.headers.get("authorization"), 422)
    except (Unauthorized, Forbidden):
        return  # kept as such above
    except DatabaseUnavailable:
        return  # the reader still gets its 422, not a 503 for something it did not ask for
    details = attempts.details_of({"field": attempts.BODY, "message": e.get("msg", "invalid")} for e in exc.errors())
    message = "the body is not " + ("a JSON array" if request.url.path == paths.DEVICE_EVENTS else "a JSON object")
    attempts.record(db, device.device_id, attempts.Attempt(422, "invalid_payload", message, details))


class KeptRefusalsRoute(APIRoute):
    """Also keeps the refusals FastAPI answers before the route runs (see _keep_unreadable_body)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def keeping(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                await run_in_threadpool(_keep_unreadable_body, request, exc)
                raise

        return keeping


SOURCE = "nfc"  # the metrics' name for readers

router = APIRouter(tags=["device ingest"], route_class=KeptRefusalsRoute)


@router.post(
    paths.DEVICE_EVENT,
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
        details = attempts.details_of(validation_details(exc.errors()))
        message = f"invalid fields: {attempts.fields_named(details)}"
        attempts.record(db, device.device_id, attempts.Attempt(422, "invalid_payload", message, details))
        record_events(SOURCE, refused=1)
        return invalid_payload_response(exc)
    if event.device_id != device.device_id:
        attempts.record(db, device.device_id, attempts.Attempt(403, "device_id_mismatch", MISMATCH))
        record_events(SOURCE, refused=1)
        raise Forbidden(MISMATCH)
    [status] = _store(db, device, [(event, payload)])
    record_events(SOURCE, ingested=1)
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
    paths.DEVICE_EVENTS,
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
        message = f"At most {settings.max_batch_items} events per batch; split it"
        attempts.record(
            db, device.device_id, attempts.Attempt(413, "too_many_items", message, items=len(payload), refused=0)
        )
        record_events(SOURCE, refused=len(payload))
        return JSONResponse(status_code=413, content=error_body("too_many_items", message))
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

    statuses = _store(db, device, [(event, raw) for _, event, raw in accepted])
    for (index, _, _), status in zip(accepted, statuses, strict=True):
        results[index]["status"] = status
    counts = {
        key: sum(1 for r in results if r["status"] == key) for key in ("created", "duplicate", "invalid", "rejected")
    }
    if counts["invalid"] or counts["rejected"]:
        attempts.record(db, device.device_id, _refused_items(results, counts))
    record_events(
        SOURCE, ingested=counts["created"] + counts["duplicate"], refused=counts["invalid"] + counts["rejected"]
    )
    return JSONResponse(status_code=200, content={**counts, "results": results})


def _store(
    db: Database, device: ingest.DeviceIdentity, events: list[tuple[DeviceEvent, dict[str, Any]]]
) -> list[ingest.ItemStatus]:
    try:
        return ingest.store_events(db, device, events)
    except Forbidden:  # revoked between the key check and the insert
        attempts.record(db, device.device_id, attempts.Attempt(403, "revoked", REVOKED))
        raise


def _refused_items(results: list[dict[str, Any]], counts: dict[str, int]) -> attempts.Attempt:
    """One kept attempt for a batch whose items were partly refused (the answer is still 200:
    the good ones were stored), naming the fields of the first few refused items."""
    refused = [r for r in results if r["status"] in ("invalid", "rejected")]
    details = [d for r in refused for d in attempts.details_of(r["errors"], r["index"])]
    fields = attempts.fields_named(details)
    reason: attempts.Reason = "invalid_payload" if counts["invalid"] else "device_id_mismatch"
    message = f"{len(refused)} of {len(results)} events refused: {fields}"
    return attempts.Attempt(200, reason, message, details[: attempts.MAX_DETAILS], len(results), len(refused))

"""NFC reader ingest: one event, or a JSON array replayed after being offline.

The reader authenticates first (X-Device-Id + Authorization: Bearer <device key>, checked
first thing in the route, in the thread that then stores the event, or recalled from this
worker's memory of an earlier check and confirmed by the event's write); only then are the
payload rules applied, so nobody learns them without a key.
(The body is still read as JSON before that: one that is not JSON at all, or not an
object/array, gets 422 from anyone, which says nothing about the payload.) The work, and
keeping every refusal for the device's owner, is `timetracker.nfc.ingest`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from api.deps import READER_HEADERS, DbDep, SettingsDep, device_credentials
from api.errors import documented
from api.metrics import record_events
from api.responses import IngestAnswer
from api.schemas import DeviceBatchAnswer, StoredDeviceEvent
from timetracker import paths
from timetracker.db import Database, DatabaseUnavailable
from timetracker.db.loop_pool import LoopDatabase
from timetracker.errors import DomainError, Forbidden, Unauthorized
from timetracker.ingest.items import REFUSED, STORED
from timetracker.nfc import attempts, ingest
from timetracker.nfc.identity import DeviceCredentials
from timetracker.nfc.payload import DeviceEvent
from timetracker.reports.nfc_time import SOURCE
from timetracker.runtime import Runtime

DEVICE_RESPONSES = documented(401, 403, 413, 422, 503)


def _keep_unreadable_body(request: Request, exc: RequestValidationError) -> None:
    """A body FastAPI refused (not JSON, or not an object/array) is answered 422 before the
    route runs: keep it for the owner too, once the headers prove the reader (or say why not)."""
    db: Database = request.app.state.runtime.db
    try:
        device = ingest.checked_device(db, device_credentials(request), 422)
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


router = APIRouter(tags=["device ingest"], route_class=KeptRefusalsRoute)

# The body as any JSON, its shape checked in the route once the key is (`_shaped`). Declared as
# an object or an array, FastAPI would refuse the other before the route runs, so before the
# key: and the key is checked in the route, in the one thread hop that also stores the event.
AnyJson = Annotated[Any, Body()]
Shape = TypeVar("Shape")
AN_OBJECT: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])
AN_ARRAY: TypeAdapter[list[Any]] = TypeAdapter(list[Any])


def _shaped(shape: TypeAdapter[Shape], payload: Any) -> Shape:
    """The body if it has the route's shape, or the 422 FastAPI answers for a body declared so
    (which KeptRefusalsRoute keeps for the owner, as one refused before the route)."""
    try:
        return shape.validate_python(payload, strict=True)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None


def _documented(body_schema: dict[str, Any]) -> dict[str, Any]:
    # The body is read as plain JSON (so a refused item is answered in its slot, and kept
    # for the owner), and the headers from the request; the docs still show what a reader sends.
    body = {"required": True, "content": {"application/json": {"schema": body_schema}}}
    return {"parameters": READER_HEADERS, "requestBody": body}


@router.post(
    paths.DEVICE_EVENT,
    summary="Store one reader event",
    status_code=201,
    response_model=StoredDeviceEvent,
    responses={
        200: {"model": StoredDeviceEvent, "description": "Duplicate: already stored, nothing changed"},
        **DEVICE_RESPONSES,
    },
    openapi_extra=_documented(DeviceEvent.model_json_schema()),
)
async def device_event(request: Request, payload: AnyJson = None) -> IngestAnswer:
    # The hottest route takes no dependencies: what it needs is on the request and the app's
    # state (see device_credentials).
    runtime: Runtime = request.app.state.runtime
    loop_db: LoopDatabase = request.app.state.loop_db
    presented = device_credentials(request)
    # A reader this worker knows, sending a good event: stored from the event loop. Anything
    # else (a first event, a refusal) takes the checked path, in a thread.
    stored = await ingest.store_recalled(loop_db, runtime.reader_keys, presented, payload)
    if stored is None:
        stored = await run_in_threadpool(_checked_and_stored, runtime, presented, payload)
    event, status = stored
    record_events(SOURCE, ingested=1)
    answer = StoredDeviceEvent(
        status=status,
        device_id=event.device_id,
        event_type=event.event_type,
        tag_id=event.tag_id,
        timestamp=event.timestamp.isoformat(),
    )
    return IngestAnswer(status_code=201 if status == "created" else 200, content=answer.model_dump())


def _checked_and_stored(runtime: Runtime, presented: DeviceCredentials, payload: Any) -> ingest.Stored:
    db = runtime.db
    device = ingest.checked_device(db, presented, memory=runtime.reader_keys)
    item = _shaped(AN_OBJECT, payload)
    try:
        return ingest.receive_one(db, device, item)
    except DomainError:
        record_events(SOURCE, refused=1)
        raise


@router.post(
    paths.DEVICE_EVENTS,
    summary="Store a batch of reader events (offline replay); answers per item",
    response_model=DeviceBatchAnswer,
    responses=DEVICE_RESPONSES,
    openapi_extra=_documented({"type": "array", "items": DeviceEvent.model_json_schema()}),
)
def device_events(request: Request, db: DbDep, settings: SettingsDep, payload: AnyJson = None) -> IngestAnswer:
    device = ingest.checked_device(db, device_credentials(request))
    items = _shaped(AN_ARRAY, payload)
    try:
        batch = ingest.receive_batch(db, device, items, settings.max_batch_items)
    except DomainError:
        record_events(SOURCE, refused=len(items))
        raise
    counts = batch.counts()
    record_events(SOURCE, ingested=sum(counts[s] for s in STORED), refused=sum(counts[s] for s in REFUSED))
    # Built by the core in the declared shape; returned as is, so a 500-item answer is not
    # validated again on its way out.
    return IngestAnswer(status_code=200, content=batch.answer())

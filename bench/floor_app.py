"""The floor under the single-event figures: uvicorn answering at once, bare and with FastAPI.

    python -m uvicorn bench.floor_app:bare        # an ASGI app: reads the body, answers 201 to a POST
    python -m uvicorn bench.floor_app:framework   # FastAPI, one sync route declared as the reader's

Served with the API's workers and loaded by the same client on the same cores, they show
what this machine, uvicorn and FastAPI can answer at all, with no auth and no database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse

from timetracker import paths

ANSWER = b'{"status":"created"}'
HEALTH = "/api/health"  # where running_process waits for a 200, as on the API
Message = MutableMapping[str, Any]


async def bare(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] != "http":
        return  # lifespan: nothing to start
    while (await receive()).get("more_body"):
        pass
    status = 201 if scope["method"] == "POST" else 200
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": ANSWER})


framework = FastAPI()


@framework.get(HEALTH)
def health() -> dict[str, str]:
    return {"status": "ok"}


@framework.post(paths.DEVICE_EVENT, status_code=201)
def device_event(payload: Annotated[dict[str, Any], Body()]) -> JSONResponse:
    return JSONResponse(status_code=201, content={"status": "created"})

"""GET /metrics for Prometheus, behind METRICS_TOKEN.

A bearer token rather than a second port: one port is what the container publishes and what
a load balancer checks, and the token keeps /metrics shut even if that port is reachable.
Without METRICS_TOKEN the operation answers 404, as if it did not exist (the HTTPS proxy
never forwards /metrics either).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Response

from api.deps import LoopDbDep, RuntimeDep
from api.metrics import exposition, observe_pools
from timetracker import credentials
from timetracker.errors import NotFound, Unauthorized

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    summary="Prometheus metrics (Authorization: Bearer <METRICS_TOKEN>)",
    response_class=Response,
    responses={200: {"description": "Prometheus text format", "content": {"text/plain": {}}}},
)
def metrics(
    runtime: RuntimeDep,
    loop_db: LoopDbDep,
    authorization: Annotated[str | None, Header(description="Bearer <METRICS_TOKEN>")] = None,
) -> Response:
    expected = runtime.settings.metrics_token.get_secret_value()
    if not expected:
        raise NotFound("Not Found")
    token = credentials.presented(authorization) or ""
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("send Authorization: Bearer <METRICS_TOKEN>")
    observe_pools(runtime.db.pool, loop_db.pool)
    body, content_type = exposition()
    return Response(content=body, media_type=content_type)

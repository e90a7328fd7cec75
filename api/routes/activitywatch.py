"""ActivityWatch: the webhook (our headers, ActivityWatch's own event JSON), the team
summary for admins, and the developer ids of a team (link, claim). Logic lives in
timetracker.activitywatch; this only wires HTTP to it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import CurrentUser, DbDep, RuntimeDep
from api.errors import error_body
from api.metrics import record_events
from api.schemas import ActivityWatchTeamSummary, Developer, DeveloperActivity, TeamActivity
from timetracker import paths, profiles
from timetracker.activitywatch import batch, ingest, team
from timetracker.activitywatch.payload import BucketEvents
from timetracker.errors import Unauthorized
from timetracker.reports.timeline import local_day_window

router = APIRouter(prefix=paths.ACTIVITYWATCH, tags=["activitywatch"])
# Under the router's prefix.
WEBHOOK = paths.ACTIVITYWATCH_WEBHOOK.removeprefix(paths.ACTIVITYWATCH)


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The model's schema with its "#/$defs/..." references replaced by the definitions.

    In the OpenAPI document those references point at its root, where no $defs exist, so
    clients and fuzzers could not read the bucket's fields.
    """
    defs = schema.pop("$defs", {})

    def resolved(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolved(defs[ref.removeprefix("#/$defs/")])
            return {key: resolved(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolved(item) for item in node]
        return node

    return resolved(schema)


WEBHOOK_BODY_SCHEMA = {
    "oneOf": [
        _inlined(BucketEvents.model_json_schema()),
        {"type": "array", "items": _inlined(BucketEvents.model_json_schema())},
    ]
}


@router.post(
    WEBHOOK,
    summary="Store ActivityWatch events (one bucket or a list); answers per event",
    responses={
        200: {"description": "Every event stored (created, updated or a duplicate)"},
        207: {"description": "Some events refused (`invalid` > 0), the others stored; the body says which"},
        401: {"description": "Missing or wrong credentials"},
        413: {"description": "More events than the batch cap"},
        422: {"description": "Every event refused (or the body is not a bucket or a list); nothing stored"},
        503: {"description": "Database unavailable; nothing was stored"},
    },
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": WEBHOOK_BODY_SCHEMA}}}},
)
def webhook(
    runtime: RuntimeDep,
    payload: Annotated[Any, Body()],
    developer_id: Annotated[str | None, Header(alias="Developer-ID", description="With a developer token")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <developer token or API token>")] = None,
) -> JSONResponse:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <developer token or personal API token>")
    settings = runtime.settings
    sender = ingest.authenticate(
        runtime.authenticator, runtime.token_keys, (developer_id or "").strip() or None, token.strip()
    )
    if not isinstance(payload, dict | list):
        return JSONResponse(status_code=422, content=error_body("invalid_payload", "send a bucket object or a list"))
    if (count := batch.count_events(payload)) > settings.activitywatch_max_batch_items:
        message = f"At most {settings.activitywatch_max_batch_items} events per request; split the batch"
        record_events("activitywatch", refused=count)
        return JSONResponse(status_code=413, content=error_body("too_many_items", message))
    received = batch.read(payload)
    received.record(ingest.store(runtime.db, sender, received.rows))
    summary = received.summary()
    record_events(
        "activitywatch", ingested=sum(summary[status] for status in batch.ACCEPTED), refused=summary["invalid"]
    )
    return JSONResponse(status_code=received.status_code(), content=summary)


@router.get(
    "/team-summary",
    response_model=ActivityWatchTeamSummary,
    summary="Team admins: every developer that sent data, active time, top apps",
    description=(
        "Active time is not-AFK time in your timezone, overlapping hosts counted once; `null` when a developer"
        " sends no AFK data. Covers `day` (default today) and its week up to that day's end."
    ),
)
def team_summary(
    user: CurrentUser,
    db: DbDep,
    team_id: Annotated[UUID | None, Query(description="One team; default: every team you administer")] = None,
    day: Annotated[date | None, Query(description="The local day that counts as today (default: today)")] = None,
) -> ActivityWatchTeamSummary:
    tz = profiles.timezone_of(db, user)
    now = datetime.now(UTC)
    until = now if day is None else min(now, local_day_window(day, day, tz)[1])
    team_ids = [team_id] if team_id else team.admin_team_ids(db, user)
    return ActivityWatchTeamSummary(
        timezone=str(tz),
        teams=[
            TeamActivity(
                team_id=tid,
                developers=[DeveloperActivity(**row) for row in team.summary(db, user, tid, tz, at=until)],
            )
            for tid in team_ids
        ],
    )


class Link(BaseModel):
    user_id: UUID | None


@router.get(
    "/teams/{team_id}/developers",
    response_model=list[Developer],
    summary="Developer ids of a team you administer (or yours)",
)
def list_developers(team_id: UUID, user: CurrentUser, db: DbDep) -> list[Developer]:
    return [Developer(**row) for row in team.developers(db, user, team_id)]


@router.put("/teams/{team_id}/developers/{developer_id}/link", status_code=204, summary="Admins: link to a member")
def link_developer(team_id: UUID, developer_id: str, body: Link, user: CurrentUser, db: DbDep) -> None:
    team.link(db, user, team_id, developer_id, body.user_id)


@router.post("/teams/{team_id}/developers/{developer_id}/claim", status_code=204, summary="Claim your own id")
def claim_developer(team_id: UUID, developer_id: str, user: CurrentUser, db: DbDep) -> None:
    team.claim(db, user, team_id, developer_id)

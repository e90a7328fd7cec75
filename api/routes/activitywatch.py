"""ActivityWatch: the webhook (our headers, ActivityWatch's own event JSON), the team
summary for admins, and the developer ids of a team (link, claim). Logic lives in
timetracker.activitywatch; this only wires HTTP to it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel

from api.deps import ActivityWatchSender, CurrentUser, DbDep, RuntimeDep
from api.errors import documented
from api.metrics import record_events
from api.responses import IngestAnswer
from api.schemas import ActivityWatchAnswer, ActivityWatchTeamSummary, Developer, DeveloperActivity, TeamActivity
from timetracker import paths, profiles
from timetracker.activitywatch import batch, ingest, team
from timetracker.activitywatch.payload import BucketEvents
from timetracker.errors import InvalidInput, TooManyItems
from timetracker.ingest.items import STORED, check_cap
from timetracker.reports.activitywatch_time import SOURCE
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
    response_model=ActivityWatchAnswer,
    responses={
        200: {"description": "Every event stored (created, updated or a duplicate)"},
        207: {
            "model": ActivityWatchAnswer,
            "description": "Some events refused (`invalid` > 0), the others stored; the body says which",
        },
        **documented(401, 413),
        422: {
            "model": ActivityWatchAnswer,
            "description": "Every event refused, nothing stored (a body that is not a bucket or a list: an error"
            " body, `invalid_payload`)",
        },
        **documented(503),
    },
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": WEBHOOK_BODY_SCHEMA}}}},
)
def webhook(sender: ActivityWatchSender, runtime: RuntimeDep, payload: Annotated[Any, Body()]) -> IngestAnswer:
    if not isinstance(payload, dict | list):
        raise InvalidInput("send a bucket object or a list", code="invalid_payload")
    count = batch.count_events(payload)
    try:
        check_cap(count, runtime.settings.activitywatch_max_batch_items, "events")
    except TooManyItems:
        record_events(SOURCE, refused=count)
        raise
    received = batch.Received()
    # Validated as it is stored: the database writes the first events while the rest are read.
    received.record(ingest.store(runtime.db, sender, batch.each_row(payload, received)))
    counts = received.counts()
    record_events(SOURCE, ingested=sum(counts[s] for s in STORED), refused=counts["invalid"])
    # Built in the declared shape; returned as is, so a large answer is not validated again.
    return IngestAnswer(status_code=received.status_code(), content=received.summary())


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

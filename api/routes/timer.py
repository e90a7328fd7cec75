"""The timer widget's API: events in, sessions and summaries out.

Thin: the state machine and its storage live in `timetracker.timer`. Events are limited per
bearer token (429 + Retry-After) once it is verified, before the event is applied.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import AfterValidator, BaseModel, Field

from api.deps import CurrentUser, DbDep, SettingsDep, bearer_scheme
from api.metrics import record_events
from api.schemas import DailySummary, SessionSummary, TimerAnswer
from timetracker import credentials, profiles
from timetracker.auth.principal import Principal
from timetracker.errors import RateLimited
from timetracker.ratelimit import RateLimit
from timetracker.storable import NoNul, StorableDatetime
from timetracker.timer import store, summaries
from timetracker.timer.machine import MAX_TARGET_MINUTES, MIN_TARGET_MINUTES, EventType

router = APIRouter(prefix="/api/v1/timer", tags=["timer widget"])


def not_too_early(timestamp: datetime) -> datetime:
    """A broken clock's year 1 or 1970, refused while validating so the 422 names the field."""
    if timestamp < store.EARLIEST_EVENT:
        raise ValueError(store.TOO_EARLY)
    return timestamp


class TimerEventIn(BaseModel):
    type: EventType
    timestamp: Annotated[StorableDatetime, AfterValidator(not_too_early)] = Field(
        description=f"When the button was pressed, ISO 8601 with a zone, from {store.EARLIEST_EVENT.date()}"
    )
    event_id: Annotated[str, Field(min_length=1, max_length=100), NoNul] | None = Field(
        default=None,
        description="The client's id for this event: a retry with the same id gets the first answer",
    )


class TargetIn(BaseModel):
    target_pace_minutes: float = Field(ge=MIN_TARGET_MINUTES, le=MAX_TARGET_MINUTES, examples=[5.5])


class SessionChange(BaseModel):
    project_id: UUID | None = Field(description="A project you can see (not archived), or null for none")


async def _event_limit(request: Request, settings: SettingsDep, db: DbDep) -> RateLimit:
    """One limiter per app, made on first use; the counts live in the database, shared by
    every process (an app with other settings counts against the same rows with its own limit).
    `async`: it does no I/O, and on the event loop no two requests make one at once."""
    if not hasattr(request.app.state, "timer_event_limit"):
        request.app.state.timer_event_limit = RateLimit(
            db,
            "timer-events",
            settings.timer_events_per_window,
            settings.timer_rate_window_seconds,
            settings.master_secret.get_secret_value(),
        )
    return request.app.state.timer_event_limit


def rate_limit_key(principal: Principal, token: str) -> str:
    """Whose allowance an event uses. A personal API token (what the widget sends) has its own,
    keyed by its digest so the plaintext is not kept. A Supabase access token is replaced on
    every refresh, so those count as the person's: a refresh is no fresh allowance."""
    if principal.via == "api_token":
        return f"api_token:{credentials.digest(token)}"
    return f"person:{principal.user_id}"


def limited_per_token(
    user: CurrentUser,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    limit: Annotated[RateLimit, Depends(_event_limit)],
) -> None:
    # After authentication: the raw header is no key ("bearer x" and "Bearer x" are one token,
    # accepted alike), and only a verified credential may spend an allowance.
    token = bearer.credentials if bearer else ""  # CurrentUser has refused a request without one
    wait = limit.acquire(rate_limit_key(user, token))
    if wait:
        raise RateLimited(f"Too many timer events; retry in {wait} s", wait)


@router.post(
    "/events",
    dependencies=[Depends(limited_per_token)],
    summary="Apply one NEXT / PAUSE / UNDO / EXIT event",
    response_model=TimerAnswer,
)
def post_event(body: TimerEventIn, user: CurrentUser, db: DbDep, settings: SettingsDep) -> dict[str, Any]:
    event = store.TimerEvent(type=body.type, timestamp=body.timestamp, event_id=body.event_id)
    answer = store.apply_event(db, user, event, settings.timer_target_pace_minutes)
    # Refused presses (out of order, too many) show as their 409/429 in the request counts.
    record_events("timer", ingested=1)
    return answer


@router.get("/sessions/recent", summary="Your latest sessions with their stats", response_model=list[SessionSummary])
def recent(user: CurrentUser, db: DbDep, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[dict[str, Any]]:
    return summaries.recent_sessions(db, user, limit)


@router.get(
    "/sessions/{session_id}/summary",
    summary="Per-question pace, totals and averages of one session",
    response_model=SessionSummary,
)
def summary(session_id: UUID, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return summaries.session_summary(db, user, session_id)


@router.put(
    "/sessions/{session_id}/target",
    summary="Set the session's target minutes per question",
    response_model=SessionSummary,
)
def set_target(session_id: UUID, body: TargetIn, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return summaries.set_target(db, user, session_id, body.target_pace_minutes)


@router.patch("/sessions/{session_id}", summary="Give the session's time to a project", response_model=SessionSummary)
def change_session(session_id: UUID, body: SessionChange, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return summaries.set_project(db, user, session_id, body.project_id)


@router.delete("/sessions/{session_id}", status_code=204, summary="Delete a session and its questions")
def delete_session(session_id: UUID, user: CurrentUser, db: DbDep) -> None:
    summaries.delete_session(db, user, session_id)


@router.delete("/sessions/{session_id}/questions/{index}", status_code=204, summary="Delete one question of a session")
def delete_question(session_id: UUID, index: int, user: CurrentUser, db: DbDep) -> None:
    summaries.delete_question(db, user, session_id, index)


@router.get(
    "/daily", summary="One local day: per-session stats, weighted pace, 24 hourly buckets", response_model=DailySummary
)
def daily(
    user: CurrentUser,
    db: DbDep,
    day: Annotated[date | None, Query(description="A day in your profile's timezone (default: today)")] = None,
) -> dict[str, Any]:
    tz = profiles.timezone_of(db, user)
    return summaries.daily_summary(db, user, day or datetime.now(tz).date(), tz)

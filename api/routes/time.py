from datetime import date, datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import CurrentUser, DbDep
from api.schemas import LabelTotal, TimePiece, TimeReport
from timetracker import profiles
from timetracker.errors import InvalidInput
from timetracker.reports import timeline
from timetracker.reports.sources import SOURCES

router = APIRouter(prefix="/api/v1/time", tags=["time"])
MAX_RANGE_DAYS = 366


@router.get("", response_model=TimeReport, summary="Time from every source per local day (the data behind “My time”)")
def get_time(
    user: CurrentUser,
    db: DbDep,
    start: Annotated[date | None, Query(description="First local day (default: Monday this week)")] = None,
    end: Annotated[date | None, Query(description="Last local day, inclusive (default: today)")] = None,
    user_id: Annotated[UUID | None, Query(description="A team member's id (team owners and admins)")] = None,
) -> TimeReport:
    tz = profiles.timezone_of(db, user)
    today = datetime.now(tz).date()
    end = end or today
    start = start or (end - timedelta(days=end.weekday()))
    if start > end or (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInput(f"start must be on or before end, at most {MAX_RANGE_DAYS} days apart")
    pieces = timeline.time_pieces(db, user, start, end, tz, SOURCES, owner_id=user_id)
    return TimeReport(
        user_id=user_id or user.user_id,
        timezone=tz.key,
        start=start,
        end=end,
        intervals=[TimePiece(**row) for row in pieces.to_dict("records")],
        totals=[LabelTotal(**row) for row in timeline.totals_by_label(pieces).to_dict("records")],
    )

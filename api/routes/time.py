from datetime import date, datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import CurrentUser, DbDep
from api.schemas import LabelTotal, TimePiece, TimeReport
from timetracker import profiles
from timetracker.errors import InvalidInput
from timetracker.reports import nfc_time

router = APIRouter(prefix="/api/v1/time", tags=["time"])
MAX_RANGE_DAYS = 366


@router.get("", response_model=TimeReport, summary="NFC time per local day (the data behind “My time”)")
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
    days = nfc_time.nfc_time(db, user, start, end, tz, owner_id=user_id)
    return TimeReport(
        user_id=user_id or user.user_id,
        timezone=tz.key,
        start=start,
        end=end,
        intervals=[TimePiece(**row) for row in days.to_dict("records")],
        totals=[LabelTotal(**row) for row in nfc_time.totals_by_label(days).to_dict("records")],
    )

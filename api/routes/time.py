from datetime import date, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from api.deps import CurrentUser, DbDep
from api.schemas import DayTime, LabelTotal, Segment, TimePiece, TimeReport
from timetracker import profiles
from timetracker.errors import InvalidInput
from timetracker.reports import person_time

router = APIRouter(prefix="/api/v1/time", tags=["time"])
MAX_RANGE_DAYS = 366


# The range of local days every time report takes.
FirstDay = Annotated[date | None, Query(description="First local day (default: Monday this week)")]
LastDay = Annotated[date | None, Query(description="Last local day, inclusive (default: today)")]


def viewer_days(db: DbDep, user: CurrentUser, start: date | None, end: date | None) -> tuple[ZoneInfo, date, date]:
    """The viewer's timezone and the local days asked for (see checked_range)."""
    tz = profiles.timezone_of(db, user)
    first_day, last_day = checked_range(start, end, datetime.now(tz).date())
    return tz, first_day, last_day


def checked_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The local days asked for: by default Monday this week to today."""
    end = end or today
    start = start or (end - timedelta(days=end.weekday()))
    if start > end or (end - start).days >= MAX_RANGE_DAYS:
        raise InvalidInput(f"start must be on or before end, at most {MAX_RANGE_DAYS} days apart")
    return start, end


def day_times(time: person_time.PersonTime) -> list[DayTime]:
    return [
        DayTime(
            day=d.day,
            tracked_seconds=d.tracked_seconds,
            by_source=d.by_source,
            edited=d.edited,
            corrected_seconds=d.corrected_seconds,
        )
        for d in time.days
    ]


def label_totals(rows: list[tuple[str, str, float]]) -> list[LabelTotal]:
    return [LabelTotal(source=source, label=label, seconds=seconds) for source, label, seconds in rows]


@router.get("", response_model=TimeReport, summary="Time per local day, counted once (the data behind “My time”)")
def get_time(
    user: CurrentUser,
    db: DbDep,
    start: FirstDay = None,
    end: LastDay = None,
    user_id: Annotated[UUID | None, Query(description="A team member's id (team owners and admins)")] = None,
    include: Annotated[
        list[Literal["intervals"]] | None,
        Query(description="intervals: also each source's raw pieces per day (many for a long range)"),
    ] = None,
) -> TimeReport:
    tz, start, end = viewer_days(db, user, start, end)
    with_pieces = "intervals" in (include or [])
    report = person_time.read(db, user, start, end, tz, owner_id=user_id, with_pieces=with_pieces)
    return TimeReport(
        user_id=report.owner_id,
        timezone=tz.key,
        start=start,
        end=end,
        tracked_seconds=report.tracked_seconds,
        days=day_times(report),
        segments=[
            Segment(
                start=s.start,
                end=s.end,
                source=s.source,
                label=s.label,
                seconds=s.seconds,
                project=report.naming.name(s.project),
                project_id=s.project or None,
            )
            for s in report.segments
        ],
        totals=label_totals(report.label_totals()),
        intervals=[TimePiece(**row) for row in report.pieces().to_dict("records")] if with_pieces else None,
    )

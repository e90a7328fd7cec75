"""Totals of a range grouped by project, day, member or source: the summary report.

Every figure is a sum of counted-once segments (person_time), so the groups add up to the
tracked seconds exactly, unassigned time included, whichever grouping is asked for. A team's
summary adds up its members' own reports, each named by that member's own rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.projects.rules import UNASSIGNED, UNASSIGNED_COLOR, UNASSIGNED_NAME
from timetracker.reports import person_time
from timetracker.reports.person_time import PersonTime, Segment
from timetracker.reports.team_time import Member, team_time

GroupBy = Literal["project", "day", "member", "source"]
GROUPINGS: tuple[GroupBy, ...] = ("project", "day", "member", "source")


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    tracked_seconds: float
    project_id: str | None = None
    color: str | None = None


@dataclass(frozen=True)
class Summary:
    first_day: date
    last_day: date
    group_by: GroupBy
    groups: list[Group]

    @property
    def tracked_seconds(self) -> float:
        return sum(group.tracked_seconds for group in self.groups)


def summary(
    db: Database,
    principal: Principal,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    group_by: GroupBy,
    team_id: UUID | None = None,
) -> Summary:
    """The caller's summary, or (team owners and admins) their team's."""
    if team_id is None:
        me = Member(principal.user_id, "me", None, "member")
        people = [(me, person_time.read(db, principal, first_day, last_day, tz))]
    else:
        people = [(m.member, m.time) for m in team_time(db, principal, team_id, first_day, last_day, tz)]
    return Summary(first_day, last_day, group_by, grouped(people, group_by))


def grouped(people: Sequence[tuple[Member, PersonTime]], group_by: GroupBy) -> list[Group]:
    """Seconds per group over everyone's segments: days in order, other groups most first."""
    return _grouped(((member, time, segment) for member, time in people for segment in time.segments), group_by)


def person_groups(time: PersonTime, group_by: GroupBy) -> list[Group]:
    """One person's seconds per group (as `grouped`, for the person alone)."""
    return grouped([(Member(time.owner_id, "", None, "member"), time)], group_by)


def project_days(member: Member, time: PersonTime) -> dict[date, list[Group]]:
    """Per local day, the person's seconds per project: each day's groups add up to its
    tracked seconds."""
    days: dict[date, list[Segment]] = {}
    for segment in time.segments:
        days.setdefault(segment.day, []).append(segment)
    return {
        day: _grouped(((member, time, segment) for segment in segments), "project")
        for day, segments in sorted(days.items())
    }


def _grouped(pieces: Iterable[tuple[Member, PersonTime, Segment]], group_by: GroupBy) -> list[Group]:
    seconds: dict[str, float] = {}
    groups: dict[str, Group] = {}
    for member, time, segment in pieces:
        group = _group(member, time, segment, group_by)
        # Projects are told apart by id: two people's own "Research" are two projects.
        identity = group.project_id or group.key
        seconds[identity] = seconds.get(identity, 0.0) + segment.seconds
        groups.setdefault(identity, group)
    if group_by == "day":
        order = sorted(seconds)
    else:
        order = sorted(seconds, key=lambda identity: (-seconds[identity], groups[identity].key))
    return [replace(groups[identity], tracked_seconds=seconds[identity]) for identity in order]


def _group(member: Member, time: PersonTime, segment: Segment, group_by: GroupBy) -> Group:
    if group_by == "project":
        if segment.project == UNASSIGNED:
            return Group(UNASSIGNED_NAME, UNASSIGNED_NAME, 0.0, None, UNASSIGNED_COLOR)
        name = time.naming.name(segment.project)
        return Group(name, name, 0.0, segment.project, time.naming.color(segment.project))
    if group_by == "day":
        return Group(segment.day.isoformat(), segment.day.isoformat(), 0.0)
    if group_by == "member":
        return Group(str(member.user_id), member.display_name, 0.0)
    return Group(segment.source, segment.source, 0.0)

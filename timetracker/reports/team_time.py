"""A team's time for its owner and admins: each member's counted-once days, and who is in now.

Members are the people who accepted (a pending invitation is nobody's membership yet).
Every figure comes from `person_time`, read in one transaction as the viewer, so RLS
decides each row and a member's total here is the same number as on their My time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from timetracker.activitywatch.owned_events import ENDED_AT, owned_events
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden
from timetracker.reports import person_time
from timetracker.reports.person_time import PersonTime

TOP_LABELS = 5
# "In now": an ActivityWatch host that reported activity this recently is at work.
ACTIVE_WITHIN_SECONDS = 5 * 60
# No cap is longer than this (a person's own, 1 to 24 hours, decides): older events are not read.
PRESENT_WITHIN_HOURS = 24


@dataclass(frozen=True)
class Member:
    user_id: UUID
    display_name: str
    email: str | None
    role: str


@dataclass(frozen=True)
class MemberTime:
    member: Member
    time: PersonTime

    def top_labels(self, count: int = TOP_LABELS) -> list[tuple[str, str, float]]:
        return self.time.label_totals()[:count]


def member_name(row: dict[str, Any]) -> str:
    return row.get("display_name") or (row.get("email") or "").split("@")[0] or str(row["user_id"])[:8]


def require_admin(conn: Connection[Any], team_id: UUID) -> None:
    allowed = conn.execute("select %s in (select internal.my_admin_team_ids()) as ok", (team_id,)).fetchone()["ok"]
    if not allowed:
        raise Forbidden("only the team's owner and admins can see its time")


def members_in(conn: Connection[Any], team_id: UUID) -> list[Member]:
    rows = conn.execute(
        "select m.user_id, m.role, p.display_name, p.email from team_members m"
        " left join tracker_profiles p on p.id = m.user_id where m.team_id = %s"
        " order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end,"
        " lower(coalesce(nullif(p.display_name, ''), p.email)), m.user_id",
        (team_id,),
    ).fetchall()
    return [Member(row["user_id"], member_name(row), row["email"], row["role"]) for row in rows]


def admin_teams(db: Database, principal: Principal) -> list[dict[str, Any]]:
    """The teams the caller owns or administers (the ones with a Team page), by name."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "select t.id, t.name from teams t where t.id in (select internal.my_admin_team_ids()) order by t.name, t.id"
        ).fetchall()


def team_time(
    db: Database, principal: Principal, team_id: UUID, first_day: date, last_day: date, tz: ZoneInfo
) -> list[MemberTime]:
    """Every member's time over [first_day, last_day] in the viewer's timezone."""
    with db.as_user(principal.db_claims) as conn:
        require_admin(conn, team_id)
        members = members_in(conn, team_id)
        times = person_time.read_many(conn, [m.user_id for m in members], first_day, last_day, tz)
    return [MemberTime(member, time) for member, time in zip(members, times, strict=True)]


PRESENCE = f"""
with members as (select unnest(%(owners)s::uuid[]) as user_id),
tags_in as (
  select distinct on (e.owner_id, e.device_id, e.tag_id)
         e.owner_id, e.device_id, e.tag_id, e.event_type, e.occurred_at
  from device_events e
  where e.owner_id = any(%(owners)s) and e.occurred_at >= %(at)s - make_interval(hours => %(tag_hours)s)
    and e.occurred_at <= %(at)s
  order by e.owner_id, e.device_id, e.tag_id, e.occurred_at desc, e.event_type desc
),
nfc as (
  select i.owner_id as user_id, 'nfc' as source, coalesce(t.label, i.tag_id) as label,
         coalesce(d.name, i.device_id) as detail, i.occurred_at as since
  from tags_in i
  left join tags t on t.owner_id = i.owner_id and t.tag_id = i.tag_id
  left join devices d on d.device_id = i.device_id
  left join tracker_profiles p on p.id = i.owner_id
  -- A tag in the reader past its person's cap counts no more (see nfc_time): not in now either.
  where i.event_type = 'tag_insert'
    and i.occurred_at > %(at)s - make_interval(hours => coalesce(p.open_interval_cap_hours, %(tag_hours)s))
),
recent as ({owned_events(f"e.host, e.bucket_type, e.afk_status, e.app, {ENDED_AT} as ended_at")}),
-- A window watcher reports while its person is away too: only a host whose AFK watcher said
-- not-afk lately counts, as only not-AFK time counts as ActivityWatch time.
aw as (
  select distinct on (w.person_id, w.host) w.person_id as user_id, 'activitywatch' as source,
         coalesce(nullif(w.app, ''), 'active') as label, w.host as detail, w.ended_at as since
  from recent w
  where (w.bucket_type = 'currentwindow' or (w.bucket_type = 'afkstatus' and w.afk_status = 'not-afk'))
    and exists (select 1 from recent a where a.person_id = w.person_id and a.host = w.host
                and a.bucket_type = 'afkstatus' and a.afk_status = 'not-afk')
  order by w.person_id, w.host, w.bucket_type = 'currentwindow' desc, w.ended_at desc
),
timer as (
  select owner_id as user_id, 'timer' as source,
         case when pause_started_at is null then 'running' else 'paused' end as label,
         'question ' || current_index as detail, started_at as since
  from timer_sessions
  where owner_id = any(%(owners)s) and ended_at is null and started_at >= %(at)s - make_interval(hours => %(tag_hours)s)
)
select * from nfc union all select * from aw union all select * from timer
order by user_id, source, since
"""


@dataclass(frozen=True)
class Presence:
    user_id: UUID
    display_name: str
    source: str  # nfc: a tag in a reader; activitywatch: active lately; timer: a session running
    label: str
    detail: str
    since: datetime


def presence(db: Database, principal: Principal, team_id: UUID, at: datetime) -> list[Presence]:
    """Who is in now: a tag in a reader (since when, which reader), ActivityWatch activity in
    the last few minutes (which host, which app), a timer session running or paused."""
    params: dict[str, Any] = {
        "at": at,
        "start": at - timedelta(seconds=ACTIVE_WITHIN_SECONDS),
        "end": at,
        "tag_hours": PRESENT_WITHIN_HOURS,
    }
    with db.as_user(principal.db_claims) as conn:
        require_admin(conn, team_id)
        members = {m.user_id: m for m in members_in(conn, team_id)}
        rows = conn.execute(PRESENCE, {**params, "owners": list(members)}).fetchall()
    return [
        Presence(
            user_id=row["user_id"],
            display_name=members[row["user_id"]].display_name,
            source=row["source"],
            label=row["label"],
            detail=row["detail"],
            since=row["since"],
        )
        for row in rows
    ]

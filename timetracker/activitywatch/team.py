"""Team views of ActivityWatch data: the developers of a team, linking ids to members,
claiming one's own id, and the admin's summary. RLS decides what each caller can see or
change; these functions only ask and turn refusals into domain errors.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import psycopg

from timetracker.activitywatch.developer_ids import developer_id, email_hash, is_developer_id
from timetracker.activitywatch.owned_events import ENDED_AT, overlapping
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden, InvalidInput, NotFound

TOP_APPS = 3
DEVELOPER_COLUMNS = "team_id, developer_id, display_name, user_id, created_at"


def admin_team_ids(db: Database, principal: Principal) -> list[UUID]:
    with db.as_user(principal.db_claims) as conn:
        rows = conn.execute("select internal.my_admin_team_ids() as team_id").fetchall()
    return [row["team_id"] for row in rows]


def _require_admin(db: Database, principal: Principal, team_id: UUID) -> None:
    if team_id not in admin_team_ids(db, principal):
        raise Forbidden("only the team's owner or admins can do this")


def register(db: Database, principal: Principal, team_id: UUID, name: str, email: str) -> dict[str, Any]:
    """Record a developer the admin generated a package for (name and email hash, for claiming)."""
    _require_admin(db, principal, team_id)
    try:
        dev_id = developer_id(name, email)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            "insert into developers (team_id, developer_id, display_name, email_sha256) values (%s, %s, %s, %s)"
            " on conflict (team_id, developer_id) do update"
            " set display_name = excluded.display_name, email_sha256 = excluded.email_sha256"
            f" returning {DEVELOPER_COLUMNS}",
            (team_id, dev_id, " ".join(name.split())[:100], email_hash(email)),
        ).fetchone()


def developers(db: Database, principal: Principal, team_id: UUID) -> list[dict[str, Any]]:
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            f"select {DEVELOPER_COLUMNS} from developers where team_id = %s order by display_name", (team_id,)
        ).fetchall()


def _require_developer_id(dev_id: str) -> None:
    # Nothing else can be stored, and a NUL would fail in psycopg (a 500) rather than match nothing.
    if not is_developer_id(dev_id):
        raise InvalidInput("not a developer id: expected <name>_<8 hex characters>, e.g. john_doe_1a2b3c4d")


def link(db: Database, principal: Principal, team_id: UUID, dev_id: str, user_id: UUID | None) -> None:
    """An admin links a developer id to a member of the team (or unlinks it with None)."""
    _require_developer_id(dev_id)
    try:
        with db.as_user(principal.db_claims) as conn:
            cur = conn.execute(
                "update developers set user_id = %s where team_id = %s and developer_id = %s",
                (user_id, team_id, dev_id),
            )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise InvalidInput("a developer id can only be linked to a member of its team") from exc
    if cur.rowcount != 1:
        raise NotFound("no such developer in a team you administer")


def claim(db: Database, principal: Principal, team_id: UUID, dev_id: str) -> None:
    """A member takes a developer id made from their own proven account email: confirmed by
    mail, or the address a team admin's invitation link went to (internal.claim_developer, sql/0012)."""
    _require_developer_id(dev_id)
    try:
        with db.as_user(principal.db_claims) as conn:
            claimed = conn.execute("select internal.claim_developer(%s, %s) as ok", (team_id, dev_id)).fetchone()["ok"]
    except psycopg.errors.InsufficientPrivilege as exc:
        raise Forbidden(
            "Claiming needs an email address proven to be yours: confirmed by mail, or the one a team admin's"
            " invitation link was sent to (join the team through that link). A team admin can link the id"
            " to you instead."
        ) from exc
    if not claimed:
        raise Forbidden("no unclaimed developer id of your team matches your email address")


# Events overlapping [week_start, until) of the team's developer ids and of its members' own
# tokens: one index-bounded branch each.
_IN_WEEK = overlapping("%(week_start)s", "%(until)s")
SUMMARY = f"""
with events as (
  select e.owner_id as person_id, null::text as developer_id, e.bucket_type, e.afk_status, e.app,
         e.started_at, {ENDED_AT} as ended_at
  from aw_events e
  -- An array, not `in (subquery)`: the planner then reads each member's rows on the time index.
  where e.owner_id = any(array(select m.user_id from team_members m where m.team_id = %(team)s)) and {_IN_WEEK}
  union all
  select d.user_id, e.developer_id, e.bucket_type, e.afk_status, e.app, e.started_at, {ENDED_AT}
  from aw_events e
  left join developers d on d.team_id = e.team_id and d.developer_id = e.developer_id
  where e.team_id = %(team)s and {_IN_WEEK}
),
keyed as (
  select coalesce(v.person_id::text, v.developer_id) as subject, v.*,
         tstzrange(greatest(v.started_at, %(week_start)s), least(v.ended_at, %(until)s)) as in_week
  from events v
),
per_subject as (
  select subject, (array_agg(person_id) filter (where person_id is not null))[1] as person_id,
         array_agg(distinct developer_id) filter (where developer_id is not null) as developer_ids,
         max(ended_at) as last_seen_at,
         bool_or(bucket_type = 'afkstatus') as has_afk,
         -- Not-AFK time as one multirange: two hosts active at once count once.
         coalesce(range_agg(in_week) filter (where bucket_type = 'afkstatus' and afk_status = 'not-afk'),
                  '{{}}') as active
  from keyed group by subject
),
-- Window time inside not-AFK time (all of it when the AFK watcher sends nothing), per app
-- as one multirange: a few intersections of whole multiranges, not one per window event.
app_ranges as (
  select subject, app, range_agg(in_week) as ranges
  from keyed where bucket_type = 'currentwindow' and app is not null group by subject, app
),
apps as (
  select a.subject, a.app,
         (select coalesce(sum(extract(epoch from upper(piece) - lower(piece))), 0)
          from unnest(case when s.has_afk then s.active * a.ranges else a.ranges end) as piece) as seconds
  from app_ranges a join per_subject s on s.subject = a.subject
),
ranked as (
  select subject, app, seconds, row_number() over (partition by subject order by seconds desc, app) as rank
  from apps where seconds > 0
)
select s.subject, s.person_id, coalesce(s.developer_ids, '{{}}') as developer_ids, s.last_seen_at,
       -- Active time is not-AFK time; with no AFK watcher data at all it is unknown (null), not 0.
       case when s.has_afk then
         (select coalesce(sum(extract(epoch from upper(p) - lower(p))), 0)::float8
          from unnest(s.active * tstzmultirange(tstzrange(%(day_start)s, %(until)s))) p) end as active_seconds_today,
       case when s.has_afk then
         (select coalesce(sum(extract(epoch from upper(p) - lower(p))), 0)::float8 from unnest(s.active) p) end
         as active_seconds_week,
       coalesce(nullif(p.display_name, ''), dn.display_name, s.subject) as display_name,
       coalesce((select jsonb_agg(jsonb_build_object('app', r.app, 'seconds', r.seconds::float8) order by r.rank)
                 from ranked r where r.subject = s.subject and r.rank <= %(top)s), '[]') as top_apps
from per_subject s
left join tracker_profiles p on p.id = s.person_id
left join developers dn on dn.team_id = %(team)s and dn.developer_id = s.subject
order by s.last_seen_at desc
"""


def summary(
    db: Database, principal: Principal, team_id: UUID, tz: ZoneInfo, at: datetime | None = None
) -> list[dict[str, Any]]:
    """Every developer or member of the team that sent data this week: name, last seen,
    not-AFK time today and this week (in `tz`, the viewer's zone, up to `at`; overlapping
    hosts counted once, as on My time), and top apps this week (window time while not AFK)."""
    _require_admin(db, principal, team_id)
    until = at or datetime.now(UTC)
    # The day and week of the last instant counted: `at` may be a midnight that ends a day.
    last_day = (until - timedelta(microseconds=1)).astimezone(tz).date()
    params = {
        "team": team_id,
        "until": until,
        "day_start": datetime.combine(last_day, time.min, tzinfo=tz),
        "week_start": datetime.combine(last_day - timedelta(days=last_day.weekday()), time.min, tzinfo=tz),
        "top": TOP_APPS,
    }
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(SUMMARY, params).fetchall()

"""ActivityWatch time as timeline entries: not-AFK time, labelled with the app in front.

Active time is what the AFK watcher reports as `not-afk`; within it, each window event of
the same host becomes an entry labelled with its app (clipped to the active stretches).
Active time that no window event covers is labelled "active". Multiranges do the clipping
in the database, so the work grows with the events in the window, not with their product.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.activitywatch.owned_events import ENDED_AT, owned_events
from timetracker.reports.counted_once import Span
from timetracker.reports.timeline import Entry, Interval, SourceTime, instant, sql_microseconds

SOURCE = "activitywatch"
# The label of not-AFK time that no window event covers.
NO_WINDOW = "active"

MINE = owned_events(
    f"e.host, e.bucket_type, e.afk_status, e.app, e.title, e.started_at, {ENDED_AT} as ended_at",
    "e.bucket_type in ('afkstatus', 'currentwindow') and e.duration > 0",
)
ENTRIES = f"""
with mine as ({MINE}),
-- Per host, the not-AFK time as one multirange; each window event is clipped to it.
active as (
  select host, range_agg(tstzrange(started_at, ended_at)) as ranges
  from mine where bucket_type = 'afkstatus' and afk_status = 'not-afk' group by host
),
windows as (
  select host, app, title, tstzrange(started_at, ended_at) as span from mine where bucket_type = 'currentwindow'
)
select %(source)s as source, coalesce(nullif(w.app, ''), %(no_window)s) as label, coalesce(w.title, '') as detail,
       lower(piece) as started_at, upper(piece) as ended_at, 'active' as status
from windows w join active a on a.host = w.host and a.ranges && w.span,
     -- Most windows lie inside one active stretch (a binary search says so); only the ones
     -- at an edge are intersected, which walks the whole multirange.
     lateral (select w.span as piece where a.ranges @> w.span
              union all
              select p from unnest(a.ranges * tstzmultirange(w.span)) p where not a.ranges @> w.span) clipped
union all
select %(source)s, %(no_window)s, 'not AFK on ' || a.host, lower(piece), upper(piece), 'active'
from active a,
     unnest(a.ranges - coalesce((select range_agg(w.span) from windows w where w.host = a.host),
                                '{{}}'::tstzmultirange)) as piece
order by started_at
"""


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    params = {"owners": [owner_id], "start": start, "end": end, "source": SOURCE, "no_window": NO_WINDOW}
    return conn.execute(ENTRIES, params).fetchall()


# For counting, the interval work stays in the database: per host the not-AFK multirange,
# per host and app the window multirange, intersected whole (not window by window), and what
# better sources already cover subtracted. Only the union and the pieces still to attribute
# leave the database: a few hundred rows for a heavy month, not one per window event.
# Not-AFK time: per host as one multirange (`active`), and all hosts together (`whole`).
NOT_AFK = f"""
mine as ({
    owned_events(
        f"e.host, e.bucket_type, e.afk_status, e.app, e.started_at, {ENDED_AT} as ended_at",
        "e.bucket_type in ('afkstatus', 'currentwindow') and e.duration > 0",
    )
}),
active as (
  select host, range_agg(tstzrange(started_at, ended_at)) as ranges
  from mine where bucket_type = 'afkstatus' and afk_status = 'not-afk' group by host
),
whole as (select range_agg(r) as ranges from active a, unnest(a.ranges) r)
"""
WHOLE_ROWS = f"""
select null as label, {sql_microseconds("lower(r)")} as started_us, {sql_microseconds("upper(r)")} as ended_us
from whole, unnest(whole.ranges) r
"""
ACTIVE = f"with {NOT_AFK} {WHOLE_ROWS}"
COUNTED = f"""
with {NOT_AFK},
apps as (
  select host, coalesce(nullif(app, ''), %(no_window)s) as label, range_agg(tstzrange(started_at, ended_at)) as ranges
  from mine where bucket_type = 'currentwindow' group by host, 2
),
covered as (
  select coalesce(range_agg(tstzrange(s, e)), '{{}}') as ranges
  from unnest(%(covered_starts)s::timestamptz[], %(covered_ends)s::timestamptz[]) as c(s, e)
),
shown as (
  select w.label, (a.ranges * w.ranges) - c.ranges as ranges
  from apps w join active a on a.host = w.host cross join covered c
  union all
  select %(no_window)s,
         a.ranges - coalesce((select range_agg(r) from apps w, unnest(w.ranges) r where w.host = a.host), '{{}}')
           - c.ranges
  from active a cross join covered c
)
{WHOLE_ROWS}
union all
select s.label, {sql_microseconds("lower(p)")}, {sql_microseconds("upper(p)")}
from shown s, unnest(s.ranges) p
"""


def active(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Interval]:
    """Not-AFK time, all hosts together, as sorted, disjoint intervals (epoch microseconds)."""
    params = {"owners": [owner_id], "start": start, "end": end}
    return sorted((row["started_us"], row["ended_us"]) for row in conn.execute(ACTIVE, params).fetchall())


def counted(
    conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime, covered: Sequence[Interval]
) -> SourceTime:
    """Not-AFK time (all of it) and its pieces by app that `covered` leaves free."""
    params = {
        "owners": [owner_id],
        "start": start,
        "end": end,
        "no_window": NO_WINDOW,
        "covered_starts": [instant(first) for first, _ in covered],
        "covered_ends": [instant(last) for _, last in covered],
    }
    union, spans = [], []
    for row in conn.execute(COUNTED, params, binary=True).fetchall():
        if row["label"] is None:
            union.append((row["started_us"], row["ended_us"]))
        else:
            spans.append(Span(row["started_us"], row["ended_us"], SOURCE, row["label"]))
    union.sort()
    return SourceTime(union=union, spans=spans)

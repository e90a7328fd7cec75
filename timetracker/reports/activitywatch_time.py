"""ActivityWatch time as timeline entries: not-AFK time, labelled with the app in front.

Active time is what the AFK watcher reports as `not-afk`; within it, each window event of
the same host becomes an entry labelled with its app (clipped to the active stretches).
Active time that no window event covers is labelled "active". Multiranges do the clipping
in the database, so the work grows with the events in the window, not with their product.
Project rules look at each window's app, title, URL and domain (a browser's window watcher
reports the URL of the tab in front); time with no window is unassigned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.activitywatch.owned_events import ENDED_AT, owned_events
from timetracker.projects.rules import UNASSIGNED, Naming
from timetracker.reports.counted_once import Span
from timetracker.reports.timeline import Entry, Interval, SourceKind, SourceTime, instant, sql_microseconds

SOURCE = "activitywatch"
DISPLAY_NAME = "ActivityWatch"  # what people read on pages and in CSVs
# The label of not-AFK time that no window event covers.
NO_WINDOW = "active"

MINE = owned_events(
    f"e.host, e.bucket_type, e.afk_status, e.app, e.title, e.url, e.domain, e.started_at, {ENDED_AT} as ended_at",
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
  select host, app, title, url, domain, tstzrange(started_at, ended_at) as span
  from mine where bucket_type = 'currentwindow'
)
select %(source)s as source, coalesce(nullif(w.app, ''), %(no_window)s) as label, coalesce(w.title, '') as detail,
       lower(piece) as started_at, upper(piece) as ended_at, 'active' as status,
       jsonb_build_object('app', w.app, 'title', w.title, 'url', w.url, 'domain', w.domain) as fields
from windows w join active a on a.host = w.host and a.ranges && w.span,
     -- Most windows lie inside one active stretch (a binary search says so); only the ones
     -- at an edge are intersected, which walks the whole multirange.
     lateral (select w.span as piece where a.ranges @> w.span
              union all
              select p from unnest(a.ranges * tstzmultirange(w.span)) p where not a.ranges @> w.span) clipped
union all
select %(source)s, %(no_window)s, 'not AFK on ' || a.host, lower(piece), upper(piece), 'active', '{{}}'::jsonb
from active a,
     unnest(a.ranges - coalesce((select range_agg(w.span) from windows w where w.host = a.host),
                                '{{}}'::tstzmultirange)) as piece
order by started_at
"""


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    params = {"owners": [owner_id], "start": start, "end": end, "source": SOURCE, "no_window": NO_WINDOW}
    return conn.execute(ENTRIES, params).fetchall()


# For counting, the interval work stays in the database: per host the not-AFK multirange,
# per host, app and project the window multirange, intersected whole (not window by window),
# and what better sources already cover subtracted. Only the union and the pieces still to
# attribute leave the database: a few hundred rows for a heavy month, not one per window event.
# Not-AFK time: per host as one multirange (`active`), and all hosts together (`whole`).
WINDOW_FIELDS = ("app", "title", "url", "domain")
NOT_AFK = f"""
mine as ({
    owned_events(
        f"e.host, e.bucket_type, e.afk_status, e.app, e.title, e.url, e.domain, e.started_at, {ENDED_AT} as ended_at",
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
select null as label, null as project, {sql_microseconds("lower(r)")} as started_us,
       {sql_microseconds("upper(r)")} as ended_us
from whole, unnest(whole.ranges) r
"""
ACTIVE = f"with {NOT_AFK} {WHOLE_ROWS}"


def _values(fields: Sequence[str]) -> str:
    """The distinct values of `fields` among the window events: what the rules are asked about."""
    columns = ", ".join(f"coalesce({name}, '') as {name}" for name in fields)
    return f"with {NOT_AFK} select distinct {columns} from mine where bucket_type = 'currentwindow'"


def _counted(fields: Sequence[str]) -> str:
    """Counting SQL; window events are named through the `named` table of (values of `fields`,
    project) when rules look at them, else all unassigned."""
    if fields:
        arrays = ", ".join(f"%({name}s)s::text[]" for name in fields)
        named = f"named as (select * from unnest({arrays}, %(projects)s::text[]) as n({', '.join(fields)}, project)),"
        join = "left join named n on " + " and ".join(f"coalesce(m.{name}, '') = n.{name}" for name in fields)
        project = "coalesce(n.project, '')"
    else:
        named, join, project = "", "", "''"
    return f"""
with {NOT_AFK},
{named}
apps as (
  select m.host, coalesce(nullif(m.app, ''), %(no_window)s) as label, {project} as project,
         range_agg(tstzrange(m.started_at, m.ended_at)) as ranges
  from mine m {join} where m.bucket_type = 'currentwindow' group by 1, 2, 3
),
covered as (
  select coalesce(range_agg(tstzrange(s, e)), '{{}}') as ranges
  from unnest(%(covered_starts)s::timestamptz[], %(covered_ends)s::timestamptz[]) as c(s, e)
),
shown as (
  select w.label, w.project, (a.ranges * w.ranges) - c.ranges as ranges
  from apps w join active a on a.host = w.host cross join covered c
  union all
  select %(no_window)s, '',
         a.ranges - coalesce((select range_agg(r) from apps w, unnest(w.ranges) r where w.host = a.host), '{{}}')
           - c.ranges
  from active a cross join covered c
)
{WHOLE_ROWS}
union all
select s.label, s.project, {sql_microseconds("lower(p)")}, {sql_microseconds("upper(p)")}
from shown s, unnest(s.ranges) p
"""


def active(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Interval]:
    """Not-AFK time, all hosts together, as sorted, disjoint intervals (epoch microseconds)."""
    params = {"owners": [owner_id], "start": start, "end": end}
    return sorted((row["started_us"], row["ended_us"]) for row in conn.execute(ACTIVE, params).fetchall())


def counted(
    conn: Connection[Any],
    owner_id: UUID,
    start: datetime,
    end: datetime,
    covered: Sequence[Interval],
    naming: Naming | None = None,
) -> SourceTime:
    """Not-AFK time (all of it) and its pieces by app and project that `covered` leaves free.

    The rules are asked once per distinct combination of the values they look at (an app, a
    title, ...), in Python with a safe regex engine; the database then groups the windows by
    the answers."""
    naming = naming or Naming()
    params: dict[str, Any] = {
        "owners": [owner_id],
        "start": start,
        "end": end,
        "no_window": NO_WINDOW,
        "covered_starts": [instant(first) for first, _ in covered],
        "covered_ends": [instant(last) for _, last in covered],
    }
    fields = naming.fields_used(SOURCE)
    if fields:
        params.update(_named(conn, params, fields, naming))
    union, spans = [], []
    for row in conn.execute(_counted(fields), params, binary=True).fetchall():
        if row["label"] is None:
            union.append((row["started_us"], row["ended_us"]))
        else:
            spans.append(Span(row["started_us"], row["ended_us"], SOURCE, row["label"], row["project"]))
    union.sort()
    return SourceTime(union=union, spans=spans)


def _named(conn: Connection[Any], params: dict[str, Any], fields: Sequence[str], naming: Naming) -> dict[str, Any]:
    """The `named` table's columns: each distinct combination of values that a rule names."""
    named: dict[str, list[str]] = {f"{name}s": [] for name in fields}
    projects: list[str] = []
    for row in conn.execute(_values(fields), params).fetchall():
        project = naming.project_of(SOURCE, row)
        if project != UNASSIGNED:
            for name in fields:
                named[f"{name}s"].append(row[name])
            projects.append(project)
    return {**named, "projects": projects}


KIND = SourceKind(SOURCE, DISPLAY_NAME, entries, counted=counted)

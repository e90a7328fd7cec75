"""ActivityWatch time as timeline entries: not-AFK time, labelled with the app in front.

Active time is what the AFK watcher reports as `not-afk`; within it, each window event of
the same host becomes an entry labelled with its app (clipped to the active stretch). An
active stretch with no window events at all is one entry labelled "active".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import pandas as pd
from psycopg import Connection

from timetracker.activitywatch.activity import ENDED_AT, OWNED_BY
from timetracker.reports.timeline import entries_frame

SOURCE = "activitywatch"

ENTRIES = f"""
with mine as (
  select e.host, e.bucket_type, e.afk_status, e.app, e.title, e.started_at, {ENDED_AT} as ended_at
  from aw_events e
  where {OWNED_BY} and e.bucket_type in ('afkstatus', 'currentwindow') and e.duration > 0
    and e.started_at < %(end)s and {ENDED_AT} > %(start)s
),
active as (select * from mine where bucket_type = 'afkstatus' and afk_status = 'not-afk'),
windows as (select * from mine where bucket_type = 'currentwindow')
select %(source)s as source, coalesce(nullif(w.app, ''), 'active') as label, coalesce(w.title, '') as detail,
       greatest(a.started_at, w.started_at) as started_at, least(a.ended_at, w.ended_at) as ended_at,
       'active' as status
from active a join windows w on w.host = a.host and w.started_at < a.ended_at and w.ended_at > a.started_at
union all
select %(source)s, 'active', 'not AFK on ' || a.host, a.started_at, a.ended_at, 'active'
from active a
where not exists (
  select 1 from windows w where w.host = a.host and w.started_at < a.ended_at and w.ended_at > a.started_at)
order by started_at
"""


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> pd.DataFrame:
    rows = conn.execute(ENTRIES, {"owner": owner_id, "start": start, "end": end, "source": SOURCE}).fetchall()
    return entries_frame(rows)

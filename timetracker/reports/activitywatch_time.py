"""ActivityWatch time as timeline entries: not-AFK time, labelled with the app in front.

Active time is what the AFK watcher reports as `not-afk`; within it, each window event of
the same host becomes an entry labelled with its app (clipped to the active stretches).
Active time that no window event covers is labelled "active". Multiranges do the clipping
in the database, so the work grows with the events in the window, not with their product.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import pandas as pd
from psycopg import Connection

from timetracker.activitywatch.owned_events import ENDED_AT, owned_events
from timetracker.reports.timeline import entries_frame

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
  select host, app, title, tstzmultirange(tstzrange(started_at, ended_at)) as ranges
  from mine where bucket_type = 'currentwindow'
)
select %(source)s as source, coalesce(nullif(w.app, ''), %(no_window)s) as label, coalesce(w.title, '') as detail,
       lower(piece) as started_at, upper(piece) as ended_at, 'active' as status
from windows w join active a on a.host = w.host, unnest(a.ranges * w.ranges) as piece
union all
select %(source)s, %(no_window)s, 'not AFK on ' || a.host, lower(piece), upper(piece), 'active'
from active a,
     unnest(a.ranges - coalesce((select range_agg(r) from windows w, unnest(w.ranges) r where w.host = a.host),
                                '{{}}'::tstzmultirange)) as piece
order by started_at
"""


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> pd.DataFrame:
    rows = conn.execute(
        ENTRIES, {"owners": [owner_id], "start": start, "end": end, "source": SOURCE, "no_window": NO_WINDOW}
    ).fetchall()
    return entries_frame(rows)

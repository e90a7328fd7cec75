"""NFC presence time as timeline entries: a tag_insert paired with the next event of the
same tag on the same device, read for one person and one window.

Pairing follows the `nfc_intervals` view's rules (closed, missing_removal, open,
orphan_removal), but only over the window's events plus, per tag, the last event before it
and the first after it: enough to pair every interval that overlaps the window, and the
scan stays one person's window instead of every readable event. An open interval (no
removal yet) runs until now; one that starts after now (a reader whose clock runs ahead),
and a removal with no insert, are zero-length flags, shown rather than dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.reports.timeline import Entry

SOURCE = "nfc"

ENTRIES = """
with nearby as (
  select device_id, tag_id, event_type, occurred_at from device_events
  where owner_id = %(owner)s and occurred_at >= %(start)s and occurred_at < %(end)s
  union all
  (select distinct on (device_id, tag_id) device_id, tag_id, event_type, occurred_at from device_events
   where owner_id = %(owner)s and occurred_at < %(start)s
   order by device_id, tag_id, occurred_at desc, event_type desc)
  union all
  (select distinct on (device_id, tag_id) device_id, tag_id, event_type, occurred_at from device_events
   where owner_id = %(owner)s and occurred_at >= %(end)s
   order by device_id, tag_id, occurred_at, event_type)
),
ordered as (
  select n.*, lead(event_type) over w as next_type, lead(occurred_at) over w as next_at,
         lag(event_type) over w as prev_type
  from nearby n
  window w as (partition by device_id, tag_id order by occurred_at, event_type)
),
intervals as (
  select device_id, tag_id, occurred_at as started_at,
         case when next_type is not null then next_at end as ended_at,
         case next_type when 'tag_removed' then 'closed' when 'tag_insert' then 'missing_removal'
                        else 'open' end as status
  from ordered where event_type = 'tag_insert'
  union all
  select device_id, tag_id, occurred_at, occurred_at, 'orphan_removal'
  from ordered where event_type = 'tag_removed' and prev_type is distinct from 'tag_insert'
)
select %(source)s as source, coalesce(t.label, i.tag_id) as label,
       'tag ' || i.tag_id || ' on ' || i.device_id as detail,
       i.started_at, greatest(coalesce(i.ended_at, now()), i.started_at) as ended_at, i.status
from intervals i
left join tags t on t.owner_id = %(owner)s and t.tag_id = i.tag_id
where i.started_at < %(end)s and greatest(coalesce(i.ended_at, now()), i.started_at) >= %(start)s
order by i.started_at
"""


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    return conn.execute(ENTRIES, {"source": SOURCE, "owner": owner_id, "start": start, "end": end}).fetchall()

"""NFC presence time as timeline entries: a tag_insert paired with the next event of the
same tag on the same device, read for one person and one window.

Pairing follows the `nfc_intervals` view's rules (closed, missing_removal, open,
orphan_removal), but only over the window's events plus, per tag, the last event before it
and the first after it: enough to pair every interval that overlaps the window, and the
scan stays one person's window instead of every readable event. An open interval (no
removal yet) runs until now; one with no removal seen counts at most the person's cap
(`open_interval_cap_hours`, then "capped"). One that starts after now (a reader whose
clock runs ahead), and a removal with no insert, are zero-length flags, shown rather than
dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.reports.timeline import Entry, SourceKind

SOURCE = "nfc"
DISPLAY_NAME = "NFC"  # what people read on pages and in CSVs
# The statuses of this source's pieces a person should look at (shown, never hidden in totals).
NEEDS_A_LOOK = {
    "open": "still running (no removal yet), counted up to now",
    "capped": "no removal within the cap set on Profile, counted up to the cap",
    "missing_removal": "a second insert came before a removal; ended there",
    "orphan_removal": "a removal with no insert before it, counted nothing",
}
# How long an interval with no removal counts, unless the person sets otherwise on Profile.
DEFAULT_CAP_HOURS = 12

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
),
-- An open interval counts up to now, but not past the person's cap ("capped"): a forgotten
-- tag is not a 60-hour day.
cap as (
  select make_interval(hours => coalesce(
    (select open_interval_cap_hours from tracker_profiles where id = %(owner)s), %(default_cap)s)) as hours
),
counted as (
  select i.device_id, i.tag_id, i.started_at,
         case when i.status = 'closed' then i.ended_at
              else greatest(least(coalesce(i.ended_at, now()), i.started_at + cap.hours), i.started_at) end
           as ended_at,
         -- With no removal seen (none yet, or a second insert days later) a stretch longer than
         -- the cap is a forgotten tag. A removal ends a stay as the reader saw it: not capped.
         case when i.status in ('open', 'missing_removal') and coalesce(i.ended_at, now()) > i.started_at + cap.hours
              then 'capped' else i.status end as status
  from intervals i cross join cap
)
select %(source)s as source, coalesce(t.label, c.tag_id) as label,
       'tag ' || c.tag_id || ' on ' || c.device_id as detail, c.started_at, c.ended_at, c.status,
       jsonb_build_object('tag_id', c.tag_id, 'tag_label', t.label) as fields
from counted c
left join tags t on t.owner_id = %(owner)s and t.tag_id = c.tag_id
where c.started_at < %(end)s and c.ended_at >= %(start)s
order by c.started_at
"""


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    params = {"source": SOURCE, "owner": owner_id, "start": start, "end": end, "default_cap": DEFAULT_CAP_HOURS}
    return conn.execute(ENTRIES, params).fetchall()


KIND = SourceKind(SOURCE, DISPLAY_NAME, entries, needs_a_look=NEEDS_A_LOOK)

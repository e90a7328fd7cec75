"""Time imported from another tracker (Toggl Track, Clockify) as timeline entries.

Label = the other tracker's project (or its description when it had none); the fields are
what project rules of this source match: the project, client and description.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.reports.timeline import Entry, SourceKind

SOURCE = "imported"
DISPLAY_NAME = "Imported"  # what people read on pages and in CSVs


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    return conn.execute(
        "select %(source)s as source,"
        " coalesce(nullif(project, ''), nullif(left(description, 100), ''), 'no project') as label,"
        " concat_ws(' · ', nullif(description, ''), 'imported from ' || initcap(origin)) as detail,"
        " started_at, ended_at, origin as status,"
        " jsonb_build_object('project', nullif(project, ''), 'client', nullif(client, ''),"
        "   'description', nullif(description, '')) as fields"
        " from imported_entries where owner_id = %(owner)s and started_at < %(end)s and ended_at > %(start)s"
        # Entries are at most a day long: a lower bound for the time index.
        " and started_at >= %(start)s - interval '1 day' order by started_at",
        {"source": SOURCE, "owner": owner_id, "start": start, "end": end},
    ).fetchall()


KIND = SourceKind(SOURCE, DISPLAY_NAME, entries)

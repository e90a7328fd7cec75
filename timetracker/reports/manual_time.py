"""Time added by hand as timeline entries: each manual entry with its own label.

The note stays out of the entry (it may be private: see timetracker.corrections); the
detail only says the time was added by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.reports.timeline import Entry, SourceKind

SOURCE = "manual"
DISPLAY_NAME = "By hand"  # what people read on pages and in CSVs


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    return conn.execute(
        "select %(source)s as source, label, 'added by hand' as detail, started_at, ended_at, 'manual' as status,"
        " jsonb_build_object('project_id', project_id) as fields"
        " from time_entries where owner_id = %(owner)s and started_at < %(end)s and ended_at > %(start)s"
        # Entries are at most a day long: a lower bound for the time index.
        " and started_at >= %(start)s - interval '1 day' order by started_at",
        {"source": SOURCE, "owner": owner_id, "start": start, "end": end},
    ).fetchall()


KIND = SourceKind(SOURCE, DISPLAY_NAME, entries)

"""Coding time as timeline entries: WakaTime imports and durations joined from heartbeats.

Label = project. Imported durations come from `wakatime_durations` (status "imported");
heartbeat durations are derived on read (status "heartbeats"). A person normally has one
or the other (a plugin sends either to wakatime.com or to this server).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.reports.timeline import Entry, SourceKind
from timetracker.wakatime import durations

SOURCE = "wakatime"
DISPLAY_NAME = "WakaTime"  # what people read on pages and in CSVs


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    imported = conn.execute(
        "select %(source)s as source, coalesce(nullif(project, ''), 'unknown') as label,"
        " coalesce(nullif(language, ''), 'unknown') || ' (imported from WakaTime)' as detail,"
        " started_at, started_at + make_interval(secs => duration_seconds) as ended_at, 'imported' as status,"
        " jsonb_build_object('project', nullif(project, ''), 'language', nullif(language, '')) as fields"
        " from wakatime_durations"
        " where owner_id = %(owner)s and started_at < %(end)s"
        " and started_at + make_interval(secs => duration_seconds) > %(start)s"
        # A lower bound for the time index; the few longer durations have a partial index.
        " and (started_at >= %(start)s - interval '1 hour' or duration_seconds > 3600)"
        " order by started_at",
        {"source": SOURCE, "owner": owner_id, "start": start, "end": end},
    ).fetchall()
    return imported + durations.as_entries(durations.read(conn, owner_id, start, end), label="project", source=SOURCE)


KIND = SourceKind(SOURCE, DISPLAY_NAME, entries)

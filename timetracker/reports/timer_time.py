"""Timer questions as timeline entries: each question is an entry labelled "timer work".

Timer time is active time: pauses are not work. A question stores its active seconds but
not where its pauses fell, so its entry runs from its start for its active seconds (the
pauses are taken from its end); totals match the Timer page to the second. A question in
progress runs until now less its pauses so far (status "open"); zero-length ghost
questions are left out, as in summaries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Connection

from timetracker.reports.timeline import Entry, SourceKind
from timetracker.timer.machine import mmss

SOURCE = "timer"
DISPLAY_NAME = "Timer"  # what people read on pages and in CSVs
# The statuses of this source's pieces a person should look at (shown, never hidden in totals).
NEEDS_A_LOOK = {"open": "a session still running, counted up to now"}
LABEL = "timer work"


def detail(question_index: int, active_seconds: float | None) -> str:
    """The question and its active time, in the MM:SS the Timer page shows (minutes past 59 too)."""
    if active_seconds is None:
        return f"question {question_index} (in progress)"
    return f"question {question_index} ({mmss(active_seconds)} active)"


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> list[Entry]:
    rows = conn.execute(
        "select %(source)s as source, %(label)s as label, q.question_index, q.active_seconds,"
        " q.started_at, q.started_at + make_interval(secs => q.active_seconds) as ended_at, 'closed' as status,"
        " jsonb_build_object('project_id', s.project_id) as fields"
        " from timer_questions q join timer_sessions s on s.id = q.session_id"
        " where q.owner_id = %(owner)s and q.active_seconds > 0 and q.started_at < %(end)s"
        " and q.started_at + make_interval(secs => q.active_seconds) > %(start)s"
        " union all"
        " select %(source)s, %(label)s, current_index, null, question_started_at,"
        " greatest(question_started_at, coalesce(pause_started_at, now())"
        " - make_interval(secs => pause_accumulated_seconds)), 'open', jsonb_build_object('project_id', project_id)"
        " from timer_sessions"
        " where owner_id = %(owner)s and ended_at is null and question_started_at < %(end)s"
        " and greatest(now(), question_started_at) > %(start)s"
        " order by started_at",
        {"source": SOURCE, "label": LABEL, "owner": owner_id, "start": start, "end": end},
    ).fetchall()
    return [_entry(row) for row in rows]


def _entry(row: dict[str, Any]) -> Entry:
    question_index, active_seconds = row.pop("question_index"), row.pop("active_seconds")
    return {**row, "detail": detail(question_index, active_seconds)}


KIND = SourceKind(SOURCE, DISPLAY_NAME, entries, needs_a_look=NEEDS_A_LOOK)

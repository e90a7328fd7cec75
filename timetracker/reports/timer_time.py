"""Timer questions as timeline entries: each closed question is an entry labelled "timer work".

The entry spans the question's wall-clock time (start to close). A question in progress
runs until now (status "open"); zero-length ghost questions are left out, as in summaries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import pandas as pd
from psycopg import Connection

from timetracker.reports.timeline import entries_frame
from timetracker.timer.machine import mmss

SOURCE = "timer"
LABEL = "timer work"


def detail(question_index: int, active_seconds: float | None) -> str:
    """The question and its active time, in the MM:SS the Timer page shows (minutes past 59 too)."""
    if active_seconds is None:
        return f"question {question_index} (in progress)"
    return f"question {question_index} ({mmss(active_seconds)} active)"


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> pd.DataFrame:
    rows = conn.execute(
        "select %(source)s as source, %(label)s as label, question_index, active_seconds,"
        " started_at, ended_at, 'closed' as status"
        " from timer_questions"
        " where owner_id = %(owner)s and raw_seconds > 0 and started_at < %(end)s and ended_at > %(start)s"
        " union all"
        " select %(source)s, %(label)s, current_index, null, question_started_at,"
        " greatest(now(), question_started_at), 'open'"
        " from timer_sessions"
        " where owner_id = %(owner)s and ended_at is null and question_started_at < %(end)s"
        " and greatest(now(), question_started_at) > %(start)s"
        " order by started_at",
        {"source": SOURCE, "label": LABEL, "owner": owner_id, "start": start, "end": end},
    ).fetchall()
    return entries_frame([_entry(row) for row in rows])


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    question_index, active_seconds = row.pop("question_index"), row.pop("active_seconds")
    return {**row, "detail": detail(question_index, active_seconds)}

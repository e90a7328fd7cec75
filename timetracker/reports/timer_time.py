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

SOURCE = "timer"
LABEL = "timer work"


def entries(conn: Connection[Any], owner_id: UUID, start: datetime, end: datetime) -> pd.DataFrame:
    rows = conn.execute(
        "select %(source)s as source, %(label)s as label,"
        " 'question ' || question_index || ' (' || to_char(make_interval(secs => round(active_seconds)), 'MI:SS')"
        " || ' active)' as detail, started_at, ended_at, 'closed' as status"
        " from timer_questions"
        " where owner_id = %(owner)s and raw_seconds > 0 and started_at < %(end)s and ended_at > %(start)s"
        " union all"
        " select %(source)s, %(label)s, 'question ' || current_index || ' (in progress)', question_started_at,"
        " greatest(now(), question_started_at), 'open'"
        " from timer_sessions"
        " where owner_id = %(owner)s and ended_at is null and question_started_at < %(end)s"
        " and greatest(now(), question_started_at) > %(start)s"
        " order by started_at",
        {"source": SOURCE, "label": LABEL, "owner": owner_id, "start": start, "end": end},
    ).fetchall()
    return entries_frame(rows)

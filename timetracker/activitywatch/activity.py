"""A person's ActivityWatch activity: their own rows plus the team rows of developer ids
linked to them (RLS still decides what the viewer may read). Breakdowns for My time:
active vs AFK per local day, top apps and window titles, web domains, editor projects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd
from psycopg import Connection

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.reports.timeline import entries_frame, local_day_window, split_by_day

# Rows that are `owner`'s: sent with their own token, or by a developer id linked to them.
OWNED_BY = (
    "(e.owner_id = %(owner)s or (e.team_id, e.developer_id) in"
    " (select d.team_id, d.developer_id from developers d where d.user_id = %(owner)s))"
)
ENDED_AT = "e.started_at + make_interval(secs => e.duration)"
TOP = 10

EVENTS = f"""
select e.bucket_type, e.afk_status, e.app, e.title, e.domain, e.project, e.host,
       e.started_at, {ENDED_AT} as ended_at
from aw_events e
where {OWNED_BY} and e.started_at < %(end)s and {ENDED_AT} > %(start)s and e.duration > 0
  and e.bucket_type = any(%(types)s)
"""


def events(conn: Connection[Any], owner: UUID, start: datetime, end: datetime, types: list[str]) -> pd.DataFrame:
    """Events of `types` overlapping [start, end), clipped to it, with `seconds`."""
    rows = conn.execute(EVENTS, {"owner": owner, "start": start, "end": end, "types": types}).fetchall()
    frame = pd.DataFrame(
        rows,
        columns=["bucket_type", "afk_status", "app", "title", "domain", "project", "host", "started_at", "ended_at"],
    )
    if frame.empty:
        return frame.assign(seconds=pd.Series(dtype=float))
    clipped_start = frame["started_at"].clip(lower=start)
    clipped_end = frame["ended_at"].clip(upper=end)
    return frame.assign(seconds=(clipped_end - clipped_start).dt.total_seconds().clip(lower=0))


def _top(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*columns, "seconds"])
    totals = frame.dropna(subset=columns).groupby(columns, as_index=False)["seconds"].sum()
    return totals.sort_values("seconds", ascending=False, kind="stable").head(TOP).reset_index(drop=True)


def breakdown(
    db: Database, principal: Principal, first_day: date, last_day: date, tz: ZoneInfo, owner: UUID | None = None
) -> dict[str, pd.DataFrame]:
    """Frames for the My time panel, all in `tz`'s days."""
    start, end = local_day_window(first_day, last_day, tz)
    types = ["afkstatus", "currentwindow", "web.tab.current", "app.editor.activity"]
    with db.as_user(principal.db_claims) as conn:
        frame = events(conn, owner or principal.user_id, start, end, types)
    afk = frame[frame["bucket_type"] == "afkstatus"]
    as_entries = entries_frame(
        [
            {
                "source": "activitywatch",
                "label": row.afk_status,
                "detail": row.host,
                "started_at": row.started_at,
                "ended_at": row.ended_at,
                "status": row.afk_status,
            }
            for row in afk.itertuples(index=False)
        ]
    )
    pieces = split_by_day(as_entries, tz, start, end)
    per_day = (
        pieces.groupby(["day", "label"], as_index=False)["seconds"].sum()
        if not pieces.empty
        else pd.DataFrame(columns=["day", "label", "seconds"])
    )
    return {
        "afk_per_day": per_day.rename(columns={"label": "status"}),
        "apps": _top(frame[frame["bucket_type"] == "currentwindow"], ["app"]),
        "titles": _top(frame[frame["bucket_type"] == "currentwindow"], ["app", "title"]),
        "domains": _top(frame[frame["bucket_type"] == "web.tab.current"], ["domain"]),
        "projects": _top(frame[frame["bucket_type"] == "app.editor.activity"], ["project"]),
    }

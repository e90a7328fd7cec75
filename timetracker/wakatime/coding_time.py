"""Coding time per local day by project, language and editor: imported and from heartbeats."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from timetracker import profiles
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.reports.timeline import local_day_window
from timetracker.wakatime import durations

if TYPE_CHECKING:
    import pandas as pd

TOTAL_COLUMNS = ["day", "dimension", "name", "seconds", "origin"]


def day_totals(
    db: Database, principal: Principal, first_day: date, last_day: date, tz: ZoneInfo, owner_id: UUID | None = None
) -> pd.DataFrame:
    """Seconds per (day, dimension, name, origin) with origin "heartbeats" or "imported".

    Heartbeat days are cut in `tz` (the viewer's); imported days are the days WakaTime
    reported, which the import asked for in the owner's timezone.
    """
    import pandas as pd

    owner = owner_id or principal.user_id
    start, end = local_day_window(first_day, last_day, tz)
    with db.as_user(principal.db_claims) as conn:
        derived = durations.daily_totals(durations.read(conn, owner, start, end), tz, start, end)
        imported = conn.execute(
            "select day, dimension, name, seconds from wakatime_day_totals"
            " where owner_id = %s and day between %s and %s and dimension = any(%s)",
            (owner, first_day, last_day, list(durations.DIMENSIONS)),
        ).fetchall()
    frames = [
        frame
        for frame in (derived.assign(origin="heartbeats"), pd.DataFrame(imported).assign(origin="imported"))
        if not frame.empty
    ]
    if not frames:
        return pd.DataFrame(columns=TOTAL_COLUMNS)
    return pd.concat(frames, ignore_index=True)[TOTAL_COLUMNS]


def today(db: Database, principal: Principal, now: datetime | None = None) -> dict[str, Any]:
    """Today's heartbeat time in the person's timezone, per dimension and in total."""
    tz = profiles.timezone_of(db, principal)
    day = (now or datetime.now(UTC)).astimezone(tz).date()
    start, end = local_day_window(day, day, tz)
    with db.as_user(principal.db_claims) as conn:
        derived = durations.daily_totals(durations.read(conn, principal.user_id, start, end), tz, start, end)
    per_dimension = {
        dimension: dict(zip(group["name"], group["seconds"], strict=True))
        for dimension, group in derived.groupby("dimension")
    }
    return {
        "date": day,
        "timezone": tz.key,
        "start": start,
        "end": end,
        "total_seconds": float(sum(per_dimension.get("project", {}).values())),
        "totals": {dimension: per_dimension.get(dimension, {}) for dimension in durations.DIMENSIONS},
    }

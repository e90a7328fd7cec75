"""NFC presence time: intervals from the `nfc_intervals` view, cut at local midnights.

The pairing of inserts and removals is SQL (the view); this module clips intervals to the
requested window, ends open ones at "now", and splits them at day boundaries in the
viewer's timezone, so a 23:00-01:00 session counts one hour on each day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd

from timetracker.auth.principal import Principal
from timetracker.db import Database

INTERVAL_COLUMNS = ["owner_id", "device_id", "tag_id", "label", "started_at", "ended_at", "status", "is_open"]
DAY_COLUMNS = ["day", "label", "tag_id", "device_id", "start", "end", "seconds", "status"]


def local_day_window(first_day: date, last_day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[first_day 00:00, last_day+1 00:00) in `tz`, as aware datetimes."""
    start = datetime.combine(first_day, time.min, tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def fetch_intervals(
    db: Database, principal: Principal, start: datetime, end: datetime, owner_id: UUID | None = None
) -> pd.DataFrame:
    """Intervals overlapping [start, end) of the caller (or of `owner_id`, if RLS lets them)."""
    with db.as_user(principal.db_claims) as conn:
        rows = conn.execute(
            "select owner_id, device_id, tag_id, label, started_at, coalesce(ended_at, now()) as ended_at,"
            " status, ended_at is null as is_open from nfc_intervals"
            " where owner_id = %s and started_at < %s and coalesce(ended_at, now()) >= %s"
            " order by started_at",
            (owner_id or principal.user_id, end, start),
        ).fetchall()
    return pd.DataFrame(rows, columns=INTERVAL_COLUMNS)


def split_by_day(intervals: pd.DataFrame, tz: ZoneInfo, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per (interval, local day) inside [start, end), with local start/end and seconds."""
    pieces: list[dict[str, object]] = []
    for row in intervals.itertuples(index=False):
        begin = max(row.started_at, start).astimezone(tz)
        finish = min(row.ended_at, end).astimezone(tz)
        if row.status == "orphan_removal":
            pieces.append(_piece(row, begin, begin))
            continue
        while begin < finish:
            midnight = datetime.combine(begin.date() + timedelta(days=1), time.min, tzinfo=tz)
            cut = min(finish, midnight)
            pieces.append(_piece(row, begin, cut))
            begin = cut
    return pd.DataFrame(pieces, columns=DAY_COLUMNS)


def _piece(row: object, begin: datetime, end: datetime) -> dict[str, object]:
    return {
        "day": begin.date(),
        "label": row.label,
        "tag_id": row.tag_id,
        "device_id": row.device_id,
        "start": begin,
        "end": end,
        "seconds": (end - begin).total_seconds(),
        "status": row.status,
    }


def totals_by_label(days: pd.DataFrame) -> pd.DataFrame:
    """Seconds per label, largest first."""
    if days.empty:
        return pd.DataFrame(columns=["label", "seconds"])
    return days.groupby("label", as_index=False)["seconds"].sum().sort_values("seconds", ascending=False)


def daily_totals(days: pd.DataFrame) -> pd.DataFrame:
    """Seconds per (day, label), for a stacked bar chart."""
    if days.empty:
        return pd.DataFrame(columns=["day", "label", "seconds"])
    return days.groupby(["day", "label"], as_index=False)["seconds"].sum()


def nfc_time(
    db: Database, principal: Principal, first_day: date, last_day: date, tz: ZoneInfo, owner_id: UUID | None = None
) -> pd.DataFrame:
    """Everything "My time" needs: the per-day pieces of NFC time in [first_day, last_day]."""
    start, end = local_day_window(first_day, last_day, tz)
    return split_by_day(fetch_intervals(db, principal, start, end, owner_id), tz, start, end)

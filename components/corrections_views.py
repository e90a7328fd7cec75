"""What My time and Team show of a person's corrections, as pure functions: the stretch a
form's day and times mean, the lists of entries and exclusions, what still needs a look and
how each item is fixed, and which days corrections changed (and by how much), on My time and
in the Team page's members x days table.

Every total is the core's (`person_time`): a day's change is its DayTime.corrected_seconds,
never worked out here. What these functions measure is one item's own length, to name it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd

from components.page_parts import hours_text, signed_hours
from components.time_views import EDITED_MARK, day_name
from timetracker.reports.person_time import DayTime
from timetracker.reports.sources import NEEDS_A_LOOK
from timetracker.reports.team_time import MemberTime
from timetracker.reports.timeline import Entry

Kind = Literal["entry", "exclusion"]
# The reason stored with the exclusion that ends a forgotten tag: it says the end was set by
# hand, and no device event is ever made up for it.
ENDED_BY_HAND = "ended by hand"
EXCLUDED_BY_HAND = "not work (excluded from Needs a look)"
# Items a person can end or exclude (an interval with no end of its own) and those they can
# complete (a removal whose insert is missing). Only NFC pairs events into such intervals;
# a running timer is stopped on the Timer page.
ENDABLE = ("open", "capped", "missing_removal")
COMPLETABLE = ("orphan_removal",)
FIXABLE_SOURCE = "nfc"
COLUMNS = {
    "entry": ["day", "from", "to", "length", "label", "note"],
    "exclusion": ["day", "from", "to", "length", "reason"],
}


@dataclass(frozen=True)
class Attention:
    """One interval that did not pair up cleanly, in the viewer's timezone: from its start to
    where it counts up to (a removal with no insert starts and ends at the removal)."""

    source: str
    label: str
    detail: str
    status: str
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """Stable across runs (widget keys hang on it) and unique per interval."""
        detail = hashlib.sha1(self.detail.encode(), usedforsecurity=False).hexdigest()[:8]
        return f"{self.status}@{self.start.astimezone(UTC):%Y%m%dT%H%M%S.%f}#{detail}"

    @property
    def what(self) -> str:
        return NEEDS_A_LOOK.get(self.source, {}).get(self.status, self.status)

    @property
    def endable(self) -> bool:
        # An insert stamped after now (a reader whose clock runs ahead) holds no time yet.
        return self.source == FIXABLE_SOURCE and self.status in ENDABLE and self.end > self.start

    @property
    def completable(self) -> bool:
        return self.source == FIXABLE_SOURCE and self.status in COMPLETABLE


def attention_items(entries: Iterable[Entry], tz: ZoneInfo) -> list[Attention]:
    """The entries that need a look (their source's NEEDS_A_LOOK), one item per interval, oldest first."""
    items = [
        Attention(
            source=entry["source"],
            label=entry["label"],
            detail=entry["detail"],
            status=entry["status"],
            start=entry["started_at"].astimezone(tz),
            end=entry["ended_at"].astimezone(tz),
        )
        for entry in entries
        if entry["status"] in NEEDS_A_LOOK.get(entry["source"], {})
    ]
    return sorted(items, key=lambda item: (item.start, item.key))


def exclusion_end(item: Attention, cap_hours: int) -> datetime:
    """Where an exclusion that ends `item` runs to: its end, or, for a tag still in the reader
    (its end is "now" and moves), the cap, past which it stops counting anyway."""
    if item.status == "open":
        return max(item.end, item.start + timedelta(hours=cap_hours))
    return item.end


def is_fixed(item: Attention, exclusions: Iterable[dict[str, Any]], entries: Iterable[dict[str, Any]]) -> bool:
    """Whether a correction already settles `item`: an exclusion that reaches its end (it was
    ended or excluded), or, for a removal with no insert, time added by hand that ends there."""
    if item.completable:
        return any(row["ended_at"] == item.start for row in entries)
    return any(row["started_at"] < item.end <= row["ended_at"] for row in exclusions)


def unsettled_flags(pieces: pd.DataFrame, entries: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The zero-length pieces (a removal with no insert, ...) still to mark on the timeline: a
    removal whose stay was added by hand is settled."""
    settled = {row["ended_at"] for row in entries}
    keep = [
        seconds == 0 and start not in settled for seconds, start in zip(pieces["seconds"], pieces["start"], strict=True)
    ]
    return pieces.loc[pd.Series(keep, index=pieces.index, dtype=bool)]


def local_moment(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def stretch_of(day: date, start: time, end: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The stretch a form's day, start and end mean: an end at or before the start is on the
    next day (22:00 to 01:00 is a night; 09:00 to 09:00 is a whole day)."""
    first = local_moment(day, start, tz)
    last = local_moment(day + timedelta(days=1) if end <= start else day, end, tz)
    return first, last


def clock_text(moment: datetime, day: date, tz: ZoneInfo) -> str:
    """HH:MM in `tz`, with the day when it is not `day` (a stretch over midnight)."""
    local = moment.astimezone(tz)
    return f"{local:%H:%M}" if local.date() == day else f"{local:%a %m-%d %H:%M}"


def length_of(row: dict[str, Any]) -> float:
    return (row["ended_at"] - row["started_at"]).total_seconds()


def corrections_table(rows: Sequence[dict[str, Any]], kind: Kind, tz: ZoneInfo, notes_readable: bool) -> pd.DataFrame:
    """Entries added by hand or exclusions as a reader reads them: day, from, to, length, (label,)
    and the note or reason, which is left out when it is not theirs to read."""
    days = [row["started_at"].astimezone(tz).date() for row in rows]
    frame = pd.DataFrame(
        {
            "day": [day_name(day) for day in days],
            "from": [f"{row['started_at'].astimezone(tz):%H:%M}" for row in rows],
            "to": [clock_text(row["ended_at"], day, tz) for row, day in zip(rows, days, strict=True)],
            "length": [hours_text(length_of(row)) for row in rows],
            "label": [row.get("label") for row in rows],
            "note" if kind == "entry" else "reason": [row["note"] for row in rows],
        },
        columns=COLUMNS[kind],
    )
    return frame if notes_readable else frame.drop(columns=COLUMNS[kind][-1])


def row_name(row: dict[str, Any], kind: Kind, tz: ZoneInfo) -> str:
    """One entry or exclusion as a picker names it: day, from-to, and its label or reason."""
    start = row["started_at"].astimezone(tz)
    span = f"{start:%a %m-%d %H:%M}–{clock_text(row['ended_at'], start.date(), tz)}"
    what = row.get("label") if kind == "entry" else row["note"]
    return f"{span} · {what}" if what else span


def item_when(item: Attention, tz: ZoneInfo) -> str:
    """Where an item lies: its start (and end, when it has length) in `tz`."""
    start = item.start.astimezone(tz)
    if item.end <= item.start:
        return f"{day_name(start.date())} {start:%H:%M}"
    return f"{day_name(start.date())} {start:%H:%M}–{clock_text(item.end, start.date(), tz)}"


def in_window(rows: Iterable[dict[str, Any]], start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The rows whose stretch overlaps [start, end)."""
    return [row for row in rows if row["started_at"] < end and row["ended_at"] > start]


def reach(first_day: date, last_day: date, items: Iterable[Attention], tz: ZoneInfo) -> tuple[date, date]:
    """The local days to read corrections over: the range, and wherever an item needing a look
    starts or ends outside it (a tag in since yesterday, capped tomorrow morning)."""
    days = [first_day, last_day]
    for item in items:
        days += [item.start.astimezone(tz).date(), item.end.astimezone(tz).date()]
    return min(days), max(days)


def corrected_days(days: Iterable[DayTime]) -> dict[date, float]:
    """Day -> how much corrections changed its tracked seconds, for the days they touched."""
    return {day.day: day.corrected_seconds for day in days if day.edited}


def corrections_caption(corrected: dict[date, float], whose: str) -> str:
    """A line naming the corrected days and how much each one's tracked time moved."""
    days = ", ".join(f"{day_name(day)} {signed_hours(seconds)}" for day, seconds in sorted(corrected.items()))
    return (
        f"{EDITED_MARK} Days {whose} corrected (time added by hand, stretches excluded), each with how"
        f" much the corrections changed its tracked time: {days}."
    )


def day_text(day: DayTime) -> str:
    """A member's day as H:MM of tracked time, marked when they corrected it."""
    return f"{hours_text(day.tracked_seconds)} {EDITED_MARK}" if day.edited else hours_text(day.tracked_seconds)


def hover_text(day: DayTime) -> str:
    """A member's day as the Team heatmap's hover says it: tracked, and the corrections' change."""
    tracked = f"{hours_text(day.tracked_seconds)} tracked"
    return f"{tracked}, {signed_hours(day.corrected_seconds)} by corrections" if day.edited else tracked


def corrected_table(times: list[MemberTime], labels: dict[UUID, str], headings: dict[date, str]) -> pd.DataFrame:
    """Each member's corrected days: the day's tracked time and how much their corrections
    (time added by hand, stretches excluded) changed it. The times only: notes stay theirs."""
    rows = [
        (labels[member_time.member.user_id], headings[day.day], day)
        for member_time in times
        for day in member_time.time.days
        if day.edited
    ]
    return pd.DataFrame(
        {
            "member": [row[0] for row in rows],
            "day": [row[1] for row in rows],
            "tracked": [hours_text(row[2].tracked_seconds) for row in rows],
            "by corrections": [signed_hours(row[2].corrected_seconds) for row in rows],
        },
        columns=["member", "day", "tracked", "by corrections"],
    )


def labels_of(segments: pd.DataFrame) -> list[str]:
    """The labels of the range, the largest first, to suggest for time added by hand."""
    if segments.empty:
        return []
    return list(segments.groupby("label")["seconds"].sum().sort_values(ascending=False).index)


def fresh_day(first_day: date, last_day: date, today: date) -> date:
    """The day a new correction's form starts on: today when it is in the range, else the last day."""
    return today if first_day <= today <= last_day else last_day

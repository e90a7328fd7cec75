"""Import a date range from WakaTime as the person's coding time, one local day at a time.

Per day: `durations?date=&slice_by=language` (the timeline) and `summaries?start=&end=`
(totals per project, language, editor, ...), asked for in the person's profile timezone.
A day is written in one transaction that makes the stored rows equal to WakaTime's answer:
rows WakaTime no longer reports are deleted, new ones inserted, changed ones updated and
identical ones left untouched, so importing the same day twice changes nothing.
402 (older than the plan's history) skips the day and says so; 429 backs off in the client.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from timetracker import profiles
from timetracker.auth.principal import Principal
from timetracker.cipher import TokenCipher
from timetracker.db import Database
from timetracker.errors import InvalidInput, NotFound
from timetracker.wakatime import connections
from timetracker.wakatime.client import GrantRefused, OutsideHistory, WakaTimeClient, WakaTimeError

MAX_DAYS = 366
DAY_SECONDS = 24 * 3600
SUMMARY_DIMENSIONS = {
    "projects": "project",
    "languages": "language",
    "editors": "editor",
    "operating_systems": "operating_system",
    "categories": "category",
}
Progress = Callable[[int, int, date], None]  # (days done, days in all, day just done)


@dataclass
class ImportResult:
    imported_days: list[str] = field(default_factory=list)
    skipped_days: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None
    reconnect_needed: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _seconds_in_a_day(value: Any) -> float:
    """A duration WakaTime reports for one day: finite and at most a day long. Anything else
    (inf, 1e300) would be stored and then break every report that adds it to a start time."""
    seconds = max(0.0, float(value))
    if not math.isfinite(seconds) or seconds > DAY_SECONDS:
        raise ValueError(f"{value!r} seconds is not a duration within one day")
    return seconds


def _start_near(day: date, value: Any) -> datetime:
    """A duration's start, which must fall on the day asked for (a day either side for zones)."""
    start = datetime.fromtimestamp(float(value), UTC)  # OverflowError/OSError/ValueError when absurd
    if abs(start.date() - day) > timedelta(days=1):
        raise ValueError(f"a duration of {day} starts on {start.date()}")
    return start


def _day_durations(day: date, answer: dict[str, Any]) -> dict[tuple[datetime, str, str], float]:
    """WakaTime's durations as {(start, project, language): seconds}, same keys summed."""
    rows: dict[tuple[datetime, str, str], float] = defaultdict(float)
    for item in answer.get("data") or []:
        key = (_start_near(day, item["time"]), item.get("project") or "", item.get("language") or "")
        rows[key] += _seconds_in_a_day(item["duration"])
    return rows


def _day_totals(answer: dict[str, Any]) -> dict[tuple[str, str], float]:
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for summary in answer.get("data") or []:
        for key, dimension in SUMMARY_DIMENSIONS.items():
            for entry in summary.get(key) or []:
                totals[(dimension, entry.get("name") or "")] += _seconds_in_a_day(entry.get("total_seconds") or 0)
    return totals


def _columns(keys: Iterable[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """[(a, b), (c, d)] -> [[a, c], [b, d]]: key tuples as the column arrays unnest() takes."""
    columns: list[list[Any]] = [[] for _ in range(width)]
    for key in keys:
        for column, value in zip(columns, key, strict=True):
            column.append(value)
    return columns


def store_day(
    db: Database,
    principal: Principal,
    day: date,
    durations: dict[tuple[datetime, str, str], float],
    totals: dict[tuple[str, str], float],
) -> None:
    """Make the stored day equal to WakaTime's answer, touching only rows that differ."""
    owner = principal.user_id
    starts, projects, languages = (
        (list(column) for column in zip(*durations, strict=True)) if durations else ([], [], [])
    )
    dimensions, names = (list(column) for column in zip(*totals, strict=True)) if totals else ([], [])
    with db.as_user(principal.db_claims) as conn:
        conn.execute(
            "delete from wakatime_durations d where d.owner_id = %s and d.day = %s and (d.started_at, d.project,"
            " d.language) not in (select * from unnest(%s::timestamptz[], %s::text[], %s::text[]))",
            (owner, day, starts, projects, languages),
        )
        conn.execute(
            "insert into wakatime_durations (day, started_at, project, language, duration_seconds)"
            " select %s, * from unnest(%s::timestamptz[], %s::text[], %s::text[], %s::float8[])"
            " on conflict (owner_id, day, started_at, project, language) do update"
            " set duration_seconds = excluded.duration_seconds, imported_at = now()"
            " where wakatime_durations.duration_seconds is distinct from excluded.duration_seconds",
            (day, starts, projects, languages, list(durations.values())),
        )
        conn.execute(
            "delete from wakatime_day_totals t where t.owner_id = %s and t.day = %s"
            " and (t.dimension, t.name) not in (select * from unnest(%s::text[], %s::text[]))",
            (owner, day, dimensions, names),
        )
        conn.execute(
            "insert into wakatime_day_totals (day, dimension, name, seconds)"
            " select %s, * from unnest(%s::text[], %s::text[], %s::float8[])"
            " on conflict (owner_id, day, dimension, name) do update"
            " set seconds = excluded.seconds, imported_at = now()"
            " where wakatime_day_totals.seconds is distinct from excluded.seconds",
            (day, dimensions, names, list(totals.values())),
        )


def days_between(first_day: date, last_day: date) -> list[date]:
    if first_day > last_day or (last_day - first_day).days >= MAX_DAYS:
        raise InvalidInput(f"the first day must be on or before the last, at most {MAX_DAYS} days apart")
    return [first_day + timedelta(days=offset) for offset in range((last_day - first_day).days + 1)]


def _fetch_day(client: WakaTimeClient, token: str, day: date, tz: str) -> tuple[dict[str, Any], dict[str, Any]]:
    when = day.isoformat()
    durations = client.get("users/current/durations", token, {"date": when, "slice_by": "language", "timezone": tz})
    summaries = client.get("users/current/summaries", token, {"start": when, "end": when, "timezone": tz})
    return durations, summaries


def import_range(
    db: Database,
    principal: Principal,
    first_day: date,
    last_day: date,
    client: WakaTimeClient,
    cipher: TokenCipher,
    progress: Progress | None = None,
) -> ImportResult:
    """Import [first_day, last_day] for the caller; the result is also recorded on the connection."""
    days = days_between(first_day, last_day)
    if connections.status(db, principal) is None:
        raise NotFound("WakaTime is not connected; connect it on the Integrations page first")
    tz = profiles.timezone_of(db, principal).key
    result = ImportResult()
    owner: UUID = principal.user_id
    for done, day in enumerate(days, start=1):
        try:
            # Inside the try: a refresh due now can meet WakaTime down, which is a reason, not a crash.
            token = connections.access_token(db, owner, client, cipher)
            if token is None:
                result.reconnect_needed = True
                break
            try:
                answers = _fetch_day(client, token, day, tz)
            except GrantRefused:
                # Revoked or expired early: one refresh, then the person has to reconnect.
                token = connections.refresh(db, owner, client, cipher)
                if token is None:
                    result.reconnect_needed = True
                    break
                answers = _fetch_day(client, token, day, tz)
        except OutsideHistory:
            result.skipped_days.append({"day": day.isoformat(), "reason": "outside the WakaTime plan's history"})
        except GrantRefused:
            connections.mark_reconnect_needed(db, owner)
            result.reconnect_needed = True
            break
        except WakaTimeError as exc:
            result.error = str(exc)
            break
        else:
            try:
                durations, totals = _day_durations(day, answers[0]), _day_totals(answers[1])
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError):
                result.error = f"WakaTime's answer for {day} was not in the expected shape; nothing stored for it"
                break
            store_day(db, principal, day, durations, totals)
            result.imported_days.append(day.isoformat())
        if progress:
            progress(done, len(days), day)
    if result.reconnect_needed:
        result.error = "WakaTime refused our access: connect again on the Integrations page"
    connections.record_import(db, owner, result.as_json())
    return result

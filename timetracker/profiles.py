"""A person's profile: display name, the timezone every day boundary is computed in, the
order of sources their counted-once timeline attributes shared seconds by, how long a tag
left in a reader counts, and whether their team admins may read their notes."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import InvalidInput, NotFound
from timetracker.reports.counted_once import ordered_precedence
from timetracker.reports.sources import DEFAULT_PRECEDENCE

PROFILE_COLUMNS = (
    "id, email, display_name, timezone, source_precedence, open_interval_cap_hours, share_notes, created_at, updated_at"
)
CAP_HOURS = range(1, 25)


def valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    # ZoneInfo opens a file named after the key: a directory ("America") raises
    # IsADirectoryError and an over-long name OSError (ENAMETOOLONG); neither is a timezone.
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InvalidInput(f"unknown timezone {name!r}; use an IANA name like 'Europe/Berlin'") from exc
    return name


def valid_precedence(order: list[str]) -> list[str]:
    """Known sources, each at most once. One left out keeps its default place (see
    counted_once.ordered_precedence), so an order saved before a source existed stays valid."""
    if len(set(order)) != len(order) or not set(order) <= set(DEFAULT_PRECEDENCE):
        raise InvalidInput(f"source_precedence may name each of {', '.join(DEFAULT_PRECEDENCE)} once")
    return order


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "source_precedence": ordered_precedence(row["source_precedence"], DEFAULT_PRECEDENCE)}


def timezone_names() -> list[str]:
    return sorted(available_timezones())


def get(db: Database, principal: Principal) -> dict[str, Any]:
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            f"select {PROFILE_COLUMNS} from tracker_profiles where id = %s", (principal.user_id,)
        ).fetchone()
    if row is None:
        raise NotFound("profile not found")
    return _shown(row)


def update(
    db: Database,
    principal: Principal,
    *,
    display_name: str | None = None,
    timezone: str | None = None,
    source_precedence: list[str] | None = None,
    open_interval_cap_hours: int | None = None,
    share_notes: bool | None = None,
) -> dict[str, Any]:
    """Change what is given; the rest stays as it is."""
    if timezone is not None:
        valid_timezone(timezone)
    if source_precedence is not None:
        valid_precedence(source_precedence)
    if open_interval_cap_hours is not None and open_interval_cap_hours not in CAP_HOURS:
        raise InvalidInput("open_interval_cap_hours must be between 1 and 24")
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            "update tracker_profiles set display_name = coalesce(%(name)s, display_name),"
            " timezone = coalesce(%(timezone)s, timezone),"
            " source_precedence = coalesce(%(precedence)s, source_precedence),"
            " open_interval_cap_hours = coalesce(%(cap)s, open_interval_cap_hours),"
            " share_notes = coalesce(%(share)s, share_notes),"
            f" updated_at = now() where id = %(id)s returning {PROFILE_COLUMNS}",
            {
                "name": display_name.strip() if display_name is not None else None,
                "timezone": timezone,
                "precedence": source_precedence,
                "cap": open_interval_cap_hours,
                "share": share_notes,
                "id": principal.user_id,
            },
        ).fetchone()
    if row is None:
        raise NotFound("profile not found")
    return _shown(row)


def timezone_of(db: Database, principal: Principal) -> ZoneInfo:
    return ZoneInfo(get(db, principal)["timezone"])

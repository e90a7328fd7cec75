"""A person's profile: display name, the timezone every day boundary is computed in, and
the order of sources their counted-once timeline attributes shared seconds by."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import InvalidInput, NotFound
from timetracker.reports.counted_once import ordered_precedence
from timetracker.reports.sources import DEFAULT_PRECEDENCE

PROFILE_COLUMNS = "id, email, display_name, timezone, source_precedence, created_at, updated_at"


def valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    # ZoneInfo opens a file named after the key: a directory ("America") raises
    # IsADirectoryError and an over-long name OSError (ENAMETOOLONG); neither is a timezone.
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InvalidInput(f"unknown timezone {name!r}; use an IANA name like 'Europe/Berlin'") from exc
    return name


def valid_precedence(order: list[str]) -> list[str]:
    if sorted(order) != sorted(DEFAULT_PRECEDENCE):
        raise InvalidInput(f"source_precedence must name each of {', '.join(DEFAULT_PRECEDENCE)} exactly once")
    return order


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "source_precedence": ordered_precedence(row["source_precedence"], DEFAULT_PRECEDENCE)}


def timezone_names() -> list[str]:
    return sorted(available_timezones())


def get(db: Database, principal: Principal) -> dict[str, Any]:
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(f"select {PROFILE_COLUMNS} from profiles where id = %s", (principal.user_id,)).fetchone()
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
) -> dict[str, Any]:
    if timezone is not None:
        valid_timezone(timezone)
    if source_precedence is not None:
        valid_precedence(source_precedence)
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            "update profiles set display_name = coalesce(%s, display_name), timezone = coalesce(%s, timezone),"
            " source_precedence = coalesce(%s, source_precedence),"
            f" updated_at = now() where id = %s returning {PROFILE_COLUMNS}",
            (
                display_name.strip() if display_name is not None else None,
                timezone,
                source_precedence,
                principal.user_id,
            ),
        ).fetchone()
    if row is None:
        raise NotFound("profile not found")
    return _shown(row)


def timezone_of(db: Database, principal: Principal) -> ZoneInfo:
    return ZoneInfo(get(db, principal)["timezone"])

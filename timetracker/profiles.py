"""A person's profile: display name and the timezone every day boundary is computed in."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import InvalidInput, NotFound

PROFILE_COLUMNS = "id, email, display_name, timezone, created_at, updated_at"


def valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    # ZoneInfo opens a file named after the key: a directory ("America") raises
    # IsADirectoryError and an over-long name OSError (ENAMETOOLONG); neither is a timezone.
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InvalidInput(f"unknown timezone {name!r}; use an IANA name like 'Europe/Berlin'") from exc
    return name


def timezone_names() -> list[str]:
    return sorted(available_timezones())


def get(db: Database, principal: Principal) -> dict[str, Any]:
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(f"select {PROFILE_COLUMNS} from profiles where id = %s", (principal.user_id,)).fetchone()
    if row is None:
        raise NotFound("profile not found")
    return row


def update(
    db: Database, principal: Principal, *, display_name: str | None = None, timezone: str | None = None
) -> dict[str, Any]:
    if timezone is not None:
        valid_timezone(timezone)
    with db.as_user(principal.db_claims) as conn:
        row = conn.execute(
            f"update profiles set display_name = coalesce(%s, display_name), timezone = coalesce(%s, timezone),"
            f" updated_at = now() where id = %s returning {PROFILE_COLUMNS}",
            (display_name.strip() if display_name is not None else None, timezone, principal.user_id),
        ).fetchone()
    if row is None:
        raise NotFound("profile not found")
    return row


def timezone_of(db: Database, principal: Principal) -> ZoneInfo:
    return ZoneInfo(get(db, principal)["timezone"])

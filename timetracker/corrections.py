"""Corrections a person makes to their own time: entries added by hand and stretches
excluded as not work. Both count in the counted-once timeline (timetracker.reports); every
change is recorded in `time_edits` by the database's own triggers.

RLS decides everything: only the person writes their corrections, their team owners and
admins read them. The notes (an entry's note, an exclusion's reason) live apart, in
`correction_notes`, which admins read only when the person shares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import EllipsisType
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden, InvalidInput, NotFound
from timetracker.projects.store import usable_project
from timetracker.reports.timeline import local_day_window, may_see_time_of
from timetracker.storable import unstorable_text

Kind = Literal["entry", "exclusion"]
# No time before this is anybody's work here, and nothing is corrected ahead of tomorrow.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=1)
LONGEST = {"entry": timedelta(hours=24), "exclusion": timedelta(days=31)}
TABLES = {"entry": "time_entries", "exclusion": "time_exclusions"}
NOTE_MAX = 1000
LABEL_MAX = 100


@dataclass(frozen=True)
class Stretch:
    start: datetime
    end: datetime


def checked_stretch(kind: Kind, start: datetime, end: datetime, now: datetime | None = None) -> Stretch:
    """A stretch a person may add: aware times, in order, not before 2000 nor more than a day
    ahead, and no longer than an entry (24 h) or an exclusion (31 days) may be."""
    now = now or datetime.now(UTC)
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("start and end need a timezone offset, e.g. 2025-04-11T09:00:00+02:00")
    if end <= start:
        raise InvalidInput("end must be after start")
    if start < EARLIEST:
        raise InvalidInput(f"start must not be before {EARLIEST:%Y-%m-%d}")
    if end > now + AHEAD:
        raise InvalidInput("end must not be more than a day in the future")
    if end - start > LONGEST[kind]:
        longest = "24 hours" if kind == "entry" else "31 days"
        raise InvalidInput(f"an {kind} may be at most {longest} long")
    return Stretch(start, end)


def checked_text(what: str, text: str, longest: int, *, blank: bool) -> str:
    text = text.strip()
    problem = unstorable_text(text)
    if problem:
        raise InvalidInput(f"{what} {problem}")
    if not text and not blank:
        raise InvalidInput(f"{what} must not be empty")
    if len(text) > longest:
        raise InvalidInput(f"{what} must be at most {longest} characters")
    return text


def _columns(kind: Kind) -> str:
    label = ", c.label, c.project_id" if kind == "entry" else ""
    return f"c.id, c.owner_id, c.started_at, c.ended_at{label}, n.note, c.created_at, c.updated_at"


def _select(kind: Kind) -> str:
    return f"select {_columns(kind)} from {TABLES[kind]} c left join correction_notes n on n.item_id = c.id"


def add(
    db: Database,
    principal: Principal,
    kind: Kind,
    start: datetime,
    end: datetime,
    note: str,
    label: str | None = None,
    project_id: UUID | None = None,
) -> dict[str, Any]:
    """A new entry (with `label`, and a project if given) or exclusion of the caller's, with
    its note or reason."""
    stretch = checked_stretch(kind, start, end)
    note = checked_text("note" if kind == "entry" else "reason", note, NOTE_MAX, blank=kind == "entry")
    with db.as_user(principal.db_claims) as conn:
        if kind == "entry":
            row = conn.execute(
                "insert into time_entries (started_at, ended_at, label, project_id) values (%s, %s, %s, %s)"
                " returning id",
                (
                    stretch.start,
                    stretch.end,
                    checked_text("label", label or "", LABEL_MAX, blank=False),
                    usable_project(conn, project_id),
                ),
            ).fetchone()
        else:
            row = conn.execute(
                "insert into time_exclusions (started_at, ended_at) values (%s, %s) returning id",
                (stretch.start, stretch.end),
            ).fetchone()
        conn.execute("insert into correction_notes (item_id, note) values (%s, %s)", (row["id"], note))
        return _one(conn, kind, row["id"])


def _one(conn: Connection[Any], kind: Kind, item_id: UUID) -> dict[str, Any]:
    row = conn.execute(f"{_select(kind)} where c.id = %s", (item_id,)).fetchone()
    if row is None:
        raise NotFound(f"no such {kind} of yours")
    return row


def update(
    db: Database,
    principal: Principal,
    kind: Kind,
    item_id: UUID,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    note: str | None = None,
    label: str | None = None,
    project_id: UUID | EllipsisType | None = ...,
) -> dict[str, Any]:
    """Change an entry or exclusion of the caller's; what is not given (None, or for the
    project `...`) stays as it is."""
    with db.as_user(principal.db_claims) as conn:
        current = conn.execute(
            f"select started_at, ended_at from {TABLES[kind]} where id = %s and owner_id = %s for update",
            (item_id, principal.user_id),
        ).fetchone()
        if current is None:
            raise NotFound(f"no such {kind} of yours")
        stretch = checked_stretch(kind, start or current["started_at"], end or current["ended_at"])
        label_change = ", label = %(label)s" if kind == "entry" and label is not None else ""
        conn.execute(
            f"update {TABLES[kind]} set started_at = %(start)s, ended_at = %(end)s, updated_at = now(){label_change}"
            " where id = %(id)s",
            {
                "start": stretch.start,
                "end": stretch.end,
                "id": item_id,
                "label": checked_text("label", label, LABEL_MAX, blank=False) if label is not None else None,
            },
        )
        if kind == "entry" and not isinstance(project_id, EllipsisType):
            conn.execute(
                "update time_entries set project_id = %s where id = %s", (usable_project(conn, project_id), item_id)
            )
        if note is not None:
            checked = checked_text("note" if kind == "entry" else "reason", note, NOTE_MAX, blank=kind == "entry")
            conn.execute("update correction_notes set note = %s where item_id = %s", (checked, item_id))
        return _one(conn, kind, item_id)


def delete(db: Database, principal: Principal, kind: Kind, item_id: UUID) -> None:
    with db.as_user(principal.db_claims) as conn:
        gone = conn.execute(
            f"delete from {TABLES[kind]} where id = %s and owner_id = %s", (item_id, principal.user_id)
        ).rowcount
        if not gone:
            raise NotFound(f"no such {kind} of yours")
        conn.execute("delete from correction_notes where item_id = %s", (item_id,))


def _whose(conn: Connection[Any], principal: Principal, owner_id: UUID | None) -> UUID:
    owner = owner_id or principal.user_id
    if owner != principal.user_id and not may_see_time_of(conn, owner):
        raise Forbidden("you can see the corrections of members of teams you own or administer only")
    return owner


def listed(
    db: Database,
    principal: Principal,
    kind: Kind,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    owner_id: UUID | None = None,
) -> list[dict[str, Any]]:
    """Entries or exclusions overlapping the local days, oldest first (notes only where readable)."""
    start, end = local_day_window(first_day, last_day, tz)
    with db.as_user(principal.db_claims) as conn:
        owner = _whose(conn, principal, owner_id)
        return conn.execute(
            f"{_select(kind)} where c.owner_id = %s and c.started_at < %s and c.ended_at > %s"
            f" and c.started_at >= %s - interval '{LONGEST[kind].days or 1} days'"
            " order by c.started_at, c.id",
            (owner, end, start, start),
        ).fetchall()


def edits(
    db: Database, principal: Principal, first_day: date, last_day: date, tz: ZoneInfo, owner_id: UUID | None = None
) -> list[dict[str, Any]]:
    """The trail of changes whose stretch (before or after) touches the local days, oldest first."""
    start, end = local_day_window(first_day, last_day, tz)
    with db.as_user(principal.db_claims) as conn:
        owner = _whose(conn, principal, owner_id)
        return conn.execute(EDITS, {"owner": owner, "start": start, "end": end}).fetchall()


# Changes whose stretch, after or before the change, touches [start, end).
EDITS = """
select id, owner_id, actor_id, kind, action, item_id, at, started_at, ended_at, previous, current
from time_edits
where owner_id = %(owner)s
  and ((started_at < %(end)s and ended_at > %(start)s)
       or ((previous ->> 'started_at')::timestamptz < %(end)s and (previous ->> 'ended_at')::timestamptz > %(start)s))
order by at, id
"""

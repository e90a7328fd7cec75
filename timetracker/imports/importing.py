"""Import entries as their owner, each once, or preview what an import would do without
writing anything.

The shared set-based insert (`timetracker.ingest.table`) with ON CONFLICT DO NOTHING on
(owner_id, entry_key): importing the same export again changes nothing, and RLS's WITH
CHECK decides that the rows are the caller's own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from timetracker import profiles
from timetracker.auth.principal import Principal
from timetracker.config import Settings
from timetracker.db import Database
from timetracker.errors import InvalidInput
from timetracker.imports import clockify_csv, detailed_report, toggl_csv
from timetracker.imports.entries import ImportedEntry, Parsed
from timetracker.ingest.table import Column, OwnedTable

FileFormat = Literal["toggl_csv", "clockify_csv"]
Format = Literal["toggl_csv", "clockify_csv", "toggl_api"]
COLUMNS = {"toggl_csv": toggl_csv.COLUMNS, "clockify_csv": clockify_csv.COLUMNS}


@dataclass(frozen=True)
class Outcome:
    created: int
    duplicate: int  # stored before, or twice in this import
    invalid: int  # rows holding no time to import (zero length; from Toggl's API, running or over a day)


@dataclass(frozen=True)
class ProjectTotal:
    name: str  # "" for entries with no project
    entries: int
    seconds: float


@dataclass(frozen=True)
class Preview:
    rows: int  # entries read (invalid rows aside)
    invalid: int
    duplicate: int  # would be skipped: already stored, or twice in this import
    first_start: datetime | None
    last_end: datetime | None
    seconds: float
    projects: list[ProjectTotal] = field(default_factory=list)

    @property
    def new(self) -> int:
        return self.rows - self.duplicate


def read_file(settings: Settings, file_format: FileFormat, data: bytes, tz: ZoneInfo) -> Parsed:
    """A file's entries: InvalidFile when a line is wrong, InvalidInput when it is too large."""
    if len(data) > settings.import_max_bytes:
        raise InvalidInput(f"the file is larger than {settings.import_max_bytes} bytes; export fewer days at a time")
    parsed = detailed_report.read(data, tz, COLUMNS[file_format])
    if len(parsed.entries) > settings.import_max_entries:
        raise InvalidInput(f"the file holds more than {settings.import_max_entries} entries; export fewer days")
    return parsed


def zone(db: Database, principal: Principal, name: str | None) -> ZoneInfo:
    """The zone a file's local times are read in: the one named, or the person's own."""
    return ZoneInfo(profiles.valid_timezone(name)) if name else profiles.timezone_of(db, principal)


IMPORTED_ENTRIES = OwnedTable(
    name="imported_entries",
    batch_columns=("owner_id",),
    columns=(
        Column("origin", "text"),
        Column("entry_key", "text"),
        Column("started_at", "timestamptz"),
        Column("ended_at", "timestamptz"),
        Column("project", "text"),
        Column("client", "text"),
        Column("task", "text"),
        Column("description", "text"),
        Column("tags", "text"),
    ),
    natural_key="imported_entries_owner_key",
    key_columns=("entry_key",),
)


def store(db: Database, principal: Principal, parsed: Parsed) -> Outcome:
    """Store the entries as their owner in one transaction; each entry once, however often imported."""
    rows = [
        (e.origin, e.key, e.started_at, e.ended_at, e.project, e.client, e.task, e.description, e.tags)
        for e in parsed.entries
    ]
    statuses = IMPORTED_ENTRIES.store(db, principal.user_id, (), rows)
    created = statuses.count("created")
    return Outcome(created=created, duplicate=len(statuses) - created, invalid=parsed.invalid)


def preview(db: Database, principal: Principal, parsed: Parsed) -> Preview:
    """What `store` would do, read as the person; nothing is written."""
    entries = parsed.entries
    keys = sorted({e.key for e in entries})
    stored = 0
    if keys:
        with db.as_user(principal.db_claims) as conn:
            row = conn.execute(
                "select count(*) as n from imported_entries where owner_id = %s and entry_key = any(%s::text[])",
                (principal.user_id, keys),
            ).fetchone()
            stored = int(row["n"])
    return Preview(
        rows=len(entries),
        invalid=parsed.invalid,
        duplicate=len(entries) - len(keys) + stored,
        first_start=min((e.started_at for e in entries), default=None),
        last_end=max((e.ended_at for e in entries), default=None),
        seconds=sum(_seconds(e) for e in entries),
        projects=_projects(entries),
    )


def _seconds(entry: ImportedEntry) -> float:
    return (entry.ended_at - entry.started_at).total_seconds()


def _projects(entries: list[ImportedEntry]) -> list[ProjectTotal]:
    counts = Counter(e.project for e in entries)
    seconds: Counter[str] = Counter()
    for e in entries:
        seconds[e.project] += _seconds(e)
    return [ProjectTotal(name, counts[name], seconds[name]) for name, _ in seconds.most_common()]


def remove_all(db: Database, principal: Principal) -> int:
    """Remove every entry the person imported (to import again, e.g. in another timezone)."""
    with db.as_user(principal.db_claims) as conn:
        return conn.execute("delete from imported_entries where owner_id = %s", (principal.user_id,)).rowcount

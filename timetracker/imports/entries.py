"""An entry from another tracker, the identity that makes importing it twice a no-op, and
what is wrong with a file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Literal

from timetracker.errors import InvalidInput

Origin = Literal["toggl", "clockify"]
# As long as the other time tables allow one entry to be (time_entries, corrections).
LONGEST_ENTRY = timedelta(hours=24)
# Column limits of imported_entries: longer texts are cut, not refused.
LONGEST_NAME = 200
LONGEST_TEXT = 1000
# The days an import may hold: nothing tracked before 1970, and far enough from the ends of
# Python's dates that no zone moves an instant off them.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)
# How many of a file's problems an answer lists (the first is in the message).
PROBLEMS_LISTED = 20


@dataclass(frozen=True)
class ImportedEntry:
    origin: Origin
    started_at: datetime
    ended_at: datetime
    project: str = ""
    client: str = ""
    task: str = ""
    description: str = ""
    tags: str = ""

    @cached_property
    def key(self) -> str:
        """What makes two entries the same one, whichever way they came (a CSV export or
        Toggl's API): the instants and what the person called it."""
        identity = [
            self.started_at.astimezone(UTC).isoformat(),
            self.ended_at.astimezone(UTC).isoformat(),
            self.project,
            self.description,
        ]
        return hashlib.sha256(json.dumps(identity, separators=(",", ":")).encode()).hexdigest()


def entry(origin: Origin, started_at: datetime, ended_at: datetime, **names: str) -> ImportedEntry:
    """An entry with its names trimmed to what the table keeps (PostgreSQL's text holds no NUL)."""
    limits = {"description": LONGEST_TEXT, "tags": LONGEST_TEXT}
    kept = {name: value.replace("\x00", "").strip()[: limits.get(name, LONGEST_NAME)] for name, value in names.items()}
    return ImportedEntry(origin, started_at.astimezone(UTC), ended_at.astimezone(UTC), **kept)


def span_problem(started_at: datetime, ended_at: datetime) -> str | None:
    """Why a span cannot be stored (the table's own rule), or None. A zero-length span is no
    problem: it holds no time, and is left out (counted invalid) rather than refused.
    Compared in UTC: two datetimes of one zone subtract by their wall clocks."""
    started_at, ended_at = started_at.astimezone(UTC), ended_at.astimezone(UTC)
    if ended_at < started_at:
        return "ends before it starts"
    if ended_at - started_at > LONGEST_ENTRY:
        return "is longer than 24 hours (split it in the other tracker, or leave it out)"
    return None


@dataclass
class Parsed:
    """A file's (or a Toggl request's) entries, and how many rows held no time to import."""

    entries: list[ImportedEntry] = field(default_factory=list)
    invalid: int = 0


class InvalidFile(InvalidInput):
    """A file that cannot be imported as it is: the lines at fault, first one in the message.
    Nothing of it is imported."""

    code = "invalid_file"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        line, what = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        listed = [{"line": number, "message": problem} for number, problem in problems[:PROBLEMS_LISTED]]
        super().__init__(f"line {line}: {what}{more}. Nothing was imported.", details=listed)

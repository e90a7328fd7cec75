"""The committed schema snapshot is what the migrations make: read one file to know the rules."""

from __future__ import annotations

from pathlib import Path

from timetracker.db import migrate
from timetracker.db.snapshot import schema_of

SNAPSHOT = Path(__file__).resolve().parents[2] / "sql" / "snapshot" / "schema.sql"


def test_the_committed_snapshot_is_what_the_migrations_make(fresh_database: str) -> None:
    migrate.apply_all(fresh_database)
    made = schema_of(fresh_database)
    assert made == SNAPSHOT.read_text(), (
        "sql/snapshot/schema.sql is out of date: run `python -m timetracker db schema > sql/snapshot/schema.sql`"
        " and commit it with the migration"
    )

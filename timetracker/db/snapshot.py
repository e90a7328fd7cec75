"""The schema the migrations make, as one readable file: every table, policy, function and
grant of the product's schemas, dumped with pg_dump from a migrated database.

A test rebuilds it from a fresh database and compares it with the committed copy, so a
migration's effect can be read (and reviewed) in one place; `python -m timetracker db schema`
prints it to commit after writing a migration.
"""

from __future__ import annotations

import subprocess

from timetracker.db import embedded

SCHEMAS = ("public", "internal")
# Lines that differ between two dumps of the same schema: versions, and the random key that
# pg_dump 17.6+ puts around a dump's psql meta-commands.
_VOLATILE = ("-- Dumped from database version", "-- Dumped by pg_dump version", "\\restrict ", "\\unrestrict ")


def schema_of(url: str) -> str:
    """The product's schemas in `url`'s database, without owners (they differ by install)."""
    command = [embedded.client_tool("pg_dump"), "--schema-only", "--no-owner", "--dbname", url]
    command += [f"--schema={schema}" for schema in SCHEMAS]
    dump = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 (our own pg_dump)
    return "\n".join(line for line in dump.splitlines() if not line.startswith(_VOLATILE)).strip() + "\n"

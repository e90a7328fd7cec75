"""Set-based inserts for an owner's table: a batch in one transaction, retries stored once.

A source declares its table: the columns an item fills, the columns one value fills for the
whole batch (the owner, the device), and its natural key's unique constraint. The items go
as one JSON array of records, read by `json_to_recordset` (`jsonb_to_recordset` for a table
with a jsonb column) into `INSERT ... ON CONFLICT ON CONSTRAINT <key> DO NOTHING RETURNING
<key>`; the rows returned are the new ones, so every item is answered created or duplicate.
The statement runs as the owner, so the table's RLS `WITH CHECK` guards it whatever the
caller did.

A big batch goes as one such statement per `CHUNK_ROWS` items, each sent without waiting
for the one before (pipeline mode), while the next items are still being validated: so
PostgreSQL stores one part on one core while Python reads the next on the other, as `COPY`
overlaps its two sides. As one statement, the database waited idle through all of the
validation, then Python through all of the insert.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice
from typing import Any, TypeVar
from uuid import UUID

from psycopg import Cursor
from pydantic_core import to_json

from timetracker.db import Database
from timetracker.ingest.items import StoredStatus

# Items per statement. 500 reader events took 23 ms as one statement, 17 ms as chunks of 100
# and 20 ms as chunks of 250 (bench/ingest_bench.py measures the whole path): smaller chunks
# start the database sooner, and each costs a statement's overhead.
CHUNK_ROWS = 100
Row = TypeVar("Row", bound=Sequence[Any])


def json_text(value: Any) -> str:
    """`value` as JSON text for a jsonb column, by pydantic-core's serializer: a batch writes
    one per item, and `json.dumps` took 2 ms for 500 reader events' payloads, this 0.4 ms.
    Postgres parses the text into jsonb, so only what it says counts, not how it is spelled."""
    return to_json(value).decode()


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # the Postgres type of one value (a JSON array becomes a Postgres array)


@dataclass(frozen=True)
class OwnedTable:
    name: str
    batch_columns: tuple[str, ...]  # one value for the whole batch, first the owner
    columns: tuple[Column, ...]  # one value per item
    natural_key: str  # the unique constraint that makes a retried item a duplicate
    key_columns: tuple[str, ...]  # what identifies an item within one batch's columns

    @cached_property
    def _names(self) -> list[str]:
        return [column.name for column in self.columns]

    @cached_property
    def insert_sql(self) -> str:
        record = ", ".join(f"{column.name} {column.type}" for column in self.columns)
        # The rows go as one JSON text, written by pydantic-core in Rust and parsed by PostgreSQL
        # (on the other core, while the next rows are read): an array per column, dumped by
        # psycopg element by element in Python, cost the API more than validating the items.
        # Read as jsonb when a column is jsonb: its values are then taken from the parsed
        # document, where json_to_recordset parsed each one again (5% of a reader chunk's insert).
        # Otherwise as json, which does not build the whole tree first (6% of a heartbeat chunk's).
        read = "jsonb_to_recordset(%s::jsonb)" if self._has_jsonb else "json_to_recordset(%s::json)"
        return (
            f"insert into {self.name} ({', '.join([*self.batch_columns, *self._names])})"
            f" select {', '.join(['%s'] * len(self.batch_columns) + [f'r.{name}' for name in self._names])}"
            f" from {read} as r({record})"
            f" on conflict on constraint {self.natural_key} do nothing"
            f" returning {', '.join(self.key_columns)}"
        )

    def records(self, rows: Sequence[Sequence[Any]]) -> str:
        """`rows` (values in `columns` order) as the JSON array of records `insert_sql` reads."""
        return to_json([dict(zip(self._names, row, strict=True)) for row in rows]).decode()

    @cached_property
    def _has_jsonb(self) -> bool:
        return any(column.type == "jsonb" for column in self.columns)

    @cached_property
    def _key_positions(self) -> tuple[int, ...]:
        return tuple(self._names.index(name) for name in self.key_columns)

    def key_of(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(row[position] for position in self._key_positions)

    def store(
        self, db: Database, owner_id: UUID, batch_values: Sequence[Any], rows: Iterable[Sequence[Any]]
    ) -> list[StoredStatus]:
        """Insert `rows` (values in `columns` order) in one transaction as the person `owner_id`;
        per row, in order: created or duplicate. `rows` may be lazy (validated as they are
        taken): each chunk of them is sent before the next is taken."""
        chunks = in_chunks(rows, CHUNK_ROWS)
        first = next(chunks, None)
        if first is None:
            return []
        values = (owner_id, *batch_values)
        with db.as_person(owner_id) as conn:
            # Pipeline mode: a chunk's statement goes out at once, its answer is read at the end.
            with conn.pipeline():
                sent = [
                    (conn.execute(self.insert_sql, (*values, self.records(chunk))), chunk)
                    for chunk in chain([first], chunks)
                ]
            return [status for cursor, chunk in sent for status in self._statuses(cursor, chunk)]

    def _statuses(self, cursor: Cursor[Any], rows: Sequence[Sequence[Any]]) -> list[StoredStatus]:
        """Per row of one chunk's insert, in order: created or duplicate."""
        # Each row is inserted once or skipped, so the count alone answers the usual batches (all
        # new, or a replay of them all) without reading back a row: 1 ms of a batch of 500.
        if cursor.rowcount in (0, len(rows)):
            return ["created" if cursor.rowcount else "duplicate"] * len(rows)
        new = Counter(tuple(row[name] for name in self.key_columns) for row in cursor.fetchall())
        statuses: list[StoredStatus] = []
        for row in rows:
            # The same item twice in one batch: the first is new, the second a duplicate (also
            # across chunks: the later chunk's insert meets the row the earlier one stored).
            key = self.key_of(row)
            if new[key] > 0:
                new[key] -= 1
                statuses.append("created")
            else:
                statuses.append("duplicate")
        return statuses


def in_chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """`rows` in lists of `size` (the last may be shorter), each taken only when asked for."""
    remaining = iter(rows)
    while chunk := list(islice(remaining, size)):
        yield chunk

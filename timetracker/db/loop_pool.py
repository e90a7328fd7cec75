"""One statement as a person, awaited on the API's event loop.

`Database` serves the request handlers, each in a thread. A single reader event's whole write
is one statement (the switch, the insert and the commit as one simple query), and for it the
hop to a thread and back was about a fifth of the API's time per event, sampled with the GIL
held (bench/ingest_bench.py measures the route). This pool sends that statement from the event
loop instead.

It is the API's own, opened in its lifespan on its loop. It holds no connection until the
first such write, and at most `max_size`: the API gives it one per handler thread, so as many
statements are in flight at once as from the threads. Requests beyond that wait their turn on
the loop, as the handlers' do; only a database that cannot be reached answers 503.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from timetracker.db.pool import UNREACHABLE, DatabaseUnavailable, as_person_query


class LoopDatabase:
    def __init__(self, app_url: str, max_size: int, timeout: float) -> None:
        self.pool: AsyncConnectionPool[psycopg.AsyncConnection[dict[str, Any]]] = AsyncConnectionPool(
            app_url,
            min_size=0,
            max_size=max_size,
            timeout=timeout,
            # Autocommit: the simple query is its own transaction. Bound on the client and never
            # prepared, so a transaction pooler in front of the database needs nothing more.
            kwargs={"autocommit": True, "row_factory": dict_row},
            open=False,
            name="timetracker-loop",
        )
        self._turns = asyncio.Semaphore(max_size)

    async def open(self) -> None:
        await self.pool.open(wait=False)

    async def close(self) -> None:
        await self.pool.close()

    async def one_as_person(self, owner_id: UUID, statement: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """`Database.one_as_person`, awaited: the first row of one statement run as the person
        `owner_id`, in one round trip with the switch and the commit."""
        text, values = as_person_query(owner_id, statement, params)
        async with self._turns:
            try:
                async with self.pool.connection() as conn:
                    cursor = psycopg.AsyncClientCursor(conn, row_factory=dict_row)
                    await cursor.execute(text, values, prepare=False)
                    cursor.nextset()  # past the switch's own result
                    return await cursor.fetchone()
            except UNREACHABLE as exc:
                raise DatabaseUnavailable(str(exc)) from exc

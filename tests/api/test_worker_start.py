"""What an API worker sets up as it starts: how many requests it handles at once (API_THREADS,
never more than its pool), and the start-up heap kept out of the collector's full passes."""

from __future__ import annotations

import gc

import anyio
from anyio import to_thread

from api.main import create_app
from timetracker.config import Settings
from timetracker.runtime import Runtime


async def _handler_threads(settings: Settings, runtime: Runtime) -> float:
    """The thread limit sync handlers run under, as the app's start sets it."""
    app = create_app(settings, runtime)
    async with app.router.lifespan_context(app):
        return to_thread.current_default_thread_limiter().total_tokens


def test_a_worker_runs_api_threads_handlers_at_once(settings: Settings, runtime: Runtime) -> None:
    three = settings.model_copy(update={"api_threads": 3, "db_pool_max_size": 10})
    assert anyio.run(_handler_threads, three, runtime) == 3


def test_never_more_handlers_than_database_connections(settings: Settings, runtime: Runtime) -> None:
    # A thread beyond the pool would only wait for a connection while holding its turn.
    crowded = settings.model_copy(update={"api_threads": 12, "db_pool_max_size": 5})
    assert anyio.run(_handler_threads, crowded, runtime) == 5


def test_the_start_up_heap_is_frozen(settings: Settings, runtime: Runtime) -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    anyio.run(_handler_threads, settings, runtime)
    # Routes, models and schemas: tens of thousands of objects the full passes no longer walk.
    assert gc.get_freeze_count() > 10_000

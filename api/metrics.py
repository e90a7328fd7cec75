"""The API's Prometheus metrics: what they count, and how one scrape adds up every worker.

With several uvicorn workers (API_WORKERS) each is its own process with its own counts, so
prometheus-client's multiprocess mode keeps them in files under PROMETHEUS_MULTIPROC_DIR
(set by entrypoint.sh before any worker starts, which is when prometheus-client decides) and
a scrape, whichever worker answers it, reads all of them. Without that variable (one process,
e.g. the tests) the process's own registry answers.

Every series is labelled by something with a handful of values (a route *template*, never a
raw path; a source name; a status), so a caller cannot grow the number of series.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.exposition import generate_latest
from psycopg_pool import AsyncConnectionPool, ConnectionPool

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
Pool = ConnectionPool[Any] | AsyncConnectionPool[Any]
# Requests that matched no route share one label, whatever path they asked for.
UNMATCHED_ROUTE = "unmatched"
# Ingest answers in milliseconds; a report over months may take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "timetracker_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "timetracker_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
EVENTS_INGESTED = Counter(
    "timetracker_events_ingested", "Events stored (new or a retried duplicate), by source", ["source"]
)
EVENTS_REFUSED = Counter(
    "timetracker_events_refused",
    "Events refused and not stored (invalid, not the sender's, too many), by source",
    ["source"],
)
# Each worker has its own pool: the live workers' values add up to what the database sees.
POOL_CONNECTIONS = Gauge(
    "timetracker_db_pool_connections", "Open database connections, by state", ["state"], multiprocess_mode="livesum"
)
POOL_MAX_CONNECTIONS = Gauge(
    "timetracker_db_pool_max_connections", "Most connections the pools may open", multiprocess_mode="livesum"
)
POOL_WAITING = Gauge(
    "timetracker_db_pool_waiting_requests", "Requests waiting for a connection now", multiprocess_mode="livesum"
)
POOL_QUEUED = Counter("timetracker_db_pool_queued_requests", "Requests that had to wait for a connection")
POOL_TIMEOUTS = Counter(
    "timetracker_db_pool_timeouts", "Requests that got no connection in DB_TIMEOUT_SECONDS (answered 503)"
)
POOL_CONNECTION_ERRORS = Counter("timetracker_db_pool_connection_errors", "Failed attempts to open a connection")
POOL_CONNECTIONS_LOST = Counter("timetracker_db_pool_connections_lost", "Connections found broken and dropped")

# Each worker's pool gauges are refreshed this often, so a scrape answered by another worker
# still sees this one's pool within that time.
POOL_SAMPLE_SECONDS = 5.0


def record_events(source: str, *, ingested: int = 0, refused: int = 0) -> None:
    if ingested:
        EVENTS_INGESTED.labels(source).inc(ingested)
    if refused:
        EVENTS_REFUSED.labels(source).inc(refused)


def observe_pools(*pools: Pool) -> None:
    """Copy the worker's pools' state into the gauges, added up (the request pool, and the one
    single reader events use from the event loop), and move their counters (reset by
    pop_stats, which nothing else reads) into ours."""
    stats: collections.Counter[str] = collections.Counter()
    for pool in pools:
        stats.update(pool.pop_stats())
    idle = stats["pool_available"]
    POOL_CONNECTIONS.labels("idle").set(idle)
    POOL_CONNECTIONS.labels("in_use").set(stats["pool_size"] - idle)
    POOL_MAX_CONNECTIONS.set(stats["pool_max"])
    POOL_WAITING.set(stats["requests_waiting"])
    POOL_QUEUED.inc(stats["requests_queued"])
    POOL_TIMEOUTS.inc(stats["requests_errors"])
    POOL_CONNECTION_ERRORS.inc(stats["connections_errors"])
    POOL_CONNECTIONS_LOST.inc(stats["connections_lost"])


def exposition() -> tuple[bytes, str]:
    """The text Prometheus scrapes, and its content type."""
    if os.environ.get(MULTIPROC_VARIABLE):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def forget_this_worker() -> None:
    """A worker that stops takes its live gauges with it (its counters stay counted)."""
    if os.environ.get(MULTIPROC_VARIABLE):
        prometheus_multiprocess.mark_process_dead(os.getpid())


async def _sample_pools(pools: tuple[Pool, ...]) -> None:
    while True:
        observe_pools(*pools)
        await asyncio.sleep(POOL_SAMPLE_SECONDS)


def start_pool_sampling(*pools: Pool) -> asyncio.Task[None]:
    return asyncio.create_task(_sample_pools(pools), name="metrics-pool-sampling")


async def stop_task(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

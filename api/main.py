"""Build the FastAPI app: routers, error handlers, body limit. No logic of its own."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import metrics as api_metrics
from api.access_log import redact_query_secrets
from api.body_limit import BodySizeLimit
from api.errors import GoTrueErrorBody, document_request_errors, documented, install_error_handlers
from api.request_metrics import RequestMetrics
from api.routes import (
    activitywatch,
    auth,
    browser_sessions,
    corrections,
    device_events,
    devices,
    health,
    imports,
    metrics,
    oauth,
    profile,
    projects,
    tags,
    teams,
    time,
    timer,
    tokens,
    wakatime,
    wakatime_compat,
    widget,
)
from timetracker.config import Settings
from timetracker.db.loop_pool import LoopDatabase
from timetracker.runtime import Runtime
from timetracker.wakatime import schedule as wakatime_schedule

DESCRIPTION = """
Ingest and JSON API of Time Tracker. Readers and clients push time data here; people
authenticate with a Supabase access token or a personal API token (`Authorization: Bearer`).
Readers use `X-Device-Id` + `Authorization: Bearer <device key>` (see WEBHOOK.md).
"""


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    """`runtime` may be passed in (tests share one); otherwise it is started with the app."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        app.state.runtime = runtime or Runtime.start(settings)
        # Handlers run in a thread each; more at once than there are database connections
        # only queue on the pool, and many threads thrash over one interpreter: throughput falls
        # as concurrency rises. Waiting requests queue on the event loop instead.
        threads = min(settings.api_threads, settings.db_pool_max_size)
        to_thread.current_default_thread_limiter().total_tokens = threads
        # A single reader event's one statement is sent from the event loop (no thread hop), as
        # many at once as the threads send theirs.
        app.state.loop_db = LoopDatabase(app.state.runtime.db.app_url, threads, settings.db_timeout_seconds)
        await app.state.loop_db.open()
        daily_import = wakatime_schedule.start(app.state.runtime.db, settings)
        pool_sampling = api_metrics.start_pool_sampling(app.state.runtime.db.pool, app.state.loop_db.pool)
        # What start-up built (routes, models, their schemas: ~140k objects) lives as long as the
        # process. Frozen, the collector's full passes skip it; walking it all took 50-100 ms
        # every few dozen batches, a pause for every request in flight on this worker.
        gc.collect()
        gc.freeze()
        yield
        await api_metrics.stop_task(pool_sampling)
        await wakatime_schedule.stop(daily_import)
        api_metrics.forget_this_worker()
        await app.state.loop_db.close()
        if owned:
            app.state.runtime.close()

    app = FastAPI(title="Time Tracker", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    if runtime is not None:
        app.state.runtime = runtime
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    document_request_errors(app)
    if settings.cors_origin_list:
        # The timer widget runs on other sites' pages; only those origins may call the API from
        # a browser, with a bearer token (never cookies, so no credentials mode).
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    # Outermost, so requests answered before routing (413, CORS preflights) are counted too.
    app.add_middleware(RequestMetrics)

    # Each router declares the error statuses its operations can answer. FastAPI tries them in
    # this order, a route at a time, so the sources' hot paths come first: a route 20th in
    # line took 110 µs to match, one 6th in line 10 µs.
    app.include_router(device_events.router)
    app.include_router(health.router, responses=documented(503))
    app.include_router(metrics.router, responses=documented(401, 404))
    app.include_router(activitywatch.router, responses=documented(401, 403, 404, 413, 503))
    app.include_router(wakatime_compat.router, responses=documented(400, 401, 503, body=False))
    app.include_router(timer.router, responses=documented(400, 401, 404, 409, 429, 503))
    # Its pages are HTML: a model here would be documented as their media type (the token route says its own).
    app.include_router(oauth.router, responses=documented(503, body=False))
    app.include_router(devices.router, responses=documented(401, 404, 409, 503))
    app.include_router(tags.router, responses=documented(401, 503))
    app.include_router(tokens.router, responses=documented(401, 404, 503))
    app.include_router(profile.router, responses=documented(401, 503))
    app.include_router(teams.router, responses=documented(401, 403, 404, 409, 410, 503))
    app.include_router(time.router, responses=documented(401, 403, 503))
    app.include_router(corrections.router, responses=documented(401, 403, 404, 503))
    app.include_router(projects.router, responses=documented(401, 403, 404, 409, 503))
    app.include_router(imports.router, responses=documented(401, 429, 503))
    app.include_router(wakatime.router, responses=documented(400, 401, 404, 409, 503))
    app.include_router(widget.router)
    app.include_router(browser_sessions.router, responses=documented(403, 404, 503))
    redact_query_secrets()
    if settings.uses_local_auth:
        # GoTrue's own failures answer in its shape; an outage of the database in ours.
        gotrue_failures = documented(400, 401, 403, 404, 429, body=GoTrueErrorBody)
        app.include_router(auth.router, responses={**gotrue_failures, **documented(503)})
    return app

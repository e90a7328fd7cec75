"""Timer event throughput: POST /api/v1/timer/events and the core store vs plain inserts.

    .venv/bin/python bench/timer_bench.py [--events 1600]

The widget sends one event per button press, so every path here applies events one at a
time, each in its own transaction. The core path locks the person's state row, reads the
session, runs the state machine and writes the question, the session and the event; the
baseline is the floor under that: one INSERT of the same event row per transaction into
`timer_events` as the table owner (no auth, no RLS, no lock, no state machine), and COPY of
all of them at once for scale.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from psycopg.types.json import Jsonb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import BenchEnv, Offsets, bench_env, best_of, print_table
from timetracker.timer import store
from timetracker.timer.machine import EventType

BASELINE = "INSERT per event as the table owner"
# One whole session per cycle: start, two questions, a pause, an undo, exit.
CYCLE = ["NEXT", "NEXT", "PAUSE", "PAUSE", "NEXT", "UNDO", "NEXT", "EXIT"]
START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def events(offsets: Offsets, count: int) -> list[tuple[str, datetime]]:
    """`count` events (whole cycles), at fresh later seconds on every call, so runs never overlap."""
    first = offsets.take(count)
    return [(CYCLE[i % len(CYCLE)], START + timedelta(seconds=7 * (first + i))) for i in range(count)]


def run(env: BenchEnv, total: int) -> list[tuple[str, int, float]]:
    principal, access_token = env.new_user()
    offsets = Offsets()
    result = Jsonb({"session_id": "bench"})

    def insert_baseline() -> None:
        with psycopg.connect(env.runtime.db.admin_url, autocommit=True) as conn:
            for kind, at in events(offsets, total):
                conn.execute(
                    "insert into timer_events (owner_id, event_id, type, occurred_at, result)"
                    " values (%s, %s, %s, %s, %s)",
                    (principal.user_id, f"{kind}@{at.isoformat()}", kind, at, result),
                )

    def copy_all() -> None:
        rows = events(offsets, total)
        with (
            psycopg.connect(env.runtime.db.admin_url) as conn,
            conn.cursor() as cur,
            cur.copy("copy timer_events (owner_id, event_id, type, occurred_at, result) from stdin") as copy,
        ):
            for kind, at in rows:
                copy.write_row((principal.user_id, f"{kind}@{at.isoformat()}", kind, at, '{"session_id": "bench"}'))

    def core_store() -> None:
        for kind, at in events(offsets, total):
            store.apply_event(env.runtime.db, principal, store.TimerEvent(EventType(kind), at), 5.5)

    def http_events() -> None:
        headers = {"Authorization": f"Bearer {access_token}"}
        with httpx.Client(base_url=env.api_url, headers=headers, timeout=60) as client:
            for i, (kind, at) in enumerate(events(offsets, total)):
                body = {"type": kind, "timestamp": at.isoformat(), "event_id": f"bench-{at.timestamp()}-{i}"}
                response = client.post("/api/v1/timer/events", json=body)
                assert response.status_code == 200, response.text

    rows = [(BASELINE, total, best_of(3, insert_baseline))]
    rows.append(("COPY all events at once as the table owner", total, best_of(3, copy_all)))
    rows.append(("core store.apply_event, one per transaction", total, best_of(3, core_store)))
    rows.append(("HTTP POST timer/events, one per request", total, best_of(3, http_events)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1600)
    args = parser.parse_args()
    total = max(len(CYCLE), args.events - args.events % len(CYCLE))
    # The per-token limit protects a real server; here it would only measure the limit.
    os.environ["TIMER_EVENTS_PER_WINDOW"] = str(10 * 3 * total)
    with bench_env() as env:
        rows = run(env, total)
    print_table("Timer events, applied one at a time (median of 3 runs)", rows, baseline=BASELINE)


if __name__ == "__main__":
    main()

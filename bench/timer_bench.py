"""Timer event throughput: POST /api/v1/timer/events and the core store vs plain inserts.

    .venv/bin/python bench/timer_bench.py [--events 1600]

The widget sends one event per button press, so every path here applies events one at a
time, each in its own transaction. The core path locks the person's state row, reads the
session, runs the state machine and writes the question, the session and the event; the
baseline is the floor under that: one INSERT of the same event row per transaction into
`timer_events` as the table owner (no auth, no RLS, no lock, no state machine), and COPY of
all of them at once for scale. Between the two sits the floor under a press as the person:
the three writes every press makes (its event, its session, the person's state) written by
hand as one statement with RLS checking each, sent with the switch and the commit in one
round trip, with its plan kept; no lock, no read and no state machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import BenchEnv, Offsets, bench_env, in_turns, load_prepared, post_request, print_table
from timetracker.db.pool import SWITCH_BOUND, owner_switch
from timetracker.timer import store
from timetracker.timer.machine import EventType

BASELINE = "INSERT per event as the table owner"
# A pause toggled on and off: the session stays open, so every event writes the same three rows.
PRESS_WRITES = """
with new_event as (
  insert into public.timer_events (session_id, event_id, type, occurred_at, result)
  values (%s, %s, 'PAUSE', %s, %s)
), open_session as (
  update public.timer_sessions set pause_started_at = %s where id = %s
), person_state as (
  update public.timer_state set last_event_at = %s where owner_id = (select auth.uid())
)
select 1
"""
TIMER_EVENTS = "/api/v1/timer/events"
SESSION_ID = "select id from public.timer_sessions where public_id = %s"
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
    db = env.runtime.db

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

    def open_session() -> int:
        """A session for the hand-written writes, opened by a real press (it outlasts them)."""
        at = events(offsets, len(CYCLE))[0][1]
        opened = store.apply_event(db, principal, store.TimerEvent(EventType.NEXT, at), 5.5)
        row = db.one_as_person(principal.user_id, SESSION_ID, (opened["session_id"],))
        assert row is not None
        return row["id"]

    def press_writes() -> None:
        session_id = open_session()
        # Their fastest form: one connection, plans kept (prepared), and the switch to the
        # person, the writes and the commit sent as one pipeline, so one round trip.
        with psycopg.connect(db.admin_url, autocommit=True) as conn:
            for i, (_, at) in enumerate(events(offsets, total)):
                paused_at = at if i % 2 == 0 else None
                with conn.pipeline():
                    conn.execute("begin")
                    conn.execute(SWITCH_BOUND, owner_switch(principal.user_id), prepare=True)
                    params = (session_id, f"bench-{at.timestamp()}", at, result, paused_at, session_id, at)
                    conn.execute(PRESS_WRITES, params, prepare=True)
                    conn.execute("commit")

    def core_store() -> None:
        for kind, at in events(offsets, total):
            store.apply_event(env.runtime.db, principal, store.TimerEvent(EventType(kind), at), 5.5)

    def http_events() -> float:
        # One connection sends them in order, as one widget does, from a client light enough
        # not to be measured (bench/load_client.py).
        headers = {"Authorization": f"Bearer {access_token}"}
        presses = [
            {"type": kind, "timestamp": at.isoformat(), "event_id": f"bench-{at.timestamp()}-{i}"}
            for i, (kind, at) in enumerate(events(offsets, total))
        ]
        requests = [post_request(env.api_url, TIMER_EVENTS, json.dumps(p).encode(), headers) for p in presses]
        return load_prepared(1, requests, env.api_url, expect=200).seconds

    return in_turns(
        3,
        [
            (BASELINE, total, insert_baseline),
            ("COPY all events at once as the table owner", total, copy_all),
            ("a press's 3 writes by hand, as the person, 1 trip", total, press_writes),
            ("core store.apply_event, one per transaction", total, core_store),
            ("HTTP POST timer/events, one per request", total, http_events),
        ],
    )


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

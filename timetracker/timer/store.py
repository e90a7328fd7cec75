"""Apply timer events to the database, one at a time per person.

Everything happens in one `as_user` transaction as the person, so RLS guards every row:
lock the person's `timer_state` row (a second tab waits here), answer a retried event_id
with its first answer, refuse an event older than the last applied one, run the pure
state machine, write what it decided, and record the event with its answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg.types.json import Jsonb

from timetracker import clock
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.db.pool import Connection
from timetracker.errors import InvalidInput
from timetracker.timer import machine
from timetracker.timer.machine import Current, EventType, Question, Step

# A widget's clock may run a little ahead; far ahead, one event would make every later one
# "older than the last applied event" until that time came.
MAX_CLOCK_AHEAD = timedelta(minutes=5)
# And a broken one runs far behind (1970, the epoch, or year 1): such an event would open a
# session decades long, and the Timer page cannot show year 1 in a zone behind UTC.
# No press of this widget predates 2000 (the bound every device-made timestamp shares).
EARLIEST_EVENT = clock.EARLIEST
TOO_EARLY = f"timestamp is before {EARLIEST_EVENT.date()}; check the clock of the device the widget runs on"


@dataclass(frozen=True)
class TimerEvent:
    type: EventType
    timestamp: datetime
    event_id: str | None = None

    @property
    def dedup_key(self) -> str:
        """The client's event_id; without one (the seed's payload), the press itself: the same
        button at the same instant is the same press, so a plain retry changes nothing either."""
        return self.event_id or f"{self.type.value}@{_iso(self.timestamp)}"


def apply_event(db: Database, principal: Principal, event: TimerEvent, default_target_minutes: float) -> dict[str, Any]:
    """Apply `event` for `principal` and return the answer (the first answer for a retried event_id)."""
    if event.timestamp < EARLIEST_EVENT:
        raise InvalidInput(f"the {TOO_EARLY}")
    if event.timestamp > datetime.now(UTC) + MAX_CLOCK_AHEAD:
        raise InvalidInput("the timestamp is in the future; check the clock of the device the widget runs on")
    with db.as_user(principal.db_claims) as conn:
        state = lock_person_state(conn)
        earlier = conn.execute(
            "select result from timer_events where owner_id = auth.uid() and event_id = %s", (event.dedup_key,)
        ).fetchone()
        if earlier is not None:
            return {**earlier["result"], "replayed": True}
        machine.check_order(state["last_event_at"], event.timestamp)
        session = _session(conn, state["active_session_id"])
        current = _current(session) if session else None
        last_closed = _last_question(conn, session["id"]) if session else None
        step = machine.apply(current, last_closed, event.type, event.timestamp)
        if step.starts_session:
            session = _start_session(conn, event.timestamp, default_target_minutes)
        assert session is not None
        _write(conn, session["id"], step, event.timestamp)
        answer = _answer(conn, session, step, event)
        conn.execute(
            "insert into timer_events (session_id, event_id, type, occurred_at, result) values (%s, %s, %s, %s, %s)",
            (session["id"], event.dedup_key, event.type.value, event.timestamp, Jsonb(answer)),
        )
        conn.execute(
            "update timer_state set active_session_id = %s, last_event_at = %s where owner_id = auth.uid()",
            (session["id"] if step.current else None, event.timestamp),
        )
    return {**answer, "replayed": False}


def lock_person_state(conn: Connection) -> dict[str, Any]:
    """Lock (creating if need be) the person's timer_state row: the first lock every write to
    their timer takes, so writers queue here instead of locking sessions in differing orders."""
    conn.execute("insert into timer_state (owner_id) values (auth.uid()) on conflict (owner_id) do nothing")
    row = conn.execute(
        "select active_session_id, last_event_at from timer_state where owner_id = auth.uid() for update"
    ).fetchone()
    assert row is not None
    return row


def _session(conn: Connection, session_id: int | None) -> dict[str, Any] | None:
    if session_id is None:
        return None
    return conn.execute(
        "select id, public_id, target_pace_minutes, current_index, question_started_at, pause_accumulated_seconds,"
        " pause_started_at from timer_sessions where id = %s and ended_at is null",
        (session_id,),
    ).fetchone()


def _current(session: dict[str, Any]) -> Current:
    return Current(
        index=session["current_index"],
        started_at=session["question_started_at"],
        pause_accumulated_seconds=session["pause_accumulated_seconds"],
        pause_started_at=session["pause_started_at"],
    )


def _last_question(conn: Connection, session_id: int) -> Question | None:
    row = conn.execute(
        "select question_index as index, started_at, ended_at, raw_seconds, active_seconds,"
        " pause_accumulated_seconds, pause_started_at"
        " from timer_questions where session_id = %s order by question_index desc limit 1",
        (session_id,),
    ).fetchone()
    return Question(**row) if row else None


def _start_session(conn: Connection, at: datetime, target_minutes: float) -> dict[str, Any]:
    return conn.execute(
        "insert into timer_sessions (started_at, question_started_at, target_pace_minutes) values (%s, %s, %s)"
        " returning id, public_id, target_pace_minutes",
        (at, at, target_minutes),
    ).fetchone()


def _write(conn: Connection, session_id: int, step: Step, at: datetime) -> None:
    if step.undone is not None:
        conn.execute(
            "delete from timer_questions where session_id = %s and question_index = %s",
            (session_id, step.undone.index),
        )
    if step.closed is not None:
        q = step.closed
        conn.execute(
            "insert into timer_questions (session_id, question_index, started_at, ended_at, raw_seconds,"
            " active_seconds, pause_accumulated_seconds, pause_started_at) values (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                session_id,
                q.index,
                q.started_at,
                q.ended_at,
                q.raw_seconds,
                q.active_seconds,
                q.pause_accumulated_seconds,
                q.pause_started_at,
            ),
        )
    if step.current is None:
        conn.execute("update timer_sessions set ended_at = %s where id = %s", (at, session_id))
    else:
        c = step.current
        conn.execute(
            "update timer_sessions set current_index = %s, question_started_at = %s, pause_accumulated_seconds = %s,"
            " pause_started_at = %s where id = %s",
            (c.index, c.started_at, c.pause_accumulated_seconds, c.pause_started_at, session_id),
        )


def _answer(conn: Connection, session: dict[str, Any], step: Step, event: TimerEvent) -> dict[str, Any]:
    # The questions the summaries show: zero-length ghosts (NEXT twice at one instant) left out.
    counts = conn.execute(
        "select count(*) as total,"
        " (select active_seconds from timer_questions where session_id = %s and raw_seconds > 0"
        " order by question_index desc limit 1) as last_seconds"
        " from timer_questions where session_id = %s and raw_seconds > 0",
        (session["id"], session["id"]),
    ).fetchone()
    last = counts["last_seconds"]
    current = step.current
    return {
        "session_id": str(session["public_id"]),
        "event": event.type.value,
        "event_id": event.dedup_key,
        "timestamp": _iso(event.timestamp),
        "session_active": current is not None,
        "total_questions": counts["total"],
        "last_question_seconds": last,
        "last_question_time": machine.mmss(last) if last is not None else None,
        "current_question": current.index if current else None,
        "question_started_at": _iso(current.started_at) if current else None,
        "paused": bool(current and current.paused),
        "pause_accumulated_seconds": current.pause_accumulated_seconds if current else 0.0,
        "pause_started_at": _iso(current.pause_started_at) if current and current.pause_started_at else None,
        "target_pace_seconds": float(session["target_pace_minutes"]) * 60,
    }


def _iso(moment: datetime) -> str:
    """Instants are answered in UTC, whatever zone the client wrote them in."""
    return moment.astimezone(UTC).isoformat()

"""Apply timer events to the database, one at a time per person.

Everything happens in one transaction as the person, so RLS guards every row: lock the
person's `timer_state` row (a second tab waits here), answer a retried event_id with its
first answer, refuse an event older than the last applied one, run the pure state machine,
write what it decided, and record the event with its answer.

A press is the widget's hot path, so it takes two round trips: BEGIN with one call that
locks and reads everything the state machine and the answer need
(`internal.timer_press_state`), and one call that writes it all (`internal.timer_write_step`)
with COMMIT. The answer is computed before the write. The functions hold no rules of their
own: they run the statements as the person, and keep their plans per connection.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg.types.json import Jsonb

from timetracker import clock
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.db.pool import Connection, commit_with
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
        """The client's event_id; without one (the widget's original payload), the press itself: the same
        button at the same instant is the same press, so a plain retry changes nothing either."""
        return self.event_id or f"{self.type.value}@{_iso(self.timestamp)}"


def apply_event(db: Database, principal: Principal, event: TimerEvent, default_target_minutes: float) -> dict[str, Any]:
    """Apply `event` for `principal` and return the answer (the first answer for a retried event_id)."""
    if event.timestamp < EARLIEST_EVENT:
        raise InvalidInput(f"the {TOO_EARLY}")
    if event.timestamp > datetime.now(UTC) + MAX_CLOCK_AHEAD:
        raise InvalidInput("the timestamp is in the future; check the clock of the device the widget runs on")
    with db.as_user_opening(principal.db_claims, PRESS_STATE, (event.dedup_key,)) as (conn, seen):
        assert seen is not None
        if seen["earlier"] is not None:
            return {**seen["earlier"], "replayed": True}
        machine.check_order(seen["last_event_at"], event.timestamp)
        current = _current(seen) if seen["session_id"] is not None else None
        last_closed = _last_closed(seen)
        step = machine.apply(current, last_closed, event.type, event.timestamp)
        session = _Session.started(default_target_minutes) if step.starts_session else _Session.of(seen)
        answer = _answer(session, step, event, _Tally.of(seen))
        commit_with(conn, WRITE_STEP, (Jsonb(_step_document(session, step, event, answer)),))
    return {**answer, "replayed": False}


def lock_person_state(conn: Connection) -> dict[str, Any]:
    """Lock (creating if need be) the person's timer_state row: the first lock every write to
    their timer takes, so writers queue here instead of locking sessions in differing orders."""
    row = conn.execute("select * from internal.timer_lock_state()").fetchone()
    assert row is not None
    return row


PRESS_STATE = "select * from internal.timer_press_state(%s)"
WRITE_STEP = "select internal.timer_write_step(%s)"


@dataclass(frozen=True)
class _Session:
    id: int | None  # None: started by this step, inserted with the rest of it
    public_id: uuid.UUID
    target_pace_minutes: float

    @classmethod
    def started(cls, target_minutes: float) -> _Session:
        # The public id is made here so the answer can name the session before it is written.
        return cls(None, uuid.uuid4(), target_minutes)

    @classmethod
    def of(cls, seen: dict[str, Any]) -> _Session:
        return cls(seen["session_id"], seen["public_id"], seen["target_pace_minutes"])


@dataclass(frozen=True)
class _Tally:
    """The session's real (non-ghost) questions before the step: how many, and the active
    seconds of the newest two (newest first)."""

    count: int
    newest_seconds: list[float]

    @classmethod
    def of(cls, seen: dict[str, Any]) -> _Tally:
        return cls(seen["real_questions"] or 0, list(seen["newest_real_seconds"] or []))

    def after(self, step: Step) -> tuple[int, float | None]:
        """(real questions, active seconds of the newest) once `step` is written."""
        count, newest = self.count, list(self.newest_seconds)
        if step.closed is not None and step.closed.raw_seconds > 0:
            count, newest = count + 1, [step.closed.active_seconds, *newest]
        if step.undone is not None and step.undone.raw_seconds > 0:
            # UNDO removes the newest question of all; when it is real, it is the newest real one.
            count, newest = count - 1, newest[1:]
        return count, newest[0] if newest else None


def _current(seen: dict[str, Any]) -> Current:
    return Current(
        index=seen["current_index"],
        started_at=seen["question_started_at"],
        pause_accumulated_seconds=seen["pause_accumulated_seconds"],
        pause_started_at=seen["pause_started_at"],
    )


def _last_closed(seen: dict[str, Any]) -> Question | None:
    if seen["lc_index"] is None:
        return None
    return Question(
        index=seen["lc_index"],
        started_at=seen["lc_started_at"],
        ended_at=seen["lc_ended_at"],
        raw_seconds=seen["lc_raw_seconds"],
        active_seconds=seen["lc_active_seconds"],
        pause_accumulated_seconds=seen["lc_pause_accumulated_seconds"],
        pause_started_at=seen["lc_pause_started_at"],
    )


def _answer(session: _Session, step: Step, event: TimerEvent, tally: _Tally) -> dict[str, Any]:
    # The questions the summaries show: zero-length ghosts (NEXT twice at one instant) left out.
    total, last = tally.after(step) if not step.starts_session else (0, None)
    current = step.current
    return {
        "session_id": str(session.public_id),
        "event": event.type.value,
        "event_id": event.dedup_key,
        "timestamp": _iso(event.timestamp),
        "session_active": current is not None,
        "total_questions": total,
        "last_question_seconds": last,
        "last_question_time": machine.mmss(last) if last is not None else None,
        "current_question": current.index if current else None,
        "question_started_at": _iso(current.started_at) if current else None,
        "paused": bool(current and current.paused),
        "pause_accumulated_seconds": current.pause_accumulated_seconds if current else 0.0,
        "pause_started_at": _iso(current.pause_started_at) if current and current.pause_started_at else None,
        "target_pace_seconds": float(session.target_pace_minutes) * 60,
    }


def _step_document(session: _Session, step: Step, event: TimerEvent, answer: dict[str, Any]) -> dict[str, Any]:
    """What `internal.timer_write_step` writes, as JSON: each part present only when the step
    has it (no `current`: the session ends)."""
    document: dict[str, Any] = {
        "at": _iso(event.timestamp),
        "session_id": session.id,
        "starts": step.starts_session,
        "event_key": event.dedup_key,
        "type": event.type.value,
        "answer": answer,
    }
    if step.starts_session:
        document |= {"public_id": str(session.public_id), "target_pace_minutes": session.target_pace_minutes}
    if step.undone is not None:
        document["undone_index"] = step.undone.index
    if step.closed is not None:
        closed = step.closed
        document["closed"] = {
            "question_index": closed.index,
            "started_at": _iso(closed.started_at),
            "ended_at": _iso(closed.ended_at),
            "raw_seconds": closed.raw_seconds,
            "active_seconds": closed.active_seconds,
            **_pause_counters(closed.pause_accumulated_seconds, closed.pause_started_at),
        }
    if step.current is not None:
        current = step.current
        document["current"] = {
            "question_index": current.index,
            "started_at": _iso(current.started_at),
            **_pause_counters(current.pause_accumulated_seconds, current.pause_started_at),
        }
    return document


def _pause_counters(accumulated: float, started_at: datetime | None) -> dict[str, Any]:
    return {
        "pause_accumulated_seconds": accumulated,
        "pause_started_at": _iso(started_at) if started_at else None,
    }


def _iso(moment: datetime) -> str:
    """Instants are answered in UTC, whatever zone the client wrote them in."""
    return moment.astimezone(UTC).isoformat()

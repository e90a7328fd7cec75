"""Apply timer events to the database, one at a time per person.

Everything happens in one `as_user` transaction as the person, so RLS guards every row:
lock the person's `timer_state` row (a second tab waits here), answer a retried event_id
with its first answer, refuse an event older than the last applied one, run the pure
state machine, write what it decided, and record the event with its answer.

A press is the widget's hot path, so it takes few statements: a lock, one read of everything
the state machine and the answer need, and one statement that writes it all. The answer is
computed before the write.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg import Cursor
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
        """The client's event_id; without one (the widget's original payload), the press itself: the same
        button at the same instant is the same press, so a plain retry changes nothing either."""
        return self.event_id or f"{self.type.value}@{_iso(self.timestamp)}"


def apply_event(db: Database, principal: Principal, event: TimerEvent, default_target_minutes: float) -> dict[str, Any]:
    """Apply `event` for `principal` and return the answer (the first answer for a retried event_id)."""
    if event.timestamp < EARLIEST_EVENT:
        raise InvalidInput(f"the {TOO_EARLY}")
    if event.timestamp > datetime.now(UTC) + MAX_CLOCK_AHEAD:
        raise InvalidInput("the timestamp is in the future; check the clock of the device the widget runs on")
    with db.as_user(principal.db_claims) as conn:
        _lock(conn)
        seen = conn.execute(READ_STATE, {"event_key": event.dedup_key}).fetchone()
        assert seen is not None
        if seen["earlier"] is not None:
            return {**seen["earlier"], "replayed": True}
        machine.check_order(seen["last_event_at"], event.timestamp)
        current = _current(seen) if seen["session_id"] is not None else None
        last_closed = _last_closed(seen)
        step = machine.apply(current, last_closed, event.type, event.timestamp)
        session = _Session.started(default_target_minutes) if step.starts_session else _Session.of(seen)
        answer = _answer(session, step, event, _Tally.of(seen))
        params = _write_params(session, step, event, answer)
        if step.starts_session:
            conn.execute(START_SESSION, params)
        conn.execute(WRITE_STEP, params)
    return {**answer, "replayed": False}


def lock_person_state(conn: Connection) -> dict[str, Any]:
    """Lock (creating if need be) the person's timer_state row: the first lock every write to
    their timer takes, so writers queue here instead of locking sessions in differing orders."""
    row = _lock(conn).fetchone()
    assert row is not None
    return row


def _lock(conn: Connection) -> Cursor[dict[str, Any]]:
    """The locking statement's cursor: its row is fetched by whoever needs it (a press reads
    the state afresh after the lock instead)."""
    conn.execute("insert into timer_state (owner_id) values (auth.uid()) on conflict (owner_id) do nothing")
    return conn.execute(
        "select active_session_id, last_event_at from timer_state where owner_id = auth.uid() for update"
    )


# Read after the lock, in a statement of its own: its snapshot then includes whatever the
# press that held the lock before committed. The last closed question is what UNDO would
# remove; the two newest real (non-ghost) questions give the answer's figures after it.
READ_STATE = """
select st.last_event_at,
  (select e.result from timer_events e where e.owner_id = auth.uid() and e.event_id = %(event_key)s) as earlier,
  s.id as session_id, s.public_id, s.target_pace_minutes, s.current_index, s.question_started_at,
  s.pause_accumulated_seconds, s.pause_started_at,
  lc.question_index as lc_index, lc.started_at as lc_started_at, lc.ended_at as lc_ended_at,
  lc.raw_seconds as lc_raw_seconds, lc.active_seconds as lc_active_seconds,
  lc.pause_accumulated_seconds as lc_pause_accumulated_seconds, lc.pause_started_at as lc_pause_started_at,
  (select count(*) from timer_questions q where q.session_id = s.id and q.raw_seconds > 0) as real_questions,
  array(select q.active_seconds from timer_questions q where q.session_id = s.id and q.raw_seconds > 0
        order by q.question_index desc limit 2) as newest_real_seconds
from timer_state st
left join timer_sessions s on s.id = st.active_session_id and s.ended_at is null
left join lateral (
  select * from timer_questions q where q.session_id = s.id order by q.question_index desc limit 1
) lc on true
where st.owner_id = auth.uid()
"""

# A session a step starts, in a statement of its own: the policies on the state and the event
# check that the session is the person's, and a statement cannot see rows it inserts itself.
START_SESSION = """
insert into timer_sessions (public_id, started_at, question_started_at, target_pace_minutes)
values (%(public_id)s, %(at)s, %(at)s, %(target)s)
"""

# Everything else a step writes, in one statement: each part runs only when its parameters
# ask for it. Queued right behind START_SESSION, with no wait in between.
WRITE_STEP = """
with session as (
  select coalesce(
    %(session_id)s::bigint, (select s.id from timer_sessions s where s.public_id = %(public_id)s::uuid)
  ) as id
), undone as (
  delete from timer_questions
  where session_id = %(session_id)s::bigint and question_index = %(undone_index)s::integer
), closed as (
  insert into timer_questions (session_id, question_index, started_at, ended_at, raw_seconds, active_seconds,
    pause_accumulated_seconds, pause_started_at)
  select %(session_id)s::bigint, %(q_index)s::integer, %(q_started_at)s::timestamptz, %(q_ended_at)s::timestamptz,
    %(q_raw)s::double precision, %(q_active)s::double precision, %(q_paused)s::double precision,
    %(q_pause_started_at)s::timestamptz
  where %(q_index)s::integer is not null
), moved as (
  update timer_sessions set
    ended_at = case when %(ends)s::boolean then %(at)s::timestamptz else ended_at end,
    current_index = coalesce(%(c_index)s::integer, current_index),
    question_started_at = coalesce(%(c_started_at)s::timestamptz, question_started_at),
    pause_accumulated_seconds = coalesce(%(c_paused)s::double precision, pause_accumulated_seconds),
    pause_started_at = case when %(ends)s::boolean then pause_started_at else %(c_pause_started_at)s::timestamptz end
  where not %(starts)s::boolean and id = %(session_id)s::bigint
), recorded as (
  insert into timer_events (session_id, event_id, type, occurred_at, result)
  select id, %(event_key)s::text, %(type)s::text, %(at)s::timestamptz, %(answer)s::jsonb from session
)
update timer_state set
  active_session_id = case when %(ends)s::boolean then null else (select id from session) end,
  last_event_at = %(at)s::timestamptz
where owner_id = auth.uid()
"""


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


def _write_params(session: _Session, step: Step, event: TimerEvent, answer: dict[str, Any]) -> dict[str, Any]:
    closed, current = step.closed, step.current
    return {
        "starts": step.starts_session,
        "ends": current is None,
        "public_id": session.public_id,
        "target": session.target_pace_minutes,
        "session_id": session.id,
        "at": event.timestamp,
        "undone_index": step.undone.index if step.undone else None,
        "q_index": closed.index if closed else None,
        "q_started_at": closed.started_at if closed else None,
        "q_ended_at": closed.ended_at if closed else None,
        "q_raw": closed.raw_seconds if closed else None,
        "q_active": closed.active_seconds if closed else None,
        "q_paused": closed.pause_accumulated_seconds if closed else None,
        "q_pause_started_at": closed.pause_started_at if closed else None,
        "c_index": current.index if current else None,
        "c_started_at": current.started_at if current else None,
        "c_paused": current.pause_accumulated_seconds if current else None,
        "c_pause_started_at": current.pause_started_at if current else None,
        "event_key": event.dedup_key,
        "type": event.type.value,
        "answer": Jsonb(answer),
    }


def _iso(moment: datetime) -> str:
    """Instants are answered in UTC, whatever zone the client wrote them in."""
    return moment.astimezone(UTC).isoformat()

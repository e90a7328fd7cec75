"""The timer's state machine, pure: no database, no clock.

A session is a run of questions. While it is active, one question is in progress: its
index, when it started, and its pause counters (finished pauses' seconds, and the start of
an unfinished pause). Events:

* NEXT  — no active session: start one at question 1. Otherwise close the current question
          (raw = end - start, active = raw - paused) and start the next, unpaused.
* PAUSE — toggle: pausing remembers when; resuming adds the pause to the accumulated seconds.
* EXIT  — close the current question and end the session.
* UNDO  — remove the most recently closed question, make it the current one again and restore
          the pause counters it was closed with (so NEXT then UNDO leaves nothing changed).

Only NEXT can start a session; the others need an active one. Events apply in time order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from timetracker.errors import Conflict, DomainError

# A session's target minutes per question. The top is the database's check (a day); the
# bottom keeps targets a person can type into the Timer page, and the API, the page and the
# TIMER_TARGET_PACE_MINUTES setting all use this one range, so none stores what another refuses.
MIN_TARGET_MINUTES = 0.1
MAX_TARGET_MINUTES = 1440


class EventType(StrEnum):
    NEXT = "NEXT"
    PAUSE = "PAUSE"
    UNDO = "UNDO"
    EXIT = "EXIT"


class NoActiveSession(DomainError):
    code = "no_active_session"


class NothingToUndo(DomainError):
    code = "nothing_to_undo"


@dataclass(frozen=True)
class Current:
    """The question in progress."""

    index: int
    started_at: datetime
    pause_accumulated_seconds: float = 0.0
    pause_started_at: datetime | None = None

    @property
    def paused(self) -> bool:
        return self.pause_started_at is not None

    def paused_seconds(self, at: datetime) -> float:
        """Seconds paused up to `at`, counting an unfinished pause."""
        running = (at - self.pause_started_at).total_seconds() if self.pause_started_at else 0.0
        return self.pause_accumulated_seconds + running


@dataclass(frozen=True)
class Question:
    """A closed question, with the pause counters it was closed with."""

    index: int
    started_at: datetime
    ended_at: datetime
    raw_seconds: float
    active_seconds: float
    pause_accumulated_seconds: float = 0.0
    pause_started_at: datetime | None = None


@dataclass(frozen=True)
class Step:
    """What one event does: the question in progress afterwards (None: the session ended),
    a question to store, a question to remove, whether a session starts."""

    current: Current | None
    closed: Question | None = None
    undone: Question | None = None
    starts_session: bool = False


def check_order(last_event_at: datetime | None, at: datetime) -> None:
    """Events apply in time order; an older one would rewrite history already answered."""
    if last_event_at is not None and at < last_event_at:
        raise Conflict(
            f"this event ({at.isoformat()}) is older than the last applied one ({last_event_at.isoformat()});"
            " events must be sent in the order they happened"
        )


def close(current: Current, at: datetime) -> Question:
    raw = max(0.0, (at - current.started_at).total_seconds())
    active = min(raw, max(0.0, raw - current.paused_seconds(at)))
    return Question(
        index=current.index,
        started_at=current.started_at,
        ended_at=at,
        raw_seconds=raw,
        active_seconds=active,
        pause_accumulated_seconds=current.pause_accumulated_seconds,
        pause_started_at=current.pause_started_at,
    )


def apply(current: Current | None, last_closed: Question | None, kind: EventType, at: datetime) -> Step:
    """The step `kind` at `at` takes from `current` (None: no active session).

    `last_closed` is the session's most recently closed question (what UNDO would remove).
    """
    if current is None:
        if kind is not EventType.NEXT:
            raise NoActiveSession(f"{kind.value} needs an active session; press NEXT to start one")
        return Step(current=Current(index=1, started_at=at), starts_session=True)
    if kind is EventType.NEXT:
        return Step(current=Current(index=current.index + 1, started_at=at), closed=close(current, at))
    if kind is EventType.EXIT:
        return Step(current=None, closed=close(current, at))
    if kind is EventType.PAUSE:
        if current.pause_started_at is None:
            return Step(current=replace(current, pause_started_at=at))
        resumed = current.pause_accumulated_seconds + (at - current.pause_started_at).total_seconds()
        return Step(current=replace(current, pause_accumulated_seconds=resumed, pause_started_at=None))
    if last_closed is None:
        raise NothingToUndo("no closed question in this session to undo")
    restored = Current(
        index=last_closed.index,
        started_at=last_closed.started_at,
        pause_accumulated_seconds=last_closed.pause_accumulated_seconds,
        pause_started_at=last_closed.pause_started_at,
    )
    return Step(current=restored, undone=last_closed)


def mmss(seconds: float) -> str:
    """MM:SS (minutes keep counting past 59)."""
    whole = round(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def hhmm(seconds: float) -> str:
    whole_minutes = round(seconds) // 60
    return f"{whole_minutes // 60:02d}:{whole_minutes % 60:02d}"

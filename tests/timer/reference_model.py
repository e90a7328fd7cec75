"""A second, deliberately different model of the widget's timer, to test the real one against.

The real machine keeps running counters (accumulated pause seconds, an open pause's start).
This one keeps every question's raw list of PAUSE instants and works the durations out
only when a question closes: pauses are the pairs (1st, 2nd), (3rd, 4th), ..., and an
unpaired last PAUSE runs until the close. UNDO simply reopens the last closed question
with its instants. Same rules, different bookkeeping, so a slip in either shows up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class Refused(Exception):
    """What the real machine answers with a 400 (no active session, nothing to undo)."""


@dataclass
class OpenQuestion:
    index: int
    start: datetime
    pauses: list[datetime] = field(default_factory=list)


@dataclass(frozen=True)
class ClosedQuestion:
    index: int
    start: datetime
    end: datetime
    pauses: tuple[datetime, ...]

    @property
    def raw(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def paused(self) -> float:
        marks = [*self.pauses, self.end] if len(self.pauses) % 2 else list(self.pauses)
        return sum((marks[i + 1] - marks[i]).total_seconds() for i in range(0, len(marks), 2))

    @property
    def active(self) -> float:
        return self.raw - self.paused


@dataclass
class ReferenceTimer:
    current: OpenQuestion | None = None
    closed: list[ClosedQuestion] = field(default_factory=list)
    sessions: int = 0

    def press(self, kind: str, at: datetime) -> None:
        if self.current is None:
            if kind != "NEXT":
                raise Refused(kind)
            self.sessions += 1
            self.closed = []
            self.current = OpenQuestion(1, at)
            return
        if kind == "PAUSE":
            self.current.pauses.append(at)
        elif kind in ("NEXT", "EXIT"):
            q = self.current
            self.closed.append(ClosedQuestion(q.index, q.start, at, tuple(q.pauses)))
            self.current = OpenQuestion(q.index + 1, at) if kind == "NEXT" else None
        elif kind == "UNDO":
            if not self.closed:
                raise Refused(kind)
            last = self.closed.pop()
            self.current = OpenQuestion(last.index, last.start, list(last.pauses))

    @property
    def paused_now(self) -> bool:
        return self.current is not None and len(self.current.pauses) % 2 == 1

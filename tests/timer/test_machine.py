"""The pure state machine against the reference model, on random event sequences (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.timer.reference_model import ReferenceTimer, Refused
from timetracker.errors import Conflict
from timetracker.timer import machine
from timetracker.timer.machine import Current, EventType, NoActiveSession, NothingToUndo, Question

START = datetime(2025, 4, 11, 9, 0, tzinfo=UTC)
KINDS = st.sampled_from(list(EventType))
# Seconds between presses; 0 included: two presses in one instant make ghost questions.
GAPS = st.integers(min_value=0, max_value=900)
EVENTS = st.lists(st.tuples(KINDS, GAPS), max_size=60)


class Driven:
    """The real machine with the bookkeeping the store does: closed questions as a stack."""

    def __init__(self) -> None:
        self.current: Current | None = None
        self.closed: list[Question] = []

    def press(self, kind: EventType, at: datetime) -> machine.Step:
        step = machine.apply(self.current, self.closed[-1] if self.closed else None, kind, at)
        if step.starts_session:
            self.closed = []
        if step.undone is not None:
            assert self.closed.pop() == step.undone
        if step.closed is not None:
            self.closed.append(step.closed)
        self.current = step.current
        return step


def same_questions(driven: Driven, model: ReferenceTimer) -> None:
    assert [(q.index, q.started_at, q.ended_at) for q in driven.closed] == [
        (q.index, q.start, q.end) for q in model.closed
    ]
    for real, expected in zip(driven.closed, model.closed, strict=True):
        assert real.raw_seconds == pytest.approx(expected.raw)
        assert real.active_seconds == pytest.approx(expected.active)


# Pure and fast: many examples, so short patterns such as NEXT PAUSE NEXT UNDO are surely tried.
@settings(max_examples=500)
@given(EVENTS)
def test_the_machine_matches_the_reference_model(events: list[tuple[EventType, int]]) -> None:
    driven, model, at = Driven(), ReferenceTimer(), START
    for kind, gap in events:
        at += timedelta(seconds=gap)
        try:
            model.press(kind.value, at)
            refused = None
        except Refused:
            refused = kind
        if refused is None:
            driven.press(kind, at)
        else:
            expected = NoActiveSession if model.current is None else NothingToUndo
            with pytest.raises(expected):
                driven.press(kind, at)
        same_questions(driven, model)
        assert (driven.current is None) == (model.current is None)
        if driven.current is not None:
            assert driven.current.index == len(driven.closed) + 1
            assert driven.current.paused == model.paused_now


@given(EVENTS)
def test_every_closed_question_has_active_at_most_raw_and_none_negative(events: list[tuple[EventType, int]]) -> None:
    driven, at = Driven(), START
    for kind, gap in events:
        at += timedelta(seconds=gap)
        try:
            step = driven.press(kind, at)
        except (NoActiveSession, NothingToUndo):
            continue
        if step.closed is not None:
            q = step.closed
            assert 0 <= q.active_seconds <= q.raw_seconds == (q.ended_at - q.started_at).total_seconds()


@given(EVENTS, GAPS, GAPS)
def test_next_then_undo_restores_the_question_and_its_pause_counters(
    events: list[tuple[EventType, int]], gap_to_next: int, gap_to_undo: int
) -> None:
    driven, at = Driven(), START
    for kind, gap in events:
        at += timedelta(seconds=gap)
        try:
            driven.press(kind, at)
        except (NoActiveSession, NothingToUndo):
            continue
    before, closed_before = driven.current, list(driven.closed)
    at += timedelta(seconds=gap_to_next)
    driven.press(EventType.NEXT, at)
    if before is None:
        return  # NEXT started a session: there is nothing to undo into
    driven.press(EventType.UNDO, at + timedelta(seconds=gap_to_undo))
    assert driven.current == before
    assert driven.closed == closed_before


def test_a_pause_open_at_close_counts_until_the_close() -> None:
    paused_since = START + timedelta(seconds=60)
    current = Current(index=3, started_at=START, pause_accumulated_seconds=20, pause_started_at=paused_since)
    closed = machine.close(current, START + timedelta(seconds=100))
    assert (closed.raw_seconds, closed.active_seconds) == (100, 40)  # 20 s earlier + 40 s still paused
    assert (closed.pause_accumulated_seconds, closed.pause_started_at) == (20, paused_since)


def test_order_check() -> None:
    machine.check_order(None, START)
    machine.check_order(START, START)  # the same instant is in order (ghost questions)
    with pytest.raises(Conflict):
        machine.check_order(START, START - timedelta(microseconds=1))


@pytest.mark.parametrize(
    ("seconds", "mmss", "hhmm"), [(0, "00:00", "00:00"), (59.6, "01:00", "00:01"), (3725, "62:05", "01:02")]
)
def test_formats(seconds: float, mmss: str, hhmm: str) -> None:
    assert (machine.mmss(seconds), machine.hhmm(seconds)) == (mmss, hhmm)

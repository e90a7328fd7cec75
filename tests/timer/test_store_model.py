"""The database-backed store against the reference model: what is stored after random sequences."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.timer.reference_model import ReferenceTimer, Refused
from tests.utils.users import make_user
from timetracker.errors import DomainError
from timetracker.runtime import Runtime
from timetracker.timer import store
from timetracker.timer.machine import EventType

START = datetime(2025, 4, 11, 9, 0, tzinfo=UTC)
EVENTS = st.lists(st.tuples(st.sampled_from(list(EventType)), st.integers(0, 600)), min_size=1, max_size=25)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EVENTS)
def test_stored_questions_match_the_reference_model(runtime: Runtime, events: list[tuple[EventType, int]]) -> None:
    user = make_user(runtime, "model")
    model, at, answer = ReferenceTimer(), START, None
    for kind, gap in events:
        at += timedelta(seconds=gap)
        try:
            model.press(kind.value, at)
        except Refused:
            with pytest.raises(DomainError):
                store.apply_event(runtime.db, user.principal, store.TimerEvent(kind, at, str(uuid.uuid4())), 5.5)
            continue
        answer = store.apply_event(runtime.db, user.principal, store.TimerEvent(kind, at, str(uuid.uuid4())), 5.5)
        # Zero-length ghosts (two presses at one instant) are left out, as in the summaries.
        assert answer["total_questions"] == len([q for q in model.closed if q.raw > 0])
        assert answer["session_active"] == (model.current is not None)
        assert answer["paused"] == model.paused_now
    if answer is None:
        return
    with runtime.db.as_user(user.principal.db_claims) as conn:
        rows = conn.execute(
            "select q.question_index, q.started_at, q.ended_at, q.raw_seconds, q.active_seconds"
            " from timer_questions q join timer_sessions s on s.id = q.session_id"
            " where s.public_id = %s order by q.question_index",
            (answer["session_id"],),
        ).fetchall()
        sessions = conn.execute("select count(*) as n from timer_sessions").fetchone()["n"]
    assert sessions == model.sessions
    assert [(r["question_index"], r["started_at"], r["ended_at"]) for r in rows] == [
        (q.index, q.start, q.end) for q in model.closed
    ]
    for row, expected in zip(rows, model.closed, strict=True):
        assert row["raw_seconds"] == pytest.approx(expected.raw)
        assert row["active_seconds"] == pytest.approx(expected.active)

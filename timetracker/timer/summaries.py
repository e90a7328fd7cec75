"""The read side of the timer: recent sessions, one session's summary, one local day's summary,
and the few edits a person makes afterwards (delete a session or a question, set the target).

Every query runs as the viewer (`as_user`), so RLS decides whose sessions are visible: a
person's own, and a team admin's members'. Edits are the owner's alone (RLS again).

Pace: a question's pace is its active seconds over the target (1.0 = on target, lower is
faster); a pace score is target time over time taken, in percent (100 = on target, higher
is faster). Zero-length "ghost" questions (NEXT twice at one instant) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.db.pool import Connection
from timetracker.errors import InvalidInput, NotFound
from timetracker.projects.store import usable_project
from timetracker.reports.timeline import local_day_window
from timetracker.timer.machine import MAX_TARGET_MINUTES, MIN_TARGET_MINUTES, hhmm, mmss
from timetracker.timer.store import lock_person_state

SESSION_COLUMNS = "id, public_id, owner_id, target_pace_minutes, started_at, ended_at, current_index, project_id"
QUESTION_COLUMNS = "session_id, question_index, started_at, ended_at, raw_seconds, active_seconds"
# A session is on a day when it was active then: from its start to its end or, never ended
# (a widget closed without EXIT), to its last event (every applied event records its session;
# the in-progress question's start is a fallback). Counting an open session as running until
# now showed an abandoned one on every later day, with no questions.
LAST_ACTIVITY = (
    "coalesce(s.ended_at, (select max(e.occurred_at) from timer_events e where e.session_id = s.id),"
    " s.question_started_at)"
)


def pace_score(target_seconds_total: float, active_seconds_total: float) -> float | None:
    if active_seconds_total <= 0:
        return None
    return round(100 * target_seconds_total / active_seconds_total, 1)


def question_view(row: dict[str, Any], target_seconds: float) -> dict[str, Any]:
    active = row["active_seconds"]
    return {
        "index": row["question_index"],
        "started_at": row["started_at"],
        "ended_at": row["ended_at"],
        "raw_seconds": row["raw_seconds"],
        "active_seconds": active,
        "paused_seconds": row["raw_seconds"] - active,
        "time": mmss(active),
        "pace": round(active / target_seconds, 3),
        "over_target": active > target_seconds,
    }


def session_stats(session: dict[str, Any], questions: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Totals, average and pace of one session's (non-ghost) questions."""
    target = float(session["target_pace_minutes"]) * 60
    shown = [question_view(row, target) for row in questions if row["raw_seconds"] > 0]
    total_active = sum(q["active_seconds"] for q in shown)
    total_raw = sum(q["raw_seconds"] for q in shown)
    average = total_active / len(shown) if shown else None
    return {
        "session_id": session["public_id"],
        "started_at": session["started_at"],
        "ended_at": session["ended_at"],
        "active": session["ended_at"] is None,
        "target_pace_minutes": float(session["target_pace_minutes"]),
        "target_pace_seconds": target,
        "target_time": mmss(target),
        "total_questions": len(shown),
        "total_active_seconds": total_active,
        "total_raw_seconds": total_raw,
        "total_active_time": hhmm(total_active),
        "total_raw_time": hhmm(total_raw),
        "average_seconds": average,
        "average_time": mmss(average) if average is not None else None,
        "pace_score": pace_score(target * len(shown), total_active),
        "questions": shown,
        "project_id": session.get("project_id"),
    }


def recent_sessions(db: Database, principal: Principal, limit: int = 10) -> list[dict[str, Any]]:
    """The person's latest sessions, newest first, each with its stats (questions included)."""
    with db.as_user(principal.db_claims) as conn:
        sessions = conn.execute(
            f"select {SESSION_COLUMNS} from timer_sessions where owner_id = %s order by started_at desc limit %s",
            (principal.user_id, limit),
        ).fetchall()
        questions = _questions_of(conn, [s["id"] for s in sessions])
    return [session_stats(s, questions.get(s["id"], [])) for s in sessions]


def session_summary(db: Database, principal: Principal, public_id: UUID) -> dict[str, Any]:
    with db.as_user(principal.db_claims) as conn:
        session = _session(conn, public_id)
        questions = _questions_of(conn, [session["id"]])
    return session_stats(session, questions.get(session["id"], []))


def daily_summary(db: Database, principal: Principal, day: date, tz: ZoneInfo) -> dict[str, Any]:
    """Questions started on local `day`: per-session stats, the day's weighted pace, 24 hourly buckets.

    The sessions are those active on the day (see LAST_ACTIVITY), each with the questions it
    started on the day."""
    start, end = local_day_window(day, day, tz)
    with db.as_user(principal.db_claims) as conn:
        sessions = conn.execute(
            f"select {SESSION_COLUMNS} from timer_sessions s where owner_id = %s"
            f" and started_at < %s and {LAST_ACTIVITY} >= %s order by started_at",
            (principal.user_id, end, start),
        ).fetchall()
        rows = conn.execute(
            f"select {QUESTION_COLUMNS} from timer_questions where owner_id = %s and started_at >= %s"
            " and started_at < %s order by started_at",
            (principal.user_id, start, end),
        ).fetchall()
    by_session = _by_session(rows)
    stats = [session_stats(s, by_session.get(s["id"], [])) for s in sessions]
    questions = sum(s["total_questions"] for s in stats)
    active = sum(s["total_active_seconds"] for s in stats)
    target_total = sum(s["target_pace_seconds"] * s["total_questions"] for s in stats)
    average = active / questions if questions else None
    return {
        "day": day,
        "timezone": tz.key,
        "total_questions": questions,
        "total_active_seconds": active,
        "total_active_time": hhmm(active),
        # Weighted by questions: a 40-question session counts 40 times a 1-question one.
        "average_seconds": average,
        "average_time": mmss(average) if average is not None else None,
        "pace_score": pace_score(target_total, active),
        "sessions": stats,
        "hours": _hourly(rows, tz),
    }


def _hourly(rows: list[dict[str, Any]], tz: ZoneInfo) -> list[dict[str, Any]]:
    """Questions and active seconds by the local hour each question started in."""
    hours = [{"hour": hour, "questions": 0, "active_seconds": 0.0} for hour in range(24)]
    for row in rows:
        if row["raw_seconds"] <= 0:
            continue
        bucket = hours[row["started_at"].astimezone(tz).hour]
        bucket["questions"] += 1
        bucket["active_seconds"] += row["active_seconds"]
    return hours


def delete_session(db: Database, principal: Principal, public_id: UUID) -> None:
    with db.as_user(principal.db_claims) as conn:
        # Deleting locks the session, then (on delete set null) the timer_state row; an event
        # locks them the other way round. Queue behind the event first: no deadlock.
        lock_person_state(conn)
        deleted = conn.execute(
            "delete from timer_sessions where public_id = %s and owner_id = auth.uid() returning id", (public_id,)
        ).fetchone()
    if deleted is None:
        raise NotFound("no timer session of yours with that id")


def delete_question(db: Database, principal: Principal, public_id: UUID, index: int) -> None:
    with db.as_user(principal.db_claims) as conn:
        # After any event being applied (which may be undoing this very question).
        lock_person_state(conn)
        deleted = conn.execute(
            "delete from timer_questions q using timer_sessions s where s.id = q.session_id and s.public_id = %s"
            " and q.question_index = %s and q.owner_id = auth.uid() returning q.id",
            (public_id, index),
        ).fetchone()
    if deleted is None:
        raise NotFound(f"no question {index} in a timer session of yours with that id")


def set_target(db: Database, principal: Principal, public_id: UUID, minutes: float) -> dict[str, Any]:
    if not MIN_TARGET_MINUTES <= minutes <= MAX_TARGET_MINUTES:
        raise InvalidInput(f"the target must be {MIN_TARGET_MINUTES:g} to {MAX_TARGET_MINUTES:g} minutes per question")
    return _changed(db, principal, public_id, "target_pace_minutes", minutes)


def set_project(db: Database, principal: Principal, public_id: UUID, project_id: UUID | None) -> dict[str, Any]:
    """Give the session's time to a project (None: back to unassigned)."""
    return _changed(db, principal, public_id, "project_id", project_id)


def _changed(db: Database, principal: Principal, public_id: UUID, column: str, value: Any) -> dict[str, Any]:
    with db.as_user(principal.db_claims) as conn:
        if column == "project_id":
            usable_project(conn, value)
        # After any event being applied, which answers with the session as it is.
        lock_person_state(conn)
        updated = conn.execute(
            f"update timer_sessions set {column} = %s where public_id = %s and owner_id = auth.uid() returning id",
            (value, public_id),
        ).fetchone()
        if updated is None:
            raise NotFound("no timer session of yours with that id")
        session = _session(conn, public_id)
        questions = _questions_of(conn, [session["id"]])
    return session_stats(session, questions.get(session["id"], []))


def _session(conn: Connection, public_id: UUID) -> dict[str, Any]:
    session = conn.execute(
        f"select {SESSION_COLUMNS} from timer_sessions where public_id = %s", (public_id,)
    ).fetchone()
    if session is None:
        raise NotFound("no timer session with that id that you may see")
    return session


def _questions_of(conn: Connection, session_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not session_ids:
        return {}
    rows = conn.execute(
        f"select {QUESTION_COLUMNS} from timer_questions where session_id = any(%s) order by question_index",
        (session_ids,),
    ).fetchall()
    return _by_session(rows)


def _by_session(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["session_id"], []).append(row)
    return grouped

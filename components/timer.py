"""Timer: a day's timer sessions, per-question time against the target, hourly activity, pace;
delete a session or a question, set a session's target, and install the browser widget."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.express as px
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import done, reported_errors
from timetracker import paths, profiles
from timetracker.auth.principal import Principal
from timetracker.projects import store
from timetracker.timer import summaries
from timetracker.timer.machine import MAX_TARGET_MINUTES, MIN_TARGET_MINUTES, mmss

# Where the API serves the userscript (api/routes/widget.py); a stable path clients depend on.
WIDGET_PATH = paths.WIDGET


def minutes_text(seconds: float | None) -> str:
    return mmss(seconds) if seconds is not None else "–"


def target_shown(minutes: float) -> float:
    """The stored target inside the input's range: st.number_input raises for a value outside
    it, and the database allows targets (e.g. 0.05, set before the range) the API now refuses."""
    return min(max(float(minutes), MIN_TARGET_MINUTES), float(MAX_TARGET_MINUTES))


def question_chart(session: dict[str, Any], tz: ZoneInfo) -> None:
    frame = pd.DataFrame(session["questions"])
    frame = frame.assign(
        question=frame["index"].astype(str),
        minutes=frame["active_seconds"] / 60,
        against_target=frame["over_target"].map({True: "over target", False: "within target"}),
    )
    started = session["started_at"].astimezone(tz).strftime("%H:%M")
    figure = px.bar(
        frame,
        x="question",
        y="minutes",
        color="against_target",
        color_discrete_map={"over target": "#e45756", "within target": "#54a24b"},
        hover_data={"time": True, "paused_seconds": ":.0f"},
        title=f"Active minutes per question, session started {started}",
    )
    figure.add_hline(
        y=session["target_pace_minutes"], line_dash="dash", annotation_text=f"target {session['target_time']}"
    )
    figure.update_layout(xaxis={"type": "category"}, legend_title_text=None)
    st.plotly_chart(figure, width="stretch", key=f"questions:{session['session_id']}")


def project_choices(projects: list[dict[str, Any]], current: Any) -> dict[str, str]:
    """Project id -> path for the session's picker: "" for none, the projects still in use, and
    the session's own even when it has been archived since."""
    choices = {"": "No project"}
    for project in projects:
        if not project["archived"] or project["id"] == current:
            choices[str(project["id"])] = project["path"] + (" (archived)" if project["archived"] else "")
    return choices


def project_picker(principal: Principal, session: dict[str, Any], projects: list[dict[str, Any]]) -> None:
    session_id = session["session_id"]
    choices = project_choices(projects, session["project_id"])
    current = str(session["project_id"] or "")
    picked = st.selectbox(
        "Project",
        list(choices),
        index=list(choices).index(current) if current in choices else 0,
        format_func=choices.get,
        help="What the session's time counts for in every report (projects are set up on the Projects page).",
        key=f"project:{session_id}",
    )
    if picked != current and st.button("Set project", key=f"set_project:{session_id}"):
        with reported_errors():
            summaries.set_project(runtime().db, principal, session_id, UUID(picked) if picked else None)
            done(f"Session given to {choices[picked]}")


def session_panel(principal: Principal, session: dict[str, Any], tz: ZoneInfo, projects: list[dict[str, Any]]) -> None:
    session_id = session["session_id"]
    started = session["started_at"].astimezone(tz).strftime("%H:%M")
    ended = session["ended_at"].astimezone(tz).strftime("%H:%M") if session["ended_at"] else "running"
    score = f"{session['pace_score']:.0f}" if session["pace_score"] is not None else "–"
    average = minutes_text(session["average_seconds"])
    title = f"{started}–{ended} · {session['total_questions']} questions · average {average} · pace {score}"
    with st.expander(title, expanded=True):
        if session["questions"]:
            question_chart(session, tz)
        else:
            st.caption("No finished questions yet.")
        target_col, question_col, session_col = st.columns(3)
        with target_col:
            minutes = st.number_input(
                "Target minutes per question",
                min_value=MIN_TARGET_MINUTES,
                max_value=float(MAX_TARGET_MINUTES),
                value=target_shown(session["target_pace_minutes"]),
                step=0.5,
                key=f"target:{session_id}",
            )
            if st.button("Set target", key=f"set_target:{session_id}"):
                with reported_errors():
                    summaries.set_target(runtime().db, principal, session_id, minutes)
                    done(f"Target set to {minutes:g} minutes")
        with question_col:
            indexes = [q["index"] for q in session["questions"]]
            chosen = st.selectbox("Question", indexes, key=f"question:{session_id}", disabled=not indexes)
            if st.button("Delete question", key=f"delete_question:{session_id}", disabled=not indexes):
                with reported_errors():
                    summaries.delete_question(runtime().db, principal, session_id, chosen)
                    done(f"Question {chosen} deleted")
        project_picker(principal, session, projects)
        with session_col:
            st.write("")
            if st.button("Delete session", key=f"delete_session:{session_id}", type="secondary"):
                with reported_errors():
                    summaries.delete_session(runtime().db, principal, session_id)
                    done("Session deleted")


def hourly_chart(day: dict[str, Any]) -> None:
    hours = pd.DataFrame(day["hours"]).assign(minutes=lambda f: f["active_seconds"] / 60)
    figure = px.bar(hours, x="hour", y="minutes", hover_data=["questions"], title="Active minutes by hour started")
    figure.update_layout(xaxis={"dtick": 1, "range": [-0.5, 23.5]})
    st.plotly_chart(figure, width="stretch", key="timer_hours")


def widget_setup() -> None:
    url = runtime().settings.api_base_url + WIDGET_PATH
    with st.expander("Set up the browser widget", expanded=False):
        st.markdown(
            f"""
1. Install [Tampermonkey](https://www.tampermonkey.net/) or [Violentmonkey](https://violentmonkey.github.io/).
2. Open **[{url}]({url})**; the extension offers to install the *Time Tracker timer* script.
3. Create a personal API token on the **Profile** page (shown once: copy it).
4. On the page you work on, click **⚙** in the timer panel (bottom right), enter the server URL
   `{runtime().settings.api_base_url}` and the token, and save. The script keeps both in its extension's
   storage, which the site's own scripts cannot read.
5. Press **Next** (Alt+N) when you start a question, **Pause** (Alt+P), **Undo** (Alt+U) for a NEXT
   pressed by mistake, **Exit** (Alt+X) when you stop. Pick a project in the widget, or for a
   session below, and its time counts for that project.

The site must be listed in the server's `CORS_ORIGINS` (the script calls the API with `fetch`).
If the site's Content-Security-Policy blocks the call, switch the script's `fetch` to
`GM_xmlhttpRequest` (add `@grant GM_xmlhttpRequest` and `@connect <your server host>`).
While the server is unreachable, presses wait in the browser and are sent later in order.
"""
        )
        st.code(url, language=None)


principal = current_principal()
db = runtime().db
st.title("Timer")
tz = profiles.timezone_of(db, principal)
day = st.date_input("Day", value=datetime.now(tz).date(), key="timer_day", format="YYYY-MM-DD")
st.caption(f"Questions started on this day in {tz.key}. Pace score: target time over time taken (100 = on target).")

with reported_errors():
    summary = summaries.daily_summary(db, principal, day, tz)
    score = f"{summary['pace_score']:.0f}" if summary["pace_score"] is not None else "–"
    cols = st.columns(4)
    cols[0].metric("Questions", summary["total_questions"])
    cols[1].metric("Active time", summary["total_active_time"])
    cols[2].metric("Average per question", minutes_text(summary["average_seconds"]))
    cols[3].metric("Pace score", score)
    if not summary["sessions"]:
        st.info("No timer sessions on this day. Install the widget below and press Next to start one.")
    else:
        hourly_chart(summary)
        projects = store.list_projects(db, principal)
        for session in summary["sessions"]:
            session_panel(principal, session, tz, projects)

widget_setup()

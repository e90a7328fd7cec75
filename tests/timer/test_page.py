"""The Timer page in Streamlit's AppTest: the chosen day's sessions, charts, pace, and the edits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from tests.timer.timer_client import run
from tests.ui.conftest import charts_json
from tests.utils.projects import project
from tests.utils.users import TestUser
from timetracker import profiles
from timetracker.runtime import Runtime
from timetracker.timer import summaries

PAGE = "components/timer.py"
DAY = date(2025, 4, 11)


@pytest.fixture
def timer_page(dashboard: Callable[[TestUser], AppTest]) -> Callable[[TestUser], AppTest]:
    def open_for(user: TestUser) -> AppTest:
        at = dashboard(user)
        at.switch_page(PAGE).run()
        at.date_input(key="timer_day").set_value(DAY).run()
        assert not at.exception, at.exception
        return at

    return open_for


@pytest.fixture
def session_id(http: httpx.Client, alice: TestUser, runtime: Runtime) -> str:
    """Questions of 200 s and 400 s (100 s paused) from 09:00 UTC."""
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    steps = [("NEXT", 0), ("NEXT", 200), ("PAUSE", 300), ("PAUSE", 400), ("EXIT", 600)]
    return run(http, alice.headers, *steps)["session_id"]


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_a_new_account_sees_how_to_start(dashboard: Callable[[TestUser], AppTest], alice: TestUser) -> None:
    at = dashboard(alice)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Timer"
    assert any(info.value.startswith("No timer sessions on this day") for info in at.info)
    setup = " ".join(block.value for block in at.markdown)
    assert "/widget/timer.user.js" in setup and "Profile" in setup and "GM_xmlhttpRequest" in setup


def test_the_days_sessions_pace_and_charts(
    timer_page: Callable[[TestUser], AppTest], alice: TestUser, session_id: str
) -> None:
    at = timer_page(alice)
    assert metrics(at) == {
        "Questions": "2",
        "Active time": "00:08",
        "Average per question": "04:10",
        "Pace score": "132",
    }
    assert at.expander[0].label.startswith("09:00–09:10 · 2 questions · average 04:10")
    charts = charts_json(at)
    assert "Active minutes per question" in charts and "target 05:30" in charts and "Active minutes by hour" in charts


def test_set_the_target_and_delete_a_question_then_the_session(
    timer_page: Callable[[TestUser], AppTest], alice: TestUser, session_id: str, runtime: Runtime
) -> None:
    at = timer_page(alice)
    at.number_input(key=f"target:{session_id}").set_value(4.0)
    at.button(key=f"set_target:{session_id}").click().run()
    assert [toast.value for toast in at.toast] == ["Target set to 4 minutes"]
    assert summaries.session_summary(runtime.db, alice.principal, session_id)["target_pace_minutes"] == 4
    assert metrics(at)["Pace score"] == "96"

    at.selectbox(key=f"question:{session_id}").select(2)
    at.button(key=f"delete_question:{session_id}").click().run()
    assert [q["index"] for q in summaries.session_summary(runtime.db, alice.principal, session_id)["questions"]] == [1]
    assert metrics(at)["Questions"] == "1"

    at.button(key=f"delete_session:{session_id}").click().run()
    assert not at.exception, at.exception
    assert summaries.recent_sessions(runtime.db, alice.principal) == []
    assert any(info.value.startswith("No timer sessions on this day") for info in at.info)


def test_another_persons_sessions_are_not_shown(
    timer_page: Callable[[TestUser], AppTest], bob: TestUser, session_id: str
) -> None:
    at = timer_page(bob)
    assert metrics(at)["Questions"] == "0"
    assert not at.expander or all("questions" not in e.label for e in at.expander)


@pytest.mark.parametrize(("stored", "shown"), [(0.25, 0.25), (0.05, 0.1), (1440, 1440)])
def test_any_stored_target_shows_without_an_error(
    timer_page: Callable[[TestUser], AppTest],
    alice: TestUser,
    session_id: str,
    runtime: Runtime,
    stored: float,
    shown: float,
) -> None:
    """The page's input once started at 0.5 while the API took any target above 0: a session
    at 0.25 crashed the page. One that predates the range (the database allows it) is clamped."""
    with runtime.db.as_user(alice.principal.db_claims) as conn:
        conn.execute("update timer_sessions set target_pace_minutes = %s where public_id = %s", (stored, session_id))
    at = timer_page(alice)
    assert at.number_input(key=f"target:{session_id}").value == shown


def test_the_page_and_the_api_accept_the_same_targets(
    timer_page: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, session_id: str
) -> None:
    target = timer_page(alice).number_input(key=f"target:{session_id}")
    url = f"/api/v1/timer/sessions/{session_id}/target"
    for minutes in (target.min, target.max):
        assert http.put(url, json={"target_pace_minutes": minutes}, headers=alice.headers).status_code == 200
    for minutes in (target.min / 2, target.max + 1):
        assert http.put(url, json={"target_pace_minutes": minutes}, headers=alice.headers).status_code == 422


def test_a_session_is_given_a_project_and_archived_ones_are_not_offered(
    timer_page: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, session_id: str, runtime: Runtime
) -> None:
    apollo = project(http, alice, "Apollo")
    project(http, alice, "Old", archived=True)
    at = timer_page(alice)
    picker = at.selectbox(key=f"project:{session_id}")
    assert picker.options == ["No project", "Apollo"]
    picker.set_value(apollo).run()
    at.button(key=f"set_project:{session_id}").click().run()
    assert [toast.value for toast in at.toast] == ["Session given to Apollo"]
    assert str(summaries.session_summary(runtime.db, alice.principal, session_id)["project_id"]) == apollo
    assert at.selectbox(key=f"project:{session_id}").value == apollo

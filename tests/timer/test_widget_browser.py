"""The userscript in real Chromium: a local page on one loopback port, the API on another (so
CORS is real), the script as the server serves it. A session is clicked through, partly while
the API is unreachable; afterwards the database holds the questions with the original times.

Time in the page is Playwright's clock, so durations are exact and no test waits on the wall.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.sync_api import Page, Route, expect

from tests.utils.apps import RunningApp, running_app, variant
from tests.utils.bearers import api_token
from tests.utils.net import free_port, serve
from tests.utils.projects import project
from tests.utils.users import TestUser
from timetracker.config import Settings
from timetracker.runtime import Runtime

pytestmark = pytest.mark.browser

START = datetime(2025, 4, 11, 9, 0, tzinfo=UTC)
TASK_PAGE = "<!doctype html><html><head><title>Task queue</title></head><body><h1>Question</h1></body></html>"


@pytest.fixture(scope="module")
def task_site() -> Iterator[str]:
    """The page the widget runs on (another origin than the API)."""
    site = FastAPI()
    site.get("/", response_class=HTMLResponse)(lambda: TASK_PAGE)
    with serve(site, free_port()) as url:
        yield url


@pytest.fixture(scope="module")
def widget_api(settings: Settings, runtime: Runtime, task_site: str) -> Iterator[RunningApp]:
    with running_app(variant(settings, cors_origins=task_site)) as app:
        yield app


def stored(runtime: Runtime, user: TestUser) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with runtime.db.as_user(user.principal.db_claims) as conn:
        questions = conn.execute(
            "select question_index, started_at, ended_at, raw_seconds, active_seconds from timer_questions"
            " order by question_index"
        ).fetchall()
        events = conn.execute("select type, occurred_at, event_id from timer_events order by id").fetchall()
    return questions, events


def test_a_session_clicked_through_partly_offline_is_stored_in_order(
    page: Page, widget_api: RunningApp, task_site: str, http: httpx.Client, alice: TestUser, runtime: Runtime
) -> None:
    token = api_token(http, alice, "widget")
    script = httpx.get(f"{widget_api.url}/widget/timer.user.js").text
    # Frozen at START: time moves only when the test moves it.
    page.clock.install(time=START - timedelta(seconds=1))
    page.clock.pause_at(START)
    page.goto(task_site)
    page.add_script_tag(content=script)
    info, clock = page.locator("#tt-info"), page.clock

    # Configure once: the server URL is filled in by the server; the token is pasted.
    expect(info).to_contain_text("set server and token")
    page.click("#tt-setup")
    expect(page.locator("#tt-server")).to_have_value(widget_api.settings.api_base_url)
    page.fill("#tt-server", widget_api.url)
    page.fill("#tt-token", token)
    page.click("#tt-save")

    page.click("#tt-next")  # 09:00 question 1
    expect(info).to_have_text("0 done")
    clock.fast_forward("03:00")
    expect(page.locator("#tt-time")).to_have_text("03:00")
    expect(page.locator("#tt-pace")).to_have_text("55% of 05:30")
    page.click("#tt-pause")  # 09:03
    clock.fast_forward("01:00")
    page.click("#tt-pause")  # 09:04
    clock.fast_forward("01:00")
    page.keyboard.press("Alt+KeyN")  # 09:05: question 1 is 5:00 raw, 4:00 active
    expect(info).to_have_text("1 done, last 04:00")

    page.route(f"{widget_api.url}/**", lambda route: route.abort("internetdisconnected"))
    clock.fast_forward("02:00")
    page.click("#tt-next")  # 09:07, queued
    expect(info).to_contain_text("1 queued")
    clock.fast_forward("00:30")
    page.click("#tt-undo")  # 09:07:30: back on question 2 from 09:05
    clock.fast_forward("01:30")
    expect(page.locator("#tt-index")).to_have_text("2")
    expect(page.locator("#tt-time")).to_have_text("04:00")
    page.click("#tt-exit")  # 09:09
    expect(info).to_contain_text("3 queued")
    expect(info).to_contain_text("offline")
    assert len(page.evaluate("JSON.parse(localStorage.getItem('tt_timer_queue'))")) == 3

    page.unroute(f"{widget_api.url}/**")
    clock.fast_forward("00:10")  # the retry timer fires
    expect(info).to_have_text("2 done, last 04:00")
    assert page.evaluate("JSON.parse(localStorage.getItem('tt_timer_queue'))") == []

    questions, events = stored(runtime, alice)
    assert [
        (q["question_index"], q["started_at"], q["ended_at"], q["raw_seconds"], q["active_seconds"]) for q in questions
    ] == [
        (1, START, START + timedelta(minutes=5), 300, 240),
        (2, START + timedelta(minutes=5), START + timedelta(minutes=9), 240, 240),
    ]
    minutes = [(e["type"], (e["occurred_at"] - START).total_seconds() / 60) for e in events]
    assert minutes == [
        ("NEXT", 0),
        ("PAUSE", 3),
        ("PAUSE", 4),
        ("NEXT", 5),
        ("NEXT", 7),
        ("UNDO", 7.5),
        ("EXIT", 9),
    ]
    assert len({e["event_id"] for e in events}) == 7


def configured_widget(page: Page, site: str, server: str, token: str) -> None:
    """The widget on `site`, with the server URL and token already saved (as ⚙ would)."""
    page.goto(site)
    page.evaluate(
        "([server, token]) => { localStorage.setItem('tt_timer_server', JSON.stringify(server));"
        " localStorage.setItem('tt_timer_token', JSON.stringify(token)); }",
        [server, token],
    )
    page.add_script_tag(content=httpx.get(f"{server}/widget/timer.user.js").text)


def test_a_refused_press_is_explained_and_not_queued(
    page: Page, widget_api: RunningApp, task_site: str, http: httpx.Client, alice: TestUser
) -> None:
    configured_widget(page, task_site, widget_api.url, api_token(http, alice, "widget"))
    page.click("#tt-pause")
    expect(page.locator("#tt-info")).to_have_text("PAUSE needs an active session")
    assert page.evaluate("localStorage.getItem('tt_timer_queue')") is None


# Whether the widget has had the server give the running session the project with this id ("" for none).
SESSION_PROJECT = "id => JSON.parse(localStorage.getItem('tt_timer_state')).sessionProject === id"
WAIT_MS = 60_000


def session_projects(runtime: Runtime, user: TestUser) -> list[Any]:
    with runtime.db.as_user(user.principal.db_claims) as conn:
        return [row["project_id"] for row in conn.execute("select project_id from timer_sessions").fetchall()]


def test_the_project_picked_in_the_widget_is_given_to_the_session(
    page: Page, widget_api: RunningApp, task_site: str, http: httpx.Client, alice: TestUser, runtime: Runtime
) -> None:
    token = api_token(http, alice, "widget")
    apollo = project(http, alice, "Apollo")
    archived = project(http, alice, "Old", archived=True)
    configured_widget(page, task_site, widget_api.url, token)
    picker = page.locator("#tt-project")
    picker.focus()  # opening the picker asks for the projects (archived ones are not offered)
    expect(picker.locator("option")).to_have_text(["No project", "Apollo"])
    assert archived not in [option.get_attribute("value") for option in picker.locator("option").all()]
    picker.select_option(label="Apollo")

    page.click("#tt-next")  # the session the press starts gets the chosen project
    expect(page.locator("#tt-info")).to_have_text("0 done")
    page.wait_for_function(SESSION_PROJECT, arg=apollo, timeout=WAIT_MS)
    assert session_projects(runtime, alice) == [UUID(apollo)]

    picker.select_option(label="No project")  # changed mid-session: the session follows
    page.wait_for_function(SESSION_PROJECT, arg="", timeout=WAIT_MS)
    assert session_projects(runtime, alice) == [None]


def test_a_busy_server_is_retried_after_its_retry_after_and_a_refused_token_is_said(
    page: Page, widget_api: RunningApp, task_site: str, http: httpx.Client, alice: TestUser, runtime: Runtime
) -> None:
    token = api_token(http, alice, "widget")
    page.clock.install(time=START - timedelta(seconds=1))
    page.clock.pause_at(START)
    page.goto(task_site)
    # When (on the page's clock) the widget calls the API: recorded as the call is made.
    page.evaluate(
        "([server, token]) => { localStorage.setItem('tt_timer_server', JSON.stringify(server));"
        " localStorage.setItem('tt_timer_token', JSON.stringify(token));"
        " window.apiCalls = []; const realFetch = window.fetch;"
        " window.fetch = (...args) => { window.apiCalls.push(Date.now()); return realFetch(...args); }; }",
        [widget_api.url, "ttp_wrong"],
    )
    page.add_script_tag(content=httpx.get(f"{widget_api.url}/widget/timer.user.js").text)
    info = page.locator("#tt-info")

    page.click("#tt-next")
    expect(info).to_contain_text("token refused")
    expect(info).to_contain_text("1 queued")

    # A new token, and a server that is busy once: the press waits the Retry-After it was given.
    busy = {"left": 1}

    def once_busy(route: Route) -> None:
        if busy["left"]:
            busy["left"] -= 1
            cors = {"Access-Control-Allow-Origin": task_site, "Access-Control-Expose-Headers": "Retry-After"}
            route.fulfill(status=429, headers={"Retry-After": "30", **cors}, body="{}")
        else:
            route.fallback()

    page.route(f"{widget_api.url}/api/v1/timer/events", once_busy)
    page.click("#tt-setup")
    page.fill("#tt-token", token)
    page.click("#tt-save")
    expect(info).to_contain_text("server busy")
    # run_for fires each timer at its own instant (fast_forward would fire it at the end).
    page.clock.run_for("00:29")
    assert len(page.evaluate("window.apiCalls")) == 2  # the refused token, the busy answer; no retry yet
    page.clock.run_for("00:02")
    expect(info).to_have_text("0 done")
    _refused, busy_at, retried = page.evaluate("window.apiCalls")
    assert retried - busy_at == 30_000
    [(kind, at, _)] = [tuple(event.values()) for event in stored(runtime, alice)[1]]
    assert (kind, at) == ("NEXT", START)  # sent 30 s later, stamped when it was pressed


# What Tampermonkey/Violentmonkey give a script that @grants GM_getValue/GM_setValue: a store of
# the script's own, outside the page's localStorage (kept here in a closure; the test reads it
# through __managerStore only to check where things went).
MANAGER = """(() => {
  const store = new Map();
  window.GM_getValue = (key, fallback) => (store.has(key) ? store.get(key) : fallback);
  window.GM_setValue = (key, value) => { store.set(key, value); };
  window.__managerStore = () => Object.fromEntries(store);
})();"""


def test_under_a_userscript_manager_the_token_stays_out_of_the_pages_storage(
    page: Page, widget_api: RunningApp, task_site: str, http: httpx.Client, alice: TestUser, runtime: Runtime
) -> None:
    old_token, token = api_token(http, alice, "old widget"), api_token(http, alice, "widget")
    page.add_init_script(MANAGER)
    page.goto(task_site)
    # An earlier version of the script left the token in the site's localStorage.
    page.evaluate("(t) => localStorage.setItem('tt_timer_token', JSON.stringify(t))", old_token)
    page.add_script_tag(content=httpx.get(f"{widget_api.url}/widget/timer.user.js").text)

    assert page.evaluate("localStorage.getItem('tt_timer_token')") is None  # moved out of the page's reach
    assert page.evaluate("__managerStore()")["tt_timer_token"] == old_token

    page.click("#tt-setup")
    page.fill("#tt-server", widget_api.url)
    page.fill("#tt-token", token)
    page.click("#tt-save")
    page.click("#tt-next")
    expect(page.locator("#tt-info")).to_have_text("0 done")

    assert page.evaluate("__managerStore()") == {"tt_timer_server": widget_api.url, "tt_timer_token": token}
    assert not any("tt_timer_token" in key or token in (value or "") for key, value in local_storage(page).items())
    _, events = stored(runtime, alice)
    assert [e["type"] for e in events] == ["NEXT"]


def local_storage(page: Page) -> dict[str, str]:
    return page.evaluate("Object.fromEntries(Object.entries(localStorage))")


def test_two_tabs_share_one_session_and_one_queue(
    page: Page, widget_api: RunningApp, task_site: str, http: httpx.Client, alice: TestUser, runtime: Runtime
) -> None:
    token = api_token(http, alice, "widget")
    script = httpx.get(f"{widget_api.url}/widget/timer.user.js").text
    context = page.context
    context.route(f"{widget_api.url}/**", lambda route: route.abort("internetdisconnected"))
    first, second = page, context.new_page()
    for tab in (first, second):
        tab.goto(task_site)
        tab.evaluate(
            "([server, token]) => { localStorage.setItem('tt_timer_server', JSON.stringify(server));"
            " localStorage.setItem('tt_timer_token', JSON.stringify(token)); }",
            [widget_api.url, token],
        )
        tab.add_script_tag(content=script)

    first.click("#tt-next")  # offline: queued in the tab's shared storage
    expect(second.locator("#tt-index")).to_have_text("1")  # the other tab follows
    second.click("#tt-pause")  # works on the session the first tab started
    first.click("#tt-pause")  # and the first sees the pause to end it
    second.click("#tt-exit")
    assert [e["type"] for e in first.evaluate("JSON.parse(localStorage.getItem('tt_timer_queue'))")] == [
        "NEXT",
        "PAUSE",
        "PAUSE",
        "EXIT",
    ]

    context.unroute(f"{widget_api.url}/**")
    first.evaluate("window.dispatchEvent(new Event('online'))")
    for tab in (first, second):
        expect(tab.locator("#tt-info")).to_have_text("1 done, last 00:00")
    assert first.evaluate("JSON.parse(localStorage.getItem('tt_timer_queue'))") == []
    questions, events = stored(runtime, alice)
    assert [e["type"] for e in events] == ["NEXT", "PAUSE", "PAUSE", "EXIT"]  # each once, in order
    assert len(questions) == 1

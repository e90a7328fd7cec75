"""A real Chromium stays logged in across a reload, a second tab and a trip to another site,
and logging out ends it everywhere. On the API's host name the login cookie is HttpOnly, set
by the API; elsewhere the page writes it, short-lived. Neither holds a token."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.sync_api import BrowserContext, Page, expect

from tests.utils.browser import settle
from tests.utils.net import free_port, serve
from tests.utils.users import TestUser
from timetracker.auth.browser_sessions import COOKIE_NAME, COOKIE_PATH, SCRIPT_LIFETIME_SECONDS
from timetracker.wakatime.connect import message_for

pytestmark = pytest.mark.browser
# The cookie arrives from a script mounted after a run, or from the API's answer to it.
COOKIE_TIMEOUT_SECONDS = 60


def login_cookie(context: BrowserContext) -> dict[str, Any] | None:
    return next((cookie for cookie in context.cookies() if cookie["name"] == COOKIE_NAME), None)


def wait_for(condition: Callable[[], bool], what: str) -> None:
    # Cookies scoped to Streamlit's websocket are not in document.cookie: ask the browser.
    deadline = time.monotonic() + COOKIE_TIMEOUT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.2)


def expect_logged_in(page: Page) -> None:
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Log out", exact=True)).to_be_visible()
    settle(page)


def expect_login_page(page: Page) -> None:
    expect(page.get_by_role("heading", name="Time Tracker")).to_be_visible()
    expect(page.get_by_role("link", name="Log out", exact=True)).to_have_count(0)
    settle(page)


def log_in(page: Page, user: TestUser) -> None:
    page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(user.email)
    page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(user.password)
    page.get_by_role("button", name="Log in").click()


def reload_tab_and_log_out(page: Page, url: str, kept: dict[str, Any]) -> None:
    """A reload and a second tab resume the login under the same cookie; log out ends both."""
    page.reload()
    expect_logged_in(page)
    second = page.context.new_page()
    second.goto(url)
    expect_logged_in(second)
    # The cookie never changes: the rotated refresh tokens stay on the server.
    assert login_cookie(page.context) == kept
    # The first tab still works after the second one rotated the shared chain.
    page.get_by_role("link", name="Profile", exact=True).click()
    expect(page.get_by_role("heading", name="Profile", exact=True)).to_be_visible()
    settle(page)

    page.get_by_role("link", name="Log out", exact=True).click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    wait_for(lambda: login_cookie(page.context) is None, "the cookie is dropped")
    page.reload()
    expect_login_page(page)
    second.reload()
    expect_login_page(second)


def test_on_the_apis_host_name_the_login_cookie_is_httponly(page: Page, dashboard_url: str, alice: TestUser) -> None:
    # The API is at http://localhost:<port> (PUBLIC_API_URL unset): open the dashboard by that name too.
    url = dashboard_url.replace("127.0.0.1", "localhost")
    page.goto(url)
    expect_login_page(page)
    assert login_cookie(page.context) is None
    log_in(page, alice)
    expect_logged_in(page)

    wait_for(lambda: login_cookie(page.context) is not None, "the API has set the cookie")
    cookie = login_cookie(page.context)
    assert cookie is not None
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == COOKIE_PATH
    assert cookie["domain"] == "localhost"
    assert cookie["expires"] > time.time() + 29 * 24 * 3600
    assert COOKIE_NAME not in page.evaluate("document.cookie")
    assert cookie["value"] not in (alice.access_token, alice.refresh_token) and "." not in cookie["value"]
    reload_tab_and_log_out(page, url, cookie)


def test_elsewhere_the_page_writes_a_short_lived_scoped_cookie(page: Page, dashboard_url: str, alice: TestUser) -> None:
    # The dashboard at 127.0.0.1, the API at localhost: a cookie the API set would never come back.
    page.goto(dashboard_url)
    expect_login_page(page)
    log_in(page, alice)
    expect_logged_in(page)

    wait_for(lambda: login_cookie(page.context) is not None, "the page has written the cookie")
    cookie = login_cookie(page.context)
    assert cookie is not None
    assert cookie["httpOnly"] is False and cookie["sameSite"] == "Strict" and cookie["path"] == COOKIE_PATH
    assert time.time() < cookie["expires"] <= time.time() + SCRIPT_LIFETIME_SECONDS + 60
    # Scoped to Streamlit's websocket: even the dashboard's own page script does not see it.
    assert COOKIE_NAME not in page.evaluate("document.cookie")
    reload_tab_and_log_out(page, dashboard_url, cookie)


def other_site(link: str) -> FastAPI:
    """A page on another site (`localhost`, not `127.0.0.1`) that links back, as WakaTime's consent page does."""
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def consent() -> str:
        return f'<a href="{html.escape(link)}">Back to the dashboard</a>'

    return app


def test_coming_back_from_another_site_is_still_logged_in(page: Page, dashboard_url: str, alice: TestUser) -> None:
    page.goto(dashboard_url)
    log_in(page, alice)
    expect_logged_in(page)
    # What the WakaTime callback sends the browser to. A SameSite=Strict cookie is withheld from
    # the cross-site navigation itself, but the page's own websocket (same site) carries it.
    back = f"{dashboard_url}/integrations?wakatime=error&reason=denied"
    port = free_port()
    with serve(other_site(back), port):
        page.goto(f"http://localhost:{port}/")
        page.get_by_role("link", name="Back to the dashboard").click()
        expect(page.get_by_role("heading", name="Integrations", exact=True)).to_be_visible()
        expect(page.get_by_text(message_for("denied"))).to_be_visible()
        settle(page)

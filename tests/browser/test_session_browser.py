"""A real Chromium stays logged in across a reload, a second tab and a trip to another site,
and logging out ends it everywhere."""

from __future__ import annotations

import html

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.sync_api import BrowserContext, Page, expect

from components.session_cookie import COOKIE_NAME
from tests.utils.browser import settle
from tests.utils.net import free_port, serve
from tests.utils.users import TestUser
from timetracker.wakatime.connect import message_for

pytestmark = pytest.mark.browser


def session_cookie(context: BrowserContext) -> dict | None:
    return next((cookie for cookie in context.cookies() if cookie["name"] == COOKIE_NAME), None)


def expect_logged_in(page: Page) -> None:
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Log out", exact=True)).to_be_visible()
    settle(page)


def expect_login_page(page: Page) -> None:
    expect(page.get_by_role("heading", name="Time Tracker")).to_be_visible()
    expect(page.get_by_role("link", name="Log out", exact=True)).to_have_count(0)
    settle(page)


def wait_for_cookie(page: Page) -> None:
    page.wait_for_function(f"document.cookie.indexOf({COOKIE_NAME!r} + '=') >= 0")


def log_in(page: Page, user: TestUser) -> None:
    page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(user.email)
    page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(user.password)
    page.get_by_role("button", name="Log in").click()


def test_reload_and_a_second_tab_stay_logged_in_until_log_out(page: Page, dashboard_url: str, alice: TestUser) -> None:
    page.goto(dashboard_url)
    expect_login_page(page)
    assert session_cookie(page.context) is None
    log_in(page, alice)
    expect_logged_in(page)

    # The cookie is written by a script the page mounts after Streamlit's run has finished.
    wait_for_cookie(page)
    cookie = session_cookie(page.context)
    assert cookie is not None
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["expires"] > 0  # a lasting cookie, not one that dies with the window
    # The refresh token, never the access token (a JWT: three dot-separated parts starting eyJ).
    assert "." not in cookie["value"] and not cookie["value"].startswith("eyJ")
    assert cookie["value"] != alice.access_token

    page.reload()
    expect_logged_in(page)
    # A reload resumes by rotating the refresh token: the browser now holds the new one.
    page.wait_for_function(
        f"document.cookie.indexOf({COOKIE_NAME!r} + '=') >= 0 && document.cookie.indexOf({cookie['value']!r}) < 0"
    )

    second = page.context.new_page()
    second.goto(dashboard_url)
    expect_logged_in(second)
    # The first tab still works after the second one rotated the shared chain.
    page.get_by_role("link", name="Profile", exact=True).click()
    expect(page.get_by_role("heading", name="Profile", exact=True)).to_be_visible()
    settle(page)

    page.get_by_role("link", name="Log out", exact=True).click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.wait_for_function(f"document.cookie.indexOf({COOKIE_NAME!r} + '=') < 0")
    assert session_cookie(page.context) is None

    page.reload()
    expect_login_page(page)
    second.reload()
    expect_login_page(second)


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

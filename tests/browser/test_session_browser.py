"""A real Chromium stays logged in across a reload and a second tab, and logging out ends it everywhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from components.session_cookie import COOKIE_NAME
from tests.utils.browser import settle
from tests.utils.users import TestUser

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

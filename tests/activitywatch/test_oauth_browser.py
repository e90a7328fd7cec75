"""The sync client's login in a real Chromium: the client opens the authorize page, the
person signs in there, the browser lands on the client's loopback callback, and the
client holds a working personal token."""

from __future__ import annotations

import threading

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.activitywatch.aw_data import standard_bucket
from tests.utils.browser import CHROMIUM, CHROMIUM_ARGS
from tests.utils.users import TestUser
from timetracker.sync.oauth_login import LoginError, login

pytestmark = pytest.mark.browser


def chromium_person(user: TestUser, password: str, seen: list[str], failures: list[BaseException]):  # type: ignore[no-untyped-def]
    """An opener: a real Chromium, in its own thread (login() waits meanwhile), signing in."""

    def open_url(url: str) -> None:
        def run() -> None:
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    try:
                        page = browser.new_page()
                        page.set_default_timeout(30_000)
                        page.goto(url)
                        page.get_by_label("Email").fill(user.email)
                        page.get_by_label("Password").fill(password)
                        page.get_by_role("button", name="Sign in and allow").click()
                        if password == user.password:
                            expect(page.get_by_text("You can close this window")).to_be_visible()
                        else:
                            expect(page.get_by_role("alert")).to_contain_text("Invalid login credentials")
                            page.get_by_role("button", name="Cancel").click()
                            page.wait_for_url("http://127.0.0.1:*/callback?*")
                        seen.append(page.url)
                    finally:
                        browser.close()
            except BaseException as exc:  # reported by the test
                failures.append(exc)

        threading.Thread(target=run, daemon=True).start()

    return open_url


def test_login_in_a_real_browser(api_url: str, http: httpx.Client, alice: TestUser) -> None:
    seen: list[str] = []
    failures: list[BaseException] = []
    result = login(api_url, opener=chromium_person(alice, alice.password, seen, failures), timeout=60)
    assert not failures, failures
    assert result["email"] == alice.email
    headers = {"Authorization": f"Bearer {result['access_token']}"}
    answer = http.post("/api/v1/activitywatch/webhook", json=standard_bucket("afkstatus"), headers=headers)
    assert answer.json()["created"] == 1


def test_a_wrong_password_then_cancel_gives_no_token(api_url: str, alice: TestUser) -> None:
    seen: list[str] = []
    failures: list[BaseException] = []
    with pytest.raises(LoginError, match="access_denied"):
        login(api_url, opener=chromium_person(alice, "not the password", seen, failures), timeout=60)
    assert not failures, failures

"""A real Chromium: sign up, create a WakaTime key on Integrations, a plugin sends heartbeats
with it, and My time shows the coding time."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import open_page, settle
from tests.utils.users import PASSWORD, unique_email
from tests.wakatime.plugins import BULK_URL, basic, beat

pytestmark = pytest.mark.browser


def test_a_key_made_in_the_browser_lets_a_plugin_record_coding_time(
    page: Page, dashboard_url: str, http: httpx.Client
) -> None:
    page.goto(dashboard_url)
    page.get_by_role("tab", name="Sign up").click()
    page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(unique_email("coder"))
    page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible()
    settle(page)

    open_page(page, "Integrations")
    page.get_by_role("button", name="Create WakaTime key").click()
    expect(page.get_by_text("will not be shown again")).to_be_visible()
    config = page.locator("code").filter(has_text=re.compile(r"api_key = [0-9a-f-]{36}")).inner_text()
    key = re.search(r"api_key = ([0-9a-f-]{36})", config).group(1)  # type: ignore[union-attr]
    assert "/api/compat/wakatime/v1" in config
    settle(page)

    now = time.time()
    items = [beat(now - 300, project="browser-project"), beat(now - 120, project="browser-project")]
    assert http.post(BULK_URL, json=items, headers=basic(key)).status_code == 201

    open_page(page, "My time")
    expect(page.get_by_role("heading", name="Coding time")).to_be_visible()
    expect(page.locator(".js-plotly-plot").get_by_text("browser-project").first).to_be_visible()

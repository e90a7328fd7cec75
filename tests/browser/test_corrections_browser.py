"""A person in a real Chromium fixes a tag they forgot in the reader: on My time they say when
it really ended, and the day's total drops from the 12-hour cap to what they worked."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from components.corrections_views import ENDED_BY_HAND
from components.date_ranges import preset_range
from tests.utils.browser import log_in, settle
from tests.utils.recorded_time import label_tags, reader, tag_events
from tests.utils.users import TestUser
from timetracker import corrections, profiles
from timetracker.runtime import Runtime

pytestmark = pytest.mark.browser

# A loaded machine renders slowly: every wait is on a condition, none on Playwright's 5 s default.
WAIT_MS = 60_000
APOLLO = "dd 54 2a 83"


def test_a_forgotten_tag_is_ended_from_my_time_and_the_days_total_changes(
    page: Page, dashboard_url: str, http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    # Last week's Wednesday, 09:00 UTC: Apollo in, never out. Under the default 12-hour cap it
    # counts 09:00-21:00; ended at 17:00 it counts 8:00.
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    monday, _ = preset_range("Last week", datetime.now(UTC).date())
    wednesday = monday + timedelta(days=2)
    label_tags(http, alice, {APOLLO: "Apollo"})
    tag_events(http, reader(http, alice), (datetime.combine(wednesday, time(9), tzinfo=UTC), "tag_insert", APOLLO))

    page.goto(dashboard_url)
    log_in(page, alice.email, alice.password)
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible(timeout=WAIT_MS)
    settle(page)
    page.get_by_role("radio", name="Last week", exact=True).click()
    these_dates = page.get_by_test_id("stMetric").filter(has_text="These dates")
    expect(these_dates).to_contain_text("12:00", timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Needs a look")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text(f"Apollo · {wednesday:%a %Y-%m-%d} 09:00–21:00")).to_be_visible(timeout=WAIT_MS)
    settle(page)

    page.get_by_role("spinbutton", name="hour, Ended at").click()
    page.keyboard.type("1700")
    page.keyboard.press("Tab")
    settle(page)
    page.get_by_role("button", name="Save the end").click()

    expect(page.get_by_text(f"Apollo ended at {wednesday:%a %m-%d} 17:00")).to_be_visible(timeout=WAIT_MS)
    expect(these_dates).to_contain_text("8:00", timeout=WAIT_MS)
    # The day's bar in hours per day says it too, marked as corrected; the item has left the list.
    hours_per_day = page.locator(".js-plotly-plot").filter(has_text="Hours per day")
    expect(hours_per_day.get_by_text("8:00 ✎", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Needs a look")).to_have_count(0, timeout=WAIT_MS)
    settle(page)

    # Stored as an exclusion from 17:00 to the cap, said to be ended by hand: no made-up event.
    [ended] = corrections.listed(runtime.db, alice.principal, "exclusion", wednesday, wednesday, ZoneInfo("UTC"))
    assert (ended["started_at"], ended["ended_at"]) == (
        datetime.combine(wednesday, time(17), tzinfo=UTC),
        datetime.combine(wednesday, time(21), tzinfo=UTC),
    )
    assert ended["note"] == ENDED_BY_HAND

"""A team lead in a real Chromium: Team comes first, shows two members' hours, hands over the CSV,
and opens a member's My time with that person chosen."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from components.date_ranges import preset_range
from tests.utils.browser import log_in, settle
from tests.utils.devices import record_stays
from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker import profiles
from timetracker.runtime import Runtime

pytestmark = pytest.mark.browser

# A loaded machine renders slowly: every wait is on a condition, none on Playwright's 5 s default.
WAIT_MS = 60_000


def last_week_at(weekday: int, hour: int, minute: int = 0) -> datetime:
    """An instant in last week (UTC, the lead's timezone here), `weekday` 0 being Monday."""
    monday, _ = preset_range("Last week", datetime.now(UTC).date())
    return datetime.combine(monday + timedelta(days=weekday), time(hour, minute), tzinfo=UTC)


def press_timer(http: httpx.Client, user: TestUser, kind: str, at: datetime) -> None:
    answer = http.post("/api/v1/timer/events", json={"type": kind, "timestamp": at.isoformat()}, headers=user.headers)
    assert answer.status_code == 200, answer.text


def nav_links(page: Page) -> Locator:
    return page.get_by_test_id("stSidebarNav").get_by_role("link")


def test_the_lead_reads_the_team_downloads_the_csv_and_opens_a_members_time(
    page: Page,
    dashboard_url: str,
    http: httpx.Client,
    runtime: Runtime,
    alice: TestUser,
    bob: TestUser,
    user_factory: Callable[..., TestUser],
    tmp_path: Path,
) -> None:
    carol = user_factory("carol")
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    team_of(runtime.db, alice, "Browser Crew", (bob, "member"), (carol, "member"))
    # Bob, last Monday: a tag 09:00-11:00 and a timer question 10:00-11:30, tracked 09:00-11:30 (2:30).
    record_stays(http, bob, "dd 54 2a 83", "Apollo", (last_week_at(0, 9), last_week_at(0, 11)))
    press_timer(http, bob, "NEXT", last_week_at(0, 10))
    press_timer(http, bob, "EXIT", last_week_at(0, 11, 30))
    # Carol, last Tuesday: 13:00-14:15 (1:15).
    record_stays(http, carol, "04 a2 19 7f", "Office", (last_week_at(1, 13), last_week_at(1, 14, 15)))
    bob_name = profiles.get(runtime.db, bob.principal)["display_name"]
    carol_name = profiles.get(runtime.db, carol.principal)["display_name"]

    page.goto(dashboard_url)
    log_in(page, alice.email, alice.password)
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(nav_links(page).first).to_have_accessible_name("Team", timeout=WAIT_MS)
    settle(page)

    nav_links(page).first.click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible(timeout=WAIT_MS)
    settle(page)
    page.get_by_role("radio", name="Last week", exact=True).click()
    heatmap = page.locator(".js-plotly-plot").filter(has_text=bob_name).first
    expect(heatmap.get_by_text("2:30", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(heatmap.get_by_text("1:15", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(heatmap.get_by_text(carol_name, exact=True)).to_be_visible(timeout=WAIT_MS)
    settle(page)

    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_role("button", name="Download member × day × source as CSV").click()
    first, last = preset_range("Last week", datetime.now(UTC).date())
    assert download.value.suggested_filename == f"team-browser-crew-{first}-to-{last}.csv"
    saved = tmp_path / "team.csv"
    download.value.save_as(saved)
    with saved.open() as file:
        rows = [row for row in csv.DictReader(file) if row["seconds"] != "0"]
    # Each member's day: the counted-once row, then the sources in the product's order.
    assert [(row["member"], row["day"], row["source"], row["duration"]) for row in rows] == [
        (bob_name, str(first), "tracked", "2:30"),
        (bob_name, str(first), "timer", "1:30"),
        (bob_name, str(first), "nfc", "2:00"),
        (carol_name, str(first + timedelta(days=1)), "tracked", "1:15"),
        (carol_name, str(first + timedelta(days=1)), "nfc", "1:15"),
    ]
    settle(page)

    page.get_by_test_id("stSelectbox").filter(has_text="Open a member's My time").click()
    page.get_by_role("option", name=bob_name, exact=True).click()
    settle(page)
    page.get_by_role("button", name="Open My time").click()
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible(timeout=WAIT_MS)
    # My time's own picker: Bob, as it names members of the teams one leads.
    whose = page.get_by_role("combobox", name="Whose time")
    expect(whose).to_have_value(f"{bob_name} · {bob.email} (Browser Crew)", timeout=WAIT_MS)
    settle(page)

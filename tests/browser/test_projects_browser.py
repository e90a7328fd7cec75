"""A team admin in a real Chromium names the team's time: a rule added on the Projects page,
after its preview, and the Team page's breakdown by project follows at once."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.api.test_counted_once_day import OFFICE, record_the_day
from tests.utils.browser import log_in, settle
from tests.utils.projects import team_with_office
from tests.utils.users import TestUser
from timetracker.runtime import Runtime

pytestmark = pytest.mark.browser

# A loaded machine renders slowly: every wait is on a condition, none on Playwright's 5 s default.
WAIT_MS = 60_000


def open_team_last_30_days(page: Page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible(timeout=WAIT_MS)
    settle(page)
    page.get_by_role("radio", name="Last 30 days", exact=True).click()
    settle(page)
    page.get_by_role("tab", name="By project").click()


def project_chart(page: Page) -> Locator:
    return page.locator(".js-plotly-plot").filter(has_text="The team's hours by project")


def test_an_admin_adds_a_rule_after_its_preview_and_the_team_breakdown_follows(
    page: Page,
    dashboard_url: str,
    http: httpx.Client,
    runtime: Runtime,
    alice: TestUser,
    user_factory: Callable[..., TestUser],
) -> None:
    carol = user_factory("carol")
    team_with_office(http, runtime.db, carol, alice, with_rule=False)
    record_the_day(http, alice)

    page.goto(dashboard_url)
    log_in(page, carol.email, carol.password)
    expect(page.get_by_role("heading", name="My time", exact=True)).to_be_visible(timeout=WAIT_MS)
    settle(page)
    open_team_last_30_days(page)
    # No rule yet: all of Alice's 9:30 is unassigned.
    expect(project_chart(page).get_by_text("9:30", exact=True)).to_be_visible(timeout=WAIT_MS)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Projects", exact=True).click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible(timeout=WAIT_MS)
    settle(page)
    scope = page.get_by_test_id("stSelectbox").filter(has_text="Whose projects")
    scope.click()
    page.get_by_role("option", name="Team Crew", exact=True).click()
    expect(page.get_by_role("combobox", name="Whose projects")).to_have_value("Team Crew", timeout=WAIT_MS)
    settle(page)

    # Typed text is lost when a rerun still under way re-mounts the field: type it again until
    # the preview shows (the Office tag's own 8 hours of the team's 9:30 of NFC time).
    preview = page.get_by_text("matches 8:00 of the team's 9:30 of NFC time")
    for attempt in range(4):
        pattern = page.get_by_label("Pattern", exact=True)
        pattern.fill(OFFICE)
        pattern.press("Enter")
        settle(page)
        try:
            expect(preview).to_be_visible(timeout=WAIT_MS // 4)
            break
        except AssertionError:
            if attempt == 3:
                raise
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text("Rule added")).to_be_visible(timeout=WAIT_MS)
    settle(page)

    open_team_last_30_days(page)
    chart = project_chart(page)
    expect(chart.get_by_text("Office", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(chart.get_by_text("5:30", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(chart.get_by_text("4:00", exact=True)).to_be_visible(timeout=WAIT_MS)
    settle(page)

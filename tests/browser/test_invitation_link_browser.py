"""An invitation link in a real Chromium: opened logged out, it survives the login, leads to
Teams, and accepting is one click; the secret leaves the address bar."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import log_in, settle
from tests.utils.teams import invite
from tests.utils.users import TestUser
from timetracker import teams
from timetracker.runtime import Runtime

pytestmark = pytest.mark.browser

WAIT_MS = 60_000


def test_an_invitation_link_opened_logged_out_is_one_click_after_logging_in(
    page: Page, dashboard_url: str, runtime: Runtime, alice: TestUser, bob: TestUser
) -> None:
    team_id = teams.create(runtime.db, alice.principal, "Link Crew")["id"]
    token = invite(runtime.db, alice, team_id, bob.email)
    # What the inviter copies, with this test dashboard's address in place of PUBLIC_DASHBOARD_URL.
    page.goto(teams.invite_url(dashboard_url, team_id, token))

    expect(page.get_by_text("You opened an invitation link.")).to_be_visible(timeout=WAIT_MS)
    settle(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert token not in page.url
    log_in(page, bob.email, bob.password)

    expect(page.get_by_role("heading", name="Teams", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Link Crew", exact=False).first).to_be_visible(timeout=WAIT_MS)
    settle(page)
    assert token not in page.url
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_text("You joined Link Crew as member")).to_be_visible(timeout=WAIT_MS)
    assert [m["user_id"] for m in teams.members(runtime.db, alice.principal, team_id)] == [alice.id, bob.id]

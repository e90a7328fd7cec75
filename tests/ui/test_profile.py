"""Profile page: API tokens that authenticate the JSON API, and the timezone days are cut in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import secrets_shown, show_dates, table
from tests.utils.devices import BASE_TIME, device_event, post_event, register_device
from tests.utils.users import TestUser
from timetracker import profiles
from timetracker.credentials import API_TOKEN_PREFIX
from timetracker.runtime import Runtime


def test_api_token_is_shown_once_authenticates_and_can_be_revoked(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client
) -> None:
    at = dashboard(alice)
    at.switch_page("components/profile.py").run()
    at.text_input(key="token_name").input("laptop sync")
    at.button(key="FormSubmitter:new_token-Create token").click().run()
    assert not at.exception, at.exception
    [token] = secrets_shown(at, API_TOKEN_PREFIX)
    assert table(at, "token")[["name", "last used", "status"]].to_dict("records") == [
        {"name": "laptop sync", "last used": "never", "status": "active"}
    ]

    answer = http.get("/api/v1/profile", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["email"] == alice.email

    at.switch_page("components/profile.py").run()
    assert table(at, "token").loc[0, "last used"] != "never"
    assert at.button(key="revoke_token").disabled
    at.checkbox(key="revoke_token_confirm").check().run()
    at.button(key="revoke_token").click().run()
    assert [toast.value for toast in at.toast] == ["Revoked token laptop sync"]
    assert table(at, "token").loc[0, "status"] == "revoked"
    assert http.get("/api/v1/profile", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def seconds_after_base(moment: datetime) -> float:
    return (moment - BASE_TIME).total_seconds()


def test_timezone_change_moves_the_day_boundaries(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client, runtime: Runtime
) -> None:
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    device = register_device(http, alice)
    # 23:00-01:00 UTC: two days in UTC, one morning (08:00-10:00) in Tokyo.
    start, end = datetime(2025, 4, 11, 23, tzinfo=UTC), datetime(2025, 4, 12, 1, tzinfo=UTC)
    post_event(http, device, device_event(device.device_id, seconds_after_base(start)))
    post_event(http, device, device_event(device.device_id, seconds_after_base(end), event_type="tag_removed"))

    at = dashboard(alice)
    show_dates(at, start.date(), end.date())
    assert at.selectbox(key="totals_day").options == ["Fri 2025-04-11", "Sat 2025-04-12"]
    assert table(at, "all dates").loc[0, "all dates"] == "2:00"

    at.switch_page("components/profile.py").run()
    at.selectbox(key="profile_timezone").select("Asia/Tokyo")
    at.text_input(key="profile_display_name").input("Alice A.")
    at.button(key="FormSubmitter:profile-Save").click().run()
    assert [toast.value for toast in at.toast] == ["Profile saved"]
    assert profiles.get(runtime.db, alice.principal)["display_name"] == "Alice A."

    at.switch_page("components/my_time.py").run()
    show_dates(at, start.date(), end.date())
    assert at.selectbox(key="totals_day").options == ["Sat 2025-04-12"]
    assert "Asia/Tokyo" in at.caption[0].value
    assert table(at, "that day").loc[0, "that day"] == "2:00"


def test_the_browsers_timezone_is_offered_until_it_is_used(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, runtime: Runtime
) -> None:
    profiles.update(runtime.db, alice.principal, timezone="UTC")
    at = dashboard(alice)
    at.context = {"timezone": "America/New_York"}
    at.run()
    assert at.caption[0].value.endswith("in UTC (change it on the Profile page). Your browser is in America/New_York.")

    at.switch_page("components/profile.py").run()
    at.button(key="use_browser_timezone").click().run()
    assert [toast.value for toast in at.toast] == ["Timezone set to America/New_York"]
    assert profiles.get(runtime.db, alice.principal)["timezone"] == "America/New_York"
    assert "use_browser_timezone" not in [button.key for button in at.button]
    at.switch_page("components/my_time.py").run()
    assert at.caption[0].value == "Days run midnight to midnight in America/New_York (change it on the Profile page)."

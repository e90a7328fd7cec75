"""Every page opens for a new account without an error and says what to do next."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.utils.users import TestUser

PAGES = {
    "components/my_time.py": ("My time", "No time recorded"),
    "components/devices.py": ("Devices", "No readers yet"),
    "components/webhook_test.py": ("Webhook test", "Register a reader on the Devices page first"),
    "components/profile.py": ("Profile", "No tokens yet"),
    "components/teams.py": ("Teams", "You are in no team yet"),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_opens_with_an_empty_state(page: str, dashboard: Callable[[TestUser], AppTest], alice: TestUser) -> None:
    at = dashboard(alice)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    title, empty_state = PAGES[page]
    assert at.title[0].value == title
    assert any(info.value.startswith(empty_state) for info in at.info), [info.value for info in at.info]

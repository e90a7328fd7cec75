"""Webhook test page: the URLs, a curl to copy, and a test event through the real endpoint."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import codes, table
from tests.ui.test_devices import register_in_page
from tests.utils.devices import SINGLE_URL, unique_device_id
from tests.utils.users import TestUser
from timetracker.config import Settings


def test_curl_and_test_event_use_the_key_just_shown(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, settings: Settings
) -> None:
    at = dashboard(alice)
    device_id = unique_device_id()
    key = register_in_page(at, device_id)

    at.switch_page("components/webhook_test.py").run()
    assert not at.exception, at.exception
    url = settings.api_base_url + SINGLE_URL
    assert url in codes(at)
    [curl] = [block for block in codes(at) if block.startswith("curl")]
    assert f"Authorization: Bearer {key}" in curl and f"X-Device-Id: {device_id}" in curl

    at.button(key="send_test").click().run()
    assert [message.value for message in at.success] == ["HTTP 201 Created"]
    recent = table(at, "received")
    assert recent[["device", "event", "tag", "status"]].to_dict("records") == [
        {"device": device_id, "event": "tag_insert", "tag": "dd 54 2a 83", "status": "open (no removal yet)"}
    ]


def test_another_browser_session_gets_a_placeholder_and_needs_the_key(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser
) -> None:
    device_id = unique_device_id()
    key = register_in_page(dashboard(alice), device_id)

    at = dashboard(alice)  # a second browser session: the key was never shown here
    at.switch_page("components/webhook_test.py").run()
    [curl] = [block for block in codes(at) if block.startswith("curl")]
    assert "Authorization: Bearer <DEVICE_KEY>" in curl and key not in curl
    assert at.button(key="send_test").disabled

    at.text_input(key="test_key").input("ttd_not-the-key").run()
    at.button(key="send_test").click().run()
    assert [message.value for message in at.error] == ["HTTP 401 Unauthorized"]

    at.text_input(key="test_key").input(key).run()
    at.selectbox(key="test_event_type").select("tag_removed").run()
    at.button(key="send_test").click().run()
    assert [message.value for message in at.success] == ["HTTP 201 Created"]
    assert table(at, "received").loc[0, "status"] == "removal with no insert"

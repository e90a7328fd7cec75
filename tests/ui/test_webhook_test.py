"""Webhook test page: the URLs, a curl to copy, and a test event through the real endpoint."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import codes, table
from tests.ui.test_devices import register_in_page
from tests.utils.devices import SINGLE_URL, device_event, post_event, register_device, unique_device_id
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


def test_refused_requests_say_why_a_reader_is_refused(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client
) -> None:
    """What the reader got (401/403/422) and why, which the reader itself cannot show."""
    reader = register_device(http, alice)
    at = dashboard(alice)
    at.switch_page("components/webhook_test.py").run()
    assert "No refused requests" in [message.value for message in at.info][-1]

    before_ntp = device_event(reader.device_id, timestamp="1970-01-01T00:00:05.000Z")
    assert post_event(http, reader, before_ntp).status_code == 422
    at.text_input(key="test_key").input("ttd_not-the-key").run()
    at.button(key="send_test").click().run()
    assert not at.exception, at.exception

    refused = table(at, "why")
    assert refused[["device", "answer", "why"]].to_dict("records") == [
        {"device": reader.device_id, "answer": "HTTP 401", "why": "wrong or missing key"},
        {"device": reader.device_id, "answer": "HTTP 422", "why": "invalid payload"},
    ]
    assert refused.loc[1, "fields"].startswith("timestamp: Value error, timestamp is before 2000-01-01")
    assert "not-the-key" not in refused.to_json()


def test_refused_requests_stay_visible_when_every_reader_is_revoked(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client
) -> None:
    reader = register_device(http, alice)
    assert http.delete(f"/api/v1/devices/{reader.device_id}", headers=alice.headers).status_code == 200
    assert post_event(http, reader, device_event(reader.device_id)).status_code == 403
    at = dashboard(alice)
    at.switch_page("components/webhook_test.py").run()
    assert not at.exception, at.exception
    assert table(at, "why")[["answer", "why"]].to_dict("records") == [{"answer": "HTTP 403", "why": "reader revoked"}]

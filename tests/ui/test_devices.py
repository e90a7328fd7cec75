"""Devices page: a key shown once that then works on the real webhook, rotation, revocation, tag labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import charts_json, secrets_shown, show_dates, table
from tests.utils.devices import BASE_TIME, TestDevice, device_event, post_event, unique_device_id
from tests.utils.users import TestUser
from timetracker.credentials import DEVICE_KEY_PREFIX

EVENT_DAY = BASE_TIME.date()


def register_in_page(at: AppTest, device_id: str, name: str = "Desk reader") -> str:
    """Register a reader through the form; return the key the page shows."""
    at.switch_page("components/devices.py").run()
    at.text_input(key="register_device_id").input(device_id)
    at.text_input(key="register_name").input(name)
    at.button(key="FormSubmitter:register_device-Register").click().run()
    assert not at.exception, at.exception
    shown = secrets_shown(at, DEVICE_KEY_PREFIX)
    assert len(shown) == 1, shown
    return shown[0]


def test_registered_key_is_shown_once_and_works_on_the_webhook(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client
) -> None:
    at = dashboard(alice)
    device_id = unique_device_id()
    key = register_in_page(at, device_id)
    assert any("will not be shown again" in warning.value for warning in at.warning)
    assert device_id in table(at, "device id")["device id"].tolist()

    device = TestDevice(device_id, key, alice)
    assert post_event(http, device, device_event(device_id)).status_code == 201
    assert post_event(http, device, device_event(device_id, 1800, event_type="tag_removed")).status_code == 201

    at.button(key=f"dismiss:device:{device_id}").click().run()
    assert secrets_shown(at, DEVICE_KEY_PREFIX) == []
    at.switch_page("components/devices.py").run()
    assert key not in " ".join(block.value for block in at.code)
    assert table(at, "device id").loc[0, "last seen"] != "never"

    at.switch_page("components/webhook_test.py").run()
    recent = table(at, "received")
    assert recent["device"].tolist() == [device_id, device_id]
    assert set(recent["status"]) == {"paired"}

    at.switch_page("components/my_time.py").run()
    show_dates(at, EVENT_DAY, EVENT_DAY)
    totals = table(at, "all dates")
    assert totals.to_dict("records") == [
        {"label": "dd 54 2a 83", "source": "NFC", "all dates": "0:30"},
        {"label": "Total", "source": "", "all dates": "0:30"},
    ]


def test_rotate_replaces_the_key(dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client) -> None:
    at = dashboard(alice)
    device_id = unique_device_id()
    old_key = register_in_page(at, device_id)
    at.button(key=f"dismiss:device:{device_id}").click().run()

    at.selectbox(key="device_choice").set_value(device_id)
    assert at.button(key="rotate").disabled
    at.checkbox(key="rotate_confirm").check().run()
    at.button(key="rotate").click().run()
    assert not at.exception, at.exception
    [new_key] = secrets_shown(at, DEVICE_KEY_PREFIX)
    assert new_key != old_key

    assert post_event(http, TestDevice(device_id, old_key, alice), device_event(device_id)).status_code == 401
    assert post_event(http, TestDevice(device_id, new_key, alice), device_event(device_id)).status_code == 201


def test_revoke_needs_confirmation_then_refuses_events(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client
) -> None:
    at = dashboard(alice)
    device_id = unique_device_id()
    device = TestDevice(device_id, register_in_page(at, device_id), alice)

    at.selectbox(key="device_choice").set_value(device_id)
    assert at.button(key="revoke").disabled
    at.checkbox(key="revoke_confirm").check().run()
    at.button(key="revoke").click().run()
    assert not at.exception, at.exception
    assert table(at, "device id").set_index("device id").loc[device_id, "status"] == "revoked"
    assert [toast.value for toast in at.toast] == [f"Revoked {device_id}"]
    assert post_event(http, device, device_event(device_id)).status_code == 403


def test_a_duplicate_device_id_is_explained(dashboard: Callable[[TestUser], AppTest], alice: TestUser) -> None:
    at = dashboard(alice)
    device_id = unique_device_id()
    register_in_page(at, device_id)
    at.text_input(key="register_device_id").input(device_id)
    at.text_input(key="register_name").input("Again")
    at.button(key="FormSubmitter:register_device-Register").click().run()
    assert [error.value for error in at.error] == [f"device id {device_id!r} is already registered"]


def test_tag_label_shows_on_my_time(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client
) -> None:
    at = dashboard(alice)
    device_id = unique_device_id()
    device = TestDevice(device_id, register_in_page(at, device_id), alice)
    at.text_input(key="label_tag_id").input("DD 54 2A 83")
    at.text_input(key="label_label").input("Project Apollo")
    at.button(key="FormSubmitter:label_tag-Save label").click().run()
    assert table(at, "tag id").to_dict("records") == [{"tag id": "dd 54 2a 83", "label": "Project Apollo"}]

    post_event(http, device, device_event(device_id))
    post_event(http, device, device_event(device_id, 3600, event_type="tag_removed"))
    # A removal of another tag with no insert: flagged, not dropped.
    post_event(http, device, device_event(device_id, 7200, event_type="tag_removed", tag_id="04 a2 19 7f"))

    at.switch_page("components/my_time.py").run()
    show_dates(at, EVENT_DAY, EVENT_DAY)
    assert "Project Apollo" in charts_json(at)
    assert table(at, "that day").loc[0].to_dict() == {"label": "Project Apollo", "source": "NFC", "that day": "1:00"}
    # Under Needs a look, with the way to fix it (the stay, added by hand).
    assert [block.value for block in at.markdown if block.value.startswith("**04 a2 19 7f**")] == [
        "**04 a2 19 7f** · Fri 2025-04-11 17:23"
    ]
    assert any(caption.value.startswith("a removal with no insert before it") for caption in at.caption)
    assert [button.label for button in at.button if button.key and button.key.startswith("orphan_removal@")] == [
        "Add the stay"
    ]

    at.switch_page("components/devices.py").run()
    [hint] = [caption.value for caption in at.caption if "no label yet" in caption.value]
    assert hint.endswith(": 04 a2 19 7f")
    at.selectbox(key="tag_choice").set_value("dd 54 2a 83")
    at.button(key="delete_tag").click().run()
    assert any(info.value.startswith("No labels yet") for info in at.info)
    at.switch_page("components/my_time.py").run()
    show_dates(at, EVENT_DAY, EVENT_DAY)
    assert "Project Apollo" not in charts_json(at)


def test_invalid_tag_id_is_explained(dashboard: Callable[[TestUser], AppTest], alice: TestUser) -> None:
    at = dashboard(alice)
    at.switch_page("components/devices.py").run()
    at.text_input(key="label_tag_id").input("not hex")
    at.text_input(key="label_label").input("Office")
    at.button(key="FormSubmitter:label_tag-Save label").click().run()
    assert "hex bytes separated by spaces" in at.error[0].value


def test_my_time_defaults_to_this_week(dashboard: Callable[[TestUser], AppTest], alice: TestUser) -> None:
    first, last = dashboard(alice).date_input(key="dates").value
    assert first.weekday() == 0 and (last - first).days == 6
    assert isinstance(first, date)

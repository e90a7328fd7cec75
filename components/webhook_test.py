"""Webhook test: where a reader posts, what it posts, a curl to copy, and a real test event."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pandas as pd
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import issued_secret, when
from timetracker import paths, profiles
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.nfc import attempts, devices

SINGLE_PATH = paths.DEVICE_EVENT
BATCH_PATH = paths.DEVICE_EVENTS
KEY_PLACEHOLDER = "<DEVICE_KEY>"
STATUS_WORDS = {
    "closed": "paired",
    "open": "open (no removal yet)",
    "missing_removal": "next event was another insert",
    "orphan_removal": "removal with no insert",
}
REASON_WORDS = {
    "bad_key": "wrong or missing key",
    "revoked": "reader revoked",
    "device_id_mismatch": "device_id is not X-Device-Id",
    "invalid_payload": "invalid payload",
    "too_many_items": "batch too large",
}


def test_event(device_id: str, event_type: str, tag_id: str) -> dict[str, Any]:
    """A reader payload, as the firmware sends it, stamped now (UTC, millisecond precision like the firmware)."""
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "timestamp": stamp,
        "event_type": event_type,
        "tag_present": event_type == "tag_insert",
        "tag_id": tag_id,
        "tag_type": "Mifare Classic (4-byte)",
        "wifi_status": "Sent from the dashboard's Webhook test page",
        "time_status": "Synced with NTP",
        "device_id": device_id,
    }


def refused_fields(details: list[dict[str, Any]]) -> str:
    """`timestamp: why; #3 tag_id: why`: what the server said about each field it refused."""
    return "; ".join(
        ("" if "index" not in detail else f"#{detail['index']} ") + f"{detail['field']}: {detail['message']}"
        for detail in details
    )


def curl_command(url: str, device_id: str, key: str, payload: dict[str, Any]) -> str:
    parts = [
        f"curl -X POST {shlex.quote(url)}",
        "-H 'Content-Type: application/json'",
        f"-H {shlex.quote('X-Device-Id: ' + device_id)}",
        f"-H {shlex.quote('Authorization: Bearer ' + key)}",
        f"-d {shlex.quote(json.dumps(payload))}",
    ]
    return " \\\n  ".join(parts)


def show_refused(db: Database, principal: Principal, tz: ZoneInfo) -> None:
    """What the caller's readers sent that was refused, and why: a reader cannot show it."""
    st.subheader("Refused requests")
    st.caption(
        "What your readers sent that the server refused, newest first: the last"
        f" {attempts.KEPT_PER_DEVICE} per reader, for {attempts.KEPT_FOR.days} days."
        " Keys and the values sent are never kept."
    )
    refused = attempts.mine(db, principal)
    if not refused:
        st.info("No refused requests: everything sent with one of your readers' ids was accepted.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "refused": [when(row["attempted_at"], tz) for row in refused],
                "device": [row["device_id"] for row in refused],
                "answer": [f"HTTP {row['status']}" for row in refused],
                "why": [REASON_WORDS.get(row["reason"], row["reason"]) for row in refused],
                "message": [row["message"] for row in refused],
                "fields": [refused_fields(row["details"]) for row in refused],
            }
        ),
        hide_index=True,
    )


principal = current_principal()
rt = runtime()
db = rt.db
tz = profiles.timezone_of(db, principal)
single_url = rt.settings.api_base_url + SINGLE_PATH
batch_url = rt.settings.api_base_url + BATCH_PATH

st.title("Webhook test")
st.caption("Point your reader's firmware at this URL, then check here that its events arrive.")
st.markdown("**One event**")
st.code(single_url, language=None)
st.markdown("**A batch** (a JSON array, e.g. events buffered while offline; the answer is per event)")
st.code(batch_url, language=None)

live = {
    row["device_id"]: f"{row['name']} ({row['device_id']})"
    for row in devices.list_mine(db, principal)
    if not row["revoked_at"]
}
if not live:
    st.info("Register a reader on the Devices page first; its key goes into the Authorization header.")
    show_refused(db, principal, tz)  # a revoked reader's refusals still say why it stopped
    st.stop()

left, middle, right = st.columns(3)
device_id = left.selectbox("Reader", list(live), format_func=live.get, key="test_device")
event_type = middle.selectbox("Event", ["tag_insert", "tag_removed"], key="test_event_type")
labelled = {row["tag_id"]: row["label"] for row in devices.list_tags(db, principal)}
tag_id = right.text_input(
    "Tag id",
    value=next(iter(labelled), "dd 54 2a 83"),
    key="test_tag",
    help="Labelled tags: " + (", ".join(f"{tag} = {label}" for tag, label in labelled.items()) or "none yet"),
)
payload = test_event(device_id, event_type, tag_id.strip())
just_issued = issued_secret(f"device:{device_id}")

st.markdown("**Payload** (what the reader firmware sends; unknown extra fields are kept as received)")
st.code(json.dumps(payload, indent=2), language="json")
st.markdown("**curl**")
if not just_issued:
    st.caption(f"Replace {KEY_PLACEHOLDER} with the reader's key (shown once when it was registered or rotated).")
st.code(curl_command(single_url, device_id, just_issued or KEY_PLACEHOLDER, payload), language="bash")

st.subheader("Send a test event")
typed_key = st.text_input(
    "Device key",
    type="password",
    key="test_key",
    help="Leave empty to use the key created or rotated in this browser session."
    if just_issued
    else "The key shown when the reader was registered or rotated.",
)
key = typed_key.strip() or just_issued
if st.button("Send test event", type="primary", key="send_test", disabled=not key):
    try:
        answer = httpx.post(
            single_url,
            json=payload,
            headers={"X-Device-Id": device_id, "Authorization": f"Bearer {key}"},
            timeout=10,
        )
    except httpx.HTTPError as exc:
        st.error(f"Could not reach {single_url}: {exc.__class__.__name__}. Is the API server running?")
    else:
        shown = st.success if answer.is_success else st.error
        shown(f"HTTP {answer.status_code} {answer.reason_phrase}")
        try:
            st.json(answer.json())
        except ValueError:
            st.code(answer.text, language=None)

st.subheader("Last events received")
recent = devices.recent_events(db, principal)
if not recent:
    st.info("Nothing received yet. Send a test event above or let your reader post one.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "received": [when(row["received_at"], tz) for row in recent],
                "device": [row["device_id"] for row in recent],
                "event": [row["event_type"] for row in recent],
                "tag": [row["tag_id"] for row in recent],
                "label": [labelled.get(row["tag_id"], "") for row in recent],
                "happened": [when(row["occurred_at"], tz) for row in recent],
                "status": [STATUS_WORDS.get(row["status"], row["status"]) for row in recent],
            }
        ),
        hide_index=True,
    )

show_refused(db, principal, tz)

"""Devices: register NFC readers (key shown once), rotate keys, revoke, and label tags."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import done, hold_secret, reported_errors, show_secrets_once, when
from timetracker import profiles
from timetracker.nfc import devices
from timetracker.nfc.payload import DEVICE_ID_PATTERN

# How far back the "tags without a label" hint looks.
RECENT_EVENTS_FOR_TAGS = 500


def device_slot(device_id: str) -> str:
    """Where a reader's key is held in this browser session (the Webhook test page reads it too)."""
    return f"device:{device_id}"


principal = current_principal()
db = runtime().db
tz = profiles.timezone_of(db, principal)

st.title("Devices")
st.caption("NFC readers that post tag events for you. Each reader authenticates with its own key.")
show_secrets_once("device:")

with st.form("register_device", clear_on_submit=True):
    st.subheader("Register a reader")
    left, right = st.columns(2)
    new_device_id = left.text_input(
        "Device id", placeholder="NFC_ABC123", help="The device_id your reader sends.", key="register_device_id"
    )
    new_name = right.text_input(
        "Name", placeholder="Desk reader", help="So you recognise it later.", key="register_name"
    )
    if st.form_submit_button("Register", type="primary"):
        if not re.fullmatch(DEVICE_ID_PATTERN, new_device_id.strip()):
            st.error("A device id is letters, digits and _ . : - (up to 64), like NFC_ABC123.")
        elif not new_name.strip():
            st.error("Give the reader a name.")
        else:
            with reported_errors():
                row, key = devices.register(db, principal, new_device_id.strip(), new_name)
                hold_secret(device_slot(row["device_id"]), f"Device key for {row['device_id']}", key)
                done(f"Registered {row['device_id']}")

st.subheader("Your readers")
mine = devices.list_mine(db, principal)
if not mine:
    st.info("No readers yet. Register one above, then send a test event from the Webhook test page.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "name": [row["name"] for row in mine],
                "device id": [row["device_id"] for row in mine],
                "key": [row["key_hint"] for row in mine],
                "last seen": [when(row["last_seen_at"], tz) for row in mine],
                "status": ["revoked" if row["revoked_at"] else "active" for row in mine],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    live = {row["device_id"]: f"{row['name']} ({row['device_id']})" for row in mine if not row["revoked_at"]}
    if live:
        chosen = st.selectbox(
            "Reader", list(live), format_func=live.get, key="device_choice", help="The reader to rotate or revoke."
        )
        rotate_column, revoke_column = st.columns(2)
        rotate_confirmed = rotate_column.checkbox(f"Yes, replace the key of {chosen}", key="rotate_confirm")
        rotate_help = "Issue a new key; the old one stops working now, so put the new one in the reader."
        if rotate_column.button("Rotate key", key="rotate", disabled=not rotate_confirmed, help=rotate_help):
            with reported_errors():
                row, key = devices.rotate_key(db, principal, chosen)
                hold_secret(device_slot(chosen), f"New device key for {chosen}", key)
                done(f"New key for {chosen}")
        confirmed = revoke_column.checkbox(f"Yes, revoke {chosen}", key="revoke_confirm")
        revoke_help = "Its events stay; new ones are refused."
        if revoke_column.button("Revoke", key="revoke", disabled=not confirmed, help=revoke_help):
            with reported_errors():
                devices.revoke(db, principal, chosen)
                done(f"Revoked {chosen}")

st.subheader("Tag labels")
st.caption("Give each tag a label (a project, a task, “office”); My time shows the label instead of the tag id.")
with st.form("label_tag", clear_on_submit=True):
    left, right = st.columns(2)
    tag_id = left.text_input(
        "Tag id", placeholder="dd 54 2a 83", help="Hex bytes separated by spaces.", key="label_tag_id"
    )
    label = right.text_input("Label", placeholder="Project Apollo", key="label_label")
    if st.form_submit_button("Save label"):
        if not label.strip():
            st.error("Enter a label.")
        else:
            with reported_errors(ValueError):
                devices.put_tags(db, principal, {tag_id: label})
                done(f"Labelled {tag_id.strip()} as {label.strip()}")

tags = devices.list_tags(db, principal)
seen = {row["tag_id"] for row in devices.recent_events(db, principal, limit=RECENT_EVENTS_FOR_TAGS)}
unlabelled = sorted(seen - {t["tag_id"] for t in tags})
if unlabelled:
    st.caption("Your readers sent these tags, which have no label yet: " + ", ".join(unlabelled))
if not tags:
    st.info("No labels yet. Until you add one, time shows under the raw tag id.")
else:
    st.dataframe(
        pd.DataFrame({"tag id": [t["tag_id"] for t in tags], "label": [t["label"] for t in tags]}),
        hide_index=True,
        width="stretch",
    )
    labels = {t["tag_id"]: f"{t['label']} ({t['tag_id']})" for t in tags}
    forget = st.selectbox("Tag", list(labels), format_func=labels.get, key="tag_choice")
    if st.button("Delete label", key="delete_tag", help="Its time shows under the tag id again."):
        with reported_errors(ValueError):
            devices.delete_tag(db, principal, forget)
            done(f"Deleted the label of {forget}")

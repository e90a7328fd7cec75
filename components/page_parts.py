"""Small pieces every page shares: reporting a failed action, showing a secret once, times and durations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import streamlit as st

from timetracker.errors import DomainError

# Secrets issued in this browser session: the pending "copy it now" boxes, and the plaintexts
# themselves (so the Webhook test page can use a key that was just created or rotated).
SHOWN_KEY = "secrets_to_show"
ISSUED_KEY = "secrets_issued"
DONE_KEY = "done_messages"


@contextmanager
def reported_errors(*also: type[Exception]) -> Iterator[None]:
    """Show a domain failure, auth ones too (or one of `also`, e.g. ValueError from parsing), as a message."""
    try:
        yield
    except DomainError as exc:
        st.error(exc.message)
    except also as exc:
        st.error(str(exc))


def done(message: str) -> None:
    """Confirm an action, then rerun so every part of the page shows the new state."""
    st.session_state.setdefault(DONE_KEY, []).append(message)
    st.rerun()


def show_done_messages() -> None:
    """The confirmations of the actions that caused this run (called once per run by the router)."""
    for message in st.session_state.pop(DONE_KEY, []):
        st.toast(message, icon=":material/check_circle:")


def hold_secret(slot: str, title: str, secret: str) -> None:
    """Keep a just-issued secret for this browser session and show it once at `slot`."""
    st.session_state.setdefault(SHOWN_KEY, {})[slot] = (title, secret)
    st.session_state.setdefault(ISSUED_KEY, {})[slot] = secret


def issued_secret(slot: str) -> str | None:
    """The secret issued at `slot` in this browser session, if any."""
    return st.session_state.get(ISSUED_KEY, {}).get(slot)


def show_secrets_once(prefix: str) -> None:
    """Every pending secret whose slot starts with `prefix`: a copy button and a warning."""
    pending = st.session_state.get(SHOWN_KEY, {})
    for slot, (title, secret) in list(pending.items()):
        if not slot.startswith(prefix):
            continue
        with st.container(border=True):
            st.markdown(f"**{title}**")
            st.code(secret, language=None)
            st.warning("Copy it now: it is stored only as a hash and will not be shown again.")
            if st.button("I have copied it", key=f"dismiss:{slot}"):
                del pending[slot]
                st.rerun()


def when(moment: datetime | None, tz: ZoneInfo | None = None, never: str = "never") -> str:
    """A stored instant as the viewer reads it (in their timezone when given)."""
    if moment is None:
        return never
    return (moment.astimezone(tz) if tz else moment).strftime("%Y-%m-%d %H:%M:%S")


def hours_text(seconds: float) -> str:
    """A duration as people read it: H:MM, rounded to the minute (90 minutes -> 1:30, 26 hours -> 26:00)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def signed_hours(seconds: float) -> str:
    """A difference as H:MM with its sign (+1:30, -0:45, 0:00)."""
    text = hours_text(abs(seconds))
    if text == "0:00":
        return text
    return f"+{text}" if seconds > 0 else f"-{text}"


def person_label(person: dict[str, Any]) -> str:
    """A person as others pick them: the name people recognise, and the email that tells two Alexes apart."""
    name = (person.get("display_name") or "").strip()
    email = person.get("email")
    if name and email and name != email:
        return f"{name} · {email}"
    return name or short_name(person)


def short_name(person: dict[str, Any]) -> str:
    """How a message names a person: their email, else their name (accounts signed up by phone
    have no email)."""
    return person.get("email") or (person.get("display_name") or "").strip() or "a member without a name or email"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def browser_timezone() -> str | None:
    """The IANA zone the visitor's browser reports, if it is one we know (None in a bare run)."""
    zone = st.context.timezone
    return zone if zone in available_timezones() else None

"""Small pieces every page shares: showing a secret once, reporting a failed action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from timetracker.auth.errors import AuthError
from timetracker.errors import DomainError


@contextmanager
def reported_errors() -> Iterator[None]:
    """Show a domain or auth failure as a message instead of a traceback."""
    try:
        yield
    except (DomainError, AuthError) as exc:
        st.error(exc.message)


def keep_secret_once(slot: str, title: str, secret: str) -> None:
    """Hold a just-issued secret for this browser session until the person dismisses it."""
    st.session_state[f"secret:{slot}"] = (title, secret)


def shown_secret(slot: str) -> str | None:
    held = st.session_state.get(f"secret:{slot}")
    return held[1] if held else None


def show_secret_once(slot: str) -> None:
    """The secret held in `slot`, with a copy button and a warning that it will not come back."""
    held = st.session_state.get(f"secret:{slot}")
    if not held:
        return
    title, secret = held
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.code(secret, language=None)
        st.warning("Copy it now: it is stored only as a hash and will not be shown again.")
        if st.button("I have copied it", key=f"dismiss:{slot}"):
            del st.session_state[f"secret:{slot}"]
            st.rerun()


def when(moment: datetime | None, tz: ZoneInfo | None = None, never: str = "never") -> str:
    """A stored instant as the viewer reads it (their timezone when given)."""
    if moment is None:
        return never
    return (moment.astimezone(tz) if tz else moment).strftime("%Y-%m-%d %H:%M")

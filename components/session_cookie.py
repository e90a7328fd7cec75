"""The browser's copy of a login: the refresh token in a first-party cookie, as Supabase's
browser clients keep theirs in browser storage, so a reload or a second tab stays logged in.

Streamlit reads cookies only from the websocket handshake (`st.context.cookies`, read-only);
to write one, a tiny script runs in the page through `st.html(..., unsafe_allow_javascript=True)`.
Its only input is our own refresh token, checked against a strict alphabet and JSON-encoded, so
nothing a person typed can reach it. The cookie is `Path=/`, `SameSite=Strict` (never sent from
another site), `Secure` on https, and holds only the refresh token: the access token stays on
the server. A refresh token is single-use (the auth server rotates it and revokes the session if
an old one comes back), so the cookie is rewritten after every rotation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import streamlit as st

COOKIE_NAME = "tt_refresh"
# Logged-in browsers that stay away longer log in again (the cookie is rewritten on every visit).
MAX_AGE_SECONDS = 30 * 24 * 3600
# Refresh tokens are opaque URL-safe strings (ours: token_urlsafe(32); Supabase's: 12+ characters).
# Anything else is not ours: never written into the page, never sent to the auth server.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,256}")


def browser_cookies() -> Mapping[str, str]:
    """The cookies the browser sent when this session's websocket opened."""
    return st.context.cookies


def read() -> str | None:
    """The refresh token this browser kept, if it has one of the right shape."""
    value = browser_cookies().get(COOKIE_NAME)
    return value if isinstance(value, str) and TOKEN_SHAPE.fullmatch(value) else None


def _set_cookie_script(value: str, max_age: int) -> str:
    # json.dumps yields a JS string literal; the alphabet check already rules out quotes and '<'.
    return (
        "<script>(function () {"
        f" var cookie = {json.dumps(COOKIE_NAME)} + '=' + {json.dumps(value)}"
        f" + '; Path=/; Max-Age={max_age}; SameSite=Strict';"
        " if (window.location.protocol === 'https:') { cookie += '; Secure'; }"
        " document.cookie = cookie;"
        "})();</script>"
    )


def write(refresh_token: str | None) -> None:
    """Keep `refresh_token` in the browser. The page runs the script only when the value changes."""
    if refresh_token and TOKEN_SHAPE.fullmatch(refresh_token):
        st.html(_set_cookie_script(refresh_token, MAX_AGE_SECONDS), width="content", unsafe_allow_javascript=True)


def delete() -> None:
    """Make the browser drop the cookie (log out, or a session the server no longer knows)."""
    st.html(_set_cookie_script("", 0), width="content", unsafe_allow_javascript=True)

"""The browser's side of a kept login: one opaque secret in a cookie, nothing else.

The refresh token stays on the server (timetracker/auth/browser_sessions.py), so the cookie
never changes after login. Streamlit reads cookies only from the websocket handshake
(`st.context.cookies`) and cannot answer a Set-Cookie, so the cookie arrives one of two ways:

- the browser reaches the API on the dashboard's host name: the page posts a one-time handoff
  code to the API, whose answer sets the cookie HttpOnly (no script can read it);
- otherwise the page writes it with a script, short-lived (`SCRIPT_LIFETIME_SECONDS`).

Either way it is `SameSite=Strict` (never sent from another site), `Secure` on https, and its
path is Streamlit's websocket, so no other request to the host carries it. The scripts' only
inputs are our own random values and URL, checked and JSON-encoded: nothing a person typed
can reach them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import streamlit as st

from timetracker import paths
from timetracker.auth.browser_sessions import COOKIE_NAME, COOKIE_PATH, SCRIPT_LIFETIME_SECONDS, looks_like_secret


def browser_cookies() -> Mapping[str, str]:
    """The cookies the browser sent when this session's websocket opened."""
    return st.context.cookies


def dashboard_host() -> str | None:
    """The host name (and port) the browser addressed the dashboard by."""
    return st.context.headers.get("Host")


def read() -> str | None:
    """The secret this browser kept, if it has one of the right shape."""
    value = browser_cookies().get(COOKIE_NAME)
    return value if looks_like_secret(value) else None


def _run(script: str) -> None:
    # The page runs an html element's script when it mounts it, and not again on later runs
    # that render the same element unchanged.
    st.html(f"<script>(function () {{ {script} }})();</script>", width="content", unsafe_allow_javascript=True)


def _post_form(url: str, fields: Mapping[str, str]) -> str:
    # A form post is a "simple" request: no CORS preflight, and the answer may set a cookie.
    return (
        f"var body = new URLSearchParams({json.dumps(dict(fields))});"
        f" fetch({json.dumps(url)}, {{method: 'POST', body: body, credentials: 'include', mode: 'cors'}})"
        ".catch(function () {});"
    )


def _cookie_script(value: str, max_age: int) -> str:
    return (
        f"var cookie = {json.dumps(COOKIE_NAME)} + '=' + {json.dumps(value)}"
        f" + '; Path={COOKIE_PATH}; Max-Age={max_age}; SameSite=Strict';"
        " if (window.location.protocol === 'https:') { cookie += '; Secure'; }"
        " document.cookie = cookie;"
    )


def hand_off(api_base_url: str, handoff: str) -> None:
    """Have the browser trade `handoff` with the API for the HttpOnly cookie."""
    if looks_like_secret(handoff):
        _run(_post_form(api_base_url + paths.BROWSER_SESSIONS, {"handoff": handoff}))


def write(secret: str) -> None:
    """Write the cookie from the page (the API is on another host name)."""
    if looks_like_secret(secret):
        _run(_cookie_script(secret, SCRIPT_LIFETIME_SECONDS))


def delete(api_base_url: str | None) -> None:
    """Make the browser drop the cookie (the login is already over): the page's own copy, and
    with `api_base_url` (the API set it) the HttpOnly one, which only the API can clear."""
    script = _cookie_script("", 0)
    if api_base_url:
        script += " " + _post_form(api_base_url + paths.BROWSER_SESSIONS_END, {})
    _run(script)

"""The dashboard's login cookie, set and cleared by the API so that it can be HttpOnly.

Streamlit cannot answer a Set-Cookie, and a cookie written by a page script is readable by
every script on the host. So the logged-in page trades a one-time handoff code here, from
the browser; the answer's Set-Cookie (HttpOnly, SameSite=Strict, scoped to Streamlit's
websocket) reaches the dashboard because the browser addresses both by one host name.
The requests are plain form posts, which need no CORS preflight; the answer allows only
the page's own origin to read it, and only on this host name.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, Response

from api.deps import RuntimeDep
from timetracker import paths
from timetracker.auth.browser_sessions import COOKIE_NAME, COOKIE_PATH, BrowserSessions
from timetracker.errors import Forbidden, NotFound

router = APIRouter(tags=["dashboard login"])


def _answer_for_dashboard(request: Request) -> tuple[Response, bool]:
    """An empty answer only the calling page's origin may read, when that page is on this very
    host name (any port), and whether the cookie in it must be Secure; else 403."""
    origin = request.headers.get("origin", "")
    if not origin or urlsplit(origin).hostname != request.url.hostname:
        raise Forbidden("Only the dashboard's page, on this host name, may set its login cookie.")
    response = Response(status_code=204)
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Credentials"] = "true"
    response.headers["Vary"] = "Origin"
    response.headers["Cache-Control"] = "no-store"
    # A page served over https gets a Secure cookie, even where this server hears plain http from
    # a proxy it was not told to trust (then uvicorn does not take X-Forwarded-Proto).
    return response, request.url.scheme == "https" or origin.startswith("https://")


def _login_cookie(response: Response, value: str, max_age: int, secure: bool) -> None:
    response.set_cookie(
        COOKIE_NAME, value, max_age=max_age, path=COOKIE_PATH, secure=secure, httponly=True, samesite="strict"
    )


@router.post(
    paths.BROWSER_SESSIONS,
    status_code=204,
    response_class=Response,
    summary="Trade the dashboard page's handoff code for its HttpOnly login cookie",
    responses={204: {"description": "The cookie is set (Set-Cookie)"}},
)
def claim_login_cookie(
    request: Request, handoff: Annotated[str, Form(min_length=1, max_length=100)], runtime: RuntimeDep
) -> Response:
    response, secure = _answer_for_dashboard(request)
    claimed = BrowserSessions(runtime.db, runtime.cipher).claim(handoff)
    if claimed is None:
        raise NotFound("This handoff code is unknown, used or expired. Log in again to keep the login.")
    secret, max_age = claimed
    _login_cookie(response, secret, max_age, secure)
    return response


@router.post(
    paths.BROWSER_SESSIONS_END,
    status_code=204,
    response_class=Response,
    summary="Clear the dashboard's login cookie (the dashboard has already ended the login)",
    responses={204: {"description": "The cookie is cleared (Set-Cookie with Max-Age=0)"}},
)
def clear_login_cookie(request: Request) -> Response:
    response, secure = _answer_for_dashboard(request)
    _login_cookie(response, "", 0, secure)
    return response

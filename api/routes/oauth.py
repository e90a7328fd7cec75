"""OAuth 2.0 for the sync client: the authorize page (sign in, then back to the loopback
redirect with a code) and the token endpoint (code + PKCE verifier -> personal API token).
The rules live in timetracker.oauth; this renders and wires them.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import RuntimeDep
from api.errors import documented
from api.schemas import OAuthError, OAuthToken
from timetracker.oauth import CLIENT_ID, authorize, codes
from timetracker.oauth.sign_in import SignInFailed, sign_in

router = APIRouter(prefix="/oauth", tags=["oauth (sync client)"])

# The page holds a password field: never cached, never framed (clickjacking), no scripts.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# What the authorize page answers besides itself: the loopback redirect, or a page saying why not.
PAGE_ANSWERS: dict[int | str, dict[str, Any]] = {
    303: {"description": "Back to the sync client's loopback redirect, with a code or an error"},
    400: {"description": "The sign-in link is not valid (a page saying so)", "content": {"text/html": {}}},
}


def page(body: str, status: int = 200) -> HTMLResponse:
    document = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Time Tracker: sign in</title>"
        "<style>body{font-family:sans-serif;max-width:26rem;margin:3rem auto}label,input,button{display:block;"
        "width:100%;margin:.4rem 0}.error{color:#b00}</style></head><body>" + body + "</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers=PAGE_HEADERS)


def sign_in_form(request: authorize.AuthorizationRequest, error: str = "", email: str = "") -> str:
    hidden = "".join(
        f"<input type='hidden' name='{name}' value='{html.escape(value, quote=True)}'>"
        for name, value in request.hidden_fields.items()
    )
    message = f"<p class='error' role='alert'>{html.escape(error)}</p>" if error else ""
    return (
        "<h1>Sign in to connect the ActivityWatch sync client</h1>"
        f"<p>After you sign in, a token for the sync client on this computer is sent to"
        f" <code>{html.escape(request.redirect_uri)}</code>.</p>{message}"
        f"<form method='post' action='/oauth/authorize'>{hidden}"
        f"<label>Email <input name='email' type='email' autocomplete='username' required"
        f" value='{html.escape(email, quote=True)}'></label>"
        "<label>Password <input name='password' type='password' autocomplete='current-password' required></label>"
        "<button name='decision' value='allow' type='submit'>Sign in and allow</button>"
        "<button name='decision' value='deny' type='submit' formnovalidate>Cancel</button></form>"
    )


def untrusted(exc: Exception) -> HTMLResponse:
    return page(f"<h1>This sign-in link is not valid</h1><p class='error'>{html.escape(str(exc))}</p>", 400)


@router.get(
    "/authorize",
    response_class=HTMLResponse,
    summary="The sign-in page of the sync client's login",
    responses=PAGE_ANSWERS,
)
def authorize_page(request: Request) -> Response:
    try:
        checked = authorize.check(dict(request.query_params))
    except authorize.UntrustedRedirect as exc:
        return untrusted(exc)
    except authorize.RedirectError as exc:
        return RedirectResponse(exc.location, status_code=303)
    return page(sign_in_form(checked))


@router.post(
    "/authorize",
    response_class=HTMLResponse,
    summary="Sign in and send the code to the loopback redirect",
    responses={
        **PAGE_ANSWERS,
        401: {"description": "Wrong email or password (the page again, saying so)", "content": {"text/html": {}}},
    },
)
async def authorize_submit(request: Request, runtime: RuntimeDep) -> Response:
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    try:
        checked = authorize.check(form)
    except authorize.UntrustedRedirect as exc:
        return untrusted(exc)
    except authorize.RedirectError as exc:
        return RedirectResponse(exc.location, status_code=303)
    if form.get("decision") != "allow":
        return RedirectResponse(checked.redirect(error="access_denied"), status_code=303)
    email = form.get("email", "")
    client = request.client.host if request.client else "unknown"
    try:
        principal = await run_in_threadpool(sign_in, runtime, email, form.get("password", ""), client)
    except SignInFailed as exc:
        return page(sign_in_form(checked, exc.message, email), 401)
    code = await run_in_threadpool(
        codes.issue,
        runtime.db,
        principal.user_id,
        checked.redirect_uri,
        checked.code_challenge,
        runtime.settings.oauth_code_ttl_seconds,
    )
    return RedirectResponse(checked.redirect(code=code), status_code=303)


def token_error(error: str, description: str, status: int = 400) -> JSONResponse:
    """RFC 6749's error answer (section 5.2), whose shape and statuses the sync client reads: not our ErrorBody."""
    body = OAuthError(error=error, error_description=description, message=description)
    return JSONResponse(body.model_dump(), status_code=status, headers=NO_STORE)


@router.post(
    "/token",
    response_model=OAuthToken,
    summary="Exchange the code (+ PKCE verifier) for a personal API token",
    responses={
        **documented(503),
        400: {"model": OAuthError, "description": "Unsupported grant type, a missing field, or a bad code"},
        401: {"model": OAuthError, "description": "Unknown client_id"},
    },
)
async def token(request: Request, runtime: RuntimeDep, response: Response) -> OAuthToken | JSONResponse:
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    if form.get("grant_type") != "authorization_code":
        return token_error("unsupported_grant_type", "only grant_type=authorization_code is supported")
    if form.get("client_id") != CLIENT_ID:
        return token_error("invalid_client", "unknown client_id", 401)
    missing = [name for name in ("code", "redirect_uri", "code_verifier") if not form.get(name)]
    if missing:
        return token_error("invalid_request", f"missing {', '.join(missing)}")
    try:
        issued = await run_in_threadpool(
            lambda: codes.redeem(
                runtime.db,
                code=form["code"],
                client_id=form["client_id"],
                redirect_uri=form["redirect_uri"],
                code_verifier=form["code_verifier"],
            )
        )
    except codes.InvalidGrant as exc:
        return token_error("invalid_grant", str(exc))
    response.headers.update(NO_STORE)
    return OAuthToken(access_token=issued.access_token, token_id=issued.token_id, email=issued.email)

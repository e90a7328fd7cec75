"""`login`: OAuth 2.0 authorization code + PKCE (S256) + state, with the code returned to a
loopback redirect on this machine (RFC 8252): http://127.0.0.1:<free port>/callback.

The browser is opened on the server's /oauth/authorize page; the person signs in there;
the server redirects the browser to our one-shot loopback listener with `code` and
`state`; we check `state` (constant time) and exchange the code with the verifier, which
never left this process, for a personal API token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

# Both stdlib-only, so the client installed alone (`pip install .`, httpx only) can import them.
from timetracker.oauth import CLIENT_ID, pkce

CALLBACK_PATH = "/callback"
DONE_PAGE = b"<!doctype html><title>Signed in</title><p>You can close this window and return to the terminal.</p>"
FAILED_PAGE = b"<!doctype html><title>Sign-in failed</title><p>Sign-in failed; see the terminal.</p>"


class LoginError(Exception):
    pass


def pkce_pair() -> tuple[str, str]:
    """A verifier and its S256 challenge, made by the same helper the server checks them with."""
    verifier = pkce.new_verifier()
    return verifier, pkce.challenge_for(verifier)


class _Callback:
    """A one-request HTTP listener on 127.0.0.1 and an OS-chosen free port."""

    def __init__(self) -> None:
        self.params: dict[str, str] | None = None
        self.received = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH or outer.received.is_set():
                    self.send_error(404)
                    return
                outer.params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                ok = "code" in outer.params
                self.send_response(200 if ok else 400)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(DONE_PAGE if ok else FAILED_PAGE)
                outer.received.set()

            def log_message(self, *_: Any) -> None:  # the query holds the code: never log it
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{CALLBACK_PATH}"

    def wait(self, timeout: float) -> dict[str, str]:
        try:
            if not self.received.wait(timeout):
                raise LoginError("no answer from the browser in time; run login again")
            return self.params or {}
        finally:
            self.server.shutdown()
            self.server.server_close()


def login(
    server_url: str,
    *,
    open_browser: bool = True,
    opener: Callable[[str], Any] | None = None,
    timeout: float = 300.0,
    http: httpx.Client | None = None,
) -> dict[str, Any]:
    """Run the flow; return {"access_token", "token_id", "email", "server"}."""
    server_url = server_url.rstrip("/")
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    callback = _Callback()
    query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": callback.redirect_uri,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    url = f"{server_url}/oauth/authorize?{urlencode(query)}"
    if opener is not None:
        opener(url)
    elif not open_browser or not webbrowser.open(url):
        print(f"Open this address in a browser to sign in:\n  {url}")
    params = callback.wait(timeout)
    if not hmac.compare_digest(params.get("state", ""), state):
        raise LoginError("the answer's state does not match this login (possible forgery); nothing was saved")
    if "error" in params:
        raise LoginError(f"the server refused the login: {params['error']} {params.get('error_description', '')}")
    client = http or httpx.Client(timeout=30)
    try:
        response = client.post(
            f"{server_url}/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": params.get("code", ""),
                "redirect_uri": callback.redirect_uri,
                "client_id": CLIENT_ID,
                "code_verifier": verifier,
            },
        )
    finally:
        if http is None:
            client.close()
    if response.status_code != 200:
        raise LoginError(f"the token exchange failed: {response.json().get('error_description', response.status_code)}")
    token = response.json()
    return {
        "access_token": token["access_token"],
        "token_id": token.get("token_id"),
        "email": token.get("email"),
        "server": server_url,
    }


def revoke(server_url: str, stored: dict[str, Any], http: httpx.Client | None = None) -> bool:
    """Revoke the login's token on the server (DELETE /api/v1/tokens/<id> with itself)."""
    if not stored.get("token_id"):
        return False
    client = http or httpx.Client(timeout=30)
    try:
        response = client.delete(
            f"{server_url.rstrip('/')}/api/v1/tokens/{stored['token_id']}",
            headers={"Authorization": f"Bearer {stored['access_token']}"},
        )
    except httpx.HTTPError:
        return False
    finally:
        if http is None:
            client.close()
    return response.status_code in (204, 401)  # 401: already revoked

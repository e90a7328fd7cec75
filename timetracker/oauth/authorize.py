"""Checking an authorization request (RFC 6749 §4.1.1 + PKCE), before and after sign-in.

Two kinds of failure, as the RFC requires: a bad client_id or redirect_uri is shown to the
person and never redirected (the redirect target cannot be trusted); anything else is
returned to the (valid, loopback) redirect_uri as `error=...&state=...`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from timetracker.oauth import CLIENT_ID
from timetracker.oauth.pkce import valid_challenge
from timetracker.oauth.redirects import is_loopback_redirect

MAX_STATE_LENGTH = 500


class UntrustedRedirect(Exception):
    """client_id or redirect_uri is wrong: show an error page, do not redirect."""


class RedirectError(Exception):
    """The request is malformed; tell the client through its redirect."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@dataclass(frozen=True)
class AuthorizationRequest:
    redirect_uri: str
    state: str
    code_challenge: str

    def redirect(self, **params: str) -> str:
        separator = "&" if "?" in self.redirect_uri else "?"
        return self.redirect_uri + separator + urlencode({**params, "state": self.state})

    @property
    def hidden_fields(self) -> dict[str, str]:
        return {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }


def check(params: Mapping[str, str]) -> AuthorizationRequest:
    redirect_uri = params.get("redirect_uri", "")
    if params.get("client_id") != CLIENT_ID:
        raise UntrustedRedirect("unknown client_id")
    if not is_loopback_redirect(redirect_uri):
        raise UntrustedRedirect("redirect_uri must be a loopback address: http://127.0.0.1:<port>/...")
    state = params.get("state", "")
    request = AuthorizationRequest(redirect_uri, state, params.get("code_challenge", ""))
    if params.get("response_type") != "code":
        raise RedirectError(request.redirect(error="unsupported_response_type"))
    if not state or len(state) > MAX_STATE_LENGTH:
        raise RedirectError(request.redirect(error="invalid_request", error_description="state is required"))
    if params.get("code_challenge_method") != "S256" or not valid_challenge(request.code_challenge):
        raise RedirectError(
            request.redirect(
                error="invalid_request", error_description="PKCE with code_challenge_method=S256 is required"
            )
        )
    return request

"""WakaTime's OAuth and API over HTTP (wakatime.com or any server with the same protocol).

Token answers are form-encoded unless JSON is asked for, so both are read. Tokens travel
only in request bodies and Authorization headers, never in URLs, so no access log or
httpx log line can carry one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx

from timetracker import paths
from timetracker.config import Settings

MAX_ATTEMPTS = 4


class WakaTimeError(Exception):
    """WakaTime could not be reached or answered something unusable (try again later)."""


class GrantRefused(WakaTimeError):
    """WakaTime refused the code or refresh token: the person must connect again."""


class RateLimited(WakaTimeError):
    """Still 429 after backing off as told."""


class OutsideHistory(WakaTimeError):
    """402: the day is older than the person's plan lets the API read."""


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    refresh_token: str | None
    uid: str | None
    scope: str
    expires_at: datetime | None

    def __repr__(self) -> str:  # never print tokens, even in a traceback
        return f"TokenGrant(uid={self.uid!r}, scope={self.scope!r}, expires_at={self.expires_at!r})"


def _parse_grant(response: httpx.Response) -> TokenGrant:
    if response.headers.get("content-type", "").startswith("application/json"):
        fields = {key: str(value) for key, value in response.json().items() if value is not None}
    else:
        fields = dict(parse_qsl(response.text))
    if not fields.get("access_token"):
        raise WakaTimeError("the token answer has no access_token")
    expires_at: datetime | None = None
    if fields.get("expires_at"):
        expires_at = datetime.fromisoformat(fields["expires_at"].replace("Z", "+00:00"))
        expires_at = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
    elif fields.get("expires_in"):
        expires_at = datetime.now(UTC) + timedelta(seconds=float(fields["expires_in"]))
    return TokenGrant(
        access_token=fields["access_token"],
        refresh_token=fields.get("refresh_token") or None,
        uid=fields.get("uid") or None,
        scope=fields.get("scope", ""),
        expires_at=expires_at,
    )


class WakaTimeClient:
    def __init__(
        self,
        settings: Settings,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.http = http or httpx.Client(timeout=30)
        self.sleep = sleep

    @property
    def configured(self) -> bool:
        return bool(self.settings.wakatime_client_id and self.settings.wakatime_client_secret.get_secret_value())

    @property
    def redirect_uri(self) -> str:
        return self.settings.api_base_url + paths.WAKATIME_CALLBACK

    def authorize_url(self, state: str) -> str:
        query = {
            "client_id": self.settings.wakatime_client_id,
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "scope": self.settings.wakatime_scope,
            "state": state,
        }
        return f"{self.settings.wakatime_authorize_url}?{urlencode(query)}"

    def _client_fields(self) -> dict[str, str]:
        return {
            "client_id": self.settings.wakatime_client_id,
            "client_secret": self.settings.wakatime_client_secret.get_secret_value(),
        }

    def _token(self, fields: dict[str, str]) -> TokenGrant:
        try:
            response = self.http.post(self.settings.wakatime_token_url, data={**self._client_fields(), **fields})
        except httpx.HTTPError as exc:
            raise WakaTimeError(f"WakaTime's token endpoint is unreachable ({type(exc).__name__})") from exc
        if response.status_code in (400, 401, 403):
            raise GrantRefused(f"WakaTime refused the grant ({response.status_code})")
        if response.status_code != 200:
            raise WakaTimeError(f"WakaTime's token endpoint answered {response.status_code}")
        try:
            return _parse_grant(response)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:  # e.g. expires_in=inf
            raise WakaTimeError("WakaTime's token answer could not be read") from exc

    def exchange_code(self, code: str) -> TokenGrant:
        return self._token({"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri})

    def refresh(self, refresh_token: str) -> TokenGrant:
        return self._token(
            {"grant_type": "refresh_token", "refresh_token": refresh_token, "redirect_uri": self.redirect_uri}
        )

    def revoke(self, token: str) -> bool:
        """Revoke a token at WakaTime; False when WakaTime could not be told (the caller forgets it anyway)."""
        try:
            response = self.http.post(self.settings.wakatime_revoke_url, data={**self._client_fields(), "token": token})
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def get(self, path: str, access_token: str, params: dict[str, Any]) -> dict[str, Any]:
        """GET an API resource; back off on 429 as Retry-After says (capped), 402 -> OutsideHistory,
        401 -> GrantRefused."""
        url = f"{self.settings.wakatime_api_url.rstrip('/')}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        for attempt in range(MAX_ATTEMPTS):
            try:
                response = self.http.get(url, params=params, headers=headers)
            except httpx.HTTPError as exc:
                raise WakaTimeError(f"WakaTime is unreachable ({type(exc).__name__})") from exc
            if response.status_code == 429:
                self.sleep(self._retry_wait(response, attempt))
                continue
            if response.status_code == 402:
                raise OutsideHistory("outside the history the WakaTime plan allows")
            if response.status_code in (401, 403):
                raise GrantRefused(f"WakaTime refused the access token ({response.status_code})")
            if response.status_code != 200:
                raise WakaTimeError(f"WakaTime answered {response.status_code} for {path}")
            try:
                return response.json()
            except ValueError as exc:
                raise WakaTimeError(f"WakaTime's answer for {path} is not JSON") from exc
        raise RateLimited(f"WakaTime kept answering 429 after {MAX_ATTEMPTS} attempts")

    def _retry_wait(self, response: httpx.Response, attempt: int) -> float:
        try:
            wait = float(response.headers.get("Retry-After", ""))
        except ValueError:
            wait = 2.0**attempt  # no usable Retry-After: exponential back-off
        return max(0.0, min(wait, self.settings.wakatime_max_retry_wait_seconds))

"""A local stand-in for wakatime.com speaking its OAuth and API protocol, served on loopback.

OAuth: /oauth/authorize (approves at once and redirects back with code and state, or
with error=access_denied), /oauth/token (authorization_code and refresh_token grants,
answered form-encoded as WakaTime does unless `json_answers`), /oauth/revoke.
API: /api/v1/users/current/durations?date= and /summaries?start=&end=, with 402 for days
outside the plan's history and 429 + Retry-After when asked to.
Everything it was sent is recorded for the tests to inspect.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Header, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from tests.utils.net import free_port, serve

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret-0123456789"


@dataclass
class Grant:
    access_token: str
    refresh_token: str
    expires_at: datetime
    revoked: bool = False


@dataclass
class FakeWakaTime:
    url: str = ""
    uid: str = "waka-user-1"
    deny: bool = False
    json_answers: bool = False
    token_outage: bool = False  # the token endpoint answers 503 (WakaTime having a bad day)
    token_fields: dict[str, str | None] = field(default_factory=dict)  # override (None: leave out) answer fields
    token_lifetime: timedelta = timedelta(days=365)
    durations: dict[date, list[dict[str, Any]]] = field(default_factory=dict)
    summaries: dict[date, dict[str, Any]] = field(default_factory=dict)
    outside_history: set[date] = field(default_factory=set)
    rate_limit: list[str] = field(default_factory=list)  # Retry-After values for the next API calls
    codes: dict[str, str] = field(default_factory=dict)  # code -> redirect_uri
    grants: list[Grant] = field(default_factory=list)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    revoke_requests: list[dict[str, str]] = field(default_factory=list)
    api_requests: list[tuple[str, dict[str, str], str]] = field(default_factory=list)  # path, params, token

    def reset(self) -> None:
        """Forget everything between tests (the server keeps running)."""
        url = self.url
        self.__init__()  # type: ignore[misc]
        self.url = url

    @property
    def issued_tokens(self) -> list[str]:
        return [t for g in self.grants for t in (g.access_token, g.refresh_token)]

    def revoke_everything(self) -> None:
        """The person revoked our app on wakatime.com."""
        for grant in self.grants:
            grant.revoked = True

    def live(self, access_token: str) -> Grant | None:
        for grant in self.grants:
            if grant.access_token == access_token and not grant.revoked and grant.expires_at > datetime.now(UTC):
                return grant
        return None

    def settings(self) -> dict[str, Any]:
        """Settings overrides that point our server at this fake."""
        from pydantic import SecretStr

        return {
            "wakatime_client_id": CLIENT_ID,
            "wakatime_client_secret": SecretStr(CLIENT_SECRET),
            "wakatime_authorize_url": f"{self.url}/oauth/authorize",
            "wakatime_token_url": f"{self.url}/oauth/token",
            "wakatime_revoke_url": f"{self.url}/oauth/revoke",
            "wakatime_api_url": f"{self.url}/api/v1",
            "wakatime_import_check_seconds": 0,
        }

    def _issue(self) -> Grant:
        grant = Grant(
            access_token="waka_tok_" + secrets.token_urlsafe(24),
            refresh_token="waka_ref_" + secrets.token_urlsafe(24),
            expires_at=datetime.now(UTC) + self.token_lifetime,
        )
        self.grants.append(grant)
        return grant

    def _token_answer(self, grant: Grant) -> Response:
        fields = {
            "access_token": grant.access_token,
            "refresh_token": grant.refresh_token,
            "uid": self.uid,
            "token_type": "bearer",
            "scope": "email,read_summaries,read_heartbeats",
            "expires_at": grant.expires_at.isoformat().replace("+00:00", "Z"),
            "expires_in": str(int(self.token_lifetime.total_seconds())),
        }
        fields.update(self.token_fields)
        fields = {key: value for key, value in fields.items() if value is not None}
        if self.json_answers:
            return JSONResponse(fields)
        return PlainTextResponse(urlencode(fields), media_type="application/x-www-form-urlencoded")

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/oauth/authorize")
        def authorize(
            client_id: str, response_type: str, redirect_uri: str, scope: str = "", state: str = ""
        ) -> Response:
            self.authorize_requests.append(
                {"client_id": client_id, "response_type": response_type, "redirect_uri": redirect_uri, "scope": scope}
            )
            if client_id != CLIENT_ID or response_type != "code":
                return PlainTextResponse("bad client", status_code=400)
            if self.deny:
                return RedirectResponse(f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}")
            code = secrets.token_urlsafe(16)
            self.codes[code] = redirect_uri
            return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=302)

        @app.post("/oauth/token")
        def token(
            client_id: Annotated[str, Form()],
            client_secret: Annotated[str, Form()],
            grant_type: Annotated[str, Form()],
            code: Annotated[str, Form()] = "",
            refresh_token: Annotated[str, Form()] = "",
            redirect_uri: Annotated[str, Form()] = "",
        ) -> Response:
            self.token_requests.append({"grant_type": grant_type, "code": code, "refresh_token": refresh_token})
            if self.token_outage:
                return JSONResponse({"error": "unavailable"}, status_code=503)
            if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            if grant_type == "authorization_code":
                if self.codes.pop(code, None) != redirect_uri:
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
                return self._token_answer(self._issue())
            if grant_type == "refresh_token":
                old = next((g for g in self.grants if g.refresh_token == refresh_token and not g.revoked), None)
                if old is None:
                    return JSONResponse({"error": "invalid_grant"}, status_code=400)
                old.revoked = True
                return self._token_answer(self._issue())
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)

        @app.post("/oauth/revoke")
        def revoke(
            client_id: Annotated[str, Form()],
            client_secret: Annotated[str, Form()],
            token: Annotated[str, Form()] = "",
        ) -> Response:
            self.revoke_requests.append({"token": token})
            if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            for grant in self.grants:
                if token in (grant.access_token, grant.refresh_token):
                    grant.revoked = True
            return JSONResponse({})

        def api_call(request: Request, authorization: str | None) -> tuple[Response | None, str]:
            token = (authorization or "").removeprefix("Bearer ")
            self.api_requests.append((request.url.path, dict(request.query_params), token))
            if self.rate_limit:
                return JSONResponse({"error": "rate limited"}, 429, {"Retry-After": self.rate_limit.pop(0)}), token
            if self.live(token) is None:
                return JSONResponse({"error": "Unauthorized"}, status_code=401), token
            return None, token

        @app.get("/api/v1/users/current/durations")
        def durations(
            request: Request,
            day: Annotated[date, Query(alias="date")],
            authorization: Annotated[str | None, Header()] = None,
        ) -> Response:
            refused, _ = api_call(request, authorization)
            if refused:
                return refused
            if day in self.outside_history:
                return JSONResponse({"error": "Requires a premium plan"}, status_code=402)
            return JSONResponse({"data": self.durations.get(day, []), "start": f"{day}T00:00:00Z", "timezone": "UTC"})

        @app.get("/api/v1/users/current/summaries")
        def summaries(
            request: Request, start: date, end: date, authorization: Annotated[str | None, Header()] = None
        ) -> Response:
            refused, _ = api_call(request, authorization)
            if refused:
                return refused
            if start in self.outside_history:
                return JSONResponse({"error": "Requires a premium plan"}, status_code=402)
            days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
            return JSONResponse({"data": [self.summaries.get(d, {"range": {"date": str(d)}}) for d in days]})

        return app


def summary(day: date, **dimensions: dict[str, float]) -> dict[str, Any]:
    """A WakaTime summaries day: summary(d, projects={"apollo": 3600}, languages={...})."""
    body: dict[str, Any] = {"range": {"date": day.isoformat()}, "grand_total": {}}
    for key, totals in dimensions.items():
        body[key] = [{"name": name, "total_seconds": secs} for name, secs in totals.items()]
    return body


def durations_of(start: datetime, *spans: tuple[int, int, str, str]) -> list[dict[str, Any]]:
    """(minutes after start, minutes long, project, language) -> WakaTime duration items."""
    return [
        {"time": (start + timedelta(minutes=m)).timestamp(), "duration": length * 60.0, "project": p, "language": lang}
        for m, length, p, lang in spans
    ]


@contextmanager
def running_fake() -> Iterator[FakeWakaTime]:
    fake = FakeWakaTime()
    port = free_port()
    with serve(fake.app(), port) as url:
        fake.url = url
        yield fake

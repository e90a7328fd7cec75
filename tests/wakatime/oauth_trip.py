"""The browser's OAuth trip through our server and the fake WakaTime, and the stored result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg

from tests.utils.apps import RunningApp
from tests.utils.users import TestUser
from tests.wakatime.conftest import DASHBOARD
from timetracker.wakatime import oauth_state
from timetracker.wakatime.client import TokenGrant


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def to_callback(http: httpx.Client, app: RunningApp, user: TestUser, state: str | None = None) -> dict[str, str]:
    """The browser's trip: our /authorize -> WakaTime's consent -> our callback -> the dashboard.
    Returns the query the Integrations page is opened with."""
    state = state or oauth_state.issue(app.runtime.db, user.principal, app.settings)
    to_wakatime = http.get("/integrations/wakatime/authorize", params={"state": state})
    assert to_wakatime.status_code == 307, to_wakatime.text
    consent = httpx.get(to_wakatime.headers["location"])
    assert consent.status_code in (302, 307), consent.text
    back = http.get(consent.headers["location"])
    assert back.status_code == 303
    assert back.headers["location"].startswith(f"{DASHBOARD}/integrations?")
    return query_of(back.headers["location"])


def finish(http: httpx.Client, user: TestUser, query: dict[str, str]) -> httpx.Response:
    """What the Integrations page does with the callback's query, as `user`, through the API."""
    return http.post(
        "/api/v1/wakatime/connection", json={"code": query["code"], "state": query["state"]}, headers=user.headers
    )


def connect(http: httpx.Client, app: RunningApp, user: TestUser, state: str | None = None) -> dict[str, str]:
    """The whole trip, finished by `user`: {"wakatime": "connected"}, or the error outcome
    ({"wakatime": "error", "reason": ...}) from the callback or from finishing."""
    query = to_callback(http, app, user, state)
    if query["wakatime"] != "complete":
        return query
    finished = finish(http, user, query)
    if finished.status_code != 200:
        return {"wakatime": "error", "reason": finished.json()["error"]}
    return {"wakatime": "connected"}


def raw_connection(app: RunningApp, user: TestUser) -> dict[str, Any] | None:
    """The stored row exactly as in the table, read with the migration login (not through RLS)."""
    with psycopg.connect(app.runtime.db.admin_url) as conn:
        conn.row_factory = psycopg.rows.dict_row
        return conn.execute("select * from wakatime_connections where owner_id = %s", (user.id,)).fetchone()


def token_grant(name: str) -> TokenGrant:
    """A grant as WakaTime's token endpoint answers one, its tokens named after `name`."""
    return TokenGrant(f"{name}-access", f"{name}-refresh", name, "email", datetime.now(UTC) + timedelta(days=1))

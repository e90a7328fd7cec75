"""A local stand-in for Toggl Track's API, served on loopback: GET /api/v9/me and the Reports
API v3 detailed search, with HTTP Basic `<token>:api_token`, the X-Next-ID /
X-Next-Row-Number paging headers, a year at most per request, and 401 / 402 / 429 answers
when the token is wrong or the test asks for them. What it was sent is recorded."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tests.utils.net import free_port, serve

TOKEN = "fake0toggl0token0aa11bb22cc33dd44"  # made up: the only token the fake accepts
USER_ID = 6_000_001
WORKSPACE_ID = 777
PAGE_SIZE = 50


@dataclass
class FakeToggl:
    url: str = ""
    # One report row per entry: id, start, stop (ISO with offset, None while running), names.
    entries: list[dict[str, Any]] = field(default_factory=list)
    answer: int | None = None  # answer the report search with this status (402, 429, 500)
    searches: list[dict[str, Any]] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)  # every Authorization header seen

    def reset(self) -> None:
        url = self.url
        self.__init__()  # type: ignore[misc]
        self.url = url

    def add(self, entry_id: int, start: datetime, stop: datetime | None, **names: Any) -> None:
        self.entries.append({"id": entry_id, "start": start, "stop": stop, "user_id": USER_ID, **names})

    def authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        self.credentials.append(header)
        expected = "Basic " + base64.b64encode(f"{TOKEN}:api_token".encode()).decode()
        return header == expected

    def rows(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        first, last = date.fromisoformat(body["start_date"]), date.fromisoformat(body["end_date"])
        users = set(body.get("user_ids") or [USER_ID])
        chosen = [e for e in self.entries if first <= e["start"].date() <= last and e["user_id"] in users]
        return [_row(e, n) for n, e in enumerate(sorted(chosen, key=lambda e: (e["start"], e["id"])), start=1)]


def _row(entry: dict[str, Any], number: int) -> dict[str, Any]:
    stop: datetime | None = entry["stop"]
    seconds = int((stop - entry["start"]).total_seconds()) if stop else -1
    return {
        "user_id": entry["user_id"],
        "username": "Ann Example",
        "project_id": 1 if entry.get("project_name") else None,
        "project_name": entry.get("project_name"),
        "client_name": entry.get("client_name"),
        "task_name": entry.get("task_name"),
        "description": entry.get("description", ""),
        "tag_names": entry.get("tag_names", []),
        "billable": False,
        "row_number": number,
        "time_entries": [
            {
                "id": entry["id"],
                "seconds": seconds,
                "start": entry["start"].isoformat(),
                "stop": stop.isoformat() if stop else None,
                "at": entry["start"].isoformat(),
            }
        ],
    }


def app_for(fake: FakeToggl) -> FastAPI:
    app = FastAPI()

    @app.get("/api/v9/me")
    def me(request: Request) -> Response:
        if not fake.authorized(request):
            return PlainTextResponse("Incorrect username and/or password", status_code=401)
        return JSONResponse(
            {"id": USER_ID, "email": "ann@example.com", "default_workspace_id": WORKSPACE_ID, "timezone": "UTC"}
        )

    @app.post("/reports/api/v3/workspace/{workspace_id}/search/time_entries")
    async def search(workspace_id: int, request: Request) -> Response:
        if not fake.authorized(request):
            return PlainTextResponse("Incorrect username and/or password", status_code=401)
        if workspace_id != WORKSPACE_ID:
            return JSONResponse("User does not have access to this resource.", status_code=403)
        body = await request.json()
        fake.searches.append(body)
        if fake.answer == 429:
            return PlainTextResponse("Too many requests", status_code=429, headers={"Retry-After": "7"})
        if fake.answer is not None:
            return JSONResponse("Quota exceeded", status_code=fake.answer)
        first, last = date.fromisoformat(body["start_date"]), date.fromisoformat(body["end_date"])
        if last - first >= timedelta(days=366):
            return JSONResponse("Maximum allowed date range is 1 year", status_code=400)
        rows = fake.rows(body)
        start = int(body.get("first_row_number") or 1)
        if body.get("first_id") is not None and rows[start - 1]["time_entries"][0]["id"] != body["first_id"]:
            return JSONResponse("first_id does not match first_row_number", status_code=400)
        size = min(int(body.get("page_size") or PAGE_SIZE), PAGE_SIZE)
        page = rows[start - 1 : start - 1 + size]
        headers = {}
        if start - 1 + size < len(rows):
            following = rows[start - 1 + size]
            headers = {"X-Next-ID": str(following["time_entries"][0]["id"]), "X-Next-Row-Number": str(start + size)}
        return JSONResponse(page, headers=headers)

    return app


@contextmanager
def running_fake_toggl() -> Iterator[FakeToggl]:
    fake = FakeToggl()
    with serve(app_for(fake), free_port()) as url:
        fake.url = url
        yield fake

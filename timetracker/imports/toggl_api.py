"""A person's Toggl Track entries read from Toggl's Reports API v3, with their API token.

GET /api/v9/me says who the token is (and their default workspace); then
POST /reports/api/v3/workspace/{id}/search/time_entries is asked for that person's entries
(`user_ids`, so an admin's token does not bring in their colleagues' time), a year at most
per request as Toggl allows, page by page: each answer's X-Next-ID and X-Next-Row-Number
headers are sent back as `first_id` and `first_row_number` until an answer has none.

The token goes to Toggl in HTTP Basic auth (`<token>:api_token`) for this one import and is
never stored, logged, or put in an error: what Toggl answers is turned into fixed messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from timetracker.config import Settings
from timetracker.errors import InvalidInput, RateLimited, Unavailable
from timetracker.imports.entries import FIRST_DAY, LAST_DAY, Parsed, entry, span_problem

ME = "/api/v9/me"
SEARCH = "/reports/api/v3/workspace/{workspace_id}/search/time_entries"
PAGE_SIZE = 50  # the most Toggl sends per page
LONGEST_REQUEST = timedelta(days=365)  # Toggl answers at most a year per request
LONGEST_RANGE = timedelta(days=10 * 366)  # one import asks Toggl at most ten times
USER_AGENT = "time-tracker import"


@dataclass(frozen=True)
class TogglRequest:
    token: str
    first_day: date
    last_day: date
    workspace_id: int | None = None  # None: the token's default workspace


def entries(settings: Settings, request: TogglRequest) -> Parsed:
    if request.last_day < request.first_day:
        raise InvalidInput("the last day must not be before the first")
    if not FIRST_DAY <= request.first_day <= request.last_day <= LAST_DAY:
        raise InvalidInput(f"the days must be between {FIRST_DAY} and {LAST_DAY}")
    if request.last_day - request.first_day >= LONGEST_RANGE:
        raise InvalidInput("import at most ten years at a time")
    # HTTP Basic carries what a token is made of (letters and digits); anything else is no token.
    if not request.token.strip() or not request.token.isascii() or not request.token.isprintable():
        raise InvalidInput("a Toggl API token is needed (Toggl: Profile settings > API Token)")
    parsed = Parsed()
    with httpx.Client(
        base_url=settings.toggl_api_url,
        auth=(request.token.strip(), "api_token"),
        timeout=settings.toggl_timeout_seconds,
        headers={"User-Agent": USER_AGENT},
    ) as client:
        me = _answer(client, "GET", ME)
        workspace_id = request.workspace_id or me.get("default_workspace_id")
        if not isinstance(workspace_id, int) or not isinstance(me.get("id"), int):
            raise Unavailable("Toggl's answer about this account could not be read", code="toggl_unavailable")
        for first, last in _years(request.first_day, request.last_day):
            for row in _rows(client, workspace_id, me["id"], first, last):
                _add(parsed, row)
                if len(parsed.entries) > settings.import_max_entries:
                    most = settings.import_max_entries
                    raise InvalidInput(f"these days hold more than {most} Toggl entries; import fewer days at a time")
    return parsed


def _years(first_day: date, last_day: date) -> Iterator[tuple[date, date]]:
    while first_day <= last_day:
        last = min(last_day, first_day + LONGEST_REQUEST - timedelta(days=1))
        yield first_day, last
        first_day = last + timedelta(days=1)


def _rows(client: httpx.Client, workspace_id: int, user_id: int, first: date, last: date) -> Iterator[dict[str, Any]]:
    body: dict[str, Any] = {
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "user_ids": [user_id],
        "page_size": PAGE_SIZE,
        "enrich_response": True,  # names (project, client, task, tags), not only their ids
        "order_by": "date",
        "order_dir": "ASC",
    }
    seen: set[tuple[str, str]] = set()
    while True:
        response = _send(client, "POST", SEARCH.format(workspace_id=workspace_id), json=body)
        page = _json(response)
        if not isinstance(page, list):
            raise Unavailable("Toggl's report could not be read", code="toggl_unavailable")
        yield from (row for row in page if isinstance(row, dict))
        cursor = (response.headers.get("X-Next-ID", ""), response.headers.get("X-Next-Row-Number", ""))
        if not cursor[1]:
            return
        if not all(part.isdigit() for part in cursor if part) or cursor in seen or not page:
            raise Unavailable("Toggl's report pages did not add up; try again", code="toggl_unavailable")
        seen.add(cursor)
        if cursor[0]:
            body["first_id"] = int(cursor[0])
        body["first_row_number"] = int(cursor[1])


def _add(parsed: Parsed, row: dict[str, Any]) -> None:
    """One report row's entries (a row groups the entries of one description and project)."""
    names = {
        "project": row.get("project_name"),
        "client": row.get("client_name"),
        "task": row.get("task_name"),
        "description": row.get("description"),
        "tags": ", ".join(str(tag) for tag in row.get("tag_names") or []),
    }
    kept = {name: value if isinstance(value, str) else "" for name, value in names.items()}
    for item in row.get("time_entries") or []:
        started_at, ended_at = _instant(item.get("start")), _instant(item.get("stop"))
        # A running entry (no stop yet) and one Toggl lets run past a day cannot be stored.
        if started_at is None or ended_at is None or ended_at <= started_at or span_problem(started_at, ended_at):
            parsed.invalid += 1
            continue
        parsed.entries.append(entry("toggl", started_at, ended_at, **kept))


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None or not FIRST_DAY <= moment.astimezone(UTC).date() <= LAST_DAY:
            return None
    except (ValueError, OverflowError):
        return None
    return moment


def _answer(client: httpx.Client, method: str, path: str) -> dict[str, Any]:
    answer = _json(_send(client, method, path))
    if not isinstance(answer, dict):
        raise Unavailable("Toggl's answer about this account could not be read", code="toggl_unavailable")
    return answer


def _send(client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        response = client.request(method, path, **kwargs)
    except httpx.HTTPError as error:
        raise Unavailable(f"Toggl could not be reached ({type(error).__name__})", code="toggl_unavailable") from None
    status = response.status_code
    if status in (401, 403):
        raise InvalidInput(
            "Toggl did not accept this API token (Toggl: Profile settings > API Token), or it may not read this"
            " workspace",
            code="toggl_token_refused",
        )
    if status == 402:
        raise InvalidInput(
            "Toggl refused the report for this workspace's plan (or its hourly quota is used up); try later, or"
            " import a CSV export",
            code="toggl_plan_refused",
        )
    if status == 404:
        raise InvalidInput("Toggl has no such workspace for this token", code="toggl_workspace_not_found")
    if status == 429:
        wait = response.headers.get("Retry-After") or response.headers.get("X-Toggl-Quota-Resets-In") or ""
        raise RateLimited("Toggl asks to slow down; try again later", retry_after=int(wait) if wait.isdigit() else 60)
    if status == 400:
        raise InvalidInput("Toggl refused these dates or this workspace", code="toggl_request_refused")
    if status != 200:
        raise Unavailable(f"Toggl answered {status}; try again later", code="toggl_unavailable")
    return response


def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        raise Unavailable("Toggl's answer is not JSON", code="toggl_unavailable") from None

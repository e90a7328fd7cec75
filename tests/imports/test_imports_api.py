"""POST /api/v1/imports over real HTTP: a Toggl Track or Clockify export, or Toggl's API (a
fake on loopback), imported once, previewed without a write, refused whole with the line
named; and the imported time on GET /api/v1/time, counted once with the other sources."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.imports.fake_toggl import TOKEN, USER_ID, FakeToggl
from tests.imports.samples import sample
from tests.utils import recorded_time as rec
from tests.utils.users import TestUser
from timetracker import paths
from timetracker.runtime import Runtime

CSV = "text/csv"


def send(
    http: httpx.Client, person: TestUser, file_format: str, data: bytes | None = None, **form: str
) -> httpx.Response:
    files = {"file": ("export.csv", data, CSV)} if data is not None else None
    return http.post(paths.IMPORTS, data={"format": file_format, **form}, files=files, headers=person.headers)


def stored(runtime: Runtime, person: TestUser) -> list[dict[str, Any]]:
    with runtime.db.as_user(person.principal.db_claims) as conn:
        return conn.execute(
            "select origin, started_at, ended_at, project, client, description from imported_entries"
            " order by started_at"
        ).fetchall()


def test_an_export_is_imported_once(http: httpx.Client, runtime: Runtime, alice: TestUser) -> None:
    first = send(http, alice, "toggl_csv", sample("toggl_detailed.csv"), timezone="Europe/Berlin")
    assert first.status_code == 201, first.text
    assert first.json() == {"created": 4, "duplicate": 0, "invalid": 1}
    again = send(http, alice, "toggl_csv", sample("toggl_detailed.csv"), timezone="Europe/Berlin")
    assert again.status_code == 201, again.text
    assert again.json() == {"created": 0, "duplicate": 4, "invalid": 1}
    rows = stored(runtime, alice)
    assert len(rows) == 4
    assert rows[0] == {
        "origin": "toggl",
        "started_at": datetime(2026, 3, 16, 8, 5, tzinfo=UTC),
        "ended_at": datetime(2026, 3, 16, 10, 35, tzinfo=UTC),
        "project": "Website relaunch",
        "client": "Acme Corp",
        "description": "Homepage copy, second pass",
    }


def test_a_dry_run_previews_and_writes_nothing(http: httpx.Client, runtime: Runtime, alice: TestUser) -> None:
    preview = send(http, alice, "toggl_csv", sample("toggl_detailed.csv"), timezone="Europe/Berlin", dry_run="true")
    assert preview.status_code == 200, preview.text
    assert preview.json() == {
        "rows": 4,
        "new": 4,
        "duplicate": 0,
        "invalid": 1,
        "first_start": "2026-03-16T08:05:00Z",
        "last_end": "2026-03-16T23:45:00Z",
        "seconds": 5 * 3600 + 10 * 60 + 30,
        "projects": [
            {"name": "Website relaunch", "entries": 3, "seconds": 4 * 3600},
            {"name": "Internal", "entries": 1, "seconds": 3600 + 10 * 60 + 30},
        ],
    }
    assert stored(runtime, alice) == []
    assert send(http, alice, "toggl_csv", sample("toggl_detailed.csv"), timezone="Europe/Berlin").status_code == 201
    again = send(http, alice, "toggl_csv", sample("toggl_detailed.csv"), timezone="Europe/Berlin", dry_run="true")
    assert (again.json()["new"], again.json()["duplicate"]) == (0, 4)


def test_the_files_times_are_read_in_the_persons_timezone_unless_one_is_named(
    http: httpx.Client, runtime: Runtime, alice: TestUser, bob: TestUser
) -> None:
    assert http.put("/api/v1/profile", json={"timezone": "America/New_York"}, headers=alice.headers).status_code == 200
    assert send(http, alice, "clockify_csv", sample("clockify_detailed_us.csv")).status_code == 201
    assert stored(runtime, alice)[0]["started_at"] == datetime(2026, 9, 15, 18, tzinfo=UTC)  # 2 PM in New York
    assert send(http, bob, "clockify_csv", sample("clockify_detailed_us.csv"), timezone="UTC").status_code == 201
    assert stored(runtime, bob)[0]["started_at"] == datetime(2026, 9, 15, 14, tzinfo=UTC)


def test_a_malformed_line_is_named_and_nothing_is_imported(
    http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    response = send(http, alice, "toggl_csv", sample("toggl_malformed.csv"))
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_file",
        "message": "line 7: End time is not a time ('noon'). Nothing was imported.",
        "details": [{"line": 7, "message": "End time is not a time ('noon')"}],
    }
    assert stored(runtime, alice) == []


@pytest.mark.parametrize(
    ("form", "data", "message"),
    [
        ({"format": "toggl_csv"}, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 3: this is not a text (CSV) file"),
        ({"format": "clockify_csv"}, b"Project,Start Date\n\xff\xfe", "line 2: this is not UTF-8 text"),
        ({"format": "toggl_csv"}, None, "toggl_csv needs the exported file"),
        ({"format": "toggl_csv", "timezone": "Mars/Olympus"}, b"x", "timezone"),
        ({"format": "toggl_api", "api_token": "x"}, None, "toggl_api needs api_token, start and end"),
        ({"format": "harvest_csv"}, b"x", "The request is invalid"),
        (
            {"format": "toggl_api", "api_token": "x", "start": "0001-01-01", "end": "9999-12-31"},
            None,
            "the days must be between",
        ),
        (
            {"format": "toggl_api", "api_token": "x", "start": "2000-01-01", "end": "2026-01-01"},
            None,
            "at most ten years",
        ),
        (
            {"format": "toggl_api", "api_token": "tök\u2028en", "start": "2026-01-01", "end": "2026-01-02"},
            None,
            "a Toggl API token is needed",
        ),
    ],
    ids=[
        "binary",
        "not utf-8",
        "no file",
        "no such zone",
        "no days",
        "unknown format",
        "days out of range",
        "decades",
        "no token",
    ],
)
def test_a_clients_mistake_is_a_4xx(
    http: httpx.Client, alice: TestUser, form: dict[str, str], data: bytes | None, message: str
) -> None:
    files = {"file": ("export.csv", data, CSV)} if data is not None else None
    response = http.post(paths.IMPORTS, data=form, files=files, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert message in response.json()["message"]


def test_a_file_over_the_limit_is_refused(
    http: httpx.Client, runtime: Runtime, alice: TestUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.settings, "import_max_bytes", 200)
    response = send(http, alice, "toggl_csv", sample("toggl_detailed.csv"))
    assert response.status_code == 422
    assert response.json()["message"] == "the file is larger than 200 bytes; export fewer days at a time"
    huge = send(http, alice, "toggl_csv", b"x" * (runtime.settings.max_body_bytes + 1))
    assert huge.status_code == 413


def test_imported_time_is_counted_once_with_the_timer(http: httpx.Client, alice: TestUser) -> None:
    day = datetime.now(UTC).date() - timedelta(days=3)
    at = datetime(day.year, day.month, day.day, tzinfo=UTC)
    rec.press(http, alice, (at + timedelta(hours=10), "NEXT"), (at + timedelta(hours=12), "EXIT"))
    header = sample("toggl_detailed.csv").splitlines()[0].decode()
    row = f"Ann,ann@example.com,,Apollo,,Design review,No,{day},09:00:00,{day},11:00:00,02:00:00,,"
    assert send(http, alice, "toggl_csv", f"{header}\n{row}\n".encode(), timezone="UTC").status_code == 201

    response = http.get(
        "/api/v1/time", params={"start": day, "end": day, "include": "intervals"}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    # Two hours each, 09:00-12:00 counted once: imported time first (what the person wrote
    # down), the timer's after it.
    [shown] = body["days"]
    assert (shown["by_source"]["imported"], shown["by_source"]["timer"]) == (2 * 3600, 2 * 3600)
    assert body["tracked_seconds"] == 3 * 3600
    attributed = [(s["start"][11:16], s["end"][11:16], s["source"], s["label"]) for s in body["segments"]]
    assert attributed == [("09:00", "11:00", "imported", "Apollo"), ("11:00", "12:00", "timer", attributed[1][3])]
    imported = [piece for piece in body["intervals"] if piece["source"] == "imported"]
    assert [(p["label"], p["start"][11:16], p["end"][11:16]) for p in imported] == [("Apollo", "09:00", "11:00")]


# -- Toggl's API


def from_toggl(http: httpx.Client, person: TestUser, first: date, last: date, **form: str) -> httpx.Response:
    fields = {"format": "toggl_api", "api_token": TOKEN, "start": first.isoformat(), "end": last.isoformat(), **form}
    return http.post(paths.IMPORTS, data=fields, headers=person.headers)


def test_toggl_entries_are_read_page_by_page(
    http: httpx.Client, runtime: Runtime, alice: TestUser, toggl: FakeToggl
) -> None:
    monday = datetime(2026, 2, 2, 9, tzinfo=UTC)
    for n in range(120):
        start = monday + timedelta(days=n // 4, hours=2 * (n % 4))
        toggl.add(1000 + n, start, start + timedelta(minutes=90), project_name="Apollo", description=f"task {n}")
    toggl.add(2000, monday + timedelta(days=40), None, description="still running")
    toggl.entries.append({**toggl.entries[0], "id": 3000, "user_id": USER_ID + 1})  # a colleague's

    preview = from_toggl(http, alice, date(2026, 2, 1), date(2026, 3, 31), dry_run="true")
    assert preview.status_code == 200, preview.text
    assert (preview.json()["rows"], preview.json()["new"], preview.json()["invalid"]) == (120, 120, 1)
    assert stored(runtime, alice) == []
    answer = from_toggl(http, alice, date(2026, 2, 1), date(2026, 3, 31))
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"created": 120, "duplicate": 0, "invalid": 1}
    # Three pages each time, the second and third asked for by the headers of the one before.
    pages = [(s.get("first_id"), s.get("first_row_number")) for s in toggl.searches]
    assert pages == [(None, None), (1050, 51), (1100, 101)] * 2
    assert {tuple(s["user_ids"]) for s in toggl.searches} == {(USER_ID,)}
    rows = stored(runtime, alice)
    assert (rows[0]["project"], rows[0]["description"], rows[0]["started_at"]) == ("Apollo", "task 0", monday)
    assert from_toggl(http, alice, date(2026, 2, 1), date(2026, 3, 31)).json()["duplicate"] == 120


def test_the_same_entries_from_the_export_and_from_the_api_are_stored_once(
    http: httpx.Client, runtime: Runtime, alice: TestUser, toggl: FakeToggl
) -> None:
    start = datetime(2026, 3, 16, 8, 5, tzinfo=UTC)
    toggl.add(1, start, start + timedelta(hours=2, minutes=30), project_name="Website relaunch",
              description="Homepage copy, second pass")  # fmt: skip
    assert send(http, alice, "toggl_csv", sample("toggl_detailed.csv"), timezone="Europe/Berlin").status_code == 201
    assert from_toggl(http, alice, date(2026, 3, 1), date(2026, 3, 31)).json()["duplicate"] == 1


def test_more_than_a_year_is_asked_for_a_year_at_a_time(http: httpx.Client, alice: TestUser, toggl: FakeToggl) -> None:
    toggl.add(1, datetime(2025, 6, 1, 9, tzinfo=UTC), datetime(2025, 6, 1, 10, tzinfo=UTC))
    answer = from_toggl(http, alice, date(2024, 1, 1), date(2026, 6, 30))
    assert answer.status_code == 201, answer.text
    assert answer.json()["created"] == 1
    assert [(s["start_date"], s["end_date"]) for s in toggl.searches] == [
        ("2024-01-01", "2024-12-30"),
        ("2024-12-31", "2025-12-30"),
        ("2025-12-31", "2026-06-30"),
    ]


def test_a_wrong_token_is_a_clear_4xx_that_never_repeats_it(
    http: httpx.Client,
    alice: TestUser,
    toggl: FakeToggl,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    access_log: list[str],
) -> None:
    wrong = "wrong0token0that0must0not0leak0"
    caplog.set_level(logging.DEBUG)
    response = from_toggl(http, alice, date(2026, 3, 1), date(2026, 3, 31), api_token=wrong)
    assert response.status_code == 422
    assert response.json()["error"] == "toggl_token_refused"
    assert "Toggl did not accept this API token" in response.json()["message"]
    captured = capfd.readouterr()
    for text in (response.text, caplog.text, captured.out, captured.err, *access_log):
        assert wrong not in text
    assert toggl.credentials  # it was sent to Toggl, and only there


@pytest.mark.parametrize(
    ("status", "answered", "error"),
    [(402, 422, "toggl_plan_refused"), (429, 429, "rate_limited"), (500, 503, "toggl_unavailable")],
)
def test_toggls_refusals_are_answered_plainly(
    http: httpx.Client, alice: TestUser, toggl: FakeToggl, status: int, answered: int, error: str
) -> None:
    toggl.answer = status
    response = from_toggl(http, alice, date(2026, 3, 1), date(2026, 3, 31))
    assert response.status_code == answered
    assert response.json()["error"] == error
    if status == 429:
        assert response.headers["Retry-After"] == "7"


def test_a_workspace_the_token_cannot_read_is_a_4xx(http: httpx.Client, alice: TestUser, toggl: FakeToggl) -> None:
    response = from_toggl(http, alice, date(2026, 3, 1), date(2026, 3, 31), workspace_id="12345")
    assert response.status_code == 422
    assert response.json()["error"] == "toggl_token_refused"


def test_a_rule_names_imported_time_by_the_other_trackers_project(http: httpx.Client, alice: TestUser) -> None:
    created = http.post("/api/v1/projects", json={"name": "Relaunch"}, headers=alice.headers)
    assert created.status_code == 201, created.text
    rule = {"project_id": created.json()["id"], "source": "imported", "field": "project", "pattern": "Website relaunch"}
    assert http.post("/api/v1/project-rules", json=rule, headers=alice.headers).status_code == 201
    assert send(http, alice, "toggl_csv", sample("toggl_detailed.csv"), timezone="Europe/Berlin").status_code == 201

    response = http.get("/api/v1/time", params={"start": "2026-03-16", "end": "2026-03-16"}, headers=alice.headers)
    assert response.status_code == 200, response.text
    named = {(s["label"], s["project"]) for s in response.json()["segments"]}
    assert named == {("Website relaunch", "Relaunch"), ("Internal", "unassigned")}


def test_odd_toggl_entries_are_left_out_or_cleaned_not_a_500(
    http: httpx.Client, runtime: Runtime, alice: TestUser, toggl: FakeToggl
) -> None:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    toggl.add(1, start, start + timedelta(hours=1), description="nul\x00inside", project_name="x" * 500)
    toggl.add(2, start + timedelta(hours=2), start + timedelta(hours=30), description="over a day")
    answer = from_toggl(http, alice, date(2026, 3, 1), date(2026, 3, 31))
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"created": 1, "duplicate": 0, "invalid": 1}
    [row] = stored(runtime, alice)
    assert (row["description"], len(row["project"])) == ("nulinside", 200)

"""The Projects page, and time by project on My time and the Team page, driven with AppTest.

Alice's day is the counted-once day (see tests/api/test_counted_once_day), sent through the
real API. Firefox is in front 10:00-10:40 in not-AFK time; WakaTime's apollo takes
10:30-10:40 of it, so Firefox's counted-once time is 0:30 and its own time 0:40.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from components.project_views import team_projects_csv
from tests.api.test_counted_once_day import DAY, record_the_day
from tests.ui.conftest import show_dates, table
from tests.utils.downloads import record_downloads
from tests.utils.projects import project, rule, team_with_office
from tests.utils.users import TestUser
from timetracker.reports import team_time
from timetracker.runtime import Runtime

PROJECTS_PAGE = "components/projects.py"
MY_TIME_PAGE = "components/my_time.py"
TEAM_PAGE = "components/team.py"


def open_projects(at: AppTest) -> AppTest:
    at.switch_page(PROJECTS_PAGE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Projects"
    return at


def button(at: AppTest, label: str) -> AppTest:
    [found] = [b for b in at.button if b.label == label]
    found.click().run()
    assert not at.exception, at.exception
    return at


def markdown(at: AppTest) -> str:
    return " ".join(block.value for block in at.markdown)


@pytest.fixture
def worker(http: httpx.Client, alice: TestUser) -> TestUser:
    record_the_day(http, alice)
    return alice


def test_a_person_adds_a_project_and_a_rule_after_seeing_its_preview(
    dashboard: Callable[[TestUser], AppTest], worker: TestUser
) -> None:
    at = open_projects(dashboard(worker))
    assert any("No projects yet" in caption.value for caption in at.caption)
    at.text_input(key="new_project_name").set_value("Research")
    at.color_picker(key="new_project_colour").set_value("#e45756")
    button(at, "Add project")
    assert table(at, "project").to_dict("records") == [{"project": "Research", "colour": "#e45756", "archived": False}]

    # A draft whose regex cannot run says so and cannot be added.
    at.selectbox(key="rule_source").set_value("activitywatch").run()
    at.selectbox(key="rule_field").set_value("app").run()
    at.selectbox(key="rule_match").set_value("regex").run()
    at.text_input(key="rule_pattern").set_value("(?<=Fire)fox").run()
    assert any("lookaround" in error.value for error in at.error)
    assert not [b for b in at.button if b.label == "Add rule"]

    # A good one: the preview shows what it reaches before anything is stored.
    at.text_input(key="rule_pattern").set_value("^fire").run()
    at.checkbox(key="rule_ignore_case").check().run()
    assert "matches **0:40** of your 2:30 of ActivityWatch time" in markdown(at)
    assert table(at, "app").to_dict("records") == [{"app": "Firefox", "time": "0:40"}]
    button(at, "Add rule")
    rules = table(at, "when").to_dict("records")
    assert rules == [
        {
            "order": 1,
            "source": "ActivityWatch",
            "when": "app matches the regex",
            "pattern": "^fire (any case)",
            "and": "",
            "project": "Research",
        }
    ]

    # A pattern changed in place is checked like a new one.
    chosen = at.selectbox(key="rule_to_change").value
    at.text_input(key=f"edit_pattern:{chosen}").set_value("fire(").run()
    button(at, "Save pattern")
    assert any("missing )" in error.value for error in at.error)
    assert table(at, "when")["pattern"].tolist() == ["^fire (any case)"]

    # My time, totalled by project: Firefox's counted-once half hour is Research's.
    at.switch_page(MY_TIME_PAGE).run()
    show_dates(at, DAY, DAY)
    at.segmented_control(key="group_by").set_value("project").run()
    assert not at.exception, at.exception
    totals = table(at, "all dates").to_dict("records")
    assert totals == [
        {"project": "unassigned", "all dates": "9:00"},
        {"project": "Research", "all dates": "0:30"},
        {"project": "Total", "all dates": "9:30"},
    ]


def test_the_csv_of_my_time_names_each_pieces_project(
    dashboard: Callable[[TestUser], AppTest],
    http: httpx.Client,
    worker: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    research = project(http, worker, "Research")
    rule(http, worker, research, "activitywatch", "app", "Firefox")
    given = record_downloads(monkeypatch)
    show_dates(dashboard(worker), DAY, DAY)
    _, data = next((name, data) for name, data in reversed(given) if name and name.startswith("time-"))
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert {(row["label"], row["project"]) for row in rows if row["source"] == "activitywatch"} == {
        ("Code", "unassigned"),
        ("Firefox", "Research"),
        ("active", "unassigned"),
    }
    assert {row["project"] for row in rows if row["source"] != "activitywatch"} == {"unassigned"}


def test_a_member_reads_the_teams_projects_but_cannot_change_them(
    dashboard: Callable[[TestUser], AppTest],
    http: httpx.Client,
    runtime: Runtime,
    alice: TestUser,
    user_factory: Callable[..., TestUser],
) -> None:
    team_id, _ = team_with_office(http, runtime.db, user_factory("carol"), alice)
    at = open_projects(dashboard(alice))
    at.selectbox(key="project_scope").set_value(str(team_id)).run()
    assert table(at, "project").to_dict("records") == [{"project": "Office", "colour": "#54a24b", "archived": False}]
    assert table(at, "when")["project"].tolist() == ["Office"]
    assert any("owners and admins manage" in caption.value for caption in at.caption)
    assert not [b for b in at.button if b.label in ("Add project", "Add rule", "Delete", "Archive")]


def test_the_team_page_breaks_the_teams_time_down_by_project(
    dashboard: Callable[[TestUser], AppTest],
    http: httpx.Client,
    runtime: Runtime,
    worker: TestUser,
    user_factory: Callable[..., TestUser],
) -> None:
    carol = user_factory("carol")
    team_id, _ = team_with_office(http, runtime.db, carol, worker)
    at = dashboard(carol)
    at.switch_page(TEAM_PAGE).run()
    at.date_input(key="team_dates").set_value((DAY, DAY)).run()
    assert not at.exception, at.exception
    # Office's tag: 09:00-17:00 less what better sources and the Apollo tag took (5:30).
    assert table(at, "share").to_dict("records") == [
        {"project": "Office", "time": "5:30", "share": "58%"},
        {"project": "unassigned", "time": "4:00", "share": "42%"},
        {"project": "Total", "time": "9:30", "share": "100%"},
    ]

    # The CSV the By project tab offers (made when clicked): one row per member, day and project.
    times = team_time.team_time(runtime.db, carol.principal, team_id, DAY, DAY, ZoneInfo("UTC"))
    labels = {item.member.user_id: item.member.display_name for item in times}
    rows = list(csv.DictReader(io.StringIO(team_projects_csv(times, labels))))
    assert [(row["user_id"], row["day"], row["project"], row["seconds"], row["duration"]) for row in rows] == [
        (str(worker.id), DAY.isoformat(), "Office", "19800", "5:30"),
        (str(worker.id), DAY.isoformat(), "unassigned", "14400", "4:00"),
    ]

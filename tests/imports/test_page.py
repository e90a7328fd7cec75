"""The import panel of the Integrations page, driven with Streamlit's AppTest: a file or
Toggl's API (a fake on loopback) previewed, then imported on Confirm."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.imports.fake_toggl import TOKEN, FakeToggl
from tests.imports.samples import sample
from tests.utils.users import TestUser
from timetracker.runtime import Runtime

PAGE = "components/integrations.py"


def integrations(dashboard: Callable[[TestUser], AppTest], user: TestUser) -> AppTest:
    at = dashboard(user)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def ran(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def imported(runtime: Runtime, person: TestUser) -> list[dict[str, Any]]:
    with runtime.db.as_user(person.principal.db_claims) as conn:
        return conn.execute("select project, started_at from imported_entries order by started_at").fetchall()


def preview_file(at: AppTest, data: bytes, zone: str = "Europe/Berlin") -> AppTest:
    at.file_uploader(key="import_file_toggl_csv").set_value(("export.csv", data, "text/csv"))
    ran(at.selectbox(key="import_timezone").set_value(zone).run())
    return ran(at.button(key="import_preview_file").click().run())


def test_a_file_is_previewed_then_imported_on_confirm(
    dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser
) -> None:
    at = preview_file(integrations(dashboard, alice), sample("toggl_detailed.csv"))
    assert metrics(at) == {"Entries to import": "4", "Already imported (skipped)": "0"}
    assert imported(runtime, alice) == []  # a preview writes nothing
    assert "Website relaunch" in at.dataframe[0].value["project"].tolist()

    ran(at.button(key="import_confirm").click().run())
    assert [toast.value for toast in at.toast] == ["Imported 4 entries (0 already there)"]
    assert imported(runtime, alice)[0] == {
        "project": "Website relaunch",
        "started_at": datetime(2026, 3, 16, 8, 5, tzinfo=UTC),
    }

    at = preview_file(at, sample("toggl_detailed.csv"))
    assert metrics(at) == {"Entries to import": "0", "Already imported (skipped)": "4"}
    assert at.button(key="import_confirm").disabled


def test_a_malformed_file_names_its_line(
    dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser
) -> None:
    at = preview_file(integrations(dashboard, alice), sample("toggl_malformed.csv"))
    assert [error.value for error in at.error] == ["line 7: End time is not a time ('noon'). Nothing was imported."]
    assert not at.metric
    assert imported(runtime, alice) == []


def test_toggl_entries_are_read_with_a_token_that_is_not_kept_for_confirm(
    dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser, dashboard_toggl: FakeToggl
) -> None:
    today = datetime.now(UTC).date()
    start = datetime(today.year, today.month, today.day, 9, tzinfo=UTC) - timedelta(days=2)
    dashboard_toggl.add(1, start, start + timedelta(hours=1), project_name="Apollo")
    at = integrations(dashboard, alice)
    ran(at.radio(key="import_format").set_value("toggl_api").run())
    at.text_input(key="import_toggl_token").input(TOKEN)
    at.date_input(key="import_toggl_days").set_value((today - timedelta(days=7), today))
    ran(at.button(key="FormSubmitter:import_toggl-Preview").click().run())
    assert metrics(at) == {"Entries to import": "1", "Already imported (skipped)": "0"}
    # What waits for Confirm is the entries read, not the token (the browser clears its field).
    assert TOKEN not in repr(at.session_state["import_pending"])

    ran(at.button(key="import_confirm").click().run())
    assert imported(runtime, alice) == [{"project": "Apollo", "started_at": start}]
    assert [search["start_date"] for search in dashboard_toggl.searches] == [str(today - timedelta(days=7))]


def test_a_wrong_token_is_said_plainly(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, dashboard_toggl: FakeToggl
) -> None:
    at = integrations(dashboard, alice)
    ran(at.radio(key="import_format").set_value("toggl_api").run())
    at.text_input(key="import_toggl_token").input("not-the-token")
    ran(at.button(key="FormSubmitter:import_toggl-Preview").click().run())
    assert next(error.value for error in at.error).startswith("Toggl did not accept this API token")
    assert not any("not-the-token" in error.value for error in at.error)


def test_imported_time_can_be_removed(
    dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser
) -> None:
    at = preview_file(integrations(dashboard, alice), sample("toggl_detailed.csv"))
    ran(at.button(key="import_confirm").click().run())
    ran(at.checkbox(key="import_remove_sure").check().run())
    ran(at.button(key="import_remove").click().run())
    assert imported(runtime, alice) == []
    assert "Removed 4 entries of imported time" in [toast.value for toast in at.toast]

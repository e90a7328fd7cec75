"""The dashboard's ActivityWatch parts through Streamlit's AppTest: the admin page (summary,
generator downloads, linking), a member's claim, and the panel on My time."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from tests.activitywatch.aw_data import BASE, bucket, event
from tests.activitywatch.conftest import AwTeam
from tests.ui.conftest import dashboard, show_dates, table  # noqa: F401 (dashboard is a fixture)
from tests.utils.users import TestUser
from timetracker.activitywatch import batch, ingest, team
from timetracker.activitywatch.developer_tokens import TokenKeys
from timetracker.runtime import Runtime

PAGE = "components/activitywatch_team.py"


def open_page(dashboard: Callable[[TestUser], AppTest], user: TestUser) -> AppTest:  # noqa: F811
    at = dashboard(user)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def downloads(at: AppTest) -> dict[str, str]:
    buttons = [element for element in at.get("download_button")]
    return {b.proto.label.removeprefix("Download "): b.proto.url for b in buttons}


def test_admin_generates_a_package_and_sees_the_summary(
    dashboard: Callable[[TestUser], AppTest],  # noqa: F811
    runtime: Runtime,
    aw_team: AwTeam,
) -> None:
    at = open_page(dashboard, aw_team.owner)
    assert "No ActivityWatch data" in " ".join(i.value for i in at.info)
    at.text_input(key="aw_name").input("Member Person")
    at.text_input(key="aw_email").input(aw_team.member.email)
    at.button(key="FormSubmitter:aw_generate-Generate config").click().run()
    assert not at.exception, at.exception
    files = downloads(at)
    assert sorted(files) == sorted(
        f"{aw_team.developer_id}{suffix}" for suffix in ("_config.toml", "_info.json", "_instructions.txt")
    )
    package = at.session_state["aw_package"]
    config = tomllib.loads(package.files[f"{aw_team.developer_id}_config.toml"])
    assert TokenKeys.from_settings(runtime.settings).verify(aw_team.developer_id, config["server"]["token"]) is not None

    # The summary covers this week: ten minutes ending a minute ago.
    ten_minutes_ago = (datetime.now(UTC) - timedelta(minutes=11) - BASE).total_seconds()
    received = batch.read(bucket("afkstatus", [event(ten_minutes_ago, 600, status="not-afk")]))
    received.record(
        ingest.store(
            runtime.db, ingest.Sender(team_id=aw_team.team_id, developer_id=aw_team.developer_id), received.rows
        )
    )
    at.run()
    summary = table(at, "active this week")
    assert list(summary["developer"]) == ["Member Person"]
    assert list(summary["active this week"]) == ["0:10"]

    at.selectbox(key="aw_link_member").set_value(str(aw_team.member.id))
    at.button(key="FormSubmitter:aw_link-Link").click().run()
    assert not at.exception, at.exception
    assert team.developers(runtime.db, aw_team.owner.principal, aw_team.team_id)[0]["user_id"] == aw_team.member.id


def test_member_claims_an_id_generated_for_their_email(
    dashboard: Callable[[TestUser], AppTest],  # noqa: F811
    runtime: Runtime,
    aw_team: AwTeam,
) -> None:
    team.register(runtime.db, aw_team.owner.principal, aw_team.team_id, "Member Person", aw_team.member.email)
    at = open_page(dashboard, aw_team.member)
    assert at.get("download_button") == [] and not any(f.key == "aw_generate" for f in at.get("form"))
    at.text_input(key="aw_claim_id").input("someone_else_0123abcd")
    at.button(key="FormSubmitter:aw_claim-Claim").click().run()
    assert "no unclaimed developer id" in " ".join(e.value for e in at.error)
    at.text_input(key="aw_claim_id").input(aw_team.developer_id)
    at.button(key="FormSubmitter:aw_claim-Claim").click().run()
    assert [t.value for t in at.toast] == [f"{aw_team.developer_id} is now yours"]


def test_my_time_shows_the_activitywatch_panel(
    dashboard: Callable[[TestUser], AppTest],  # noqa: F811
    runtime: Runtime,
    alice: TestUser,
) -> None:
    body = [
        bucket("afkstatus", [event(0, 3600, status="not-afk"), event(3600, 600, status="afk")]),
        bucket("currentwindow", [event(0, 1800, app="Code", title="main.py")]),
    ]
    received = batch.read(body)
    received.record(ingest.store(runtime.db, ingest.Sender(principal=alice.principal), received.rows))
    at = show_dates(dashboard(alice), BASE.date(), BASE.date())
    assert "ActivityWatch" in [h.value for h in at.subheader]
    apps = table(at, "app")
    assert apps.iloc[0]["app"] == "Code" and apps.iloc[0]["time"] == "0:30"

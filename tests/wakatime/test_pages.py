"""The Integrations page and the coding-time panel of My time, driven with Streamlit's AppTest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from components.auth_state import runtime as dashboard_runtime
from tests.utils.apps import RunningApp
from tests.utils.users import TestUser
from tests.wakatime.fake_wakatime import FakeWakaTime, durations_of, summary
from tests.wakatime.oauth_trip import connect, raw_connection, to_callback
from tests.wakatime.plugins import BULK_URL, basic, beat
from timetracker import credentials, profiles
from timetracker.runtime import Runtime
from timetracker.wakatime import connect as connect_outcome

PAGE = "components/integrations.py"
DAY = date(2026, 3, 2)


def integrations(dashboard: Callable[[TestUser], AppTest], user: TestUser) -> AppTest:
    at = dashboard(user)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Integrations"
    return at


@pytest.fixture
def dashboard_uses_fake(fake: FakeWakaTime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the dashboard's (cached) runtime settings at the fake WakaTime for one test."""
    settings = dashboard_runtime().settings
    for name, value in fake.settings().items():
        monkeypatch.setattr(settings, name, value)
    yield


def test_without_wakatime_configured_the_page_says_so_and_plugins_still_work(
    dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser
) -> None:
    at = integrations(dashboard, alice)
    assert any("not set up on this server" in info.value for info in at.info)
    assert any(info.value.startswith("No WakaTime key yet") for info in at.info)

    at.button(key="wakatime_new_key").click().run()
    assert not at.exception, at.exception
    [config] = [code.value for code in at.code if code.value.startswith("[settings]") and "<your" not in code.value]
    lines = dict(line.split(" = ", 1) for line in config.splitlines()[1:])
    assert lines["api_url"].endswith("/api/compat/wakatime/v1")
    key = lines["api_key"]
    with runtime.db.as_service() as conn:
        row = conn.execute("select * from internal.heartbeat_key_owner(%s)", (credentials.digest(key),)).fetchone()
    assert row is not None and row["owner_id"] == alice.id

    at.button(key="dismiss:wakatime_key:cfg").click().run()
    assert not [code.value for code in at.code if key in code.value]  # shown once
    assert any(key[-4:] in md.value for md in at.markdown)


def test_the_timeout_is_saved(dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser) -> None:
    at = integrations(dashboard, alice)
    at.number_input(key="heartbeat_timeout_minutes").set_value(25)
    at.button(key="FormSubmitter:heartbeat_timeout-Save timeout").click().run()
    assert not at.exception, at.exception
    with runtime.db.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select timeout_minutes from heartbeat_settings").fetchone()["timeout_minutes"] == 25


def test_connect_import_and_disconnect_from_the_page(
    dashboard: Callable[[TestUser], AppTest],
    dashboard_uses_fake: None,
    waka_http: httpx.Client,
    waka_app: RunningApp,
    fake: FakeWakaTime,
    alice: TestUser,
) -> None:
    at = integrations(dashboard, alice)
    at.button(key="wakatime_connect").click().run()
    assert not at.exception, at.exception
    [link] = [button.proto.url for button in at.get("link_button")]
    assert link.startswith(f"{dashboard_runtime().settings.api_base_url}/integrations/wakatime/authorize?state=")
    state = httpx.URL(link).params["state"]
    assert connect(waka_http, waka_app, alice, state)["wakatime"] == "connected"

    at = integrations(dashboard, alice)
    assert any("Connected as WakaTime user" in s.value for s in at.success)
    fake.durations[DAY] = durations_of(datetime(2026, 3, 2, 9, tzinfo=UTC), (0, 30, "apollo", "Python"))
    fake.summaries[DAY] = summary(DAY, projects={"apollo": 1800})
    fake.outside_history.add(date(2026, 3, 1))
    at.date_input(key="wakatime_import_days").set_value((date(2026, 3, 1), DAY)).run()
    at.button(key="wakatime_import").click().run()
    assert not at.exception, at.exception
    assert any("Imported 1 days" in s.value for s in at.success)
    assert any("2026-03-01 skipped" in w.value for w in at.warning)

    at.button(key="wakatime_disconnect").click().run()
    assert not at.exception, at.exception
    assert raw_connection(waka_app, alice) is None
    assert fake.grants[-1].revoked


def test_the_callback_outcome_is_shown_in_our_words_only(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser
) -> None:
    at = dashboard(alice)
    at.query_params["wakatime"] = "error"
    at.query_params["reason"] = "expired"
    at.query_params["message"] = "[Reconnect here](https://evil.example)"  # a crafted link's own words
    at.switch_page(PAGE).run()
    assert [e.value for e in at.error] == [connect_outcome.message_for("expired")]
    assert not any("evil" in element.value for element in [*at.error, *at.markdown, *at.info])


def landing(dashboard: Callable[[TestUser], AppTest], user: TestUser, back: dict[str, str]) -> AppTest:
    """The Integrations page opened by the callback's redirect, in `user`'s logged-in browser."""
    at = dashboard(user)
    for name in ("wakatime", "code", "state"):
        at.query_params[name] = back[name]
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_the_page_finishes_the_trip_only_for_the_person_who_started_it(
    dashboard: Callable[[TestUser], AppTest],
    dashboard_uses_fake: None,
    waka_http: httpx.Client,
    waka_app: RunningApp,
    fake: FakeWakaTime,
    alice: TestUser,
    bob: TestUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One deployment: the dashboard names the API WakaTime calls back, so the redirect_uri matches.
    monkeypatch.setattr(dashboard_runtime().settings, "public_api_url", waka_app.settings.public_api_url)
    # Alice's link, approved and brought back in Bob's browser: Bob's page refuses it.
    back = to_callback(waka_http, waka_app, alice)
    at = landing(dashboard, bob, back)
    assert [e.value for e in at.error] == [connect_outcome.message_for("wrong_account")]
    assert raw_connection(waka_app, alice) is None and raw_connection(waka_app, bob) is None

    # The same trip back in Alice's own browser connects her, and the code leaves the address bar.
    at = landing(dashboard, alice, back)
    assert connect_outcome.message_for("connected") in [s.value for s in at.success], [e.value for e in at.error]
    assert raw_connection(waka_app, alice) is not None
    assert "code" not in at.query_params


def test_my_time_shows_coding_time_by_project_language_and_editor(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, runtime: Runtime, alice: TestUser
) -> None:
    from tests.wakatime.plugins import new_key

    profiles.update(runtime.db, alice.principal, timezone="Europe/Berlin")
    key = new_key(http, alice)
    now = datetime.now(UTC)
    items = [beat(now.timestamp() - 600), beat(now.timestamp() - 300), beat(now.timestamp() - 60)]
    assert http.post(BULK_URL, json=items, headers=basic(key)).status_code == 201
    at = dashboard(alice)
    assert not at.exception, at.exception
    assert any(h.value == "Coding time" for h in at.subheader)
    specs = " ".join(chart.proto.spec for chart in at.get("plotly_chart"))
    assert "Coding hours per day by project" in specs and "apollo" in specs
    assert "Coding hours per day by editor" in specs and "vscode" in specs


def test_a_revoked_grant_asks_to_reconnect(
    dashboard: Callable[[TestUser], AppTest],
    dashboard_uses_fake: None,
    waka_http: httpx.Client,
    waka_app: RunningApp,
    fake: FakeWakaTime,
    alice: TestUser,
) -> None:
    connect(waka_http, waka_app, alice)
    fake.revoke_everything()
    waka_http.post("/api/v1/wakatime/import", json={"start": str(DAY), "end": str(DAY)}, headers=alice.headers)
    at = integrations(dashboard, alice)
    assert any("Connect again" in w.value for w in at.warning)
    assert at.button(key="wakatime_import").disabled
    at.button(key="wakatime_connect").click().run()
    assert [b.proto.label for b in at.get("link_button")] == ["Continue to WakaTime →"]

"""My time as a person reads it: the summary row in their timezone, totals per label, the CSV of the pieces."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import charts_json, show_dates, table
from tests.utils.devices import BASE_TIME, TestDevice, device_event, post_batch, register_device
from tests.utils.downloads import record_downloads
from tests.utils.users import TestUser
from timetracker import profiles
from timetracker.runtime import Runtime

APOLLO, OFFICE = "dd 54 2a 83", "04 a2 19 7f"
# India is UTC+5:30: 22:30-01:15 local crosses the local midnight but not the UTC one.
LATE = (datetime(2025, 4, 11, 17, 0, tzinfo=UTC), datetime(2025, 4, 11, 19, 45, tzinfo=UTC))
MORNING = (datetime(2025, 4, 12, 3, 30, tzinfo=UTC), datetime(2025, 4, 12, 4, 20, tzinfo=UTC))
APR_11, APR_12 = date(2025, 4, 11), date(2025, 4, 12)


def stay(device: TestDevice, tag_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """A tag put on the reader at `start` and taken off at `end`."""
    return [
        device_event(device.device_id, (start - BASE_TIME).total_seconds(), tag_id=tag_id),
        device_event(device.device_id, (end - BASE_TIME).total_seconds(), tag_id=tag_id, event_type="tag_removed"),
    ]


@pytest.fixture
def kolkata_day(http: httpx.Client, runtime: Runtime, alice: TestUser) -> TestDevice:
    """Alice in Asia/Kolkata: Apollo 22:30-01:15 over her midnight, then Office 09:00-09:50."""
    profiles.update(runtime.db, alice.principal, timezone="Asia/Kolkata")
    device = register_device(http, alice)
    http.put("/api/v1/tags", json={"labels": {APOLLO: "Apollo", OFFICE: "Office"}}, headers=alice.headers)
    answer = post_batch(http, device, stay(device, APOLLO, *LATE) + stay(device, OFFICE, *MORNING))
    assert answer.status_code == 200, answer.text
    return device


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_summary_row_and_totals_are_cut_at_the_viewers_midnight(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, kolkata_day: TestDevice
) -> None:
    at = show_dates(dashboard(alice), APR_12, APR_12)
    # 00:00-01:15 of Apollo and 09:00-09:50 of Office; in UTC the 12th would hold only 0:50.
    shown = metrics(at)
    assert shown["These dates"] == "2:05"
    assert shown["NFC"] == "2:05"
    assert table(at, "that day").to_dict("records") == [
        {"label": "Apollo", "source": "NFC", "that day": "1:15"},
        {"label": "Office", "source": "NFC", "that day": "0:50"},
        {"label": "Total", "source": "", "that day": "2:05"},
    ]

    show_dates(at, APR_11, APR_12)
    assert metrics(at)["These dates"] == "3:35"
    assert at.selectbox(key="totals_day").options == ["Fri 2025-04-11", "Sat 2025-04-12"]
    at.selectbox(key="totals_day").set_value(APR_11).run()
    assert table(at, "that day").to_dict("records") == [
        {"label": "Apollo", "source": "NFC", "that day": "1:30"},
        {"label": "Total", "source": "", "that day": "1:30"},
    ]
    assert table(at, "all dates").to_dict("records") == [
        {"label": "Apollo", "source": "NFC", "all dates": "2:45"},
        {"label": "Office", "source": "NFC", "all dates": "0:50"},
        {"label": "Total", "source": "", "all dates": "3:35"},
    ]


def test_timeline_has_a_counted_once_lane_by_label_and_each_sources_own_lane(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, kolkata_day: TestDevice
) -> None:
    at = show_dates(dashboard(alice), APR_11, APR_12)
    [timeline] = [chart for chart in at.get("plotly_chart") if chart.proto.id and "timeline" in chart.proto.id]
    traces = json.loads(timeline.proto.spec)["data"]
    bars = [trace for trace in traces if trace["type"] == "bar"]
    assert sorted(trace["name"] for trace in bars) == ["Apollo", "NFC", "Office"]
    assert len({trace["marker"]["color"] for trace in bars}) == 3
    assert all(not trace.get("text") for trace in bars)
    lanes = {trace["name"]: set(trace["y"]) for trace in bars}
    assert lanes["Apollo"] == {"Fri 2025-04-11 · counted once", "Sat 2025-04-12 · counted once"}
    assert lanes["NFC"] == {"Fri 2025-04-11 · NFC", "Sat 2025-04-12 · NFC"}
    assert "Hours per day, counted once" in charts_json(at)


@pytest.fixture
def files_given_to_the_browser(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, bytes]]:
    return record_downloads(monkeypatch)


def test_csv_download_holds_every_piece_in_local_time(
    dashboard: Callable[[TestUser], AppTest],
    alice: TestUser,
    kolkata_day: TestDevice,
    files_given_to_the_browser: list[tuple[str | None, bytes]],
) -> None:
    at = show_dates(dashboard(alice), APR_11, APR_12)
    assert at.get("download_button")[0].proto.label == "Download these dates as CSV"
    name, data = files_given_to_the_browser[-1]
    assert name == f"time-{alice.email.split('@')[0]}-2025-04-11-to-2025-04-12.csv"
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [(row["day"], row["label"], row["start"], row["end"], row["duration"], row["seconds"]) for row in rows] == [
        ("2025-04-11", "Apollo", "2025-04-11T22:30:00+05:30", "2025-04-12T00:00:00+05:30", "1:30", "5400"),
        ("2025-04-12", "Apollo", "2025-04-12T00:00:00+05:30", "2025-04-12T01:15:00+05:30", "1:15", "4500"),
        ("2025-04-12", "Office", "2025-04-12T09:00:00+05:30", "2025-04-12T09:50:00+05:30", "0:50", "3000"),
    ]
    assert {row["source"] for row in rows} == {"nfc"} and {row["status"] for row in rows} == {"closed"}
    assert {row["person"] for row in rows} == {alice.email}


def test_an_unlabelled_tag_is_pointed_out(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, http: httpx.Client
) -> None:
    device = register_device(http, alice)
    post_batch(http, device, stay(device, "aa bb cc dd", *MORNING))
    at = show_dates(dashboard(alice), APR_12, APR_12)
    assert any("aa bb cc dd" in caption.value and "Devices" in caption.value for caption in at.caption)


def test_empty_state_links_to_where_recording_starts(dashboard: Callable[[TestUser], AppTest], alice: TestUser) -> None:
    at = dashboard(alice)
    assert at.info[0].value.startswith("No time recorded in these dates yet")
    links = [link.proto.page for link in at.get("page_link")]
    assert links == ["devices", "webhook_test", "integrations"]
    assert len(at.metric) == 0

"""Corrections as people make and read them on the dashboard: time added by hand and stretches
excluded on My time (form, list, change, delete), each kind of "Needs a look" item fixed in
place, what a team lead reads of a member's corrections (My time and Team), and the Profile
settings that decide how time is counted.

Time comes in through the real API (a reader's NFC events) or the core (corrections made as
the person); every expected total is worked out by hand in the test's docstring or comments.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, Widget

from components.corrections_views import ENDED_BY_HAND, EXCLUDED_BY_HAND
from tests.ui.conftest import show_dates, table
from tests.utils.devices import record_stays
from tests.utils.projects import project
from tests.utils.recorded_time import label_tags, reader, tag_events
from tests.utils.teams import team_of
from tests.utils.users import TestUser
from timetracker import corrections, profiles
from timetracker.runtime import Runtime

APOLLO = "dd 54 2a 83"
# A Wednesday in a week of fixed days (Mon 04-07 to Sun 04-13); everyone here is on UTC.
WED, THU = date(2025, 4, 9), date(2025, 4, 10)
ADD_ENTRY = "FormSubmitter:add_entry-Add time"
ADD_EXCLUSION = "FormSubmitter:add_exclusion-Exclude"


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture
def on_utc(runtime: Runtime, alice: TestUser, bob: TestUser) -> None:
    for person in (alice, bob):
        profiles.update(runtime.db, person.principal, timezone="UTC")


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def toasts(at: AppTest) -> list[str]:
    return [toast.value for toast in at.toast]


def captions(at: AppTest) -> str:
    return "\n".join(caption.value for caption in at.caption)


def markdown(at: AppTest) -> list[str]:
    return [block.value for block in at.markdown]


def labelled(widgets: Any, label: str) -> Widget:
    """The first widget of a kind (at.time_input, ...) with `label`: several items share a label, keys differ."""
    return next(widget for widget in widgets if widget.label == label)


def button(at: AppTest, label: str) -> Button:
    return next(found for found in at.button if found.label == label)


def keyed(widgets: Any, prefix: str) -> Widget:
    """The widget whose key starts with `prefix` (the change forms' keys end with the item's id)."""
    [found] = [widget for widget in widgets if widget.key and widget.key.startswith(prefix)]
    return found


def listed(at: AppTest, kind: str) -> pd.DataFrame:
    """The list of entries added by hand (they have a label) or of exclusions."""
    return next(
        frame.value
        for frame in at.dataframe
        if "length" in frame.value.columns and ("label" in frame.value.columns) == (kind == "entry")
    )


def ran(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    assert not at.error, [error.value for error in at.error]
    return at


def my_time(dashboard: Callable[[TestUser], AppTest], user: TestUser, first: date, last: date) -> AppTest:
    return show_dates(dashboard(user), first, last)


def timeline(at: AppTest) -> dict[str, Any]:
    [chart] = [chart for chart in at.get("plotly_chart") if chart.proto.id and "timeline" in chart.proto.id]
    return json.loads(chart.proto.spec)


def clock(bases: list[str]) -> list[str]:
    """A timeline's bar starts (instants on its fixed clock day) as HH:MM."""
    return [f"{datetime.fromisoformat(base):%H:%M}" for base in bases]


def numbers(encoded: dict[str, str] | list[float]) -> list[float]:
    """A figure's numbers as plotly writes them: a list, or a typed array in base64."""
    if isinstance(encoded, list):
        return encoded
    return np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=encoded["dtype"]).tolist()


def forgotten_tag(http: httpx.Client, user: TestUser, *events: tuple[datetime, str]) -> None:
    """`user`'s reader sends these (instant, tag_insert | tag_removed) events of the Apollo tag."""
    label_tags(http, user, {APOLLO: "Apollo"})
    tag_events(http, reader(http, user), *((at, kind, APOLLO) for at, kind in events))


def test_time_added_by_hand_counts_and_can_be_changed_and_deleted(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    """Apollo's tag 09:00-11:00; Review added by hand 10:00-12:30 overlaps it for an hour, so
    tracked is 09:00-12:30 = 3:30, 1:30 more than the tag alone. By hand comes first in the
    default order: 10:00-12:30 goes to Review (2:30), 09:00-10:00 to Apollo (1:00)."""
    record_stays(http, alice, APOLLO, "Apollo", (utc(WED, 9), utc(WED, 11)))
    at = my_time(dashboard, alice, WED, WED)
    assert metrics(at)["These dates"] == "2:00"
    assert "Days you corrected" not in captions(at)

    keyed(at.date_input, "add_entry_day:").set_value(WED)
    keyed(at.time_input, "add_entry_start:").set_value(time(10, 0))
    keyed(at.time_input, "add_entry_end:").set_value(time(12, 30))
    keyed(at.text_input, "add_entry_label:").input("Review")
    keyed(at.text_input, "add_entry_note:").input("design review with Bob")
    ran(at.button(key=ADD_ENTRY).click().run())
    assert toasts(at) == ["Added 2:30 of Review on Wed 2025-04-09"]
    shown = metrics(at)
    assert (shown["These dates"], shown["By hand"], shown["NFC"]) == ("3:30", "2:30", "2:00")
    assert table(at, "that day").to_dict("records") == [
        {"label": "Review", "source": "By hand", "that day": "2:30"},
        {"label": "Apollo", "source": "NFC", "that day": "1:00"},
        {"label": "Total", "source": "", "that day": "3:30"},
    ]
    assert table(at, "note").to_dict("records") == [
        {
            "day": "Wed 2025-04-09",
            "from": "10:00",
            "to": "12:30",
            "length": "2:30",
            "label": "Review",
            "note": "design review with Bob",
        }
    ]
    assert "Wed 2025-04-09 +1:30." in captions(at)
    # The form is empty again for the next one; the day's row on the timeline carries the mark.
    assert keyed(at.text_input, "add_entry_label:").value == ""
    assert keyed(at.time_input, "add_entry_start:").value is None
    assert "Wed 2025-04-09 ✎ +1:30 · counted once" in timeline(at)["layout"]["yaxis"]["ticktext"]
    assert at.selectbox(key="totals_day").options == ["Wed 2025-04-09 ✎ +1:30"]

    # Moved to 11:00-12:00 and renamed: tracked 09:00-12:00 (3:00), Apollo keeps its two hours.
    keyed(at.get("date_time_input"), "change_entry_from:").set_value(datetime(2025, 4, 9, 11, 0))
    keyed(at.get("date_time_input"), "change_entry_to:").set_value(datetime(2025, 4, 9, 12, 0))
    keyed(at.text_input, "change_entry_label:").input("Design")
    ran(at.button(key="FormSubmitter:change_entry_form-Save changes").click().run())
    assert toasts(at) == ["Saved the entry of Wed 04-09 11:00"]
    assert metrics(at)["These dates"] == "3:00"
    assert table(at, "note")[["from", "to", "label", "note"]].to_dict("records") == [
        {"from": "11:00", "to": "12:00", "label": "Design", "note": "design review with Bob"}
    ]
    assert table(at, "that day")["that day"].tolist() == ["2:00", "1:00", "3:00"]

    ran(button(at, "Yes, delete the entry").click().run())
    assert toasts(at) == ["Deleted the entry of Wed 04-09 11:00"]
    assert metrics(at)["These dates"] == "2:00"
    assert "No time added by hand in these dates." in captions(at)
    # The day was still corrected (and put back): it stays marked, with no change left.
    assert "Wed 2025-04-09 0:00." in captions(at)


def test_an_excluded_stretch_counts_for_no_source_and_is_drawn_greyed(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    """Apollo's tag 09:00-17:00 (8:00); lunch 12:00-13:00 excluded leaves 7:00, in the total
    and in NFC's own time; the NFC lane still shows all it saw."""
    record_stays(http, alice, APOLLO, "Apollo", (utc(WED, 9), utc(WED, 17)))
    at = my_time(dashboard, alice, WED, WED)
    keyed(at.date_input, "add_exclusion_day:").set_value(WED)
    keyed(at.time_input, "add_exclusion_start:").set_value(time(12, 0))
    keyed(at.time_input, "add_exclusion_end:").set_value(time(13, 0))
    keyed(at.text_input, "add_exclusion_reason:").input("lunch")
    ran(at.button(key=ADD_EXCLUSION).click().run())
    assert toasts(at) == ["Excluded 12:00–13:00 on Wed 2025-04-09"]
    assert metrics(at)["These dates"] == "7:00" and metrics(at)["NFC"] == "7:00"
    assert table(at, "reason").to_dict("records") == [
        {"day": "Wed 2025-04-09", "from": "12:00", "to": "13:00", "length": "1:00", "reason": "lunch"}
    ]
    assert "Wed 2025-04-09 -1:00." in captions(at)

    traces = {trace["name"]: trace for trace in timeline(at)["data"] if trace["type"] == "bar"}
    greyed = traces["excluded"]
    assert greyed["y"] == ["Wed 2025-04-09 · counted once"]
    assert clock(greyed["base"]) == ["12:00"] and greyed["x"] == [3_600_000]
    assert greyed["marker"]["pattern"]["shape"] == "/"
    # Apollo's counted-once bars go round the lunch hour; the tag's own lane runs 09:00-17:00.
    assert sorted(clock(traces["Apollo"]["base"])) == ["09:00", "13:00"]
    assert clock(traces["NFC"]["base"]) == ["09:00"] and numbers(traces["NFC"]["x"]) == [8 * 3_600_000]

    # Lunch was only half an hour: 7:30.
    keyed(at.get("date_time_input"), "change_exclusion_to:").set_value(datetime(2025, 4, 9, 12, 30))
    ran(at.button(key="FormSubmitter:change_exclusion_form-Save changes").click().run())
    assert metrics(at)["These dates"] == "7:30"
    assert table(at, "reason")[["to", "length"]].to_dict("records") == [{"to": "12:30", "length": "0:30"}]

    ran(button(at, "Yes, delete the exclusion").click().run())
    assert metrics(at)["These dates"] == "8:00"
    assert "Nothing excluded in these dates." in captions(at)


def test_a_night_added_by_hand_ends_on_the_next_day(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, on_utc: None
) -> None:
    """22:00 to 01:00 is a night: 2:00 on Wednesday, 1:00 on Thursday."""
    at = my_time(dashboard, alice, WED, THU)
    keyed(at.date_input, "add_entry_day:").set_value(WED)
    keyed(at.time_input, "add_entry_start:").set_value(time(22, 0))
    keyed(at.time_input, "add_entry_end:").set_value(time(1, 0))
    keyed(at.text_input, "add_entry_label:").input("Launch")
    ran(at.button(key=ADD_ENTRY).click().run())
    assert metrics(at)["These dates"] == "3:00"
    assert table(at, "note")[["day", "from", "to", "length"]].to_dict("records") == [
        {"day": "Wed 2025-04-09", "from": "22:00", "to": "Thu 04-10 01:00", "length": "3:00"}
    ]
    assert "Wed 2025-04-09 +2:00, Thu 2025-04-10 +1:00." in captions(at)


def test_a_form_with_a_missing_time_or_label_says_so_and_saves_nothing(
    dashboard: Callable[[TestUser], AppTest], runtime: Runtime, alice: TestUser, on_utc: None
) -> None:
    at = my_time(dashboard, alice, WED, WED)
    keyed(at.time_input, "add_entry_start:").set_value(time(9, 0))
    at.button(key=ADD_ENTRY).click().run()
    assert [error.value for error in at.error] == ["Give a start and an end."]
    keyed(at.time_input, "add_entry_end:").set_value(time(10, 0))
    at.button(key=ADD_ENTRY).click().run()
    assert [error.value for error in at.error] == ["label must not be empty"]
    assert corrections.listed(runtime.db, alice.principal, "entry", WED, WED, ZoneInfo("UTC")) == []


def test_a_capped_tag_is_ended_where_the_person_says_and_leaves_the_list(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, runtime: Runtime, alice: TestUser, on_utc: None
) -> None:
    """Apollo in at 09:00 and never taken out: it counts up to the 12-hour cap (21:00). Ended at
    17:00, it counts 8:00: the rest is an exclusion, and no device event is made up."""
    forgotten_tag(http, alice, (utc(WED, 9), "tag_insert"))
    at = my_time(dashboard, alice, WED, WED)
    assert metrics(at)["These dates"] == "12:00"
    assert "**Apollo** · Wed 2025-04-09 09:00–21:00" in markdown(at)
    assert "**Capped**: a tag left in a reader with no removal counts for at most 12 hours" in captions(at)
    assert "Profile page" in captions(at)

    labelled(at.time_input, "Ended at").set_value(time(17, 0))
    ran(button(at, "Save the end").click().run())
    assert toasts(at) == ["Apollo ended at Wed 04-09 17:00; the rest is excluded"]
    assert metrics(at)["These dates"] == "8:00"
    assert not [header for header in at.subheader if header.value == "Needs a look"]
    assert table(at, "reason")[["from", "to", "reason"]].to_dict("records") == [
        {"from": "17:00", "to": "21:00", "reason": ENDED_BY_HAND}
    ]
    assert "Wed 2025-04-09 -4:00." in captions(at)
    with runtime.db.as_user(alice.principal.db_claims) as conn:
        assert conn.execute("select count(*) as n from device_events").fetchone()["n"] == 1


def test_an_end_outside_the_interval_is_refused(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    forgotten_tag(http, alice, (utc(WED, 9), "tag_insert"))
    at = my_time(dashboard, alice, WED, WED)
    labelled(at.time_input, "Ended at").set_value(time(8, 0))
    button(at, "Save the end").click().run()
    assert [error.value for error in at.error] == ["Pick a time after Wed 04-09 09:00 and before Wed 04-09 21:00."]
    assert metrics(at)["These dates"] == "12:00"


def test_a_second_insert_before_a_removal_can_be_excluded_whole(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    """In at 09:00, in again at 10:00, out at 11:00: 09:00-10:00 is a missing removal, 10:00-11:00
    a stay. Excluding the first leaves 1:00."""
    forgotten_tag(http, alice, (utc(WED, 9), "tag_insert"), (utc(WED, 10), "tag_insert"), (utc(WED, 11), "tag_removed"))
    at = my_time(dashboard, alice, WED, WED)
    assert metrics(at)["These dates"] == "2:00"
    assert "**Apollo** · Wed 2025-04-09 09:00–10:00" in markdown(at)
    ran(button(at, "Exclude it").click().run())
    assert toasts(at) == ["Excluded Apollo from Wed 04-09 09:00"]
    assert metrics(at)["These dates"] == "1:00"
    assert table(at, "reason")[["from", "to", "reason"]].to_dict("records") == [
        {"from": "09:00", "to": "10:00", "reason": EXCLUDED_BY_HAND}
    ]
    assert not [header for header in at.subheader if header.value == "Needs a look"]


def test_a_second_insert_before_a_removal_can_be_ended_earlier(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    """The same missing removal ended at 09:20: 0:20 of it and the 10:00-11:00 stay count (1:20)."""
    forgotten_tag(http, alice, (utc(WED, 9), "tag_insert"), (utc(WED, 10), "tag_insert"), (utc(WED, 11), "tag_removed"))
    at = my_time(dashboard, alice, WED, WED)
    labelled(at.time_input, "Ended at").set_value(time(9, 20))
    ran(button(at, "Save the end").click().run())
    assert metrics(at)["These dates"] == "1:20"
    assert not [header for header in at.subheader if header.value == "Needs a look"]


def test_a_removal_with_no_insert_gets_its_stay_added_by_hand(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    """Apollo taken out at 15:00, its insert never arrived: nothing counts until the stay is
    added by hand from 14:00 (1:00, labelled Apollo like the tag)."""
    forgotten_tag(http, alice, (utc(WED, 15), "tag_removed"))
    at = my_time(dashboard, alice, WED, WED)
    assert metrics(at)["These dates"] == "0:00"
    assert "**Apollo** · Wed 2025-04-09 15:00" in markdown(at)
    assert [trace for trace in timeline(at)["data"] if trace.get("name") == "needs a look"]

    labelled(at.time_input, "Started at").set_value(time(14, 0))
    ran(button(at, "Add the stay").click().run())
    assert toasts(at) == ["Added Apollo from Wed 04-09 14:00 by hand"]
    assert metrics(at)["These dates"] == "1:00" and metrics(at)["By hand"] == "1:00"
    assert table(at, "note")[["from", "to", "label", "note"]].to_dict("records") == [
        {"from": "14:00", "to": "15:00", "label": "Apollo", "note": "the reader missed the insert"}
    ]
    assert not [header for header in at.subheader if header.value == "Needs a look"]
    assert not [trace for trace in timeline(at)["data"] if trace.get("name") == "needs a look"]


def test_a_tag_still_in_the_reader_is_ended_and_stops_counting(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    """In three hours ago and still in: it counts up to now. Ended an hour after it went in, it
    counts that hour, and keeps counting only that (the exclusion runs to its 12-hour cap)."""
    start = (datetime.now(UTC) - timedelta(hours=3)).replace(second=0, microsecond=0)
    start -= timedelta(minutes=start.minute % 5)
    forgotten_tag(http, alice, (start, "tag_insert"))
    at = my_time(dashboard, alice, start.date(), datetime.now(UTC).date())
    assert "still running" in captions(at)
    ended = start + timedelta(hours=1)
    keyed(at.date_input, "open@").set_value(ended.date())
    keyed(at.time_input, "open@").set_value(ended.time())
    ran(button(at, "Save the end").click().run())
    assert metrics(at)["These dates"] == "1:00"
    assert table(at, "reason")["reason"].tolist() == [ENDED_BY_HAND]
    assert not [header for header in at.subheader if header.value == "Needs a look"]


@pytest.fixture
def bobs_corrected_wednesday(runtime: Runtime, http: httpx.Client, alice: TestUser, bob: TestUser, on_utc: None) -> str:
    """Alice owns a team Bob joined. Bob's Wednesday: Apollo 09:00-11:00, coffee 10:00-10:30
    excluded, Review 13:00-14:00 added by hand: tracked 2:30, half an hour more than his
    reader alone. Thursday: a tag in at 09:00 and never out, capped at 21:00 (12:00).
    Gives Bob's display name."""
    team_of(runtime.db, alice, "Apollo Crew", (bob, "member"))
    record_stays(http, bob, APOLLO, "Apollo", (utc(WED, 9), utc(WED, 11)))
    tag_events(http, reader(http, bob, "Hall"), (utc(THU, 9), "tag_insert", APOLLO))
    corrections.add(runtime.db, bob.principal, "exclusion", utc(WED, 10), utc(WED, 10, 30), "coffee")
    corrections.add(runtime.db, bob.principal, "entry", utc(WED, 13), utc(WED, 14), "secret plan", label="Review")
    return profiles.get(runtime.db, bob.principal)["display_name"]


def test_a_lead_reads_a_members_corrections_but_not_their_notes_and_cannot_change_them(
    dashboard: Callable[[TestUser], AppTest],
    runtime: Runtime,
    alice: TestUser,
    bob: TestUser,
    bobs_corrected_wednesday: str,
) -> None:
    at = dashboard(alice)
    at.selectbox(key="whose_time").set_value(str(bob.id))
    show_dates(at, WED, THU)
    assert metrics(at)["These dates"] == "14:30"
    assert "Days they corrected" in captions(at) and "Wed 2025-04-09 +0:30." in captions(at)
    assert listed(at, "entry").to_dict("records") == [
        {"day": "Wed 2025-04-09", "from": "13:00", "to": "14:00", "length": "1:00", "label": "Review"}
    ]
    assert listed(at, "exclusion").to_dict("records") == [
        {"day": "Wed 2025-04-09", "from": "10:00", "to": "10:30", "length": "0:30"}
    ]
    assert "Their notes and reasons are private" in captions(at)
    # What needs a look is listed, with no way to fix it; no form anywhere.
    assert "**Apollo** · Thu 2025-04-10 09:00–21:00" in markdown(at)
    assert "Only they can fix it." in captions(at)
    assert not at.time_input and not at.get("date_time_input")
    assert not [found.key for found in at.button if found.key and "FormSubmitter" in found.key]
    page_text = json.dumps([frame.value.to_dict("records") for frame in at.dataframe], default=str) + captions(at)
    assert "secret plan" not in page_text and "coffee" not in page_text

    profiles.update(runtime.db, bob.principal, share_notes=True)
    at.run()
    assert table(at, "note")["note"].tolist() == ["secret plan"]
    assert table(at, "reason")["reason"].tolist() == ["coffee"]
    assert "private" not in captions(at)


def test_the_team_page_marks_the_days_a_member_corrected_and_by_how_much(
    dashboard: Callable[[TestUser], AppTest], alice: TestUser, bob: TestUser, bobs_corrected_wednesday: str
) -> None:
    at = dashboard(alice)
    at.switch_page("components/team.py").run()
    at.date_input(key="team_dates").set_value((date(2025, 4, 7), date(2025, 4, 13))).run()
    ran(at)
    hours = table(at, "member").set_index("member")
    assert hours.loc[bobs_corrected_wednesday, "Wed 04-09"] == "2:30 ✎"
    assert hours.loc[bobs_corrected_wednesday, "Thu 04-10"] == "12:00"
    assert hours.loc[bobs_corrected_wednesday, "total"] == "14:30"
    assert table(at, "by corrections").to_dict("records") == [
        {"member": bobs_corrected_wednesday, "day": "Wed 04-09", "tracked": "2:30", "by corrections": "+0:30"}
    ]
    heatmap = next(
        json.loads(chart.proto.spec)["data"][0] for chart in at.get("plotly_chart") if "team_heatmap" in chart.proto.id
    )
    bob_row = heatmap["y"].index(bobs_corrected_wednesday)
    assert heatmap["text"][bob_row][2] == "2:30 ✎"
    assert heatmap["customdata"][bob_row][2] == "2:30 tracked, +0:30 by corrections"
    page_text = json.dumps([frame.value.to_dict("records") for frame in at.dataframe], default=str) + captions(at)
    assert "secret plan" not in page_text and "coffee" not in page_text


def open_profile(at: AppTest) -> AppTest:
    return ran(at.switch_page("components/profile.py").run())


def test_the_order_of_sources_decides_whose_label_a_shared_second_gets(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, runtime: Runtime, alice: TestUser, on_utc: None
) -> None:
    """Apollo's tag 09:00-11:00 and Review added by hand 10:00-11:00: by hand first gives the
    shared hour to Review; NFC above it gives all of 09:00-11:00 to Apollo. Tracked stays 2:00."""
    record_stays(http, alice, APOLLO, "Apollo", (utc(WED, 9), utc(WED, 11)))
    corrections.add(runtime.db, alice.principal, "entry", utc(WED, 10), utc(WED, 11), "", label="Review")
    at = open_profile(dashboard(alice))
    assert at.button(key="source_up:manual").disabled and at.button(key="source_down:nfc").disabled
    assert "source_order_default" not in [found.key for found in at.button]

    for _ in range(5):
        ran(at.button(key="source_up:nfc").click().run())
    assert toasts(at) == ["NFC moved up"]
    assert profiles.get(runtime.db, alice.principal)["source_precedence"] == [
        "nfc",
        "manual",
        "imported",
        "timer",
        "wakatime",
        "activitywatch",
    ]
    assert [block for block in markdown(at) if block.startswith("1. ")] == ["1. **NFC**: a tag in an NFC reader"]
    at.switch_page("components/my_time.py").run()
    show_dates(at, WED, WED)
    assert table(at, "that day").to_dict("records") == [
        {"label": "Apollo", "source": "NFC", "that day": "2:00"},
        {"label": "Total", "source": "", "that day": "2:00"},
    ]

    open_profile(at)
    ran(at.button(key="source_order_default").click().run())
    assert toasts(at) == ["Sources back in the default order"]
    at.switch_page("components/my_time.py").run()
    show_dates(at, WED, WED)
    assert table(at, "that day").to_dict("records") == [
        {"label": "Review", "source": "By hand", "that day": "1:00"},
        {"label": "Apollo", "source": "NFC", "that day": "1:00"},
        {"label": "Total", "source": "", "that day": "2:00"},
    ]


def test_the_cap_on_a_forgotten_tag_and_sharing_notes_are_saved(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, runtime: Runtime, alice: TestUser, on_utc: None
) -> None:
    """A tag in at 09:00 and never out counts 12:00 under the default cap, 4:00 under a cap of 4."""
    forgotten_tag(http, alice, (utc(WED, 9), "tag_insert"))
    at = open_profile(dashboard(alice))
    assert at.number_input(key="profile_cap_hours").value == 12
    assert at.toggle(key="profile_share_notes").value is False
    assert "they also read the notes of the time you added by hand" in captions(at)

    at.number_input(key="profile_cap_hours").set_value(4)
    at.toggle(key="profile_share_notes").set_value(True)
    ran(at.button(key="FormSubmitter:counting-Save").click().run())
    assert toasts(at) == ["Counting saved"]
    saved = profiles.get(runtime.db, alice.principal)
    assert (saved["open_interval_cap_hours"], saved["share_notes"]) == (4, True)

    at.switch_page("components/my_time.py").run()
    show_dates(at, WED, WED)
    assert metrics(at)["These dates"] == "4:00"
    assert "**Apollo** · Wed 2025-04-09 09:00–13:00" in markdown(at)
    assert "counts for at most 4 hours" in captions(at)


def test_time_added_by_hand_counts_for_the_project_picked(
    dashboard: Callable[[TestUser], AppTest], http: httpx.Client, alice: TestUser, on_utc: None
) -> None:
    writing = project(http, alice, "Writing")
    project(http, alice, "Retired", archived=True)
    at = my_time(dashboard, alice, WED, WED)
    picker = keyed(at.selectbox, "add_entry_project:")
    assert picker.options == ["No project", "Writing"]
    keyed(at.date_input, "add_entry_day:").set_value(WED)
    keyed(at.time_input, "add_entry_start:").set_value(time(10, 0))
    keyed(at.time_input, "add_entry_end:").set_value(time(11, 30))
    keyed(at.text_input, "add_entry_label:").input("Chapter 3")
    picker.set_value(writing)
    at.button(key=ADD_ENTRY).click().run()
    ran(at)
    at.segmented_control(key="group_by").set_value("project").run()
    assert table(ran(at), "all dates").to_dict("records") == [
        {"project": "Writing", "all dates": "1:30"},
        {"project": "Total", "all dates": "1:30"},
    ]

"""The pure parts of corrections on the dashboard: the stretch a form means, when an item that
needs a look is settled, where its fix ends, the lists as people read them, the marks on
corrected days (My time's charts, the Team page's table)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pandas as pd

from components.corrections_views import (
    Attention,
    attention_items,
    corrected_days,
    corrected_table,
    corrections_table,
    day_text,
    exclusion_end,
    is_fixed,
    reach,
    row_name,
    stretch_of,
    unsettled_flags,
)
from components.page_parts import signed_hours
from components.time_views import daily_figure, segments_frame, timeline_figure
from timetracker.reports.person_time import DayTime, PersonTime, Segment
from timetracker.reports.team_time import Member, MemberTime
from timetracker.reports.timeline import PIECE_COLUMNS

BERLIN = ZoneInfo("Europe/Berlin")
WED = date(2025, 4, 9)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def item(status: str, start: datetime, end: datetime, source: str = "nfc") -> Attention:
    return Attention(source, "Apollo", "tag dd 54 2a 83 on NFC_1", status, start, end)


def stretch(start: datetime, end: datetime, **fields: Any) -> dict[str, Any]:
    return {"id": uuid4(), "started_at": start, "ended_at": end, "note": "", **fields}


def test_a_forms_end_at_or_before_its_start_is_on_the_next_day() -> None:
    assert stretch_of(WED, time(9), time(17), BERLIN) == (at(WED, 9), at(WED, 17))
    assert stretch_of(WED, time(22), time(1), BERLIN) == (at(WED, 22), at(WED + timedelta(days=1), 1))
    first, last = stretch_of(WED, time(9), time(9), BERLIN)
    assert (last - first) == timedelta(days=1)
    # The night the clocks go forward (2025-03-30, 02:00 -> 03:00) is an hour shorter.
    first, last = stretch_of(date(2025, 3, 29), time(22), time(6), BERLIN)
    assert last.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=7)


def test_an_item_is_settled_by_an_exclusion_reaching_its_end_or_a_stay_ending_at_its_removal() -> None:
    capped = item("capped", at(WED, 9), at(WED, 21))
    lunch = stretch(at(WED, 12), at(WED, 13))
    assert not is_fixed(capped, [lunch], [])
    assert is_fixed(capped, [lunch, stretch(at(WED, 17), at(WED, 21))], [])
    assert is_fixed(capped, [stretch(at(WED, 9), at(WED, 21))], [])
    assert not is_fixed(capped, [stretch(at(WED, 21), at(WED, 22))], [])

    removal = item("orphan_removal", at(WED, 15), at(WED, 15))
    assert not is_fixed(removal, [stretch(at(WED, 14), at(WED, 16))], [stretch(at(WED, 14), at(WED, 14, 59))])
    assert is_fixed(removal, [], [stretch(at(WED, 14), at(WED, 15), label="Apollo")])


def test_a_tag_still_in_is_ended_up_to_its_cap_and_the_others_at_their_end() -> None:
    running = item("open", at(WED, 9), at(WED, 11))
    assert exclusion_end(running, 12) == at(WED, 21)
    assert exclusion_end(item("capped", at(WED, 9), at(WED, 13)), 4) == at(WED, 13)
    assert exclusion_end(item("missing_removal", at(WED, 9), at(WED, 10)), 12) == at(WED, 10)


def test_only_nfc_intervals_with_length_are_ended_and_only_removals_completed() -> None:
    assert item("capped", at(WED, 9), at(WED, 21)).endable
    # An insert stamped after now (a reader's clock running ahead) holds no time to end.
    assert not item("open", at(WED, 9), at(WED, 9)).endable
    assert not item("open", at(WED, 9), at(WED, 10), source="timer").endable
    assert item("orphan_removal", at(WED, 15), at(WED, 15)).completable
    assert not item("capped", at(WED, 9), at(WED, 21)).completable


def test_items_come_from_the_entries_that_need_a_look_one_per_interval() -> None:
    entries = [
        {"source": "nfc", "label": "Apollo", "detail": "d", "status": "closed", "started_at": at(WED, 8)}
        | {"ended_at": at(WED, 9)},
        {"source": "nfc", "label": "Apollo", "detail": "d", "status": "capped", "started_at": at(WED, 20)}
        | {"ended_at": at(WED + timedelta(days=1), 8)},
        {"source": "manual", "label": "Review", "detail": "added by hand", "status": "manual"}
        | {"started_at": at(WED, 10), "ended_at": at(WED, 11)},
    ]
    [capped] = attention_items(entries, BERLIN)
    assert (capped.status, capped.start, capped.end) == ("capped", at(WED, 20), at(WED + timedelta(days=1), 8))
    assert capped.key == attention_items(entries, ZoneInfo("UTC"))[0].key  # the same whatever the viewer's zone
    # Corrections are read as far as the items reach, past the range when they do.
    assert reach(WED, WED, [capped], BERLIN) == (WED, WED + timedelta(days=1))


def test_lists_name_the_next_day_and_leave_out_notes_that_are_not_the_readers() -> None:
    night = stretch(at(WED, 22), at(WED + timedelta(days=1), 1, 30), label="Launch", note="go live")
    table = corrections_table([night], "entry", BERLIN, notes_readable=True)
    assert table.to_dict("records") == [
        {"day": "Wed 2025-04-09", "from": "22:00", "to": "Thu 04-10 01:30", "length": "3:30"}
        | {"label": "Launch", "note": "go live"}
    ]
    hidden = corrections_table([night | {"note": None}], "entry", BERLIN, notes_readable=False)
    assert list(hidden.columns) == ["day", "from", "to", "length", "label"]
    lunch = stretch(at(WED, 12), at(WED, 13), note="lunch")
    assert list(corrections_table([lunch], "exclusion", BERLIN, True).columns) == [
        "day",
        "from",
        "to",
        "length",
        "reason",
    ]
    assert row_name(night, "entry", BERLIN) == "Wed 04-09 22:00–Thu 04-10 01:30 · Launch"
    assert row_name(lunch, "exclusion", BERLIN) == "Wed 04-09 12:00–13:00 · lunch"


def test_a_flag_is_settled_once_its_stay_is_added_by_hand() -> None:
    flag = {"day": WED, "source": "nfc", "label": "Apollo", "detail": "d", "seconds": 0.0, "status": "orphan_removal"}
    pieces = pd.DataFrame(
        [
            flag | {"start": at(WED, 15), "end": at(WED, 15)},
            flag | {"start": at(WED, 16), "end": at(WED, 16)},
            flag | {"start": at(WED, 9), "end": at(WED, 10), "seconds": 3600.0, "status": "closed"},
        ],
        columns=PIECE_COLUMNS,
    )
    assert unsettled_flags(pieces, [])["start"].tolist() == [at(WED, 15), at(WED, 16)]
    assert unsettled_flags(pieces, [stretch(at(WED, 14), at(WED, 15))])["start"].tolist() == [at(WED, 16)]
    assert unsettled_flags(pieces.iloc[0:0], []).empty


def test_signed_hours() -> None:
    assert [signed_hours(s) for s in (5400, -2700, 0, 20, -29)] == ["+1:30", "-0:45", "0:00", "0:00", "0:00"]


def day(on: date, tracked: float, edited: bool = False, corrected: float = 0.0) -> DayTime:
    return DayTime(on, tracked, {"manual": 0.0, "nfc": tracked}, edited=edited, corrected_seconds=corrected)


def test_corrected_days_are_marked_on_the_timeline_and_the_hours_per_day() -> None:
    days = [day(WED, 7 * 3600, edited=True, corrected=-3600), day(WED + timedelta(days=1), 3600)]
    corrected = corrected_days(days)
    assert corrected == {WED: -3600}
    segments = segments_frame([Segment(WED, at(WED, 9), at(WED, 12), "nfc", "Apollo")])
    excluded = segments_frame([Segment(WED, at(WED, 12), at(WED, 13), "excluded", "excluded")])
    figure = timeline_figure(segments, None, WED, WED + timedelta(days=1), None, None, excluded, corrected)
    assert list(figure.layout.yaxis.ticktext) == [
        "Wed 2025-04-09 ✎ -1:00 · counted once",
        "Thu 2025-04-10 · counted once",
    ]
    assert list(figure.layout.yaxis.tickvals) == ["Wed 2025-04-09 · counted once", "Thu 2025-04-10 · counted once"]
    [greyed] = [trace for trace in figure.data if trace.name == "excluded"]
    assert list(greyed.y) == ["Wed 2025-04-09 · counted once"] and list(greyed.x) == [3_600_000]
    daily = daily_figure(segments, WED, WED + timedelta(days=6), None, corrected)
    [totals] = [trace for trace in daily.data if trace.type == "scatter" and trace.mode == "text"]
    assert list(totals.text) == ["3:00 ✎"]
    # A corrected day with nothing left still shows its mark.
    assert list(daily_figure(segments.iloc[0:0], WED, WED, None, corrected).data[-1].text) == ["0:00 ✎"]


def member_time(name: str, days: list[DayTime]) -> MemberTime:
    member = Member(uuid4(), name, f"{name}@example.com", "member")
    time_of = PersonTime(member.user_id, BERLIN, days[0].day, days[-1].day, ["manual", "nfc"], days, [])
    return MemberTime(member, time_of)


def test_the_team_table_marks_a_corrected_day_and_lists_it_with_its_change() -> None:
    thursday = WED + timedelta(days=1)
    bob = member_time("Bob", [day(WED, 9000, edited=True, corrected=1800), day(thursday, 0, edited=True)])
    carol = member_time("Carol", [day(WED, 3600), day(thursday, 0)])
    labels = {bob.member.user_id: "Bob", carol.member.user_id: "Carol"}
    headings = {WED: "Wed 04-09", thursday: "Thu 04-10"}
    assert [day_text(day) for day in bob.time.days + carol.time.days] == ["2:30 ✎", "0:00 ✎", "1:00", "0:00"]
    assert corrected_table([bob, carol], labels, headings).to_dict("records") == [
        {"member": "Bob", "day": "Wed 04-09", "tracked": "2:30", "by corrections": "+0:30"},
        {"member": "Bob", "day": "Thu 04-10", "tracked": "0:00", "by corrections": "0:00"},
    ]
    assert corrected_table([carol], labels, headings).empty

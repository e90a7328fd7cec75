"""The pure parts of My time: H:MM, the summary figures around a given today, lanes, bar
widths and grouping, label colours, total rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pandas as pd

from components.page_parts import hours_text
from components.time_views import (
    MIN_BAR_SLOTS,
    SOURCE_GREYS,
    daily_figure,
    label_colours,
    lane_order,
    segments_frame,
    summary,
    timeline_figure,
    totals_table,
)
from timetracker.reports.person_time import DayTime, PersonTime, Segment
from timetracker.reports.timeline import PIECE_COLUMNS

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday; its week runs Mon 2025-04-07 to Sun 2025-04-13.
TODAY = date(2025, 4, 9)
SOURCES = ["nfc", "wakatime", "activitywatch", "timer"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def piece(day: date, hour: int, minutes: int, label: str = "Apollo", source: str = "nfc") -> dict[str, object]:
    start = at(day, hour)
    return {
        "day": day,
        "source": source,
        "label": label,
        "detail": f"tag {label} on NFC_1",
        "start": start,
        "end": start + timedelta(minutes=minutes),
        "seconds": minutes * 60.0,
        "status": "closed",
    }


def pieces(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=PIECE_COLUMNS)


def segment(day: date, hour: int, minutes: int, label: str = "Apollo", source: str = "nfc") -> Segment:
    return Segment(day, at(day, hour), at(day, hour) + timedelta(minutes=minutes), source, label)


def person_time(first_day: date, last_day: date, tracked: dict[date, float], own: dict[str, float]) -> PersonTime:
    """A person's time with `tracked` seconds on some days and each source's `own` seconds on the first."""
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return PersonTime(
        owner_id=uuid4(),
        timezone=BERLIN,
        first_day=first_day,
        last_day=last_day,
        precedence=SOURCES,
        days=[
            DayTime(day, tracked.get(day, 0.0), {s: own.get(s, 0.0) if n == 0 else 0.0 for s in SOURCES})
            for n, day in enumerate(days)
        ],
        segments=[],
    )


def test_hours_text_is_hours_and_minutes() -> None:
    seconds = (0, 29, 31, 90 * 60, 26 * 3600, 3599.6)
    assert [hours_text(s) for s in seconds] == ["0:00", "0:00", "0:01", "1:30", "26:00", "1:00"]


def test_summary_shows_tracked_time_and_each_sources_own_beside_it() -> None:
    tracked = {TODAY: 115 * 60.0, date(2025, 4, 7): 3600.0, date(2025, 4, 6): 36000.0}
    chosen = person_time(date(2025, 4, 6), TODAY, tracked, {"nfc": 12 * 3600 + 35 * 60, "timer": 1200})
    week = person_time(date(2025, 4, 7), date(2025, 4, 13), tracked, {})
    figures = {figure.title: figure.value for figure in summary(chosen, week, TODAY)}
    # Tracked is the core's counted-once number; the sources' own times may add up to more.
    assert figures == {"Today": "1:55", "This week": "2:55", "These dates": "12:55", "NFC": "12:35", "Timer": "0:20"}


def test_summary_of_this_week_does_not_repeat_it_as_these_dates() -> None:
    week = person_time(date(2025, 4, 7), date(2025, 4, 13), {TODAY: 1800.0}, {"nfc": 1800.0})
    assert [figure.title for figure in summary(week, week, TODAY)] == ["Today", "This week", "NFC"]


def test_a_day_or_two_get_bars_no_wider_than_a_weeks() -> None:
    figure = daily_figure(segments_frame([segment(TODAY, 9, 60)]), TODAY, TODAY + timedelta(days=1))
    assert list(figure.layout.xaxis.range) == [-0.5, MIN_BAR_SLOTS - 0.5]
    assert list(figure.layout.xaxis.categoryarray) == ["Wed 04-09", "Thu 04-10"]


def test_long_ranges_are_grouped_by_week_then_by_month() -> None:
    rows = segments_frame([segment(date(2025, 1, 6), 9, 60), segment(date(2025, 1, 8), 9, 30)])
    weekly = daily_figure(rows, date(2025, 1, 6), date(2025, 3, 30))
    assert len(weekly.layout.xaxis.categoryarray) == 12
    assert weekly.layout.xaxis.categoryarray[0] == "week of 2025-01-06"
    [total] = [trace for trace in weekly.data if trace.type == "scatter"]
    assert list(total.text) == ["1:30"]
    monthly = daily_figure(rows, date(2025, 1, 1), date(2025, 12, 31))
    assert list(monthly.layout.xaxis.categoryarray)[:2] == ["Jan 2025", "Feb 2025"]
    assert len(monthly.layout.xaxis.categoryarray) == 12


def test_the_counted_once_lane_comes_first_each_day_then_each_sources_own() -> None:
    assert lane_order(TODAY, TODAY + timedelta(days=1), ["nfc", "timer"]) == [
        "Wed 2025-04-09 · counted once",
        "Wed 2025-04-09 · NFC",
        "Wed 2025-04-09 · Timer",
        "Thu 2025-04-10 · counted once",
        "Thu 2025-04-10 · NFC",
        "Thu 2025-04-10 · Timer",
    ]


def test_one_colour_per_label_on_both_charts_and_the_sources_own_lanes_in_grey() -> None:
    flag = piece(TODAY, 18, 0, "99 99 99 99") | {"status": "orphan_removal"}
    attributed = segments_frame(
        [segment(TODAY, 9, 90), segment(TODAY, 11, 30, "Office"), segment(TODAY, 14, 60, "main.py", "wakatime")]
    )
    own = segments_frame([segment(TODAY, 9, 120, "nfc", "nfc"), segment(TODAY, 13, 120, "wakatime", "wakatime")])
    colours = label_colours(attributed)
    assert list(colours) == ["Apollo", "main.py", "Office"]
    timeline = timeline_figure(attributed, own, TODAY, TODAY, colours, pieces(flag))
    bar_colours = {trace.name: trace.marker.color for trace in timeline.data if trace.type == "bar"}
    assert {name: bar_colours[name] for name in colours} == colours
    assert {bar_colours["NFC"], bar_colours["WakaTime"]} <= set(SOURCE_GREYS)
    assert all(trace.text is None for trace in timeline.data if trace.type == "bar")
    lanes_of = {trace.name: set(trace.y) for trace in timeline.data if trace.type == "bar"}
    assert lanes_of["Apollo"] == {"Wed 2025-04-09 · counted once"}
    assert lanes_of["NFC"] == {"Wed 2025-04-09 · NFC"}
    [marks] = [trace for trace in timeline.data if trace.name == "needs a look"]
    assert list(marks.y) == ["Wed 2025-04-09 · NFC"]  # a flag is marked, never counted
    daily = daily_figure(attributed, TODAY, TODAY + timedelta(days=6), colours)
    assert {trace.name: trace.marker.color for trace in daily.data if trace.type == "bar"} == colours


def test_totals_tables_end_with_a_total_row() -> None:
    attributed = segments_frame(
        [segment(TODAY, 9, 90), segment(TODAY, 11, 30, "main.py", "wakatime"), segment(TODAY, 14, 45)]
    )
    assert totals_table(attributed, "that day").to_dict("records") == [
        {"label": "Apollo", "source": "NFC", "that day": "2:15"},
        {"label": "main.py", "source": "WakaTime", "that day": "0:30"},
        {"label": "Total", "source": "", "that day": "2:45"},
    ]

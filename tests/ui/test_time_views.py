"""The pure parts of My time: H:MM, the summary figures around a given today, bar widths, label colours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from components.page_parts import hours_text
from components.time_views import MIN_BAR_SLOTS, daily_figure, label_colours, summary, timeline_figure
from timetracker.reports.timeline import PIECE_COLUMNS

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday; its week runs Mon 2025-04-07 to Sun 2025-04-13.
TODAY = date(2025, 4, 9)


def piece(day: date, hour: int, minutes: int, label: str = "Apollo", source: str = "nfc") -> dict[str, object]:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)
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


def test_hours_text_is_hours_and_minutes() -> None:
    seconds = (0, 29, 31, 90 * 60, 26 * 3600, 3599.6)
    assert [hours_text(s) for s in seconds] == ["0:00", "0:00", "0:01", "1:30", "26:00", "1:00"]


def test_summary_counts_today_and_this_week_around_the_given_day() -> None:
    week = pieces(
        piece(TODAY, 9, 95),
        piece(TODAY, 13, 20, "Office", "timer"),
        piece(date(2025, 4, 7), 9, 60),  # Monday: this week, not today
        piece(date(2025, 4, 6), 9, 600),  # the Sunday before: neither
    )
    figures = {figure.title: figure.value for figure in summary(week, week, TODAY, date(2025, 4, 6), TODAY)}
    assert figures == {"Today": "1:55", "This week": "2:55", "These dates": "12:55", "NFC": "12:35", "Timer": "0:20"}


def test_summary_of_this_week_does_not_repeat_it_as_these_dates() -> None:
    week = pieces(piece(TODAY, 9, 30))
    titles = [figure.title for figure in summary(week, week, TODAY, date(2025, 4, 7), date(2025, 4, 13))]
    assert titles == ["Today", "This week", "NFC"]


def test_a_day_or_two_get_bars_no_wider_than_a_weeks() -> None:
    figure = daily_figure(pieces(piece(TODAY, 9, 60)), TODAY, TODAY + timedelta(days=1))
    assert list(figure.layout.xaxis.range) == [-0.5, MIN_BAR_SLOTS - 0.5]
    assert list(figure.layout.xaxis.categoryarray) == ["Wed 04-09", "Thu 04-10"]


def test_one_colour_per_label_on_both_charts_and_flags_are_not_counted() -> None:
    flag = piece(TODAY, 18, 0, "99 99 99 99") | {"status": "orphan_removal"}
    day = pieces(piece(TODAY, 9, 90), piece(TODAY, 11, 30, "Office"), piece(TODAY, 14, 60), flag)
    colours = label_colours(day)
    assert list(colours) == ["Apollo", "Office"]
    timeline = timeline_figure(day, TODAY, TODAY, colours)
    bar_colours = {trace.name: trace.marker.color for trace in timeline.data if trace.type == "bar"}
    assert bar_colours == colours
    assert all(trace.text is None for trace in timeline.data if trace.type == "bar")
    daily = daily_figure(day, TODAY, TODAY + timedelta(days=6), colours)
    assert {trace.name: trace.marker.color for trace in daily.data if trace.type == "bar"} == colours

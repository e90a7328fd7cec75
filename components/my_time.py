"""My time: one person's time counted once, per day in the viewer's timezone.

A summary row (tracked time today, this week and the chosen dates, then each source's own
time), the timeline (a counted-once lane above each source's own, excluded stretches greyed),
hours per day (per week or month for long ranges), totals per label, a CSV of the pieces,
what needs a look (each item with its fix), and the corrections: time added by hand and
stretches excluded (see corrections_panel). Days a correction touched are marked with how
much it changed them. Every figure comes from the core's counted-once timeline (`person_time`).
Sources with charts of their own add a panel to SOURCE_PANELS (one import, one line);
panels are drawn below the common charts with the same person, range and timezone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import streamlit as st

from components.activitywatch_panel import activitywatch_panel
from components.auth_state import current_principal, runtime
from components.corrections_panel import show_corrections, show_needs_a_look
from components.corrections_views import (
    Attention,
    attention_items,
    corrected_days,
    corrections_caption,
    fresh_day,
    in_window,
    is_fixed,
    labels_of,
    reach,
    unsettled_flags,
)
from components.date_ranges import range_picker
from components.page_parts import browser_timezone, person_label, reported_errors
from components.project_views import naming_colours, projects_figure
from components.time_views import (
    SOURCE_LANES_UP_TO_DAYS,
    TRACKED_MEANS,
    Figure,
    by_project,
    daily_figure,
    day_label,
    day_name,
    file_slug,
    label_colours,
    period_of,
    pieces_csv,
    segments_frame,
    summary,
    timeline_figure,
    totals_table,
    unlabelled_tags,
    week_of,
)
from components.wakatime_panel import coding_time_panel
from timetracker import corrections, profiles, teams
from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.reports import person_time
from timetracker.reports import summary as summary_report
from timetracker.reports.person_time import PersonTime
from timetracker.reports.timeline import local_day_window

# (viewer, first day, last day, viewer's timezone) -> draws that source's own charts.
SOURCE_PANELS: list[Callable[[Principal, date, date, ZoneInfo], None]] = [
    activitywatch_panel,
    coding_time_panel,
]

# Ways to start recording time, for the empty state: (page, what to do there).
GETTING_STARTED = [
    ("components/devices.py", "Register an NFC reader and label your tags", ":material/nfc:"),
    ("components/webhook_test.py", "Send a test event from a reader", ":material/send:"),
    ("components/integrations.py", "Connect ActivityWatch or WakaTime", ":material/extension:"),
]


def viewable_people(principal: Principal) -> dict[str, str]:
    """User id -> name: me first, then the people whose time I may read, by team and name."""
    others = sorted(
        teams.managed_people(runtime().db, principal), key=lambda person: (person["team_name"], person_label(person))
    )
    return {
        str(principal.user_id): "Me",
        **{str(person["user_id"]): f"{person_label(person)} ({person['team_name']})" for person in others},
    }


@dataclass(frozen=True)
class Viewing:
    """Whose time the page shows, to whom, in which zone: what every read on it needs."""

    db: Database
    principal: Principal
    tz: ZoneInfo
    owner_id: UUID

    def time(self, first_day: date, last_day: date, with_pieces: bool = False) -> PersonTime:
        return person_time.read(
            self.db, self.principal, first_day, last_day, self.tz, owner_id=self.owner_id, with_pieces=with_pieces
        )


def read_time(viewing: Viewing, first_day: date, last_day: date, with_pieces: bool = False) -> PersonTime | None:
    with reported_errors():
        return viewing.time(first_day, last_day, with_pieces)
    return None


def csv_of(viewing: Viewing, first_day: date, last_day: date, person: str) -> str:
    """The CSV of every source's pieces, read when asked for (a long range has many)."""
    time = viewing.time(first_day, last_day, with_pieces=True)
    return pieces_csv(time.pieces(), person, time.naming)


def read_corrections(
    viewing: Viewing, first_day: date, last_day: date, items: list[Attention]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """(entries added by hand, exclusions) over the range and as far as the items needing a
    look reach, so a fix that ends past the range still settles its item."""
    first, last = reach(first_day, last_day, items, viewing.tz)
    db, principal, tz, owner_id = viewing.db, viewing.principal, viewing.tz, viewing.owner_id
    with reported_errors():
        return (
            corrections.listed(db, principal, "entry", first, last, tz, owner_id=owner_id),
            corrections.listed(db, principal, "exclusion", first, last, tz, owner_id=owner_id),
        )
    return None


def show_summary(figures: list[Figure]) -> None:
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(figure.title, figure.value, help=figure.help, border=True)


def show_getting_started(whose: str | None) -> None:
    if whose:
        st.info(f"No time recorded for {whose} in these dates. Pick other dates, or ask them to connect a source.")
        return
    st.info("No time recorded in these dates yet. Pick other dates, add time by hand below, or start recording:")
    for page, what, icon in GETTING_STARTED:
        st.page_link(page, label=what, icon=icon)


principal = current_principal()
db = runtime().db
st.title("My time")
profile = profiles.get(db, principal)
tz = ZoneInfo(profile["timezone"])

people = viewable_people(principal)
owner_id = principal.user_id
if len(people) > 1:
    owner_id = UUID(
        st.selectbox(
            "Whose time",
            list(people),
            format_func=people.get,
            help="Members of teams you own or administer.",
            key="whose_time",
        )
    )
first_day, last_day = range_picker("dates", datetime.now(tz).date())
viewing = Viewing(db, principal, tz, owner_id)
viewing_someone_else = owner_id != principal.user_id
browser_zone = browser_timezone()
elsewhere = f" Your browser is in {browser_zone}." if browser_zone and browser_zone != tz.key else ""
st.caption(f"Days run midnight to midnight in {tz.key} (change it on the Profile page).{elsewhere}")

today = datetime.now(tz).date()
monday, sunday = week_of(today)
# Each source's own lane is drawn for short ranges only, whose CSV is made with the page.
with_lanes = (last_day - first_day).days < SOURCE_LANES_UP_TO_DAYS
chosen = read_time(viewing, first_day, last_day, with_pieces=with_lanes)
week = chosen if chosen and first_day <= monday and sunday <= last_day else read_time(viewing, monday, sunday)
if chosen is None or week is None:
    st.stop()
items = attention_items(chosen.entries, tz)
read = read_corrections(viewing, first_day, last_day, items)
if read is None:
    st.stop()
added, excluded = read
# A fixed item leaves the list; the fix itself is listed under Corrections (and can be undone there).
items = [item for item in items if not is_fixed(item, excluded, added)]
range_start, range_end = local_day_window(first_day, last_day, tz)
corrected = corrected_days(chosen.days)

if not chosen.tracked_seconds and not week.tracked_seconds and not chosen.entries:
    show_getting_started(people[str(owner_id)] if viewing_someone_else else None)
else:
    show_summary(summary(chosen, week, today))
    st.caption(TRACKED_MEANS)
if corrected:
    st.caption(corrections_caption(corrected, "they" if viewing_someone_else else "you"))

pieces = chosen.pieces()
segments = segments_frame(chosen.segments, chosen.naming)
grouping = (
    st.segmented_control(
        "Colour and total by",
        ["label", "project"],
        default="label",
        help="Label: the tag, app or coding project each source names. Project: what your and your teams' rules"
        " (on the Projects page) name it.",
        key="group_by",
    )
    or "label"
)
if grouping == "project":
    segments = by_project(segments)
if segments.empty and pieces.empty and week.tracked_seconds:
    st.info("No time recorded in these dates. This week's time is above; pick other dates to see it charted.")
elif not segments.empty or not pieces.empty:
    colours = naming_colours(chosen.naming) if grouping == "project" else label_colours(segments)
    if period_of(first_day, last_day) == "day":
        source_time = segments_frame(chosen.source_time) if with_lanes else None
        flags = unsettled_flags(pieces, added)
        excluded_time = segments_frame(chosen.excluded)
        figure = timeline_figure(segments, source_time, first_day, last_day, colours, flags, excluded_time, corrected)
        st.plotly_chart(figure, width="stretch", key="timeline")
        if not with_lanes:
            st.caption(f"Each source's own lane is drawn for ranges of up to {SOURCE_LANES_UP_TO_DAYS} days.")
    else:
        st.caption("Long ranges are drawn per week or month below; pick five weeks or less for the timeline.")
    raw_tags = unlabelled_tags(pieces)
    if raw_tags and not viewing_someone_else:
        st.caption(
            f"Tags without a label show their id ({', '.join(raw_tags)}):"
            " name them under Tag labels on the Devices page."
        )
    if first_day != last_day:
        st.plotly_chart(
            daily_figure(segments, first_day, last_day, colours, corrected), width="stretch", key="daily_totals"
        )

    if grouping == "project":
        groups = summary_report.person_groups(chosen, "project")
        st.plotly_chart(projects_figure(groups, "Hours by project, counted once"), width="stretch", key="projects")

    days = sorted(segments["day"].unique()) or sorted(pieces["day"].unique())
    day_column, range_column = st.columns(2)
    with day_column:
        chosen_day = st.selectbox(
            "Totals for the day",
            days,
            index=days.index(today) if today in days else len(days) - 1,
            format_func=lambda day: day_label(day, corrected),
            key="totals_day",
        )
        st.dataframe(
            totals_table(segments[segments["day"] == chosen_day], "that day", grouping),
            hide_index=True,
            width="stretch",
        )
    with range_column:
        st.markdown(f"**Totals {day_name(first_day)} to {day_name(last_day)}**")
        st.dataframe(totals_table(segments, "all dates", grouping), hide_index=True, width="stretch")
    person = people[str(owner_id)] if viewing_someone_else else principal.email or "me"
    # A long range's CSV is read only when the button is pressed.
    later = partial(csv_of, viewing, first_day, last_day, person)
    csv = pieces_csv(pieces, person, chosen.naming) if with_lanes else later
    st.download_button(
        "Download these dates as CSV",
        csv,
        file_name=f"time-{file_slug(person)}-{first_day}-to-{last_day}.csv",
        mime="text/csv",
        icon=":material/download:",
        help="Each source's own pieces of time (split at your midnights), with local start and end.",
        key="pieces_csv",
    )

show_needs_a_look(db, principal, items, tz, None if viewing_someone_else else profile["open_interval_cap_hours"])
show_corrections(
    db,
    principal,
    tz,
    in_window(added, range_start, range_end),
    in_window(excluded, range_start, range_end),
    fresh_day(first_day, last_day, today),
    labels_of(segments),
    people[str(owner_id)] if viewing_someone_else else None,
)

if viewing_someone_else:
    # The panels read the viewer's own data; under someone else's timeline they would mislead.
    st.caption("The per-source panels (ActivityWatch, coding time, ...) show only your own time.")
else:
    for panel in SOURCE_PANELS:
        panel(principal, first_day, last_day, tz)

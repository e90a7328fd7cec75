"""Team: a lead's view of the team's time, for owners and admins (the router lists it only for them).

Hours per member and day (a table and a heatmap, a day a member corrected by hand marked ✎,
and how much their corrections changed it), each member's hours by source, the team's top
labels, the team's and each member's time by project, who is in now, this week against last
week, and CSVs. Every figure comes from
timetracker.reports.team_time (counted once, in the viewer's timezone): this page only adds
up the core's per-day numbers and formats them, so a member's total here is the one on their
My time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.auth_state import current_principal, runtime
from components.corrections_views import corrected_table, day_text, hover_text
from components.date_ranges import range_picker
from components.page_parts import hours_text, plural, reported_errors, signed_hours
from components.project_views import member_projects_figure, projects_figure, projects_table, team_projects_csv
from components.time_views import EDITED_MARK, TRACKED_MEANS, days_between, source_name, week_of
from timetracker import profiles, teams
from timetracker.auth.principal import Principal
from timetracker.reports import team_time
from timetracker.reports.sources import DISPLAY_NAMES
from timetracker.reports.summary import grouped
from timetracker.reports.team_time import Member, MemberTime, Presence

# Longest range the page reads at once (the API's limit too): members x days x sources stays small.
MAX_RANGE_DAYS = 366
TOP_LABELS_PER_SOURCE = 5
# The CSV's "source" for the counted-once row of a member's day.
TRACKED = "tracked"
MY_TIME_PAGE = "components/my_time.py"
TEAMS_PAGE = "components/teams.py"
# My time's "Whose time" selectbox: setting its key before switching there opens that person.
WHOSE_TIME_KEY = "whose_time"
PRESENCE_SOURCES = {"nfc": "NFC tag in", "activitywatch": "ActivityWatch active", "timer": "Timer"}


def member_labels(members: Iterable[Member]) -> dict[UUID, str]:
    """User id -> what the page calls them: their name, with the email when two share a name."""
    members = list(members)
    shared = Counter(member.display_name for member in members)
    return {
        member.user_id: (
            f"{member.display_name} · {member.email}"
            if shared[member.display_name] > 1 and member.email
            else member.display_name
        )
        for member in members
    }


def day_heading(day: date, with_year: bool) -> str:
    return day.strftime("%a %Y-%m-%d" if with_year else "%a %m-%d")


def day_headings(first_day: date, last_day: date) -> dict[date, str]:
    """Column names for the days of the range; the year only when the range spans two."""
    with_year = first_day.year != last_day.year
    return {day: day_heading(day, with_year) for day in days_between(first_day, last_day)}


def hours_table(times: list[MemberTime], labels: dict[UUID, str], headings: dict[date, str]) -> pd.DataFrame:
    """Members x days of tracked time (H:MM, ✎ on a day they corrected), each member's total,
    and a Total row of the columns."""
    rows = []
    for member_time in times:
        row = {"member": labels[member_time.member.user_id]}
        row |= {headings[day.day]: day_text(day) for day in member_time.time.days}
        rows.append(row | {"total": hours_text(member_time.time.tracked_seconds)})
    per_day = {heading: 0.0 for heading in headings.values()}
    for member_time in times:
        for day in member_time.time.days:
            per_day[headings[day.day]] += day.tracked_seconds
    total_row = {"member": "Total"} | {heading: hours_text(seconds) for heading, seconds in per_day.items()}
    rows.append(total_row | {"total": hours_text(sum(per_day.values()))})
    return pd.DataFrame(rows, columns=["member", *headings.values(), "total"])


def heatmap_figure(times: list[MemberTime], labels: dict[UUID, str], headings: dict[date, str]) -> go.Figure:
    """Tracked hours per member and day, darker for more, each cell printed as H:MM (✎ on a day
    the member corrected; the hover says by how much)."""
    names = [labels[member_time.member.user_id] for member_time in times]
    days = [member_time.time.days for member_time in times]
    figure = go.Figure(
        go.Heatmap(
            z=[[day.tracked_seconds / 3600 for day in row] for row in days],
            x=list(headings.values()),
            y=names,
            # Empty cells stay blank, so the days that hold time stand out; the hover still says 0:00.
            text=[[day_text(day) if day.tracked_seconds or day.edited else "" for day in row] for row in days],
            customdata=[[hover_text(day) for day in row] for row in days],
            texttemplate="%{text}",
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
            colorscale="Blues",
            zmin=0,
            colorbar={"title": {"text": "hours"}},
        )
    )
    # Members top to bottom in the table's order; every day a column even when it is empty.
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(type="category", side="top")
    figure.update_layout(height=120 + 44 * len(names), margin={"t": 40, "b": 10})
    return figure


def source_figure(times: list[MemberTime], labels: dict[UUID, str]) -> go.Figure:
    """Each member's hours stacked by source (each source's own time), tracked time marked on top.

    Sources that overlap (a tag in while a timer runs) both count their own time, so a stack
    can stand higher than the tracked mark, which counts each second once."""
    names = [labels[member_time.member.user_id] for member_time in times]
    figure = go.Figure()
    for source in sources_of(times):
        seconds = [member_time.time.source_seconds().get(source, 0.0) for member_time in times]
        figure.add_bar(
            x=names,
            y=[value / 3600 for value in seconds],
            name=source_name(source),
            customdata=[hours_text(value) for value in seconds],
            hovertemplate=f"%{{x}}<br>{source_name(source)}: %{{customdata}}<extra></extra>",
        )
    tracked = [member_time.time.tracked_seconds for member_time in times]
    stacked = [sum(member_time.time.source_seconds().values()) for member_time in times]
    figure.add_scatter(
        x=names,
        y=[value / 3600 for value in tracked],
        mode="markers",
        marker={"symbol": "line-ew-open", "size": 28, "line": {"width": 3}, "color": "black"},
        name="tracked (counted once)",
        customdata=[hours_text(value) for value in tracked],
        hovertemplate="%{x}<br>tracked: %{customdata}<extra></extra>",
    )
    # The tracked total printed above each stack, clear of the bars.
    figure.add_scatter(
        x=names,
        y=[max(top, value) / 3600 for top, value in zip(stacked, tracked, strict=True)],
        mode="text",
        text=[f"{hours_text(value)} tracked" for value in tracked],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    figure.update_layout(barmode="stack", legend_title_text="source", margin={"t": 30})
    figure.update_xaxes(type="category", title=None)
    figure.update_yaxes(title="hours", rangemode="tozero")
    return figure


def sources_of(times: list[MemberTime]) -> list[str]:
    """The sources that hold any time, in the product's order (NFC, Timer, ...), unknown ones after."""
    held = {source for member_time in times for source, seconds in member_time.time.source_seconds().items() if seconds}
    order = list(DISPLAY_NAMES)
    return sorted(held, key=lambda source: (order.index(source) if source in order else len(order), source))


# (source, label) -> (seconds, the members who have that label)
LabelSeconds = dict[tuple[str, str], tuple[float, list[str]]]


def team_label_seconds(times: list[MemberTime], labels: dict[UUID, str]) -> LabelSeconds:
    """The members' attributed seconds per (source, label) added up, and who has that label."""
    totals: LabelSeconds = {}
    for member_time in times:
        for source, label, seconds in member_time.time.label_totals():
            so_far, who = totals.get((source, label), (0.0, []))
            totals[source, label] = (so_far + seconds, [*who, labels[member_time.member.user_id]])
    return totals


def top_labels_table(times: list[MemberTime], labels: dict[UUID, str], count: int) -> pd.DataFrame:
    """The team's largest labels per source (each second attributed to one source and label),
    the rest of a source's labels in one row, and a total that is the team's tracked time."""
    totals = team_label_seconds(times, labels)
    per_source: dict[str, list[tuple[str, float, list[str]]]] = {}
    for (source, label), (seconds, who) in sorted(totals.items(), key=lambda item: -item[1][0]):
        per_source.setdefault(source, []).append((label, seconds, who))
    rows: list[tuple[str, str, float, str]] = []
    # The source with the most time first, its largest labels first.
    for source, ranked in sorted(per_source.items(), key=lambda item: -sum(row[1] for row in item[1])):
        rows += [(source_name(source), label, seconds, ", ".join(who)) for label, seconds, who in ranked[:count]]
        if rest := ranked[count:]:
            rows.append((source_name(source), plural(len(rest), "other label"), sum(row[1] for row in rest), ""))
    rows.append(("Total", "", sum(seconds for seconds, _ in totals.values()), ""))
    return pd.DataFrame(
        {
            "source": [row[0] for row in rows],
            "label": [row[1] for row in rows],
            "time": [hours_text(row[2]) for row in rows],
            "who": [row[3] for row in rows],
        }
    )


def week_table(times: list[MemberTime], labels: dict[UUID, str], monday: date) -> pd.DataFrame:
    """Each member's tracked time last week and this week so far (Monday to Sunday), and the change."""
    rows = []
    for member_time in times:
        last = member_time.time.tracked_between(monday - timedelta(days=7), monday - timedelta(days=1))
        this = member_time.time.tracked_between(monday, monday + timedelta(days=6))
        rows.append((labels[member_time.member.user_id], last, this))
    return pd.DataFrame(
        {
            "member": [row[0] for row in rows],
            "last week": [hours_text(row[1]) for row in rows],
            "this week": [hours_text(row[2]) for row in rows],
            "change": [signed_hours(row[2] - row[1]) for row in rows],
        }
    )


def moment_text(moment: datetime, tz: ZoneInfo, today: date) -> str:
    """An instant in the viewer's timezone: HH:MM when it is today, with the day when it is not."""
    local = moment.astimezone(tz)
    return f"{local:%H:%M}" if local.date() == today else f"{local:%a %m-%d %H:%M}"


def presence_table(items: list[Presence], labels: dict[UUID, str], tz: ZoneInfo, today: date) -> pd.DataFrame:
    """Who is in now, one row per signal: what, which tag/app/state, where (reader, host, question), since."""
    return pd.DataFrame(
        {
            "member": [labels.get(item.user_id, item.display_name) for item in items],
            "in by": [PRESENCE_SOURCES.get(item.source, item.source) for item in items],
            "what": [item.label for item in items],
            "where": [item.detail for item in items],
            "since": [
                ("last active " if item.source == "activitywatch" else "since ") + moment_text(item.since, tz, today)
                for item in items
            ],
        },
        columns=["member", "in by", "what", "where", "since"],
    )


def team_csv(times: list[MemberTime], labels: dict[UUID, str]) -> str:
    """One row per member, day and source (each source's own seconds), plus a "tracked" row per
    member and day: every second counted once, so the sources' rows can add up to more."""
    rows = []
    for member_time in times:
        name, user_id = labels[member_time.member.user_id], str(member_time.member.user_id)
        for day in member_time.time.days:
            for source, seconds in [(TRACKED, day.tracked_seconds), *day.by_source.items()]:
                rows.append(
                    {
                        "member": name,
                        "user_id": user_id,
                        "day": day.day.isoformat(),
                        "source": source,
                        "seconds": round(seconds),
                        "duration": hours_text(seconds),
                    }
                )
    return pd.DataFrame(rows, columns=["member", "user_id", "day", "source", "seconds", "duration"]).to_csv(index=False)


def csv_file_name(team_name: str, first_day: date, last_day: date) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", team_name.lower()).strip("-") or "team"
    return f"team-{slug}-{first_day}-to-{last_day}.csv"


def pick_team(principal: Principal) -> dict[str, Any] | None:
    """The team to show, from those the viewer owns or administers (None when there are none)."""
    managed = {str(team["id"]): team for team in team_time.admin_teams(db, principal)}
    if not managed:
        return None
    chosen = st.selectbox("Team", list(managed), format_func=lambda key: managed[key]["name"], key="team_choice")
    return managed[chosen]


def show_nobody_yet(team: dict[str, Any]) -> None:
    waiting = teams.invitations(db, principal, team["id"])
    invited = f" {plural(len(waiting), 'invitation')} waiting for an answer." if waiting else ""
    st.info(
        f"Nobody has joined {team['name']} yet.{invited} Invite people on the Teams page:"
        " they appear here once they accept."
    )
    st.page_link(TEAMS_PAGE, label="Invite people on Teams", icon=":material/group_add:")


def show_range(
    times: list[MemberTime], labels: dict[UUID, str], team: dict[str, Any], first_day: date, last_day: date
) -> None:
    """The chosen dates: hours per member and day, by source, top labels, and the CSV."""
    headings = day_headings(first_day, last_day)
    st.subheader("Tracked hours per day")
    st.dataframe(
        hours_table(times, labels, headings),
        hide_index=True,
        width="stretch",
        column_config={"member": st.column_config.TextColumn(pinned=True)},
    )
    corrected = corrected_table(times, labels, headings)
    if not corrected.empty:
        st.markdown(f"**{EDITED_MARK} Corrected days**")
        st.dataframe(corrected, hide_index=True, width="stretch", key="team_corrected")
        st.caption(
            f"{EDITED_MARK} marks a day a member corrected on their My time: time added by hand or a stretch"
            " excluded as not work. “By corrections” is how much that changed their tracked time; what they"
            " changed is listed on their My time (their notes only if they share them)."
        )
    st.plotly_chart(heatmap_figure(times, labels, headings), width="stretch", key="team_heatmap")

    by_source, by_project = st.tabs(["By source", "By project"])
    with by_source:
        sources_column, labels_column = st.columns(2)
        with sources_column:
            st.plotly_chart(source_figure(times, labels), width="stretch", key="team_sources")
        with labels_column:
            st.markdown(f"**Top labels per source** (top {TOP_LABELS_PER_SOURCE})")
            st.dataframe(top_labels_table(times, labels, TOP_LABELS_PER_SOURCE), hide_index=True, width="stretch")
            st.caption("Each second goes to one source and label (the member's source order on Profile decides).")
        st.download_button(
            "Download member × day × source as CSV",
            team_csv(times, labels),
            file_name=csv_file_name(team["name"], first_day, last_day),
            mime="text/csv",
            icon=":material/download:",
            help="Seconds and H:MM per member, day and source, and a 'tracked' row per member and day (counted once).",
            key="team_csv",
            # A download changes nothing on the page: no rerun of every member's month.
            on_click="ignore",
        )
    with by_project:
        show_projects(times, labels, team, first_day, last_day)


def show_projects(
    times: list[MemberTime], labels: dict[UUID, str], team: dict[str, Any], first_day: date, last_day: date
) -> None:
    """The team's time by project, each member's, and its CSV (each member named by their own rules)."""
    team_projects = grouped([(item.member, item.time) for item in times], "project")
    table_column, members_column = st.columns(2)
    with table_column:
        st.plotly_chart(
            projects_figure(team_projects, "The team's hours by project"), width="stretch", key="team_projects_chart"
        )
        st.dataframe(projects_table(team_projects), hide_index=True, width="stretch", key="team_projects")
        st.caption(
            "Each member's time is named by their own rules and then the team's (on the Projects page);"
            " what no rule names is unassigned."
        )
    with members_column:
        st.plotly_chart(member_projects_figure(times, labels), width="stretch", key="team_member_projects")

    st.download_button(
        "Download member × day × project as CSV",
        # Made when asked for: the source CSV is the one most leads take.
        lambda: team_projects_csv(times, labels),
        file_name=csv_file_name(f"{team['name']} projects", first_day, last_day),
        mime="text/csv",
        icon=":material/download:",
        help="Seconds and H:MM per member, day and project, counted once.",
        key="team_projects_csv",
        # A download changes nothing on the page: no rerun of every member's month.
        on_click="ignore",
    )


def show_in_now(team_id: UUID, labels: dict[UUID, str], tz: ZoneInfo) -> None:
    st.subheader("In now")
    now = datetime.now(tz)
    items = team_time.presence(db, principal, team_id, now)
    if items:
        st.dataframe(presence_table(items, labels, tz, now.date()), hide_index=True, width="stretch")
    else:
        minutes = team_time.ACTIVE_WITHIN_SECONDS // 60
        st.caption(
            f"Nobody is in right now: no tag in a reader, no ActivityWatch activity in the last {minutes} minutes,"
            " no timer running."
        )


def show_weeks(team_id: UUID, labels: dict[UUID, str], tz: ZoneInfo) -> None:
    """This week so far against last week: both weeks read in one go from the core."""
    monday, sunday = week_of(datetime.now(tz).date())
    st.subheader("This week against last week")
    times = team_time.team_time(db, principal, team_id, monday - timedelta(days=7), sunday, tz)
    st.dataframe(week_table(times, labels, monday), hide_index=True, width="stretch")


def open_member_time(times: list[MemberTime], labels: dict[UUID, str]) -> None:
    """Pick a member and open My time with them chosen under "Whose time"."""
    people = {str(member_time.member.user_id): labels[member_time.member.user_id] for member_time in times}
    person_column, button_column, _ = st.columns([2, 1, 2], vertical_alignment="bottom")
    chosen = person_column.selectbox(
        "Open a member's My time", list(people), format_func=people.get, key="team_open_member"
    )
    if button_column.button("Open My time", key="open_member_time", icon=":material/schedule:"):
        st.session_state[WHOSE_TIME_KEY] = chosen
        st.switch_page(MY_TIME_PAGE)


principal = current_principal()
db = runtime().db
st.title("Team")
tz = profiles.timezone_of(db, principal)

team = pick_team(principal)
if team is None:
    st.info("You own or administer no team. Create one on the Teams page.")
    st.page_link(TEAMS_PAGE, label="Teams", icon=":material/group:")
    st.stop()

first_day, last_day = range_picker("team_dates", datetime.now(tz).date())
st.caption(f"{TRACKED_MEANS} Days run midnight to midnight in {tz.key} (change it on the Profile page).")
if (last_day - first_day).days >= MAX_RANGE_DAYS:
    st.error(f"Pick at most {MAX_RANGE_DAYS} days.")
    st.stop()

times: list[MemberTime] = []
with reported_errors():
    times = team_time.team_time(db, principal, team["id"], first_day, last_day, tz)
if not times:
    st.stop()
labels = member_labels(member_time.member for member_time in times)
if all(member_time.member.user_id == principal.user_id for member_time in times):
    show_nobody_yet(team)
    st.stop()

tracked = sum(member_time.time.tracked_seconds for member_time in times)
with_time = sum(1 for member_time in times if member_time.time.tracked_seconds > 0)
totals_column, people_column = st.columns(2)
totals_column.metric("Tracked, these dates", hours_text(tracked), help=TRACKED_MEANS, border=True)
people_column.metric("Members with time", f"{with_time} of {len(times)}", border=True)

if tracked:
    show_range(times, labels, team, first_day, last_day)
else:
    st.info(
        f"No time recorded in {team['name']} from {first_day} to {last_day}. Pick other dates (the presets are"
        " beside the date picker), or ask members to connect a source on Devices or Integrations."
    )

show_in_now(team["id"], labels, tz)
show_weeks(team["id"], labels, tz)
st.divider()
open_member_time(times, labels)

"""My time: every source's time on one timeline, per day in the viewer's timezone.

Sources with charts of their own add a panel to SOURCE_PANELS (one import, one line);
panels are drawn below the common charts with the same person, range and timezone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from components.activitywatch_panel import activitywatch_panel
from components.auth_state import current_principal, runtime
from components.page_parts import reported_errors
from components.wakatime_panel import coding_time_panel
from timetracker import profiles, teams
from timetracker.auth.principal import Principal
from timetracker.reports.sources import SOURCES
from timetracker.reports.timeline import daily_totals, time_pieces, totals_by_label

# (viewer, first day, last day, viewer's timezone) -> draws that source's own charts.
SOURCE_PANELS: list[Callable[[Principal, date, date, ZoneInfo], None]] = [
    activitywatch_panel,
    coding_time_panel,
]

# Entries a person should look at: not dropped, not hidden in the totals.
ATTENTION_STATUSES = {
    "open": "still running (no removal yet), counted up to now",
    "missing_removal": "a second insert came before a removal; ended there",
    "orphan_removal": "a removal with no insert before it",
}
# Any fixed date: the timeline's x axis is the time of day, one row per local day.
CLOCK_DAY = date(2000, 1, 3)


def hours_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def viewable_people(principal: Principal) -> dict[str, str]:
    """User id -> name: me first, then members of teams I own or administer (RLS lets me read their time)."""
    db = runtime().db
    people = {str(principal.user_id): "Me"}
    for team in teams.list_mine(db, principal):
        if team["role"] not in ("owner", "admin"):
            continue
        for member in teams.members(db, principal, team["id"]):
            if str(member["user_id"]) not in people:
                people[str(member["user_id"])] = f"{member['email']} ({team['name']})"
    return people


def day_name(day: date) -> str:
    return day.strftime("%a %Y-%m-%d")


def on_clock(moment: datetime, day: date) -> datetime:
    """`moment` placed on CLOCK_DAY at its offset from the start of its local `day`."""
    offset = moment.replace(tzinfo=None) - datetime.combine(day, time.min)
    return datetime.combine(CLOCK_DAY, time.min) + offset


def timeline_figure(pieces: pd.DataFrame, first_day: date, last_day: date) -> go.Figure:
    """One row per local day of the range (empty days too), the time of day across."""
    frame = pieces.assign(
        day_label=pieces["day"].map(day_name),
        clock_start=[on_clock(s, d) for s, d in zip(pieces["start"], pieces["day"], strict=True)],
        clock_end=[on_clock(e, d) for e, d in zip(pieces["end"], pieces["day"], strict=True)],
        duration=pieces["seconds"].map(hours_text),
    )
    bars = frame[frame["seconds"] > 0]
    figure = px.timeline(
        bars,
        x_start="clock_start",
        x_end="clock_end",
        y="day_label",
        color="source",
        text="label",
        hover_data={"label": True, "detail": True, "status": True, "duration": True, "day_label": False},
        labels={"day_label": "day", "clock_start": "from", "clock_end": "to"},
    )
    flags = frame[frame["seconds"] == 0]
    if not flags.empty:
        figure.add_scatter(
            x=flags["clock_start"],
            y=flags["day_label"],
            mode="markers+text",
            marker={"symbol": "x", "size": 12, "color": "crimson"},
            text=flags["label"],
            textposition="top center",
            name="flagged",
            hovertext=flags["status"].map(ATTENTION_STATUSES) + " — " + flags["detail"].astype(str),
        )
    days = [day_name(first_day + timedelta(days=n)) for n in range((last_day - first_day).days + 1)]
    day_count = len(days)
    # Plotly leaves out categories with no data: an invisible point per day keeps empty days as rows.
    figure.add_scatter(
        x=[datetime.combine(CLOCK_DAY, time.min)] * day_count,
        y=days,
        mode="markers",
        marker={"opacity": 0},
        showlegend=False,
        hoverinfo="skip",
    )
    figure.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=days, title=None)
    figure.update_xaxes(
        range=[datetime.combine(CLOCK_DAY, time.min), datetime.combine(CLOCK_DAY + timedelta(days=1), time.min)],
        tickformat="%H:%M",
        title=None,
    )
    figure.update_layout(height=120 + 40 * day_count, legend_title_text="source", margin={"t": 30})
    return figure


def totals_table(pieces: pd.DataFrame, column: str) -> pd.DataFrame:
    """Hours:minutes per label, in a column named for what it totals."""
    totals = totals_by_label(pieces)
    return pd.DataFrame(
        {"label": totals["label"], "source": totals["source"], column: totals["seconds"].map(hours_text)}
    )


def date_range(tz: ZoneInfo) -> tuple[date, date]:
    today = datetime.now(tz).date()
    monday = today - timedelta(days=today.weekday())
    chosen = st.date_input(
        "Dates", value=(monday, monday + timedelta(days=6)), help="In your profile's timezone.", key="dates"
    )
    if isinstance(chosen, tuple | list):
        if len(chosen) == 2:
            return chosen[0], chosen[1]
        if len(chosen) == 1:
            return chosen[0], chosen[0]
        return monday, monday + timedelta(days=6)
    return chosen, chosen


principal = current_principal()
db = runtime().db
st.title("My time")
tz = profiles.timezone_of(db, principal)

people = viewable_people(principal)
controls = st.columns([2, 2] if len(people) > 1 else [1])
with controls[0]:
    first_day, last_day = date_range(tz)
owner_id = principal.user_id
if len(people) > 1:
    with controls[1]:
        owner_id = UUID(
            st.selectbox(
                "Whose time",
                list(people),
                format_func=people.get,
                help="Members of teams you own or administer.",
                key="whose_time",
            )
        )
st.caption(f"Days run midnight to midnight in {tz.key} (change it on the Profile page).")

pieces = pd.DataFrame()
with reported_errors():
    pieces = time_pieces(db, principal, first_day, last_day, tz, SOURCES, owner_id=owner_id)

if pieces.empty:
    st.info(
        "No time recorded in these dates yet. Register a reader on the Devices page and send a test event"
        " from the Webhook test page, or pick other dates."
    )
else:
    st.plotly_chart(timeline_figure(pieces, first_day, last_day), width="stretch", key="timeline")

    daily = daily_totals(pieces)
    daily = daily.assign(hours=daily["seconds"] / 3600, day=daily["day"].astype(str))
    stacked = px.bar(daily, x="day", y="hours", color="label", pattern_shape="source", title="Hours per day")
    stacked.update_layout(barmode="stack", xaxis={"type": "category", "title": None})
    st.plotly_chart(stacked, width="stretch", key="daily_totals")

    days = sorted(pieces["day"].unique())
    today = datetime.now(tz).date()
    day_column, range_column = st.columns(2)
    with day_column:
        chosen_day = st.selectbox(
            "Totals for the day", days, index=days.index(today) if today in days else len(days) - 1, key="totals_day"
        )
        st.dataframe(totals_table(pieces[pieces["day"] == chosen_day], "that day"), hide_index=True)
    with range_column:
        st.markdown(f"**Totals {first_day} to {last_day}**")
        st.dataframe(totals_table(pieces, "all dates"), hide_index=True)

    attention = pieces[pieces["status"].isin(ATTENTION_STATUSES)]
    if not attention.empty:
        st.subheader("Needs a look")
        st.caption("Time that did not pair up cleanly. It is shown, never dropped.")
        st.dataframe(
            pd.DataFrame(
                {
                    "day": attention["day"].astype(str),
                    "at": attention["start"].map(lambda moment: moment.strftime("%H:%M")),
                    "label": attention["label"],
                    "what": attention["status"].map(ATTENTION_STATUSES),
                    "detail": attention["detail"],
                }
            ),
            hide_index=True,
        )

for panel in SOURCE_PANELS:
    panel(principal, first_day, last_day, tz)

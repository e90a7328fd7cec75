"""The ActivityWatch panel on My time: active vs AFK per day, top apps and window titles,
web domains and editor projects, in the viewer's timezone. Drawn by my_time.py through
SOURCE_PANELS; data comes from timetracker.activitywatch.activity.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.express as px
import streamlit as st

from components.auth_state import runtime
from components.page_parts import reported_errors
from timetracker.activitywatch import activity
from timetracker.auth.principal import Principal


def _hours(frame: pd.DataFrame) -> pd.DataFrame:
    minutes = (frame["seconds"] / 60).round().astype(int)
    return frame.drop(columns="seconds").assign(time=[f"{m // 60}:{m % 60:02d}" for m in minutes])


def activitywatch_panel(principal: Principal, first_day: date, last_day: date, tz: ZoneInfo) -> None:
    frames: dict[str, pd.DataFrame] = {}
    with reported_errors():
        frames = activity.breakdown(runtime().db, principal, first_day, last_day, tz)
    if not frames or all(frame.empty for frame in frames.values()):
        return
    st.subheader("ActivityWatch")
    per_day = frames["afk_per_day"]
    if not per_day.empty:
        chart = per_day.assign(hours=per_day["seconds"] / 3600, day=per_day["day"].astype(str))
        figure = px.bar(
            chart,
            x="day",
            y="hours",
            color="status",
            barmode="group",
            title="Active (not AFK) vs AFK per day",
            color_discrete_map={"not-afk": "seagreen", "afk": "lightgray"},
        )
        figure.update_layout(xaxis={"type": "category", "title": None})
        st.plotly_chart(figure, width="stretch", key="aw_afk_per_day")
    left, right = st.columns(2)
    for column, key, title in [
        (left, "apps", "Top apps"),
        (right, "titles", "Top window titles"),
        (left, "domains", "Web domains"),
        (right, "projects", "Editor projects"),
    ]:
        frame = frames[key]
        with column:
            st.markdown(f"**{title}**")
            if frame.empty:
                st.caption("Nothing in these dates.")
            else:
                st.dataframe(_hours(frame), hide_index=True)

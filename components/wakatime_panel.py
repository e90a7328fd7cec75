"""The coding-time panel of My time: hours per day by project, language and editor."""

from __future__ import annotations

from datetime import date
from uuid import UUID
from zoneinfo import ZoneInfo

import plotly.express as px
import streamlit as st

from components.auth_state import runtime
from components.page_parts import reported_errors
from timetracker.auth.principal import Principal
from timetracker.wakatime import coding_time

TABS = {"project": "Projects", "language": "Languages", "editor": "Editors"}
# My time's "Whose time" selectbox (team owners and admins); the panel follows it.
WHOSE_TIME_KEY = "whose_time"


def coding_time_panel(principal: Principal, first_day: date, last_day: date, tz: ZoneInfo) -> None:
    chosen = st.session_state.get(WHOSE_TIME_KEY)
    owner_id = UUID(chosen) if chosen else principal.user_id
    st.subheader("Coding time")
    with reported_errors():
        totals = coding_time.day_totals(runtime().db, principal, first_day, last_day, tz, owner_id=owner_id)
        if totals.empty:
            st.caption("No coding time in these dates. Connect WakaTime or set up an editor plugin on Integrations.")
            return
        totals = totals.assign(hours=totals["seconds"] / 3600, day=totals["day"].astype(str))
        for tab, (dimension, title) in zip(st.tabs(list(TABS.values())), TABS.items(), strict=True):
            with tab:
                frame = totals[totals["dimension"] == dimension]
                if frame.empty:
                    st.caption(f"No {title.lower()} recorded.")
                    continue
                per_day = frame.groupby(["day", "name"], as_index=False)["hours"].sum()
                figure = px.bar(per_day, x="day", y="hours", color="name", title=f"Coding hours per day by {dimension}")
                figure.update_layout(barmode="stack", xaxis={"type": "category", "title": None}, legend_title_text=None)
                st.plotly_chart(figure, width="stretch", key=f"coding_{dimension}")

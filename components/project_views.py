"""What the pages draw of time by project: tables, bars and the colours every page shares.

Pure functions of the core's groups (timetracker.reports.summary: counted-once seconds per
project, unassigned included), so they can be checked without a page run. A project keeps
the colour it was given everywhere; unassigned time is always grey.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import pandas as pd
import plotly.graph_objects as go

from components.page_parts import hours_text
from timetracker.projects.rules import UNASSIGNED, UNASSIGNED_COLOR, UNASSIGNED_NAME, Naming
from timetracker.reports.summary import Group, grouped, project_days
from timetracker.reports.team_time import MemberTime

PROJECT_TABLE_COLUMNS = ["project", "time", "share"]
TEAM_CSV_COLUMNS = ["member", "user_id", "day", "project", "seconds", "duration"]


def project_colours(groups: Sequence[Group]) -> dict[str, str]:
    """Project name -> its colour, in the groups' order (unassigned grey)."""
    return {group.name: group.color or UNASSIGNED_COLOR for group in groups}


def naming_colours(naming: Naming) -> dict[str, str]:
    """Every project a person's rules know, by name, with its colour (and unassigned)."""
    colours = {project.title: project.color for project in naming.projects.values()}
    return colours | {UNASSIGNED_NAME: UNASSIGNED_COLOR}


def projects_table(groups: Sequence[Group]) -> pd.DataFrame:
    """H:MM and share of the total per project, largest first, and a total row."""
    total = sum(group.tracked_seconds for group in groups)
    rows = [
        (group.name, hours_text(group.tracked_seconds), f"{group.tracked_seconds / total:.0%}" if total else "")
        for group in groups
    ]
    rows.append(("Total", hours_text(total), "100%" if total else ""))
    return pd.DataFrame(rows, columns=PROJECT_TABLE_COLUMNS)


def projects_figure(groups: Sequence[Group], title: str) -> go.Figure:
    """One horizontal bar per project in its colour, the largest on top."""
    figure = go.Figure(
        go.Bar(
            x=[group.tracked_seconds / 3600 for group in groups],
            y=[group.name for group in groups],
            orientation="h",
            marker={"color": [group.color or UNASSIGNED_COLOR for group in groups]},
            text=[hours_text(group.tracked_seconds) for group in groups],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(title=title, height=120 + 32 * max(len(groups), 1), margin={"t": 50, "b": 20})
    figure.update_yaxes(autorange="reversed", title=None)
    figure.update_xaxes(title="hours", rangemode="tozero")
    return figure


def member_projects(times: Sequence[MemberTime]) -> dict[UUID, list[Group]]:
    """Each member's seconds per project (named by their own rules)."""
    return {item.member.user_id: grouped([(item.member, item.time)], "project") for item in times}


def member_projects_figure(times: Sequence[MemberTime], labels: dict[UUID, str]) -> go.Figure:
    """Per member, a bar stacked by project, in the projects' colours."""
    per_member = member_projects(times)
    team = grouped([(item.member, item.time) for item in times], "project")
    figure = go.Figure()
    for project in team:
        seconds = [
            sum(g.tracked_seconds for g in per_member[item.member.user_id] if _same(g, project)) for item in times
        ]
        figure.add_bar(
            name=project.name,
            x=[labels[item.member.user_id] for item in times],
            y=[value / 3600 for value in seconds],
            marker_color=project.color or UNASSIGNED_COLOR,
            customdata=[hours_text(value) for value in seconds],
            hovertemplate=f"{project.name}: %{{customdata}}<extra></extra>",
        )
    figure.update_layout(barmode="stack", title="Hours per member by project", legend_title_text="project")
    figure.update_yaxes(title="hours", rangemode="tozero")
    return figure


def _same(group: Group, other: Group) -> bool:
    return group.project_id == other.project_id and (group.project_id is not None or group.key == other.key)


def project_label(project_id: str, naming: Naming) -> str:
    return UNASSIGNED_NAME if project_id == UNASSIGNED else naming.name(project_id)


def team_projects_csv(times: Sequence[MemberTime], labels: dict[UUID, str]) -> str:
    """One row per member, day and project (counted once: a member's day adds up to their
    tracked time that day, unassigned included)."""
    rows = [
        {
            "member": labels[item.member.user_id],
            "user_id": str(item.member.user_id),
            "day": day.isoformat(),
            "project": group.name,
            "seconds": round(group.tracked_seconds),
            "duration": hours_text(group.tracked_seconds),
        }
        for item in times
        for day, groups in project_days(item.member, item.time).items()
        for group in groups
    ]
    return pd.DataFrame(rows, columns=TEAM_CSV_COLUMNS).to_csv(index=False)

"""Projects: what time is spent on, and the rules that name every source's time for them.

A person keeps their own projects and rules; a team's are shown to its members and changed
by its owners and admins. A draft rule is previewed live over the last 7 days (the team's
time for a team rule) before it is added. Rules apply in order, personal before team, when
time is read: a change shows in every report at once, past days included. ActivityWatch's
own categories can be imported from its settings export.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any
from uuid import UUID

import pandas as pd
import streamlit as st

from components.auth_state import current_principal, runtime
from components.page_parts import done, hours_text, reported_errors
from components.time_views import source_name
from timetracker import teams
from timetracker.projects import activitywatch_categories, preview, store
from timetracker.projects.rules import FIELDS
from timetracker.projects.store import RuleDraft

MINE = "mine"
FIELD_NAMES = {
    "tag_id": "tag id",
    "tag_label": "tag label",
    "project": "coding project",
    "branch": "branch",
    "language": "language",
    "app": "app",
    "title": "window title",
    "url": "URL",
    "domain": "domain",
    "client": "client",
    "description": "description",
}
# A field whose name another source means differently.
SOURCE_FIELD_NAMES = {("imported", "project"): "project (in the other tracker)"}


def field_name(source: str, field: str) -> str:
    return SOURCE_FIELD_NAMES.get((source, field)) or FIELD_NAMES[field]


MATCH_NAMES = {"exact": "is exactly", "regex": "matches the regex"}


def pick_scope() -> tuple[UUID | None, bool]:
    """(team id or None for one's own, whether the viewer may change them)."""
    mine = {MINE: ("My projects", "owner")}
    for team in teams.list_mine(db, principal):
        mine[str(team["id"])] = (f"Team {team['name']}", team["role"])
    chosen = st.selectbox("Whose projects", list(mine), format_func=lambda key: mine[key][0], key="project_scope")
    role = mine[chosen][1]
    return (None if chosen == MINE else UUID(chosen)), role in ("owner", "admin")


def projects_frame(projects: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project": [p["path"] for p in projects],
            "colour": [p["color"] for p in projects],
            "archived": [p["archived"] for p in projects],
        },
        columns=["project", "colour", "archived"],
    )


def rules_frame(rules: list[dict[str, Any]], paths: dict[UUID, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order": list(range(1, len(rules) + 1)),
            "source": [source_name(r["source"]) for r in rules],
            "when": [f"{field_name(r['source'], r['field'])} {MATCH_NAMES[r['match']]}" for r in rules],
            "pattern": [r["pattern"] + (" (any case)" if r["ignore_case"] else "") for r in rules],
            "and": [f"{r['extra_field']} is {r['extra_pattern']}" if r["extra_field"] else "" for r in rules],
            "project": [paths.get(r["project_id"], "?") for r in rules],
        },
        columns=["order", "source", "when", "pattern", "and", "project"],
    )


def show_projects(projects: list[dict[str, Any]], team_id: UUID | None, can_write: bool) -> None:
    st.subheader("Projects and their colours")
    if projects:
        st.dataframe(
            projects_frame(projects),
            hide_index=True,
            width="stretch",
            column_config={"colour": st.column_config.TextColumn(help="Its colour on every chart")},
            key="projects_table",
        )
    else:
        st.caption("No projects yet.")
    if not can_write:
        st.caption("The team's owners and admins manage its projects.")
        return
    with st.form("new_project", clear_on_submit=True, border=True):
        name_col, colour_col, parent_col = st.columns([3, 1, 3])
        name = name_col.text_input("New project", placeholder="e.g. Apollo", key="new_project_name")
        colour = colour_col.color_picker("Colour", value=store.DEFAULT_COLOR, key="new_project_colour")
        parents = {"": "(none: a top-level project)"} | {str(p["id"]): p["path"] for p in projects}
        parent = parent_col.selectbox("Inside", list(parents), format_func=parents.get, key="new_project_parent")
        if st.form_submit_button("Add project", icon=":material/add:"):
            with reported_errors():
                store.create_project(db, principal, name, colour, UUID(parent) if parent else None, team_id)
                done(f"Project {name.strip()} added.")
    if projects:
        paths = {str(p["id"]): p for p in projects}
        chosen_col, archive_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
        chosen = chosen_col.selectbox(
            "Project", list(paths), format_func=lambda key: paths[key]["path"], key="project_to_change"
        )
        archived = paths[chosen]["archived"]
        if archive_col.button("Restore" if archived else "Archive", key="archive_project"):
            with reported_errors():
                store.update_project(db, principal, UUID(chosen), {"archived": not archived})
                done(f"{paths[chosen]['path']} {'restored' if archived else 'archived'}.")
        if delete_col.button("Delete", key="delete_project"):
            with reported_errors():
                store.delete_project(db, principal, UUID(chosen))
                done(f"{paths[chosen]['path']} deleted with its rules.")
        st.caption(
            "An archived project keeps its time and its rules (past reports do not change) but is no"
            " longer offered for new rules or for the timer."
        )


def draft_form(choices: dict[str, str]) -> RuleDraft | None:
    """The rule being written, or None until it names a project and a pattern."""
    project_col, source_col, field_col = st.columns(3)
    project = project_col.selectbox("Project", list(choices), format_func=choices.get, key="rule_project")
    source = source_col.selectbox("Source", list(FIELDS), format_func=source_name, key="rule_source")
    field = field_col.selectbox("When its", FIELDS[source], format_func=partial(field_name, source), key="rule_field")
    match_col, pattern_col, case_col = st.columns([1, 2, 1], vertical_alignment="bottom")
    match = match_col.selectbox("How", list(MATCH_NAMES), format_func=MATCH_NAMES.get, key="rule_match")
    pattern = pattern_col.text_input("Pattern", placeholder="e.g. Firefox, or (?i)apollo", key="rule_pattern")
    ignore_case = case_col.checkbox("Any case", key="rule_ignore_case")
    if not project or not pattern:
        return None
    return RuleDraft(UUID(project), source, field, match, pattern, ignore_case)


def show_preview(draft: RuleDraft, team_id: UUID | None) -> bool:
    """What the draft matches in the last 7 days; False when it cannot be a rule."""
    with reported_errors():
        seen = preview.preview(db, principal, draft, team_id)
        whose = "the team's" if team_id else "your"
        st.markdown(
            f"**Preview:** matches **{hours_text(seen.matched_seconds)}** of {whose}"
            f" {hours_text(seen.source_seconds)} of {source_name(draft.source)} time in the last 7 days."
        )
        if seen.matches:
            st.dataframe(
                pd.DataFrame(
                    {
                        FIELD_NAMES[draft.field]: [value for value, _ in seen.matches],
                        "time": [hours_text(seconds) for _, seconds in seen.matches],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="rule_preview",
            )
        return True
    return False


def show_rules(
    projects: list[dict[str, Any]], usable: list[dict[str, Any]], team_id: UUID | None, can_write: bool
) -> None:
    st.subheader("Rules")
    st.caption(
        "The first rule that matches a piece of time names its project; your own rules come before your"
        " teams'. Time no rule names is shown as unassigned. Timer sessions and time added by hand pick"
        " their project themselves."
    )
    rules = store.list_rules(db, principal, team_id)
    paths = {p["id"]: p["path"] for p in projects}
    if rules:
        st.dataframe(rules_frame(rules, paths), hide_index=True, width="stretch", key="rules_table")
    else:
        st.caption("No rules yet.")
    if not can_write:
        return
    if rules:
        order = {str(r["id"]): n for n, r in enumerate(rules, start=1)}
        chosen_col, up_col, down_col, delete_col = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
        chosen = chosen_col.selectbox(
            "Rule", list(order), format_func=lambda key: f"rule {order[key]}", key="rule_to_change"
        )
        for column, label, steps in ((up_col, "Move up", -1), (down_col, "Move down", 1)):
            if column.button(label, key=f"rule_{steps}"):
                with reported_errors():
                    store.move_rule(db, principal, UUID(chosen), steps)
                    done(f"Rule {order[chosen]} moved.")
        if delete_col.button("Delete", key="delete_rule"):
            with reported_errors():
                store.delete_rule(db, principal, UUID(chosen))
                done(f"Rule {order[chosen]} deleted.")
        edit_pattern(next(r for r in rules if str(r["id"]) == chosen), order[chosen])
    if not usable:
        st.info("Add a project first: a rule names time for one.")
        return
    with st.container(border=True):
        st.markdown("**New rule**")
        draft = draft_form({str(p["id"]): p["path"] for p in usable})
        if draft is not None and show_preview(draft, team_id) and st.button("Add rule", key="add_rule"):
            with reported_errors():
                store.create_rule(db, principal, draft, team_id)
                done("Rule added: reports use it from now on, past days included.")


def edit_pattern(rule: dict[str, Any], number: int) -> None:
    """The chosen rule's pattern, changed in place: past reports follow at once."""
    pattern_col, save_col = st.columns([4, 1], vertical_alignment="bottom")
    pattern = pattern_col.text_input(
        f"Rule {number}'s pattern", value=rule["pattern"], key=f"edit_pattern:{rule['id']}"
    )
    if pattern != rule["pattern"] and save_col.button("Save pattern", key="save_pattern"):
        with reported_errors():
            store.update_rule(db, principal, rule["id"], {"pattern": pattern})
            done(f"Rule {number} changed: reports use it from now on, past days included.")


def show_import(team_id: UUID | None) -> None:
    with st.expander("Import ActivityWatch categories"):
        st.caption(
            "In ActivityWatch, Settings → Categorization → Export, then upload the file here. Each category"
            " becomes a project (Work > Programming stays a tree) and each regex two rules, on the app and"
            " on the window title. The deepest categories' rules come first, as ActivityWatch decides."
        )
        upload = st.file_uploader("Settings export (JSON)", type=["json"], key="aw_categories")
        if upload is not None and st.button("Import", key="import_categories"):
            with reported_errors(json.JSONDecodeError, UnicodeDecodeError):
                categories = activitywatch_categories.parsed(json.loads(upload.getvalue().decode("utf-8")))
                imported = activitywatch_categories.import_categories(db, principal, categories, team_id)
                done(f"Imported {imported.projects} new projects and {imported.rules} rules.")


principal = current_principal()
db = runtime().db
st.title("Projects")
team_id, can_write = pick_scope()
everything = store.list_projects(db, principal)
in_scope = [p for p in everything if p["team_id"] == team_id]
# A personal rule may name a team's project too; a team's rule names one of the team's.
usable = [p for p in (everything if team_id is None else in_scope) if not p["archived"]]
show_projects(in_scope, team_id, can_write)
show_rules(everything, usable, team_id, can_write)
if can_write:
    show_import(team_id)

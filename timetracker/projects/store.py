"""Projects and rules, read and written as the caller: RLS decides whose they may touch.

A person manages their own projects and rules; a team's are read by its members and
written by its owners and admins. The checks here only turn what RLS would refuse into
clear answers (which field is wrong, and why) before the database is asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID

import psycopg
import structlog
from psycopg import Connection

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Conflict, Forbidden, InvalidInput, NotFound
from timetracker.projects.patterns import LONGEST_PATTERN, PatternError, matcher
from timetracker.projects.rules import EXTRA_FIELDS, FIELDS, Naming, Project, Rule, rule_from_row, with_paths
from timetracker.storable import unstorable_text

NAME_MAX = 100
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOR = "#4c78a8"
PROJECT_COLUMNS = "id, owner_id, team_id, name, color, parent_id, archived, created_at"
RULE_COLUMNS = (
    "id, project_id, owner_id, team_id, source, field, match, pattern, ignore_case,"
    " extra_field, extra_pattern, position, created_at"
)
NOT_YOURS = "you manage your own projects and rules, and those of teams you own or administer"
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RuleDraft:
    """A rule as a person writes it, before it is stored (or previewed)."""

    project_id: UUID
    source: str
    field: str
    match: str = "exact"
    pattern: str = ""
    ignore_case: bool = False
    extra_field: str | None = None
    extra_pattern: str | None = None


# A draft's fields, in the order of their columns in project_rules.
DRAFT_FIELDS = [field.name for field in fields(RuleDraft)]
DRAFT_COLUMNS = ", ".join(DRAFT_FIELDS)


def _values_of(draft: RuleDraft) -> tuple[Any, ...]:
    return tuple(getattr(draft, name) for name in DRAFT_FIELDS)


def naming_for(conn: Connection[Any], person: UUID) -> Naming:
    """The projects and ordered rules that name `person`'s time (their own and their teams'),
    as the person or one of their team admins sees them: the same for both."""
    projects = [
        Project(
            id=str(row["id"]),
            name=row["name"],
            color=row["color"],
            parent_id=str(row["parent_id"]) if row["parent_id"] else None,
            team_id=str(row["team_id"]) if row["team_id"] else None,
            archived=row["archived"],
        )
        for row in conn.execute("select * from internal.projects_for(%s)", (person,)).fetchall()
    ]
    rows = conn.execute("select * from internal.project_rules_for(%s)", (person,)).fetchall()
    return Naming(projects=with_paths(projects), rules=[rule for rule in map(_runnable, rows) if rule])


def _runnable(row: Mapping[str, Any]) -> Rule | None:
    """A stored rule, or None when its pattern no longer runs (written before a stricter
    check, or straight into the table): a report leaves that rule out rather than fail."""
    try:
        return rule_from_row(row)
    except PatternError:
        log.warning("project rule left out: its pattern cannot run", rule_id=str(row["id"]))
        return None


def naming(db: Database, principal: Principal, person: UUID | None = None) -> Naming:
    with db.as_user(principal.db_claims) as conn:
        return naming_for(conn, person or principal.user_id)


# -- projects


def list_projects(db: Database, principal: Principal, team_id: UUID | None = None) -> list[dict[str, Any]]:
    """The caller's own projects and their teams' (or only `team_id`'s), with each one's path."""
    scope, params = ("team_id = %s", (team_id,)) if team_id else ("true", ())
    with db.as_user(principal.db_claims) as conn:
        rows = conn.execute(
            f"select {PROJECT_COLUMNS} from projects where {scope} order by team_id nulls first, name", params
        ).fetchall()
    paths = with_paths(
        Project(id=str(r["id"]), name=r["name"], color=r["color"], parent_id=str(r["parent_id"] or "") or None)
        for r in rows
    )
    return sorted(({**row, "path": paths[str(row["id"])].title} for row in rows), key=_scope_and_path)


def _scope_and_path(row: Mapping[str, Any]) -> tuple[bool, str, str]:
    return (row["team_id"] is not None, str(row["team_id"] or ""), row["path"].casefold())


def create_project(
    db: Database,
    principal: Principal,
    name: str,
    color: str | None = None,
    parent_id: UUID | None = None,
    team_id: UUID | None = None,
    archived: bool = False,
) -> dict[str, Any]:
    owner_id = None if team_id else principal.user_id
    with db.as_user(principal.db_claims) as conn:
        _check_manages(conn, owner_id, team_id)
        _check_parent(conn, None, parent_id, owner_id, team_id)
        return _written(
            conn,
            f"insert into projects (owner_id, team_id, name, color, parent_id, archived)"
            f" values (%s, %s, %s, %s, %s, %s) returning {PROJECT_COLUMNS}",
            (owner_id, team_id, checked_name(name), checked_color(color), parent_id, archived),
        )


def update_project(db: Database, principal: Principal, project_id: UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change what is given of name, color, parent_id (None: a root) and archived."""
    with db.as_user(principal.db_claims) as conn:
        current = _project(conn, project_id)
        _check_manages(conn, current["owner_id"], current["team_id"])
        values: dict[str, Any] = {}
        if "name" in changes:
            values["name"] = checked_name(changes["name"])
        if "color" in changes:
            values["color"] = checked_color(changes["color"])
        if "parent_id" in changes:
            _check_parent(conn, project_id, changes["parent_id"], current["owner_id"], current["team_id"])
            values["parent_id"] = changes["parent_id"]
        if "archived" in changes:
            values["archived"] = bool(changes["archived"])
        if not values:
            return current
        assignments = ", ".join(f"{column} = %({column})s" for column in values)
        return _written(
            conn,
            f"update projects set {assignments} where id = %(id)s returning {PROJECT_COLUMNS}",
            {**values, "id": project_id},
        )


def delete_project(db: Database, principal: Principal, project_id: UUID) -> None:
    """Delete a project with its rules; its sub-projects become roots, its timer sessions and
    entries unassigned."""
    with db.as_user(principal.db_claims) as conn:
        current = _project(conn, project_id)
        _check_manages(conn, current["owner_id"], current["team_id"])
        conn.execute("delete from projects where id = %s", (project_id,))


def usable_project(conn: Connection[Any], project_id: UUID | None) -> UUID | None:
    """`project_id` when the caller may give time to it (visible, not archived)."""
    if project_id is None:
        return None
    project = _project(conn, project_id)
    if project["archived"]:
        raise InvalidInput("that project is archived; choose another or restore it first")
    return project_id


def _project(conn: Connection[Any], project_id: UUID) -> dict[str, Any]:
    row = conn.execute(f"select {PROJECT_COLUMNS} from projects where id = %s", (project_id,)).fetchone()
    if row is None:
        raise NotFound("no such project (or not yours)")
    return row


def _check_manages(conn: Connection[Any], owner_id: UUID | None, team_id: UUID | None) -> None:
    row = conn.execute("select internal.manages_projects_of(%s, %s) as allowed", (owner_id, team_id)).fetchone()
    if not row["allowed"]:
        raise Forbidden(NOT_YOURS)


def _check_parent(
    conn: Connection[Any], project_id: UUID | None, parent_id: UUID | None, owner_id: UUID | None, team_id: UUID | None
) -> None:
    if parent_id is None:
        return
    parent = conn.execute("select owner_id, team_id from projects where id = %s", (parent_id,)).fetchone()
    if parent is None or (parent["owner_id"], parent["team_id"]) != (owner_id, team_id):
        raise InvalidInput("parent_id must be a project of the same person or team")
    fits = conn.execute(
        "select internal.project_parent_fits(%s, %s, %s, %s) as fits", (project_id, parent_id, owner_id, team_id)
    ).fetchone()
    if not fits["fits"]:
        raise InvalidInput("parent_id would make the project its own ancestor")


def checked_name(name: str) -> str:
    name = (name or "").strip()
    problem = unstorable_text(name)
    if problem:
        raise InvalidInput(f"name {problem}")
    if not 1 <= len(name) <= NAME_MAX:
        raise InvalidInput(f"name must be 1 to {NAME_MAX} characters")
    return name


def checked_color(color: str | None) -> str:
    if color is None:
        return DEFAULT_COLOR
    if not COLOR.match(color):
        raise InvalidInput("color must be #rrggbb, e.g. #4c78a8")
    return color.lower()


def _written(conn: Connection[Any], sql: str, params: Any) -> dict[str, Any]:
    try:
        with conn.transaction():
            row = conn.execute(sql, params).fetchone()
    except psycopg.errors.UniqueViolation:
        raise Conflict("a project of that name already exists there") from None
    except psycopg.errors.InsufficientPrivilege:
        raise Forbidden(NOT_YOURS) from None
    if row is None:
        raise NotFound("no such project or rule (or not yours)")
    return row


# -- rules


def list_rules(db: Database, principal: Principal, team_id: UUID | None = None) -> list[dict[str, Any]]:
    """The caller's personal rules (or `team_id`'s), in the order they apply."""
    scope, params = ("team_id = %s", (team_id,)) if team_id else ("owner_id = %s", (principal.user_id,))
    with db.as_user(principal.db_claims) as conn:
        return conn.execute(
            f"select {RULE_COLUMNS} from project_rules where {scope} order by position, created_at, id", params
        ).fetchall()


def checked_draft(draft: RuleDraft) -> RuleDraft:
    """The draft, or InvalidInput saying which part cannot be a rule (a pattern's position too)."""
    if draft.field not in FIELDS.get(draft.source, ()):
        allowed = ", ".join(FIELDS.get(draft.source, ())) or "none"
        raise InvalidInput(f"{draft.source} rules match on {allowed}, not {draft.field!r}")
    if draft.match not in ("exact", "regex"):
        raise InvalidInput("match must be exact or regex")
    problem = unstorable_text(draft.pattern) or unstorable_text(draft.extra_pattern or "")
    if problem:
        raise InvalidInput(f"pattern {problem}")
    matcher(draft.pattern, "regex" if draft.match == "regex" else "exact", draft.ignore_case)
    if (draft.extra_field is None) != (draft.extra_pattern is None):
        raise InvalidInput("extra_field and extra_pattern go together")
    if draft.extra_field is not None:
        if draft.extra_field not in EXTRA_FIELDS.get(draft.source, ()):
            raise InvalidInput("an extra condition is for WakaTime rules, on branch or language")
        if not draft.extra_pattern or len(draft.extra_pattern) > LONGEST_PATTERN:
            raise InvalidInput(f"extra_pattern must be 1 to {LONGEST_PATTERN} characters")
    return draft


def create_rule(
    db: Database, principal: Principal, draft: RuleDraft, team_id: UUID | None = None, position: int | None = None
) -> dict[str, Any]:
    draft = checked_draft(draft)
    owner_id = None if team_id else principal.user_id
    with db.as_user(principal.db_claims) as conn:
        _check_manages(conn, owner_id, team_id)
        _check_rule_project(conn, draft.project_id, team_id)
        if position is None:
            scope = "team_id = %s" if team_id else "owner_id = %s"
            position = conn.execute(
                f"select coalesce(max(position) + 1, 0) as next from project_rules where {scope}",
                (team_id or owner_id,),
            ).fetchone()["next"]
        return _written(
            conn,
            f"insert into project_rules (owner_id, team_id, {DRAFT_COLUMNS}, position)"
            f" values (%s, %s, {', '.join(['%s'] * len(DRAFT_FIELDS))}, %s) returning {RULE_COLUMNS}",
            (owner_id, team_id, *_values_of(draft), position),
        )


def update_rule(db: Database, principal: Principal, rule_id: UUID, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change what is given of the rule's fields (the whole rule is checked again)."""
    with db.as_user(principal.db_claims) as conn:
        current = conn.execute(f"select {RULE_COLUMNS} from project_rules where id = %s", (rule_id,)).fetchone()
        if current is None:
            raise NotFound("no such rule (or not yours)")
        _check_manages(conn, current["owner_id"], current["team_id"])
        merged = {**current, **changes}
        draft = checked_draft(RuleDraft(**{name: merged[name] for name in DRAFT_FIELDS}))
        if draft.project_id != current["project_id"]:
            _check_rule_project(conn, draft.project_id, current["team_id"])
        assignments = ", ".join(f"{column} = %s" for column in DRAFT_FIELDS)
        return _written(
            conn,
            f"update project_rules set {assignments}, position = %s where id = %s returning {RULE_COLUMNS}",
            (*_values_of(draft), merged["position"], rule_id),
        )


def delete_rule(db: Database, principal: Principal, rule_id: UUID) -> None:
    with db.as_user(principal.db_claims) as conn:
        current = conn.execute("select owner_id, team_id from project_rules where id = %s", (rule_id,)).fetchone()
        if current is None:
            raise NotFound("no such rule (or not yours)")
        _check_manages(conn, current["owner_id"], current["team_id"])
        conn.execute("delete from project_rules where id = %s", (rule_id,))


def _check_rule_project(conn: Connection[Any], project_id: UUID, team_id: UUID | None) -> None:
    project = conn.execute("select team_id, archived from projects where id = %s", (project_id,)).fetchone()
    if project is None:
        raise InvalidInput("project_id must be a project you can see")
    if team_id is not None and project["team_id"] != team_id:
        raise InvalidInput("a team's rule names one of that team's projects")
    if project["archived"]:
        raise InvalidInput("that project is archived; new rules name active projects")


def move_rule(db: Database, principal: Principal, rule_id: UUID, steps: int) -> None:
    """Move a rule `steps` places later (earlier when negative) among its scope's rules, which
    are numbered 0, 1, ... afterwards."""
    with db.as_user(principal.db_claims) as conn:
        current = conn.execute("select owner_id, team_id from project_rules where id = %s", (rule_id,)).fetchone()
        if current is None:
            raise NotFound("no such rule (or not yours)")
        _check_manages(conn, current["owner_id"], current["team_id"])
        scope, whose = ("team_id", current["team_id"]) if current["team_id"] else ("owner_id", current["owner_id"])
        order = [
            row["id"]
            for row in conn.execute(
                f"select id from project_rules where {scope} = %s order by position, created_at, id", (whose,)
            ).fetchall()
        ]
        place = order.index(rule_id)
        order.insert(max(0, min(len(order) - 1, place + steps)), order.pop(place))
        conn.execute(
            "update project_rules r set position = o.position - 1"
            " from unnest(%s::uuid[]) with ordinality as o(id, position) where r.id = o.id",
            (order,),
        )

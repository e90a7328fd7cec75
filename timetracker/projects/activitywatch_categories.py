"""ActivityWatch's own categories, imported as projects and rules.

ActivityWatch keeps categories in its settings (`classes`; the web UI's export file has them
as `categories`): each has a name path such as ["Work", "Programming"], a rule
`{"type": "regex", "regex": ..., "ignore_case": ...}` (or `{"type": "none"}`) and
optionally `data.color`. The import makes the path a project tree (reusing projects that
already have those names) and each regex two rules, on the window's app and on its title,
as ActivityWatch matches both. ActivityWatch gives an event the deepest category that
matches, so the deepest categories' rules come first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from timetracker.auth.principal import Principal
from timetracker.db import Database
from timetracker.errors import Forbidden, InvalidInput
from timetracker.projects.patterns import PatternError, matcher
from timetracker.projects.store import DEFAULT_COLOR, checked_name
from timetracker.storable import unstorable_text

MATCHED_FIELDS = ("app", "title")
MOST_CATEGORIES = 500
SHORT_COLOR = re.compile(r"^#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])$")
LONG_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Category:
    path: tuple[str, ...]
    regex: str | None
    ignore_case: bool
    color: str | None


@dataclass(frozen=True)
class Imported:
    projects: int
    rules: int


def parsed(export: Any) -> list[Category]:
    """The categories of an ActivityWatch settings export (a list, or an object holding
    `classes` or `categories`), or InvalidInput saying which one is wrong."""
    items = export
    if isinstance(export, dict):
        items = export.get("classes", export.get("categories"))
    if not isinstance(items, list):
        raise InvalidInput("expected ActivityWatch categories: a list, or an object with classes or categories")
    if len(items) > MOST_CATEGORIES:
        raise InvalidInput(f"at most {MOST_CATEGORIES} categories at once")
    return [_category(index, item) for index, item in enumerate(items)]


def _category(index: int, item: Any) -> Category:
    where = f"category {index + 1}"
    if not isinstance(item, dict) or not isinstance(item.get("name"), list) or not item["name"]:
        raise InvalidInput(f'{where}: needs a name such as ["Work", "Programming"]')
    if not all(isinstance(part, str) for part in item["name"]):
        raise InvalidInput(f"{where}: every part of its name must be text")
    path = tuple(checked_name(part) for part in item["name"])
    rule = item.get("rule") or {"type": "none"}
    if not isinstance(rule, dict) or rule.get("type") not in ("regex", "none"):
        raise InvalidInput(f"{where} ({' > '.join(path)}): rule type must be regex or none")
    regex = rule.get("regex") if rule["type"] == "regex" else None
    ignore_case = bool(rule.get("ignore_case", False))
    if regex is not None:
        if not isinstance(regex, str) or not regex:
            raise InvalidInput(f"{where} ({' > '.join(path)}): a regex rule needs a regex")
        problem = unstorable_text(regex)
        if problem:
            raise InvalidInput(f"{where} ({' > '.join(path)}): its regex {problem}")
        try:
            matcher(regex, "regex", ignore_case)
        except PatternError as error:
            raise PatternError(f"{where} ({' > '.join(path)}): {error.message}", error.position) from None
    data = item.get("data") if isinstance(item.get("data"), dict) else {}
    return Category(path=path, regex=regex, ignore_case=ignore_case, color=_color(data.get("color")))


def _color(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    short = SHORT_COLOR.match(value)
    if short:
        return "#" + "".join(digit * 2 for digit in short.groups()).lower()
    return value.lower() if LONG_COLOR.match(value) else None


def import_categories(
    db: Database, principal: Principal, categories: Sequence[Category], team_id: UUID | None = None
) -> Imported:
    """The categories as the caller's projects (or `team_id`'s) and ActivityWatch rules after
    the ones already there, all in one transaction."""
    owner_id = None if team_id else principal.user_id
    with db.as_user(principal.db_claims) as conn:
        allowed = conn.execute("select internal.manages_projects_of(%s, %s) as ok", (owner_id, team_id)).fetchone()
        if not allowed["ok"]:
            raise Forbidden("you import into your own projects, or those of a team you own or administer")
        ids: dict[tuple[str, ...], UUID] = {}
        colors = {category.path: category.color for category in categories}
        created = 0
        for category in categories:
            for depth in range(1, len(category.path) + 1):
                path = category.path[:depth]
                if path in ids:
                    continue
                row = conn.execute(
                    "insert into projects (owner_id, team_id, name, color, parent_id) values (%s, %s, %s, %s, %s)"
                    " on conflict on constraint projects_name_key do update set name = excluded.name"
                    " returning id, (xmax = 0) as inserted",
                    (owner_id, team_id, path[-1], colors.get(path) or DEFAULT_COLOR, ids.get(path[:-1])),
                ).fetchone()
                ids[path] = row["id"]
                created += int(row["inserted"])
        scope = "team_id = %s" if team_id else "owner_id = %s"
        position = conn.execute(
            f"select coalesce(max(position) + 1, 0) as next from project_rules where {scope}", (team_id or owner_id,)
        ).fetchone()["next"]
        rules = 0
        deepest_first = sorted((c for c in categories if c.regex), key=lambda c: -len(c.path))
        for category in deepest_first:
            for field in MATCHED_FIELDS:
                conn.execute(
                    "insert into project_rules (project_id, owner_id, team_id, source, field, match, pattern,"
                    " ignore_case, position) values (%s, %s, %s, 'activitywatch', %s, 'regex', %s, %s, %s)",
                    (ids[category.path], owner_id, team_id, field, category.regex, category.ignore_case, position),
                )
                position += 1
                rules += 1
        return Imported(projects=created, rules=rules)

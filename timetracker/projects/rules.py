"""The rules that name one person's time, in order, and the project of a piece of time.

A piece of time is known by its source and its fields (an NFC tag's id and label, a coding
project's name, branch and language, a window's app, title, URL and domain, another
tracker's project, client and description). The first rule
of its source whose field matches (and whose extra condition holds) names its project;
personal rules come before team rules. Timer sessions and entries added by hand name their
project themselves. What nothing names is unassigned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from timetracker.projects.patterns import Match, Matcher, matcher

# The fields each source's rules may match, as the rules table allows them.
FIELDS: dict[str, tuple[str, ...]] = {
    "nfc": ("tag_id", "tag_label"),
    "wakatime": ("project", "branch", "language"),
    "activitywatch": ("app", "title", "url", "domain"),
    "imported": ("project", "client", "description"),
}
EXTRA_FIELDS = {"wakatime": ("branch", "language")}
# The field through which a timer session or a hand-made entry names its project itself.
CHOSEN = "project_id"
# A piece no rule names (and the key of its time in reports).
UNASSIGNED = ""
UNASSIGNED_NAME = "unassigned"
# Project colours are kept as #rrggbb; unassigned time is always grey.
UNASSIGNED_COLOR = "#9e9e9e"

Fields = Mapping[str, str | None]


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    color: str
    parent_id: str | None = None
    team_id: str | None = None
    archived: bool = False
    # "Work > Programming": the names from the root, so two "Docs" under different parents differ.
    path: str = ""

    @property
    def title(self) -> str:
        return self.path or self.name


@dataclass(frozen=True)
class Rule:
    project_id: str
    source: str
    field: str
    test: Matcher
    extra_field: str | None = None
    extra_test: Matcher | None = None

    def matches(self, fields: Fields) -> bool:
        value = fields.get(self.field)
        if not value or not self.test(value):
            return False
        if self.extra_field is None or self.extra_test is None:
            return True
        extra = fields.get(self.extra_field)
        return bool(extra) and self.extra_test(extra)


def rule_from_row(row: Mapping[str, Any]) -> Rule:
    """A rule from its columns (a stored row, or a draft's fields); PatternError when its
    pattern cannot run."""
    extra_test = matcher(row["extra_pattern"], "exact", row["ignore_case"]) if row.get("extra_field") else None
    return Rule(
        project_id=str(row["project_id"]),
        source=row["source"],
        field=row["field"],
        test=matcher(row["pattern"], _match(row["match"]), row["ignore_case"]),
        extra_field=row.get("extra_field"),
        extra_test=extra_test,
    )


def _match(value: str) -> Match:
    return "regex" if value == "regex" else "exact"


@dataclass
class Naming:
    """One person's projects and ordered rules: what names each piece of their time."""

    projects: dict[str, Project] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    _by_source: dict[str, list[Rule]] = field(default_factory=dict, init=False, repr=False)
    _fields: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    # A month holds the same few thousand titles over and over: each is asked about once.
    _answers: dict[tuple[str | None, ...], str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for rule in self.rules:
            self._by_source.setdefault(rule.source, []).append(rule)
        self._fields = {source: self.fields_used(source) for source in self._by_source}

    def has_rules(self, source: str) -> bool:
        return bool(self._by_source.get(source))

    def fields_used(self, source: str) -> list[str]:
        """The fields the source's rules look at, in FIELDS order."""
        used = {name for rule in self._by_source.get(source, []) for name in (rule.field, rule.extra_field) if name}
        return [name for name in FIELDS.get(source, ()) if name in used]

    def project_of(self, source: str, fields: Fields) -> str:
        """The project id naming a piece of `source` time with `fields`, or UNASSIGNED."""
        chosen = fields.get(CHOSEN)
        if chosen:
            return str(chosen) if str(chosen) in self.projects else UNASSIGNED
        rules = self._by_source.get(source)
        if not rules:
            return UNASSIGNED
        key = (source, *(fields.get(name) for name in self._fields[source]))
        answer = self._answers.get(key)
        if answer is None:
            answer = next((rule.project_id for rule in rules if rule.matches(fields)), UNASSIGNED)
            self._answers[key] = answer
        return answer

    def name(self, project_id: str) -> str:
        project = self.projects.get(project_id)
        return project.title if project else UNASSIGNED_NAME

    def color(self, project_id: str) -> str:
        project = self.projects.get(project_id)
        return project.color if project else UNASSIGNED_COLOR


def with_paths(projects: Iterable[Project]) -> dict[str, Project]:
    """Projects by id, each with its path from the root of its tree."""
    by_id = {project.id: project for project in projects}

    def path(project: Project, seen: frozenset[str] = frozenset()) -> str:
        parent = by_id.get(project.parent_id or "")
        if parent is None or parent.id in seen:
            return project.name
        return f"{path(parent, seen | {project.id})} > {project.name}"

    return {project.id: replace(project, path=path(project)) for project in by_id.values()}

"""Project rules without a database: safe patterns, rule order, the project of a piece of time,
project paths, and ActivityWatch's categories as they are exported."""

from __future__ import annotations

import pytest

from timetracker.errors import InvalidInput
from timetracker.projects import activitywatch_categories
from timetracker.projects.patterns import LONGEST_SUBJECT, PatternError, matcher
from timetracker.projects.rules import UNASSIGNED, Naming, Project, Rule, with_paths


def test_a_catastrophic_pattern_runs_in_linear_time_on_a_long_title() -> None:
    # A backtracking engine takes 2^n steps on n "a"s followed by a "b": with n = 1,500 this
    # would not end in the lifetime of the machine. RE2 answers at once.
    evil = matcher("(a+)+$", "regex", False)
    assert evil("a" * (LONGEST_SUBJECT - 1) + "b") is False
    assert evil("a" * 30) is True
    nested = matcher(r"^(\w+\s?)*$", "regex", False)
    assert nested("word " * 300 + "!") is False


def test_long_values_are_matched_on_their_first_characters_only() -> None:
    tail = matcher("needle", "regex", False)
    assert tail("x" * (LONGEST_SUBJECT - 6) + "needle") is True
    assert tail("x" * LONGEST_SUBJECT + "needle") is False


@pytest.mark.parametrize(
    ("pattern", "position", "says"),
    [
        ("ab(c", 2, "missing )"),
        ("(?<=a)b", 0, "lookaround"),
        (r"(x)\1", 3, "backreferences"),
        ("a" * 501, 500, "at most 500"),
        ("", 0, "empty"),
    ],
)
def test_patterns_that_cannot_run_are_refused_saying_where(pattern: str, position: int, says: str) -> None:
    with pytest.raises(PatternError) as refused:
        matcher(pattern, "regex", False)
    assert refused.value.position == position
    assert says in refused.value.message
    assert isinstance(refused.value, InvalidInput)


def test_exact_matches_the_whole_value_and_regex_anywhere() -> None:
    assert matcher("Code", "exact", False)("Code") and not matcher("Code", "exact", False)("code")
    assert matcher("Code", "exact", True)("CODE") and not matcher("Code", "exact", True)("VS Code")
    assert matcher("Code", "regex", False)("VS Code") and not matcher("^Code", "regex", False)("VS Code")
    assert matcher("code", "regex", True)("VS CODE")


def rule(project: str, source: str, field: str, pattern: str, extra: tuple[str, str] | None = None) -> Rule:
    """A rule matching `pattern` anywhere; `extra`: (field, value) that must also hold exactly."""
    if extra is None:
        return Rule(project, source, field, matcher(pattern, "regex", False))
    return Rule(project, source, field, matcher(pattern, "regex", False), extra[0], matcher(extra[1], "exact", False))


PROJECTS = {name: Project(name, name.title(), "#000000") for name in ("alpha", "beta", "gamma")}


def test_the_first_matching_rule_of_the_source_names_the_piece() -> None:
    naming = Naming(
        projects=PROJECTS,
        rules=[
            rule("alpha", "activitywatch", "title", "alpha"),
            rule("beta", "activitywatch", "app", "Code"),
            rule("gamma", "wakatime", "project", "alpha", ("branch", "main")),
        ],
    )
    assert naming.project_of("activitywatch", {"app": "Code", "title": "alpha.py"}) == "alpha"
    assert naming.project_of("activitywatch", {"app": "Code", "title": "beta.py"}) == "beta"
    assert naming.project_of("activitywatch", {"app": "Firefox", "title": ""}) == UNASSIGNED
    # Another source's rules never apply; an extra condition must hold too.
    assert naming.project_of("nfc", {"tag_label": "alpha"}) == UNASSIGNED
    assert naming.project_of("wakatime", {"project": "alpha", "branch": "main"}) == "gamma"
    assert naming.project_of("wakatime", {"project": "alpha", "branch": "dev"}) == UNASSIGNED
    assert naming.project_of("wakatime", {"project": "alpha"}) == UNASSIGNED
    assert naming.fields_used("activitywatch") == ["app", "title"]
    assert naming.fields_used("wakatime") == ["project", "branch"]


def test_time_that_names_its_project_needs_no_rule_but_a_known_project() -> None:
    naming = Naming(projects=PROJECTS, rules=[rule("alpha", "timer", "project_id", ".")])
    assert naming.project_of("timer", {"project_id": "beta"}) == "beta"
    assert naming.project_of("timer", {"project_id": "deleted"}) == UNASSIGNED
    assert naming.project_of("manual", {"project_id": None}) == UNASSIGNED
    assert (naming.name("beta"), naming.name(UNASSIGNED)) == ("Beta", "unassigned")


def test_paths_run_from_the_root_and_survive_a_cycle() -> None:
    projects = with_paths(
        [
            Project("work", "Work", "#000000"),
            Project("code", "Programming", "#000000", parent_id="work"),
            Project("aw", "ActivityWatch", "#000000", parent_id="code"),
            Project("x", "X", "#000000", parent_id="y"),
            Project("y", "Y", "#000000", parent_id="x"),
        ]
    )
    assert projects["aw"].title == "Work > Programming > ActivityWatch"
    assert projects["work"].title == "Work"
    assert projects["x"].title in ("Y > X", "X")


def test_activitywatch_exports_are_read_in_every_shape_it_writes() -> None:
    classes = [
        {"name": ["Work"], "rule": {"type": "regex", "regex": "Google Docs"}},
        {"name": ["Work", "Programming"], "rule": {"type": "regex", "regex": "vim", "ignore_case": True}},
        {"name": ["Uncategorized"], "rule": {"type": "none"}, "data": {"color": "#ccc"}},
    ]
    for export in (classes, {"classes": classes}, {"categories": classes}):
        parsed = activitywatch_categories.parsed(export)
        assert [c.path for c in parsed] == [("Work",), ("Work", "Programming"), ("Uncategorized",)]
        assert [c.regex for c in parsed] == ["Google Docs", "vim", None]
        assert parsed[1].ignore_case and parsed[2].color == "#cccccc"


@pytest.mark.parametrize(
    ("export", "says"),
    [
        ({"settings": []}, "expected ActivityWatch categories"),
        ([{"name": "Work", "rule": {"type": "none"}}], "category 1"),
        ([{"name": ["Work"], "rule": {"type": "glob"}}], "rule type"),
        ([{"name": ["Work"], "rule": {"type": "regex", "regex": "(?=x)"}}], "category 1 (Work)"),
        ([{"name": ["Work", 3], "rule": {"type": "none"}}], "must be text"),
    ],
)
def test_a_broken_export_is_refused_saying_which_category(export: object, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        activitywatch_categories.parsed(export)
    assert says in refused.value.message


def test_a_regex_postgres_cannot_store_is_refused_before_it_is_imported() -> None:
    with pytest.raises(InvalidInput) as refused:
        activitywatch_categories.parsed([{"name": ["Work"], "rule": {"type": "regex", "regex": "a\x00b"}}])
    assert "NUL" in refused.value.message

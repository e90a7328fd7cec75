"""Projects, the rules that name time, a draft rule's preview, and the summary report."""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Body, Query

from api.deps import CurrentUser, DbDep
from api.routes.time import FirstDay, LastDay, viewer_days
from api.schemas import (
    CategoriesImported,
    Project,
    ProjectCreate,
    ProjectUpdate,
    Rule,
    RuleCreate,
    RulePreview,
    RulePreviewIn,
    RuleUpdate,
    SummaryGroup,
    SummaryReport,
)
from timetracker.projects import activitywatch_categories, preview, store
from timetracker.reports import summary

projects_router = APIRouter(prefix="/api/v1/projects", tags=["projects"])
rules_router = APIRouter(prefix="/api/v1/project-rules", tags=["projects"])
reports_router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

TeamScope = Annotated[UUID | None, Query(description="A team's (its members read, its owners and admins write)")]


@projects_router.get("", response_model=list[Project], summary="Your projects and your teams' (or one team's)")
def list_projects(user: CurrentUser, db: DbDep, team_id: TeamScope = None) -> list[dict[str, Any]]:
    return store.list_projects(db, user, team_id)


@projects_router.post("", status_code=201, response_model=Project, summary="Create a project (yours or a team's)")
def create_project(body: ProjectCreate, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return store.create_project(db, user, body.name, body.color, body.parent_id, body.team_id, body.archived)


@projects_router.patch("/{project_id}", response_model=Project, summary="Rename, recolour, move or archive a project")
def update_project(project_id: UUID, body: ProjectUpdate, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    for name in ("name", "archived"):
        if name in changes and changes[name] is None:
            del changes[name]
    return store.update_project(db, user, project_id, changes)


@projects_router.delete("/{project_id}", status_code=204, summary="Delete a project and its rules")
def delete_project(project_id: UUID, user: CurrentUser, db: DbDep) -> None:
    store.delete_project(db, user, project_id)


@projects_router.post(
    "/import/activitywatch",
    status_code=201,
    response_model=CategoriesImported,
    summary="Import ActivityWatch's categories (its settings export) as projects and rules",
)
def import_categories(
    user: CurrentUser,
    db: DbDep,
    export: Annotated[Any, Body(description="The settings export: a list of classes, or {classes} / {categories}")],
    team_id: TeamScope = None,
) -> CategoriesImported:
    categories = activitywatch_categories.parsed(export)
    imported = activitywatch_categories.import_categories(db, user, categories, team_id)
    return CategoriesImported(projects=imported.projects, rules=imported.rules)


@rules_router.get("", response_model=list[Rule], summary="Your rules (or a team's) in the order they apply")
def list_rules(user: CurrentUser, db: DbDep, team_id: TeamScope = None) -> list[dict[str, Any]]:
    return store.list_rules(db, user, team_id)


def _draft(body: RuleCreate | RulePreviewIn) -> store.RuleDraft:
    return store.RuleDraft(**body.model_dump(include=set(store.DRAFT_FIELDS)))


@rules_router.post("", status_code=201, response_model=Rule, summary="Add a rule (yours or a team's)")
def create_rule(body: RuleCreate, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    return store.create_rule(db, user, _draft(body), body.team_id, body.position)


@rules_router.post("/preview", response_model=RulePreview, summary="What a draft rule would match in the last 7 days")
def preview_rule(body: RulePreviewIn, user: CurrentUser, db: DbDep) -> RulePreview:
    seen = preview.preview(db, user, _draft(body), body.team_id)
    return RulePreview(
        start=seen.start,
        end=seen.end,
        matched_seconds=seen.matched_seconds,
        source_seconds=seen.source_seconds,
        matches=[{"value": value, "seconds": seconds} for value, seconds in seen.matches],
    )


@rules_router.patch("/{rule_id}", response_model=Rule, summary="Change a rule (its pattern, project or place)")
def update_rule(rule_id: UUID, body: RuleUpdate, user: CurrentUser, db: DbDep) -> dict[str, Any]:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    # Only the extra condition may be cleared with null; every other field is required.
    required = [name for name, value in changes.items() if value is None and not name.startswith("extra_")]
    for name in required:
        del changes[name]
    return store.update_rule(db, user, rule_id, changes)


@rules_router.delete("/{rule_id}", status_code=204, summary="Delete a rule")
def delete_rule(rule_id: UUID, user: CurrentUser, db: DbDep) -> None:
    store.delete_rule(db, user, rule_id)


@reports_router.get("/summary", response_model=SummaryReport, summary="Totals by project, day, member or source")
def get_summary(
    user: CurrentUser,
    db: DbDep,
    start: FirstDay = None,
    end: LastDay = None,
    group_by: Annotated[Literal["project", "day", "member", "source"], Query()] = "project",
    team_id: Annotated[UUID | None, Query(description="A team you own or administer: all its members")] = None,
) -> SummaryReport:
    tz, first_day, last_day = viewer_days(db, user, start, end)
    report = summary.summary(db, user, first_day, last_day, tz, group_by, team_id)
    return SummaryReport(
        start=first_day,
        end=last_day,
        group_by=group_by,
        team_id=team_id,
        groups=summary_groups(report.groups),
        tracked_seconds=report.tracked_seconds,
    )


def summary_groups(groups: list[summary.Group]) -> list[SummaryGroup]:
    return [
        SummaryGroup(key=g.key, name=g.name, project_id=g.project_id, color=g.color, tracked_seconds=g.tracked_seconds)
        for g in groups
    ]


# One router for api.main to include.
router = APIRouter()
for part in (projects_router, rules_router, reports_router):
    router.include_router(part)

"""Corrections to one's own time: entries added by hand, exclusions, and the trail of both."""

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import CurrentUser, DbDep
from api.routes.time import FirstDay, LastDay, viewer_days
from api.schemas import Edit, Entry, EntryCreate, EntryUpdate, Exclusion, ExclusionCreate, ExclusionUpdate
from timetracker import corrections

entries_router = APIRouter(prefix="/api/v1/entries", tags=["corrections"])
exclusions_router = APIRouter(prefix="/api/v1/exclusions", tags=["corrections"])
edits_router = APIRouter(prefix="/api/v1/edits", tags=["corrections"])

Whose = Annotated[UUID | None, Query(description="A team member's id (team owners and admins)")]


def _listed(
    db: DbDep, user: CurrentUser, kind: corrections.Kind, start: date | None, end: date | None, owner_id: UUID | None
) -> list[dict[str, Any]]:
    tz, first_day, last_day = viewer_days(db, user, start, end)
    return corrections.listed(db, user, kind, first_day, last_day, tz, owner_id)


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(**row, start=row["started_at"], end=row["ended_at"])


def _exclusion(row: dict[str, Any]) -> Exclusion:
    return Exclusion(**row, start=row["started_at"], end=row["ended_at"], reason=row["note"])


@entries_router.post("", status_code=201, response_model=Entry, summary="Add time by hand")
def add_entry(body: EntryCreate, user: CurrentUser, db: DbDep) -> Entry:
    added = corrections.add(
        db, user, "entry", body.start, body.end, body.note, label=body.label, project_id=body.project_id
    )
    return _entry(added)


@entries_router.get("", response_model=list[Entry], summary="Entries added by hand in a range of local days")
def list_entries(
    user: CurrentUser, db: DbDep, start: FirstDay = None, end: LastDay = None, user_id: Whose = None
) -> list[Entry]:
    return [_entry(row) for row in _listed(db, user, "entry", start, end, user_id)]


@entries_router.patch("/{entry_id}", response_model=Entry, summary="Change an entry of yours")
def update_entry(entry_id: UUID, body: EntryUpdate, user: CurrentUser, db: DbDep) -> Entry:
    project_id = body.project_id if "project_id" in body.model_fields_set else ...
    changes = {"start": body.start, "end": body.end, "note": body.note, "label": body.label}
    changed = corrections.update(db, user, "entry", entry_id, **changes, project_id=project_id)
    return _entry(changed)


@entries_router.delete("/{entry_id}", status_code=204, summary="Delete an entry of yours")
def delete_entry(entry_id: UUID, user: CurrentUser, db: DbDep) -> None:
    corrections.delete(db, user, "entry", entry_id)


@exclusions_router.post("", status_code=201, response_model=Exclusion, summary="Mark a stretch as not work")
def add_exclusion(body: ExclusionCreate, user: CurrentUser, db: DbDep) -> Exclusion:
    return _exclusion(corrections.add(db, user, "exclusion", body.start, body.end, body.reason))


@exclusions_router.get("", response_model=list[Exclusion], summary="Exclusions in a range of local days")
def list_exclusions(
    user: CurrentUser, db: DbDep, start: FirstDay = None, end: LastDay = None, user_id: Whose = None
) -> list[Exclusion]:
    return [_exclusion(row) for row in _listed(db, user, "exclusion", start, end, user_id)]


@exclusions_router.patch("/{exclusion_id}", response_model=Exclusion, summary="Change an exclusion of yours")
def update_exclusion(exclusion_id: UUID, body: ExclusionUpdate, user: CurrentUser, db: DbDep) -> Exclusion:
    changed = corrections.update(db, user, "exclusion", exclusion_id, start=body.start, end=body.end, note=body.reason)
    return _exclusion(changed)


@exclusions_router.delete("/{exclusion_id}", status_code=204, summary="Delete an exclusion of yours")
def delete_exclusion(exclusion_id: UUID, user: CurrentUser, db: DbDep) -> None:
    corrections.delete(db, user, "exclusion", exclusion_id)


@edits_router.get("", response_model=list[Edit], summary="The trail of corrections touching a range of local days")
def list_edits(
    user: CurrentUser, db: DbDep, start: FirstDay = None, end: LastDay = None, user_id: Whose = None
) -> list[Edit]:
    tz, first_day, last_day = viewer_days(db, user, start, end)
    return [_edit(row) for row in corrections.edits(db, user, first_day, last_day, tz, user_id)]


def _edit(row: dict[str, Any]) -> Edit:
    previous = row["previous"] or {}
    return Edit(
        **row,
        start=row["started_at"],
        end=row["ended_at"],
        previous_start=previous.get("started_at"),
        previous_end=previous.get("ended_at"),
    )


# One router for api.main to include.
router = APIRouter()
for part in (entries_router, exclusions_router, edits_router):
    router.include_router(part)

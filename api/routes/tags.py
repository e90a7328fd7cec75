from fastapi import APIRouter

from api.deps import CurrentUser, DbDep
from api.schemas import Tag, TagsPut
from timetracker.errors import InvalidInput, NotFound
from timetracker.nfc import devices

router = APIRouter(prefix="/api/v1/tags", tags=["tags"])


@router.put("", response_model=list[Tag], summary="Label tag ids (creates or replaces)")
def put_tags(body: TagsPut, user: CurrentUser, db: DbDep) -> list[Tag]:
    try:
        return [Tag(**row) for row in devices.put_tags(db, user, body.labels)]
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


@router.get("", response_model=list[Tag], summary="Your tag labels")
def list_tags(user: CurrentUser, db: DbDep) -> list[Tag]:
    return [Tag(**row) for row in devices.list_tags(db, user)]


@router.delete("/{tag_id}", status_code=204, summary="Forget a tag's label")
def delete_tag(tag_id: str, user: CurrentUser, db: DbDep) -> None:
    try:
        deleted = devices.delete_tag(db, user, tag_id)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    if not deleted:
        raise NotFound(f"no label for tag {tag_id!r}")

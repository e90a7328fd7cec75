from fastapi import APIRouter

from api.deps import CurrentUser, DbDep
from api.schemas import Profile, ProfileUpdate
from timetracker import profiles

router = APIRouter(prefix="/api/v1/profile", tags=["profile"])


@router.get("", response_model=Profile, summary="Your profile")
def get_profile(user: CurrentUser, db: DbDep) -> Profile:
    return Profile(**profiles.get(db, user))


@router.put("", response_model=Profile, summary="Change display name, timezone, the order of sources, ...")
def update_profile(body: ProfileUpdate, user: CurrentUser, db: DbDep) -> Profile:
    return Profile(
        **profiles.update(
            db,
            user,
            display_name=body.display_name,
            timezone=body.timezone,
            source_precedence=body.source_precedence,
            open_interval_cap_hours=body.open_interval_cap_hours,
            share_notes=body.share_notes,
        )
    )

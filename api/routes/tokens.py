from uuid import UUID

from fastapi import APIRouter

from api.deps import NEEDS_RECENT_LOGIN, CurrentUser, DbDep, RecentlyLoggedInUser
from api.schemas import ApiToken, ApiTokenWithSecret, TokenCreate
from timetracker.auth import api_tokens
from timetracker.errors import NotFound

router = APIRouter(prefix="/api/v1/tokens", tags=["personal API tokens"])


@router.post(
    "",
    status_code=201,
    response_model=ApiTokenWithSecret,
    summary="Create a token (shown once)",
    responses=NEEDS_RECENT_LOGIN,
)
def create_token(body: TokenCreate, user: RecentlyLoggedInUser, db: DbDep) -> ApiTokenWithSecret:
    row, token = api_tokens.create(db, user, body.name)
    return ApiTokenWithSecret(**row, token=token)


@router.get("", response_model=list[ApiToken], summary="Your tokens (never their secrets)")
def list_tokens(user: CurrentUser, db: DbDep) -> list[ApiToken]:
    return [ApiToken(**row) for row in api_tokens.list_mine(db, user)]


@router.delete("/{token_id}", status_code=204, summary="Revoke a token")
def revoke_token(token_id: UUID, user: CurrentUser, db: DbDep) -> None:
    if not api_tokens.revoke(db, user, token_id):
        raise NotFound("no live token with that id")

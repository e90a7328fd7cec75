from fastapi import APIRouter, Response

from api.deps import DbDep
from api.schemas import Health

router = APIRouter(prefix="/api", tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    summary="Liveness and database state",
    # Not an error body: a load balancer reads the same answer either way, with the status telling.
    responses={503: {"model": Health, "description": "Alive, but the database is down"}},
)
def health(db: DbDep, response: Response) -> Health:
    up = db.ping()
    if not up:
        response.status_code = 503
    return Health(status="ok" if up else "degraded", database="up" if up else "down")

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import DbDep

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", summary="Liveness and database state")
def health(db: DbDep) -> JSONResponse:
    up = db.ping()
    return JSONResponse(
        status_code=200 if up else 503,
        content={"status": "ok" if up else "degraded", "database": "up" if up else "down"},
    )

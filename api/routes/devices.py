from fastapi import APIRouter

from api.deps import NEEDS_RECENT_LOGIN, CurrentUser, DbDep, RecentlyLoggedInUser
from api.schemas import Device, DeviceAttempt, DeviceCreate, DeviceWithKey
from timetracker.nfc import attempts, devices

router = APIRouter(prefix="/api/v1/devices", tags=["devices"])


@router.post(
    "",
    status_code=201,
    response_model=DeviceWithKey,
    summary="Register a reader (key shown once)",
    responses=NEEDS_RECENT_LOGIN,
)
def register_device(body: DeviceCreate, user: RecentlyLoggedInUser, db: DbDep) -> DeviceWithKey:
    row, key = devices.register(db, user, body.device_id, body.name)
    return DeviceWithKey(**row, device_key=key)


@router.get("", response_model=list[Device], summary="Your readers, with when each was last heard from")
def list_devices(user: CurrentUser, db: DbDep) -> list[Device]:
    return [Device(**row) for row in devices.list_mine(db, user)]


@router.post(
    "/{device_id}/rotate",
    response_model=DeviceWithKey,
    summary="Issue a new key; the old stops working",
    responses=NEEDS_RECENT_LOGIN,
)
def rotate_device_key(device_id: str, user: RecentlyLoggedInUser, db: DbDep) -> DeviceWithKey:
    row, key = devices.rotate_key(db, user, device_id)
    return DeviceWithKey(**row, device_key=key)


@router.delete("/{device_id}", response_model=Device, summary="Revoke a reader (its events are kept)")
def revoke_device(device_id: str, user: CurrentUser, db: DbDep) -> Device:
    return Device(**devices.revoke(db, user, device_id))


@router.get(
    "/{device_id}/attempts",
    response_model=list[DeviceAttempt],
    summary="The reader's refused requests, newest first (the last 50, up to 7 days)",
    description=(
        "Why a reader is refused: wrong or missing key, revoked, a body device_id other than X-Device-Id,"
        " an invalid payload (the fields named). Its owner and the admins of the owner's teams may read them."
    ),
    responses={404: {"description": "No such device, or not one you may see"}},
)
def device_attempts(device_id: str, user: CurrentUser, db: DbDep) -> list[DeviceAttempt]:
    return [DeviceAttempt(**row) for row in attempts.of_device(db, user, device_id)]

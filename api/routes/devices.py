from fastapi import APIRouter

from api.deps import CurrentUser, DbDep
from api.schemas import Device, DeviceCreate, DeviceWithKey
from timetracker.nfc import devices

router = APIRouter(prefix="/api/v1/devices", tags=["devices"])


@router.post("", status_code=201, response_model=DeviceWithKey, summary="Register a reader (key shown once)")
def register_device(body: DeviceCreate, user: CurrentUser, db: DbDep) -> DeviceWithKey:
    row, key = devices.register(db, user, body.device_id, body.name)
    return DeviceWithKey(**row, device_key=key)


@router.get("", response_model=list[Device], summary="Your readers, with when each was last heard from")
def list_devices(user: CurrentUser, db: DbDep) -> list[Device]:
    return [Device(**row) for row in devices.list_mine(db, user)]


@router.post("/{device_id}/rotate", response_model=DeviceWithKey, summary="Issue a new key; the old stops working")
def rotate_device_key(device_id: str, user: CurrentUser, db: DbDep) -> DeviceWithKey:
    row, key = devices.rotate_key(db, user, device_id)
    return DeviceWithKey(**row, device_key=key)


@router.delete("/{device_id}", response_model=Device, summary="Revoke a reader (its events are kept)")
def revoke_device(device_id: str, user: CurrentUser, db: DbDep) -> Device:
    return Device(**devices.revoke(db, user, device_id))

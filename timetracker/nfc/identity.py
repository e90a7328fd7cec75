"""Who a reader says it is, and who the database says it is."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class DeviceCredentials:
    """What a reader presents: its device id and, if it sent one, its key."""

    device_id: str
    key: str | None


@dataclass(frozen=True)
class DeviceIdentity:
    """A reader whose key was checked, and the person its events belong to."""

    device_id: str
    owner_id: UUID
    # The digest of the key it proved itself with: a single event's write checks that it is
    # still the device's key. None for an identity made without a key (a batch's store).
    key_digest: str | None = None

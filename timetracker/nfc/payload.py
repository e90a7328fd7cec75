"""The reader's JSON, validated strictly where it matters and kept whole.

Unknown fields are allowed and stored with the raw payload: firmware grows fields before
the server knows them, and a reading must not be lost for it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)

from timetracker import clock
from timetracker.storable import NoNul, representable_in_utc, storable_json

DEVICE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
_TAG_ID = re.compile(r"^[0-9a-f]{2}( [0-9a-f]{2}){0,15}$")

EventType = Literal["tag_insert", "tag_removed"]


def normalise_tag_id(value: str) -> str:
    """`DD 54  2a 83` -> `dd 54 2a 83`; anything but space-separated hex bytes is refused."""
    tag_id = " ".join(value.split()).lower()
    if not _TAG_ID.match(tag_id):
        raise ValueError("tag_id must be hex bytes separated by spaces, like 'dd 54 2a 83'")
    return tag_id


class DeviceEvent(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    timestamp: AwareDatetime = Field(description="ISO 8601 with a zone, e.g. 2025-04-11T15:23:42.000Z")
    event_type: EventType
    tag_present: StrictBool
    tag_id: str = Field(max_length=64, examples=["dd 54 2a 83"])
    device_id: str = Field(pattern=DEVICE_ID_PATTERN, examples=["NFC_ABC123"])
    tag_type: Annotated[str, Field(max_length=200), NoNul] | None = None
    wifi_status: Annotated[str, Field(max_length=200), NoNul] | None = None
    time_status: Annotated[str, Field(max_length=200), NoNul] | None = None

    @field_validator("timestamp", mode="before")
    @classmethod
    def _iso_string_only(cls, value: Any) -> Any:
        # Pydantic would read a bare number as Unix time; the firmware contract is ISO 8601.
        if not isinstance(value, str):
            raise ValueError("timestamp must be an ISO 8601 string with a zone")
        return value

    @field_validator("timestamp")
    @classmethod
    def _representable_in_utc(cls, value: datetime) -> datetime:
        # Out-of-range stored fine, then failed every later read of the device (a 500 each);
        # a clock not yet set (1970) or far ahead opened an interval decades long.
        return clock.believable(representable_in_utc(value))

    @model_validator(mode="after")
    def _storable_extras(self) -> DeviceEvent:
        # Unknown fields are kept in the jsonb payload, which refuses "\u0000" and Infinity.
        storable_json(self.model_extra or {})
        return self

    @field_validator("tag_id")
    @classmethod
    def _tag_id(cls, value: str) -> str:
        return normalise_tag_id(value)

    @field_validator("tag_present")
    @classmethod
    def _presence_matches_type(cls, value: bool, info: ValidationInfo) -> bool:
        event_type = info.data.get("event_type")  # declared above, so already validated
        if event_type is not None and value != (event_type == "tag_insert"):
            raise ValueError(f"tag_present must be {event_type == 'tag_insert'} for {event_type}")
        return value

    @property
    def occurred_at(self) -> datetime:
        return self.timestamp

    @property
    def natural_key(self) -> tuple[str, str, datetime]:
        return (self.event_type, self.tag_id, self.timestamp)

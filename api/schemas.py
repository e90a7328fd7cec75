"""Request and response bodies of the JSON API (wire formats, kept apart from the core)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from timetracker.nfc.payload import DEVICE_ID_PATTERN
from timetracker.storable import NoNul

# Stripped before the length check, so a blank name is a 422 here rather than a CHECK
# violation (a 500) in the database.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoNul]


class DeviceCreate(BaseModel):
    device_id: str = Field(pattern=DEVICE_ID_PATTERN, examples=["NFC_ABC123"])
    name: Name


class Device(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: UUID
    device_id: str
    name: str
    key_hint: str
    created_at: datetime
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None
    last_seen_at: datetime | None = None


class DeviceWithKey(Device):
    device_key: str = Field(description="Shown once. Store it in the reader's firmware; only a digest is kept.")


class TagsPut(BaseModel):
    labels: dict[str, Name] = Field(
        description="tag id -> label", examples=[{"dd 54 2a 83": "Project Apollo", "04 a2 19 7f": "Office"}]
    )


class Tag(BaseModel):
    tag_id: str
    label: str
    updated_at: datetime


class TokenCreate(BaseModel):
    name: Name


class ApiToken(BaseModel):
    id: UUID
    name: str
    token_hint: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiTokenWithSecret(ApiToken):
    token: str = Field(description="Shown once. Send as Authorization: Bearer <token>.")


class Profile(BaseModel):
    id: UUID
    email: str
    display_name: str
    timezone: str


class ProfileUpdate(BaseModel):
    display_name: Annotated[str, Field(max_length=100), NoNul] | None = None
    timezone: str | None = Field(default=None, examples=["Europe/Berlin"])


class TeamCreate(BaseModel):
    name: Name


class Team(BaseModel):
    id: UUID
    name: str
    created_at: datetime
    role: Literal["owner", "admin", "member"] | None = None
    member_count: int | None = None


class TeamMember(BaseModel):
    user_id: UUID
    role: Literal["owner", "admin", "member"]
    email: str | None
    display_name: str | None
    added_at: datetime


class Invite(BaseModel):
    email: Annotated[str, Field(min_length=3, max_length=254, examples=["ana@example.com"]), NoNul]
    role: Literal["admin", "member"] = "member"


class InviteOutcome(BaseModel):
    outcome: Literal["invited", "already_member"] = Field(
        description="invited: pending until the person with that email accepts it (also if they have no account yet)"
    )


class RoleChange(BaseModel):
    role: Literal["admin", "member"]


class Invitation(BaseModel):
    email: str
    role: str
    created_at: datetime


class PendingInvitation(BaseModel):
    """An invitation to the caller, shown with who sent it so they can judge it."""

    team_id: UUID = Field(description="Also the invitation's id in /api/v1/invitations/{team_id}")
    team_name: str
    role: Literal["admin", "member"]
    created_at: datetime
    invited_by_email: str | None = None
    invited_by_name: str | None = None


class Accepted(BaseModel):
    team_id: UUID
    role: Literal["admin", "member"]


class TimePiece(BaseModel):
    day: date = Field(description="Local day in the viewer's timezone")
    source: str = Field(description="nfc, timer, activitywatch, wakatime, ...")
    label: str
    detail: str | None = None
    start: datetime
    end: datetime
    seconds: float
    status: str = Field(description="The source's own state, e.g. closed, open, orphan_removal")


class LabelTotal(BaseModel):
    source: str
    label: str
    seconds: float


class TimeReport(BaseModel):
    user_id: UUID
    timezone: str
    start: date
    end: date
    intervals: list[TimePiece]
    totals: list[LabelTotal]

"""ActivityWatch's own JSON, as the webhook receives it (one bucket or a list of them):

    {"bucket": {"id", "type", "client", "hostname"}, "events": [{"timestamp", "duration", "data"}]}

Facts of ActivityWatch this respects: event ids are local to one aw-server (ignored);
a timestamp without a zone is UTC; a missing timestamp is an error for that event only.
The standard bucket types have their `data` checked; any other type's data is kept as JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from timetracker import clock
from timetracker.storable import NoNul, representable_in_utc, storable_json

# Exclusive, as the table's CHECK (duration < 31 * 86400): an event of exactly 31 days
# passed `le` here and then failed the CHECK, a 500 for the whole batch.
MAX_DURATION_SECONDS = 31 * 86400


class Bucket(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: Annotated[str, NoNul] = Field(min_length=1, max_length=255, examples=["aw-watcher-window_laptop"])
    type: Annotated[str, NoNul] = Field(min_length=1, max_length=100, examples=["currentwindow"])
    client: Annotated[str, Field(max_length=255), NoNul] | None = Field(default=None, examples=["aw-watcher-window"])
    hostname: Annotated[str, NoNul] = Field(min_length=1, max_length=255, examples=["laptop"])


class BucketEvents(BaseModel):
    """The envelope; events are validated one by one so a bad one does not sink the rest."""

    model_config = ConfigDict(extra="ignore")

    bucket: Bucket
    events: list[Any]


class _Data(BaseModel):
    model_config = ConfigDict(extra="allow")


class WindowData(_Data):
    app: str
    title: str


class AfkData(_Data):
    status: Literal["afk", "not-afk"]


class WebTabData(_Data):
    url: str
    title: str | None = None
    audible: StrictBool | None = None
    incognito: StrictBool | None = None


class EditorData(_Data):
    file: str | None = None
    project: str | None = None
    language: str | None = None


DATA_BY_TYPE: dict[str, type[_Data]] = {
    "currentwindow": WindowData,
    "afkstatus": AfkData,
    "web.tab.current": WebTabData,
    "app.editor.activity": EditorData,
}


class AwEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")  # `id` and anything else: local to the sender

    timestamp: datetime = Field(description="ISO 8601; without a zone it is UTC (as in ActivityWatch)")
    duration: float = Field(default=0.0, ge=0, lt=MAX_DURATION_SECONDS, allow_inf_nan=False)
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("timestamp", mode="before")
    @classmethod
    def _iso_string_only(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("timestamp must be an ISO 8601 string")
        return value

    @field_validator("timestamp")
    @classmethod
    def _naive_is_utc(cls, value: datetime) -> datetime:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else representable_in_utc(value).astimezone(UTC)
        # One event dated 2100 became the team summary's "last seen" until that year. Bounded
        # so, with a duration under 31 days, its end (computed in SQL) is never past year 9999,
        # which psycopg cannot read back: every later report of the owner's day was a 500.
        return clock.believable(utc)

    @field_validator("data")
    @classmethod
    def _storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        # Stored as jsonb, which refuses "\u0000" and lone surrogates in keys and strings, and Infinity (1e400).
        return storable_json(value)


def parse_event(raw: Any, bucket_type: str) -> AwEvent:
    """Validate one event, and its data when the bucket type is a standard one."""
    event = AwEvent.model_validate(raw)
    model = DATA_BY_TYPE.get(bucket_type)
    if model is not None:
        model.model_validate(event.data)
    return event

"""The WakaTime v1 wire format as editor plugins speak it (Wakapi's models/compat/wakatime/v1).

Kept apart from the domain: this module turns the plugins' quirks (float seconds, numbers
as strings, a null category, editor and OS only in the User-Agent, the key base64-encoded
without a colon) into a `Heartbeat`, and domain results back into WakaTime's answer shapes.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from timetracker import credentials
from timetracker.storable import HAS_NUL, NUL
from timetracker.wakatime.heartbeats import Heartbeat

HeartbeatType = Literal["file", "app", "domain", "url", "event"]

# "wakatime/v1.90.0 (linux-6.1) go1.22 vscode/1.90.0 vscode-wakatime/24.6.0"
# "wakatime/13.0.7 (Linux-4.15.0-91-generic-x86_64) Python3.8.0.final.0 vscode/1.42.1 vscode-wakatime/4.0.0"
_USER_AGENT = re.compile(
    r"^wakatime/\S+\s+\((?P<os>[A-Za-z]+)[^)]*\)\s+\S+\s+(?:(?P<editor>[^/\s]+)/\S+\s+)?(?P<plugin>\S+)"
)
YEAR_3000 = 32503680000.0
MAX_INT = 2**31 - 1
_UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.I)


@dataclass(frozen=True)
class Plugin:
    """Who sent a request (from the key) and from where (the User-Agent, the machine name)."""

    owner_id: UUID
    user_agent: str | None
    machine: str | None


class HeartbeatIn(BaseModel):
    """One heartbeat as a plugin sends it; unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    # Bounded so every accepted value is a datetime and every integer fits Postgres' integer:
    # an item that would fail later, inside the batch's insert, would fail the whole batch.
    time: float = Field(gt=0, lt=YEAR_3000, allow_inf_nan=False, description="Unix seconds, with a fraction")
    entity: str = Field(min_length=1, max_length=2048)
    type: HeartbeatType = "file"
    category: str | None = Field(default=None, max_length=100)
    project: str | None = Field(default=None, max_length=500)
    branch: str | None = Field(default=None, max_length=500)
    language: str | None = Field(default=None, max_length=200)
    is_write: bool = False
    lines: int | None = Field(default=None, ge=0, le=MAX_INT)
    lineno: int | None = Field(default=None, ge=0, le=MAX_INT)
    cursorpos: int | None = Field(default=None, ge=0, le=MAX_INT)
    dependencies: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=500)
    user_agent: str | None = Field(default=None, max_length=1000)

    @field_validator("entity", "category", "project", "branch", "language", "dependencies", "user_agent")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # Text Postgres cannot hold, refused here, in this item's slot. A lone surrogate never
        # reaches this: stripping whitespace makes pydantic read every text as Unicode, which
        # refuses it. So only NUL is looked for, once per text: this runs seven times for
        # each heartbeat of a batch, and checking both took 60% of a batch's validation.
        if NUL in value if isinstance(value, str) else any(NUL in text for text in value or ()):
            raise ValueError(HAS_NUL)
        return value

    @field_validator("time", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        if isinstance(value, bool):  # pydantic would read true as 1.0
            raise ValueError("time must be Unix seconds")
        return value

    @field_validator("lines", "lineno", "cursorpos", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # Plugins send these as numbers or strings, and sometimes as "".
        return None if value == "" else value

    @field_validator("is_write", mode="before")
    @classmethod
    def _null_is_false(cls, value: Any) -> Any:
        return False if value is None else value

    @field_validator("dependencies", mode="before")
    @classmethod
    def _dependency_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):  # older plugins send a comma-separated string
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


# A plugin sends one User-Agent for every heartbeat of a batch: parsed once, not per item.
@lru_cache(maxsize=1024)
def client_of(user_agent: str | None) -> tuple[str | None, str | None]:
    """(editor, operating system) from a wakatime-cli User-Agent; (None, None) if unrecognised."""
    match = _USER_AGENT.match((user_agent or "").strip())
    if not match:
        return None, None
    plugin = match["plugin"].split("/", 1)[0]
    editor = plugin.removesuffix("-wakatime") if plugin.endswith("-wakatime") else match["editor"]
    return (editor.lower() if editor else None), match["os"].capitalize()


def to_heartbeat(item: HeartbeatIn, header_user_agent: str | None, machine: str | None) -> Heartbeat:
    user_agent = item.user_agent or header_user_agent
    editor, operating_system = client_of(user_agent)
    return Heartbeat(
        time=datetime.fromtimestamp(item.time, tz=UTC),
        entity=item.entity,
        type=item.type,
        category=item.category or "coding",
        project=item.project or None,
        branch=item.branch or None,
        language=item.language or None,
        is_write=item.is_write,
        lines=item.lines,
        lineno=item.lineno,
        cursorpos=item.cursorpos,
        dependencies=tuple(item.dependencies),
        editor=editor,
        operating_system=operating_system,
        machine=(machine or "").strip()[:200] or None,
        user_agent=(user_agent or "")[:1000] or None,
    )


def heartbeat_data(heartbeat: Heartbeat) -> dict[str, Any]:
    """The `data` WakaTime answers for a stored heartbeat."""
    return {
        "id": heartbeat.hash,
        "entity": heartbeat.entity,
        "type": heartbeat.type,
        "category": heartbeat.category,
        "time": heartbeat.time.timestamp(),
        "project": heartbeat.project,
        "branch": heartbeat.branch,
        "language": heartbeat.language,
        "is_write": heartbeat.is_write,
        "editor": heartbeat.editor,
        "operating_system": heartbeat.operating_system,
        "machine": heartbeat.machine,
    }


def key_from_credentials(authorization: str | None, api_key: str | None) -> str | None:
    """The plugin key from `Basic base64(key)`, `Bearer key` or `?api_key=key`; None if absent.

    wakatime-cli base64-encodes the bare key (no "user:" part); a trailing colon from
    clients that build a user:password pair is tolerated.
    """
    if basic := credentials.presented(authorization, "basic"):
        try:
            decoded = base64.b64decode(basic, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.removesuffix(":").strip() or None
    return credentials.presented(authorization) or (api_key or "").strip() or None


def looks_like_key(key: str) -> bool:
    """Plugins accept only UUID v4 keys, so ours are UUID v4 strings."""
    return bool(_UUID_V4.match(key))


def human_duration(seconds: float) -> str:
    """WakaTime's status bar text: "2 hrs 5 mins", "1 hr 1 min", "0 mins"."""
    minutes_total = int(seconds // 60)
    hours, minutes = divmod(minutes_total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hr{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} min{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def grand_total(seconds: float) -> dict[str, Any]:
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    return {
        "decimal": f"{seconds / 3600:.2f}",
        "digital": f"{hours}:{minutes:02d}",
        "hours": hours,
        "minutes": minutes,
        "text": human_duration(seconds),
        "total_seconds": round(seconds, 3),
    }


def named_totals(totals: dict[str, float]) -> list[dict[str, Any]]:
    grand = sum(totals.values()) or 1.0
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    return [{"name": name, "percent": round(100 * secs / grand, 2), **grand_total(secs)} for name, secs in ordered]


def statusbar_today(summary: dict[str, Any]) -> dict[str, Any]:
    """GET users/current/statusbar/today as plugins read it: data.grand_total.text and friends."""
    totals = summary["totals"]
    return {
        "cached_at": datetime.now(UTC).isoformat(),
        "data": {
            "grand_total": grand_total(summary["total_seconds"]),
            "projects": named_totals(totals["project"]),
            "languages": named_totals(totals["language"]),
            "editors": named_totals(totals["editor"]),
            "categories": [{"name": "Coding", **grand_total(summary["total_seconds"])}],
            "range": {
                "date": summary["date"].isoformat(),
                "start": summary["start"].isoformat(),
                "end": summary["end"].isoformat(),
                "text": "Today",
                "timezone": summary["timezone"],
            },
        },
    }

"""ActivityWatch-shaped test data: buckets and events exactly as aw-server exports them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday

BUCKET_TYPES = {
    "currentwindow": ("aw-watcher-window", {"app": "Code", "title": "main.py - timetracker"}),
    "afkstatus": ("aw-watcher-afk", {"status": "not-afk"}),
    "web.tab.current": (
        "aw-client-web",
        {
            "url": "https://GitHub.com/ActivityWatch/aw-server",
            "title": "aw-server",
            "audible": False,
            "incognito": False,
        },
    ),
    "app.editor.activity": ("aw-watcher-vscode", {"file": "/src/app.py", "project": "/src", "language": "python"}),
}


def at(seconds: float) -> str:
    return (BASE + timedelta(seconds=seconds)).isoformat()


def event(offset: float, duration: float = 60.0, **data: Any) -> dict[str, Any]:
    return {"timestamp": at(offset), "duration": duration, "data": data}


def bucket(bucket_type: str, events: list[dict[str, Any]], host: str = "laptop") -> dict[str, Any]:
    client = BUCKET_TYPES.get(bucket_type, ("custom-watcher", {}))[0]
    return {
        "bucket": {"id": f"{client}_{host}", "type": bucket_type, "client": client, "hostname": host},
        "events": events,
    }


def standard_bucket(bucket_type: str, offset: float = 0, duration: float = 60.0) -> dict[str, Any]:
    return bucket(bucket_type, [event(offset, duration, **BUCKET_TYPES[bucket_type][1])])

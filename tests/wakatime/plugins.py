"""Editor-plugin helpers: a person's WakaTime key and heartbeats shaped as wakatime-cli sends them."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

import httpx

from tests.utils.users import TestUser

COMPAT = "/api/compat/wakatime/v1"
BULK_URL = f"{COMPAT}/users/current/heartbeats.bulk"
SINGLE_URL = f"{COMPAT}/users/current/heartbeats"
STATUSBAR_URL = f"{COMPAT}/users/current/statusbar/today"
USER_AGENT = "wakatime/v1.90.0 (linux-6.1) go1.22 vscode/1.90.0 vscode-wakatime/24.6.0"


def new_key(http: httpx.Client, user: TestUser) -> str:
    """Issue a plugin key through the real API (shown once)."""
    response = http.post("/api/v1/wakatime/key", headers=user.headers)
    assert response.status_code == 201, response.text
    return response.json()["api_key"]


def basic(key: str) -> dict[str, str]:
    """wakatime-cli's header: base64 of the bare key, no colon."""
    return {"Authorization": "Basic " + base64.b64encode(key.encode()).decode(), "User-Agent": USER_AGENT}


def beat(at: datetime | float, entity: str = "/src/app.py", project: str = "apollo", **fields: Any) -> dict[str, Any]:
    """A heartbeat as plugins send it: float seconds, strings where real clients send strings."""
    seconds = at if isinstance(at, float | int) else at.timestamp()
    return {
        "time": float(seconds),
        "entity": entity,
        "type": "file",
        "category": "coding",
        "project": project,
        "branch": "main",
        "language": "Python",
        "is_write": False,
        "lines": 120,
        "lineno": "42",
        "cursorpos": "7",
        "dependencies": ["fastapi", "pydantic"],
        **fields,
    }

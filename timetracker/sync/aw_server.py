"""The local aw-server's REST API (/api/0), read-only: buckets and their events.

aw-server answers events newest first and includes events that overlap `start`; both facts
are handled by the caller (it sorts, and it dedups by (bucket, timestamp) + content).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx


def parse_timestamp(value: str) -> datetime:
    """ActivityWatch timestamps: ISO 8601; without a zone they are UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AwServer:
    def __init__(self, base_url: str, client: httpx.Client | None = None, timeout: float = 30.0) -> None:
        self.api = base_url.rstrip("/") + "/api/0"
        self.client = client or httpx.Client(timeout=timeout)

    def info(self) -> dict[str, Any]:
        return self._get("/info")

    def buckets(self) -> dict[str, dict[str, Any]]:
        """bucket id -> {id, type, client, hostname, created, ...}"""
        return self._get("/buckets/")

    def events(self, bucket_id: str, start: datetime | None = None, limit: int = -1) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": limit}
        if start is not None:
            params["start"] = start.isoformat()
        events = self._get(f"/buckets/{quote(bucket_id, safe='')}/events", params)
        return sorted(events, key=lambda e: parse_timestamp(e["timestamp"]))

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.client.get(self.api + path, params=params)
        response.raise_for_status()
        return response.json()

    def close(self) -> None:
        self.client.close()

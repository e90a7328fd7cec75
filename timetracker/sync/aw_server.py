"""The local aw-server's REST API (/api/0), read-only: buckets and their events.

aw-server answers events newest first and includes events that overlap `start`; both facts
are handled by the caller (it sorts, and it dedups by (bucket, timestamp) + content).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

log = logging.getLogger(__name__)


class UnexpectedAnswer(Exception):
    """aw-server (or whatever listens on its port) answered something that is not its API's JSON."""


def parse_timestamp(value: str) -> datetime:
    """ActivityWatch timestamps: ISO 8601; without a zone they are UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _has_timestamp(event: Any) -> bool:
    """An event the outbox can key: an object with a readable `timestamp`."""
    if not isinstance(event, dict) or not isinstance(event.get("timestamp"), str):
        return False
    try:
        parse_timestamp(event["timestamp"])
    except ValueError:
        return False
    return True


class AwServer:
    def __init__(self, base_url: str, client: httpx.Client | None = None, timeout: float = 30.0) -> None:
        self.api = base_url.rstrip("/") + "/api/0"
        self.client = client or httpx.Client(timeout=timeout)

    def info(self) -> dict[str, Any]:
        return self._get("/info")

    def buckets(self) -> dict[str, dict[str, Any]]:
        """bucket id -> {id, type, client, hostname, created, ...}"""
        buckets = self._get("/buckets/")
        if not isinstance(buckets, dict) or not all(isinstance(b, dict) for b in buckets.values()):
            raise UnexpectedAnswer("/buckets/ is not an object of buckets")
        return buckets

    def events(self, bucket_id: str, start: datetime | None = None, limit: int = -1) -> list[dict[str, Any]]:
        """The bucket's events, oldest first. One without a readable timestamp cannot be queued
        (nor stored by the server), so it is skipped with a warning rather than failing the
        bucket's every round."""
        params: dict[str, Any] = {"limit": limit}
        if start is not None:
            params["start"] = start.isoformat()
        events = self._get(f"/buckets/{quote(bucket_id, safe='')}/events", params)
        if not isinstance(events, list):
            raise UnexpectedAnswer(f"the events of {bucket_id} are not a list")
        readable = [e for e in events if _has_timestamp(e)]
        if len(readable) < len(events):
            log.warning("skipped %d events of %s without a timestamp", len(events) - len(readable), bucket_id)
        return sorted(readable, key=lambda e: parse_timestamp(e["timestamp"]))

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.client.get(self.api + path, params=params)
        response.raise_for_status()
        try:
            return response.json()
        except ValueError as exc:
            raise UnexpectedAnswer(f"{path} answered {response.status_code} without JSON") from exc

    def close(self) -> None:
        self.client.close()

"""A local stand-in for ActivityWatch's aw-server, speaking its real REST API (/api/0):
GET /info, GET /buckets/, GET /buckets/<id>/events?start=&end=&limit=, plus the writes
watchers use (POST /buckets/<id>, POST /buckets/<id>/events, POST /buckets/<id>/heartbeat
?pulsetime=) with aw-server's heartbeat merging: a heartbeat with the same data as the
newest event, within pulsetime of its end, extends it instead of adding an event.
Events are answered newest first, and `start` includes events that overlap it, as aw-server does.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Body, FastAPI, HTTPException


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class AwStore:
    def __init__(self, hostname: str = "devbox") -> None:
        self.hostname = hostname
        self.buckets: dict[str, dict[str, Any]] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1)

    def create_bucket(self, bucket_id: str, bucket_type: str, client: str = "aw-watcher-test") -> None:
        self.buckets[bucket_id] = {
            "id": bucket_id,
            "name": None,
            "type": bucket_type,
            "client": client,
            "hostname": self.hostname,
            "created": "2026-03-01T00:00:00+00:00",
        }
        self.events.setdefault(bucket_id, [])

    def insert(self, bucket_id: str, timestamp: datetime, duration: float, data: dict[str, Any]) -> None:
        self.events[bucket_id].append(
            {"id": next(self._ids), "timestamp": timestamp.isoformat(), "duration": duration, "data": data}
        )

    def heartbeat(self, bucket_id: str, timestamp: datetime, data: dict[str, Any], pulsetime: float) -> None:
        events = self.events[bucket_id]
        if events:
            last = max(events, key=lambda e: _parse(e["timestamp"]))
            last_end = _parse(last["timestamp"]) + timedelta(seconds=last["duration"])
            if last["data"] == data and timestamp <= last_end + timedelta(seconds=pulsetime):
                last["duration"] = max(last["duration"], (timestamp - _parse(last["timestamp"])).total_seconds())
                return
        self.insert(bucket_id, timestamp, 0.0, data)

    def query(self, bucket_id: str, start: str | None, end: str | None, limit: int) -> list[dict[str, Any]]:
        events = sorted(self.events[bucket_id], key=lambda e: _parse(e["timestamp"]), reverse=True)
        if start:
            begin = _parse(start)
            events = [e for e in events if _parse(e["timestamp"]) + timedelta(seconds=e["duration"]) >= begin]
        if end:
            events = [e for e in events if _parse(e["timestamp"]) <= _parse(end)]
        return events if limit < 0 else events[:limit]


def fake_aw_app(store: AwStore) -> FastAPI:
    app = FastAPI()

    def known(bucket_id: str) -> None:
        if bucket_id not in store.buckets:
            raise HTTPException(404, f"There's no bucket named {bucket_id}")

    @app.get("/api/0/info")
    def info() -> dict[str, Any]:
        return {"hostname": store.hostname, "version": "v0.13.2", "testing": True, "device_id": "fake-device"}

    @app.get("/api/0/buckets/")
    def buckets() -> dict[str, Any]:
        return store.buckets

    @app.post("/api/0/buckets/{bucket_id}")
    def create(bucket_id: str, body: dict[str, Any] = Body(...)) -> None:  # noqa: B008
        store.create_bucket(bucket_id, body["type"], body.get("client", "unknown"))

    @app.get("/api/0/buckets/{bucket_id}/events")
    def events(bucket_id: str, start: str | None = None, end: str | None = None, limit: int = -1) -> list[Any]:
        known(bucket_id)
        return store.query(bucket_id, start, end, limit)

    @app.post("/api/0/buckets/{bucket_id}/heartbeat")
    def heartbeat(bucket_id: str, pulsetime: float, body: dict[str, Any] = Body(...)) -> None:  # noqa: B008
        known(bucket_id)
        store.heartbeat(bucket_id, _parse(body["timestamp"]), body.get("data", {}), pulsetime)

    return app

"""One webhook body -> the rows to store and a per-event result for every item.

A bad bucket header fails that bucket's events; a bad event fails only itself. Results
say, per bucket and per event index, what happened, in the order received.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from timetracker.activitywatch.ingest import EventRow, ItemStatus
from timetracker.activitywatch.payload import BucketEvents, parse_event
from timetracker.storable import encodable

STATUSES = ("created", "updated", "duplicate", "invalid")


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in err.get("loc", ())) or "(item)", "message": err.get("msg", "invalid")}
        for err in exc.errors()
    ]


@dataclass
class Batch:
    buckets: list[dict[str, Any]] = field(default_factory=list)  # results, in input order
    rows: list[EventRow] = field(default_factory=list)
    slots: list[dict[str, Any]] = field(default_factory=list)  # the result each row fills in

    def record(self, statuses: list[ItemStatus]) -> None:
        for slot, status in zip(self.slots, statuses, strict=True):
            slot["status"] = status

    def summary(self) -> dict[str, Any]:
        items = [item for bucket in self.buckets for item in bucket.get("results", [])]
        counts = {status: sum(1 for item in items if item["status"] == status) for status in STATUSES}
        return {**counts, "buckets": self.buckets}


def count_events(body: Any) -> int:
    envelopes = body if isinstance(body, list) else [body]
    return sum(len(e["events"]) for e in envelopes if isinstance(e, dict) and isinstance(e.get("events"), list))


def read(body: Any) -> Batch:
    batch = Batch()
    for envelope in body if isinstance(body, list) else [body]:
        try:
            bucket_events = BucketEvents.model_validate(envelope)
        except ValidationError as exc:
            # Any JSON may stand where the bucket object belongs (a list, a string): only read its id if it is one.
            header = envelope.get("bucket") if isinstance(envelope, dict) else None
            bucket_id = header.get("id") if isinstance(header, dict) else None
            bucket_id = bucket_id if isinstance(bucket_id, str) and encodable(bucket_id) else None
            batch.buckets.append({"id": bucket_id, "status": "invalid", "errors": _errors(exc), "results": []})
            continue
        bucket = bucket_events.bucket
        results: list[dict[str, Any]] = []
        for index, raw in enumerate(bucket_events.events):
            result: dict[str, Any] = {"index": index}
            results.append(result)
            try:
                event = parse_event(raw, bucket.type)
            except ValidationError as exc:
                result.update(status="invalid", errors=_errors(exc))
                continue
            row = EventRow(
                host=bucket.hostname,
                bucket_id=bucket.id,
                bucket_type=bucket.type,
                client=bucket.client,
                started_at=event.timestamp,
                duration=event.duration,
                data=event.data,
            )
            batch.rows.append(row)
            batch.slots.append(result)
        batch.buckets.append({"id": bucket.id, "status": "ok", "results": results})
    return batch

"""One webhook body -> the rows to store and a per-event result for every item.

A bad bucket header fails that bucket's events; a bad event fails only itself. Results
say, per bucket and per event index, what happened, in the order received. A refused bucket
counts its events as invalid (or itself, when it has none that can be read), so the totals
and the status code show the refusal, not only the bucket's own result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from timetracker.activitywatch.ingest import EventRow, ItemStatus
from timetracker.activitywatch.payload import BucketEvents, parse_event
from timetracker.storable import encodable

STATUSES = ("created", "updated", "duplicate", "invalid")
ACCEPTED = ("created", "updated", "duplicate")


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
    refused_in_buckets: int = 0  # items of buckets refused whole (they have no per-event results)

    def record(self, statuses: list[ItemStatus]) -> None:
        for slot, status in zip(self.slots, statuses, strict=True):
            slot["status"] = status

    def summary(self) -> dict[str, Any]:
        items = [item for bucket in self.buckets for item in bucket.get("results", [])]
        counts = {status: sum(1 for item in items if item["status"] == status) for status in STATUSES}
        counts["invalid"] += self.refused_in_buckets
        return {**counts, "buckets": self.buckets}

    def status_code(self) -> int:
        """200 when nothing was refused, 207 when some items were, 422 when all were: a client
        that only reads the status still learns of a refusal (the body says which items)."""
        counts = self.summary()
        if counts["invalid"] == 0:
            return 200
        return 207 if any(counts[status] for status in ACCEPTED) else 422


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
            events = envelope.get("events") if isinstance(envelope, dict) else None
            batch.refused_in_buckets += len(events) if isinstance(events, list) and events else 1
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

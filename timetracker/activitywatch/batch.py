"""One webhook body -> the rows to store and a per-event result for every item.

A bad bucket header fails that bucket's events; a bad event fails only itself (the shared
ingest path, `timetracker.ingest.items`). Results say, per bucket and per event index, what
happened, in the order received. A refused bucket counts its events as invalid (or itself,
when it has none that can be read), so the totals and the status code show the refusal,
not only the bucket's own result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from timetracker.activitywatch.ingest import EventRow
from timetracker.activitywatch.payload import Bucket, BucketEvents, parse_event
from timetracker.ingest.items import STORED, Batch, ItemResult, StoredStatus, each_valid, field_errors
from timetracker.storable import encodable


@dataclass
class BucketResult:
    id: str | None
    status: Literal["ok", "invalid"]
    results: list[ItemResult]
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "status": self.status}
        if self.errors:
            body["errors"] = self.errors
        return {**body, "results": [result.as_json() for result in self.results]}


@dataclass
class Received:
    events: Batch[EventRow] = field(default_factory=Batch)  # every bucket's, in input order
    buckets: list[BucketResult] = field(default_factory=list)
    refused_in_buckets: int = 0  # items of buckets refused whole (they have no per-event results)

    @property
    def rows(self) -> list[EventRow]:
        return self.events.items

    def record(self, statuses: list[StoredStatus]) -> None:
        self.events.record(statuses)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict(self.events.counts())
        counts["invalid"] += self.refused_in_buckets
        return counts

    def summary(self) -> dict[str, Any]:
        return {**self.counts(), "buckets": [bucket.as_json() for bucket in self.buckets]}

    def status_code(self) -> int:
        """200 when nothing was refused, 207 when some items were, 422 when all were: a client
        that only reads the status still learns of a refusal (the body says which items)."""
        counts = self.counts()
        if counts["invalid"] == 0:
            return 200
        return 207 if any(counts[status] for status in STORED) else 422


def count_events(body: Any) -> int:
    envelopes = body if isinstance(body, list) else [body]
    return sum(len(e["events"]) for e in envelopes if isinstance(e, dict) and isinstance(e.get("events"), list))


def _row_parser(bucket: Bucket) -> Callable[[Any], EventRow]:
    def row(raw: Any) -> EventRow:
        event = parse_event(raw, bucket.type)
        return EventRow(
            host=bucket.hostname,
            bucket_id=bucket.id,
            bucket_type=bucket.type,
            client=bucket.client,
            started_at=event.timestamp,
            duration=event.duration,
            data=event.data,
        )

    return row


def read(body: Any) -> Received:
    received = Received()
    for _ in each_row(body, received):
        pass
    return received


def each_row(body: Any, received: Received) -> Iterator[EventRow]:
    """`read` as it goes: every bucket's and event's result is added to `received`, and each
    event that passes is yielded as soon as it is validated. A store that takes the rows lazily
    sends the first of them to the database while the rest are still being validated."""
    for envelope in body if isinstance(body, list) else [body]:
        try:
            bucket_events = BucketEvents.model_validate(envelope)
        except ValidationError as exc:
            # Any JSON may stand where the bucket object belongs (a list, a string): only read its id if it is one.
            header = envelope.get("bucket") if isinstance(envelope, dict) else None
            bucket_id = header.get("id") if isinstance(header, dict) else None
            bucket_id = bucket_id if isinstance(bucket_id, str) and encodable(bucket_id) else None
            events = envelope.get("events") if isinstance(envelope, dict) else None
            received.refused_in_buckets += len(events) if isinstance(events, list) and events else 1
            received.buckets.append(BucketResult(bucket_id, "invalid", [], field_errors(exc.errors())))
            continue
        bucket = bucket_events.bucket
        first = len(received.events.results)
        yield from each_valid(bucket_events.events, _row_parser(bucket), received.events)
        received.buckets.append(BucketResult(bucket.id, "ok", received.events.results[first:]))

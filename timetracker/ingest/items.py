"""A batch, item by item: what each item became, and why a refused one was refused.

Every source that pushes data validates with `validate_each` (or `each_valid`), so a bad
item fails only itself, and every refusal reads the same:
[{"field": "tag_id", "message": "Field required"}].
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import ValidationError

from timetracker.errors import TooManyItems

Status = Literal["created", "updated", "duplicate", "invalid", "rejected"]
# Stored: a duplicate is stored already, so a sender must not retry it either.
StoredStatus = Literal["created", "updated", "duplicate"]
STORED: tuple[StoredStatus, ...] = ("created", "updated", "duplicate")
# "rejected": a well-formed item this sender may not send (another reader's device id).
REFUSED: tuple[Status, ...] = ("invalid", "rejected")
WHOLE_ITEM = "(item)"

T = TypeVar("T")


def field_errors(
    errors: Iterable[Mapping[str, Any]], whole: str = WHOLE_ITEM, skipped: Collection[str] = ()
) -> list[dict[str, str]]:
    """Pydantic's errors as [{"field": "data.title", "message": ...}], the one format every
    refusal is answered in: `whole` names the item itself, and `skipped` parts of a location
    are left out of the field's name (FastAPI's "body", "query", ...)."""
    return [
        {
            "field": ".".join(str(part) for part in err.get("loc", ()) if part not in skipped) or whole,
            "message": err.get("msg", "invalid"),
        }
        for err in errors
    ]


def check_cap(count: int, cap: int, what: str) -> None:
    """TooManyItems when a batch holds more than `cap` items: refused whole, before any work."""
    if count > cap:
        raise TooManyItems(f"At most {cap} {what} per request; split the batch")


class Refused(Exception):
    """An item that is valid JSON for the model but that this sender may not store."""

    def __init__(self, field_name: str, message: str, status: Status = "invalid") -> None:
        super().__init__(message)
        self.errors = [{"field": field_name, "message": message}]
        self.status = status


@dataclass
class ItemResult:
    index: int
    status: Status | None = None  # None until stored
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"index": self.index, "status": self.status}
        if self.errors:
            body["errors"] = self.errors
        return body


@dataclass
class Batch(Generic[T]):
    """The results of every item, in input order, and the items that passed validation."""

    results: list[ItemResult] = field(default_factory=list)
    accepted: list[tuple[ItemResult, T]] = field(default_factory=list)

    @property
    def items(self) -> list[T]:
        return [item for _, item in self.accepted]

    def record(self, statuses: Sequence[StoredStatus]) -> None:
        """What storing the accepted items did to each, in their order."""
        for (result, _), status in zip(self.accepted, statuses, strict=True):
            result.status = status

    def counts(self) -> dict[Status, int]:
        counts: dict[Status, int] = dict.fromkeys((*STORED, *REFUSED), 0)
        for result in self.results:
            if result.status is not None:
                counts[result.status] += 1
        return counts

    def answer(self) -> dict[str, Any]:
        """The batch answer of our own protocols: the counts, then every item's result."""
        return {**self.counts(), "results": [result.as_json() for result in self.results]}

    @property
    def refused(self) -> list[ItemResult]:
        return [result for result in self.results if result.status in REFUSED]


def validate_each(items: Sequence[Any], parse: Callable[[Any], T], batch: Batch[T] | None = None) -> Batch[T]:
    """Parse every item; a ValidationError or Refused fails only that item. `batch`: add
    to one already begun (its results keep their own indexes)."""
    batch = batch if batch is not None else Batch()
    for _ in each_valid(items, parse, batch):
        pass
    return batch


def each_valid(items: Sequence[Any], parse: Callable[[Any], T], batch: Batch[T]) -> Iterator[T]:
    """`validate_each` as it goes: every item's result is added to `batch`, and each item that
    passes is also yielded as soon as it is parsed. A store that takes the items lazily sends
    the first of them to the database while the rest are still being validated."""
    for index, raw in enumerate(items):
        result = ItemResult(index)
        batch.results.append(result)
        try:
            item = parse(raw)
        except ValidationError as exc:
            result.status, result.errors = "invalid", field_errors(exc.errors())
        except Refused as exc:
            result.status, result.errors = exc.status, exc.errors
        else:
            batch.accepted.append((result, item))
            yield item

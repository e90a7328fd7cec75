"""Sending one batch to the webhook and reading the answer.

Outcomes: `delivered` (per-item results: stored, or set aside when the server called the
item invalid; the webhook answers 200 when it stored all, 207 when it refused some and 422
when it refused all, each with the same per-item body), `retry` (network error, 408/429/5xx,
or a 200/207 whose body is not the webhook's answer: try again later, honouring Retry-After),
`split` (413: the batch is too big for the server; send halves), `auth` (401/403: nothing is
wrong with the items; stop and tell the person), `rejected` (another 4xx for the whole body,
or a 422 without per-item results: the items are set aside with the error rather than
retried forever).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import httpx

from timetracker.sync.queue import Waiting

Outcome = Literal["delivered", "retry", "split", "auth", "rejected"]
RETRYABLE = {408, 425, 429}
PER_ITEM = {200, 207}  # the webhook stored what it could and says per item what it refused


@dataclass
class Answer:
    outcome: Outcome
    stored: list[Waiting] = field(default_factory=list)
    invalid: list[tuple[Waiting, str]] = field(default_factory=list)
    retry_after: float | None = None
    error: str = ""
    # A 500: the server is up and failed on this body (gateways and an unavailable database
    # answer 502-504), so the batch may hold a poisoned item. See Sync.deliver.
    server_error: bool = False


def body_for(items: list[Waiting]) -> tuple[list[dict[str, Any]], list[list[Waiting]]]:
    """The webhook body (one envelope per bucket, in first-seen order) and the items behind
    each envelope's events, so per-item results map back."""
    envelopes: dict[str, dict[str, Any]] = {}
    owners: dict[str, list[Waiting]] = {}
    for item in items:
        if item.bucket_id not in envelopes:
            bucket = item.bucket
            envelopes[item.bucket_id] = {
                "bucket": {k: bucket.get(k) for k in ("id", "type", "client", "hostname")},
                "events": [],
            }
            owners[item.bucket_id] = []
        envelopes[item.bucket_id]["events"].append(item.event)
        owners[item.bucket_id].append(item)
    return list(envelopes.values()), list(owners.values())


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(failures: int, *, base: float, cap: float, retry_after: float | None, rng: random.Random) -> float:
    """Exponential backoff with full jitter, never sooner than the server's Retry-After."""
    ceiling = min(cap, base * 2 ** max(0, failures - 1))
    delay = rng.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def send(client: httpx.Client, url: str, headers: dict[str, str], items: list[Waiting]) -> Answer:
    body, owners = body_for(items)
    try:
        response = client.post(url, json=body, headers=headers)
    except httpx.HTTPError as exc:
        return Answer("retry", error=f"server unreachable: {type(exc).__name__}")
    status = response.status_code
    if status in PER_ITEM or status == 422:
        answer, problem = _read_per_item(response, owners)
        if answer is not None:
            return answer
        if status in PER_ITEM:
            # A captive portal's page, a proxy, a server of another version: nothing is
            # acknowledged on an answer not understood. (A 422 of another shape refused the
            # body as a whole: set aside below, never retried.)
            return Answer("retry", error=f"the server's {status} answer was not understood ({problem})")
    error = _message(response)
    if status in RETRYABLE or status >= 500:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        return Answer("retry", retry_after=retry_after, error=error, server_error=status == 500)
    if status == 413:
        return Answer("split", error=error)
    if status in (401, 403):
        return Answer("auth", error=error)
    return Answer("rejected", invalid=[(item, error) for item in items], error=error)


def _read_per_item(response: httpx.Response, owners: list[list[Waiting]]) -> tuple[Answer | None, str]:
    """The per-item answer, or None and why the body is not one."""
    try:
        return _per_item(response.json(), owners), ""
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # zip(strict=True) raises ValueError
        return None, type(exc).__name__


def _per_item(answer: dict[str, Any], owners: list[list[Waiting]]) -> Answer:
    result = Answer("delivered")
    for bucket_result, items in zip(answer["buckets"], owners, strict=True):
        if bucket_result.get("status") == "invalid":
            error = str(bucket_result.get("errors"))
            result.invalid.extend((item, f"bucket: {error}") for item in items)
            continue
        for item_result, item in zip(bucket_result["results"], items, strict=True):
            if item_result["status"] == "invalid":
                result.invalid.append((item, str(item_result.get("errors"))))
            else:
                result.stored.append(item)
    return result


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return f"{response.status_code} {response.reason_phrase}"
    return f"{response.status_code} {body.get('error', '')}: {body.get('message', '')}"

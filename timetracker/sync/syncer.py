"""One sync round: read new events from aw-server into the outbox, then deliver the outbox.

Reading is incremental per bucket from its watermark (the start of the newest event queued):
the newest event is read again every round, because ActivityWatch keeps extending it, and a
grown version is queued again (the server updates its row). Delivery sends batches of
`batch_size`; failures back off exponentially with jitter and honour Retry-After.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from timetracker.sync.aw_server import AwServer, parse_timestamp
from timetracker.sync.config import SyncConfig
from timetracker.sync.delivery import backoff_delay, send
from timetracker.sync.queue import Outbox

log = logging.getLogger(__name__)
QUEUE_FILE = "outbox.sqlite3"


@dataclass
class RoundReport:
    queued: int = 0
    delivered: int = 0
    set_aside: int = 0
    ok: bool = True
    error: str = ""


class Sync:
    def __init__(
        self,
        config: SyncConfig,
        headers: dict[str, str],
        *,
        aw: AwServer | None = None,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.headers = headers
        self.aw = aw or AwServer(config.aw_url, timeout=config.request_timeout)
        self.http = http or httpx.Client(timeout=config.request_timeout)
        self.outbox = Outbox(config.state_dir / QUEUE_FILE, config.offline_queue_size)
        self.sleep = sleep
        self.rng = rng or random.Random()  # noqa: S311 (jitter, not a secret)

    def close(self) -> None:
        self.outbox.close()
        self.http.close()
        self.aw.close()

    def collect(self) -> int:
        """Queue what aw-server has beyond each bucket's watermark; how many events were queued."""
        buckets = self.aw.buckets()
        wanted = self.config.buckets or sorted(buckets)
        queued = 0
        for bucket_id in wanted:
            bucket = buckets.get(bucket_id)
            if bucket is None:
                log.warning("bucket %s is not on the local aw-server", bucket_id)
                continue
            bucket = {**bucket, "id": bucket_id}
            mark = self.outbox.watermark(bucket_id)
            start = parse_timestamp(mark) if mark else None
            events = self.aw.events(bucket_id, start=start)
            if start is not None:  # aw-server also returns older events that overlap `start`
                events = [e for e in events if parse_timestamp(e["timestamp"]) >= start]
            newest = events[-1]["timestamp"] if events else mark
            queued += self.outbox.add(bucket, events, newest)
        return queued

    def deliver(self) -> RoundReport:
        report = RoundReport()
        size = self.config.batch_size
        failures = 0
        while items := self.outbox.next_batch(size):
            answer = send(self.http, self.config.webhook_url, self.headers, items)
            if answer.outcome == "delivered":
                failures = 0
                self.outbox.acknowledge(answer.stored)
                for item, error in answer.invalid:
                    self.outbox.set_item_aside(item, error)
                report.delivered += len(answer.stored)
                report.set_aside += len(answer.invalid)
                self.outbox.set("last_sync", datetime.now(UTC).isoformat())
            elif answer.outcome == "split" and len(items) > 1:
                size = max(1, len(items) // 2)
            elif answer.outcome in ("rejected", "split"):
                for item, error in answer.invalid or [(item, answer.error) for item in items]:
                    self.outbox.set_item_aside(item, error)
                report.set_aside += len(items)
            elif answer.outcome == "auth":
                return self._failed(report, f"the server refused the credentials ({answer.error}); log in again")
            else:
                failures += 1
                if failures >= self.config.max_retries:
                    return self._failed(report, answer.error)
                delay = backoff_delay(
                    failures,
                    base=self.config.retry_base,
                    cap=self.config.max_backoff,
                    retry_after=answer.retry_after,
                    rng=self.rng,
                )
                log.info("delivery failed (%s); retrying in %.1f s", answer.error, delay)
                self.sleep(delay)
        if report.set_aside:
            log.warning("%d events were refused by the server and set aside (see status)", report.set_aside)
        return report

    def _failed(self, report: RoundReport, error: str) -> RoundReport:
        report.ok, report.error = False, error
        self.outbox.set("last_error", f"{datetime.now(UTC).isoformat()} {error}")
        log.warning("sync stopped: %s; %d events wait in the queue", error, self.outbox.length())
        return report

    def run_once(self) -> RoundReport:
        try:
            queued = self.collect()
        except httpx.HTTPError as exc:
            # aw-server not running: still deliver what is already queued.
            queued = 0
            log.warning("cannot read the local aw-server at %s: %s", self.config.aw_url, type(exc).__name__)
        report = self.deliver()
        report.queued = queued
        return report

    def run_forever(self, rounds: int | None = None) -> None:
        done = 0
        while rounds is None or done < rounds:
            self.run_once()
            done += 1
            if rounds is None or done < rounds:
                self.sleep(self.config.sync_interval)

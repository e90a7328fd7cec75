"""One sync round: read new events from aw-server into the outbox, then deliver the outbox.

Reading is incremental per bucket from its watermark (the start of the newest event queued,
leaving out any dated more than a day ahead): the newest event is read again every round,
because ActivityWatch keeps extending it, and a grown version is queued again (the server
updates its row). Delivery sends batches of `batch_size`; failures back off exponentially
with jitter and honour Retry-After.

A poisoned item (one the server fails on with a 500 every time) must not hold up the queue
forever, and a server that is down must never cost an event. So a batch answered 500 on
every try is halved until the item is alone; that item is passed over, and set aside only
once the server stores a later event (it is up, and fails on that one alone). Several lone
failures in a row with nothing stored, or nothing left to prove the server up, look like an
outage: the round stops and everything stays queued for the next one.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from timetracker import clock
from timetracker.sync.aw_server import AwServer, UnexpectedAnswer, parse_timestamp
from timetracker.sync.config import SyncConfig
from timetracker.sync.delivery import Answer, backoff_delay, send
from timetracker.sync.queue import Outbox, Waiting

log = logging.getLogger(__name__)
QUEUE_FILE = "outbox.sqlite3"
# Lone events failing one after another with nothing stored between them: the server is
# failing, not the events (tolerates that many poisoned events next to each other).
SUSPECTS_BEFORE_OUTAGE = 3
POISONED = "the server failed (500) on this event alone on every try while it stored others"


@dataclass
class RoundReport:
    queued: int = 0
    delivered: int = 0
    set_aside: int = 0
    ok: bool = True
    error: str = ""


def _newest_believable(events: list[dict[str, Any]]) -> str | None:
    """The timestamp the bucket's watermark may move to: its newest event that is not dated
    ahead of the clock. An event dated 2100 (a clock set wrong) is still queued, and the server
    refuses it; as the watermark it would hide every later real event until that year."""
    horizon = datetime.now(UTC) + clock.AHEAD
    believable = [e["timestamp"] for e in events if parse_timestamp(e["timestamp"]) <= horizon]
    return believable[-1] if believable else None


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
        """Queue what aw-server has beyond each bucket's watermark, as far as the queue has room;
        how many events were queued.

        The cap is backpressure, not loss: aw-server keeps its history, so what does not fit is
        simply not read yet (the watermark stays at the last event queued) and is read once
        delivery has made room."""
        buckets = self.aw.buckets()
        wanted = self.config.buckets or sorted(buckets)
        queued = 0
        room = self.outbox.capacity - self.outbox.length()
        if room <= 0:
            capacity = self.outbox.capacity
            log.warning("offline queue full (%d events): reading paused until the server takes some", capacity)
            return 0
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
            if len(events) > room:
                log.warning("offline queue nearly full: %s read up to %d events, the rest later", bucket_id, room)
                events = events[:room]  # room never goes below 0: each bucket adds at most what it had
            newest = _newest_believable(events) or mark
            added = self.outbox.add(bucket, events, newest)
            queued += added
            room -= added
        return queued

    def deliver(self) -> RoundReport:
        report = RoundReport()
        size = self.config.batch_size
        failures = 0
        suspects: list[tuple[Waiting, str]] = []  # lone items answered 500 on every try since the last stored batch
        while items := self.outbox.next_batch(size, skip=[item.seq for item, _ in suspects]):
            answer = send(self.http, self.config.webhook_url, self.headers, items)
            if answer.outcome == "delivered":
                failures = 0
                self._record(report, answer)
                # The server is up and stores other events: the suspects are what it fails on.
                # An answer that refused every item (a 422) stored nothing, so it proves nothing.
                if suspects and answer.stored:
                    self._set_aside(report, [(item, f"{POISONED}: {error}") for item, error in suspects])
                    suspects, size = [], self.config.batch_size
            elif answer.outcome == "split" and len(items) > 1:
                size = max(1, len(items) // 2)
            elif answer.outcome in ("rejected", "split"):
                self._set_aside(report, answer.invalid or [(item, answer.error) for item in items])
            elif answer.outcome == "auth":
                return self._failed(report, f"the server refused the credentials ({answer.error}); log in again")
            else:
                failures += 1
                if failures < self.config.max_retries:
                    self._back_off(failures, answer)
                    continue
                failures = 0
                if not answer.server_error:
                    return self._failed(report, answer.error)
                if len(items) > 1:  # halve to find the item it fails on; the others are delivered meanwhile
                    size = max(1, len(items) // 2)
                    continue
                suspects.append((items[0], answer.error))
                if len(suspects) >= SUSPECTS_BEFORE_OUTAGE:
                    return self._failed(report, answer.error)
                size = 1  # probe with the next event alone: once one is stored, the suspects are confirmed
        if suspects:  # nothing was stored after them: no proof the server is up, so they stay queued
            return self._failed(report, suspects[-1][1])
        if report.set_aside:
            log.warning("%d events were refused by the server and set aside (see status)", report.set_aside)
        return report

    def _record(self, report: RoundReport, answer: Answer) -> None:
        self.outbox.acknowledge(answer.stored)
        self._set_aside(report, answer.invalid)
        report.delivered += len(answer.stored)
        self.outbox.set("last_sync", datetime.now(UTC).isoformat())

    def _set_aside(self, report: RoundReport, refused: list[tuple[Waiting, str]]) -> None:
        for item, error in refused:
            self.outbox.set_item_aside(item, error)
        report.set_aside += len(refused)

    def _back_off(self, failures: int, answer: Answer) -> None:
        delay = backoff_delay(
            failures,
            base=self.config.retry_base,
            cap=self.config.max_backoff,
            retry_after=answer.retry_after,
            rng=self.rng,
        )
        log.info("delivery failed (%s); retrying in %.1f s", answer.error, delay)
        self.sleep(delay)

    def _failed(self, report: RoundReport, error: str) -> RoundReport:
        report.ok, report.error = False, error
        self.outbox.set("last_error", f"{datetime.now(UTC).isoformat()} {error}")
        log.warning("sync stopped: %s; %d events wait in the queue", error, self.outbox.length())
        return report

    def run_once(self) -> RoundReport:
        unreadable = ""
        try:
            queued = self.collect()
        except httpx.HTTPError as exc:
            # aw-server not running: still deliver what is already queued.
            queued = 0
            log.warning("cannot read the local aw-server at %s: %s", self.config.aw_url, type(exc).__name__)
        except UnexpectedAnswer as exc:
            # Something else answers on its port, or a broken aw-server: deliver, read again next round.
            queued, unreadable = 0, f"unexpected answer from the local aw-server: {exc}"
            log.warning("%s", unreadable)
        report = self.deliver()
        report.queued = queued
        if unreadable and report.ok:
            report.ok, report.error = False, unreadable
            self.outbox.set("last_error", f"{datetime.now(UTC).isoformat()} {unreadable}")
        return report

    def run_forever(self, rounds: int | None = None) -> None:
        done = 0
        while rounds is None or done < rounds:
            try:
                self.run_once()
            except Exception:
                # The daemon outlives one bad round (whatever broke it); what is queued stays queued.
                log.exception("sync round failed; trying again in %.0f s", self.config.sync_interval)
            done += 1
            if rounds is None or done < rounds:
                self.sleep(self.config.sync_interval)
